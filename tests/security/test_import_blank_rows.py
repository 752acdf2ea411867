"""Blank rows in an import count against its line limit, and a workbook with more rows than that is refused
before openpyxl opens it (docs/security.md §29).

`read_table` refused data past KECHUANG_MAX_IMPORT_ROWS (§11) but skipped blank rows without counting them,
and openpyxl, opening a workbook, parses every sheet that does not state its size in full. A 2.4 MB .xlsx (within
every upload bound: 10 MB, compression under 100×) of a 500-column header and a million empty `<row>` elements
kept a worker ~35 s and was then read as an empty table; a 4 KB one with its one cell at row 1,048,576 made
openpyxl pad a million rows 500 wide before the limit was met."""

import io
import zipfile

import openpyxl
import pytest

from kechuang.core.excel import read_table
from kechuang.core.exceptions import ApplicationError

LIMIT = 1000

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"


@pytest.fixture(autouse=True)
def _limit(settings):
    settings.KECHUANG_MAX_IMPORT_ROWS = LIMIT


def _column(n: int) -> str:
    name = ""
    while n:
        n, r = divmod(n - 1, 26)
        name = chr(65 + r) + name
    return name


def _xlsx(rows_xml: str, width: int = 3) -> bytes:
    header = "".join(f'<c r="{_column(j + 1)}1" t="inlineStr"><is><t>h{j}</t></is></c>' for j in range(width))
    sheet = f'<?xml version="1.0"?><worksheet {NS}><sheetData><row r="1">{header}</row>{rows_xml}</sheetData></worksheet>'
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{CT}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{CT}.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<?xml version="1.0"?><Relationships xmlns="{PKG}"><Relationship Id="rId1" '
            f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0"?><workbook {NS} xmlns:r="{REL}"><sheets>'
            '<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0"?><Relationships xmlns="{PKG}"><Relationship Id="rId1" '
            f'Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": sheet,
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return out.getvalue()


def _empty_rows(first: int, last: int, prefix: str = "") -> str:
    return "".join(f'<{prefix}row r="{i}"/>' for i in range(first, last + 1))


def test_blank_rows_past_the_limit_are_refused_not_read_as_an_empty_table():
    data = _xlsx(_empty_rows(2, 5 * LIMIT))
    with pytest.raises(ApplicationError) as refused:
        read_table(data, "x.xlsx")
    assert refused.value.code == "too_many_rows"


def test_a_workbook_with_too_many_rows_is_refused_before_openpyxl_opens_it(monkeypatch):
    def no(*args, **kwargs):
        raise AssertionError("openpyxl opened a workbook with more rows than an import may have")

    monkeypatch.setattr(openpyxl, "load_workbook", no)
    for rows in (_empty_rows(2, LIMIT + 2), _empty_rows(2, LIMIT + 2, prefix="x:")):
        with pytest.raises(ApplicationError) as refused:
            read_table(_xlsx(rows), "x.xlsx")
        assert refused.value.code == "too_many_rows"


def test_a_far_cell_is_refused_at_the_first_line_past_the_limit():
    """One cell at Excel's last row under a 500-wide header: refused at line limit + 2, not after openpyxl
    padded every row between (the refusal names the line where reading stopped)."""
    last = 1_048_576
    far = f'<row r="{last}"><c r="A{last}" t="inlineStr"><is><t>x</t></is></c></row>'
    with pytest.raises(ApplicationError) as refused:
        read_table(_xlsx(far, width=500), "x.xlsx")
    assert refused.value.code == "too_many_rows" and f"第{LIMIT + 2}行" in str(refused.value.message)


def test_a_csv_of_blank_lines_past_the_limit_is_refused():
    data = ("a,b\n" + "\n" * (3 * LIMIT)).encode()
    with pytest.raises(ApplicationError) as refused:
        read_table(data, "x.csv")
    assert refused.value.code == "too_many_rows"


def test_up_to_the_limit_blank_rows_and_all_are_read():
    cells = '<c r="A{n}" t="inlineStr"><is><t>v{n}</t></is></c>'
    rows = _empty_rows(2, LIMIT // 2) + "".join(
        f'<row r="{n}">{cells.format(n=n)}</row>' for n in range(LIMIT // 2 + 1, LIMIT + 2)
    )
    table = read_table(_xlsx(rows), "x.xlsx")
    assert len(table) == LIMIT + 1 - LIMIT // 2 and table[-1].line == LIMIT + 1
    assert read_table(("a\n" + "\n" * (LIMIT - 1) + "x\n").encode(), "x.csv")[0].line == LIMIT + 1
