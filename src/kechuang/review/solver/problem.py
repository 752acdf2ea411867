"""The solver's input (`Problem`) and output (`Solution`), the error for impossible rounds, and the
hard-rule check every result passes (`verify`). Pure numpy/scipy; no database."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

SCALE = 10**6
MODES = ("optimal", "fair", "random")


class InfeasibleError(ValueError):
    """No assignment satisfies k, the load bounds and the conflicts. `diagnosis` (a
    `diagnostics.Diagnosis`, when there is one) says which subjects cannot get k experts and why."""

    def __init__(self, message: str, diagnosis=None):
        super().__init__(message)
        self.diagnosis = diagnosis


@dataclass
class Problem:
    """A round as numbers. Scores are a sparse matrix (missing pairs have `default`)."""

    n_subjects: int
    n_experts: int
    scores: sp.csr_matrix  # float scores of listed pairs, shape (n, m)
    conflicts: sp.csr_matrix  # bool, shape (n, m): True where the pair may never be assigned
    k: int = 3
    min_load: np.ndarray | int = 0
    max_load: np.ndarray | int = 6
    default: float = 0.0
    scale: int = SCALE

    def __post_init__(self):
        n, m = self.n_subjects, self.n_experts
        self.scores = sp.csr_matrix(self.scores, shape=(n, m), dtype=np.float64)
        self.scores.sum_duplicates()
        self.scores.sort_indices()
        self.conflicts = sp.csr_matrix(self.conflicts, shape=(n, m), dtype=bool)
        self.conflicts.eliminate_zeros()
        self.conflicts.sort_indices()
        self.max_load = np.broadcast_to(np.asarray(self.max_load, dtype=np.int64), (m,)).copy()
        self.min_load = np.minimum(
            np.broadcast_to(np.asarray(self.min_load, dtype=np.int64), (m,)).copy(), self.max_load
        )
        if self.k < 1:
            raise InfeasibleError("k must be at least 1")
        if (self.max_load < 0).any():
            raise InfeasibleError("max_load must not be negative")

    def int_scores(self) -> sp.csr_matrix:
        out = self.scores.copy()
        out.data = np.rint(out.data * self.scale).astype(np.int64)
        return out

    def check_totals(self) -> None:
        """Refuse the instances that are infeasible by counting alone, with the reasons in words."""
        need = self.n_subjects * self.k
        free = self.n_experts - np.diff(self.conflicts.indptr)
        if need > int(self.max_load.sum()) or need < int(self.min_load.sum()) or (free < self.k).any():
            from .diagnostics import diagnose

            diag = diagnose(self)
            raise InfeasibleError(diag.text(), diagnosis=diag)

    def digest(self) -> str:
        """A hash of everything the solver reads, stored on the round so a re-run can be compared."""
        h = hashlib.sha256()
        for arr in (
            self.scores.indptr,
            self.scores.indices,
            np.rint(self.scores.data * self.scale).astype(np.int64),
            self.conflicts.indptr,
            self.conflicts.indices,
            self.min_load,
            self.max_load,
        ):
            h.update(np.ascontiguousarray(arr).tobytes())
        h.update(f"{self.n_subjects}|{self.n_experts}|{self.k}|{self.default}|{self.scale}".encode())
        return h.hexdigest()


@dataclass
class Solution:
    """The assigned pairs and what the solver proved about them."""

    pairs: np.ndarray  # shape (n*k, 2): subject index, expert index
    scores: np.ndarray  # float score of each pair
    mode: str
    objective: float  # total score
    objective_int: int  # total of the integer (scaled) scores: exact
    worst_off: float  # smallest per-subject total
    seconds: float
    stats: dict = field(default_factory=dict)

    def assignment_digest(self) -> str:
        """SHA-256 of the sorted pairs as int64 bytes: two runs agree byte for byte when these agree."""
        pairs = np.ascontiguousarray(self.pairs.astype(np.int64))
        return hashlib.sha256(pairs.tobytes()).hexdigest()

    def loads(self, n_experts: int) -> np.ndarray:
        return np.bincount(self.pairs[:, 1], minlength=n_experts)

    def subject_totals(self, n_subjects: int) -> np.ndarray:
        return np.bincount(self.pairs[:, 0], weights=self.scores, minlength=n_subjects)


ProgressFn = Callable[[float, str], None]


def noop(pct: float, msg: str) -> None:
    return None


def build_solution(problem, pairs, ints_of_pairs, mode, started, stats) -> Solution:
    pairs = pairs[np.lexsort((pairs[:, 1], pairs[:, 0]))] if pairs.size else pairs.reshape(0, 2)
    ints_sorted = pair_ints(problem, pairs)
    scores = ints_sorted / problem.scale
    totals = np.bincount(pairs[:, 0], weights=scores, minlength=problem.n_subjects)
    return Solution(
        pairs=pairs,
        scores=scores,
        mode=mode,
        objective=float(ints_sorted.sum()) / problem.scale,
        objective_int=int(ints_sorted.sum()),
        worst_off=float(totals.min()) if totals.size else 0.0,
        seconds=time.perf_counter() - started,
        stats=stats,
    )


def pair_ints(problem: Problem, pairs: np.ndarray) -> np.ndarray:
    return (
        score_ints(problem, problem.int_scores(), pairs[:, 0], pairs[:, 1])
        if pairs.size
        else np.zeros(0, dtype=np.int64)
    )


def score_ints(problem: Problem, ints: sp.csr_matrix, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Integer scores of arbitrary pairs (`ints` = problem.int_scores(); the default where not listed)."""
    if rows.size == 0:
        return np.zeros(0, dtype=np.int64)
    vals = np.asarray(ints[rows, cols]).ravel().astype(np.int64)
    # A listed score of exactly 0 and an unlisted pair differ only when default != 0.
    default_int = int(round(problem.default * problem.scale))
    if default_int:
        present = listed_mask(problem.scores, rows, cols)
        vals = np.where(present, vals, default_int)
    return vals


def listed_mask(mat: sp.csr_matrix, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """For each pair, whether it is stored in the CSR matrix (sorted indices)."""
    out = np.zeros(rows.shape[0], dtype=bool)
    if rows.size == 0 or mat.nnz == 0:
        return out
    m = mat.shape[1]
    stored = np.repeat(np.arange(mat.shape[0], dtype=np.int64), np.diff(mat.indptr)) * m + mat.indices
    stored = stored[np.asarray(mat.data).astype(bool)] if mat.dtype == bool else stored
    q = rows.astype(np.int64) * m + cols.astype(np.int64)
    pos = np.searchsorted(stored, q)
    pos = np.minimum(pos, stored.size - 1)
    return stored[pos] == q


def verify(problem: Problem, sol: Solution) -> None:
    """Raise AssertionError when a solution breaks k, the loads, uniqueness or a conflict."""
    n, m = problem.n_subjects, problem.n_experts
    pairs = sol.pairs
    per_subject = np.bincount(pairs[:, 0], minlength=n)
    if not (per_subject == problem.k).all():
        raise AssertionError("a subject does not have exactly k experts")
    loads = np.bincount(pairs[:, 1], minlength=m)
    if (loads < problem.min_load).any() or (loads > problem.max_load).any():
        raise AssertionError("an expert's load is outside its bounds")
    keys = pairs[:, 0].astype(np.int64) * m + pairs[:, 1]
    if np.unique(keys).size != keys.size:
        raise AssertionError("a pair is assigned twice")
    if listed_mask(problem.conflicts, pairs[:, 0], pairs[:, 1]).any():
        raise AssertionError("a conflicted pair is assigned")
