"""Administrative divisions (行政区划, GB/T 2260) a unit is placed in: read from its unified social credit code,
or picked by name from a short list; never typed.

Characters 3-8 of an 18-character unified social credit code (GB 32100-2015) are the division code of the
authority that registered the unit, so a unit with a code needs no other input. A unit without one (many
universities, hospitals and departments have none recorded here) is placed by staff from `REGIONS`: every
province-level division and the prefecture-level divisions of Shanxi (the department's province) and of
Gansu (units of the demo), the codes GB/T 2260 gives them (the same prefixes as core.gendata_words). A code
outside the list (a district, another province's city) is shown by the nearest division the list names.

Pure: no database.
"""

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .validators import REGION_CODE, is_valid_credit_code

# Province-level divisions: GB/T 2260 code → name.
PROVINCES = {
    "110000": gettext_lazy("北京市"),
    "120000": gettext_lazy("天津市"),
    "130000": gettext_lazy("河北省"),
    "140000": gettext_lazy("山西省"),
    "150000": gettext_lazy("内蒙古自治区"),
    "210000": gettext_lazy("辽宁省"),
    "220000": gettext_lazy("吉林省"),
    "230000": gettext_lazy("黑龙江省"),
    "310000": gettext_lazy("上海市"),
    "320000": gettext_lazy("江苏省"),
    "330000": gettext_lazy("浙江省"),
    "340000": gettext_lazy("安徽省"),
    "350000": gettext_lazy("福建省"),
    "360000": gettext_lazy("江西省"),
    "370000": gettext_lazy("山东省"),
    "410000": gettext_lazy("河南省"),
    "420000": gettext_lazy("湖北省"),
    "430000": gettext_lazy("湖南省"),
    "440000": gettext_lazy("广东省"),
    "450000": gettext_lazy("广西壮族自治区"),
    "460000": gettext_lazy("海南省"),
    "500000": gettext_lazy("重庆市"),
    "510000": gettext_lazy("四川省"),
    "520000": gettext_lazy("贵州省"),
    "530000": gettext_lazy("云南省"),
    "540000": gettext_lazy("西藏自治区"),
    "610000": gettext_lazy("陕西省"),
    "620000": gettext_lazy("甘肃省"),
    "630000": gettext_lazy("青海省"),
    "640000": gettext_lazy("宁夏回族自治区"),
    "650000": gettext_lazy("新疆维吾尔自治区"),
}

# Prefecture-level divisions of the provinces the site serves: GB/T 2260 code → name.
CITIES = {
    "140100": gettext_lazy("太原市"),
    "140200": gettext_lazy("大同市"),
    "140300": gettext_lazy("阳泉市"),
    "140400": gettext_lazy("长治市"),
    "140500": gettext_lazy("晋城市"),
    "140600": gettext_lazy("朔州市"),
    "140700": gettext_lazy("晋中市"),
    "140800": gettext_lazy("运城市"),
    "140900": gettext_lazy("忻州市"),
    "141000": gettext_lazy("临汾市"),
    "141100": gettext_lazy("吕梁市"),
    "620100": gettext_lazy("兰州市"),
    "620200": gettext_lazy("嘉峪关市"),
    "620300": gettext_lazy("金昌市"),
    "620400": gettext_lazy("白银市"),
    "620500": gettext_lazy("天水市"),
    "620600": gettext_lazy("武威市"),
    "620700": gettext_lazy("张掖市"),
    "620800": gettext_lazy("平凉市"),
    "620900": gettext_lazy("酒泉市"),
    "621000": gettext_lazy("庆阳市"),
    "621100": gettext_lazy("定西市"),
    "621200": gettext_lazy("陇南市"),
    "622900": gettext_lazy("临夏回族自治州"),
    "623000": gettext_lazy("甘南藏族自治州"),
}

REGIONS = {**PROVINCES, **CITIES}


def is_region_code(value: str) -> bool:
    """Six digits, as GB/T 2260 writes a division."""
    return bool(REGION_CODE.match(value or ""))


def region_from_credit_code(credit_code: str) -> str:
    """The division code in a valid unified social credit code (its characters 3-8); "" when there is no
    valid code to read it from."""
    code = (credit_code or "").strip().upper()
    return code[2:8] if is_valid_credit_code(code) else ""


def region_name(code: str) -> str:
    """The division's name in the active language, as near as the list knows it: 山西省太原市 for 140100 and
    for a district under it (140105), 江苏省 for any code of Jiangsu, "" for a code of no known province."""
    if not is_region_code(code):
        return ""
    province = PROVINCES.get(code[:2] + "0000")
    if province is None:
        return ""
    city = CITIES.get(code[:4] + "00")
    if city is None:
        return str(province)
    return _("%(province)s%(city)s") % {"province": province, "city": city}


# What a division's name may end in, so that 甘肃 finds 甘肃省 (reports and tables write either).
_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "省", "市")
# The country as a whole, as the indicator tables name it.
_COUNTRY = {"全国": "China", "中国": "China"}


def english_name(code: str = "", name: str = "") -> str:
    """The division's English name (its official pinyin-based form: 杭州市 -> Hangzhou, 甘肃省 -> Gansu), by its
    GB/T 2260 code or its Chinese name (with or without 省/市/自治区); "" for a division the list does not hold:
    a name a person typed is not put into English by guess (a reading of its characters may be wrong:
    长治 is Changzhi, 重庆 Chongqing), and it is shown as typed."""
    name = (name or "").strip()
    if name in _COUNTRY:
        return _COUNTRY[name]
    found = REGIONS.get((code or "").strip())
    if found is None and name:
        with translation.override(None):  # the msgids: the names in Chinese
            by_name = {str(n): n for n in REGIONS.values()}
        found = by_name.get(name)
        if found is None:
            stem = _stem(name)
            found = next((n for zh, n in by_name.items() if _stem(zh) == stem and len(stem) >= 2), None)
    if found is None:
        return ""
    with translation.override("en"):
        english = str(found)
    with translation.override(None):
        return "" if english == str(found) else english


def _stem(name: str) -> str:
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def region_choices() -> list:
    """The list staff pick a unit's division from, by name: one group per province, the province itself
    first, then its cities (a <select> with optgroups)."""
    groups = []
    for code, province in PROVINCES.items():
        options = [(code, _("%(province)s（省级）") % {"province": province})]
        options += [(c, str(name)) for c, name in CITIES.items() if c[:2] == code[:2]]
        groups.append((str(province), options))
    return [("", _("— 请选择（有统一社会信用代码的单位不必选择）—")), *groups]


def region_disagrees(given: str, derived: str) -> str:
    """Why a division code given beside a credit code is refused."""
    return _(
        "行政区划代码 %(given)s 与统一社会信用代码第3至8位（%(derived)s）不一致；留空即由信用代码得出。"
    ) % {
        "given": given,
        "derived": derived,
    }
