"""Every table a web page shows carries the `table` class (app.css styles header, borders and the phone's
scrolling by it): a bare <table> rendered as unstyled text — the contract panel's documents list showed its
headings run together. Print pages and PDFs (their own style sheets) are left out."""

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "kechuang"
TABLE = re.compile(r"<table(?P<attrs>[^>]*)>")


def _web_templates():
    for path in sorted(SRC.glob("*/templates/**/*.html")):
        rel = path.relative_to(SRC).as_posix()
        if "/pdf/" in rel or path.name.startswith("print_") or "/email/" in rel:
            continue
        yield rel, path.read_text(encoding="utf-8")


def test_every_web_table_has_the_table_class():
    bare = [
        f"{rel}: <table{m['attrs']}>"
        for rel, text in _web_templates()
        for m in TABLE.finditer(text)
        if not re.search(r'class="[^"]*\btable\b', m["attrs"])
    ]
    assert bare == []


def test_the_walker_sees_templates():
    assert sum(1 for _ in _web_templates()) > 100
