"""Dates and moments in words, for text built in Python (messages, audit lines): the same text as the `date`
filter's DATE_FORMAT / DATETIME_FORMAT of the current language (kechuang/formats/), written directly because
the filter's formatter is dear in long lists (issue #19). core/tests/test_dates.py keeps the two equal.

Templates use `{{ d|date }}` for a date and `{{ t|date:"DATETIME_FORMAT" }}` for a moment; machine formats
(an <input type="date">'s value, a query string) stay "Y-m-d"."""

import datetime
from dataclasses import dataclass, replace

from django.utils import timezone
from django.utils.translation import gettext

from .filters import ChoiceFilter, choice_filter
from .language import english

MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def date_text(value) -> str:
    """A date (or the local date of a moment) as "2026年12月4日" / "4 Dec 2026"; "" for None."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    if english():
        return f"{value.day} {MONTHS_EN[value.month - 1]} {value.year}"
    return f"{value.year}年{value.month}月{value.day}日"


def when_text(value, *, seconds: bool = False) -> str:
    """A moment in local time as "2026年12月4日 22:32" / "4 Dec 2026 22:32" (a plain date as date_text); "" for None."""
    if value is None or value == "":
        return ""
    if not isinstance(value, datetime.datetime):
        return date_text(value)
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return (
        f"{date_text(value.date())} {value:%H:%M:%S}"
        if seconds
        else f"{date_text(value.date())} {value:%H:%M}"
    )


@dataclass(frozen=True)
class DateFilter:
    """A date a GET page is filtered by (?as_of=): the date used, what was typed, and why it was not read
    (shown beside the filter's box on the page itself, the page rendered for `date`)."""

    name: str
    date: datetime.date
    raw: str = ""
    error: str = ""


def date_filter(request, name: str = "as_of", default: datetime.date | None = None) -> DateFilter:
    """?`name`= as a date (YYYY-MM-DD); blank or not a date: `default` (today), and for a value that is not a
    date, why in words beside the filter (the page still answers 200, as the project's other GET filters do:
    platforms' list, the contribution rate)."""
    raw = request.GET.get(name, "").strip()
    fallback = default or timezone.localdate()
    if not raw:
        return DateFilter(name, fallback)
    try:
        return DateFilter(name, datetime.date.fromisoformat(raw), raw)
    except ValueError:
        return DateFilter(
            name,
            fallback,
            raw,
            gettext("“%(value)s”不是有效的日期，请按“年-月-日”填写（如 2026-01-31）；下面按%(date)s显示。")
            % {"value": raw[:40], "date": date_text(fallback)},
        )


def _year(raw: str) -> int | None:
    """Four digits as a year (full-width digits, as a Chinese input method types them, read too; never ²)."""
    return int(raw) if raw.isdecimal() and len(raw) == 4 else None


def year_filter(
    request,
    years,
    default: int | None = None,
    name: str = "year",
    *,
    label: str = "",
    everything: bool = False,
) -> ChoiceFilter:
    """?`name`= as one of `years` (the years the page has data for, listed in the order given) — the year lists'
    case of core.filters.choice_filter. Blank: `default` (the latest of `years`; all years with `everything`,
    the list's first entry). Not a year, or a year without data: the page is shown for the default and says so
    beside the list — what was asked, why not, the year shown instead — never silently another year."""
    given = list(years)
    years = sorted(given)
    fallback = None if everything else default if default is not None else (years[-1] if years else None)
    f = choice_filter(
        request,
        name,
        [(y, str(y)) for y in given],
        fallback,
        label=label or gettext("年份"),
        read=_year,
        everything=everything,
    )
    if not f.error or everything:  # "all years" shown instead: the list's own words
        return f
    shown = {"value": f.raw[:40], "year": fallback}
    if not years:
        error = gettext("“%(value)s”：这里还没有任何年份的数值。") % shown
    elif _year(f.raw) is None:
        error = gettext("“%(value)s”不是年份，请在列表中选择；下面显示%(year)s年。") % shown
    else:
        error = gettext("%(value)s年没有数据（有数据的年份为%(first)s–%(last)s年）；下面显示%(year)s年。") % {
            **shown,
            "first": years[0],
            "last": years[-1],
        }
    return replace(f, error=error)
