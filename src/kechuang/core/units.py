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
  万人 → 10,000 population); a bare counter over something (个/cm², 个/平方厘米, 次/年) is "per B"; a symbol over
  a symbol (千克/立方米, 毫克/升) is "A/B" (kg/m³, mg/L);
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
    "毫秒": "ms",
    "微秒": "μs",
    "纳秒": "ns",
    "星期": "weeks",
    "季度": "quarters",
    "个季度": "quarters",
    "工作日": "working days",
    "个工作日": "working days",
    # length, area, volume, mass, energy (Chinese names of SI and customary units)
    "英寸": "inches",
    "纳米": "nm",
    "微米": "μm",
    "毫米": "mm",
    "厘米": "cm",
    "分米": "dm",
    "米": "m",
    "千米": "km",
    "公里": "km",
    "海里": "nautical miles",
    "平方毫米": "mm²",
    "平方厘米": "cm²",
    "平方米": "m²",
    "万平方米": "10,000 m²",
    "平方千米": "km²",
    "平方公里": "km²",
    "亩": "mu",
    "万亩": "10,000 mu",
    "公顷": "ha",
    "立方毫米": "mm³",
    "立方厘米": "cm³",
    "立方米": "m³",
    "万立方米": "10,000 m³",
    "微升": "μL",
    "毫升": "mL",
    "升": "L",
    "公升": "L",
    "纳克": "ng",
    "微克": "μg",
    "毫克": "mg",
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
    "瓦": "W",
    "吉瓦": "GW",
    "兆瓦时": "MWh",
    "万千瓦时": "10,000 kWh",
    "亿千瓦时": "100 million kWh",
    "伏": "V",
    "千伏": "kV",
    "安": "A",
    "毫安": "mA",
    "赫兹": "Hz",
    "千赫": "kHz",
    "千赫兹": "kHz",
    "兆赫": "MHz",
    "兆赫兹": "MHz",
    "吉赫": "GHz",
    "吉赫兹": "GHz",
    "帕": "Pa",
    "千帕": "kPa",
    "兆帕": "MPa",
    "吉帕": "GPa",
    "摄氏度": "°C",
    "开尔文": "K",
    "分贝": "dB",
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
    "万元GDP": "10,000 yuan of GDP",
    "千克标准煤": "kg of standard coal",
    "毫秒": "ms",
    "秒": "second",
    "分钟": "minute",
    "小时": "hour",
    "天": "day",
    "日": "day",
    "周": "week",
    "月": "month",
    "年": "year",
    "季度": "quarter",
    "亩": "mu",
    "公顷": "ha",
    "平方毫米": "mm²",
    "平方厘米": "cm²",
    "平方米": "m²",
    "平方千米": "km²",
    "平方公里": "km²",
    "立方厘米": "cm³",
    "立方米": "m³",
    "毫升": "mL",
    "升": "L",
    "米": "m",
    "千米": "km",
    "公里": "km",
    "吨": "tonne",
    "克": "g",
    "千克": "kg",
    "公斤": "kg",
    "千瓦时": "kWh",
    "片": "piece",
    "批": "batch",
    "台": "unit",
    "套": "set",
    "家": "organisation",
    "户": "household",
    "项": "item",
    "件": "item",
    "个": "item",
}
# Symbols over symbols join as symbols do (千克/立方米: "kg/m³", 毫克/升: "mg/L"), not "kg per m³".
SYMBOLS = frozenset(
    {"nm", "μm", "mm", "cm", "dm", "m", "km", "mm²", "cm²", "m²", "km²", "ha", "mm³", "cm³", "m³", "μL", "mL"}
    | {"L", "ng", "μg", "mg", "g", "kg", "ms", "s", "W", "kW", "MW", "GW", "kWh", "MWh", "Pa", "kPa", "MPa"}
)
# A time under a symbol as its symbol (米/秒: "m/s", 千米/小时: "km/h"; 次/秒 stays "per second").
SYMBOLS_UNDER = {"秒": "s", "小时": "h"}
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
        if over in SYMBOLS and (under in SYMBOLS or bottom in SYMBOLS_UNDER):
            return f"{over}/{SYMBOLS_UNDER.get(bottom, under)}"
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
