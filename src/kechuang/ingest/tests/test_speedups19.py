"""Session 19's cuts (#15 item 5): the punctuation step's runner gives exactly what the plain step gives."""

import random
import re

import pytest

from kechuang.ingest.parsers import steps
from kechuang.ingest.parsers.charsets import HAN_OR_PUNCT
from kechuang.ingest.parsers.edits import OffsetMap, apply_edits

_PIECES = "科技，,。、；：!?;:， ,，“”（）()工程(技术)a1%）\n\n　中文总结报告一二 ，。,、!"


def _same(text: str) -> None:
    out, edits, omap = steps.punctuation_run(text)
    plain = steps.punctuation_find_edits(text)
    assert out == apply_edits(text, plain), text
    assert list(edits) == plain, text
    assert len(edits) == len(plain)
    full = OffsetMap(plain)
    for i in range(len(out) + 1):
        for end in (False, True):
            assert omap.to_input(i, end=end) == full.to_input(i, end=end), (text, i, end)
    for i in range(len(text) + 1):
        for end in (False, True):
            assert omap.to_output(i, end=end) == full.to_output(i, end=end), (text, i, end)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "科技",
        "科技,发展",  # a half-width comma only: every offset stays where it was
        "科技，!发展",  # a deletion right before a half-width mark: the mark's start is the deletion's place
        "科技,，。发展",
        "科技。,发展",
        "工程(技术)研究,中心 二期\n" + "长" * 45 + "\n行",
        "a,b",  # no Chinese around: kept
    ],
)
def test_the_punctuation_runner_gives_what_the_plain_step_gives(text):
    _same(text)


def test_the_punctuation_runner_on_random_strings():
    rng = random.Random(19)
    for _ in range(3000):
        _same("".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 40))))


def test_stray_spaces_are_found_as_with_the_look_behind_first():
    before = re.compile(rf"(?<=[{HAN_OR_PUNCT}]) (?=[{HAN_OR_PUNCT}])")
    rng = random.Random(7)
    for _ in range(3000):
        text = "".join(rng.choice("中文， ,。 a1 　\n") for _ in range(rng.randint(0, 30)))
        assert [m.span() for m in steps._STRAY_SPACE.finditer(text)] == [
            m.span() for m in before.finditer(text)
        ], text
