"""core.units: the English of a unit stored in Chinese, the default on English pages where staff typed none
(英寸, 个/cm², 小时 showed in Chinese on English pages; usable12)."""

import pytest
from django.utils import translation

from kechuang.core.units import PER_EN, UNITS_EN, english, local_unit


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        ("英寸", "inches"),
        ("小时", "hours"),
        ("个", "items"),
        ("项", "items"),
        ("台套", "sets"),
        ("万元", "10,000 yuan"),
        ("亿元", "100 million yuan"),
        # no Chinese in it: the same in English
        ("%", "%"),
        ("MW", "MW"),
        ("W/(m·K)", "W/(m·K)"),
        # a rate: A per B, a bare counter over something "per B"
        ("个/cm²", "per cm²"),
        ("片/小时", "pieces per hour"),
        ("万元/人", "10,000 yuan per person"),
        ("人/万人", "persons per 10,000 population"),
        ("件/亿元", "items per 100 million yuan"),
        ("次/年", "per year"),
        # areas, volumes, masses and times a S&T report uses (个/平方厘米 showed in Chinese; usable14)
        ("个/平方厘米", "per cm²"),
        ("平方毫米", "mm²"),
        ("立方厘米", "cm³"),
        ("立方米", "m³"),
        ("毫升", "mL"),
        ("升", "L"),
        ("毫克", "mg"),
        ("微米", "μm"),
        ("毫秒", "ms"),
        ("季度", "quarters"),
        ("个工作日", "working days"),
        ("摄氏度", "°C"),
        ("兆帕", "MPa"),
        ("吉赫兹", "GHz"),
        ("次/季度", "per quarter"),
        ("吨标准煤/万元GDP", "tonnes of standard coal per 10,000 yuan of GDP"),
        # a symbol over a symbol as symbols join; a time under a symbol as its symbol
        ("千克/立方米", "kg/m³"),
        ("毫克/升", "mg/L"),
        ("克/平方米", "g/m²"),
        ("米/秒", "m/s"),
        ("千米/小时", "km/h"),
        ("立方米/小时", "m³/h"),
        ("次/秒", "per second"),
        ("吨/小时", "tonnes per hour"),
        # unknown: none (the caller shows the Chinese)
        ("当量单位", ""),
        ("件/当量", ""),
        ("个/视场", ""),
        ("a/b/c单位", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_english(unit, expected):
    assert english(unit) == expected


def test_the_tables_say_english_only():
    for table in (UNITS_EN, PER_EN):
        for zh, en in table.items():
            assert zh.strip() and en.strip() and not any("\u4e00" <= ch <= "\u9fff" for ch in en), zh


def test_the_demo_indicator_units_read_as_the_indicators_demo_typed_them():
    # the indicators demo types its English units by hand: the table agrees where it knows the unit
    from kechuang.indicators.demo import UNITS_EN as DEMO

    agree = {zh: en for zh, en in DEMO.items() if english(zh)}
    assert len(agree) >= len(DEMO) - 3
    differ = {zh: (en, english(zh)) for zh, en in agree.items() if en != english(zh)}
    assert set(differ) <= {"项", "个/十万人", "件/万人", "件/亿元"}, differ


def test_local_unit_typed_then_table_then_chinese():
    assert local_unit("英寸", "in", english_page=True) == "in"
    assert local_unit("英寸", "  ", english_page=True) == "inches"
    assert local_unit("当量单位", "", english_page=True) == "当量单位"
    assert local_unit("英寸", "in", english_page=False) == "英寸"
    with translation.override("en"):
        assert local_unit("小时") == "hours"
    with translation.override("zh-hans"):
        assert local_unit("小时", "hours") == "小时"
