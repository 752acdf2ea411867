"""A model's own rules (full_clean: a length, a format, uniqueness) broken by an imported row are reported like
every other row error: on the row's line, under the column as the file heads it (never the model field's name
or a dict of them), in the reader's language — kept in both, so a report read later reads in its reader's."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from kechuang.accounts import importer as unit_importer
from kechuang.accounts.tests.factories import UnitFactory
from kechuang.core.excel import validation_row_errors
from kechuang.indicators.services import values as indicator_values
from kechuang.platforms import importer as platform_importer
from kechuang.review import services as review_services

LONG = "长" * 120


def _both(report, line):
    """Each error of `line` as (column, Chinese text, English text)."""
    out = []
    for e in report.errors:
        if e.line == line:
            with translation.override("zh-hans"):
                zh = e.text
            with translation.override("en"):
                en = e.text
            out.append((e.field, zh, en))
    return out


def _words(text: str) -> bool:
    return "{" not in text and "[" not in text and "__all__" not in text


def test_the_helper_names_the_column_and_keeps_both_languages():
    exc = ValidationError(
        {
            "name": [
                ValidationError(
                    "Ensure this value has at most %(limit_value)d characters.", params={"limit_value": 5}
                )
            ],
            "__all__": ["重复"],
        }
    )
    with translation.override("zh-hans"):
        errors = validation_row_errors(exc, 7, {"name": "单位名称"})
    assert [(e.line, e.field) for e in errors] == [(7, "单位名称"), (7, "")]
    assert "5" in errors[0].text


@pytest.mark.django_db
def test_a_unit_row_too_long_for_the_model(staff):
    data = f"单位名称,单位类型\n{LONG * 2},高等院校\n".encode()
    with translation.override("zh-hans"):
        report = unit_importer.unit_import(actor=staff, data=data, filename="u.csv", dry_run=True)
    [(column, zh, en)] = _both(report, 2)
    assert column == "单位名称" and "200" in zh and zh != en and "Ensure" in en and _words(zh + en)


@pytest.mark.django_db
def test_a_platform_row_refused_at_the_write_names_its_column(staff):
    UnitFactory(name="山西大学")
    data = f"编号,名称,类型,依托单位,成立日期,简称\nP9,某实验室,省重点实验室,山西大学,2021-01-01,{LONG}\n".encode()
    with translation.override("zh-hans"):
        report = platform_importer.platform_import(actor=staff, data=data, filename="p.csv", dry_run=False)
    assert not report.committed
    [(column, zh, en)] = _both(report, 2)
    assert column == "简称" and "80" in zh and "Ensure" in en and _words(zh + en)


@pytest.mark.django_db
def test_an_expert_row_with_a_city_too_long_is_refused_on_its_line(staff):
    UnitFactory(name="山西大学", kind="university", credit_code="")
    data = f"姓名,单位,邮箱,城市\n赵六,山西大学,zhao6@example.org,{LONG}\n".encode()
    with translation.override("zh-hans"):
        report = review_services.expert_import(actor=staff, data=data, filename="e.csv", dry_run=True)
    [(column, zh, en)] = _both(report, 2)
    # a city is a division picked by name since walker7: a long text names none, and is refused as such
    assert column == "城市" and "不是地级行政区" in zh and "prefecture" in en and _words(zh + en)


@pytest.mark.django_db
def test_an_indicator_file_naming_a_new_region_too_long_is_refused_on_its_line(staff):
    data = f"地区代码,地区名称,年份,指标代码,指标名称,数值\nX1,{LONG},2024,T1,测试指标,1.5\n".encode()
    with translation.override("zh-hans"):
        report = indicator_values.values_import(actor=staff, data=data, filename="v.csv", dry_run=True)
    [(column, zh, en)] = _both(report, 2)
    assert column == "地区名称" and "100" in zh and "Ensure" in en and _words(zh + en)
