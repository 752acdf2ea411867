"""Session 29's cuts of extraction (speed11, #15 item 5): each fast path gives exactly what the plain scan it
replaces gives, on random strings of the genre's characters, words and digits (hypothesis) and on the corpus."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kechuang.ingest.parsers import extract, scan

from .test_speedups27 import _corpus_texts
from .test_speedups28_extract import _MORE

_PIECES = [
    *_MORE,
    "省20",
    "2025年",
    "去年",
    "上年",
    "年",
    "答：",
    "问:",
    "记者：",
    "。",
    "！",
    "？",
    "\n",
    "I省汭口市",
    "〔存疑：？寷〕",
    "〔存疑：一二三四五六七八九〕",
    "？",
    "\ufffd",
    "汭口市场",
    "全省",
    "邻省",
    "两省",
    "口",
    "市",
    "0",
    "7",
    "，",
    "市的",
    "的高新技术企业今年已经超过五千家",
    "湝源",
    "19",
    "1998年，",
    "当年",
    "该年",
    "1919",
]
_TEXTS = st.lists(st.sampled_from(_PIECES), max_size=40).map("".join)


def _spans(matches) -> list:
    return [(m.span(), m.groups()) for m in matches]


def test_the_random_strings_hold_matches():
    assert len(extract._provinces_dated("答：岚江省去年。全省2025年。岱沄省2025年", 0)) == 2
    assert (
        len(extract._cities_of_masked_provinces("〔存疑：？寷〕I省汭口市，〔隐去〕省汭口市场，寷I省砚湄市"))
        == 2
    )


@settings(max_examples=1500, deadline=None)
@given(text=_TEXTS, pos=st.integers(min_value=0, max_value=30))
def test_provinces_dated_are_what_finditer_finds(text, pos):
    assert _spans(extract._provinces_dated(text, pos)) == _spans(extract._PROVINCE_DATED.finditer(text, pos))
    fast, plain = extract._province_dated(text, pos), extract._PROVINCE_DATED.search(text, pos)
    assert (fast and fast.span()) == (plain and plain.span())


@settings(max_examples=1500, deadline=None)
@given(text=_TEXTS)
def test_cities_of_masked_provinces_are_what_finditer_finds(text):
    assert _spans(extract._cities_of_masked_provinces(text)) == _spans(
        extract._CITY_OF_MASKED_PROVINCE.finditer(text)
    )


@settings(max_examples=1500, deadline=None)
@given(text=_TEXTS)
def test_cities_opening_and_old_years_are_what_finditer_finds(text):
    assert _spans(extract._cities_opening(text)) == _spans(extract._CITY_OPENS.finditer(text))
    assert _spans(extract._old_years_then(text)) == _spans(extract._OLD_YEAR_THEN.finditer(text))
    fast, plain = (
        scan.search_at(extract._OLD_YEAR_THEN, text, ("19",), (0,)),
        extract._OLD_YEAR_THEN.search(text),
    )
    assert (fast and fast.span()) == (plain and plain.span())


@settings(max_examples=1000, deadline=None)
@given(text=_TEXTS, places=st.sets(st.integers(min_value=-3, max_value=60)), pos=st.integers(0, 20))
def test_matches_at_places_tries_the_places_finditer_would(text, places, pos):
    # every match of _CITY_OF_PROVINCE opens 2 characters before a 省: the places those, plus any others
    pattern = extract._CITY_OF_PROVINCE
    places = sorted(places | {i - 2 for i, c in enumerate(text) if c == "省"})
    assert _spans(scan.matches_at_places(pattern, text, places, pos)) == _spans(pattern.finditer(text, pos))


@pytest.mark.slow
def test_the_fast_scans_on_the_corpus():
    found = [0, 0]
    for text in _corpus_texts():
        for pos in (0, max(0, text.find("\n"))):
            fast = extract._provinces_dated(text, pos)
            assert _spans(fast) == _spans(extract._PROVINCE_DATED.finditer(text, pos))
            plain = extract._PROVINCE_DATED.search(text, pos)
            assert (fast[0].span() if fast else None) == (plain.span() if plain else None)
            found[0] += len(fast)
        masked = extract._cities_of_masked_provinces(text)
        assert _spans(masked) == _spans(extract._CITY_OF_MASKED_PROVINCE.finditer(text))
        found[1] += len(masked)
        assert _spans(extract._cities_opening(text)) == _spans(extract._CITY_OPENS.finditer(text))
        assert _spans(extract._old_years_then(text)) == _spans(extract._OLD_YEAR_THEN.finditer(text))
    assert found[0], found  # (the clean pages and their damaged forms hold no masked province before a city)
