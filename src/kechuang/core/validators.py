"""Plausible dates and years (issue #14.10), as field validators: model `full_clean`, ModelForms and
ModelSerializers all run them, so a form, the API and a service refuse the same values with the same
message."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The earliest year the platform holds data for (KECHUANG_FIRST_YEAR): the programmes it replaces began then.
FIRST_YEAR_DEFAULT = 2000
YEAR_OUT_OF_RANGE = _("年度须在 %(first)s 年至 %(this)s 年之间（不能是未来的年度）。")
DATE_IN_FUTURE = _("日期不能晚于今天（%(today)s）。")


def first_year() -> int:
    return int(getattr(settings, "KECHUANG_FIRST_YEAR", FIRST_YEAR_DEFAULT))


def validate_past_year(value) -> None:
    """A year within the platform's life and not in the future."""
    if value is None:
        return
    this = timezone.localdate().year
    if not first_year() <= int(value) <= this:
        raise ValidationError(
            YEAR_OUT_OF_RANGE, code="implausible_year", params={"first": first_year(), "this": this}
        )


def validate_not_future(value) -> None:
    """A date that is today or earlier (a result achieved, a transfer made)."""
    if value is None:
        return
    today = timezone.localdate()
    if value > today:
        raise ValidationError(DATE_IN_FUTURE, code="date_in_future", params={"today": today.isoformat()})
