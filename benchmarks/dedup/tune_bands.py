"""Which LSH banding (bands × rows of the 128 MinHash values) finds most of the pairs at or above the
threshold for what it costs (candidates to verify) — chosen on one draw of the generator, measured on
another (held out).

    PYTHONPATH=src .venv/bin/python benchmarks/dedup/tune_bands.py [--applications 4000] [--sample 2000]

Each draw is `bench_dedup.corpus` with its own seed (the national dataset's templates and word lists plus
planted near-copies). For a banding, a pair is a candidate when one of its bands agrees entirely; over the
sample every pair is compared exactly (the truth: Jaccard ≥ dedup.THRESHOLD) and every pair sharing a band
counted (the cost). The choice: the highest recall on the tuning draw whose candidates are at most
`--budget` times those of the current banding; then recall and candidates of the choice and of the
current banding on the held-out draw. Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
from bench_dedup import corpus  # noqa: E402

from kechuang.challenges import dedup  # noqa: E402


def draw(n_apps: int, n_planted: int, sample: int, seed: int):
    docs, planted = corpus(n_apps, n_planted, seed)
    rng = random.Random(seed + 7)
    idx = sorted(set(rng.sample(range(len(docs)), sample)) | {x for p in planted for x in p})
    grams = {i: dedup.shingles(docs[i]) for i in idx}
    sigs = np.stack([dedup.signature(grams[i]) for i in idx])
    pos = {i: k for k, i in enumerate(idx)}
    truth = [
        (pos[a], pos[b])
        for k, a in enumerate(idx)
        for b in idx[k + 1 :]
        if dedup.jaccard(grams[a], grams[b]) >= dedup.THRESHOLD
    ]
    return sigs, np.array(truth, dtype=np.int64).reshape(-1, 2)


def evaluate(sigs: np.ndarray, truth: np.ndarray, bands: int, rows: int) -> dict:
    n = len(sigs)
    hit = np.zeros(len(truth), dtype=bool)
    codes = []
    for b in range(bands):
        part = np.ascontiguousarray(sigs[:, b * rows : (b + 1) * rows])
        if len(truth):
            hit |= (part[truth[:, 0]] == part[truth[:, 1]]).all(axis=1)
        keys = np.unique(part, axis=0, return_inverse=True)[1].ravel()
        order = np.argsort(keys, kind="stable")
        col = keys[order]
        starts = np.flatnonzero(np.r_[True, col[1:] != col[:-1]])
        ends = np.r_[starts[1:], len(col)]
        for s, e in zip(starts[ends - starts > 1], ends[ends - starts > 1]):
            ids = np.sort(order[s:e])
            ii, jj = np.triu_indices(len(ids), 1)
            codes.append(ids[ii] * n + ids[jj])
    candidates = len(np.unique(np.concatenate(codes))) if codes else 0
    return {
        "bands_rows": [bands, rows],
        "recall": round(float(hit.mean()), 4) if len(truth) else None,
        "candidates": candidates,
        "true_pairs": len(truth),
    }


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--applications", type=int, default=4000)
    p.add_argument("--planted", type=int, default=200)
    p.add_argument("--sample", type=int, default=2000)
    p.add_argument("--budget", type=float, default=1.0)
    p.add_argument("--tune-seed", type=int, default=11)
    p.add_argument("--test-seed", type=int, default=23)
    args = p.parse_args()
    options = [(b, r) for r in range(4, 10) for b in range(max(1, 60 // r), dedup.NUM_PERM // r + 1)]
    tune = draw(args.applications, args.planted, args.sample, args.tune_seed)
    scored = [evaluate(*tune, b, r) for b, r in options]
    current = next(s for s in scored if s["bands_rows"] == [dedup.BANDS, dedup.ROWS])
    fits = [s for s in scored if s["candidates"] <= current["candidates"] * args.budget]
    best = max(fits, key=lambda s: (s["recall"], -s["candidates"]))
    test = draw(args.applications, args.planted, args.sample, args.test_seed)
    out = {
        "tuning": {"current": current, "chosen": best},
        "held_out": {
            "current": evaluate(*test, dedup.BANDS, dedup.ROWS),
            "chosen": evaluate(*test, *best["bands_rows"]),
        },
        "frontier_on_tuning": sorted(
            (s for s in scored if s["candidates"] <= current["candidates"] * 3),
            key=lambda s: -s["recall"],
        )[:8],
    }
    print(json.dumps(out, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
