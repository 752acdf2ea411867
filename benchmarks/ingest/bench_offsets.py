"""Original offsets alone, this code against an earlier commit's, paired: the offset maps built and the facts'
offsets mapped (`RepairResult.to_original_many`, as `extract_facts` asks them), CPU time.

    PYTHONPATH=src .venv/bin/python benchmarks/ingest/bench_offsets.py COMMIT [--mb 1] [--rounds 9] [--seeds 2]

(`bench_extract.py` maps both sides through this code's `repair` results, so it cannot time a change of
`edits.py`/`repair.py`.) The texts: `bench_ingest.py`'s generated corpus and the dev split damaged at `--seeds`
seeds with commas. Each round repairs every text afresh on both sides (not timed: a result's maps are built on
first use and cached), then times, text by text in alternating order, the two `to_original_many` calls of
each side. Reported: the minimum over the rounds (ms per MB of repaired text); the mapped offsets are compared.
"""

import argparse
import tempfile
import time
from pathlib import Path

from bench_ingest import make_corpus
from compare_with_commit import load_reference

from kechuang.ingest import parsers as new


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("commit")
    ap.add_argument("--mb", type=float, default=1.0)
    ap.add_argument("--rounds", type=int, default=9)
    ap.add_argument("--seeds", type=int, default=2, help="dev split damaged at this many seeds")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        ref = load_reference(args.commit, Path(tmp))
        new.warm_up()
        texts = list(make_corpus(args.mb, 1))
        if args.seeds:
            import corpus_eval as ce

            for doc in ce.load_corpus("dev"):
                texts.extend(ce.damage(doc, seed, True).text for seed in range(args.seeds))
        work = []
        for t in texts:
            r = new.repair(t)
            facts = new.extract_facts(r.text)
            if facts:
                work.append((t, [f.start for f in facts], [f.end for f in facts]))
        mb = sum(len(new.repair(t).text.encode("utf-8")) for t, _s, _e in work) / 1e6
        sides = {"old": ref.repair, "new": new.repair}
        best = {"old": [], "new": []}
        for rnd in range(args.rounds):
            order = ("old", "new") if rnd % 2 == 0 else ("new", "old")
            spent = dict.fromkeys(sides, 0.0)
            for t, starts, ends in work:
                results = {k: sides[k](t) for k in order}
                got = {}
                for k in order:
                    r = results[k]
                    t0 = time.process_time()
                    got[k] = (r.to_original_many(starts), r.to_original_many(ends, end=True))
                    spent[k] += time.process_time() - t0
                assert got["old"] == got["new"], f"offsets differ: {t[:80]!r}"
            for k in sides:
                best[k].append(spent[k])
            print(
                f"  round {rnd}: old {spent['old'] / mb * 1000:.2f} new {spent['new'] / mb * 1000:.2f} ms per MB",
                flush=True,
            )
        o, n = min(best["old"]) / mb * 1000, min(best["new"]) / mb * 1000
        n_off = 2 * sum(len(s) for _t, s, _e in work)
        print(
            f"{len(work)} texts, {mb:.2f} MB, {n_off} offsets: old {o:.2f}, new {n:.2f} ms per MB (min of "
            f"{args.rounds}), {o / n:.2f}x"
        )


if __name__ == "__main__":
    main()
