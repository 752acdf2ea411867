"""Generate review rounds in the OpenReview matcher's CSV format.

    python benchmarks/assign/generate.py --apps 1000 --experts 1500 --kind uniform --top 0 --out DIR

uniform:   every score i.i.d. uniform on [0, 1), six decimals.
clustered: 20 topics; 3 hot topics hold 40% of the applications but only 15% of the experts.
           Same topic: 0.3 + 0.7u; otherwise 0.2u (u uniform). Hot-topic applications compete for
           a few good experts: the plain optimum gives some of them two or three on-topic experts
           and leaves others with none, which is what the fair mode corrects.
--top N:   write only each application's N best experts (0 = every pair, a dense round).
Conflicts: about 1% of all pairs, written as application,expert,-1.
Deterministic from --seed.
"""

import argparse
import os

import numpy as np


def scores_block(rng, kind, rows, app_topic, exp_topic):
    m = exp_topic.size
    u = rng.random((rows.size, m))
    if kind == "uniform":
        return u
    same = app_topic[rows][:, None] == exp_topic[None, :]
    return np.where(same, 0.3 + 0.7 * u, 0.2 * u)


def topics(rng, n, m, n_topics=20, hot=3):
    # Hot topics 0..hot-1: 40% of applications, 15% of experts.
    app = np.where(rng.random(n) < 0.4, rng.integers(0, hot, n), rng.integers(hot, n_topics, n))
    exp = np.where(rng.random(m) < 0.15, rng.integers(0, hot, m), rng.integers(hot, n_topics, m))
    return app, exp


def generate(n, m, kind, top, out_dir, seed=0, conflict_rate=0.01):
    os.makedirs(out_dir, exist_ok=True)
    rng = np.random.default_rng(seed)
    app_topic, exp_topic = topics(rng, n, m)
    apps = np.array([f"app{i:05d}" for i in range(n)])
    experts = np.array([f"~Expert_{j:05d}" for j in range(m)])
    scores_path = os.path.join(out_dir, "scores.csv")
    with open(scores_path, "w") as fh:
        for start in range(0, n, 200):
            rows = np.arange(start, min(n, start + 200))
            block = np.round(scores_block(rng, kind, rows, app_topic, exp_topic), 6)
            if top and top < m:
                idx = np.argpartition(-block, top - 1, axis=1)[:, :top]
                vals = np.take_along_axis(block, idx, axis=1)
            else:
                idx = np.broadcast_to(np.arange(m), block.shape)
                vals = block
            r = np.repeat(rows, idx.shape[1])
            lines = [f"{a},{e},{v:.6f}" for a, e, v in zip(apps[r], experts[idx.ravel()], vals.ravel())]
            fh.write("\n".join(lines) + "\n")
    n_conf = int(conflict_rate * n * m)
    ci = rng.integers(0, n, n_conf)
    cj = rng.integers(0, m, n_conf)
    with open(os.path.join(out_dir, "constraints.csv"), "w") as fh:
        fh.write("\n".join(f"{apps[i]},{experts[j]},-1" for i, j in zip(ci, cj)) + "\n")
    return scores_path


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--apps", type=int, required=True)
    p.add_argument("--experts", type=int, required=True)
    p.add_argument("--kind", choices=["uniform", "clustered"], default="uniform")
    p.add_argument("--top", type=int, default=0)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", required=True)
    a = p.parse_args()
    generate(a.apps, a.experts, a.kind, a.top, a.out, a.seed)
