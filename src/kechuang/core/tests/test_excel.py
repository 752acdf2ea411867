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
