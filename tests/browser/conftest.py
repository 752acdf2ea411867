"""Browser tests: Playwright driving Debian's Chromium (/usr/bin/chromium; no browser download).

Screenshots of every page visited go to artifacts/screenshots/ (kept by CI). A console error or an uncaught
page error on any page fails the test.
"""

import os
import shutil
from pathlib import Path

import pytest

from kechuang.conftest import *  # noqa: F403

CHROMIUM = os.environ.get("KECHUANG_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


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


class Pages:
    """A browser page that records console errors and takes a screenshot of every page it visits."""

    def __init__(self, page, base_url: str, name: str):
        self.page = page
        self.base_url = base_url
        self.name = name
        self.errors: list[str] = []
        self.allowed: list[str] = []  # console errors a test provokes on purpose (e.g. "status of 403")
        self.shots = 0
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))

    def _console(self, msg):
        if msg.type == "error" and not any(a in msg.text for a in self.allowed):
            self.errors.append(f"console {msg.type} on {self.page.url}: {msg.text}")

    def goto(self, path: str):
        response = self.page.goto(self.base_url + path)
        self.shot(path)
        return response

    def shot(self, label: str):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.shots += 1
        safe = "".join(c if c.isalnum() else "_" for c in label).strip("_") or "root"
        self.page.screenshot(path=str(ARTIFACTS / f"{self.name}-{self.shots:02d}-{safe}.png"), full_page=True)

    def login(self, username: str, password: str = "correct-horse-battery"):
        self.goto("/accounts/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", password)
        self.page.click("main button[type=submit]")
        self.page.wait_for_load_state()
        self.shot(f"after-login-{username}")


@pytest.fixture
def pages(browser, live_server, request):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    helper = Pages(page, live_server.url, request.node.name)
    yield helper
    context.close()
    assert not helper.errors, "\n".join(helper.errors)
