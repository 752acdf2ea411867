"""Candidate graphs: which (subject, expert) pairs a solver looks at. Each subject's top-N listed,
conflict-free experts, "cold" experts with spare capacity, and the bookkeeping of which pairs are arcs."""

from __future__ import annotations

import numpy as np

from .problem import Problem, listed_mask, score_ints


class Graph:
    """Candidate arcs (subject, expert, integer score) without conflicts or duplicates."""

    def __init__(self, problem: Problem):
        self.p = problem
        self.ints = problem.int_scores()
        self.default_int = int(round(problem.default * problem.scale))
        self.rows = np.zeros(0, dtype=np.int64)
        self.cols = np.zeros(0, dtype=np.int64)
        self._key_arr = np.zeros(0, dtype=np.int64)

    def score_of(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Integer scores of arbitrary pairs (default where not listed)."""
        return score_ints(self.p, self.ints, rows, cols)

    def add(self, rows: np.ndarray, cols: np.ndarray) -> int:
        m = self.p.n_experts
        keys = rows.astype(np.int64) * m + cols.astype(np.int64)
        keys = np.unique(keys)
        keys = keys[~self.contains(keys)]
        if keys.size == 0:
            return 0
        conf = listed_mask(self.p.conflicts, keys // m, keys % m)
        keys = keys[~conf]
        merged = np.concatenate([self._key_arr, keys])
        merged.sort(kind="stable")
        self._key_arr = merged
        self.rows = self._key_arr // m
        self.cols = self._key_arr % m
        return int(keys.size)

    def contains(self, keys: np.ndarray) -> np.ndarray:
        """Whether each pair key (subject * m + expert) is an arc already (the keys are kept sorted)."""
        if self._key_arr.size == 0:
            return np.zeros(keys.shape[0], dtype=bool)
        pos = np.minimum(np.searchsorted(self._key_arr, keys), self._key_arr.size - 1)
        return self._key_arr[pos] == keys

    def arc_scores(self) -> np.ndarray:
        return self.score_of(self.rows, self.cols)


def top_candidates(problem: Problem, n_top: int) -> tuple[np.ndarray, np.ndarray]:
    """Each subject's n_top best listed, conflict-free experts (vectorised); a subject that lists
    fewer gets unlisted experts with spare capacity (see `cold_candidates`) to make up the number."""
    sc = problem.scores
    n, m = problem.n_subjects, problem.n_experts
    rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(sc.indptr))
    cols = sc.indices.astype(np.int64)
    vals = sc.data
    keep = ~listed_mask(problem.conflicts, rows, cols)
    rows, cols, vals = rows[keep], cols[keep], vals[keep]
    order = np.lexsort((cols, -vals, rows))  # by subject, best score first, ties by expert
    rows, cols = rows[order], cols[order]
    starts = np.searchsorted(rows, np.arange(n))
    sel = (np.arange(rows.size) - starts[rows]) < n_top
    rows, cols = rows[sel], cols[sel]
    counts = np.bincount(rows, minlength=n)
    short = np.maximum(0, min(n_top, m) - counts)
    if short.any():
        # Unlisted pairs carry the default score; conflicts among them are dropped by Graph.add, so a
        # few more than the shortfall are offered.
        cr, cc = cold_candidates(problem, cols, np.where(short > 0, short + problem.k, 0))
        rows = np.concatenate([rows, cr])
        cols = np.concatenate([cols, cc])
    return rows, cols


def cold_candidates(problem: Problem, used_cols: np.ndarray, per_subject: np.ndarray | int):
    """For each subject, `per_subject` experts taken in turn from those least in demand (fewest
    candidate arcs per unit of capacity): where a subject whose good experts are saturated can still
    find a reviewer. Contiguous slices of one ordering spread the subjects over different experts."""
    n, m = problem.n_subjects, problem.n_experts
    per = np.broadcast_to(np.asarray(per_subject, dtype=np.int64), (n,))
    cap = problem.max_load
    open_experts = np.flatnonzero(cap > 0)
    if open_experts.size == 0 or per.sum() == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    demand = np.bincount(used_cols, minlength=m)[open_experts] / cap[open_experts]
    cold = open_experts[np.argsort(demand, kind="stable")]
    per = np.minimum(per, cold.size)
    rows = np.repeat(np.arange(n, dtype=np.int64), per)
    cols = cold[np.arange(rows.size, dtype=np.int64) % cold.size]
    return rows, cols
