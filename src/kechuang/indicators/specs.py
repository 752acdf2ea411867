"""The frameworks shipped as data (frameworks/<code>-<edition>.json), read without the database."""

import json
from pathlib import Path

from django.utils.translation import gettext_lazy

from .engine.steps import listed
from .formulas import FormulaError

FRAMEWORK_DIR = Path(__file__).resolve().parent / "frameworks"
EIS_DATA = Path(__file__).resolve().parent / "data" / "eis2023_level0.csv.gz"


def shipped_specs() -> list[dict]:
    """Every shipped framework spec, by code then edition."""
    specs = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(FRAMEWORK_DIR.glob("*.json"))]
    return sorted(specs, key=lambda s: (s["code"], s["edition"]))


def shipped_spec(code: str, edition: str | None = None) -> dict:
    """The shipped spec of framework `code` (its newest edition unless `edition` is given)."""
    matches = [
        s for s in shipped_specs() if s["code"] == code and (edition is None or s["edition"] == edition)
    ]
    if not matches:
        known = sorted({s["code"] for s in shipped_specs()})
        raise FormulaError(gettext_lazy("没有框架 {code}（可用：{known}）。"), code=code, known=listed(known))
    return matches[-1]
