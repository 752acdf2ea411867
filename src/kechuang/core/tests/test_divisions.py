"""The provincial-level divisions (core.divisions, core/data/gbt2260_provinces.csv): all 34, each with its
official English name, found by code, Chinese name, short form or English spelling; anything else refused."""

import csv
import re

from django.utils import translation

from kechuang.core import divisions


def test_the_table_holds_the_34_divisions_with_english_names():
    with divisions.DATA.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 34 == len({r["code"] for r in rows}) == len(divisions.provinces())
    assert all(len(r["code"]) == 6 and r["code"].endswith("0000") for r in rows)
    assert all(r["name_en"] and r["name_zh"].startswith(r["short_zh"]) for r in rows)
    assert divisions.get("140000").name_en == "Shanxi" and divisions.get("610000").name_en == "Shaanxi"
    assert {"710000", "810000", "820000"} <= set(divisions.table())


def test_common_forms_resolve_and_others_do_not():
    for text in ("山西", "山西省", "Shanxi", " shanxi province ", "140000"):
        assert divisions.resolve(text) == "140000", text
    assert divisions.resolve("SHAANXI") == divisions.resolve("陕西") == "610000"
    assert divisions.resolve("Inner Mongolia") == divisions.resolve("内蒙古") == "150000"
    assert divisions.resolve("Tibet") == divisions.resolve("Xizang") == "540000"
    assert divisions.resolve("Macau") == divisions.resolve("澳门特别行政区") == "820000"
    for text in ("", "晋中", "火星省", "14", "140100", "Shan"):
        assert divisions.resolve(text) is None, text


def test_labels_follow_the_language_and_flag_unmatched_values():
    with translation.override("en"):
        assert divisions.label("620000") == "Gansu"
        assert [n for _c, n in divisions.choices()][:2] == ["Beijing", "Tianjin"]
    with translation.override("zh-hans"):
        assert divisions.label("620000") == "甘肃省"
        assert divisions.label("晋中") == "晋中（未识别的省份，请更正）"
    assert divisions.label("") == "" and divisions.is_flagged("晋中") and not divisions.is_flagged("620000")
    assert divisions.normalise("甘肃") == "620000" and divisions.normalise("晋中") == "晋中"


def test_the_city_table_holds_the_333_prefecture_level_divisions_each_under_a_listed_province():
    cities = divisions.cities()
    assert len(cities) == 333 and len({c.code for c in cities}) == 333
    for c in cities:
        assert re.fullmatch(r"\d{4}00", c.code) and not c.code.endswith("0000"), c
        assert divisions.get(c.province_code) is not None and c.name_en and c.name_zh.startswith(c.short_zh)
    assert [c.name_zh for c in divisions.cities("山西")][:2] == ["太原市", "大同市"]
    assert len(divisions.cities("140000")) == 11 and divisions.cities("北京") == []


def test_a_city_is_found_by_any_of_its_names_within_its_province():
    assert divisions.resolve_city("太原") == divisions.resolve_city("Taiyuan") == "140100"
    assert divisions.resolve_city("临夏回族自治州") == divisions.resolve_city("Linxia") == "622900"
    assert divisions.resolve_city("Taizhou") is None  # two of them: the province tells them apart
    assert (
        divisions.resolve_city("Taizhou", "浙江") == "331000"
        and divisions.resolve_city("泰州", "浙江") is None
    )
    assert divisions.resolve_city("晋中", "甘肃") is None and divisions.resolve_city("某某") is None


def test_a_code_is_named_as_near_as_the_lists_know_it_in_the_readers_language():
    assert (
        divisions.division_name("140105") == "山西省太原市" and divisions.division_name("110105") == "北京市"
    )
    assert divisions.division_name("990000") == divisions.division_name("1401") == ""
    with translation.override("en"):
        assert divisions.division_name("622921") == "Linxia Hui Autonomous Prefecture, Gansu"
