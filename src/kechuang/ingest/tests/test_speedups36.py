"""Session 36's cut (speed19, #15 criterion 5): `extract._provinces_holding` tries `_PROVINCE_HOLDS` only two
characters before each 省 (`scan.matches_at`); it must find exactly what `finditer` finds, on random strings of
the pattern's words and marks (hypothesis) and on the corpus."""

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from kechuang.ingest.parsers import extract, scan

from .bench import BENCH

_PIECES = [
    "省",
    "耜",
    "耖",
    "耜耖",
    "全",
    "我",
    "本",
    "两",
    "现有",
    "拥有",
    "有",
    "目前",
    "累计",
    "共",
    "已",
    "国际科技合作基地42家",
    "其中国家级9家",
    "高新技术企业",
    "。",
    "！",
    "？",
    "；",
    ";",
    "，",
    "\n",
    "7",
    "三",
    "A",
]
_TEXTS = st.lists(st.sampled_from(_PIECES), max_size=40).map("".join)


def _spans(matches) -> list:
    return [(m.span(), m.groups()) for m in matches]


def _fast(text: str) -> list:
    return _spans(scan.matches_at(extract._PROVINCE_HOLDS, text, ("省",), (2,)))


def _corpus_texts() -> list[str]:
    """The clean texts of dev … dev38 and train (tuned splits only: none kept unseen is read)."""
    splits = ["dev", *(f"dev{k}" for k in range(2, 39)), "train"]
    return [
        path.read_text(encoding="utf-8")
        for split in splits
        for path in sorted((Path(BENCH) / "corpus" / split).glob("*.txt"))
    ]


@settings(max_examples=300, deadline=None)
@given(_TEXTS)
def test_province_holds_at_its_places_is_finditer(text):
    assert _fast(text) == _spans(extract._PROVINCE_HOLDS.finditer(text))


def test_province_holds_at_its_places_on_the_corpus():
    found = 0
    for text in _corpus_texts():
        fast = _fast(text)
        assert fast == _spans(extract._PROVINCE_HOLDS.finditer(text))
        found += len(fast)
    assert found  # (the corpus holds such sentences)
    at_start = "耜耖省现有国际科技合作基地42家，其中国家级9家"
    assert _fast(at_start) == [((0, 5), ("耜耖省",))]
    after_end = "。耜耖省现有国际科技合作基地42家"
    assert _fast(after_end) == [((1, 6), ("耜耖省",))]
    assert _fast("，耜耖省现有基地42家") == []  # (after a comma: not a sentence's opening)


def test_provinces_holding_uses_the_places():
    text = "全省共有基地12家。\n耜耖省现有国际科技合作基地42家；我省拥有30家。"
    assert extract._provinces_holding(text) == {"耜耖省"}
