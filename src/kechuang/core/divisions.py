"""China's provincial-level divisions (省级行政区, GB/T 2260): codes and names, read-only.

Platforms and units store a province as its GB/T 2260 *code* (``140000``); people pick it by name from a list
and read it by name in their language (山西省 / Shanxi). The list is the standard's, not something an
administrator edits: it ships as data (core/data/gbt2260_provinces.csv: all 34 provincial-level divisions with
their Chinese name, the short form reports write, the official English name and other spellings an import may
carry; see core/data/SOURCE.md) and is read once per process.

A value stored before the list (free text that named no division, e.g. 晋中 typed into the province box) is
kept as it was and shown flagged (`label`: "晋中（未识别的省份，请更正）") until staff pick the province.

- `resolve(text)` — the code a person meant by a code (``140000`` or ``14``), a name (山西省, 山西), an English
  name (Shanxi, "Shanxi Province"), in any case; None when it names no division.
- `get(code)`, `provinces()`, `name(code)`, `label(value)` (name or flagged text), `choices()` (code, name).
- `is_flagged(value)` — a stored value that is not a code of the list.
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from .language import local_name

DATA = Path(__file__).resolve().parent / "data" / "gbt2260_provinces.csv"

# Why a value is refused (a form, an import row, the API), with `value` what was sent.
UNKNOWN_MSGID = gettext_noop(
    "“%(value)s”不是省级行政区：请在列表中按名称选择省份（可写中文名称、简称、英文名称或六位行政区划代码）。"
)
UNKNOWN = gettext_lazy(UNKNOWN_MSGID)

# English forms that follow a name in tables and letters ("Shanxi Province", "Beijing Municipality").
_EN_SUFFIX = re.compile(
    r"\s+(?:province|municipality|city|autonomous\s+region|special\s+administrative\s+region|sar)$", re.I
)


@dataclass(frozen=True)
class Province:
    code: str
    name_zh: str
    short_zh: str
    name_en: str
    aliases: tuple[str, ...] = ()

    def name(self, english: bool | None = None) -> str:
        return local_name(self.name_zh, self.name_en, english=english)


@functools.cache
def table() -> dict[str, Province]:
    """Every provincial-level division by code, in the standard's order (read once per process)."""
    with DATA.open(encoding="utf-8", newline="") as f:
        rows = [
            Province(
                r["code"],
                r["name_zh"],
                r["short_zh"],
                r["name_en"],
                tuple(a.strip() for a in (r["aliases"] or "").split(";") if a.strip()),
            )
            for r in csv.DictReader(f)
        ]
    return {p.code: p for p in rows}


def provinces() -> list[Province]:
    return list(table().values())


def get(code) -> Province | None:
    return table().get(str(code or "").strip())


@functools.cache
def _by_name() -> dict[str, str]:
    out: dict[str, str] = {}
    for p in table().values():
        for key in (p.code, p.name_zh, p.short_zh, p.name_en, *p.aliases):
            out.setdefault(key.lower(), p.code)
        out.setdefault(p.name_en.split(" (")[0].lower(), p.code)
    return out


def resolve(text) -> str | None:
    """The code of the division `text` names (code, Chinese name or short form, English name or another
    spelling of it, any case, surrounding spaces ignored); None when it names none."""
    raw = re.sub(r"\s+", " ", str(text or "")).strip()
    if not raw:
        return None
    key = raw.lower()
    found = _by_name().get(key) or _by_name().get(key.replace(" ", ""))
    if found is None:
        found = _by_name().get(_EN_SUFFIX.sub("", key))
    return found


def name(code, *, english: bool | None = None) -> str:
    """The division's name in the active language ("" for a code not in the list)."""
    p = get(code)
    return p.name(english) if p else ""


def is_flagged(value) -> bool:
    """A stored value that is not a division of the list (kept from before the list, for staff to fix)."""
    value = str(value or "").strip()
    return bool(value) and value not in table()


def label(value, *, english: bool | None = None) -> str:
    """What a person reads for a stored value: the division's name in their language, "" for none, and a
    value from before the list that names no division as typed, flagged for staff to correct."""
    value = str(value or "").strip()
    if not value:
        return ""
    p = get(value)
    if p is not None:
        return p.name(english)
    return _("%(value)s（未识别的省份，请更正）") % {"value": value}


def choices(*, english: bool | None = None) -> list[tuple[str, str]]:
    """(code, name) of every division, in the standard's order, for a list to pick from."""
    return [(p.code, p.name(english)) for p in table().values()]


def normalise(value) -> str:
    """The code for a value that names a division; any other value unchanged (stripped)."""
    value = str(value or "").strip()
    return resolve(value) or value


def unknown_message(value) -> str:
    return str(UNKNOWN) % {"value": value}
