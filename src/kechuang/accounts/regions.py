"""Administrative divisions (行政区划, GB/T 2260) a unit is placed in: read from its unified social credit code,
or picked by name from a list; never typed.

Characters 3-8 of an 18-character unified social credit code (GB 32100-2015) are the division code of the
authority that registered the unit, so a unit with a code needs no other input. A unit without one (many
universities, hospitals and departments have none recorded here) is placed by staff from the list: every
provincial-level division with its prefecture-level divisions (core.divisions, the one source of both lists:
core/data/gbt2260_provinces.csv and gbt2260_cities.csv). A code below the prefecture level (a district, a
county) is shown by the nearest division the lists name.

Pure: no database.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kechuang.core import divisions
from kechuang.core.messages import Division, Message

from .validators import REGION_CODE, is_valid_credit_code


def is_region_code(value: str) -> bool:
    """Six digits, as GB/T 2260 writes a division."""
    return bool(REGION_CODE.match(value or ""))


def is_listed(code: str) -> bool:
    """A code the list offers: a provincial-level or a prefecture-level division."""
    return divisions.get(code) is not None or divisions.city(code) is not None


def region_from_credit_code(credit_code: str) -> str:
    """The division code in a valid unified social credit code (its characters 3-8); "" when there is no
    valid code to read it from."""
    code = (credit_code or "").strip().upper()
    return code[2:8] if is_valid_credit_code(code) else ""


def region_name(code: str) -> str:
    """The division's name in the active language, as near as the list knows it: 山西省太原市 for 140100 and
    for a district under it (140105), 江苏省 for a code of Jiangsu below a city the list does not hold, "" for
    a code of no known province (core.divisions.division_name)."""
    return divisions.division_name(code) if is_region_code(code) else ""


# The country as a whole, as the indicator tables name it.
_COUNTRY = {"全国": "China", "中国": "China"}


def english_name(code: str = "", name: str = "") -> str:
    """The division's official English name (杭州市 -> Hangzhou, 甘肃省 -> Gansu), by its GB/T 2260 code or its
    Chinese name (with or without 省/市/自治区); "" for a division the lists do not hold: a name a person typed
    is not put into English by guess (a reading of its characters may be wrong: 长治 is Changzhi), and it is
    shown as typed."""
    name = (name or "").strip()
    if name in _COUNTRY:
        return _COUNTRY[name]
    code = (code or "").strip()
    found = divisions.get(code) or divisions.city(code)
    if found is None and name:
        found = divisions.get(divisions.resolve(name)) or divisions.city(divisions.resolve_city(name))
    return found.name_en if found is not None else ""


def region_choices() -> list:
    """The list staff pick a unit's division from, by name: one group per province, the province itself
    first, then its prefecture-level divisions (a <select> with optgroups)."""
    groups = []
    for p in divisions.provinces():
        options = [(p.code, _("%(province)s（省级）") % {"province": p.name()})]
        options += [(c.code, c.name()) for c in divisions.cities(p.code)]
        groups.append((p.name(), options))
    return [("", _("— 请选择（有统一社会信用代码的单位不必选择）—")), *groups]


def region_label(code: str) -> str:
    """What a person reads for a stored division: its name, or, for a code the lists cannot place, a flag for
    staff to pick it again (never the code itself)."""
    return region_name(code) or (_("未能识别的地区，请重新选择") if code else "")


DISAGREES = gettext_noop(
    "所在地区“%(given)s”与统一社会信用代码登记的地区“%(derived)s”不一致；留空即由信用代码得出。"
)


def region_disagrees(given: str, derived: str) -> Message:
    """Why a division given beside a credit code is refused: both divisions by name, in the reader's language
    when read (a Message; the given one as written when it names no division)."""
    return Message(DISAGREES, given=Division(given), derived=Division(derived))
