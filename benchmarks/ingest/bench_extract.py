"""Extraction alone, this code against an earlier commit's, paired: CPU time and Python calls.

    PYTHONPATH=src .venv/bin/python benchmarks/ingest/bench_extract.py COMMIT [--mb 1] [--rounds 7]

The texts: `bench_ingest.py`'s generated corpus (no year, as that benchmark runs it) and the dev split of
the corpus damaged at seeds 0-2 with and without commas (with each document's year), each repaired once.
COMMIT's parsers package is loaded beside this one (`compare_with_commit.load_reference`). Each round
times, document by document and in alternating order, both `extract_facts` without original offsets and
with them; a result's offset maps are built on first use and then cached, so each side maps through a
fresh `repair` of its own (not timed). Reported: the minimum over the rounds of each side's CPU time
(ms per MB), and the Python function calls of one pass (cProfile: a measure the machine's load does
not change). The facts of both sides are compared too: the texts whose facts differ are counted (a change
of the extraction differs on purpose); `--same` asserts none does (a change meant only to be faster).
"""

import argparse
import cProfile
import pstats
import sys
import tempfile
import time
from pathlib import Path

from bench_ingest import make_corpus
from compare_with_commit import _fact, load_reference

from kechuang.ingest import parsers as new


def _calls(fn) -> int:
    prof = cProfile.Profile()
    prof.enable()
    fn()
    prof.disable()
    return pstats.Stats(prof).total_calls


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("commit")
    ap.add_argument("--mb", type=float, default=1.0)
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--seeds", type=int, default=3, help="dev split damaged at this many seeds")
    ap.add_argument("--profile", action="store_true", help="print the new side's top functions")
    ap.add_argument(
        "--same", action="store_true", help="fail if any text's facts differ (a pure speed change)"
    )
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        ref = load_reference(args.commit, Path(tmp))
        texts = [(d, None) for d in make_corpus(args.mb, 1)]
        if args.seeds:
            import corpus_eval as ce

            for doc in ce.load_corpus("dev"):
                for seed in range(args.seeds):
                    for commas in (False, True):
                        texts.append((ce.damage(doc, seed, commas).text, doc.year))
        repaired = [(new.repair(t).text, y) for t, y in texts]
        mb = sum(len(t.encode("utf-8")) for t, _y in repaired) / 1e6
        sides = {"old": ref.extract_facts, "new": new.extract_facts}
        for fn in sides.values():
            fn(repaired[0][0], year=repaired[0][1])
        n_facts = n_differ = 0
        for (t, y), (orig, _y) in zip(repaired, texts, strict=True):
            r = new.repair(orig)
            a = [_fact(f) for f in ref.extract_facts(t, year=y, result=r)]
            r = new.repair(orig)
            b = [_fact(f) for f in new.extract_facts(t, year=y, result=r)]
            assert a == b or not args.same, f"facts differ: {t[:100]!r}"
            n_differ += a != b
            n_facts += len(b)
        print(
            f"{len(repaired)} texts, {mb:.2f} MB, {n_facts} facts (new side), {n_differ} texts whose facts differ"
        )
        for name, fn in sides.items():
            calls = _calls(lambda fn=fn: [fn(t, year=y) for t, y in repaired])
            print(f"  {name}: {calls:,} Python calls without offsets")
        plain = {"old": [], "new": []}
        mapped = {"old": [], "new": []}
        for rnd in range(args.rounds):
            order = ("old", "new") if rnd % 2 == 0 else ("new", "old")
            spent = {k: 0.0 for k in sides}
            for t, y in repaired:
                for name in order:
                    fn = sides[name]
                    t0 = time.process_time()
                    fn(t, year=y)
                    spent[name] += time.process_time() - t0
            for k in sides:
                plain[k].append(spent[k])
            spent = {k: 0.0 for k in sides}
            for (t, y), (orig, _y) in zip(repaired, texts, strict=True):
                results = {k: new.repair(orig) for k in order}
                for name in order:
                    fn = sides[name]
                    t0 = time.process_time()
                    fn(t, year=y, result=results[name])
                    spent[name] += time.process_time() - t0
            for k in sides:
                mapped[k].append(spent[k])
            print(
                f"  round {rnd}: without offsets old {plain['old'][-1] / mb * 1000:.1f} new "
                f"{plain['new'][-1] / mb * 1000:.1f}; with offsets old {mapped['old'][-1] / mb * 1000:.1f} new "
                f"{mapped['new'][-1] / mb * 1000:.1f} ms per MB",
                flush=True,
            )
        for label, runs in (("without offsets", plain), ("with original offsets", mapped)):
            o, n = min(runs["old"]) / mb * 1000, min(runs["new"]) / mb * 1000
            print(f"{label}: old {o:.1f}, new {n:.1f} ms per MB (min of {args.rounds}), {o / n:.2f}x")
        if args.profile:
            prof = cProfile.Profile()
            prof.enable()
            for t, y in repaired:
                new.extract_facts(t, year=y)
            prof.disable()
            pstats.Stats(prof, stream=sys.stdout).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
