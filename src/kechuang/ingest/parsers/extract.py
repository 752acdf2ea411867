"""Facts from repaired text: counts with measure words, money, percentages, ranks, dates and targets.

Each fact carries what is counted (subject), the verb that states it (predicate), the value, unit,
qualifier (余/以上/超...), period, the sentence it comes from and its offsets in the repaired text (and in
the original, when the repair result is given). Pure: no database.
"""

import re
from bisect import bisect_right
from dataclasses import asdict, dataclass
from decimal import Decimal

from .charsets import HAN

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

MEASURES = "个家项台名种所座套件条篇位人"
_NUM = r"(?P<num>\d+(?:\.\d+)?|[一二两三四五六七八九十百千]{1,4})"
_CLAUSE_DELIM = re.compile(r"[，,：:；“”\"（）()《》〔〕]")
_UP_TO_LAST_DELIM = re.compile(r"(?s:.*)" + _CLAUSE_DELIM.pattern)

# The leading lookahead lets the engine reject most positions with one character-class test.
_PATTERN = re.compile(
    r"(?=[到至第超逾近约\d一二两三四五六七八九十百千])(?:"
    + "|".join(
        [
            r"(?P<target>(?:到|至)[“\"]?(?P<tyear>20\d\d)年)",
            r"(?P<date>(?<!\d)(?P<month>1[0-2]|0?[1-9])月(?P<day>3[01]|[12]\d|0?[1-9])日)",
            r"(?P<rank>第(?P<rnum>\d+|[一二三四五六七八九十]{1,3})(?P<runit>位|名)?)",
            r"(?P<pct>(?P<pq>超过|超|逾|近|约)?(?P<pnum>\d+(?:\.\d+)?)\s?[%％](?P<pq2>以上|以下|左右)?)",
            r"(?P<money>(?P<mq>超过|超|逾|近|约)?(?P<mnum>\d+(?:\.\d+)?)(?P<mq2>余|多)?(?P<mscale>亿|万|千)?元)",
            rf"(?P<count>(?P<cq>超过|超|逾|(?<![{HAN}])近|(?<![{HAN}])约)?(?<![A-Za-z\-\d.第]){_NUM}(?P<cq2>余|多)?(?P<measure>[{MEASURES}])"
            rf"(?P<cq3>以上)?)",
        ]
    )
    + ")"
)
_RANK_CUE = re.compile(r"(居|排名|排|位列|列|位居)[^，。；]{0,4}$")

LEADING_VERBS = sorted(
    [
        "吸引集聚",
        "布局建设",
        "系统部署",
        "已签约",
        "攻克",
        "研发",
        "解决",
        "获批",
        "新获批",
        "创制",
        "建成",
        "新建",
        "集聚",
        "签约",
        "实现",
        "获得",
        "部署",
        "组建",
        "引进",
        "培育",
        "支持",
        "新增",
        "累计",
        "共有",
        "拥有",
        "完成",
        "突破",
        "建设",
        "认定",
        "立项",
        "采取",
        "推动",
        "开展",
        "举办",
        "成立",
        "发布",
        "落地",
        "争取",
        "力争",
        "提出",
        "形成",
    ],
    key=len,
    reverse=True,
)
TRAILING_VERBS = sorted(
    [
        "达到",
        "达",
        "为",
        "超过",
        "突破",
        "提高到",
        "提升到",
        "增长",
        "增长到",
        "占比",
        "占",
        "均达到",
        "均",
        "稳居",
        "居",
        "位居",
        "排名",
        "位列",
        "列",
    ],
    key=len,
    reverse=True,
)
# verbs that end a subject written after the measure word: 4家实验室|重组成功
_SUBJECT_STOP = re.compile(
    r"(通过|重组|落户|实现|获批|达到|全国排名|排名|协同|优化|稳步|系统部署|部署|提供|签约|建成|新建|成为|等|\d)"
)
_QUALIFIERS = ("超过", "超", "逾", "近", "约")
KINDS = ("count", "money", "percent", "rank", "date", "target")
_MONEY_SCALE = {"亿": Decimal(100_000_000), "万": Decimal(10_000), "千": Decimal(1000), None: Decimal(1)}


@dataclass
class Fact:
    kind: str  # count | money | percent | rank | date | target
    subject: str
    predicate: str
    value: Decimal | str
    unit: str
    qualifier: str
    period: str
    quote: str
    start: int  # the figure's place in the repaired text
    end: int
    sentence_start: int
    sentence_end: int
    orig_start: int | None = None
    orig_end: int | None = None

    def as_json(self) -> dict:
        out = asdict(self)
        out["value"] = str(self.value)
        return out


def _plain(value: Decimal) -> Decimal:
    return Decimal(int(value)) if value == value.to_integral_value() else value


def cn_number(s: str) -> int | None:
    """The value of a small Chinese numeral (两 = 2, 十二 = 12, 三百 = 300), None when it is not one."""
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
    return total + current


_TIME_WORDS = re.compile(r"^(今年|去年|当前|目前|全年|同时|此外|其中|近年来|近年|年内|上半年|下半年)")


# The verb lists as patterns: an alternation tries its branches in order, so `match` finds the first
# (longest) leading verb, and a search for a trailing one from offset 1 finds the longest verb that ends
# the phrase and is shorter than it - what a loop over the lists finds, in one C-level call.
_LEADING_VERB = re.compile("|".join(map(re.escape, LEADING_VERBS)))
_TRAILING_VERB = re.compile("(?:" + "|".join(map(re.escape, TRAILING_VERBS)) + r")\Z")


def _strip_leading_verb(phrase: str) -> tuple[str, str]:
    phrase = _TIME_WORDS.sub("", phrase)
    m = _LEADING_VERB.match(phrase)
    if m:
        return m.group(), phrase[m.end() :]
    return "", phrase


def _strip_trailing(phrase: str) -> tuple[str, str, str]:
    """(subject, trailing predicate, qualifier) of a phrase written before a figure."""
    qualifier = ""
    for q in _QUALIFIERS:
        if phrase.endswith(q):
            qualifier, phrase = q, phrase[: -len(q)]
            break
    m = _TRAILING_VERB.search(phrase, 1)
    if m:
        return phrase[: m.start()], m.group(), qualifier
    return phrase, "", qualifier


def _before_phrase(sentence: str, pos: int, *, keep_lists: bool = False) -> str:
    head = sentence[:pos]
    # the text after the last clause delimiter: a greedy prefix backtracks from the end to it
    m = _UP_TO_LAST_DELIM.match(head)
    phrase = head[m.end() :] if m else head
    if not keep_lists and "、" in phrase:
        phrase = phrase.rsplit("、", 1)[1]
    return phrase.strip()


_WORDS = re.compile(rf"[{HAN}A-Za-z0-9（）()]+")


def _after_phrase(sentence: str, pos: int) -> str:
    m = _WORDS.match(sentence, pos)
    if not m:
        return ""
    phrase = m.group(0)
    stop = _SUBJECT_STOP.search(phrase, 1)
    if stop:
        phrase = phrase[: stop.start()]
    return phrase


def _clean_subject(s: str) -> str:
    return s.strip(" ，、：:的").removeprefix("了")


_SENTENCE_END = re.compile(r"[。！？；\n]")
# Where a figure can start: a character of the pattern's leading lookahead followed by what the
# pattern's branches need next - 到/至 a year, 第 a numeral, 超/逾/近/约 a number, a Chinese numeral a
# measure word - and a digit that does not follow a digit (or a digit and a point). A pattern that starts
# with a lookahead makes the regex engine try a match at every position of the text; one that starts
# with a character class lets it skip ahead in C. So the figures are found by searching for this and
# trying the pattern only there: the same matches as finditer, as a match can only start where these
# hold, and no match starts inside a number (a percentage or a sum that matches from an inner digit
# matches from the number's first digit too, counts and dates look behind for a digit, and no match ends
# inside a number).
_CN_NUMERAL = "一二两三四五六七八九十百千"
_FIRST = re.compile(
    rf"[到至第超逾近约\d{_CN_NUMERAL}]"
    rf"(?:(?<=\d)(?<!\d\d)(?<!\d\.\d)"
    rf"|(?<=[{_CN_NUMERAL}])(?=[{_CN_NUMERAL}]{{0,3}}(?:余|多)?[{MEASURES}])"
    rf"|(?<=[超逾近约])(?=过?[\d{_CN_NUMERAL}])"
    rf"|(?<=第)(?=[\d一二三四五六七八九十])"
    rf"|(?<=[到至])(?=[“\"]?20\d\d年))"
)


def _figures(text: str, pos: int, endpos: int):
    """The matches of _PATTERN that `finditer(text[pos:endpos])` finds (a sentence: its first character
    follows a sentence end, which no lookbehind of the pattern accepts, so seeing it changes nothing)."""
    search, match = _FIRST.search, _PATTERN.match
    while True:
        q = search(text, pos, endpos)
        if q is None:
            return
        m = match(text, q.start(), endpos)
        if m is None:
            pos = q.start() + 1
        else:
            yield m
            pos = m.end()


def _sentences(text: str):
    """(start, end) of each sentence holding a character a figure can start with, in order."""
    first = _FIRST.search(text)
    if first is None:
        return
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    n = len(text)
    search = _FIRST.search
    while first is not None:
        i = bisect_right(ends, first.start())
        start = ends[i - 1] if i else 0
        end = ends[i] if i < len(ends) else n
        if text[end - 1 : end] == "\n":
            end -= 1
        yield start, end
        first = search(text, ends[i]) if i < len(ends) else None


def extract_facts(text: str, *, year: int | None = None, result=None) -> list[Fact]:
    """Every fact in `text` (repaired text), in order. `result` (a RepairResult) adds original offsets."""
    facts: list[Fact] = []
    period = str(year) if year else ""
    for base, sentence_end in _sentences(text):
        sentence = text[base:sentence_end]
        quote = sentence.strip()
        target_year = ""
        target_pos = -1
        last_subject: dict[str, str] = {}
        for m in _figures(text, base, sentence_end):
            s, e = m.start() - base, m.end() - base
            kind = m.lastgroup  # the branch that matched (its group is the pattern's last closed one)
            if kind == "target":
                target_year, target_pos = m.group("tyear"), e
                continue
            in_target = target_year and s >= target_pos
            if kind == "date":
                month, day = int(m.group("month")), int(m.group("day"))
                value = f"{year:04d}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"
                subject = _after_phrase(sentence, e) or _before_phrase(sentence, s)
                facts.append(
                    _fact("date", subject, "", value, "date", "", period, quote, base, s, e, sentence_end)
                )
            elif kind == "rank":
                head = sentence[:s]
                if not _RANK_CUE.search(head):
                    continue
                num = cn_number(m.group("rnum"))
                if num is None:
                    continue
                phrase = _before_phrase(sentence, s)
                cue = _RANK_VERB.search(phrase)
                subject, predicate = (phrase[: cue.start()], phrase[cue.start() :]) if cue else (phrase, "")
                facts.append(
                    _fact(
                        "rank",
                        subject,
                        predicate,
                        Decimal(num),
                        "位",
                        "",
                        period,
                        quote,
                        base,
                        s,
                        e,
                        sentence_end,
                    )
                )
            elif kind == "pct":
                qualifier = m.group("pq") or m.group("pq2") or ""
                phrase = _before_phrase(sentence, s, keep_lists=bool(in_target))
                subject, predicate, q = _strip_trailing(phrase)
                qualifier = qualifier or q
                verb, subject = _strip_leading_verb(subject)
                value = Decimal(m.group("pnum"))
                if in_target:
                    subjects = [x for x in _LIST_SPLIT.split(subject) if x] or [subject]
                    for sub in subjects:
                        facts.append(
                            _fact(
                                "target",
                                sub,
                                predicate or verb,
                                value,
                                "%",
                                qualifier,
                                target_year,
                                quote,
                                base,
                                s,
                                e,
                                sentence_end,
                            )
                        )
                else:
                    facts.append(
                        _fact(
                            "percent",
                            subject,
                            predicate or verb,
                            value,
                            "%",
                            qualifier,
                            period,
                            quote,
                            base,
                            s,
                            e,
                            sentence_end,
                        )
                    )
            elif kind == "money":
                qualifier = m.group("mq") or m.group("mq2") or ""
                value = _plain(Decimal(m.group("mnum")) * _MONEY_SCALE[m.group("mscale")])
                after = _after_phrase(sentence, e)
                before = _before_phrase(sentence, s)
                b_subject, b_pred, q = _strip_trailing(before)
                qualifier = qualifier or q
                verb, b_subject = _strip_leading_verb(b_subject)
                if after and not b_subject:
                    subject, predicate = after, verb or b_pred
                elif after and verb and not b_pred:
                    subject, predicate = after, verb
                else:
                    subject, predicate = b_subject, b_pred or verb
                facts.append(
                    _fact(
                        "money",
                        subject,
                        predicate,
                        value,
                        "元",
                        qualifier,
                        period,
                        quote,
                        base,
                        s,
                        e,
                        sentence_end,
                    )
                )
            elif kind == "count":
                raw = m.group("num")
                num = cn_number(raw)
                if num is None or (not raw.isdigit() and num < 2):
                    continue
                measure = m.group("measure")
                if measure in "位名" and sentence[max(0, s - 1) : s] == "第":
                    continue
                qualifier = m.group("cq") or m.group("cq2") or m.group("cq3") or ""
                after = _after_phrase(sentence, e)
                before = _before_phrase(sentence, s)
                previous = last_subject.get(measure, "")
                continued = bool(previous) and previous in before
                if continued:  # 将82家创新基地|优化重组为|42家
                    before = before.rsplit(previous, 1)[1]
                if continued and not after:
                    subject, predicate = previous, before
                elif after:
                    verb, _ = _strip_leading_verb(before)
                    subject, predicate = after, verb
                else:
                    b_subject, b_pred, q = _strip_trailing(before)
                    verb, b_subject = _strip_leading_verb(b_subject)
                    subject, predicate = b_subject or previous, verb or b_pred
                    qualifier = qualifier or q
                if subject:
                    last_subject[measure] = subject
                facts.append(
                    _fact(
                        "target" if in_target else "count",
                        subject,
                        predicate,
                        Decimal(num),
                        measure,
                        qualifier,
                        target_year if in_target else period,
                        quote,
                        base,
                        s,
                        e,
                        sentence_end,
                    )
                )
    if result is not None and facts:
        # every figure's place in the original text, the offsets mapped in bulk (one pass per map)
        starts = result.to_original_many([f.start for f in facts])
        ends = result.to_original_many([f.end for f in facts], end=True)
        for f, o_start, o_end in zip(facts, starts, ends, strict=True):
            f.orig_start, f.orig_end = o_start, o_end
    return facts


_RANK_VERB = re.compile(r"(稳居|位居|居|排名|位列|列|排)")
_LIST_SPLIT = re.compile(r"[、和及]")


def _fact(kind, subject, predicate, value, unit, qualifier, period, quote, base, s, e, sentence_end) -> Fact:
    return Fact(
        kind,
        _clean_subject(subject),
        predicate,
        value,
        unit,
        qualifier,
        period,
        quote,
        base + s,
        base + e,
        base,
        sentence_end,
    )
