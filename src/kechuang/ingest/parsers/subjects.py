"""Subjects and predicates of facts: the noun phrase next to a figure and the verb that states it.

Rule-based (no parse): the phrase before a figure, back to the last clause delimiter, minus its leading
verb (获批, 新建 ...) and trailing verb (达到, 为 ...); or the words after a measure word (4家实验室).
"""

import re

from .charsets import HAN

_CLAUSE_DELIM = re.compile(r"[，,：:；“”\"（）()《》〔〕]")
UP_TO_LAST_DELIM = re.compile(r"(?s:.*)" + _CLAUSE_DELIM.pattern)
_QUALIFIERS = ("超过", "超", "逾", "近", "约")
RANK_VERB = re.compile(r"(稳居|位居|居|排名|位列|列|排|升至|降至|跃升至|上升至|提升至)")
LIST_SPLIT = re.compile(r"[、和及]")

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
_TIME_WORDS = re.compile(r"^(今年|去年|当前|目前|全年|同时|此外|其中|近年来|近年|年内|上半年|下半年)")


# The verb lists as patterns: an alternation tries its branches in order, so `match` finds the first
# (longest) leading verb, and a search for a trailing one from offset 1 finds the longest verb that ends
# the phrase and is shorter than it - what a loop over the lists finds, in one C-level call.
_LEADING_VERB = re.compile("|".join(map(re.escape, LEADING_VERBS)))
_TRAILING_VERB = re.compile("(?:" + "|".join(map(re.escape, TRAILING_VERBS)) + r")\Z")


# a time word and a leading verb in one match, each optional - written `(…|)`, not `(…)?`, which the regex
# engine runs through a loop with an allocated context - so it always matches, without backtracking. Used
# inline by the figure rule (one match and a group read, ~0.3 µs); as a function the two matches below are
# cheaper (each pattern fails at a phrase's first character in C).
LEADING = re.compile(rf"(?:{_TIME_WORDS.pattern[2:-1]}|)(?P<verb>{_LEADING_VERB.pattern}|)")


def strip_leading_verb(phrase: str) -> tuple[str, str]:
    """(leading verb, the rest) of a phrase, a time word in front of it (今年, 目前) left out."""
    t = _TIME_WORDS.match(phrase)  # anchored at the start: what `sub` would take out
    if t is not None:
        phrase = phrase[t.end() :]
    m = _LEADING_VERB.match(phrase)
    if m:
        return m.group(), phrase[m.end() :]
    return "", phrase


def strip_trailing(phrase: str) -> tuple[str, str, str]:
    """(subject, trailing predicate, qualifier) of a phrase written before a figure."""
    qualifier = ""
    if phrase.endswith(_QUALIFIERS):  # one C-level test for the common case (none)
        for q in _QUALIFIERS:
            if phrase.endswith(q):
                qualifier, phrase = q, phrase[: -len(q)]
                break
    m = _TRAILING_VERB.search(phrase, 1)
    if m:
        return phrase[: m.start()], m.group(), qualifier
    return phrase, "", qualifier


def before_phrase(sentence: str, pos: int, *, keep_lists: bool = False) -> str:
    # the text after the last clause delimiter before `pos`: a greedy prefix backtracks from `pos` to it
    m = UP_TO_LAST_DELIM.match(sentence, 0, pos)
    phrase = sentence[m.end() : pos] if m else sentence[:pos]
    if not keep_lists and "、" in phrase:
        phrase = phrase.rsplit("、", 1)[1]
    return phrase.strip()


_WORD = rf"[{HAN}A-Za-z0-9（）()]"
# the words after a figure up to a stop word (not at their first character) or the first other character:
# one match (every stop word is made of these characters, so one inside the run is one in the text)
AFTER = re.compile(rf"{_WORD}(?:(?!{_SUBJECT_STOP.pattern}){_WORD})*")


def after_phrase(sentence: str, pos: int) -> str:
    m = AFTER.match(sentence, pos)
    return m.group() if m else ""


SUBJECT_STRIP = " ，、：:的"


def clean_subject(s: str) -> str:
    return s.strip(SUBJECT_STRIP).removeprefix("了")
