"""Reading the numbers reports write: digits, Chinese numerals (两, 十二, 三百零五, 千), scales (3.6万,
1800亿), shares (七成, 一半). Pure."""

from decimal import Decimal, InvalidOperation
from functools import lru_cache

_CN_DIGITS = {
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_NUMERALS = "零一二两三四五六七八九十百千"
SCALES = {
    "亿亿": Decimal(10) ** 16,  # 百亿亿次 (10^18 operations: an exascale machine)
    "千万亿": Decimal(10) ** 15,  # 每秒2000千万亿次 (petascale operations)
    "万亿": Decimal(10) ** 12,
    "千亿": Decimal(10) ** 11,
    "百亿": Decimal(10) ** 10,
    "亿": Decimal(10) ** 8,
    "千万": Decimal(10) ** 7,
    "百万": Decimal(10) ** 6,
    "万": Decimal(10) ** 4,
    "千": Decimal(1000),
    "": Decimal(1),
    None: Decimal(1),
}
# shares written in words: 七成 is 70 %, 一半 / 过半 50 %
SHARES = (
    {f"{d}成": Decimal(10 * v) for d, v in _CN_DIGITS.items() if v}
    # 四成半 is 45 %, 九成五 95 %
    | {f"{d}成半": Decimal(10 * v + 5) for d, v in _CN_DIGITS.items() if v}
    | {
        f"{d}成{e}": Decimal(10 * v + w)
        for d, v in _CN_DIGITS.items()
        if v
        for e, w in _CN_DIGITS.items()
        if w
    }
    | {"一半": Decimal(50), "过半": Decimal(50)}
)


def cn_number(s: str) -> int | None:
    """The value of a small Chinese numeral (两 = 2, 十二 = 12, 三百 = 300; 三百八 = 380 and 两千五 = 2500, the last
    digit said without its place one place below the one before it, as 三百零八 is 308), None when it is not one."""
    if s.isdigit():
        return int(s)
    total, current = 0, 0
    for ch in s:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            total += (current or 1) * _CN_UNITS[ch]
            current = 0
        else:
            return None
    if current and s[2:] and s[-2] in "百千":
        return total + current * _CN_UNITS[s[-2]] // 10
    return total + current


def cn_big_number(s: str) -> int | None:
    """A Chinese numeral with 亿 and 万 inside it (四亿六千万 = 460000000, 一亿零三百万, 三万二千), None when it is
    not one."""
    for sep, mult in (("亿", 10**8), ("万", 10**4)):
        if sep in s:
            head, _sep, tail = s.partition(sep)
            high = cn_big_number(head) if head else None
            low = cn_big_number(tail.lstrip("零")) if tail.lstrip("零") else 0
            if low and len(tail) == 1:
                low *= mult // 10  # 一万二 is 12000, 三亿五 350000000 (一万零二 is 10002)
            return None if high is None or low is None else high * mult + low
    return cn_number(s)


def plain(value: Decimal) -> Decimal:
    """12.00 → 12, 0.260 → 0.26 (values compare and print as the report wrote them)."""
    if value == value.to_integral_value():
        return Decimal(int(value))
    return value.normalize()


def number_value(num: str, scale: str | None = None) -> Decimal | None:
    """The value of digits or a Chinese numeral times a scale word (万, 亿, 千亿 ...)."""
    if not scale and num.isdigit():
        return Decimal(num)  # the common case (35项), without the arithmetic
    return _scaled_value(num, scale)


@lru_cache(maxsize=4096)
def _scaled_value(num: str, scale: str | None) -> Decimal | None:
    """`number_value` of a decimal or a scaled number (cached: a Decimal is immutable, and reports repeat
    the same few values - 1.5万, 0.26 - often enough that the arithmetic is worth skipping)."""
    if "," in num:
        num = num.replace(",", "")  # 1,026家: a thousands separator
    if "点" in num:  # 一点二个亿: a decimal in words
        whole, _dot, tail = num.partition("点")
        digits = "".join(str(cn_number(c)) for c in tail)
        num = f"{cn_number(whole)}.{digits}" if cn_number(whole) is not None and digits.isdigit() else ""
    if not num[:1].isdigit() and ("亿" in num or "万" in num):
        # 四亿六千万元, 三万二千亩: the scale after the numeral belongs to its last section
        big = cn_big_number(num + (scale or ""))
        return None if big is None else plain(Decimal(big))
    try:
        base = Decimal(num) if num[:1].isdigit() else Decimal(cn_number(num))
    except (InvalidOperation, TypeError):
        return None
    return plain(base * SCALES.get(scale, Decimal(1)))
