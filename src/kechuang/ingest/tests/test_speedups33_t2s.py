"""Session 33's t2s (speed16, #15 criterion 5): the look-up path for a text of 1,000 characters or more reads one row
of a table of the BMP per character (its conversion, its numbers as a phrase's first and second character), where
it read three tables by code point, and sends a text beyond the BMP to OpenCC: it must still give exactly what
OpenCC gives on every string."""

import random

import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kechuang.ingest.parsers import t2s

OPENCC = opencc.OpenCC("t2s")
FAST = t2s.converter()


def test_the_table_is_of_the_bmp():
    assert isinstance(FAST, t2s._CharByChar)
    assert FAST._rows.shape == (0x10000, 4)


@pytest.mark.parametrize("chunk", [1000, 3000])
def test_every_character_on_the_look_up_path(chunk):
    """Each character of the BMP and of the first supplementary planes, in texts of each length the look-up path
    takes (its neighbours: line breaks, which end every phrase, and the characters around it in code order)."""
    chars = [chr(c) for c in range(1, 0x32000) if not 0xD800 <= c < 0xE000 and c != 10]
    for i in range(0, len(chars), chunk):
        text = "\n".join(chars[i : i + chunk]) + "的" * 1000
        assert FAST.convert(text) == OPENCC.convert(text), hex(ord(chars[i]))
        text = "".join(chars[i : i + chunk]) + "的" * 1000
        assert FAST.convert(text) == OPENCC.convert(text), hex(ord(chars[i]))


def _pad(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("的一是在不了有和人这中大为上个国发展重点项目製電於書，。") for _ in range(n))


@pytest.mark.parametrize("length", [1000, 2500])
def test_each_phrase_in_context(length):
    """Every phrase of the table, its first two characters alone and all but its last character, at the start,
    inside and at the end of long texts: the same conversion as OpenCC's."""
    rng = random.Random(length)
    phrases = sorted({p for ps in FAST._phrases.values() for p in ps})
    for p in phrases:
        for text in (
            _pad(rng, length) + p + _pad(rng, length // 3),
            _pad(rng, length) + p[:2] + "的" + _pad(rng, length // 3),
            p + _pad(rng, length),
            _pad(rng, length) + p,
            _pad(rng, length) + p[:-1],
            _pad(rng, length) + p[:1],
        ):
            assert FAST.convert(text) == OPENCC.convert(text), text


_ALPHABET = (
    "沈澱乾隆重覆發覆項鍊目劄製坏電覆大一批以出金籌任打有水不破上於素示書"
    "發現實會這對為開關門後經點體樣學車東長見問間頭電動義達從氣當還來應說個國龍"
    "的是在了和人这中为上个发展重点项目科技创新"
    "\uf900\uf901\ufa0e\U0002f800\U0002f801"
    "，。、\n ()（）a1?\ufffd\x00𠀀𩏂"
)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.text(alphabet=_ALPHABET, min_size=1, max_size=40), min_size=2, max_size=60).map("".join))
def test_same_as_opencc(text):
    for t in (text, text * 30, "的" * 1000 + text, text + "的" * 1000):
        assert FAST.convert(t) == OPENCC.convert(t)


@pytest.mark.parametrize("length", [1000, 3000])
def test_a_lone_surrogate_raises_as_in_opencc(length):
    for text in ("發" * length + "\ud800", "\udc00" + "發" * length):
        with pytest.raises(UnicodeEncodeError):
            OPENCC.convert(text)
        with pytest.raises(UnicodeEncodeError):
            FAST.convert(text)


def _around(head: str, options, tail: str) -> str:
    return head + (tail + "\n" + head).join(options) + tail


_OPTION = st.text(alphabet=_ALPHABET, min_size=1, max_size=1)


@settings(max_examples=600, deadline=None)
@given(
    st.text(alphabet=_ALPHABET, max_size=8),
    st.lists(st.one_of(_OPTION, st.text(alphabet=_ALPHABET, max_size=3)), max_size=40).map(tuple),
    st.text(alphabet=_ALPHABET, max_size=8),
)
def test_convert_around_as_opencc(head, options, tail):
    """`convert_around` (the lexicon's options in their context, head and tail converted once) is OpenCC's
    conversion of the joined texts, for options of one character or of any length."""
    assert FAST.convert_around(head, options, tail) == OPENCC.convert(_around(head, options, tail))


def test_convert_around_each_phrase_across_the_option():
    """A phrase of the table across the head and an option, or an option and the tail, or inside either: OpenCC's
    conversion (each option a phrase's character, with the rest of the phrase around it)."""
    rng = random.Random(5)
    phrases = sorted({p for ps in FAST._phrases.values() for p in ps})
    for p in phrases:
        for k in range(len(p)):
            options = tuple(rng.sample("的一是在發電製書", 4)) + (p[k],)
            for head, tail in (
                (p[:k], p[k + 1 :]),
                (_pad(rng, 3) + p[:k], p[k + 1 :] + _pad(rng, 3)),
                (p, ""),
                ("", p),
            ):
                want = OPENCC.convert(_around(head, options, tail))
                assert FAST.convert_around(head, options, tail) == want, (head, options, tail)


def test_convert_around_a_lone_surrogate_raises_as_in_opencc():
    with pytest.raises(UnicodeEncodeError):
        FAST.convert_around("發", ("\ud800", "的"), "電")
