"""Dates and years are plausible (issue #14.10): a yearly report for 1800 or 3000, or a result or transfer
dated in the future, is refused with a clear message by the model, the forms and the API alike."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kechuang.core.validators import validate_not_future, validate_past_year

pytestmark = pytest.mark.django_db


# "Next year" and "tomorrow" read when the test runs, not when the tests are collected: a run that crosses
# midnight in Asia/Shanghai (16:00 UTC) had collected yesterday's tomorrow, which is today and passes.
def _next_year():
    return timezone.localdate().year + 1


def _tomorrow():
    return timezone.localdate() + datetime.timedelta(days=1)


def _in_five_years():
    return timezone.localdate().year + 5


def _now(value):
    return value() if callable(value) else value


@pytest.mark.parametrize("year", [1800, 1999, 3000, _next_year])
def test_an_implausible_year_is_refused_with_the_range(year):
    year = _now(year)
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


def _date_and_year_fields():
    from django.apps import apps
    from django.db import models

    for model in apps.get_models():
        if not model.__module__.startswith("kechuang."):
            continue
        for f in model._meta.concrete_fields:
            is_date = isinstance(f, models.DateField) and not isinstance(f, models.DateTimeField)
            if f.editable and (is_date or f.name == "year" or f.name.endswith("_year")):
                yield f"{model._meta.label_lower}.{f.name}", f


# Fields whose plausibility their own app checks another way (with its own message and test).
CHECKED_ELSEWHERE = {
    "funds.payment.paid_on": "funds.services: not after today (funds/tests/test_services.py)",
    "funds.cofundingreceipt.received_on": "funds.services: not after today (funds/tests/test_services.py)",
    "registry.numbercounter.year": "set by registry.numbers from the approval date, never typed by a person",
    "funds.spendingreport.year": "model: 2000–2100, and not before the project's start year (funds.services)",
}


def test_every_date_and_year_a_person_types_is_checked():
    """Every editable date or year field of every model carries a plausibility validator (its own, or one
    from core.validators.PLAUSIBLE), so a new date field without one fails here by name."""
    from kechuang.core import validators as v

    checks = {
        v.validate_past_year,
        v.validate_not_future,
        v.validate_plausible_date,
        v.validate_history_date,
        v.validate_founding_date,
        v.validate_plan_year,
        v.validate_series_year,
    }
    fields = dict(_date_and_year_fields())
    assert len(fields) > 30
    unchecked = sorted(
        label
        for label, f in fields.items()
        if not any(c in f.validators for c in checks) and label not in CHECKED_ELSEWHERE
    )
    assert not unchecked, unchecked
    assert set(v.PLAUSIBLE) <= set(fields)  # the table names real fields


@pytest.mark.parametrize(
    ("validator", "bad", "good"),
    [
        (
            "validate_plausible_date",
            [datetime.date(1800, 1, 1), datetime.date(2999, 1, 1)],
            datetime.date(2026, 6, 1),
        ),
        (
            "validate_history_date",
            [datetime.date(1800, 1, 1), datetime.date(3000, 1, 1)],
            datetime.date(1985, 3, 1),
        ),
        (
            "validate_founding_date",
            [datetime.date(1800, 1, 1), _tomorrow],
            datetime.date(1985, 3, 1),
        ),
        ("validate_plan_year", [1800, 1999, 3000], _in_five_years),
        ("validate_series_year", [1800, 3000, _next_year], 1995),
    ],
)
def test_each_check_refuses_with_its_range_and_passes_plausible_values(validator, bad, good):
    from kechuang.core import validators

    check = getattr(validators, validator)
    check(_now(good))
    for value in bad:
        with pytest.raises(ValidationError) as refused:
            check(_now(value))
        assert "之间" in refused.value.messages[0]


def test_a_contract_dated_2999_is_refused_by_its_service_with_the_reason(staff):
    from kechuang.challenges.services import contract_update
    from kechuang.challenges.tests.factories import ContractFactory

    contract = ContractFactory()
    end = contract.end_date
    with pytest.raises(ValidationError) as refused:
        contract_update(
            actor=staff,
            contract=contract,
            expected_version=contract.version,
            end_date=datetime.date(2999, 12, 31),
        )
    assert "日期须在" in refused.value.message_dict["end_date"][0]
    contract.refresh_from_db()
    assert contract.end_date == end


def test_the_api_answers_400_with_the_reason_for_an_implausible_year(staff, api_for):
    from kechuang.indicators.models import Value
    from kechuang.indicators.tests.factories import IndicatorFactory, RegionFactory

    IndicatorFactory(code="PUB", name_zh="公开指标", public=True)
    RegionFactory(code="140000", name="山西省")
    body = {"indicator": "PUB", "region": "140000", "value": "1.12"}
    for year in (1800, 3000):
        r = api_for(staff).post("/api/indicators/values/", {**body, "year": year}, format="json")
        assert r.status_code == 400, r.content
        assert "年份须在" in str(r.json()["error"]), r.json()
    assert not Value.objects.exists()
    assert (
        api_for(staff).post("/api/indicators/values/", {**body, "year": 2021}, format="json").status_code
        == 201
    )


def test_a_platform_founded_tomorrow_is_refused_on_its_form(staff, client_for):
    from kechuang.platforms.tests.factories import PlatformFactory

    platform = PlatformFactory.build()
    platform.established = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        platform.full_clean(exclude=[f.name for f in platform._meta.fields if f.name != "established"])
    assert "established" in refused.value.message_dict
