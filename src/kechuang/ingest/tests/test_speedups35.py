"""Session 35's cuts (speed18, #15 criterion 5): each fast path gives exactly what the plain form it replaces gives,
on random strings of the genre's words and marks (hypothesis) and on the corpus."""

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from kechuang.ingest.parsers import extract

from . import bench
from .bench import BENCH

_PIECES = [
    "的",
    "省",
    "缃",
    "汧溟",
    "两省",
    "全省",
    "同期参加两省联合评估",
    "电化学储能重点",
    "实验室",
    "研究院",
    "研究所",
    "科学院",
    "大学",
    "得分89.3分",
    "，",
    ",",
    "。",
    "；",
    ";",
    "：",
    "、",
    "\n",
    "7",
    "今年",
    "〔存疑：",
    "〕",
    "隐去",
    "A",
]
_TEXTS = st.lists(st.sampled_from(_PIECES), max_size=40).map("".join)


def _spans(matches) -> list:
    return [(m.span(), m.groups()) for m in matches]


def _dev_texts() -> list[str]:
    """The clean texts of dev … dev38 (tuned splits only: none kept unseen is read)."""
    splits = ["dev", *(f"dev{k}" for k in range(2, 39))]
    return [
        path.read_text(encoding="utf-8")
        for split in splits
        for path in sorted((Path(BENCH) / "corpus" / split).glob("*.txt"))
    ]


@settings(max_examples=300, deadline=None)
@given(_TEXTS)
def test_described_institutes_are_finditers_matches(text):
    assert _spans(extract._described_institutes(text)) == _spans(extract._DESCRIBED_INSTITUTE.finditer(text))


def test_described_institutes_on_the_corpus():
    found = 0
    for text in _dev_texts():
        fast = _spans(extract._described_institutes(text))
        assert fast == _spans(extract._DESCRIBED_INSTITUTE.finditer(text))
        found += len(fast)
    assert found  # (the corpus holds such names: dev15-05, dev26-07, dev38)
    at_start = "同期参加两省联合评估的缃溟省电化学储能重点实验室得分89.3分"
    assert _spans(extract._described_institutes(at_start)) == [((0, 24), ("缃溟省",))]


class _NeverLater:
    """`extract._MARKED_LATER` as it was before speed18: the facts read through choice marks marked twice."""

    def get(self):
        return False

    def set(self, _value):
        return None

    def reset(self, _token):
        return None


def _facts(text: str, result) -> list:
    return [sorted(vars(f).items()) for f in extract.extract_facts(text, result=result)]


def test_facts_read_through_choice_marks_are_marked_as_when_marked_twice(monkeypatch):
    from kechuang.ingest import parsers

    forward = bench.load("forward.py")
    marked = 0
    for path in sorted(Path(BENCH / "corpus").glob("dev2/*.txt")):
        for seed in (0, 1):
            page = forward.corrupt(path.read_text(encoding="utf-8"), seed, commas=bool(seed % 2))
            result = parsers.repair(page.text)
            fast = _facts(result.text, result)
            with monkeypatch.context() as m:
                m.setattr(extract, "_MARKED_LATER", _NeverLater())
                assert _facts(result.text, result) == fast
            marked += bool(extract._CHOICE_MARK.search(result.text))
    assert marked  # (pages with a choice mark were read)
