"""Session 32's t2s (speed15, #15 criterion 5, ADR 0020): `parsers.t2s.converter()` converts a text with no phrase
of OpenCC's table in it by a look-up per character, and must give exactly what OpenCC gives on every string."""

import random
import sys
from pathlib import Path

import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kechuang.ingest.parsers import t2s

OPENCC = opencc.OpenCC("t2s")
FAST = t2s.converter()


def test_the_tables_are_read():
    """With marisa-trie installed (a dependency) the converter is the look-up one, holding OpenCC's phrases."""
    assert isinstance(FAST, t2s._CharByChar)
    assert "沈澱" in FAST._phrases["沈"]
    assert len({p for ps in FAST._phrases.values() for p in ps}) > 100


def test_every_character_alone():
    """Each character of the BMP and of the first supplementary planes converts as OpenCC converts it alone."""
    codes = [c for c in range(1, 0x32000) if not 0xD800 <= c < 0xE000 and c != 10]
    chars = [chr(c) for c in codes]
    expected = OPENCC.convert("\n".join(chars)).split("\n")
    assert len(expected) == len(chars)
    for ch, want in zip(chars, expected, strict=True):
        assert FAST.convert(ch) == want, hex(ord(ch))


def _pad(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("的一是在不了有和人这中大为上个国发展重点项目製電於書，。") for _ in range(n))


@pytest.mark.parametrize("length", [0, 20, 1100])
def test_each_phrase_in_context(length):
    """Every phrase of the table, and its first two characters without the rest, inside text of each length
    path (translate, OpenCC, numpy): the same conversion as OpenCC's."""
    rng = random.Random(length)
    phrases = sorted({p for ps in FAST._phrases.values() for p in ps})
    for p in phrases:
        for text in (
            _pad(rng, length) + p + _pad(rng, length // 3),
            _pad(rng, length) + p[:2] + "的" + _pad(rng, length // 3),
            p + _pad(rng, length),
            _pad(rng, length) + p,
            _pad(rng, length) + p[:-1],
        ):
            assert FAST.convert(text) == OPENCC.convert(text), text


_ALPHABET = (
    "沈澱乾隆重覆發覆項鍊目劄製坏電覆大一批以出金籌任打有水不破上於素示書"  # phrases' first and second characters
    "發現實會這對為開關門後經點體樣學車東長見問間頭電動義達從氣當還來應說個國龍"  # traditional
    "的是在了和人这中为上个发展重点项目科技创新"  # simplified
    "\uf900\uf901\ufa0e\U0002f800\U0002f801"  # CJK compatibility ideographs (normalised first)
    "，。、\n ()（）a1?\ufffd\x00𠀀𩏂"
)
_TEXTS = st.one_of(
    st.text(alphabet=_ALPHABET, max_size=60),
    st.lists(st.text(alphabet=_ALPHABET, max_size=40), max_size=80).map("".join),
    st.text(max_size=80).filter(lambda t: not any(0xD800 <= ord(c) < 0xE000 for c in t)),
)


@settings(max_examples=400, deadline=None)
@given(_TEXTS, st.integers(min_value=0, max_value=1200))
def test_same_as_opencc(text, pad):
    for t in (text, _pad(random.Random(pad), pad) + text):
        assert FAST.convert(t) == OPENCC.convert(t)


@pytest.mark.parametrize("length", [3, 600, 1500])
def test_a_lone_surrogate_raises_as_in_opencc(length):
    text = "發" * length + "\ud800"
    with pytest.raises(UnicodeEncodeError):
        OPENCC.convert(text)
    with pytest.raises(UnicodeEncodeError):
        FAST.convert(text)


def test_the_bench_corpus():
    """The benchmark's pages (traditional characters by the third, damaged) convert as OpenCC converts them."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[4] / "benchmarks" / "ingest"))
    try:
        from bench_ingest import make_corpus
    finally:
        sys.path.pop(0)

    for doc in make_corpus(0.05, 3):
        assert FAST.convert(doc) == OPENCC.convert(doc)
