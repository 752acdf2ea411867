"""The unit, expert and indicator imports keep each row error as msgid and parameters (core.excel.RowError,
as the platform and technology-map imports do): a report made in one language reads in its reader's, each
error names the column as the file heads it, and nothing shows `None` for an empty cell."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from kechuang.accounts import importer as unit_importer
from kechuang.indicators.tables import read_records
from kechuang.review.services import expert_import


def _in(language, errors):
    with translation.override(language):
        return [(e.line, e.field, e.text) for e in errors]


@pytest.mark.django_db
def test_unit_import_row_errors_read_in_either_language(staff):
    data = "单位名称,单位类型\n,工厂\n某所,企业\n某所,企业\n".encode()
    with translation.override("zh-hans"):
        report = unit_importer.unit_import(actor=staff, data=data, filename="u.csv")
    zh, en = _in("zh-hans", report.errors), _in("en", report.errors)
    assert (2, "单位名称", "单位名称不能为空。") in zh
    assert (2, "单位名称", "The unit name is empty.") in en
    kind_zh = next(t for line, f, t in zh if f == "单位类型")
    kind_en = next(t for line, f, t in en if f == "单位类型")
    assert kind_zh.startswith("单位类型应为：") and "企业" in kind_zh
    assert "enterprise" in kind_en.lower() and "企业" not in kind_en
    assert (4, "单位名称", "Same unit name as line 3.") in en


@pytest.mark.django_db
def test_the_units_command_says_row_errors_in_the_operators_language(tmp_path, staff):
    path = tmp_path / "u.csv"
    path.write_text("单位名称,单位类型\n,企业\n", encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("units", "import", str(path), f"--user={staff.username}", "--language=en", stdout=out)
    assert "The unit name is empty." in out.getvalue()


@pytest.mark.django_db
def test_expert_import_row_errors_read_in_either_language(staff):
    data = "姓名,单位,年度上限,学科\n,不存在的单位,abc,量子玄学\n".encode()
    with translation.override("zh-hans"):
        report = expert_import(actor=staff, data=data, filename="e.csv")
    zh, en = (
        dict(((f, t) for _l, f, t in _in("zh-hans", report.errors))),
        dict((f, t) for _l, f, t in _in("en", report.errors)),
    )
    assert zh["姓名"] == "姓名不能为空。" and en["姓名"] == "The name cannot be empty."
    assert zh["单位"] == "单位“不存在的单位”不在单位库中。"
    assert "不存在的单位" in en["单位"] and not en["单位"].startswith("单位")
    assert "0" in en["年度上限"] and "1000" in en["年度上限"] and "年度" not in en["年度上限"]
    assert "量子玄学" in en["学科"] and "学科" not in en["学科"].replace("量子玄学", "")


def test_indicator_row_errors_name_the_files_column_and_read_in_either_language():
    data = "地区代码,年份,指标代码,数值\nU,,A.1,3\n,2020,A.1,3\nU,2020,A.2,x\n".encode()
    with translation.override("zh-hans"):
        parsed = read_records(data, "long.csv")
    zh, en = _in("zh-hans", parsed.errors), _in("en", parsed.errors)
    assert zh == [(2, "年份", "年份为空。"), (3, "地区代码", "地区代码为空。"), (4, "数值", "数值无效：x")]
    assert [t for *_lf, t in en] == ["The year is empty.", "The region code is empty.", "Invalid value: x"]
    assert "None" not in " ".join(t for *_lf, t in zh + en)


def test_a_missing_indicator_column_is_named_in_the_readers_words():
    with translation.override("zh-hans"):
        parsed = read_records("地区代码,年份,数值\nU,2020,3\n".encode(), "long.csv")
    (error,) = parsed.errors
    assert error.line == 1 and "指标代码" in error.text and "indicator_code" not in error.text
    with translation.override("en"):
        assert "Indicator code" in error.text and "指标代码" not in error.text


def test_an_eis_workbooks_row_error_names_its_sheet_in_either_language():
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name in ("EIS-INN", "EIS-STR"):
        ws = wb.create_sheet(name)
        ws.append(["Indicator", "Country", "Year", "Level", "Value"])
        ws.append(["1.1.1 Doctorates", "AT", 2023, 0, 1.5])
    wb["EIS-INN"].append(["1.1.1 Doctorates", "AT", "", 0, 1.5])
    buf = io.BytesIO()
    wb.save(buf)
    with translation.override("zh-hans"):
        parsed = read_records(buf.getvalue(), "EIS_Data.xlsx")
    assert _in("zh-hans", parsed.errors) == [(3, "Year", "工作表 EIS-INN：年份为空。")]
    assert _in("en", parsed.errors) == [(3, "Year", "Sheet EIS-INN: The year is empty.")]
