"""Browser tests: Playwright driving Debian's Chromium (/usr/bin/chromium; no browser download).

Screenshots of every page visited go to artifacts/screenshots/ (kept by CI), named
`<test>-<nn>-<who>-<step>.png` in the order they were taken. A console error or an uncaught page error on
any page fails the test, and so does a page that was visited but never photographed, or a page where two
elements share an id. A failing test leaves
a last screenshot of every open browser, named `...-FAILED.png`.
"""

import contextlib
import json
import os
import re
import shutil
import time
from pathlib import Path

import pytest

from kechuang.conftest import *  # noqa: F403

CHROMIUM = os.environ.get("KECHUANG_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
PASSWORD = "correct-horse-battery"  # the factories' password


@pytest.fixture(scope="session")
def browser():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        if os.environ.get("KECHUANG_REQUIRE_BROWSER") == "1":
            pytest.fail(f"Chromium is required (KECHUANG_REQUIRE_BROWSER=1) but not found at {CHROMIUM}")
        pytest.skip("Chromium not installed (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; the tests still call the ORM synchronously.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


DUPLICATE_IDS = """() => {
  const seen = {}, dupes = [];
  for (const el of document.querySelectorAll('[id]')) {
    if (seen[el.id] && !dupes.includes(el.id)) dupes.push(el.id);
    seen[el.id] = true;
  }
  return dupes;
}"""


# What a person does with their hands, counted in the page (issue #13: the clicks per journey): a click
# (a button, a link, a box ticked, a picker opened or an option chosen), a key pressed, a field typed into
# (Playwright's fill types a whole value: one per field) and a choice made in a select. Only the person's
# events count (`isTrusted`), plus a select changed (Playwright sets a select's value from the page).
COUNT_ACTIONS = """(() => {
  const send = (kind) => { if (window.__kcAct) { window.__kcAct(kind).catch(() => {}); } };
  document.addEventListener("click", (e) => { if (e.isTrusted) send("clicks"); }, true);
  document.addEventListener("keydown", (e) => { if (e.isTrusted) send("keys"); }, true);
  document.addEventListener("input", (e) => {
    if (e.isTrusted && e.inputType === "insertText" && !e.target.__kcTyped) { e.target.__kcTyped = true; send("fields"); }
  }, true);
  document.addEventListener("change", (e) => {
    if (e.target && e.target.tagName === "SELECT") { send("choices"); }
    if (e.target) { e.target.__kcTyped = false; }
  }, true);
})();"""
ACTIONS = ("clicks", "keys", "fields", "choices")
JOURNEYS = Path(__file__).resolve().parents[2] / "artifacts" / "journeys.json"


def new_page(context):
    page = context.new_page()
    page.set_default_timeout(10_000)  # a step that waits longer than this is broken, not slow
    return page


class Record:
    """What one test's browsers saw: console errors, screenshots, pages visited and not photographed."""

    def __init__(self, name: str):
        self.name = name
        self.errors: list[str] = []
        self.allowed: list[str] = []  # console errors a test provokes on purpose (e.g. "status of 403")
        self.shots = 0
        self.visited: list[str] = []  # every page (main-frame navigation) in order
        self.unshot: list[str] = []  # pages left without a screenshot
        self.people: list[Pages] = []
        self.actions = dict.fromkeys(ACTIONS, 0)  # what the people did with their hands (COUNT_ACTIONS)
        self.started = time.monotonic()
        for old in ARTIFACTS.glob(f"{name}-*.png"):  # a re-run replaces this test's pictures
            old.unlink()


def sign_in_address(name: str) -> str:
    """What a person types to sign in: the account's e-mail address (the login name when it has none)."""
    from kechuang.accounts.models import User

    if "@" in name:
        return name
    email = User.objects.filter(username=name).values_list("email", flat=True).first()
    return email or name


class Pages:
    """One person's browser: records console errors and takes a screenshot of every page it visits.

    `person("expert")` opens another person's browser (its own cookies) that shares this test's record, so
    a journey of several people keeps one numbered sequence of screenshots.
    """

    def __init__(self, page, base_url: str, record: Record, who: str = ""):
        self.page = page
        self.base_url = base_url
        self.record = record
        self.who = who
        self._pending: str | None = None  # the page shown now, until it is photographed
        record.people.append(self)
        page.on("console", self._console)
        page.on("pageerror", lambda exc: record.errors.append(f"page error ({who}): {exc}"))
        page.on("framenavigated", self._navigated)
        page.expose_function("__kcAct", self._act)
        page.add_init_script(COUNT_ACTIONS)

    def _act(self, kind: str) -> None:
        if kind in self.record.actions:
            self.record.actions[kind] += 1

    # Shared with the record (older tests read pages.errors / pages.allowed / pages.shots).
    @property
    def errors(self) -> list[str]:
        return self.record.errors

    @property
    def allowed(self) -> list[str]:
        return self.record.allowed

    @property
    def shots(self) -> int:
        return self.record.shots

    def person(self, who: str) -> "Pages":
        context = self.page.context.browser.new_context(
            locale="zh-CN", viewport={"width": 1280, "height": 900}
        )
        return Pages(new_page(context), self.base_url, self.record, who)

    def _console(self, msg):
        if msg.type == "error" and not any(a in msg.text for a in self.allowed):
            self.errors.append(f"console {msg.type} ({self.who}) on {self.page.url}: {msg.text}")

    def _navigated(self, frame):
        if frame != self.page.main_frame:
            return
        if self._pending is not None:
            self.record.unshot.append(self._pending)
        self._pending = frame.url
        self.record.visited.append(frame.url)

    def path(self) -> str:
        return self.page.url.removeprefix(self.base_url)

    def goto(self, path: str, step: str = ""):
        response = self.page.goto(self.base_url + path)
        self.shot(step or path)
        return response

    def shot(self, label: str):
        """A full-page screenshot named by the journey step (or the path when no step is given)."""
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.record.shots += 1
        safe = "".join(c if c.isalnum() or c == "-" else "_" for c in label).strip("_") or "root"
        who = f"{self.who}-" if self.who else ""
        dupes = self.page.evaluate(DUPLICATE_IDS)
        if dupes:  # two fields with one id: a label that focuses the wrong field, a test that fills it
            self.record.errors.append(f"duplicate ids ({self.who}) on {self.page.url}: {dupes}")
        path = ARTIFACTS / f"{self.record.name}-{self.record.shots:02d}-{who}{safe}.png"
        for attempt in range(4):
            try:
                # The last try photographs the viewport only, a smaller capture: under load headless
                # Chromium refused a full-page capture three times running (session 21's CI4).
                self.page.screenshot(path=str(path), full_page=attempt < 3)
                break
            except Exception as exc:
                # Headless Chromium now and then refuses a capture of a page in a background context.
                if "Unable to capture screenshot" not in str(exc) or attempt == 3:
                    raise
                self.page.bring_to_front()
                self.page.wait_for_timeout(250 * (attempt + 1))
        self._pending = None

    def click(self, target, step: str):
        """Click a link or a button (a selector or a Locator) that leads to a new page; photograph it."""
        locator = self.page.locator(target) if isinstance(target, str) else target
        with self.page.expect_navigation():
            locator.click()
        self.page.wait_for_load_state()
        self.shot(step)

    def nav(self, item: str, step: str):
        """Follow a top-bar menu item, opening its drop-down group first when it sits in one."""
        link = self.page.locator(".mainnav a").filter(has_text=re.compile(f"^{re.escape(item)}$"))
        if not link.is_visible():
            link.locator("xpath=ancestor::details[1]/summary").click()
        self.click(link, step)

    def login(self, username: str, password: str = PASSWORD, here: bool = False):
        """Sign in on the login page (then the dashboard shows); `here`: through the top bar's 登录 link of
        the page shown now, which brings the user back to that page. The person types their e-mail address, as
        people do (docs/adr/0017): the test names them by the account's login name, and this types its address."""
        link = self.page.locator(".usermenu a", has_text="登录")
        if here and link.count():
            self.click(link, f"login-page-{username}")
        else:
            self.goto("/accounts/login/")
        self.page.fill("#id_username", sign_in_address(username))
        self.page.fill("#id_password", password)
        self.click("main button[type=submit]", f"after-login-{username}")

    def messages(self) -> str:
        """The flash messages shown on the page (success and error)."""
        box = self.page.locator("ul.messages")
        return box.inner_text() if box.count() else ""


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture
def pages(browser, live_server, request):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    record = Record(request.node.name)
    helper = Pages(new_page(context), live_server.url, record)
    yield helper
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for person in record.people:
        if failed:
            with contextlib.suppress(Exception):  # a closed page must not hide the test's own failure
                person.shot("FAILED")
        elif person._pending is not None:
            record.unshot.append(person._pending)
        person.page.context.close()
    # What the test saw, beside its pictures (benchmarks/RESULTS.md §7 reads these).
    (ARTIFACTS / f"{record.name}.json").write_text(
        json.dumps(
            {
                "test": record.name,
                "passed": not failed,
                "people": [p.who for p in record.people],
                "pages_visited": len(record.visited),
                "screenshots": record.shots,
                "console_errors": len(record.errors),
                "seconds": round(time.monotonic() - record.started, 1),
                **record.actions,
            },
            ensure_ascii=False,
        )
    )
    if not failed:  # the table of every journey run so far: what people did per journey (issue #13)
        _write_journey(record)
    assert not record.errors, "\n".join(record.errors)
    if not failed:
        assert not record.unshot, "pages visited without a screenshot:\n" + "\n".join(record.unshot)


def _write_journey(record: Record) -> None:
    """Add (or replace) this test's row of artifacts/journeys.json: clicks, keys, fields typed, choices
    made and pages seen per journey (benchmarks/RESULTS.md §7 quotes them)."""
    table = {}
    with contextlib.suppress(FileNotFoundError, ValueError):
        table = json.loads(JOURNEYS.read_text(encoding="utf-8"))
    table[record.name] = {**record.actions, "pages": len(record.visited), "people": len(record.people)}
    JOURNEYS.parent.mkdir(parents=True, exist_ok=True)
    JOURNEYS.write_text(json.dumps(table, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
