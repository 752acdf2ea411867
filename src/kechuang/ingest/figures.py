"""A fact's figure with its qualifier (余, 以上, 近, 约 …), in the reader's language and in the place each
language puts it. Pure: no database, no active language (the caller says which).

Chinese keeps the report's word order: 超过1200家, 近100项 (the word before the number), 1200余家, 10来个 (between
the number and its unit), 6级以上, 30%左右 (after the unit). English says it in words: "over 1,200
organisations", "nearly 100 items", "about 30%", "level 6 or above", "1,200 or more". A level or a rank reads
its unit before the number in English ("level 6", not "6 level"). A qualifier the table does not know (one a
person typed) stays as it was written, before the figure, in either language.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

# Chinese: where the word goes
_ZH_BEFORE = frozenset({"超过", "超", "逾", "过", "近", "约", "将近", "接近", "不到"})
_ZH_BETWEEN = frozenset({"余", "多", "来"})
_ZH_AFTER = frozenset({"以上", "以下", "左右", "上下", "出头"})
# 3个多小时, 2个多月 (the extractor reads 个多小时 as 多 with the unit 小时): the counter comes back with 多
_ZH_COUNTER_BEFORE = {"小时": "个", "月": "个"}

# English: a word before the figure, or words after it (a level's, a count's)
_EN_BEFORE = {
    "超过": "over",
    "超": "over",
    "逾": "over",
    "过": "over",
    "余": "over",
    "多": "over",
    "出头": "just over",
    "近": "nearly",
    "将近": "nearly",
    "接近": "nearly",
    "不到": "under",
    "约": "about",
    "来": "about",
    "左右": "about",
    "上下": "about",
}
_EN_AFTER = {"以上": ("or above", "or more"), "以下": ("or below", "or less")}
# units English writes before the number (level 6, rank 3)
_EN_UNIT_FIRST = frozenset({"level", "rank"})
# amounts of money as the report wrote them (30亿元): English counts them in yuan, as the funds pages show money
# (core.display: CNY 3 billion, CNY 300,000), not "30 100 million yuan"
_YUAN_SCALES = {
    "元": Decimal(1),
    "千元": Decimal(10) ** 3,
    "万元": Decimal(10) ** 4,
    "十万元": Decimal(10) ** 5,
    "百万元": Decimal(10) ** 6,
    "千万元": Decimal(10) ** 7,
    "亿元": Decimal(10) ** 8,
    "十亿元": Decimal(10) ** 9,
    "百亿元": Decimal(10) ** 10,
    "千亿元": Decimal(10) ** 11,
    "万亿元": Decimal(10) ** 12,
}
_EN_MONEY_WORDS = (
    (Decimal(10) ** 12, "trillion"),
    (Decimal(10) ** 9, "billion"),
    (Decimal(10) ** 6, "million"),
)


def qualifier_words(qualifier: str, *, english: bool, ranked: bool = False) -> str:
    """The qualifier alone in the reader's language ("以上" / "or more"; "or above" of a level or rank, when
    `ranked`): for a column of its own (the export's). The written word where the table does not know it."""
    q = (qualifier or "").strip()
    if not english or not q:
        return q
    if q in _EN_AFTER:
        above, more = _EN_AFTER[q]
        return above if ranked else more
    return _EN_BEFORE.get(q, q)


def _grouped(number: str) -> str:
    """1200 → 1,200 (English groups thousands); anything not a plain number as it was."""
    try:
        value = Decimal(number)
    except (InvalidOperation, ValueError):
        return number
    if not value.is_finite() or abs(value) < 1000:
        return number
    whole, _dot, frac = number.lstrip("-").partition(".")
    if not whole.isdigit():
        return number
    grouped = f"{int(whole):,}" + (f".{frac}" if frac else "")
    return ("-" if number.startswith("-") else "") + grouped


def _plain_grouped(value: Decimal) -> str:
    """At most two decimals, none trailing, thousands grouped: 1.25, 300,000."""
    value = value.quantize(Decimal("0.01")).normalize()
    value = value.quantize(Decimal(1)) if value == value.to_integral_value() else value
    return f"{value:,f}"


def money_words(number: str, unit: str) -> str | None:
    """An amount the report wrote in 元, 万元, 亿元 … in English words, as the funds pages show money: 30亿元 →
    "CNY 3 billion", 30万元 → "CNY 300,000", 1.25亿元 → "CNY 125 million". None when `unit` is no amount of
    yuan or `number` no plain number (the caller shows it as written)."""
    scale = _YUAN_SCALES.get((unit or "").strip())
    if scale is None:
        return None
    try:
        value = Decimal(number.replace(",", ""))
    except (InvalidOperation, ValueError, AttributeError):
        return None
    if not value.is_finite():
        return None
    yuan = value * scale
    for size, word in _EN_MONEY_WORDS:
        if abs(yuan) >= size:
            return f"CNY {_plain_grouped(yuan / size)} {word}"
    return f"CNY {_plain_grouped(yuan)}"


def figure_words(
    number: str,
    unit: str,
    qualifier: str,
    *,
    english: bool,
    unit_local: str = "",
    group: bool = True,
) -> str:
    """The figure as the reader's language writes it with its qualifier.

    `number` as the report wrote it (1800 of 1800亿元), `unit` as written in Chinese (亿元), `unit_local` that
    unit in English on an English page ("" or the Chinese where none is known); `group` groups an English
    number's thousands (not a year's)."""
    q = (qualifier or "").strip()
    if not english:
        if not q or q in _ZH_BEFORE or (q not in _ZH_BETWEEN and q not in _ZH_AFTER):
            return f"{q}{number}{unit}"
        if q in _ZH_BETWEEN:
            if q == "多" and unit in ("斤", "两"):  # 3斤多: after the unit
                return f"{number}{unit}{q}"
            return f"{number}{_ZH_COUNTER_BEFORE.get(unit, '') if q == '多' else ''}{q}{unit}"
        return f"{number}{unit}{q}"
    shown_unit = unit_local or unit
    num = _grouped(number) if group else number
    ranked = shown_unit in _EN_UNIT_FIRST
    money = money_words(number, unit)
    if money is not None:
        figure = money
    elif ranked:
        figure = f"{shown_unit} {num}"
    elif shown_unit == unit:
        figure = f"{num}{unit}"  # 30%, 120MW, or a unit with no English form: as the report wrote it
    else:
        figure = f"{num} {shown_unit}"
    if not q:
        return figure
    if q in _EN_AFTER:
        return f"{figure} {qualifier_words(q, english=True, ranked=ranked)}"
    return f"{qualifier_words(q, english=True)} {figure}"
