"""Every field kind: built from its spec, refusing what it must, storing JSON-safe values by stable key, and
showing them again by the version that took them."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict

from kechuang.core.formkinds import rows_post
from kechuang.programmes import fieldkinds
from kechuang.programmes.fieldkinds import build_form, display

PDF = b"%PDF-1.4\n% test\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def one(spec, data, files=None):
    spec = {"key": "f1", "label": "字段", **spec}
    form = build_form([spec], data=data, files=files)
    return form, spec


def test_every_kind_has_a_chinese_label_and_builds():
    for key, kind in fieldkinds.KINDS.items():
        spec = {
            "key": "f1",
            "kind": key,
            "label": "x",
            "options": ["甲"],
            "columns": [{"key": "c1", "label": "a"}],
        }
        assert fieldkinds.make_field(spec) is not None
        assert not str(kind.label).isascii()


def test_short_text_keeps_its_limit():
    form, _ = one({"kind": "short_text", "required": True, "max_length": 5}, {"f1": "一二三四五六"})
    assert not form.is_valid() and "f1" in form.errors
    form, _ = one({"kind": "short_text", "required": True, "max_length": 5}, {"f1": "一二三"})
    assert form.is_valid() and form.json_values() == {"f1": "一二三"}


def test_long_text_required():
    form, _ = one({"kind": "long_text", "required": True}, {"f1": ""})
    assert "f1" in form.errors


def test_number_with_unit_and_limits():
    form, spec = one({"kind": "number", "unit": "吨", "min": "1", "max": "10"}, {"f1": "11"})
    assert "f1" in form.errors
    assert "（吨）" in str(form.fields["f1"].label)
    form, spec = one({"kind": "number", "unit": "吨", "min": "1", "max": "10"}, {"f1": "2.50"})
    assert form.is_valid()
    assert form.json_values() == {"f1": "2.50"}
    assert display(spec, "2.50") == "2.50 吨"
    money = {"kind": "money", "label": "拟申请经费"}  # a page says the unit it was asked in; an export not
    assert display(money, "700", with_unit=True) == "700 万元" and display(money, "700") == "700"
    from django.utils import translation

    with translation.override("en"):  # as the funds pages write money (it read "CNY 600 ten thousand")
        assert display(money, "600", with_unit=True) == "CNY 6 million"
        assert display(money, "12.5", with_unit=True) == "CNY 125,000"


def test_money_is_decimal_to_the_fen_and_not_negative():
    form, _ = one({"kind": "money"}, {"f1": "-1"})
    assert "f1" in form.errors
    form, _ = one({"kind": "money"}, {"f1": "0.125"})
    assert "f1" in form.errors
    form, _ = one({"kind": "money"}, {"f1": "1234.56"})
    assert form.is_valid() and Decimal(form.json_values()["f1"]) == Decimal("1234.56")


def test_date():
    form, _ = one({"kind": "date"}, {"f1": "2026-02-30"})
    assert "f1" in form.errors
    form, _ = one({"kind": "date"}, {"f1": "2026-03-01"})
    assert form.json_values() == {"f1": "2026-03-01"}


def test_choice_and_multiple_choice_take_only_their_options():
    form, _ = one({"kind": "choice", "options": ["企业", "高校"]}, {"f1": "医院"})
    assert "f1" in form.errors
    form, _ = one({"kind": "choice", "options": ["企业", "高校"]}, {"f1": "高校"})
    assert form.json_values() == {"f1": "高校"}
    data = QueryDict(mutable=True)
    data.setlist("f1", ["甲", "丙"])
    form, spec = one({"kind": "multi_choice", "options": ["甲", "乙", "丙"]}, data)
    assert form.json_values() == {"f1": ["甲", "丙"]}
    assert display(spec, ["甲", "丙"]) == "甲、丙"


def test_file_checks_kind_and_size():
    spec = {"kind": "file", "file_kinds": ["pdf"], "max_mb": 1, "required": True}
    form, _ = one(spec, {}, {"f1": SimpleUploadedFile("a.pdf", b"MZ not a pdf")})
    assert "f1" in form.errors
    form, _ = one(spec, {}, {"f1": SimpleUploadedFile("a.pdf", PDF + b" " * (1024 * 1024))})
    assert "f1" in form.errors
    form, _ = one(spec, {}, {"f1": SimpleUploadedFile("a.pdf", PDF)})
    assert form.is_valid(), form.errors
    assert "f1" in form.files_by_key() and "f1" not in form.json_values()


def test_table_with_typed_columns():
    spec = {
        "kind": "table",
        "columns": [
            {"key": "c1", "label": "设备", "kind": "text"},
            {"key": "c2", "label": "数量", "kind": "number"},
            {"key": "c3", "label": "到货日", "kind": "date"},
        ],
    }
    bad = rows_post("f1", [{"c1": "光谱仪", "c2": "两台", "c3": "2026-01-01"}])
    form, spec = one(spec, bad)
    assert "f1" in form.errors
    good = rows_post("f1", [{"c1": "光谱仪", "c2": "2", "c3": "2026-01-01"}])
    form, spec = one(spec, good)
    assert form.is_valid(), form.errors
    assert form.json_values() == {"f1": [{"c1": "光谱仪", "c2": "2", "c3": "2026-01-01"}]}
    headers, rows = fieldkinds.display_rows(spec, form.json_values()["f1"])
    assert headers == ["设备", "数量", "到货日"] and rows == [["光谱仪", "2", "2026-01-01"]]


def test_team_indicators_milestones_criteria_are_core_formkinds():
    form, _ = one({"kind": "team", "required": True}, rows_post("f1", [{"name": "张三", "title": "教授"}]))
    assert form.json_values()["f1"][0]["name"] == "张三"
    form, _ = one(
        {"kind": "indicators"},
        rows_post("f1", [{"name": "效率", "unit": "%", "target": "90", "direction": "lower"}]),
    )
    assert form.json_values()["f1"][0]["higher_is_better"] is False
    form, _ = one({"kind": "milestones"}, rows_post("f1", [{"title": "样机", "month": "200"}]))
    assert "f1" in form.errors
    form, _ = one({"kind": "criteria"}, rows_post("f1", [{"name": "创新", "weight": "0.5"}]))
    assert "f1" in form.errors  # weights must sum to 1


def test_budget_by_the_standard_lines_once_each():
    data = rows_post("f1", [{"line": "equipment", "amount": "10"}, {"line": "equipment", "amount": "5"}])
    form, _ = one({"kind": "budget"}, data)
    assert "f1" in form.errors
    form, spec = one({"kind": "budget"}, rows_post("f1", [{"line": "labour", "amount": "12.5"}]))
    assert form.is_valid()
    assert display(spec, form.json_values()["f1"]) == "劳务费 12.5"


def test_a_conditional_field_is_asked_only_when_its_option_is_chosen():
    specs = [
        {"key": "f1", "kind": "choice", "label": "单位类型", "options": ["企业", "高校"], "required": True},
        {
            "key": "f2",
            "kind": "money",
            "label": "企业自筹",
            "required": True,
            "show_if": {"field": "f1", "equals": "企业"},
        },
    ]
    form = build_form(specs, data={"f1": "高校", "f2": ""})
    assert form.is_valid(), form.errors
    assert form.json_values() == {"f1": "高校"}
    form = build_form(specs, data={"f1": "企业", "f2": ""})
    assert not form.is_valid() and "f2" in form.errors
    form = build_form(specs, data={"f1": "高校", "f2": "5"})
    assert form.is_valid() and "f2" not in form.json_values()
    assert "单位类型" in form.fields["f2"].help_text


@pytest.mark.parametrize("kind", list(fieldkinds.KINDS))
def test_an_empty_optional_field_of_every_kind_is_accepted(kind):
    spec = {
        "key": "f1",
        "kind": kind,
        "label": "x",
        "options": ["甲"],
        "columns": [{"key": "c1", "label": "a"}],
    }
    form = build_form([spec], data={})
    assert form.is_valid(), (kind, form.errors)
