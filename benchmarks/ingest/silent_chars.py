"""Where the repair's wrong characters stand: in a `〔存疑：…〕` mark, in an uncertain edit outside one, or silent
(issue #15.3: "where the dictionary cannot decide, the span is marked uncertain and counted on the page").

    .venv/bin/python benchmarks/ingest/silent_chars.py --splits dev,dev2 [--seeds 5] [--procs 2] [--out runs.jsonl]
    .venv/bin/python benchmarks/ingest/silent_chars.py --compare before.jsonl after.jsonl

Per run (document x seed x with/without commas): the repaired text and the forward model's reference read as
`corpus_eval.normalise` reads them (NFKC, white space and gap markers out, a mark read as what it holds), the
Levenshtein edit operations between them, and each wrong character put where it stands in the repaired text - a
character missing from it with its neighbour's class (a mark's before an edit's before silent). Each run's record
(JSON line) holds the accuracy and the naive pipeline's, the three counts, the page's count (the marks shown) and
its uncertain edits, a sample of each silent wrong character (got / wanted, the text around, the edits there) and
each uncertain edit that shows no mark with the wrong characters inside it; the repaired text too, for `--compare`
(per run: better / worse than the first file, below naive). The held-out split is refused: it is for measuring
only. Written by repair38 (session 36) from the /tmp runners of repair36 and repair37.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus_eval as ce
from corpus_errors import norm_map  # ce.normalise per character: its offset and whether in a mark

_CLASSES = ("mark", "edit", "silent")


def measure(doc, seed: int, commas: bool) -> dict:
    from rapidfuzz.distance import Levenshtein

    from kechuang.ingest import parsers

    d = ce.damage(doc, seed, commas)
    r = parsers.repair(d.text)
    a, where, marked = norm_map(r.text)
    b = ce.normalise(d.reference)
    changes = r.changes()
    uncertain = [(c.rep_start, c.rep_end) for c in changes if c.uncertain]

    def where_class(k: int) -> str:
        if marked[k]:
            return "mark"
        return "edit" if any(s <= where[k] < e for s, e in uncertain) else "silent"

    wrong = dict.fromkeys(_CLASSES, 0)
    samples, wrong_at = [], []
    for op in Levenshtein.opcodes(a, b):
        if op.tag == "equal":
            continue
        n = max(op.src_end - op.src_start, op.dest_end - op.dest_start)
        if op.src_end > op.src_start:
            ks = list(range(op.src_start, op.src_end))
            classes = [where_class(k) for k in ks]
            classes += [classes[-1]] * (n - len(classes))
            wrong_at += [(where[k], a[k], b[op.dest_start : op.dest_end]) for k in ks]
        else:
            ks = [k for k in (op.src_start - 1, op.src_start) if 0 <= k < len(a)]
            found = {where_class(k) for k in ks}
            best = next((c for c in _CLASSES if c in found), "silent")
            classes = [best] * n
            wrong_at += [(where[k], "", b[op.dest_start : op.dest_end]) for k in ks[:1]]
        for c in classes:
            wrong[c] += 1
        if "silent" in classes and ks:
            raw = where[ks[0]]
            samples.append(
                {
                    "got": a[op.src_start : op.src_end],
                    "want": b[op.dest_start : op.dest_end],
                    "ctx_got": a[max(0, op.src_start - 8) : op.src_end + 8],
                    "ctx_want": b[max(0, op.dest_start - 8) : op.dest_end + 8],
                    "n": classes.count("silent"),
                    "edits": [
                        [c.step, c.note, c.before, c.after, c.uncertain]
                        for c in changes
                        if c.rep_start - 1 <= raw <= c.rep_end
                    ][:3],
                }
            )
    unmarked = []
    for c in changes:
        if c.uncertain and "〔存疑：" not in c.after:
            inside = [[got, want] for at, got, want in wrong_at if c.rep_start <= at < c.rep_end]
            unmarked.append([c.step, c.note, c.before, c.after, inside])
    assert Levenshtein.distance(a, b) == sum(wrong.values())
    return {
        "split": doc.split,
        "doc": doc.id,
        "seed": seed,
        "commas": commas,
        "acc": 1 - sum(wrong.values()) / max(1, len(b)),
        "naive": ce.char_accuracy(ce.naive(d.text), d.reference),
        "wrong": wrong,
        "marks": r.uncertain_count,
        "uncertain_edits": r.uncertain_edit_count,
        "samples": samples,
        "unmarked": unmarked,
        "text": r.text,
    }


_DOCS: dict = {}


def _init(splits: list[str]) -> None:
    ce.django_setup()
    from kechuang.ingest import parsers

    for s in splits:
        _DOCS[s] = ce.load_corpus(s)
    parsers.warm_up()


def _one(job: tuple[str, int, int, bool]) -> dict:
    split, i, seed, commas = job
    return measure(_DOCS[split][i], seed, commas)


def run(splits: list[str], seeds: int, procs: int, out: str) -> None:
    from multiprocessing import Pool

    if "heldout" in splits:
        raise SystemExit("the held-out split is for measuring only")
    _init(splits)
    jobs = [
        (s, i, seed, c)
        for s in splits
        for i in range(len(_DOCS[s]))
        for seed in range(seeds)
        for c in (False, True)
    ]
    with Pool(procs, initializer=_init, initargs=(splits,)) as pool, open(out, "w", encoding="utf-8") as fh:
        for rec in pool.imap(_one, jobs, chunksize=4):
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    summary([out])


def _load(path: str) -> dict:
    with open(path, encoding="utf-8") as fh:
        return {(r["split"], r["doc"], r["seed"], r["commas"]): r for r in map(json.loads, fh)}


def summary(paths: list[str]) -> None:
    for path in paths:
        runs = _load(path).values()
        wrong = {c: sum(r["wrong"][c] for r in runs) for c in _CLASSES}
        unmarked = [u for r in runs for u in r["unmarked"]]
        print(
            f"{path}: {len(runs)} runs, {sum(wrong.values())} wrong characters "
            f"(in a mark {wrong['mark']} / in an uncertain edit outside one {wrong['edit']} / silent {wrong['silent']}), "
            f"runs < 0.998: {sum(r['acc'] < 0.998 for r in runs)}, worst {min(r['acc'] for r in runs):.4f}, "
            f"below naive: {sum(r['acc'] < r['naive'] - 1e-12 for r in runs)}, marks shown {sum(r['marks'] for r in runs)}, "
            f"uncertain edits showing no mark {len(unmarked)} (holding a wrong character {sum(1 for u in unmarked if u[4])})"
        )


def compare(before: str, after: str) -> None:
    a, b = _load(before), _load(after)
    better = worse = changed = 0
    for key, r in b.items():
        base = a[key]
        changed += r["text"] != base["text"]
        better += r["acc"] > base["acc"] + 1e-12
        if r["acc"] < base["acc"] - 1e-12:
            worse += 1
            print("worse:", key, f"{base['acc']:.5f} -> {r['acc']:.5f}")
    summary([before, after])
    print(f"repaired texts changed {changed}, runs better {better}, worse {worse}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--splits", default="dev")
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--procs", type=int, default=2)
    parser.add_argument("--out", default="silent_chars.jsonl")
    parser.add_argument("--compare", nargs=2, metavar=("BEFORE", "AFTER"))
    args = parser.parse_args()
    if args.compare:
        compare(*args.compare)
    else:
        run(args.splits.split(","), args.seeds, args.procs, args.out)


if __name__ == "__main__":
    main()
