"""A crawler per role over the demo province: every page reachable by links answers without a server error
and holds nothing the Content-Security-Policy would refuse (inline handlers, style attributes, inline scripts
or styles without the nonce).

It starts from every URL pattern that takes no arguments and follows the links each page shows (same
site, GET only), visiting each URL shape once (numbers and ids folded), so detail pages of every kind are
reached with real demo objects. No page may answer 5xx; refusals (403/404) and redirects are fine.
"""

import io
import re
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlparse

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

USERS = [None, "staff", "commissioner", "expert1", "applicant", "operator"]
SKIP = re.compile(
    r"^/(admin/|i18n/|static/|media/|accounts/logout/|api/docs|api/redoc)|[?&](format|export|download)="
)
MAX_PAGES = 160


class _Links(HTMLParser):
    """The links of a page, and what in it the Content-Security-Policy would refuse (docs/security.md):
    an inline handler (on...=), a style attribute, a javascript: URL, or an inline <script>/<style> without
    the response's nonce."""

    def __init__(self, nonce: str = ""):
        super().__init__()
        self.links: list[str] = []
        self.nonce = nonce
        self.csp_problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs_d = dict(attrs)
        if tag == "a":
            href = attrs_d.get("href")
            if href:
                self.links.append(href)
        for name, value in attrs:
            if name.startswith("on") or name == "style" or (value or "").strip().startswith("javascript:"):
                self.csp_problems.append(f"<{tag} {name}=...>")
        data_block = attrs_d.get("type", "") in ("application/json", "application/ld+json")
        inline = (tag == "script" and "src" not in attrs_d and not data_block) or tag == "style"
        if inline and (not self.nonce or attrs_d.get("nonce") != self.nonce):
            self.csp_problems.append(f"<{tag}> without the response's nonce")


def _shape(path: str) -> str:
    path = re.sub(r"/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/", "/<uuid>/", path)
    path = re.sub(r"/\d+/", "/<n>/", path)
    return re.sub(r"\?.*$", "", path)


def _argless_paths() -> list[str]:
    paths = []

    def walk(patterns, prefix=""):
        for p in patterns:
            route = str(p.pattern)
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + route)
            elif isinstance(p, URLPattern):
                full = prefix + route
                if "<" in full or "(?P" in full or full.startswith("^"):
                    continue
                paths.append("/" + full.lstrip("^").rstrip("$"))

    walk(get_resolver().url_patterns)
    return sorted({p for p in paths if not SKIP.search(p)})


def _crawl(client: Client) -> tuple[dict[str, int], list[str]]:
    seen_shapes: set[str] = set()
    statuses: dict[str, int] = {}
    queue = _argless_paths() + ["/", "/dashboard/"]
    errors = []
    while queue and len(statuses) < MAX_PAGES:
        path = queue.pop(0)
        shape = _shape(path)
        if shape in seen_shapes or SKIP.search(path):
            continue
        seen_shapes.add(shape)
        response = client.get(path)
        statuses[path] = response.status_code
        if response.status_code >= 500:
            errors.append(f"{path} -> {response.status_code}")
            continue
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        nonce = re.search(r"'nonce-([^']+)'", response.get("Content-Security-Policy", ""))
        parser = _Links(nonce.group(1) if nonce else "")
        parser.feed(response.content.decode("utf-8", "replace"))
        errors.extend(f"{path}: CSP would refuse {p}" for p in sorted(set(parser.csp_problems)))
        for href in parser.links:
            url = urldefrag(urljoin(path, href))[0]
            parsed = urlparse(url)
            if parsed.scheme not in ("", "http") or parsed.netloc not in ("", "testserver"):
                continue
            target = parsed.path + (f"?{parsed.query}" if parsed.query else "")
            if _shape(target) not in seen_shapes:
                queue.append(target)
    return statuses, errors


@pytest.fixture(scope="module")
def demo_db(django_db_setup, django_db_blocker):
    """The demo province, loaded once for this module and flushed after it, so no other test sees it."""
    with django_db_blocker.unblock():
        call_command("demo", no_migrate=True, verbosity=0, stdout=io.StringIO())
        yield
        call_command("flush", interactive=False, verbosity=0)


@pytest.mark.parametrize("username", USERS)
def test_no_page_reachable_by_links_answers_5xx(demo_db, username):
    from kechuang.accounts.models import User

    client = Client(raise_request_exception=False)
    if username:
        client.force_login(User.objects.get(username=username))
    statuses, errors = _crawl(client)
    assert not errors, f"{username or 'anonymous'}: " + "; ".join(errors)
    ok = sorted(p for p, s in statuses.items() if s == 200)
    print(f"\n{username or 'anonymous'}: {len(statuses)} pages, {len(ok)} answered 200")
    assert len(ok) >= 3, statuses
