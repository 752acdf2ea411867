"""The public-name rule (docs/security.md §16): a page anyone may read names a person by their full name, else by
their unit's name and what they are there, never by their login name or e-mail address.

Every account of the demo province is made nameless, with a login name and an address found nowhere else; then
every page, API answer and export an anonymous visitor reaches by links (from every URL that takes no argument,
up to three of each shape) is searched for any of them."""

import io
import re
from urllib.parse import urldefrag, urljoin, urlparse

import pytest
from django.test import Client

from kechuang.core import dbtemplate
from kechuang.core.routes import argless_paths

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

SKIP = re.compile(r"^/(admin/|i18n/|static/|media/|accounts/logout/|api/docs|api/schema)")
SECRET = re.compile(r"lgn\d+zq")  # every login name and address below holds this
HREF = re.compile(r"""href=["']([^"'#]+)""")
PER_SHAPE, MAX_PAGES = 3, 900


def _argless_paths() -> list[str]:
    return argless_paths(SKIP)


def _shape(path: str) -> str:
    return re.sub(r"\?.*$", "", re.sub(r"/[0-9a-f-]{36}/|/\d+/", "/<n>/", path))


def _text_of(response) -> str:
    kind = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if "spreadsheetml" in kind:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(
            str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row
        )
    if kind.startswith(("text/", "application/json", "application/xml")) or "csv" in kind:
        return body.decode("utf-8", "replace")
    return ""


@pytest.fixture(scope="module")
def nameless_demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        dbtemplate.demo_load()
        from kechuang.accounts.models import User

        for pk in User.objects.values_list("pk", flat=True):
            User.objects.filter(pk=pk).update(
                full_name="",
                first_name="",
                last_name="",
                username=f"lgn{pk}zq",
                email=f"lgn{pk}zq@mail.invalid",
            )
        yield
        dbtemplate.demo_unload()


def test_no_public_page_api_answer_or_export_shows_a_login_name_or_an_address(nameless_demo):
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="zh-hans")
    queue, seen, visited, found = _argless_paths() + ["/"], {}, set(), {}
    while queue and len(visited) < MAX_PAGES:
        path = queue.pop(0)
        shape = _shape(path)
        if path in visited or seen.get(shape, 0) >= PER_SHAPE or SKIP.search(path):
            continue
        seen[shape] = seen.get(shape, 0) + 1
        visited.add(path)
        response = client.get(path)
        if response.status_code != 200:
            continue
        text = _text_of(response)
        if hits := set(SECRET.findall(text)):
            found[path] = sorted(hits)
        links = HREF.findall(text) + re.findall(r'"(https?://testserver/[^"]+|/api/[^"]+)"', text)
        for href in links:
            parsed = urlparse(urldefrag(urljoin(path, href.replace("&amp;", "&")))[0])
            if parsed.scheme in ("", "http") and parsed.netloc in ("", "testserver"):
                queue.append(parsed.path + (f"?{parsed.query}" if parsed.query else ""))
    print(f"\nanonymous: {len(visited)} pages, API answers and exports")
    assert len(visited) > 100
    assert not found, "a login name or address on a public page:\n" + "\n".join(
        f"{p}: {', '.join(h)}" for p, h in sorted(found.items())
    )
