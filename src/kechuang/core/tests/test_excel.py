import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kechuang.core.excel import ImportReport, RowError, read_table, xlsx_bytes
from kechuang.core.exceptions import ApplicationError


def test_csv_rows_carry_spreadsheet_line_numbers_and_skip_blank_rows():
    data = "名称,城市\n山西大学,太原\n\n中北大学, 太原 \n".encode()
    rows = read_table(data, "units.csv", required=["名称"])
    assert [(r.line, r.values) for r in rows] == [
        (2, {"名称": "山西大学", "城市": "太原"}),
        (4, {"名称": "中北大学", "城市": "太原"}),
    ]


def test_gb18030_csv_is_decoded():
    rows = read_table("名称\n太原理工大学\n".encode("gb18030"), "u.csv")
    assert rows[0].values["名称"] == "太原理工大学"


def test_xlsx_round_trip():
    data = xlsx_bytes(["名称", "数量"], [["山西大学", 3], ["中北大学", None]])
    rows = read_table(data, "u.xlsx")
    assert rows[0].values == {"名称": "山西大学", "数量": 3} and rows[1].line == 3


def test_missing_columns_and_bad_files_are_explained():
    with pytest.raises(ApplicationError, match="缺少必需的列"):
        read_table("名称\n甲\n".encode(), "u.csv", required=["名称", "城市"])
    with pytest.raises(ApplicationError, match="不支持的文件类型"):
        read_table(b"x", "u.doc")
    with pytest.raises(ApplicationError, match="无法读取 Excel"):
        read_table(b"not a zip", "u.xlsx")
    with pytest.raises(ApplicationError, match="空"):
        read_table(b"", "u.csv")


def test_report_and_errors_render():
    report = ImportReport(total=2, errors=[RowError(3, "城市不能为空", "城市")])
    assert not report.ok
    assert report.as_dict()["errors"] == [{"line": 3, "field": "城市", "message": "城市不能为空"}]
    assert str(report.errors[0]) == "第3行 [城市]: 城市不能为空"


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=2000), st.sampled_from(["a.csv", "a.xlsx", "a.txt"]))
def test_any_bytes_give_rows_or_a_clear_error(data, name):
    try:
        rows = read_table(data, name)
    except ApplicationError as exc:
        assert exc.message
    else:
        assert all(r.line >= 2 for r in rows)


def test_one_cell_rule_for_every_workbook_booleans_in_words_and_decimals_as_numbers():
    """`xlsx_bytes` (fixed layouts) and the list exports (core.exports) write a value the same way: a boolean
    as 是/否 (Yes/No on an English request), a Decimal as a number Excel sums, "=1" as text."""
    import datetime
    import io
    from decimal import Decimal

    import openpyxl
    from django.utils import translation

    from kechuang.core import exports
    from kechuang.core.excel import cell_value

    assert exports.cell_value is cell_value  # one helper, not two that drift apart
    row = [True, False, Decimal("12.50"), "=1", datetime.date(2027, 3, 11), None]

    def written(data: bytes):
        ws = openpyxl.load_workbook(io.BytesIO(data)).active
        return [c.value for c in next(ws.iter_rows(min_row=2, max_row=2))], [c.data_type for c in ws[2]]

    values, types = written(xlsx_bytes(["a", "b", "c", "d", "e", "f"], [row]))
    assert values[:4] == ["是", "否", 12.5, "=1"] and types[2] == "n" and types[3] == "s"
    assert values[4].date() == datetime.date(2027, 3, 11) and values[5] is None  # a date cell
    with translation.override("en"):
        values, _types = written(xlsx_bytes(["a", "b", "c", "d", "e", "f"], [row]))
    assert values[:2] == ["Yes", "No"]

    out = io.BytesIO()
    columns = [exports.col(str(i), lambda r, i=i: r[i]) for i in range(len(row))]
    exports.write_workbook(out, columns, [row], sheet_title="t")
    listed, listed_types = written(out.getvalue())
    assert listed == written(xlsx_bytes(["a", "b", "c", "d", "e", "f"], [row]))[0]
    assert listed_types[2] == "n" and listed_types[3] == "s"


def test_a_kept_reports_errors_name_their_column_in_the_readers_language():
    """A background import keeps its report (ImportReport.as_dict); with the format's headings each error keeps
    its words, so the column reads in its reader's language, not the worker's (people33)."""
    from django.utils import translation
    from django.utils.translation import gettext_noop

    from kechuang.core.display import plain, result_rows
    from kechuang.core.excel import Headings, ImportReport, RowError, error_words
    from kechuang.core.messages import Message, encode

    headings = Headings({"name": "名称"}, {"name": "Name"})
    report = ImportReport(errors=[RowError(3, Message(gettext_noop("名称不能为空。")), "名称")])
    with translation.override("zh-hans"):  # the worker's language
        kept = report.as_dict(headings)
    with translation.override("en"):
        (error,) = kept["errors"]
        assert "[Name]" in error_words(error) and "名称" not in error_words(error)
        rows = dict(result_rows(kept))
        assert "[Name]" in next(v for v in rows.values() if "Line 3" in v)
        # words kept as msgid and parameters anywhere in a result read in the reader's language
        assert plain({"m": "名称不能为空。"}) == render_en(encode(Message(gettext_noop("名称不能为空。"))))
    with translation.override("zh-hans"):
        assert "[名称]" in error_words(kept["errors"][0])
    # a report kept without its format's headings reads as before: the column as stored
    with translation.override("en"):
        assert "名称" in error_words(report.as_dict()["errors"][0])


def render_en(stored):
    from kechuang.core.messages import render

    return render(stored)
