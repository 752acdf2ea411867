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
- `home_code()` — the department's own province (the deployment's `KECHUANG_HOME_REGION`), read at each call.
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from .language import english as _is_english
from .language import local_name

DATA = Path(__file__).resolve().parent / "data" / "gbt2260_provinces.csv"
CITY_DATA = DATA.with_name("gbt2260_cities.csv")

# Why a value is refused (a form, an import row, the API), with `value` what was sent.
UNKNOWN_MSGID = gettext_noop(
    "“%(value)s”不是省级行政区：请在列表中按名称选择省份（可写中文名称、简称、英文名称或六位行政区划代码）。"
)
UNKNOWN = gettext_lazy(UNKNOWN_MSGID)
UNKNOWN_CITY_MSGID = gettext_noop("“%(value)s”不是地级行政区：请先选省份，再在列表中按名称选择城市。")
UNKNOWN_CITY = gettext_lazy(UNKNOWN_CITY_MSGID)
CITY_NOT_IN_PROVINCE_MSGID = gettext_noop("%(city)s不在%(province)s：请在该省份的城市中选择。")
CITY_NOT_IN_PROVINCE = gettext_lazy(CITY_NOT_IN_PROVINCE_MSGID)

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

    @property
    def province_code(self) -> str:
        """The provincial-level division this one is part of (itself for a province)."""
        return self.code[:2] + "0000"


def _read(path: Path) -> dict[str, Province]:
    with path.open(encoding="utf-8", newline="") as f:
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


@functools.cache
def table() -> dict[str, Province]:
    """Every provincial-level division by code, in the standard's order (read once per process)."""
    return _read(DATA)


@functools.cache
def city_table() -> dict[str, Province]:
    """Every prefecture-level division (地级行政区: cities, prefectures, autonomous prefectures, leagues) by
    code, in the standard's order (core/data/gbt2260_cities.csv, read once per process)."""
    return _read(CITY_DATA)


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


def home_code() -> str:
    """The department's own province (settings.KECHUANG_HOME_REGION, docs/deployment.md) as a code: a province
    named by code or name becomes its GB/T 2260 code; another value (a region code of the indicators' list that
    is no province) is returned as written; "" when set empty. Read at each call, so a test's override holds."""
    from django.conf import settings

    raw = str(getattr(settings, "KECHUANG_HOME_REGION", "") or "").strip()
    return resolve(raw) or raw


def name(code, *, english: bool | None = None) -> str:
    """The division's name in the active language ("" for a code not in the list)."""
    p = get(code)
    return p.name(english) if p else ""


def is_flagged(value) -> bool:
    """A stored value that is not a division of the list (kept from before the list, for staff to fix)."""
    value = str(value or "").strip()
    return bool(value) and value not in table()


def _shown(value, find, flagged: str, english: bool | None) -> str:
    """What a person reads for a stored province or city: the division `find(value)` gives, by its name in
    their language; "" for none; a value from before the list that names no division as typed, flagged
    (`flagged`, a sentence with %(value)s) for staff to correct."""
    value = str(value or "").strip()
    if not value:
        return ""
    found = find(value)
    if found is not None:
        return found.name(english)
    return flagged % {"value": value}


def label(value, *, english: bool | None = None) -> str:
    """What a person reads for a stored province (a code): its name in their language, "" for none, and a
    value from before the list that names no division as typed, flagged for staff to correct."""
    return _shown(value, get, _("%(value)s（未识别的省份，请更正）"), english)


def choices(*, english: bool | None = None) -> list[tuple[str, str]]:
    """(code, name) of every division, in the standard's order, for a list to pick from."""
    return [(p.code, p.name(english)) for p in table().values()]


def normalise(value) -> str:
    """The code for a value that names a division; any other value unchanged (stripped)."""
    value = str(value or "").strip()
    return resolve(value) or value


def unknown_message(value) -> str:
    return str(UNKNOWN) % {"value": value}


# --- prefecture-level divisions (地级行政区) ------------------------------------------------------------------------


def city(code) -> Province | None:
    return city_table().get(str(code or "").strip())


def cities(province=None) -> list[Province]:
    """The prefecture-level divisions of `province` (a code or any name `resolve` reads), or all of them."""
    if province in (None, ""):
        return list(city_table().values())
    code = resolve(province)
    return [c for c in city_table().values() if code and c.province_code == code]


def division_name(code, *, english: bool | None = None) -> str:
    """What a GB/T 2260 code names, as near as the lists know it, in the reader's language: the city and its
    province ("山西省太原市" / "Taiyuan, Shanxi") for a prefecture-level code or a county under it, the
    province for a province's code or for a county of a city the list does not hold (a municipality's
    district reads as the municipality); "" for a code of no known province."""
    code = str(code or "").strip()
    if not re.fullmatch(r"\d{6}", code):
        return ""
    province = get(code[:2] + "0000")
    if province is None:
        return ""
    prefecture = city(code[:4] + "00")
    if prefecture is None:
        return province.name(english)
    if english is None:
        english = _is_english()
    if english:
        return f"{prefecture.name_en}, {province.name_en}"
    return province.name_zh + prefecture.name_zh


_EN_CITY_SUFFIX = re.compile(r"\s+(?:city|prefecture|league)$", re.I)


@functools.cache
def _cities_by_name() -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for c in city_table().values():
        keys = {c.code, c.name_zh, c.short_zh, c.name_en, *c.aliases}
        keys.add(re.sub(r"\s+(?:autonomous\s+prefecture|prefecture|league)$", "", c.name_en, flags=re.I))
        if c.name_en.endswith("Autonomous Prefecture"):
            keys.add(c.name_en.split(" ")[0])  # Linxia for Linxia Hui Autonomous Prefecture
        for key in keys:
            codes = out.setdefault(key.lower(), [])
            if c.code not in codes:
                codes.append(c.code)
    return {k: tuple(v) for k, v in out.items()}


def resolve_city(text, province=None) -> str | None:
    """The code of the prefecture-level division `text` names (code, full or short Chinese name, English name
    or another spelling, any case), within `province` when given (a code or name); None when it names none,
    or more than one and no province tells them apart (Taizhou, Suzhou)."""
    raw = re.sub(r"\s+", " ", str(text or "")).strip()
    if not raw:
        return None
    key = raw.lower()
    found = _cities_by_name().get(key) or _cities_by_name().get(_EN_CITY_SUFFIX.sub("", key), ())
    if province not in (None, ""):
        within = resolve(province)
        found = tuple(c for c in found if c[:2] + "0000" == within)
    return found[0] if len(found) == 1 else None


# --- a record's city: stored as the division's full Chinese name ----------------------------------------------------
# A unit's or a platform's city is kept as the prefecture-level division's Chinese name (太原市), as most records
# typed it before the list, so that the review's same-city rule, exports and the API read it as before; a
# municipality (and Hong Kong, Macao, Taiwan), which has no prefecture-level division, is its own city (北京市).
# A value from before the list that names none is kept as typed and shown flagged until staff pick the city.


def city_options(province) -> list[Province]:
    """The cities a record in `province` (a code or name) may be in: its prefecture-level divisions, or the
    province itself for a municipality; [] for no or an unknown province."""
    code = resolve(province) if province not in (None, "") else None
    if code is None:
        return []
    return cities(code) or [get(code)]


def _city_entry(value, province=None) -> Province | None:
    value = str(value or "").strip()
    if not value:
        return None
    code = resolve_city(value, province)
    if code is not None:
        return city(code)
    # a municipality's own name (北京, 北京市, Beijing), within it or with no province given
    found = get(resolve(value))
    within = province in (None, "") or (found is not None and resolve(province) == found.code)
    if found is not None and not cities(found.code) and within:
        return found
    return None


def city_normalise(value, province=None) -> str:
    """The stored form of a city: the division's full Chinese name when `value` names one (of `province` when
    given: a code or name, in any language), else `value` as typed (stripped)."""
    found = _city_entry(value, province)
    return found.name_zh if found is not None else str(value or "").strip()


def city_in_province(value, province) -> bool:
    """`value` names a city of `province` (a municipality: itself)."""
    return _city_entry(value, province) is not None


def city_province(value) -> str:
    """The code of the province a stored city lies in ("" when it names no division): what a form that keeps
    only the city shows chosen in its province list."""
    found = _city_entry(value)
    return found.province_code if found is not None else ""


def city_is_flagged(value) -> bool:
    """A stored city that names no division of the lists (kept from before them, for staff to fix)."""
    return bool(str(value or "").strip()) and _city_entry(value) is None


def city_label(value, *, english: bool | None = None) -> str:
    """What a person reads for a stored city: as `label` reads a province (the same helper)."""
    return _shown(value, _city_entry, _("%(value)s（未识别的城市，请更正）"), english)


def city_shown(value, *, english: bool | None = None) -> str:
    """A city as stored or as typed (太原市, 晋中) by its name in the reader's language where it names a division
    (Taiyuan, Jinzhong), else as written; on a Chinese page as written. For words that only report a value
    (the audit trail, a change request's table), where `city_label`'s request to correct it has no place."""
    if not (_is_english() if english is None else english):
        return str(value or "")
    found = _city_entry(value)
    return found.name(True) if found is not None else str(value or "")


def city_choices(*, english: bool | None = None) -> list:
    """Every city by name, grouped by province (an optgroup each, named as `choices` names the province), for
    a list narrowed to the chosen province on the page: a municipality's group holds the municipality."""
    return [
        (p.name(english), [(c.name_zh, c.name(english)) for c in city_options(p.code)])
        for p in table().values()
    ]


def city_problem(value, province=None, *, held=None):
    """Why an imported city is refused (a core.messages.Message, read in the reader's language), or None: a
    city that names no division (unless `held(value)`: a record's own value from before the list, as
    exported), or one of another province than the row's."""
    from .messages import Division, Message

    value = str(value or "").strip()
    if not value:
        return None
    if province and get(resolve(province) or "") is not None and city_in_province(value, province):
        return None  # a name two provinces share (Taizhou) is a city of the row's province
    if city_is_flagged(value):
        if held is not None and held(value):
            return None
        return Message(UNKNOWN_CITY_MSGID, value=value)
    if province and get(resolve(province) or "") is not None and not city_in_province(value, province):
        return Message(CITY_NOT_IN_PROVINCE_MSGID, city=value, province=Division(resolve(province)))
    return None
