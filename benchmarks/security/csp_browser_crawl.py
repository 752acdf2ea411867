"""Visit every page reachable by links, as each demo role, in Chromium; report Content-Security-Policy
violations and any other console error. Charts are hovered so that their tooltips render.

    python benchmarks/security/csp_browser_crawl.py http://127.0.0.1:8765 [--max 120]

Needs a server on the demo province (`kechuang demo`, then `kechuang serve 127.0.0.1:8765`). Exit 1 on any
console error. The same policy is active in the test settings, so tests/browser/ catch violations too.
"""

import argparse
import re
import sys
from urllib.parse import urldefrag, urljoin, urlparse

from playwright.sync_api import sync_playwright

SKIP = re.compile(
    r"^/(i18n/|static/|media/|accounts/logout/)|[?&](format|export|download)=|/print|/export|/download"
    r"|\.(xlsx|csv|png|svg|pdf|zip|json|txt)$|/admin/logout/|/delete/"
)
ROLES = ["staff", "commissioner", "expert1", "applicant", "operator"]  # and --admin USER for /admin/


def shape(path: str) -> str:
    return re.sub(r"\?.*$", "", re.sub(r"/[^/]*\d[^/]*/", "/<n>/", path))


def crawl(page, base: str, limit: int, errors: list[str], start: list[str] | None = None) -> int:
    seen, queue, visited = set(), start or ["/", "/dashboard/", "/api/docs/"], 0
    while queue and visited < limit:
        path = queue.pop(0)
        if shape(path) in seen or SKIP.search(path):
            continue
        seen.add(shape(path))
        try:
            response = page.goto(base + path)
        except Exception as exc:  # a download or a navigation that is not a page
            print(f"  skipped {path}: {str(exc).splitlines()[0]}")
            continue
        visited += 1
        if response is None or "text/html" not in (response.headers.get("content-type") or ""):
            continue
        page.wait_for_load_state("networkidle")
        for canvas in page.locator("canvas").all()[:3]:
            box = canvas.bounding_box()
            if box:
                page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
                page.wait_for_timeout(150)
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))"):
            url = urldefrag(urljoin(base + path, href))[0]
            parsed = urlparse(url)
            if parsed.netloc != urlparse(base).netloc:
                continue
            target = parsed.path + (f"?{parsed.query}" if parsed.query else "")
            if shape(target) not in seen:
                queue.append(target)
    return visited


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("--max", type=int, default=120)
    parser.add_argument("--password", default="kechuang-demo-2026")
    parser.add_argument(
        "--admin", default="", help="a superuser (same password) whose crawl starts at /admin/"
    )
    args = parser.parse_args()
    total, errors = 0, []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        for role in [None, *ROLES, *([args.admin] if args.admin else [])]:
            context = browser.new_context(locale="zh-CN")
            page = context.new_page()
            page.on(
                "console",
                lambda m, p=page: (
                    m.type == "error"
                    and "status of 40" not in m.text
                    and errors.append(f"{p.url}: {m.text[:300]}")
                ),
            )
            page.on("pageerror", lambda exc, p=page: errors.append(f"{p.url}: page error {exc}"))
            if role:
                page.goto(args.base + "/accounts/login/")
                page.fill("#id_username", role)
                page.fill("#id_password", args.password)
                page.click("main button[type=submit]")
                page.wait_for_load_state()
            start = ["/admin/"] if role and role == args.admin else None
            visited = crawl(page, args.base, args.max, errors, start)
            total += visited
            print(f"{role or 'anonymous'}: {visited} pages", flush=True)
            context.close()
        browser.close()
    print(f"{total} pages, {len(errors)} console errors")
    for e in errors:
        print("  " + e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
