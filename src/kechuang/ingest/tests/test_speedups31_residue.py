"""Session 31's change to the residue step (speed14, #15 criterion 5): the two aid scans are skipped on a page where
no aid's letters stand before a closing bracket, with exactly the edits of the plain step."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from kechuang.ingest.parsers import steps

_TONE_CLASS = re.compile(f"[{steps._TONE_LETTERS}]")
_CLOSED_AID = re.compile(f"[{steps._TONE_LETTERS}][)）]")


def test_the_letter_set_is_the_class():
    """`_TONE_LETTER_SET` holds exactly the characters the patterns' class matches (every BMP character asked)."""
    for code in range(0x10000):
        c = chr(code)
        assert (c in steps._TONE_LETTER_SET) == (_TONE_CLASS.fullmatch(c) is not None), hex(code)


# Chinese characters, aids in both brackets, letters glued before them, lost bytes, marks, a notice's bracket
_PIECES = st.sampled_from(
    ["科", "技", "業", "現", "將", "元", "雌", "髽", "(", ")", "（", "）", "(yè)", "(xiàn)", "（guī）", "guī)", "kē）",
     "I", "F", "@", "a", "ḿ", "ǹ", "?", "\ufffd", "，", "。", ",", ";", "1", "0", "》", " ", "\n", "(未完)"]
)  # fmt: skip
_PAGES = st.lists(_PIECES, max_size=60).map("".join)


@settings(max_examples=1500, deadline=None)
@given(_PAGES)
def test_the_gate_is_the_class_scan(text):
    assert steps._tone_letter_closes(text) == (_CLOSED_AID.search(text) is not None)


def _plain_residue(text: str):
    """`residue_find_edits` with both scans always run (before session 31)."""
    gate = steps._tone_letter_closes
    steps._tone_letter_closes = lambda _text: True
    try:
        return steps.residue_find_edits(text)
    finally:
        steps._tone_letter_closes = gate


@settings(max_examples=1500, deadline=None)
@given(_PAGES)
def test_residue_edits_are_the_plain_steps(text):
    assert steps.residue_find_edits(text) == _plain_residue(text)


def test_residue_edits_on_pages_with_and_without_a_left_aid():
    for text in [
        "科技(未完)",  # a bracket, no aid: both scans skipped
        "雌髽I(yè)務，元?F(xiàn)將",  # aids after a trail letter
        "技術(jì)合作(guī)劃了",  # an aid left inside a character and the run after it
        "（一）科技（二）",
        "",
    ]:
        assert steps.residue_find_edits(text) == _plain_residue(text)
