"""The OpenReview matcher's CSV interchange format, read and written without the database.

scores.csv: application,expert,score (no header); constraints.csv: application,expert,-1 for a
conflict (other values are ignored); the output: application,expert,score per assigned pair.
Scores are scaled to integers by 10**d, the smallest d from 6 to 9 at which every score becomes an
integer, so the solver's optimum is exact for scores written with up to nine decimals.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .solver import Problem, Solution


@dataclass
class Interchange:
    problem: Problem
    subjects: list[str]
    experts: list[str]


def _scale_for(values: np.ndarray) -> int:
    """The smallest 10**d (6 <= d <= 9) at which every score is an integer after scaling: exact
    integer costs for scores written with up to nine decimals."""
    for d in range(6, 10):
        scaled = values * 10**d
        if np.all(np.abs(scaled - np.rint(scaled)) <= 1e-6 * np.maximum(1.0, np.abs(scaled)) * 1e-3):
            return 10**d
    return 10**9


def _rows(path: str, what: str):
    """(application, expert, value-string) triples of a CSV file; a first line that is not numeric is a
    header and skipped; a short line raises ValueError with its line number."""
    apps, experts, values = [], [], []
    with open(path, newline="", encoding="utf-8-sig") as fh:
        for line_no, rec in enumerate(csv.reader(fh), start=1):
            if len(rec) < 3:
                if not rec or not "".join(rec).strip():
                    continue
                raise ValueError(f"{path}:{line_no}: expected application,expert,{what}")
            apps.append(rec[0])
            experts.append(rec[1])
            values.append(rec[2])
    if values:
        try:
            float(values[0])
        except ValueError:
            apps, experts, values = apps[1:], experts[1:], values[1:]  # a header line
    try:
        nums = np.array(values, dtype=np.float64)
    except ValueError:
        for i, v in enumerate(values):
            try:
                float(v)
            except ValueError:
                raise ValueError(f"{path}: {what} {v!r} is not a number (data row {i + 1})")
        raise
    return [a.strip() for a in apps], [e.strip() for e in experts], nums


def read(
    scores_path: str,
    constraints_path: str | None,
    *,
    k: int,
    max_load: int,
    min_load: int = 0,
    default: float = 0.0,
) -> Interchange:
    """Read an OpenReview-format round. Applications and experts are indexed in order of appearance."""
    subj: dict[str, int] = {}
    exp: dict[str, int] = {}
    apps, experts, vals = _rows(scores_path, "score")
    rows = np.fromiter((subj.setdefault(a, len(subj)) for a in apps), dtype=np.int64, count=len(apps))
    cols = np.fromiter((exp.setdefault(e, len(exp)) for e in experts), dtype=np.int64, count=len(experts))
    crow = np.zeros(0, dtype=np.int64)
    ccol = np.zeros(0, dtype=np.int64)
    if constraints_path:
        capps, cexps, cvals = _rows(constraints_path, "constraint")
        keep = np.flatnonzero(cvals == -1)
        crow = np.array([subj.setdefault(capps[i], len(subj)) for i in keep], dtype=np.int64)
        ccol = np.array([exp.setdefault(cexps[i], len(exp)) for i in keep], dtype=np.int64)
    n, m = len(subj), len(exp)
    scores = sp.csr_matrix((vals, (rows, cols)), shape=(n, m))
    conflicts = sp.csr_matrix((np.ones(crow.size, dtype=bool), (crow, ccol)), shape=(n, m))
    scale = _scale_for(np.concatenate([vals, [default]]))
    problem = Problem(
        n, m, scores, conflicts, k=k, min_load=min_load, max_load=max_load, default=default, scale=scale
    )
    return Interchange(problem, list(subj), list(exp))


def write(path: str, data: Interchange, solution: Solution) -> int:
    """Write application,expert,score rows; returns how many."""
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        for (i, j), s in zip(solution.pairs.tolist(), solution.scores.tolist()):
            w.writerow([data.subjects[i], data.experts[j], repr(round(s, 9))])
    return int(solution.pairs.shape[0])
