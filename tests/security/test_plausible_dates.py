"""Dates and years are plausible (issue #14.10): a yearly report for 1800 or 3000, or a result or transfer
dated in the future, is refused with a clear message by the model, the forms and the API alike."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kechuang.core.validators import validate_not_future, validate_past_year

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("year", [1800, 1999, 3000, timezone.localdate().year + 1])
def test_an_implausible_year_is_refused_with_the_range(year):
    with pytest.raises(ValidationError) as refused:
        validate_past_year(year)
    assert "2000" in refused.value.messages[0] and str(timezone.localdate().year) in refused.value.messages[0]


def test_plausible_years_and_dates_pass():
    validate_past_year(2000)
    validate_past_year(timezone.localdate().year)
    validate_not_future(timezone.localdate())


def test_a_future_date_is_refused():
    with pytest.raises(ValidationError, match="不能晚于今天"):
        validate_not_future(datetime.date(2999, 1, 1))


@pytest.mark.parametrize("year", [1800, 3000])
def test_a_yearly_report_for_an_implausible_year_is_refused(year):
    from kechuang.platforms.tests.factories import YearlyReportFactory

    report = YearlyReportFactory.build(year=year)
    with pytest.raises(ValidationError) as refused:
        report.full_clean(validate_unique=False)
    assert "year" in refused.value.message_dict


@pytest.mark.parametrize(("model", "field"), [("Result", "achieved_on"), ("Transfer", "transferred_on")])
def test_results_and_transfers_dated_in_the_future_are_refused(model, field):
    from kechuang.challenges import models

    assert validate_not_future in models.__dict__[model]._meta.get_field(field).validators
