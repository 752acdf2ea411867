"""The extraction rules, one per form of fact. Each takes the pattern's match (`extract._PATTERN`) and the
sentence's context (`extract.Sentence`) and returns the facts it states (often one, none when the figure
is not a fact: an ordinal, a slogan in quotes, a code).

`RULES` maps each branch of the pattern to its rule; `figure` dispatches a number with a unit to the
rule of the unit's form (money, percent, points, level, quantity, count).
"""

import re
from decimal import Decimal

from .extract import DIGITS_ONLY_MEASURES, QUANTITY_UNITS
from .numbers import SHARES, _scaled_value, cn_number, number_value
from .subjects import (
    LIST_SPLIT,
    RANK_VERB,
    after_phrase,
    before_phrase,
    strip_leading_verb,
    strip_trailing,
)

_RANK_CUE = re.compile(
    r"(居|排名|排|位列|列|位居|升至|降至|前移至|后移至|升到|降到|前移到|后移到|提升到|提高到|回升到|回落到"
    r"|由|由上年的?|由20\d\d年的?)[^，。；]{0,4}$"
)
# the figure a movement starts from (由上年的第19位, 由4级): the year before the report's
_MOVED_FROM = re.compile(r"由(?:上年的?|去年的?)?(?:全国|全省|全市)?(?:第)?$")
# the year before, said in the clause: 去年, 上年 (but not a comparison: 比上年, 较上年, 同比上年)
_LAST_YEAR = re.compile(r"(?<![比较])(?:去年|上年)")
# the year before said as the time of what follows in the paragraph: 会议指出，过去一年，… / 去年，…
_PAST_YEAR = re.compile(r"(?:过去一年|去年|上一年度?|上年度?)(?:以来|中|里|内)?[，,]")
_THIS_YEAR = re.compile(r"今年|本年|明年|20\d\d年")
# a year said right before a figure: 2020年的1.2%, 2023年底的120家
_OWN_YEAR = re.compile(r"(20\d\d)年(?:底|末)?的?(?:不足|超过|近|约|逾)?$")
# a figure's own year said right before it (the character before the figure ends one of these)
_OWN_YEAR_LAST = frozenset("的底末足过近约逾")
# a year that ends a number of the Five-Year Plans: “十四五”末 is 2025
_FYP_END = {"三": "2020", "四": "2025", "五": "2030"}
_DATE_YEAR = re.compile(r"((?:19|20)\d\d)年$")
_TRL = re.compile(r"成熟度|就绪度|TRL", re.IGNORECASE)
_YEAR_NUMBER = re.compile(r"1[89]\d\d|20\d\d")
_UNIT_ALIASES = {"℃": "摄氏度", "台(套)": "台（套）", "百分点": "百分点", "个百分点": "百分点"}


# ---------------------------------------------------------------- markers: what later figures belong to


def target_marker(m, ctx) -> list:
    """到2025年: the figures after it in the sentence are the targets of that year."""
    ctx.target_year, ctx.target_pos = m.group("tyear"), m.end() - ctx.base
    return []


def year_marker(m, ctx) -> list:
    """2023年，...: the figures after it belong to that year (a later one's are targets). A year later than
    the report's said anywhere before a figure (2024年重点做好以下工作：…, 力争2025年底…) makes the figures after
    it that year's targets; an earlier one without the comma (比2020年增长) dates nothing."""
    said = m.group("yyear")
    if m.group("ycomma") is not None or (ctx.year and int(said) > ctx.year):
        ctx.said_year, ctx.said_pos = said, m.end() - ctx.base
    return []


def plan_end_marker(m, ctx) -> list:
    """“十四五”末 (到“十四五”末, 十四五期末): the figures after it are that year's targets (2025)."""
    ctx.target_year, ctx.target_pos = _FYP_END[m.group("fyn")], m.end() - ctx.base
    return []


def period_of(ctx, s: int, *, moved_from: bool = False, own_year: bool = True) -> tuple[str, bool]:
    """(period, is a target) of a figure starting at `s` in the sentence. `own_year=False`: a year said
    right before the figure is not its period (是2020年的2.4倍: a multiple of the report's year)."""
    own = (
        _OWN_YEAR.search(ctx.text, max(0, s - 10), s)
        if own_year and s and ctx.text[s - 1] in _OWN_YEAR_LAST
        else None
    )
    if own:
        # 由2020年的1.2%提高到2023年的1.8%: each figure is of the year said right before it
        return own.group(1), bool(ctx.year) and int(own.group(1)) > ctx.year
    if ctx.target_year and s >= ctx.target_pos:
        return ctx.target_year, True
    if moved_from and ctx.year:
        # 由上年的第9位: the year before the one the sentence is about
        said = int(ctx.said_year) if ctx.said_year and s >= ctx.said_pos else ctx.year
        return str(said - 1), False
    if ctx.said_year and s >= ctx.said_pos:
        return ctx.said_year, bool(ctx.year) and int(ctx.said_year) > ctx.year
    if ctx.section_year:
        return ctx.section_year, True
    if ctx.year and ctx.text.find("明年", 0, s) >= 0:
        return str(ctx.year + 1), True  # 明年，力争…达到: next year's target
    # the two tests' common answers without a call: no 年 in the clause, no year marks in the paragraph
    if ctx.year and (
        (ctx.text.find("年", ctx.last_end, s) >= 0 and _said_last_year(ctx, s))
        or ((marks := ctx.year_marks) is None or marks)
        and _sentence_last_year(ctx, s)
    ):
        return str(ctx.year - 1), False
    return ctx.period, False


def _said_last_year(ctx, s: int) -> bool:
    """去年 / 上年 in the clause before the figure, after the sentence's previous figure."""
    if ctx.text.find("年", ctx.last_end, s) < 0:
        return False  # the common case, one C-level test
    return bool(_LAST_YEAR.search(before_phrase(ctx.text[ctx.last_end :], s - ctx.last_end, keep_lists=True)))


_PAST_WORDS = ("去年", "过去一年", "上年", "上一年")
_PAST_ANY = re.compile("|".join(_PAST_WORDS))


def _sentence_last_year(ctx, s: int) -> bool:
    """过去一年，… before the figure in its paragraph, no other year said between (今年, 2025年)."""
    marks = ctx.year_marks
    if marks is None:
        # once per sentence: where the paragraph so far says the year before (True) or another (False)
        text = ctx.text
        marks = []
        # a past word in the paragraph before the sentence or in the sentence (not across the two)
        if _PAST_ANY.search(ctx.whole, ctx.head_start, ctx.base) or _PAST_ANY.search(text):
            head = ctx.head
            both = head + text
            marks = sorted(
                [(m.end() - len(head), True) for m in _PAST_YEAR.finditer(both)]
                + [(m.end() - len(head), False) for m in _THIS_YEAR.finditer(both)]
            )
        ctx.year_marks = marks
    last = False
    for end, past in marks:
        if end > s:
            break
        last = past
    return last


def _in_quotes(sentence: str, s: int) -> bool:
    """A figure inside “…” is a name or a slogan (“四个面向”, “五大工程”), not a fact."""
    head = sentence[:s]
    return head.rfind("“") > head.rfind("”")


# ---------------------------------------------------------------- dates and ranks


def date_rule(m, ctx) -> list:
    """5月24日 in the report's year (or the year the sentence says)."""
    s, e = m.start() - ctx.base, m.end() - ctx.base
    month, day = int(m.group("month")), int(m.group("day"))
    said = _DATE_YEAR.search(ctx.text, max(0, s - 5), s)
    period = said.group(1) if said else period_of(ctx, s)[0]  # 2021年9月15日: the year said with it
    value = f"{int(period):04d}-{month:02d}-{day:02d}" if period else f"--{month:02d}-{day:02d}"
    subject = after_phrase(ctx.text, e) or before_phrase(ctx.text, s)
    return [ctx.fact("date", subject, "", value, "date", "", period, s, e)]


def rank_rule(m, ctx) -> list:
    """居全国第23位, 稳居国内第一; 由上年的第19位升至第15位 gives both ranks (the first the year before)."""
    s, e = m.start() - ctx.base, m.end() - ctx.base
    head = ctx.text[:s]
    num = cn_number(m.group("rnum"))
    if num is None or not _RANK_CUE.search(head):
        return []
    phrase = before_phrase(ctx.text, s)
    cue = RANK_VERB.search(phrase)
    subject, predicate = (phrase[: cue.start()], phrase[cue.start() :]) if cue else (phrase, "")
    subject = subject.split("由", 1)[0]  # 指数由上年的第19位升至: the subject is before 由
    period, _t = period_of(ctx, s, moved_from=bool(_MOVED_FROM.search(head)))
    return [ctx.fact("rank", subject, predicate, Decimal(num), "位", "", period, s, e)]


# ---------------------------------------------------------------- shares and counts in words


def share_rule(m, ctx) -> list:
    """超过七成 (70 %), 超过一半 (50 %)."""
    s, e = m.start() - ctx.base, m.end() - ctx.base
    if _in_quotes(ctx.text, s):
        return []
    subject, predicate, q = strip_trailing(before_phrase(ctx.text, s))
    period, target = period_of(ctx, s)
    value = SHARES[m.group("sval")]
    kind = "target" if target else "percent"
    return [ctx.fact(kind, subject, predicate, value, "%", m.group("sq") or q, period, s, e)]


def big_count_rule(m, ctx) -> list:
    """五大领域, 五大新兴产业之一: a count of 个 (not inside quotes: “五大工程” is a name)."""
    s, e = m.start() - ctx.base, m.end() - ctx.base
    if _in_quotes(ctx.text, s):
        return []
    value = cn_number(m.group("bnum"))
    if value > 10:
        return []  # 二十大: a party congress
    subject = after_phrase(ctx.text, e)
    period, target = period_of(ctx, s)
    return [ctx.fact("target" if target else "count", subject, "", Decimal(value), "个", "", period, s, e)]


# ---------------------------------------------------------------- a number with a unit


def figure_rule(m, ctx) -> list:
    """A number with its unit: the rule of the unit's form."""
    unit = m.group("u").strip()
    form = _FORMS.get(unit)
    if form is None:
        return count_rule(m, ctx, unit)
    return form(m, ctx, unit)


def _form_table() -> dict:
    """The rule of each unit that is not a measure word of a count."""
    table = {u: quantity_rule for u in (u.split("(", 1)[0] for u in QUANTITY_UNITS)}
    table |= {
        "%": lambda m, ctx, _u: percent_rule(m, ctx, "%"),
        "％": lambda m, ctx, _u: percent_rule(m, ctx, "%"),
        "个百分点": lambda m, ctx, _u: percent_rule(m, ctx, "百分点"),
        "百分点": lambda m, ctx, _u: percent_rule(m, ctx, "百分点"),
        "元": lambda m, ctx, _u: money_rule(m, ctx),
        "级": lambda m, ctx, _u: level_rule(m, ctx),
    }
    return table


def _value(m) -> Decimal | None:
    return number_value(m.group("n"), m.group("sc"))


def _qualifier(m) -> str:
    q1, q0, q2, q3 = m.group("q1", "q0", "q2", "q3")
    return q1 or q0 or q2 or q3 or ""


def percent_rule(m, ctx, unit: str) -> list:
    """77%, 提高0.26个百分点; in a target sentence one fact per subject listed (A、B和C均达到65%以上)."""
    s, e = m.start() - ctx.base, m.end() - ctx.base
    value = _value(m)
    if value is None or (not m.group("n")[:1].isdigit()):
        return []
    period, target = period_of(ctx, s)
    phrase = before_phrase(ctx.text, s, keep_lists=target)
    subject, predicate, q = strip_trailing(phrase)
    verb, subject = strip_leading_verb(subject)
    qualifier = _qualifier(m) or q
    if not target:
        return [
            ctx.fact(
                "percent" if unit == "%" else "points",
                subject,
                predicate or verb,
                value,
                unit,
                qualifier,
                period,
                s,
                e,
            )
        ]
    subjects = [x for x in LIST_SPLIT.split(subject) if x] or [subject]
    return [
        ctx.fact("target", sub, predicate or verb, value, unit, qualifier, period, s, e) for sub in subjects
    ]


def money_rule(m, ctx) -> list:
    """1.5亿元, 200余万元, 突破千亿元: the value in yuan."""
    s, e = m.start() - ctx.base, m.end() - ctx.base
    value = _value(m)
    if value is None or (not m.group("n")[:1].isdigit() and not m.group("sc")):
        return []
    after, before = after_phrase(ctx.text, e), before_phrase(ctx.text, s)
    b_subject, b_pred, q = strip_trailing(before)
    verb, b_subject = strip_leading_verb(b_subject)
    if after and not b_subject:
        subject, predicate = after, verb or b_pred
    elif after and verb and not b_pred:
        subject, predicate = after, verb
    else:
        subject, predicate = b_subject, b_pred or verb
    period, target = period_of(ctx, s)
    kind = "target" if target else "money"
    return [ctx.fact(kind, subject, predicate, value, "元", _qualifier(m) or q, period, s, e)]


def level_rule(m, ctx) -> list:
    """技术成熟度达到6级以上, 由4级提升到6级 (the first the year before): technology readiness levels."""
    s, e = m.start() - ctx.base, m.end() - ctx.base
    head = ctx.text[:s]
    value = _value(m)
    if value is None or not _TRL.search(head) or not m.group("n").isdigit():
        return []
    subject, predicate, _q = strip_trailing(before_phrase(ctx.text, s))
    period, target = period_of(ctx, s, moved_from=bool(_MOVED_FROM.search(head)))
    kind = "target" if target else "level"
    return [ctx.fact(kind, subject.split("由", 1)[0], predicate, value, "级", _qualifier(m), period, s, e)]


def quantity_rule(m, ctx, unit: str) -> list:
    """160瓦时/千克, 零下30摄氏度 (−30), 3000小时, 3弧分: the unit as written (℃ read as 摄氏度)."""
    s, e = m.start() - ctx.base, m.end() - ctx.base
    value = _value(m)
    digits = m.group("n")[:1].isdigit()
    if value is None or not digits or (unit == "等" and "星等" not in ctx.text):
        return []
    if unit.startswith("年") and _YEAR_NUMBER.fullmatch(m.group("n")):
        return []  # 2023年: a year, not three years
    if ctx.text[max(0, s - 2) : s] == "零下" or ctx.text[s - 1 : s] in ("-", "−") and s:
        value = -value
    subject, predicate, q = strip_trailing(before_phrase(ctx.text, s))
    verb, subject = strip_leading_verb(subject)
    period, target = period_of(ctx, s, own_year=unit != "倍")
    kind = "target" if target else "quantity"
    unit = _UNIT_ALIASES.get(unit, unit)
    return [ctx.fact(kind, subject, predicate or verb, value, unit, _qualifier(m) or q, period, s, e)]


def count_rule(m, ctx, measure: str) -> list:
    """250余家科研单位, 攻克国产替代技术74项, 3.6万项, 分三批, 五个方面; 将82家基地优化重组为42家 (the
    second count takes the first's subject)."""
    s, e = m.start() - ctx.base, m.end() - ctx.base
    raw, sc = m.group("n", "sc")
    # numbers.number_value and _qualifier written out (the most frequent rule: a call less each)
    value = Decimal(raw) if not sc and raw.isdigit() else _scaled_value(raw, sc)
    if not _is_count(ctx.text, s, e, raw, value, measure):
        return []
    subject, predicate, q = _count_subject(ctx, s, e, measure)
    if subject:
        ctx.last_subject[measure] = subject
    period, target = period_of(ctx, s)
    unit = "个" if measure == "市" else _UNIT_ALIASES.get(measure, measure)
    kind = "target" if target else "count"
    q1, q0, q2, q3 = m.group("q1", "q0", "q2", "q3")
    return [ctx.fact(kind, subject, predicate, value, unit, q1 or q0 or q2 or q3 or q, period, s, e)]


def _is_count(sentence: str, s: int, e: int, raw: str, value, measure: str) -> bool:
    if value is None:
        return False
    if not raw[:1].isdigit() and (value < 2 or _in_quotes(sentence, s)):
        return False  # 一批, 一个 are not counts; “四个面向” is a slogan
    if measure in "位名" and sentence[max(0, s - 1) : s] == "第":
        return False
    if measure == "市" and not raw[:1].isdigit():
        return False  # 两市: where, not how many
    if measure in DIGITS_ONLY_MEASURES and not raw[:1].isdigit():
        return False  # 二期工程, 二十届三中全会: names
    return not (measure == "位" and sentence[e : e + 1] == "数")  # 两位数


def _count_subject(ctx, s: int, e: int, measure: str) -> tuple[str, str, str]:
    """(subject, predicate, qualifier from the phrase) of a count."""
    after, before = after_phrase(ctx.text, e), before_phrase(ctx.text, s)
    previous = ctx.last_subject.get(measure, "")
    continued = bool(previous) and previous in before
    if continued:  # 将82家创新基地|优化重组为|42家
        before = before.rsplit(previous, 1)[1]
    if continued and not after:
        return previous, before, ""
    if after:
        verb, _ = strip_leading_verb(before)
        return after, verb, ""
    b_subject, b_pred, q = strip_trailing(before)
    verb, b_subject = strip_leading_verb(b_subject)
    return b_subject or previous, verb or b_pred, q


_FORMS = _form_table()

RULES = {
    "target": target_marker,
    "year": year_marker,
    "fyp": plan_end_marker,
    "date": date_rule,
    "rank": rank_rule,
    "share": share_rule,
    "big": big_count_rule,
    "fig": figure_rule,
}
