"""Session 27's cuts (speed6, #15 item 5): each fast path gives exactly what its plain equivalent gives."""

import functools
import json
import random
import re
from collections import Counter
from types import SimpleNamespace

import pytest

from kechuang.ingest import parsers
from kechuang.ingest.parsers import charlm, doubt, extract, ghosts, scan

from . import bench

forward = bench.load("forward.py")

# ----------------------------------------------------------------------------- doubt.mark


def _plain_mark(text: str, facts, result=None) -> list[tuple]:
    """What `doubt.mark` set before session 27: `parts_of` for every fact, `redactions_before` scanned anew for
    each."""
    spans = doubt.uncertain_spans(result, text)
    starts = [s for s, _e in spans]
    hidden = "〔隐去〕" in text or "〔缺失" in text
    out = []
    for f in facts:
        parts, hit = doubt.parts_of(text, f, spans, starts) if spans else ((), [])
        out.append(
            (
                parts,
                doubt.quote_spans(text, f, hit) if parts else [],
                bool(hidden and doubt.redactions_before(text, f)),
            )
        )
    return out


def _marked(text: str, facts, result=None) -> list[tuple]:
    doubt.mark(text, facts, result)
    return [(f.uncertain_parts, f.uncertain_spans, f.redacted_near) for f in facts]


_PIECES = [
    "全省",
    "岚江省",
    "砚湄市",
    "科技厅",
    "2023年",
    "去年",
    "到2025年",
    "建成",
    "12",
    "3.5",
    "亿元",
    "个",
    "家",
    "，",
    "。",
    "；",
    "\n",
    "〔隐去〕",
    "〔隐去〕省",
    "〔隐去〕市",
    "〔隐去〕县",
    "〔缺失〕",
    "〔缺失12字〕",
    "〔缺失3字",
    "〔存疑：？〕",
    "〔存疑：2〕",
    "〔存疑：代〕",
    "〔存疑：〕",
    "省",
    "市",
    "年",
]


def _random_case(rng: random.Random):
    text = "".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 30)))
    facts = []
    for _ in range(rng.randint(1, 6)):
        start = rng.randint(0, len(text))
        end = rng.randint(start, min(len(text), start + 8))
        sentence_start = rng.randint(max(0, start - 40), start) if rng.random() < 0.9 else start + 3
        facts.append(
            SimpleNamespace(
                start=start,
                end=end,
                sentence_start=sentence_start,
                unit=rng.choice(["", "个", "亿元"]),
                place=rng.choice(["", "岚江省", "砚湄市", "岚江省、砚湄市"]),
                quote=text[sentence_start:end].strip() if rng.random() < 0.8 else "",
            )
        )
    return text, facts


def test_mark_gives_what_parts_of_and_redactions_before_give_fact_by_fact():
    rng = random.Random(27)
    for _ in range(3000):
        text, facts = _random_case(rng)
        assert _marked(text, facts) == _plain_mark(text, facts), (text, facts)


@pytest.mark.parametrize(
    "text",
    [
        "〔隐去〕省建成12个。",  # a place's redaction read before the figure
        "〔隐去〕12个。",  # not a place's: its lookahead reads the figure
        "全省〔隐去〕省12个。",
        "〔缺失12字〕12个。",  # a gap right before the figure
        "〔缺失3字12个。",  # no gap: unclosed
        "岚〔存疑：？〕省建成12个，岱沄省13家。",
    ],
)
def test_mark_on_short_texts(text):
    facts = [
        SimpleNamespace(start=k, end=min(len(text), k + 3), sentence_start=0, unit="个", place="", quote=text)
        for k in range(len(text) + 1)
    ]
    assert _marked(text, facts) == _plain_mark(text, facts)


def test_mark_on_repaired_documents_with_their_uncertain_spans_and_redactions():
    flagged = redacted = 0
    for path in sorted((bench.BENCH / "corpus" / "dev2").glob("*.txt"))[:6]:
        key = json.loads(path.with_suffix(".facts.json").read_text(encoding="utf-8"))
        for seed in (0, 1):
            damaged = forward.corrupt(
                path.read_text(encoding="utf-8"),
                seed,
                commas=bool(seed),
                places=key.get("places", []),
                title=key["title"],
            )
            result = parsers.repair(damaged.text)
            facts = parsers.extract_facts(result.text, year=key.get("year"), result=result)
            assert _marked(result.text, facts, result) == _plain_mark(result.text, facts, result)
            flagged += sum(bool(f.uncertain_parts) for f in facts)
            redacted += sum(f.redacted_near for f in facts)
    assert flagged and redacted  # both kinds of flag were compared


# ----------------------------------------------------------------------------- scan: patterns tried only where they can match

_SCANS = [
    (extract._PROVINCE_UNIT, extract._province_units),
    (extract._PROVINCE_INSTITUTE, extract._province_institutes),
    (extract._SET_AGAINST_OURS, extract._set_against_ours),
    (extract._CITY_OF_PROVINCE, extract._cities_of_provinces),
    (extract._CITY_UNIT, extract._city_units),
    (ghosts._GHOST, ghosts._ghosts),
]

_WORDS = [
    "岚江省",
    "岱沄省",
    "全省",
    "我省",
    "我们",
    "省",
    "市",
    "县",
    "砚湄市",
    "科技厅",
    "科学技术厅",
    "科技局",
    "科学技术局",
    "农业科学院",
    "自然博物馆",
    "大学",
    "来自",
    "邻省",
    "我们的邻居",
    "的",
    "同期",
    "比我省多",
    "省财政",
    "展品120件",
    "12",
    "三",
    "，",
    ",",
    "。",
    "；",
    "：",
    "、",
    "\n",
    "技术合同成交额",
    "达到",
    "了",
    "与",
    "?",
    "\ufffd",
    "??",
    "高校",
    "和",
]


def _same_matches(pattern, fast, text: str) -> None:
    assert [(m.span(), m.groups()) for m in fast(text)] == [
        (m.span(), m.groups()) for m in pattern.finditer(text)
    ], (pattern.pattern, text)


@pytest.mark.parametrize(("pattern", "fast"), _SCANS, ids=[f.__name__ for _p, f in _SCANS])
def test_each_scan_finds_what_finditer_finds_on_random_strings(pattern, fast):
    rng = random.Random(2027)
    for _ in range(4000):
        text = "".join(rng.choice(_WORDS) for _ in range(rng.randint(0, 40)))
        _same_matches(pattern, fast, text)


@functools.cache
def _corpus_texts() -> list[str]:
    """The tuned splits' clean texts (not held-out, nor a split still kept unseen), and the pages the forward
    model makes of dev2's and dev3's at two seeds."""
    texts = []
    for split in ["dev", *(f"dev{k}" for k in range(2, 22))]:
        for path in sorted((bench.BENCH / "corpus" / split).glob("*.txt")):
            text = path.read_text(encoding="utf-8")
            texts.append(text)
            if split in ("dev2", "dev3"):
                key = json.loads(path.with_suffix(".facts.json").read_text(encoding="utf-8"))
                for seed in (0, 1):
                    page = forward.corrupt(text, seed, commas=bool(seed), places=key.get("places", []))
                    texts.append(page.text)
    return texts


@pytest.mark.parametrize(("pattern", "fast"), _SCANS, ids=[f.__name__ for _p, f in _SCANS])
def test_each_scan_finds_what_finditer_finds_on_the_corpus(pattern, fast):
    found = 0
    for text in _corpus_texts():
        _same_matches(pattern, fast, text)
        found += len(fast(text))
    assert found  # the corpus holds matches of each


def _hinted(text: str):
    return scan.search_at(ghosts._HINT, text, ghosts._LOST, (1,))  # (as ghosts.comma_ghost_edits asks)


_FIRSTS = [
    (extract._CITY, extract._first_city),
    (extract._COUNTY, extract._first_county),
    (ghosts._HINT, _hinted),
]


@pytest.mark.parametrize(("pattern", "fast"), _FIRSTS, ids=[f.__name__ for _p, f in _FIRSTS])
def test_each_first_match_is_what_search_finds(pattern, fast):
    rng = random.Random(27)
    words = [*_WORDS, "全县", "芃溪县", "澜屿市", "本市", "两县", "县"]
    texts = ["".join(rng.choice(words) for _ in range(rng.randint(0, 30))) for _ in range(4000)]
    texts += _corpus_texts()
    found = 0
    for text in texts:
        m, fm = pattern.search(text), fast(text)
        assert (m and (m.span(), m.group())) == (fm and (fm.span(), fm.group())), text
        found += m is not None
    assert found


def test_the_reach_of_set_against_ours_is_its_longest_match():
    import re._parser

    assert (
        re._parser.parse(extract._SET_AGAINST_OURS.pattern).getwidth()[1] == extract._SET_AGAINST_OURS_REACH
    )


def test_matches_ending_joins_stretches_that_touch():
    pattern = re.compile(r"[^x]{0,3}ab")
    for text in ["ab", "cab", "ccab", "cccab", "ccccab", "abab", "ab,ab", "cccabcccab", "xxxxab", "abxxxxab"]:
        assert [m.span() for m in scan.matches_ending(pattern, text, ("ab",), 5)] == [
            m.span() for m in pattern.finditer(text)
        ], text


# ----------------------------------------------------------------------------- charlm.PageCounts


def _plain_neighbours(text: str, a: str, step: int) -> dict[str, int]:
    """`PageCounts`' neighbours of `a` as counted before session 27: a split of the page by every form of `a`."""
    _logp, _backoff, symbols = charlm._tables()
    found = {"": 0}
    for x in charlm._forms().get(a, a):
        parts = text.split(x)
        found[""] += len(parts) - 1
        beside = [p[:1] for p in parts[1:]] if step > 0 else [p[-1:] for p in parts[:-1]]
        for c, k in Counter(beside).items():
            if c:
                y = symbols.get(c) or charlm._symbol(c)
                found[y] = found.get(y, 0) + k
    return found


def test_page_counts_give_what_a_split_by_every_form_gives():
    rng = random.Random(6)
    pieces = "县縣财財市級级科技技術术研究中心，。2025年\n创新券創新"
    for _ in range(600):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 60)))
        page = charlm.PageCounts(text)
        for a in "县縣财市级級科技术研究中心创新券0A，。\n年x":
            assert page.after(a) == _plain_neighbours(text, a, 1), (text, a)
            assert page.before(a) == _plain_neighbours(text, a, -1), (text, a)
            assert page.stands(a) == (a in frozenset(text)), (text, a)
