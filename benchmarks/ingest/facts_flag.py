"""How well a fact's uncertain flag (parsers/doubt.py) tells the facts read wrong on damaged text (factflag).

    .venv/bin/python benchmarks/ingest/facts_flag.py --split dev --split dev2 [--seeds 0,1] [--ids REGEX]
                                                      [--json out.json] [--list]

Every document of each split is damaged by the forward model (forward.py) at each seed, with and without
commas, repaired and extracted (as facts_damage.py does). Each fact proposed on the repaired text is placed
against the key: the key fact whose figure (mapped from the clean text into the repaired one by the edit
script between them) overlaps it. It is

- **right** when its value, unit, period and region are the key fact's;
- **wrong** when they are not (which of value / unit / period / place differ is counted), or when it stands
  on no key figure and the clean text gives no such extra (a figure the damage made);
- **extra as on clean text** when it stands on no key figure and the clean text gives the same extra (not
  in the key: neither right nor wrong here).

A fact is flagged when the extraction set its `uncertain_parts` (from the repair result's uncertain edits,
placed in the repaired text) or its `redacted_near` (a redaction standing for a place name, or a gap, in its
sentence before the figure; factflag2). Reported for each reason alone and for either (the flag a reviewer
sees). Beside them, in the same run, the flag a scan of the `〔存疑：…〕` marks alone would give
(`doubt.uncertain_spans(None, text)`), the quote's marker being what the queue showed before.
Reported: how many proposed facts are flagged, the flag's precision (wrong among flagged) and recall
(flagged among wrong), and per part. Only dev … dev17 are run (`MEASURED`): the held-out split, dev18 and any
unseen one are refused before anything is read.
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

from facts_damage import _key, _offset_map  # noqa: E402

# the only splits measured here (named, so that an unseen one is refused before anything is read)
MEASURED = ("dev", *(f"dev{n}" for n in range(2, 18)))
FIELDS = ("value", "unit", "period", "place")


def _differs(f, g, region: str) -> tuple[str, ...]:
    fv, fu, fp = ce.fact_key(f.value, f.unit, f.period)
    gv, gu, gp = ce.fact_key(g["value"], g["unit"], g["period"])
    fpl = ce.fact_place(getattr(f, "place", ""), region)
    gpl = ce.fact_place(g.get("place", ""), region)
    return tuple(n for n, a, b in zip(FIELDS, (fv, fu, fp, fpl), (gv, gu, gp, gpl), strict=True) if a != b)


def judge(doc, damaged, result, facts) -> list[dict]:
    """Each proposed fact of one damaged run with its verdict ("right", "wrong", "clean extra"), the fields
    that differ from the key, and its flags (offsets, markers only)."""
    from kechuang.ingest.parsers import doubt

    region = doc.key["region"]
    key = ce.countable(doc, damaged)
    at = _offset_map(doc.text, result.text)
    placed = [(at(g["offset"]), at(g["offset"] + len(g["figure"])), g) for g in key]
    clean = ce.score_facts(ce.extract(doc.text, doc.year), doc.key["facts"], region)
    clean_extra = Counter(_key(f, region) for f in clean.extra)
    marks = doubt.uncertain_spans(None, result.text)
    mark_starts = [s for s, _e in marks]
    keyed = Counter(_key_of(g, region) for g in key)
    out = []
    for f in facts:
        over = [g for s, e, g in placed if f.start < max(e, s + 1) and s < f.end]
        verdict, differs = "wrong", FIELDS
        if over:
            diffs = [_differs(f, g, region) for g in over]
            best = min(diffs, key=len)
            verdict, differs = ("right", ()) if not best else ("wrong", best)
        else:
            k = _key(f, region)
            if keyed[k] > 0:  # the key's figure placed elsewhere by the edit script: found all the same
                keyed[k] -= 1
                verdict, differs = "right", ()
            elif clean_extra[k] > 0:
                clean_extra[k] -= 1
                verdict, differs = "clean extra", ()
        by_marks = doubt.parts_of(result.text, f, marks, mark_starts)[0] if marks else ()
        out.append(
            {
                "doc": doc.id,
                "verdict": verdict,
                "differs": list(differs),
                "flag": list(f.uncertain_parts),
                "redacted": ["redacted"] if getattr(f, "redacted_near", False) else [],
                "either": list(f.uncertain_parts)
                + (["redacted"] if getattr(f, "redacted_near", False) else []),
                "marks": list(by_marks),
                "figure": result.text[f.start : f.end],
                "value": str(f.value),
                "unit": f.unit,
                "period": f.period,
                "quote": f.quote[:120],
            }
        )
    return out


def _key_of(g, region):
    return (*ce.fact_key(g["value"], g["unit"], g["period"]), ce.fact_place(g.get("place", ""), region))


def summary(rows: list[dict], flag: str) -> dict:
    flagged = [r for r in rows if r[flag]]
    wrong = [r for r in rows if r["verdict"] == "wrong"]
    right = [r for r in rows if r["verdict"] == "right"]
    caught = [r for r in wrong if r[flag]]
    parts = {}
    for p in FIELDS:
        w = [r for r in wrong if p in r["differs"]]
        parts[p] = {
            "wrong": len(w),
            "caught": sum(1 for r in w if r[flag]),
            "caught_as_part": sum(1 for r in w if p in r[flag]),
            "flagged_as_part": sum(1 for r in rows if p in r[flag]),
        }
    # the wrong facts by what is wrong (a new extra: a figure the damage made), and the misses by what the
    # sentence shows instead of an uncertain span
    by_error = {}
    for r in wrong:
        k = "new extra" if len(r["differs"]) == len(FIELDS) else "+".join(r["differs"])
        got = by_error.setdefault(k, [0, 0])
        got[0] += 1
        got[1] += bool(r[flag])
    missed = Counter(
        "redacted"
        if "〔隐去〕" in r["quote"]
        else "gap"
        if "〔缺失" in r["quote"]
        else "uncertain elsewhere"
        if "〔存疑" in r["quote"]
        else "no mark"
        for r in wrong
        if not r[flag]
    )
    return {
        "by_error": {k: {"wrong": v[0], "caught": v[1]} for k, v in sorted(by_error.items())},
        "missed": dict(missed.most_common()),
        "proposed": len(rows),
        "flagged": len(flagged),
        "wrong": len(wrong),
        "right": len(right),
        "caught": len(caught),
        "right_flagged": sum(1 for r in right if r[flag]),
        "clean_extra_flagged": sum(1 for r in flagged if r["verdict"] == "clean extra"),
        "precision": len(caught) / len(flagged) if flagged else 1.0,
        "recall": len(caught) / len(wrong) if wrong else 1.0,
        "parts": parts,
    }


def run(split: str, seeds: list[int], ids: str | None = None) -> list[dict]:
    if split not in MEASURED:
        raise SystemExit(f"{split}: not looked at here (MEASURED lists the splits: dev … dev17)")
    from kechuang.ingest import parsers

    rows = []
    for doc in ce.load_corpus(split):
        if ids is not None and not re.fullmatch(ids, doc.id):
            continue
        for seed in seeds:
            for commas in (False, True):
                d = ce.damage(doc, seed, commas)
                result = parsers.repair(d.text)
                facts = ce.extract(result.text, doc.year, result)
                for r in judge(doc, d, result, facts):
                    r.update(split=split, seed=seed, commas=commas)
                    rows.append(r)
    return rows


def _line(name: str, s: dict) -> str:
    return (
        f"{name}: proposed {s['proposed']}, flagged {s['flagged']}, wrong {s['wrong']} (caught {s['caught']}), "
        f"right flagged {s['right_flagged']} of {s['right']}, clean extras flagged {s['clean_extra_flagged']}; "
        f"precision {s['precision']:.3f} recall {s['recall']:.3f}; parts "
        + ", ".join(
            f"{p} {v['caught_as_part']}/{v['wrong']} (flagged {v['flagged_as_part']})"
            for p, v in s["parts"].items()
        )
        + "; wrong by error (caught/wrong) "
        + ", ".join(f"{k} {v['caught']}/{v['wrong']}" for k, v in s["by_error"].items())
        + f"; misses {s['missed']}"
    )


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", action="append", required=True)
    ap.add_argument("--seeds", default="0,1")
    ap.add_argument("--ids")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--list", action="store_true", help="list the wrong facts and the flagged ones")
    args = ap.parse_args()
    refused = [s for s in args.split if s not in MEASURED]
    if refused:
        raise SystemExit(f"{', '.join(refused)}: not looked at here (MEASURED lists the splits: dev … dev17)")
    seeds = [int(x) for x in args.seeds.split(",")]
    rows = []
    for split in args.split:
        got = run(split, seeds, args.ids)
        rows += got
        print(f"== {split}: " + _line("either", summary(got, "either")), flush=True)
    print("== all " + _line("either (kept)", summary(rows, "either")))
    print("== all " + _line("offsets", summary(rows, "flag")))
    print("== all " + _line("redactions", summary(rows, "redacted")))
    print("== all " + _line("marks only", summary(rows, "marks")))
    if args.list:
        for r in rows:
            if r["verdict"] == "wrong" or r["either"]:
                print(
                    f"  {r['verdict']:<11} {r['doc']} s{r['seed']}{'c' if r['commas'] else ''} flag={r['either']} "
                    f"marks={r['marks']} differs={r['differs']} {r['figure']} | {r['quote']}"
                )
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "either": summary(rows, "either"),
                    "offsets": summary(rows, "flag"),
                    "redactions": summary(rows, "redacted"),
                    "marks": summary(rows, "marks"),
                    "rows": rows,
                },
                ensure_ascii=False,
                indent=1,
            )
            + "\n",
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
