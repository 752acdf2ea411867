"""Session 28's cuts (speed8, #15 item 5): each fast path gives exactly what its plain form gives."""

import random
import re
from itertools import compress

import pytest

from kechuang.ingest.parsers import extract, scan

from .test_speedups27 import _WORDS, _corpus_texts

_MORE = [
    *_WORDS,
    "A",
    "z",
    "？",
    "〔存疑：",
    "〔存疑：？〕",
    "〕",
    "隔壁省",
    "由",
    "“",
    "（",
    "〔隐去〕",
    "来自邻省",
    "高新区",
    "经开区",
    "潟城",
]


def _plain_said_as_a_name(text: str, name: str) -> bool:
    """`_said_as_a_name` as it was written before: a search of the whole text."""
    if extract._NOT_A_NAME.search(name, 0, len(name) - 1) is not None:
        return False
    pattern = rf"(?:^|(?<=[，,。；;：:\n、“（与和及同在到赴由向对])|(?<=邻省|来自)){re.escape(name)}"
    return re.search(pattern, text, re.M) is not None


def test_said_as_a_name_is_the_search_it_replaces():
    rng = random.Random(28)
    names = ["岚江省", "岱沄省", "砚湄市", "省", "市", "江省"]
    for _ in range(6000):
        text = "".join(rng.choice(_MORE) for _ in range(rng.randint(0, 30)))
        for name in names:
            assert extract._said_as_a_name(text, name) == _plain_said_as_a_name(text, name), (text, name)


def test_garbled_province_is_the_search_it_replaces():
    rng = random.Random(28)
    texts = ["".join(rng.choice(_MORE) for _ in range(rng.randint(0, 30))) for _ in range(6000)]
    texts += _corpus_texts()
    found = 0
    for text in texts:
        plain = extract._GARBLED_PROVINCE.search(text) is not None
        assert extract._garbled_province(text) == plain, text
        found += plain
    assert found


@pytest.mark.parametrize(
    "pattern", [extract._PROVINCE_OPENING, extract._CITY_OF_PROVINCE, extract._ZONE_OF_PROVINCE]
)
def test_province_scans_find_what_finditer_finds(pattern):
    rng = random.Random(2028)
    texts = ["".join(rng.choice(_MORE) for _ in range(rng.randint(0, 40))) for _ in range(4000)]
    for text in [*texts, *_corpus_texts()]:
        fast = scan.matches_at(pattern, text, ("省",), (2,))
        assert [(m.span(), m.groups()) for m in fast] == [
            (m.span(), m.groups()) for m in pattern.finditer(text)
        ], text
        first = scan.search_at(pattern, text, ("省",), (2,))
        plain = pattern.search(text)
        assert (first and first.span()) == (plain and plain.span()), text


def test_the_places_of_needles_are_kept_per_text_and_asked_again_alike():
    text = "岚江省科技厅，岱沄省科学技术厅与我省。砚湄市科技局"
    once = scan._starts(text, ("省",), (2,))
    assert once == [i - 2 for i, c in enumerate(text) if c == "省"]
    assert scan._starts(text, ("省",), (2,)) is once  # the same text: the list kept
    assert scan._starts(text, ("我省", "省科"), (0, 2)) == sorted(
        {i - k for n in ("我省", "省科") for i in range(len(text)) if text.startswith(n, i) for k in (0, 2)}
    )
    other = text + "省"
    assert scan._starts(other, ("省",), (2,)) == [*once, len(text) - 2]


def test_uncertain_spans_pick_the_edits_a_plain_filter_picks():
    import json

    from kechuang.ingest import parsers
    from kechuang.ingest.parsers import doubt

    from . import bench
    from .test_speedups27 import forward

    picked = 0
    for path in sorted((bench.BENCH / "corpus" / "dev3").glob("*.txt"))[:4]:
        key = json.loads(path.with_suffix(".facts.json").read_text(encoding="utf-8"))
        damaged = forward.corrupt(path.read_text(encoding="utf-8"), 0, places=key.get("places", []))
        result = parsers.repair(damaged.text)
        for name, edits, _m in result.stages:
            if name in ("mojibake", "residue", "leftover"):
                plain = [e for e in edits if e.uncertain]
                assert list(compress(edits, map(doubt._UNCERTAIN, edits))) == plain
                picked += len(plain)
    assert picked


def test_beyond_bmp_is_the_search_it_replaces():
    from kechuang.ingest.parsers import steps

    rng = random.Random(28)
    alphabet = [
        "a",
        "省",
        "\ufffd",
        "\ud800",
        "\udfff",
        "\U0002b5e7",
        "\U00010000",
        "\U0010ffff",
        "\uffff",
        "𬍛",
    ]
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        assert steps._beyond_bmp(text) == (steps._BEYOND_BMP.search(text) is not None), ascii(text)
