"""The import pages' templates in tests: fetch one, read its heading row, fill a row and save it to import back.

Shared by the bilingual imports' tests (platforms, units, experts, integrity findings, needs, the technology map),
which each check that the template is headed in the reader's language and that a row typed under it imports.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import openpyxl


def template_of(client, url: str) -> tuple[list, openpyxl.Workbook]:
    """The template `url` serves to `client`'s reader: its heading row and the workbook to fill."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    return [cell.value for cell in book.active[1]], book


def filled(book: openpyxl.Workbook, *rows: Sequence) -> bytes:
    """The template with `rows` typed under its headings, as the .xlsx file a person would upload."""
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
