"""Downloads behind filters and ids, walked as staff and as each kind of user of their own objects
(docs/security.md §50).

§45's walker (`test_export_endpoints_inert.py`) follows the links of the pages as staff and anonymously, one page
of each shape. This one goes further, in the same hostile world (every name and title starts like a formula):

- it also submits every filter form a page shows (`<form method="get">`: each choice of each `<select>`, one
  at a time), so the 导出 Excel button of a filtered list — a chosen round, platform, status, indicator, call … —
  is followed with its filters, and pages of one path with other query keys are walked apart;
- it walks as staff, as the named unit's applicant, another unit's applicant, the expert, the commissioner and
  the platform operator, each reaching the downloads their own objects link to;
- every spreadsheet it finds is inert (§45's check);
- and what a person downloads holds nothing they cannot read on the site: every name of the world found in a
  non-staff person's export was on a page that person was shown; every download staff reached (the exports of
  each round, platform, call, application … and every uploaded file), fetched by each other person, is either
  refused or holds only names that person was shown — an id changed in an export's address reads nothing more.
"""

import html
import re
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlencode, urljoin, urlparse

import pytest
from django.test import Client

from kechuang.accounts.models import User
from kechuang.core.roles import Role
from kechuang.core.routes import argless_paths

from .test_export_endpoints_inert import HOSTILE, LINK, OTHERS, SKIP, SPREADSHEET, _cells, _hostile_world

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

MAX_PAGES = 900
OPTIONS_PER_SELECT = 3
PREFIXES = (HOSTILE, *OTHERS)


class _Forms(HTMLParser):
    """The GET forms of a page: (action, [(select name, [option values])])."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, list[tuple[str, list[str]]]]] = []
        self._form = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = None if (a.get("method") or "get").lower() != "get" else (a.get("action") or "", [])
            if self._form is not None:
                self.forms.append(self._form)
        elif tag == "select" and self._form is not None and a.get("name"):
            self._select = (a["name"], [])
            self._form[1].append(self._select)
        elif tag == "option" and self._select is not None and a.get("value"):
            self._select[1].append(a["value"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def _filtered(url: str, body: str) -> list[str]:
    """The addresses a page's filter forms lead to: each choice of each select on its own."""
    parser = _Forms()
    parser.feed(body)
    out = []
    for action, selects in parser.forms:
        target = urlparse(urljoin(url, html.unescape(action)) if action else url).path
        for name, values in selects:
            for value in values[:OPTIONS_PER_SELECT] + values[-1:]:
                out.append(f"{target}?{urlencode({name: value})}")
    return out


def _shape(url: str) -> str:
    """A path with its ids folded and its query's keys; an export keeps its values (one per filtered list)."""
    parsed = urlparse(url)
    path = re.sub(r"/[0-9a-f-]{36}/", "/<uuid>/", parsed.path)
    path = re.sub(r"/\d+/", "/<n>/", path)
    keys = sorted({k.split("=")[0] for k in parsed.query.split("&") if k})
    if "export=" in parsed.query or "format=" in parsed.query:
        return path + "?" + parsed.query
    return path + "?" + "&".join(keys)


def _names(texts, but=frozenset()) -> set[str]:
    return {t for t in texts if isinstance(t, str) and t.startswith(PREFIXES)} - but


def _english_names() -> frozenset[str]:
    """The English names of the world (`name_en`, `title_en`): the English pages show them, the walk reads the
    Chinese ones, so an export's English column is not held against what the pages showed."""
    from django.apps import apps
    from django.db import models

    found = set()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.name in ("name_en", "title_en") and isinstance(
                field, models.CharField | models.TextField
            ):
                found.update(v for v in model._default_manager.values_list(field.name, flat=True) if v)
    return frozenset(found)


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


class Walk:
    def __init__(self):
        self.spreadsheets: dict[str, tuple[list, list]] = {}
        self.downloads: set[str] = set()  # every other answer that is a file (an attachment, a PDF, a zip …)
        self.shown = ""  # every page's text, unescaped: what the person was shown


def _walk(client: Client) -> Walk:
    walk = Walk()
    queue = [*argless_paths(SKIP), "/", "/dashboard/"]
    seen: set[str] = set()
    shown = []
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
        if response.status_code != 200:
            continue
        if any(k in kind for k in SPREADSHEET):
            walk.spreadsheets[url] = _cells(response)
            continue
        if response.has_header("Content-Disposition") or "text/html" not in kind:
            if "json" not in kind:
                walk.downloads.add(url)
            continue
        body = response.content.decode("utf-8", "replace")
        shown.append(html.unescape(body))
        links = [html.unescape(h) for h in LINK.findall(body)] + _filtered(url, body)
        for href in links:
            target = urlparse(urldefrag(urljoin(url, href))[0])
            if target.scheme in ("", "http") and target.netloc in ("", "testserver"):
                queue.append(target.path + (f"?{target.query}" if target.query else ""))
    walk.shown = "\n".join(shown)
    return walk


def _attachment(world):
    """A file of the named unit's application: its readers download it, no one else."""
    import hashlib

    from django.core.files.base import ContentFile

    from kechuang.challenges.models import Attachment

    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    return Attachment.objects.create(
        application=world.application,
        kind="plan",
        file=ContentFile(pdf, name="plan.pdf"),
        original_name="实施方案.pdf",
        content_type="application/pdf",
        size=len(pdf),
        sha256=hashlib.sha256(pdf).hexdigest(),
        uploaded_by=world.applicant,
    )


def _stranger(world) -> User:
    """An applicant of another unit than the named one (the world's second cluster)."""
    return User.objects.filter(groups__name=Role.APPLICANT).exclude(unit=world.unit).order_by("pk").first()


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    from django.db import transaction

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            w = _hostile_world()
            w.english = _english_names()
            w.attachment = _attachment(w)
            w.people = {**{k: v for k, v in w.users.items() if v is not None}, "stranger": _stranger(w)}
            w.walks = {}
            for role, user in w.people.items():
                client = Client(raise_request_exception=False)
                client.force_login(user)
                w.walks[role] = (client, _walk(client))
            yield w
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def test_the_filtered_walk_reaches_more_than_the_plain_one(world):
    """Staff's walk reaches the exports of filtered lists and of single objects, carrying the hostile names."""
    staff = world.walks["staff"][1]
    filtered = [u for u in staff.spreadsheets if "export=xlsx&" in u or re.search(r"\?(?!export=xlsx$).+", u)]
    assert len(staff.spreadsheets) >= 15, sorted(staff.spreadsheets)
    assert len(filtered) >= 5, sorted(staff.spreadsheets)
    carrying = [u for u, (_b, texts) in staff.spreadsheets.items() if _names(texts)]
    assert len(carrying) >= 3, sorted(staff.spreadsheets)
    assert f"/challenges/attachments/{world.attachment.pk}/" in staff.downloads, sorted(staff.downloads)


@pytest.mark.parametrize("role", ["staff", "applicant", "stranger", "expert", "commissioner", "operator"])
def test_every_spreadsheet_reached_with_filters_keeps_hostile_text_inert(world, role):
    walk = world.walks[role][1]
    bad = {url: cells for url, (cells, _texts) in walk.spreadsheets.items() if cells}
    assert not bad, bad


@pytest.mark.parametrize("role", ["applicant", "stranger", "expert", "commissioner", "operator"])
def test_a_persons_own_exports_hold_only_what_their_pages_show(world, role):
    walk = world.walks[role][1]
    unseen = {
        url: sorted(n for n in _names(texts, world.english) if n not in walk.shown)
        for url, (_b, texts) in walk.spreadsheets.items()
    }
    unseen = {u: n for u, n in unseen.items() if n}
    assert not unseen, unseen


@pytest.mark.parametrize("role", ["applicant", "stranger", "expert", "commissioner", "operator"])
def test_staffs_downloads_fetched_by_another_person_show_them_nothing_more(world, role):
    """Every export and file staff reached (each object's, each filter's), asked for by this person: refused, or
    only names they were shown, and a file (not a spreadsheet) only when their own walk reached it too."""
    client, walk = world.walks[role]
    staff = world.walks["staff"][1]
    leaks = {}
    refused = answered = 0
    for url in sorted(staff.spreadsheets):
        response = client.get(url)
        refused += response.status_code != 200
        answered += response.status_code == 200
        if response.status_code != 200 or not any(k in response.get("Content-Type", "") for k in SPREADSHEET):
            continue
        extra = sorted(n for n in _names(_cells(response)[1], world.english) if n not in walk.shown)
        if extra:
            leaks[url] = extra
    for url in sorted(staff.downloads - walk.downloads):
        response = client.get(url)
        if response.status_code == 200:
            data = _body(response)
            anonymous = Client(raise_request_exception=False).get(url)
            if anonymous.status_code != 200:  # a public file (the open data, a published notice) is anyone's
                leaks[url] = f"{response['Content-Type']}, {len(data)} bytes"
    assert refused >= 10 and answered >= 10, (refused, answered)  # both kinds of answer were read
    assert not leaks, leaks
