"""Duplicate check (查重) at national size: every pair of the 60,000 applications whose texts reach the
threshold, by MinHash/LSH (kechuang.challenges.dedup), with recall measured against exact Jaccard on a
sample, in minutes on two cores.

    PYTHONPATH=src .venv/bin/python benchmarks/dedup/bench_dedup.py [--applications 60000] [--workers 2]

The corpus is the national dataset's applications as `kechuang gendata --scale national` writes them
(challenges/gendata.py: 2,000 challenges, 60,000 applications; title "<subject><tech word>研究", plan
"针对<challenge>，采用<keyword>与<keyword>相结合的技术路线，分三个阶段实施。", the words of
core/gendata_words.py), regenerated here from the same templates and word lists without the database, plus
planted near-duplicates: `--planted` longer plans, each copied once into another application with a share of
its characters changed (a resubmission of the same work), whose pairs the check must find.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

import numpy as np  # noqa: E402

from kechuang.challenges import dedup  # noqa: E402
from kechuang.core.gendata_words import FIELDS, TECH_WORDS  # noqa: E402

COMMON = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理世车"


def corpus(n_apps: int, n_planted: int, seed: int) -> tuple[list[str], list[tuple[int, int]]]:
    """The applications' compared texts (as challenges.services.dedup builds them: title, goals, plan, with
    the challenge title taken out) and the planted pairs."""
    rng = random.Random(seed)
    n_ch = max(1, n_apps // 30)
    challenges = []
    for _ in range(n_ch):
        industry, keywords, _d, subjects = FIELDS[rng.randrange(len(FIELDS))]
        challenges.append((f"{rng.choice(subjects)}{rng.choice(TECH_WORDS)}揭榜挂帅项目", keywords, subjects))
    docs = []
    for i in range(n_apps):
        title_c, keywords, subjects = challenges[i % n_ch]
        title = f"{rng.choice(subjects)}{rng.choice(TECH_WORDS)}研究"
        plan = f"针对{title_c}，采用{rng.choice(keywords)}与{rng.choice(keywords)}相结合的技术路线，分三个阶段实施。"
        docs.append(dedup.document(title=title, plan=plan, boilerplate=[title_c]))
    planted = []
    for _ in range(n_planted):
        a, b = rng.sample(range(n_apps), 2)
        words = [rng.choice(COMMON) for _ in range(rng.randint(150, 400))]
        base = "".join(words)
        copy = [c if rng.random() > 0.05 else rng.choice(COMMON) for c in base]  # ~5% of characters changed
        docs[a] = docs[a] + base
        docs[b] = docs[b] + "".join(copy)
        planted.append((min(a, b), max(a, b)))
    return docs, planted


GRAMS: list[set[str]] = []


def _verify(job):
    chunk, n = job
    keep = [c for c in chunk.tolist() if dedup.jaccard(GRAMS[c // n], GRAMS[c % n]) >= dedup.THRESHOLD]
    return np.array(keep, dtype=np.int64)


def _sig(text: str):
    grams = dedup.shingles(text)
    sig = dedup.signature(grams)
    return dedup.band_keys(sig), sig.tobytes()


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--applications", type=int, default=60_000)
    p.add_argument("--planted", type=int, default=500)
    p.add_argument("--sample", type=int, default=3_000)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args()

    t0 = time.perf_counter()
    docs, planted = corpus(args.applications, args.planted, args.seed)
    t_corpus = time.perf_counter() - t0

    # 1. Signatures and band keys, on `workers` processes.
    t1 = time.perf_counter()
    with mp.get_context("fork").Pool(args.workers) as pool:
        results = pool.map(_sig, docs, chunksize=500)
    t_sig = time.perf_counter() - t1

    # 2. LSH candidates: documents sharing a band key (per band: sort by key, pair within each run), as
    # int64 codes a × N + b so that tens of millions of pairs stay in numpy.
    t2 = time.perf_counter()
    n = len(docs)
    keys = np.array([k for k, _s in results], dtype=np.int64)  # n × BANDS
    codes = []
    for b in range(keys.shape[1]):
        order = np.argsort(keys[:, b], kind="stable")
        col = keys[order, b]
        starts = np.flatnonzero(np.r_[True, col[1:] != col[:-1]])
        ends = np.r_[starts[1:], len(col)]
        for s, e in zip(starts[ends - starts > 1], ends[ends - starts > 1]):
            ids = np.sort(order[s:e])
            ii, jj = np.triu_indices(len(ids), 1)
            codes.append(ids[ii] * n + ids[jj])
    candidates = np.unique(np.concatenate(codes)) if codes else np.empty(0, dtype=np.int64)
    t_lsh = time.perf_counter() - t2

    # 3. Each candidate verified: first by its signatures' estimate (vectorised; kept when within 0.1 of the
    # threshold, 2.3 standard deviations at 128 permutations), then by the exact Jaccard of its shingles (no
    # false positive is kept), on `workers` processes.
    t3 = time.perf_counter()
    sigs = np.frombuffer(b"".join(s for _k, s in results), dtype=np.uint64).reshape(n, -1)
    keep = []
    for part in np.array_split(candidates, max(1, len(candidates) // 200_000)):
        a, b = part // n, part % n
        keep.append(part[(sigs[a] == sigs[b]).mean(axis=1) >= dedup.THRESHOLD - 0.1])
    estimated = len(candidates)
    candidates = np.concatenate(keep) if keep else candidates
    global GRAMS
    GRAMS = [dedup.shingles(d) for d in docs]
    chunks = np.array_split(candidates, max(1, args.workers * 8))
    with mp.get_context("fork").Pool(args.workers) as pool:
        kept = pool.map(_verify, [(c, n) for c in chunks])
    found_codes = np.concatenate(kept) if kept else np.empty(0, dtype=np.int64)
    found = {(int(c // n), int(c % n)) for c in found_codes} if len(found_codes) < 5_000_000 else None
    t_verify = time.perf_counter() - t3
    total = time.perf_counter() - t1
    grams = GRAMS
    found_set = set(found_codes.tolist()) if found is None else None

    # Recall against the exact comparison of every pair of a random sample.
    rng = random.Random(args.seed + 1)
    sample = sorted(rng.sample(range(len(docs)), min(args.sample, len(docs))))
    t4 = time.perf_counter()
    truth = {
        (a, b)
        for i, a in enumerate(sample)
        for b in sample[i + 1 :]
        if dedup.jaccard(grams[a], grams[b]) >= dedup.THRESHOLD
    }
    t_exact = time.perf_counter() - t4

    def is_found(pair):
        return pair in found if found is not None else pair[0] * n + pair[1] in found_set

    hit = sum(1 for pr in truth if is_found(pr))
    planted_true = [pr for pr in planted if dedup.jaccard(grams[pr[0]], grams[pr[1]]) >= dedup.THRESHOLD]
    planted_hit = sum(1 for pr in planted_true if is_found(pr))

    out = {
        "applications": len(docs),
        "threshold": dedup.THRESHOLD,
        "num_perm": dedup.NUM_PERM,
        "bands_rows": [dedup.BANDS, dedup.ROWS],
        "workers": args.workers,
        "candidates": int(estimated),
        "candidates_after_estimate": int(len(candidates)),
        "pairs_above_threshold": int(len(found_codes)),
        "candidate_probability_at_threshold": round(dedup.candidate_probability(dedup.THRESHOLD), 4),
        "seconds": {
            "corpus": round(t_corpus, 1),
            "signatures": round(t_sig, 1),
            "lsh": round(t_lsh, 1),
            "verify": round(t_verify, 1),
            "total_check": round(total, 1),
            "exact_sample": round(t_exact, 1),
        },
        "minutes_total": round(total / 60, 2),
        "sample": len(sample),
        "sample_pairs_compared": len(sample) * (len(sample) - 1) // 2,
        "sample_true_pairs": len(truth),
        "sample_recall": round(hit / len(truth), 4) if truth else None,
        "planted": len(planted),
        "planted_above_threshold": len(planted_true),
        "planted_recall": round(planted_hit / len(planted_true), 4) if planted_true else None,
    }
    print(json.dumps(out, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
