"""Run OpenReview's matcher (openreview/openreview-matcher) on a benchmark round, from a checkout named
by OPENREVIEW_MATCHER_PATH. Nothing of it is installed or copied here: its modules are loaded from the
checkout at run time.

The checkout's package `__init__` files import every solver, and two of those need Gurobi (a commercial
solver); MinMax and FairFlow need only numpy and OR-Tools. So the encoder and those two solver modules
are loaded from the checkout's files under stand-in package names, without running the `__init__`s.
The rest follows the matcher's own command line (`matcher/__main__.py`): the CSV rows are read the same
way, the same Encoder is built (weight 1, no normalisation), min load 0, max load and k as given, and
the solver's `solve()` returns the paper × reviewer assignment matrix.

    OPENREVIEW_MATCHER_PATH=/tmp/orm python benchmarks/assign/openreview.py DIR --solver MinMax --k 3 --max-load 3

prints one JSON line: seconds (reading + encoding + solving, as its command line would spend),
solve_seconds, total affinity and worst-off application total on the true (unrounded) scores, and a
check of k, the loads and the conflicts.
"""

import argparse
import csv
import importlib
import json
import logging
import os
import sys
import time
import types

import numpy as np


def load_matcher(path: str):
    """The matcher's Encoder, MinMaxSolver and FairFlow, loaded from a checkout's files."""
    root = os.path.join(path, "matcher")
    if not os.path.isfile(os.path.join(root, "solvers", "minmax_solver.py")):
        raise ImportError(f"no openreview-matcher checkout at {path}")
    for name, sub in (("_orm", root), ("_orm.solvers", os.path.join(root, "solvers"))):
        pkg = types.ModuleType(name)
        pkg.__path__ = [sub]
        sys.modules[name] = pkg
    encoder = importlib.import_module("_orm.encoder")
    minmax = importlib.import_module("_orm.solvers.minmax_solver")
    fairflow = importlib.import_module("_orm.solvers.fairflow")
    return encoder.Encoder, {"MinMax": minmax.MinMaxSolver, "FairFlow": fairflow.FairFlow}


def available() -> bool:
    path = os.environ.get("OPENREVIEW_MATCHER_PATH")
    if not path:
        return False
    try:
        load_matcher(path)
    except Exception:  # any failure to import means "not importable"
        return False
    return True


def run(d: str, solver_name: str, k: int, max_load: int) -> dict:
    Encoder, solvers = load_matcher(os.environ["OPENREVIEW_MATCHER_PATH"])
    logger = logging.getLogger("openreview-matcher")
    logger.setLevel(logging.WARNING)
    t0 = time.perf_counter()
    scores_file = os.path.join(d, "scores.csv")
    edges, papers, reviewers = [], set(), set()
    with open(scores_file) as fh:
        for row in csv.reader(fh):
            edges.append((row[0].strip(), row[1].strip(), row[2].strip()))
            papers.add(row[0].strip())
            reviewers.add(row[1].strip())
    constraints = []
    with open(os.path.join(d, "constraints.csv")) as fh:
        for row in csv.reader(fh):
            constraints.append((row[0], row[1], row[2]))
            papers.add(row[0])
            reviewers.add(row[1])
    papers, reviewers = sorted(papers), sorted(reviewers)
    enc = Encoder(
        reviewers=reviewers,
        papers=papers,
        constraints=constraints,
        scores_by_type={scores_file: {"edges": edges}},
        weight_by_type={scores_file: 1.0},
        logger=logger,
    )
    solver = solvers[solver_name](
        [0] * len(reviewers), [max_load] * len(reviewers), [k] * len(papers), enc, logger=logger
    )
    t1 = time.perf_counter()
    sol = np.asarray(solver.solve())
    t2 = time.perf_counter()
    x = sol > 0.5
    a = enc.aggregate_score_matrix
    per_paper = x.sum(axis=1)
    loads = x.sum(axis=0)
    totals = (a * x).sum(axis=1)
    return {
        "solver": solver_name,
        "solved": bool(getattr(solver, "solved", True)),
        "seconds": round(t2 - t0, 3),
        "prepare_seconds": round(t1 - t0, 3),
        "solve_seconds": round(t2 - t1, 3),
        "objective": round(float((a * x).sum()), 6),
        "worst_off": round(float(totals.min()), 6),  # a paper's total: the sum of its k scores, as Kechuang's
        "second_worst": round(float(np.sort(totals)[1]), 6) if totals.size > 1 else None,
        "k_held": bool((per_paper == k).all()),
        "loads_held": bool((loads <= max_load).all()),
        "conflicts_assigned": int((x & (enc.constraint_matrix == -1)).sum()),
    }


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--solver", choices=["MinMax", "FairFlow"], default="MinMax")
    ap.add_argument("--k", type=int, default=3)
    ap.add_argument("--max-load", type=int, default=3)
    a = ap.parse_args()
    print(json.dumps(run(a.dir, a.solver, a.k, a.max_load)))
