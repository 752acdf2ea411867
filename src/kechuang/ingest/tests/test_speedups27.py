"""Session 27's cuts (speed6, #15 item 5): each fast path gives exactly what its plain equivalent gives."""

import json
import random
from types import SimpleNamespace

import pytest

from kechuang.ingest import parsers
from kechuang.ingest.parsers import doubt

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
