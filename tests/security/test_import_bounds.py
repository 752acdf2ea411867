"""Spreadsheet imports are bounded by what they hold, not by what a sheet claims (session 11's attacker
review): a 1.5 KB .xlsx that claims A1:XFD1048576 and has one cell in its last row passed every upload check
(it unpacks to a few hundred bytes) and then kept a worker busy some 20 minutes, because openpyxl pads each
row to the claimed width and yields an empty row for every gap; a CSV of short lines kept a million rows in
memory. Imports now read rows only as wide as the header and refuse data past the row limit."""

import io
import zipfile

import pytest
from openpyxl.worksheet import _read_only

from kechuang.core.excel import read_table
from kechuang.core.exceptions import ApplicationError
from kechuang.core.uploads import TABLES, check_upload

_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _xlsx(sheet_data: str, dimension: str) -> bytes:
    """A minimal workbook written by hand, as an attacker would: one sheet with its own <dimension>."""
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType='
            '"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            f'relationships"><Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0"?><workbook xmlns="{_NS}" xmlns:r="{_REL}"><sheets>'
            '<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            f'relationships"><Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": (
            f'<?xml version="1.0"?><worksheet xmlns="{_NS}"><dimension ref="{dimension}"/>'
            f"<sheetData>{sheet_data}</sheetData></worksheet>"
        ),
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text)
    return buf.getvalue()


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _claiming(last_row: int) -> bytes:
    """A header cell in A1 and one cell in the last column of `last_row`; the sheet claims A1:XFD<last_row>."""
    rows = f'<row r="1">{_cell("A1", "名称")}</row><row r="{last_row}">{_cell(f"XFD{last_row}", "x")}</row>'
    return _xlsx(rows, f"A1:XFD{last_row}")


@pytest.fixture
def cells_read(monkeypatch):
    """How many cells openpyxl hands to read_table (gaps and padding included)."""
    seen = [0]
    original = _read_only.ReadOnlyWorksheet._cells_by_row

    def counting(self, *args, **kwargs):
        for row in original(self, *args, **kwargs):
            seen[0] += len(row)
            yield row

    monkeypatch.setattr(_read_only.ReadOnlyWorksheet, "_cells_by_row", counting)
    return seen


def test_a_tiny_sheet_claiming_every_column_passes_the_upload_checks():
    data = _claiming(1_048_576)
    assert len(data) < 2_000
    assert check_upload(data, "平台.xlsx", allowed=TABLES).name == "xlsx"


def test_rows_are_read_only_as_wide_as_the_header(cells_read):
    # 3,000 rows claimed 16,384 wide: 49 million cells before the fix, 3,000 after
    assert read_table(_claiming(3_000), "平台.xlsx") == []
    assert cells_read[0] < 100_000


def test_a_header_wider_than_the_limit_is_refused(settings):
    settings.KECHUANG_MAX_IMPORT_COLUMNS = 20
    header = "".join(_cell(f"{chr(ord('A') + j)}1", f"列{j}") for j in range(21))
    with pytest.raises(ApplicationError) as refused:
        read_table(_xlsx(f'<row r="1">{header}</row>', "A1:U1"), "平台.xlsx")
    assert refused.value.code == "too_many_columns" and "20" in str(refused.value.message)
    csv = (",".join(f"列{j}" for j in range(21)) + "\n" + "1," * 20 + "1\n").encode()
    with pytest.raises(ApplicationError) as refused:
        read_table(csv, "平台.csv")
    assert refused.value.code == "too_many_columns"


def test_a_header_at_the_limit_is_read(settings):
    settings.KECHUANG_MAX_IMPORT_COLUMNS = 20
    csv = (",".join(f"列{j}" for j in range(20)) + "\n" + "1," * 19 + "1\n").encode()
    assert len(read_table(csv, "平台.csv")[0].values) == 20


def test_data_past_the_row_limit_is_refused_with_its_line(settings):
    settings.KECHUANG_MAX_IMPORT_ROWS = 10
    # an xlsx whose only data row is far below the header
    rows = f'<row r="1">{_cell("A1", "名称")}</row><row r="500000">{_cell("A500000", "山西大学")}</row>'
    with pytest.raises(ApplicationError) as refused:
        read_table(_xlsx(rows, "A1:A500000"), "平台.xlsx")
    # refused at the first line past the limit, blank or not (§29): reading on to the data row would walk
    # every row number between, and a <row r="…"> may name any number
    assert refused.value.code == "too_many_rows" and "第12行" in str(refused.value.message)
    # a CSV of many short lines
    with pytest.raises(ApplicationError) as refused:
        read_table(("名称\n" + "甲\n" * 11).encode(), "平台.csv")
    assert refused.value.code == "too_many_rows"


def test_data_up_to_the_row_limit_is_read(settings):
    settings.KECHUANG_MAX_IMPORT_ROWS = 10
    rows = read_table(("名称\n" + "甲\n" * 10).encode(), "平台.csv")
    assert [r.line for r in rows] == list(range(2, 12))
