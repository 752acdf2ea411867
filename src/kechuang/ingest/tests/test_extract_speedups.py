"""Extraction's faster forms find what the plain forms they replace find (#15 item 5): the scan's first
character class against `\\d`, the one-match phrase helpers against the two-step ones, and the figure
pattern without optional groups written as repeats."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from kechuang.ingest.parsers import extract, subjects

# digits of several scripts (full-width, Arabic-Indic, beyond the BMP), numerals, the scan's cue characters
_PIECES = list("0123456789１２٣𝟏𝟗二十两个家项%元年到至第超过近约半成大期，。、 \n") + [
    "\U00010400",
    "时期末",
    "五大",
]


_PLAIN_FIRST = re.compile(extract._FIRST.pattern.replace(extract._decimal_ranges(), r"\d", 1))


@settings(max_examples=300)
@given(st.lists(st.sampled_from(_PIECES), max_size=30).map("".join))
def test_the_first_character_class_finds_what_digit_class_finds(text):
    plain = _PLAIN_FIRST
    assert plain.pattern != extract._FIRST.pattern
    assert [m.start() for m in extract._FIRST.finditer(text)] == [m.start() for m in plain.finditer(text)]


_WORDS = list("实验室4家通过重组成功等落户新建今年去年近年来获批研发攻克１2０") + [
    "全国排名",
    "，",
    "（",
    "a",
]


def _after_in_two_steps(sentence: str, pos: int) -> str:
    m = re.compile(rf"[{subjects.HAN}A-Za-z0-9（）()]+").match(sentence, pos)
    if not m:
        return ""
    phrase = m.group(0)
    stop = subjects._SUBJECT_STOP.search(phrase, 1)
    return phrase[: stop.start()] if stop else phrase


def _leading_in_two_steps(phrase: str) -> tuple[str, str]:
    t = subjects._TIME_WORDS.match(phrase)
    if t is not None:
        phrase = phrase[t.end() :]
    m = subjects._LEADING_VERB.match(phrase)
    return (m.group(), phrase[m.end() :]) if m else ("", phrase)


@settings(max_examples=300)
@given(st.lists(st.sampled_from(_WORDS), max_size=20).map("".join), st.integers(0, 40))
def test_the_phrase_helpers_in_one_match_give_what_two_steps_give(text, pos):
    pos = min(pos, len(text))
    assert subjects.after_phrase(text, pos) == _after_in_two_steps(text, pos)
    lead = subjects.LEADING.match(text, pos)
    assert (lead.group("verb"), text[lead.end() :]) == _leading_in_two_steps(text[pos:])
    assert subjects.strip_leading_verb(text[pos:]) == _leading_in_two_steps(text[pos:])


def test_the_figure_pattern_has_no_group_repeated_optionally():
    # `(a|b)?` over a group runs the regex engine's general repeat (a context allocated per try);
    # the pattern writes `(a|b|)` instead. Only the year's comma, a zero-width group, keeps `?`.
    assert re.findall(r"\)\?", extract._PATTERN.pattern) == [")?"]
    assert "(?P<ycomma>(?=[，,]))?" in extract._PATTERN.pattern
