"""A figure's first digit that a `?` decoder ate, told by the arithmetic the report itself carries.

On a `?` decoder's page, a lost lead byte right before a figure took the figure's first (ASCII) digit along
(`企业自筹?.27亿元`): nothing but the figure's rest is left, and the figure is mostly written once. Some reports
carry the sums and ratios that fix it: parts adding to a stated total (`经费7.42亿元，其中省财政资金2.15亿元、企业
自筹?.27亿元`), a ratio (`是省财政资金的2.45倍`), a share (`占55.0%`), growth against a stated base (`较去年同期的
33.4亿元增长16.5%`), a difference (`由1亿元扩大到1.5亿元`), an average (`平均每项合同成交额405万元`), shares
adding to 100. `eaten_digit` tries each digit in the hole and keeps the one - if exactly one - for which a relation
holds within the rounding of every figure in it (each figure stands for the interval its written decimals allow).
Relations are looked for in the figure's sentence and the one before it in the same paragraph only, and each
asks for the words that say it (合计, 其中, 倍, 占, 增长 …): a relation between any figures of a page would hold by
chance for one of ten digits too often.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

HOLE = "\x00"

_NUM = re.compile(
    r"(?<![0-9.\x00A-Za-z])(?<!第)"
    r"(?P<n>[0-9\x00](?:[0-9]{0,2}(?:,[0-9]{3})+|[0-9]*)(?:\.[0-9]+)?)"
    r"(?P<s>万亿|亿|万)?"
    r"(?P<u>个百分点|百分点|%|％|倍|元|分|[家项件个人名户台套篇所次张批座条种例位款亩吨])?"
)
_NOT_A_FIGURE = re.compile(r"[年月日号时级]")
_SENTENCE = re.compile(r"[^。；;！？\n]*[。；;！？\n]?")
_SCALE = {"": 1.0, "万": 1e4, "亿": 1e8, "万亿": 1e12}

# the words that say a relation, looked for right before its figure (or right before a base)
# (one character more: the one before an eaten digit is itself read from a lost byte's options, 增加两?.2倍)
_TIMES_GROWTH = re.compile(r"(?:增加|增长|提高|扩大|翻)了?约?[^0-9\x00]?$")
_SHARE = re.compile(r"(?:占|比重|占比|比例|份额)[^0-9\x00]{0,8}$")
_GROWTH = re.compile(r"(?:增长|增|提高|上升|下降|降低|减少|下滑|回落)了?约?$")
_FALL = re.compile(r"(?:下降|降低|减少|下滑|回落)了?约?$")
_BASE = re.compile(r"(?:较|比)(?:上年|去年|上年同期|去年同期)的$|(?:上年|去年)为$")
_FROM = re.compile(r"(?:由|从)[^0-9\x00，,。；]{0,6}$")
_TO = re.compile(r"(?:到|至)$")
_DIFF = re.compile(r"(?:提高|增加|扩大|多|上升|下降|降低|减少|高出|低于)了?约?$")
_AVERAGE = re.compile(r"(?:平均每|户均|人均|亩均)(?P<per>.)?[^0-9\x00，,。；]{0,8}$")
# the count an average is taken over: 人均 over 人 or 名, 户均 over 户 or 家, 平均每项 over 项
_PER = {"人": "人名", "户": "户家", "亩": "亩"}
_SUM = re.compile(r"(?:合计|共计|总计|总额|共|总共)[^0-9\x00，,。；]{0,4}$")
_PARTS = re.compile(r"其中|分别")
_LIST_TO_100 = re.compile(r"分别|权重|构成")


@dataclass
class Figure:
    start: int
    end: int
    digits: str
    decimals: int
    scale: float
    kind: str
    lo: float = 0.0
    hi: float = 0.0

    def value(self, digit: str | None = None) -> tuple[float, float]:
        text = self.digits.replace(",", "")
        if HOLE in text:
            text = text.replace(HOLE, digit or "0")
        v = float(text) * self.scale
        # a whole number without 万 or 亿 is a count, exact (7家 is not 7.5家); any other figure stands for the
        # interval its written decimals allow
        half = (
            0.0
            if self.decimals == 0 and self.scale == 1.0 and self.kind != "pct"
            else 0.5 * 10.0 ** (-self.decimals) * self.scale
        )
        return v - half, v + half


def _figures(text: str) -> list[Figure]:
    out = []
    for m in _NUM.finditer(text):
        after = text[m.end() : m.end() + 1]
        if not m.group("u") and (not m.group("s") or not after or _NOT_A_FIGURE.match(after)):
            continue  # a bare number (a table's cell, a year, a date) is not weighed
        if m.group("u") == "分" and not m.group("s"):
            kind = "score"
        elif m.group("u") in ("%", "％"):
            kind = "pct"
        elif m.group("u") in ("个百分点", "百分点"):
            kind = "pp"
        elif m.group("u") == "倍":
            kind = "times"
        elif m.group("u") == "元":
            kind = "money"
        elif m.group("u"):
            kind = "count:" + m.group("u")
        else:
            kind = "scaled:" + (after or "")
        n = m.group("n")
        decimals = len(n.split(".", 1)[1]) if "." in n else 0
        out.append(Figure(m.start(), m.end(), n, decimals, _SCALE[m.group("s") or ""], kind))
    return out


def _same(a: Figure, b: Figure) -> bool:
    if a.kind == b.kind:
        return True
    # 万元 beside 亿元, 万项 beside 项: the same unit at another scale
    return a.kind.startswith("count:") and b.kind.startswith("count:") and a.kind == b.kind


def _overlap(lo: float, hi: float, lo2: float, hi2: float) -> bool:
    return lo <= hi2 + 1e-9 and lo2 <= hi + 1e-9


def _div(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float] | None:
    if b[0] <= 0:
        return None
    return a[0] / b[1], a[1] / b[0]


def _fine(v: tuple[float, float]) -> bool:
    """Whether a figure is written to about three significant digits at least (an average of 户均增收1.6万元 or
    over 8名 matches some total and count of the page by chance)."""
    return v[0] > 0 and (v[1] - v[0]) / (v[1] + v[0]) <= 0.005


def _windows(text: str, at: int) -> tuple[int, int, int]:
    """(start of the sentence before, start, end) of the sentence holding `at`, in its paragraph."""
    starts = []
    for m in _SENTENCE.finditer(text):
        if m.start() == m.end():
            break
        if m.start() <= at < m.end():
            prev = starts[-1] if starts and not text[starts[-1] : m.start()].endswith("\n") else m.start()
            return prev, m.start(), m.end()
        starts.append(m.start())
    return at, at, at


def _sum_holds(parts: list[Figure], total: Figure, val: dict) -> bool:
    """The parts add up to the total as written: within half a unit of the coarsest figure's last place (the
    written figures added, not their intervals: three parts' roundings would let a total one off pass)."""
    mid = lambda f: (val[id(f)][0] + val[id(f)][1]) / 2  # noqa: E731
    tol = max(val[id(f)][1] - mid(f) for f in (*parts, total))
    return abs(sum(mid(f) for f in parts) - mid(total)) <= tol + 1e-9 * abs(mid(total))


def _holds(text: str, figs: list[Figure], hole: Figure, digit: str, sent: tuple[int, int, int]) -> list[str]:
    """The relations that hold with `digit` in the hole (their names, for the tests)."""
    prev, s0, s1 = sent
    par = _paragraph(text, hole.start)
    val = {id(f): (f.value(digit) if f is hole else f.value()) for f in figs}
    in_sent = [f for f in figs if s0 <= f.start < s1]
    in_win = [f for f in figs if prev <= f.start < s1]
    found = []

    # parts adding to a total said in words (合计 before the total, 其中 right after it), in the sentence; or a
    # total ending the sentence before and the parts after 其中 opening this one
    same = [f for f in in_sent if _same(f, hole) and f.kind not in ("times", "pp")]
    for t in same:
        parts = [f for f in same if f is not t]
        said = _SUM.search(text[max(s0, t.start - 8) : t.start]) or (
            _PARTS.match(text[t.end : t.end + 3].lstrip("，,、 ")) and all(f.start > t.start for f in parts)
        )
        if len(parts) >= 2 and said and (hole is t or hole in parts) and _sum_holds(parts, t, val):
            found.append("sum")
    if s0 > prev and _PARTS.match(text[s0 : s0 + 4].lstrip()):
        before = [f for f in figs if prev <= f.start < s0 and _same(f, hole)]
        parts = [f for f in in_sent if _same(f, hole)]
        if (
            before
            and len(parts) >= 2
            and (hole is before[-1] or hole in parts)
            and _sum_holds(parts, before[-1], val)
        ):
            found.append("sum")
    # a total in the sentence before, the parts listed in this one (参评孵化器128家，其中国家级31家。评价结果为优秀的26家、
    # 良好的54家、合格的41家、不合格的7家): counts, exact, at least three parts listed with 、
    if s0 > prev:
        parts = [f for f in in_sent if _same(f, hole) and f.kind.startswith("count:") and f.scale == 1.0]
        listed = len(parts) >= 3 and all(
            re.search(r"[、，,]", text[a.end : b.start]) for a, b in zip(parts, parts[1:], strict=False)
        )
        # (the total alone of its unit in that sentence, or the first with a part of it after 其中)
        totals = [f for f in figs if prev <= f.start < s0 and _same(f, hole)]
        alone = len(totals) == 1 or (
            len(totals) == 2 and _PARTS.match(text[totals[0].end : totals[0].end + 3].lstrip("，,"))
        )
        if (
            listed
            and alone
            and totals[0].scale == 1.0
            and not totals[0].decimals
            and (hole in parts or hole is totals[0])
            and _sum_holds(parts, totals[0], val)
        ):
            found.append("list")
    # shares adding to 100 (分别为25%、25%、30%、10%和10%)
    pcts = [f for f in in_sent if f.kind == "pct"]
    if hole.kind == "pct" and len(pcts) >= 3 and _LIST_TO_100.search(text[s0 : pcts[0].start]):
        hundred = Figure(0, 0, "100", 0, 1.0, "pct")
        val[id(hundred)] = (100.0, 100.0)
        if _sum_holds(pcts, hundred, val):
            found.append("shares")

    def pairs(before: int, kinds_ok):
        cand = [f for f in in_win if f.start < before and kinds_ok(f)]
        for x in cand:
            for y in cand:
                if x is not y and _same(x, y):
                    yield x, y

    plain = lambda f: f.kind not in ("times", "pct", "pp")  # noqa: E731
    for r in in_win:
        head = text[max(prev, r.start - 12) : r.start]
        if r.kind == "times":
            growth = bool(_TIMES_GROWTH.search(head))
            for x, y in pairs(r.start, plain):
                if hole not in (r, x, y) or (x.start < y.start and not growth):
                    continue
                q = _div(val[id(x)], val[id(y)])
                if q is None:
                    continue
                if growth:
                    q = (q[0] - 1, q[1] - 1)
                if _overlap(*q, *val[id(r)]):
                    found.append("times")
        elif r.kind == "pct" and _SHARE.search(head):
            # the part is the figure right before the share, in its sentence (其中具有博士学位的占41%: not any
            # two figures of the window)
            near = [f for f in in_sent if f.start < r.start and plain(f)]
            if not near:
                continue
            x = near[-1]
            for y in in_win:
                if y is x or not _same(x, y) or y.start > x.start or hole not in (r, x, y):
                    continue
                q = _div(val[id(x)], val[id(y)])
                if q is not None and q[1] <= 1.0 + 1e-9 and _overlap(q[0] * 100, q[1] * 100, *val[id(r)]):
                    found.append("share")
        elif r.kind == "pct" and _GROWTH.search(head):
            fall = bool(_FALL.search(head))
            for x, y in pairs(r.start, plain):
                if hole not in (r, x, y):
                    continue
                before_y = text[max(prev, y.start - 10) : y.start]
                if not (_BASE.search(before_y) or (_FROM.search(before_y) and x.start > y.start)):
                    continue
                q = _div(val[id(x)], val[id(y)])
                if q is None:
                    continue
                g = ((1 - q[1]) * 100, (1 - q[0]) * 100) if fall else ((q[0] - 1) * 100, (q[1] - 1) * 100)
                if _overlap(*g, *val[id(r)]):
                    found.append("growth")
        if r.kind in ("pp", "score") or (r.kind != "pct" and _DIFF.search(head)):
            # 由a提高到b … 提高c, or b，较上年的a增加c: b - a = c
            base = "pct" if r.kind == "pp" else r.kind
            for x, y in pairs(r.start, lambda f, base=base, r=r: f.kind == base and f is not r):
                if hole not in (r, x, y):
                    continue
                before_y = text[max(prev, y.start - 10) : y.start]
                if x.start > y.start:
                    if not (_FROM.search(before_y) and _TO.search(text[x.start - 1 : x.start])):
                        continue
                elif not (
                    _BASE.search(before_y) and r.start > y.start and _DIFF.search(text[y.end : r.start])
                ):
                    continue
                diff = abs((val[id(x)][0] + val[id(x)][1]) / 2 - (val[id(y)][0] + val[id(y)][1]) / 2)
                tol = max(val[id(f)][1] - (val[id(f)][0] + val[id(f)][1]) / 2 for f in (x, y, r))
                if abs(diff - (val[id(r)][0] + val[id(r)][1]) / 2) <= tol + 1e-9:
                    found.append("difference")
    # an average over a count and a total said earlier in the paragraph (共登记技术合同5274项，成交额213.6亿元，…；
    # 技术交易额158.4亿元。平均每项合同成交额405万元): every figure of the three to three significant digits
    in_par = [f for f in figs if par[0] <= f.start < par[1]]
    for r in in_par:
        if r.kind != "money":
            continue
        head = text[max(par[0], r.start - 12) : r.start]
        avg = _AVERAGE.search(head)
        if not avg or _FROM.search(head):
            continue
        word = avg.group(0)
        per = _PER.get(word[0]) or (word[3] if word.startswith("平均每") and len(word) > 3 else "")
        for t in in_par:
            if t.kind != "money" or t is r or t.start > r.start:
                continue
            for n in in_par:
                if n.kind[6:7] not in per or not n.kind.startswith("count:") or n.start > r.start:
                    continue
                if hole not in (r, t, n) or not all(_fine(val[id(f)]) for f in (r, t, n)):
                    continue
                q = _div(val[id(t)], val[id(n)])
                if q is not None and _overlap(*q, *val[id(r)]):
                    found.append("average")
    return found


def _paragraph(text: str, at: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    return start, len(text) if end < 0 else end


def eaten_digit(text: str) -> tuple[str, list[str]] | None:
    """The digit in the hole (`HOLE`, once in `text`, where a figure's first digit was eaten) that alone makes a
    relation of the report hold, with the relations; None where no digit or more than one does."""
    at = text.find(HOLE)
    if at < 0:
        return None
    if text[at - 1 : at] == "第":
        return _rank_digit(text, at)
    figs = _figures(text)
    hole = next((f for f in figs if f.start == at), None)
    if hole is None:
        return None
    sent = _windows(text, at)
    digits = "0123456789" if hole.digits[1:2] == "." else "123456789"
    ok = {}
    for d in digits:
        rel = _holds(text, figs, hole, d, sent)
        if rel:
            ok[d] = rel
    if len(ok) != 1:
        return None
    ((d, rel),) = ok.items()
    return d, rel


# a rank moved up from the one said before it in the sentence (由上年的第17位前移至第?5位: 15 < 17, not 25)
_RANK_UP = re.compile(r"第([0-9]+)位[^0-9\x00。；;！？\n]{0,12}?(?:前移|上升|提升|跃升|提高)了?(?:至|到)第$")
_RANK_REST = re.compile(r"([0-9]+)[位名]")


def _rank_digit(text: str, at: int) -> tuple[str, list[str]] | None:
    """The first digit of a rank a `?` decoder ate after 第, where the sentence moves it up from a rank it states and
    one digit alone makes the new rank the higher (smaller) one."""
    before = _RANK_UP.search(text, max(0, at - 40), at)
    rest = _RANK_REST.match(text, at + 1)
    if before is None or rest is None:
        return None
    was = int(before.group(1))
    ok = [d for d in "123456789" if int(d + rest.group(1)) < was]
    return (ok[0], ["rank"]) if len(ok) == 1 else None
