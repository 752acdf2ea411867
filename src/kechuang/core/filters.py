"""A GET page's filter lists (?year=, ?region=, ?edition=, ?by=): the value the page is shown for, the list it is
chosen from, what the link asked for and why that was not shown.

A value not in the list (an old or edited link, a typo, a year without data) is never silently read as another:
the page is shown for the filter's default and says so beside the list — what was asked, why not, what is shown
instead (web/_choice_filter.html: aria-invalid, role="alert"), on a 200 like any GET page. An API answers the
same value with 400 and the reason (`ChoiceFilter.refuse`). core.dates.year_filter is the year lists' case."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext, gettext_noop

from .exceptions import ApplicationError
from .language import english

NOT_LISTED = gettext_noop("“%(value)s”不在“%(label)s”的列表中，请在列表中选择；下面显示%(shown)s。")
# the list's "all" entry shown instead, and a list with neither a default nor "all" (the page shows what it shows
# without a filter: nothing to name)
NOT_LISTED_ALL = gettext_noop("“%(value)s”不在“%(label)s”的列表中，请在列表中选择；下面显示全部。")
NOT_LISTED_NONE = gettext_noop("“%(value)s”不在“%(label)s”的列表中，请在列表中选择。")
NOT_LISTED_API = gettext_noop("“%(value)s”不在“%(label)s”可选的值中，可选：%(options)s。")
EVERYTHING = gettext_noop("全部")


@dataclass(frozen=True)
class ChoiceFilter:
    """The value a GET page is shown for (None: all, for a list with an "all" entry), the list's entries as
    (value sent, label shown), what the link asked for and why it was not shown ("" when it was)."""

    name: str
    value: Any
    label: str = ""
    options: tuple[tuple[str, str], ...] = ()
    raw: str = ""
    error: str = ""
    reason: str = ""  # the API's words for `error` (no "shown below")

    @property
    def year(self):
        """The year lists' name for the value (core.dates.year_filter)."""
        return self.value

    @property
    def sent(self) -> str:
        """The value as the list sends it ("" for all), to mark the entry selected."""
        return "" if self.value is None else str(self.value)

    def refuse(self) -> None:
        """For an API: a value asked for that is not one of the list's answers 400 naming it and the choices."""
        if self.error:
            raise ApplicationError(self.reason or self.error, fields={self.name: [self.reason or self.error]})


def choice_filter(
    request,
    name: str,
    options: Iterable[tuple[Any, str]],
    default: Any = None,
    *,
    label: str,
    read: Callable[[str], Any] | None = None,
    everything: bool = False,
) -> ChoiceFilter:
    """?`name`= as one of `options` ((value, label) pairs). Blank: `default` (None with `everything`: the list's
    first entry is "all"). Another value: the page is shown for `default` and the filter says why. `read` maps
    what the link sent to one of the values (e.g. a region by its Chinese or English name, or its code); by default
    the value's text.
    `label` is the list's label, beside it and in the reason."""
    options = [(v, str(text)) for v, text in options]
    listed = [("", gettext(EVERYTHING))] if everything else []
    listed = tuple(listed + [("" if v is None else str(v), text) for v, text in options])
    raw = request.GET.get(name, "").strip()
    if not raw:
        return ChoiceFilter(name, default, label, listed)
    values = {str(v): v for v, _text in options}
    asked = read(raw) if read else raw
    if asked is not None and str(asked) in values:
        return ChoiceFilter(name, values[str(asked)], label, listed, raw)
    words = {"value": raw[:40], "label": label}
    shown = dict(listed).get("" if default is None else str(default))
    if default is None and everything:
        said = gettext(NOT_LISTED_ALL) % words
    elif shown is None:
        said = gettext(NOT_LISTED_NONE) % words
    else:
        said = gettext(NOT_LISTED) % {**words, "shown": shown}
    return ChoiceFilter(
        name,
        default,
        label,
        listed,
        raw,
        said,
        gettext(NOT_LISTED_API)
        % {**words, "options": (", " if english() else "、").join(text for _v, text in options) or "—"},
    )
