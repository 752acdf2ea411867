"""Units of measure in English: the default for a unit stored in Chinese where staff gave no English form.

A figure's unit is typed by staff in Chinese (英寸, 个/cm², 万元, 片/小时) beside an optional English form
(`unit_en` on an indicator, a challenge's and a contract's target indicator). An English page shows the English
form; where none was typed it shows `english(unit)` from here, and the Chinese only where this module does not
know the unit either. The table is a default, not a rewrite: nothing here is stored, so a better entry here
changes every page at once and a typed `unit_en` always wins.

How a unit is read:
- a unit without Chinese characters (%, km, MW, W/(m·K), g/L) is the same in English;
- a unit in `UNITS_EN` (a count noun, a money unit, a time) has that English form;
- a rate "A/B" (万元/人, 个/cm², 片/小时) is "A per B" with B read as a denominator (`PER_EN`: 人 → person,
  万人 → 10,000 population); a bare counter over something (个/cm², 次/年) is "per B";
- anything else (a unit this table does not know) has no English form: "" (the caller shows the Chinese).

Plurals: a count noun is given in the plural ("items", "persons"), as a unit after a figure ("12 items") reads;
a denominator in the singular ("per person"). Large numbers stay the Chinese magnitudes written out ("10,000
yuan", "100 million yuan"): the figures are stored in them, and "10k"/"100m" would hide what 万/亿 say.
"""

from __future__ import annotations

import re

from .language import english as _english_page
from .language import local_name

# A unit after a figure, in English. Counters (个, 件, 项, 台, 套 …) take generic nouns ("items", "sets"): the
# indicator's name says what is counted; staff type a closer word in `unit_en` where they want one.
UNITS_EN: dict[str, str] = {
    # counters
    "个": "items",
    "件": "items",
    "项": "items",
    "台": "units",
    "套": "sets",
    "台套": "sets",
    "台（套）": "sets",
    "家": "organisations",
    "所": "institutions",
    "篇": "papers",
    "部": "works",
    "种": "kinds",
    "次": "times",
    "片": "pieces",
    "条": "lines",
    "批": "batches",
    "户": "households",
    "人": "persons",
    "人次": "person-times",
    "人年": "person-years",
    "万人": "10,000 persons",
    "名": "persons",
    "位": "rank",
    "倍": "times",
    "级": "level",
    "分": "points",
    # money
    "元": "yuan",
    "万元": "10,000 yuan",
    "亿元": "100 million yuan",
    "美元": "US dollars",
    "万美元": "10,000 US dollars",
    "亿美元": "100 million US dollars",
    # time
    "秒": "seconds",
    "分钟": "minutes",
    "小时": "hours",
    "天": "days",
    "日": "days",
    "周": "weeks",
    "月": "months",
    "个月": "months",
    "年": "years",
    # length, area, mass, energy (Chinese names of SI and customary units)
    "英寸": "inches",
    "毫米": "mm",
    "厘米": "cm",
    "米": "m",
    "千米": "km",
    "公里": "km",
    "平方米": "m²",
    "平方公里": "km²",
    "亩": "mu",
    "公顷": "ha",
    "克": "g",
    "千克": "kg",
    "公斤": "kg",
    "吨": "tonnes",
    "万吨": "10,000 tonnes",
    "吨标准煤": "tonnes of standard coal",
    "千克标准煤": "kg of standard coal",
    "千瓦": "kW",
    "兆瓦": "MW",
    "千瓦时": "kWh",
    "度": "kWh",
    "万千瓦": "10,000 kW",
    "百分点": "percentage points",
    "个百分点": "percentage points",
    "项当量": "project equivalents",
}
# A unit under a slash ("per …"), in English: singular, as "per person" reads.
PER_EN: dict[str, str] = {
    "人": "person",
    "万人": "10,000 population",
    "十万人": "100,000 population",
    "百万人": "1,000,000 population",
    "元": "yuan",
    "万元": "10,000 yuan",
    "亿元": "100 million yuan",
    "千克标准煤": "kg of standard coal",
    "秒": "second",
    "分钟": "minute",
    "小时": "hour",
    "天": "day",
    "日": "day",
    "周": "week",
    "月": "month",
    "年": "year",
    "亩": "mu",
    "公顷": "ha",
    "平方米": "m²",
    "平方公里": "km²",
    "吨": "tonne",
    "千克": "kg",
    "公斤": "kg",
    "台": "unit",
    "套": "set",
    "家": "organisation",
    "户": "household",
    "项": "item",
    "件": "item",
    "个": "item",
}
# A counter over a denominator reads as "per …" alone (个/cm²: "per cm²", 次/年: "per year").
COUNTERS = frozenset({"个", "次", "只", "颗"})

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff（）]")


def _plain(part: str) -> bool:
    """No Chinese in it: the same in English (cm², MW, W/(m·K), %)."""
    return not _CJK.search(part)


def english(unit: str | None) -> str:
    """The English form of a unit stored in Chinese, from the table: "" where it does not know the unit (the
    caller shows the Chinese). Pure."""
    text = (unit or "").strip()
    if not text or _plain(text):
        return text
    if text in UNITS_EN:
        return UNITS_EN[text]
    if text.count("/") == 1:
        top, bottom = (p.strip() for p in text.split("/"))
        under = bottom if _plain(bottom) else PER_EN.get(bottom, "")
        if not top or not under:
            return ""
        if top in COUNTERS:
            return f"per {under}"
        over = top if _plain(top) else UNITS_EN.get(top, "")
        return f"{over} per {under}" if over else ""
    return ""


def local_unit(unit: str | None, unit_en: str | None = "", *, english_page: bool | None = None) -> str:
    """A unit in the reader's language: on an English page the English typed for it (`unit_en`), else the
    table's (`english`), else the Chinese; on a Chinese page the Chinese."""
    if english_page is None:
        english_page = _english_page()
    if not english_page:
        return unit or ""
    return local_name(unit, (unit_en or "").strip() or english(unit), english=True)
