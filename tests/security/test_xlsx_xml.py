"""The XML inside a spreadsheet (session 15's attacker review): an .xlsx is a zip of XML parts, and openpyxl
parses them as it reads. A part that is not well-formed (a truncated sheet, a broken styles.xml) raised the
XML parser's own error out of `read_table`, past the import pages' refusal, so every import answered 500 and
logged a traceback; and the parts are read safely from entities (billion laughs, external entities) only when
defusedxml is installed, which only the development tools pulled in (pip-audit's dependencies): a production
install from `pyproject.toml` read them with the standard library's parser. Now a broken part is the same
refusal as a broken zip (code `bad_file`), and defusedxml is one of the project's own dependencies."""

import io
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from kechuang.core.excel import read_table
from kechuang.core.exceptions import ApplicationError

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"

LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
    + "".join(f'<!ENTITY {n} "{("&" + p + ";") * 10}">' for p, n in zip("abcdefgh", "bcdefghi", strict=True))
    + "]>"
)
EXTERNAL = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'


def _workbook() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["名称", "代码"])
    ws.append(["甲", "1"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _changed(member: str, change) -> bytes:
    """The workbook with one of its parts rewritten, as an attacker would by hand."""
    src = zipfile.ZipFile(io.BytesIO(_workbook()))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            out.writestr(
                info, change(data.decode("utf-8")).encode("utf-8") if info.filename == member else data
            )
    return buf.getvalue()


def _refused(data: bytes) -> ApplicationError:
    with pytest.raises(ApplicationError) as refused:
        read_table(data, "平台.xlsx", required=["名称"])
    return refused.value


def test_the_workbook_reads_as_made():
    assert [r.values for r in read_table(_workbook(), "平台.xlsx")] == [{"名称": "甲", "代码": "1"}]


@pytest.mark.parametrize(
    "member, cut",
    [
        ("xl/worksheets/sheet1.xml", 40),  # a truncated sheet: ParseError while the rows are read
        ("xl/styles.xml", 30),  # a truncated style sheet: lxml's XMLSyntaxError at load
        ("xl/workbook.xml", 20),
    ],
)
def test_a_part_that_is_not_well_formed_is_a_refusal_not_a_server_error(member, cut):
    refused = _refused(_changed(member, lambda text: text[:-cut]))
    assert refused.code == "bad_file"
    assert "Excel" in str(refused.message)


@pytest.mark.parametrize("prologue, ref", [(LAUGHS, "&i;"), (EXTERNAL, "&e;")])
def test_entities_in_a_sheet_are_refused_not_expanded(prologue, ref):
    data = _changed(
        "xl/worksheets/sheet1.xml", lambda text: prologue + text.replace("<t>甲", "<t>" + ref + "甲")
    )
    refused = _refused(data)
    assert refused.code == "bad_file"
    assert "root:" not in str(refused.message) and "aaaaaaaaaa" not in str(refused.message)


def test_entities_in_the_workbook_part_are_refused_too():
    data = _changed("xl/workbook.xml", lambda text: LAUGHS + text.replace('name="Sheet"', 'name="&i;"'))
    assert _refused(data).code == "bad_file"


def test_defusedxml_is_one_of_the_projects_own_dependencies():
    """openpyxl guards its XML only when defusedxml can be imported; a production install gets what
    pyproject.toml names, not the development tools' dependencies."""
    import openpyxl.xml

    declared = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["dependencies"]
    names = {d.split(">")[0].split("<")[0].split("=")[0].split("[")[0].strip().lower() for d in declared}
    assert "defusedxml" in names
    assert openpyxl.xml.DEFUSEDXML is True
    assert "defusedxml" in sys.modules or __import__("defusedxml")


@pytest.mark.django_db
def test_the_import_page_refuses_a_broken_sheet_with_the_reason(client, make_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kechuang.core.roles import Role

    client.force_login(make_user(Role.STAFF))
    broken = _changed("xl/worksheets/sheet1.xml", lambda text: text[:-40])
    client.raise_request_exception = False
    r = client.post("/accounts/units/import/", {"file": SimpleUploadedFile("单位.xlsx", broken)})
    assert r.status_code in (200, 400)
    assert "无法读取 Excel 文件" in r.content.decode()
