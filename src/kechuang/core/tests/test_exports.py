"""The shared list export (core.exports): typed cells, text that looks like a formula stays text, a bound on
the rows with a sentence saying what was left out, and a streamed download."""

import datetime
import io
from decimal import Decimal

from django.utils import timezone
from openpyxl import load_workbook

from kechuang.core.exports import col, export_response, money, write_workbook


class Row:
    def __init__(self, i):
        self.name = f"=1+{i}" if i == 0 else f"第{i}行"
        self.amount = Decimal("12500") if i == 0 else Decimal("850.5")
        self.flag = i % 2 == 0
        self.on = datetime.date(2026, 1, i + 1)
        self.at = datetime.datetime(2026, 1, 1, 8, 30, tzinfo=timezone.get_default_timezone())


COLUMNS = [
    col("名称", "name"),
    col("金额", money("amount")),
    col("是否", "flag"),
    col("日期", "on"),
    col("时间", "at"),
]


def _read(data: bytes):
    wb = load_workbook(io.BytesIO(data))
    return wb.worksheets[0]


def test_cells_are_typed_and_formulas_stay_text():
    out = io.BytesIO()
    n = write_workbook(out, COLUMNS, [Row(0), Row(1)], sheet_title="测试")
    ws = _read(out.getvalue())
    assert n == 2
    assert [c.value for c in ws[1]] == ["名称", "金额", "是否", "日期", "时间"]
    assert ws["A2"].value == "=1+0" and ws["A2"].data_type == "s"
    assert ws["B2"].value == "1.25 亿元" and ws["B3"].value == "850.5 万元"
    assert ws["C2"].value == "是" and ws["C3"].value == "否"
    assert ws["D2"].value.date() == datetime.date(2026, 1, 1)
    assert ws["E2"].value.timetuple()[:5] == (2026, 1, 1, 8, 30)  # local time, as the page shows it
    assert ws.freeze_panes == "A2"


def test_the_rows_are_bounded_and_the_sheet_says_so():
    out = io.BytesIO()
    n = write_workbook(out, COLUMNS, (Row(i) for i in range(5)), sheet_title="测试", limit=3)
    ws = _read(out.getvalue())
    assert n == 3
    assert "仅导出前 3 行" in ws.cell(row=ws.max_row, column=1).value


def test_the_download_is_streamed_with_its_name():
    response = export_response("单位.xlsx", COLUMNS, [Row(1)])
    assert response.streaming
    assert response["Content-Disposition"] == "attachment; filename*=UTF-8''%E5%8D%95%E4%BD%8D.xlsx"
    ws = _read(b"".join(response.streaming_content))
    assert ws["A2"].value == "第1行"
