"""Facts lost (and extras made) between a report's clean text and its damaged-then-repaired text (issue #15.4).

    .venv/bin/python benchmarks/ingest/facts_damage.py --split dev15 [--seeds 0,1] [--ids REGEX] [--quiet]
                                                        [--json out.json]

For every document of the split, the facts Kechuang extracts from the clean text are scored against the key;
then the document is damaged by the forward model (forward.py) at each seed named (a list: `0,1` tunes,
`2,3` is kept back), with and without commas, repaired, and extracted again. Listed:

- each key fact found on the clean text and missed on the repaired text (not counting facts the page lost,
  `corpus_eval.countable`), with the repaired span around its figure and a cause:
  `uncertain` (the figure, or the words right by it, inside 〔存疑：…〕), `gap` (a 〔缺失N字〕 marker in
  or next to it), `redacted` (〔隐去〕 by it), `figure` (the figure's characters wrong after repair),
  `comma` (a comma left before a punctuation mark by it), `unit/period` (the words after the figure
  differ from the clean text's), `subject` (the words before it differ), `sentence` (only the sentence
  further off differs), `table header: …` (a table's row reading as the clean one under a header the damage
  changed: `gap`, `uncertain`, `redacted` or `damaged`, as for a sentence), `extraction` (the span reads as the
  clean one);
- each extra fact the clean text does not give (value, unit, period and place not among the clean run's
  extras), with its span.

The repair's part (wrong characters: `figure`, `subject`, `unit/period`, `comma`, `sentence`) and the
extraction's part are counted apart in the summary. Held-out documents are never run here, nor an unseen
split's: only the splits in `MEASURED` (dev … dev44) are.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus_eval as ce

ce.django_setup()

# The splits that may be run here: measured and tuned on (benchmarks/ingest/README.md). Never the held-out split,
# nor a split listed as unseen (tests/test_ingest_corpus.py, corpus/README.md) until its first measurement is
# recorded and it is tuned on: a split not named here is refused, so one added later stays unseen by default.
# (dev37: facts41; dev38: facts42; dev39: facts43; dev40 … dev42: session 35, facts44 and facts45; dev43: session 36, facts46;
# dev44: session 36, facts47)
MEASURED = ("dev", *(f"dev{n}" for n in range(2, 45)))

WINDOW = 10
REPAIR_CAUSES = {
    "line break",
    "place: line break",
    "period: line break",
    "figure",
    "subject",
    "unit/period",
    "comma",
    "sentence",
    "place: damaged",
    "period: damaged",
    "table header: damaged",
}
_MARK = re.compile(r"〔(?:存疑：[^〕]*|缺失\d*字?|隐去)〕")


def _offset_map(clean: str, repaired: str):
    """A function from a clean-text offset to the repaired text's (by the edit script between them)."""
    from rapidfuzz.distance import Levenshtein

    blocks = Levenshtein.opcodes(clean, repaired)

    def at(pos: int) -> int:
        for op in blocks:
            if op.src_start <= pos < op.src_end or (pos == op.src_end == len(clean)):
                if op.tag == "equal":
                    return op.dest_start + (pos - op.src_start)
                return op.dest_start
        return len(repaired)

    return at


def _broken_line(clean: str, repaired: str, at, start: int, end: int) -> bool:
    """Whether the repaired text holds a line break the clean text does not, in the line(s) before `end`
    back to `start` (and the line before it: a sentence's year or place is often said there)."""
    start = clean.rfind("\n", 0, max(0, clean.rfind("\n", 0, start))) + 1
    return repaired.count("\n", at(start), at(end)) > clean.count("\n", start, end)


def _context_damage(clean: str, repaired: str, at, cs: int, e: int, sent: str) -> str:
    """What is damaged in the sentence of a figure read with another period or region."""
    if _broken_line(clean, repaired, at, cs, e):
        return "line break"
    for mark, name in (("〔隐去〕", "redacted"), ("〔存疑", "uncertain"), ("〔缺失", "gap")):
        if mark in sent:
            return name
    if ce.normalise(clean[cs:e]) != ce.normalise(repaired[at(cs) : at(e)]):
        return "damaged"
    return "context before the sentence"


def _strip(text: str) -> str:
    return ce.normalise(text)


def cause_of(g: dict, clean: str, repaired: str, at, facts=(), region: str = "") -> tuple[str, str]:
    """The cause of a key fact's loss and the repaired span around its figure. When the repaired text
    gives the same value and unit at that place but another period or region, the cause says so
    (`period:` / `place:` before what is damaged in the sentence)."""
    s, e = g["offset"], g["offset"] + len(g["figure"])
    rs, re_ = at(s), at(e)
    want = ce.fact_key(g["value"], g["unit"], "")[:2]
    for f in facts:
        if f.start <= re_ + 2 and rs - 2 <= f.end and ce.fact_key(f.value, f.unit, "")[:2] == want:
            cs = max(clean.rfind(c, 0, s) for c in "。！？\n") + 1
            sent = repaired[at(cs) : re_ + WINDOW]
            what = _context_damage(clean, repaired, at, cs, e, sent)
            if str(f.period) != str(g["period"]):
                return f"period: {what}", repaired[max(0, rs - WINDOW) : re_ + WINDOW]
            return f"place: {what}", repaired[max(0, rs - WINDOW) : re_ + WINDOW]
    lo, hi = max(0, rs - WINDOW), min(len(repaired), re_ + WINDOW)
    # widen the window over any marker it cuts
    for m in _MARK.finditer(repaired, max(0, lo - 40), min(len(repaired), hi + 40)):
        if m.start() < hi and lo < m.end():
            lo, hi = min(lo, m.start()), max(hi, m.end())
    span = repaired[lo:hi]
    near = repaired[max(0, rs - 3) : re_ + 3]
    fig = repaired[rs:re_]
    for m in _MARK.finditer(repaired, max(0, lo), hi):
        if m.group().startswith("〔存疑") and m.start() < re_ + 3 and rs - 3 < m.end():
            return "uncertain", span
    if "〔缺失" in near or re.search(r"〔缺失\d*字?〕", repaired[max(0, rs - 6) : re_ + 6]):
        return "gap", span
    if "〔隐去〕" in repaired[max(0, rs - 6) : re_ + 6]:
        return "redacted", span
    if _strip(fig) != _strip(g["figure"]) and g["figure"] not in near:
        return "figure", span
    if ce._COMMA_BEFORE.search(span):
        return "comma", span
    c_after, r_after = clean[e : e + WINDOW], repaired[re_ : re_ + WINDOW]
    if _strip(c_after) != _strip(r_after)[: len(_strip(c_after))]:
        return "unit/period", span
    c_before, r_before = clean[max(0, s - WINDOW) : s], repaired[max(0, rs - WINDOW) : rs]
    if _strip(c_before)[-6:] != _strip(r_before)[-6:]:
        return "subject", span
    # the sentence around it
    cs = max(clean.rfind(c, 0, s) for c in "。！？\n") + 1
    ce_ = min((x for x in (clean.find(c, e) for c in "。！？\n") if x >= 0), default=len(clean))
    if _broken_line(clean, repaired, at, cs, ce_):
        return "line break", span
    if _strip(clean[cs:ce_]) != _strip(repaired[at(cs) : at(ce_)]):
        return "sentence", span
    header = _table_header_damage(clean, repaired, at, s)
    if header:
        return f"table header: {header}", span
    return "extraction", span


_CELL_GAP = re.compile(r"[\t\u3000]|  ")


def _table_header_damage(clean: str, repaired: str, at, s: int) -> str:
    """What is damaged in the header of the table whose row holds offset `s` of the clean text (the first of the lines
    parted into cells running up to the row), or "" when the row is in no table or its header reads as the clean one:
    a row whose header a gap took reads the same and is lost with it (the extractor has no columns to read it by)."""
    start = clean.rfind("\n", 0, s) + 1
    end = clean.find("\n", s)
    if not _CELL_GAP.search(clean, start, len(clean) if end < 0 else end):
        return ""
    top = start
    while top > 0:
        above = clean.rfind("\n", 0, top - 1) + 1
        if not _CELL_GAP.search(clean, above, top - 1):
            break
        top = above
    head_end = clean.find("\n", top)
    head_end = len(clean) if head_end < 0 else head_end
    if top == start or _strip(clean[top:head_end]) == _strip(repaired[at(top) : at(head_end)]):
        return ""
    got = repaired[max(0, at(top) - 20) : at(head_end) + 1]
    for mark, name in (("〔缺失", "gap"), ("〔存疑", "uncertain"), ("〔隐去〕", "redacted")):
        if mark in got:
            return name
    return "damaged"


def _key(f, region):
    return (*ce.fact_key(f.value, f.unit, f.period), ce.fact_place(getattr(f, "place", ""), region))


def run(split: str, seeds: list[int], ids: str | None = None) -> dict:
    if split not in MEASURED or split == "heldout":
        raise SystemExit(
            f"{split}: held-out or unseen material is not looked at here (MEASURED lists the splits)"
        )
    docs = [d for d in ce.load_corpus(split) if ids is None or re.fullmatch(ids, d.id)]
    lost, extra = [], []
    totals = {"kc": [0, 0, 0], "naive": [0, 0, 0]}
    clean_totals = [0, 0, 0]
    for doc in docs:
        region = doc.key["region"]
        clean_facts = ce.extract(doc.text, doc.year)
        cs = ce.score_facts(clean_facts, doc.key["facts"], region)
        clean_totals[0] += cs.found
        clean_totals[1] += cs.key
        clean_totals[2] += cs.extracted
        clean_missed = {id(g) for g in cs.missed}
        clean_extra = Counter(_key(f, region) for f in cs.extra)
        for seed in seeds:
            for commas in (False, True):
                d = ce.damage(doc, seed, commas)
                from kechuang.ingest import parsers

                result = parsers.repair(d.text)
                facts = ce.extract(result.text, doc.year, result)
                key = ce.countable(doc, d)
                s = ce.score_facts(facts, key, region)
                nv = ce.score_facts(ce.extract(ce.naive(d.text), doc.year), key, region)
                for name, x in (("kc", s), ("naive", nv)):
                    totals[name][0] += x.found
                    totals[name][1] += x.key
                    totals[name][2] += x.extracted
                at = None
                for g in s.missed:
                    if id(g) in clean_missed:
                        continue
                    at = at or _offset_map(doc.text, result.text)
                    cause, span = cause_of(g, doc.text, result.text, at, facts, region)
                    lost.append(
                        {
                            "doc": doc.id,
                            "seed": seed,
                            "commas": commas,
                            "cause": cause,
                            "figure": g["figure"],
                            "value": str(g["value"]),
                            "unit": g["unit"],
                            "period": g["period"],
                            "clean": doc.text[
                                max(0, g["offset"] - WINDOW) : g["offset"] + len(g["figure"]) + WINDOW
                            ],
                            "repaired": span,
                        }
                    )
                left = Counter(clean_extra)
                for f in s.extra:
                    k = _key(f, region)
                    if left[k] > 0:
                        left[k] -= 1
                        continue
                    extra.append(
                        {
                            "doc": doc.id,
                            "seed": seed,
                            "commas": commas,
                            "value": str(f.value),
                            "unit": f.unit,
                            "period": f.period,
                            "place": f.place,
                            "repaired": result.text[max(0, f.start - WINDOW) : f.end + WINDOW],
                        }
                    )

    def share(found, key, extracted):
        return {
            "recall": found / key if key else 1.0,
            "extra": (extracted - found) / extracted if extracted else 0.0,
        }

    causes = Counter(x["cause"] for x in lost)
    return {
        "split": split,
        "seeds": seeds,
        "clean": share(*clean_totals),
        "kc": share(*totals["kc"]),
        "naive": share(*totals["naive"]),
        "causes": dict(causes.most_common()),
        "lost_to_repair": sum(v for k, v in causes.items() if k in REPAIR_CAUSES),
        "lost_to_extraction": sum(v for k, v in causes.items() if k not in REPAIR_CAUSES),
        "new_extras": len(extra),
        "lost": lost,
        "extra": extra,
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", action="append", required=True)
    ap.add_argument("--seeds", default="0,1", help="seeds, comma-separated (0,1 tunes; 2,3 is kept back)")
    ap.add_argument("--ids")
    ap.add_argument("--quiet", action="store_true", help="the summary only, no list")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    seeds = [int(x) for x in args.seeds.split(",")]
    refused = [s for s in args.split if s not in MEASURED]
    if refused:  # before any split is run
        raise SystemExit(f"{', '.join(refused)}: held-out or unseen material is not looked at here")
    reports = []
    for split in args.split:
        r = run(split, seeds, args.ids)
        reports.append(r)
        print(
            f"== {split} seeds {args.seeds}: clean {r['clean']['recall']:.3f}/{r['clean']['extra']:.3f}  "
            f"damaged kc {r['kc']['recall']:.3f}/{r['kc']['extra']:.3f}  "
            f"naive {r['naive']['recall']:.3f}/{r['naive']['extra']:.3f}  "
            f"lost {len(r['lost'])} (repair {r['lost_to_repair']}, extraction {r['lost_to_extraction']}) "
            f"{r['causes']}  new extras {r['new_extras']}"
        )
        if not args.quiet:
            for x in r["lost"]:
                print(
                    f"  LOST {x['doc']} s{x['seed']}{'c' if x['commas'] else ''} [{x['cause']}] "
                    f"{x['figure']} = {x['value']} {x['unit']} {x['period']} | clean: {x['clean']!r} "
                    f"| repaired: {x['repaired']!r}"
                )
            for x in r["extra"]:
                print(
                    f"  EXTRA {x['doc']} s{x['seed']}{'c' if x['commas'] else ''} {x['value']} {x['unit']} "
                    f"{x['period']} {x['place']} | {x['repaired']!r}"
                )
    if args.json:
        args.json.write_text(json.dumps(reports, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
