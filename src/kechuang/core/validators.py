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


# Every other date or year a person types (issue #14.10), by kind:
YEARS_AHEAD_DEFAULT = 20  # KECHUANG_MAX_YEARS_AHEAD: how far ahead a plan, contract or deadline may reach
HISTORY_FIRST_YEAR = 1900  # a platform or an indicator series may be older than the platform's data
DATE_OUT_OF_RANGE = _("日期须在 %(low)s 至 %(high)s 之间。")
YEAR_NOT_PLAUSIBLE = _("年份须在 %(low)s 年至 %(high)s 年之间。")


def years_ahead() -> int:
    return int(getattr(settings, "KECHUANG_MAX_YEARS_AHEAD", YEARS_AHEAD_DEFAULT))


def _date_between(value, low, high) -> None:
    if value is None:
        return
    if not low <= value <= high:
        raise ValidationError(
            DATE_OUT_OF_RANGE,
            code="implausible_date",
            params={"low": low.isoformat(), "high": high.isoformat()},
        )


def _year_between(value, low: int, high: int) -> None:
    if value is None:
        return
    if not low <= int(value) <= high:
        raise ValidationError(YEAR_NOT_PLAUSIBLE, code="implausible_year", params={"low": low, "high": high})


def validate_plausible_date(value) -> None:
    """A programme date (contract, milestone, publicity, review, check, TRL): from 1 January of
    KECHUANG_FIRST_YEAR to KECHUANG_MAX_YEARS_AHEAD years from today."""
    import datetime

    today = timezone.localdate()
    _date_between(value, datetime.date(first_year(), 1, 1), datetime.date(today.year + years_ahead(), 12, 31))


def validate_history_date(value) -> None:
    """A date in a platform's history (founded, joined, a period): from 1900 to the plan horizon."""
    import datetime

    today = timezone.localdate()
    _date_between(
        value, datetime.date(HISTORY_FIRST_YEAR, 1, 1), datetime.date(today.year + years_ahead(), 12, 31)
    )


def validate_founding_date(value) -> None:
    """The day a platform was founded: from 1900 to today."""
    import datetime

    _date_between(value, datetime.date(HISTORY_FIRST_YEAR, 1, 1), timezone.localdate())


def validate_plan_year(value) -> None:
    """The year of a call or a target: KECHUANG_FIRST_YEAR to KECHUANG_MAX_YEARS_AHEAD years ahead."""
    _year_between(value, first_year(), timezone.localdate().year + years_ahead())


def validate_series_year(value) -> None:
    """The year of a statistic (an indicator value, a report read in): from 1900 to this year."""
    _year_between(value, HISTORY_FIRST_YEAR, timezone.localdate().year)


# "app_label.model.field" -> its validator, added to the field at start-up (core.apps) rather than in each
# model, so one table answers "which dates are checked, and how" (tests/security/test_plausible_dates.py
# fails on a date or year field of any model that is neither here nor validated in its model). Added to `field.validators`, so a model's full_clean (every service), its
# ModelForm and its ModelSerializer (API 400 with the reason) refuse the same values.
PLAUSIBLE = {
    "challenges.challenge.year": validate_plan_year,
    "programmes.call.year": validate_plan_year,
    "challenges.challenge.downselect_on": validate_plausible_date,
    "challenges.publicity.starts_on": validate_plausible_date,
    "challenges.publicity.ends_on": validate_plausible_date,
    "challenges.contract.start_date": validate_plausible_date,
    "challenges.contract.end_date": validate_plausible_date,
    "challenges.milestone.due_date": validate_plausible_date,
    "challenges.midtermcheck.checked_on": validate_plausible_date,
    "challenges.downselect.decided_on": validate_plausible_date,
    "challenges.acceptance.accepted_on": validate_plausible_date,
    "evaluation.campaign.year": validate_past_year,
    "indicators.value.year": validate_series_year,
    "indicators.target.year": validate_plan_year,
    "ingest.document.year": validate_series_year,
    "integrity.record.decided_on": validate_plausible_date,
    "integrity.record.starts_on": validate_plausible_date,
    "integrity.record.ends_on": validate_plausible_date,
    "integrity.record.appeal_lodged_on": validate_plausible_date,
    "integrity.record.appeal_decided_on": validate_plausible_date,
    "platforms.platform.established": validate_founding_date,
    "platforms.statusperiod.start": validate_history_date,
    "platforms.statusperiod.end": validate_history_date,
    "platforms.affiliation.start": validate_history_date,
    "platforms.affiliation.end": validate_history_date,
    "platforms.membership.joined": validate_history_date,
    "platforms.membership.left": validate_history_date,
    "platforms.reorganisation.date": validate_history_date,
    "platforms.achievement.year": validate_past_year,
    "review.expertunit.start": validate_history_date,
    "review.expertunit.end": validate_history_date,
    "review.round.due": validate_plausible_date,
    "techmap.technology.trl_baseline_on": validate_plausible_date,
    "techmap.technology.trl_current_on": validate_plausible_date,
    "techmap.technology.trl_target_on": validate_plausible_date,
    "techmap.trlrecord.as_of": validate_plausible_date,
    "techmap.coverage.since": validate_history_date,
    "techmap.coverage.until": validate_history_date,
}


def install_plausibility_validators() -> None:
    """Add the PLAUSIBLE validators to their fields (once; called by core.apps when the models are loaded).
    A label that names no model or field is skipped here (the site still starts) and fails
    tests/security/test_plausible_dates.py, so the table follows the models."""
    from django.apps import apps
    from django.core.exceptions import FieldDoesNotExist

    for label, validator in PLAUSIBLE.items():
        app_label, model_name, field_name = label.split(".")
        try:
            field = apps.get_model(app_label, model_name)._meta.get_field(field_name)
        except (LookupError, FieldDoesNotExist):
            continue
        validators = field.validators  # cached per field: every later clean reads this list
        if validator not in validators:
            validators.append(validator)
