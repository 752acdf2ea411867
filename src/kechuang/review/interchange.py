"""The OpenReview matcher's CSV interchange format, read and written without the database.

scores.csv: application,expert,score (no header); constraints.csv: application,expert,-1 for a
conflict (other values are ignored); the output: application,expert,score per assigned pair.
Scores are scaled to integers by 10**d, d being the largest number of decimals in the file (at least
6, at most 9), so the solver's optimum is exact for the scores as written.
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


def _decimals(text: str) -> int:
    t = text.strip().lower()
    if "e" in t:
        return 9
    _, _, frac = t.partition(".")
    return len(frac)


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
    rows, cols, vals = [], [], []
    decimals = 6
    with open(scores_path, newline="", encoding="utf-8-sig") as fh:
        for line_no, rec in enumerate(csv.reader(fh), start=1):
            if not rec or not "".join(rec).strip():
                continue
            if len(rec) < 3:
                raise ValueError(f"{scores_path}:{line_no}: expected application,expert,score")
            a, e, s = rec[0].strip(), rec[1].strip(), rec[2].strip()
            try:
                v = float(s)
            except ValueError:
                if line_no == 1:
                    continue  # a header line
                raise ValueError(f"{scores_path}:{line_no}: score {s!r} is not a number")
            decimals = max(decimals, min(9, _decimals(s)))
            rows.append(subj.setdefault(a, len(subj)))
            cols.append(exp.setdefault(e, len(exp)))
            vals.append(v)
    crow, ccol = [], []
    if constraints_path:
        with open(constraints_path, newline="", encoding="utf-8-sig") as fh:
            for line_no, rec in enumerate(csv.reader(fh), start=1):
                if not rec or len(rec) < 3:
                    continue
                try:
                    v = float(rec[2])
                except ValueError:
                    if line_no == 1:
                        continue
                    raise ValueError(f"{constraints_path}:{line_no}: constraint {rec[2]!r} is not a number")
                if v == -1:
                    crow.append(subj.setdefault(rec[0].strip(), len(subj)))
                    ccol.append(exp.setdefault(rec[1].strip(), len(exp)))
    n, m = len(subj), len(exp)
    scores = sp.csr_matrix(
        (
            np.asarray(vals, dtype=np.float64),
            (np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)),
        ),
        shape=(n, m),
    )
    conflicts = sp.csr_matrix(
        (
            np.ones(len(crow), dtype=bool),
            (np.asarray(crow, dtype=np.int64), np.asarray(ccol, dtype=np.int64)),
        ),
        shape=(n, m),
    )
    problem = Problem(
        n,
        m,
        scores,
        conflicts,
        k=k,
        min_load=min_load,
        max_load=max_load,
        default=default,
        scale=10**decimals,
    )
    return Interchange(problem, list(subj), list(exp))


def write(path: str, data: Interchange, solution: Solution) -> int:
    """Write application,expert,score rows; returns how many."""
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        for (i, j), s in zip(solution.pairs.tolist(), solution.scores.tolist()):
            w.writerow([data.subjects[i], data.experts[j], repr(round(s, 9))])
    return int(solution.pairs.shape[0])
