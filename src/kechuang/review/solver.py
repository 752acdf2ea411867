"""Assigning experts to subjects: optimal (min-cost flow), fair (max-min, then total) and random draw.

Pure Python + numpy + OR-Tools; no database. Every mode honours the same hard rules:
each subject gets exactly `k` experts, expert j gets between `min_load[j]` and `max_load[j]`
subjects, and a conflicted pair is never assigned.

Scores are turned into integers by `scale` (10**6 by default, exact for scores with up to six
decimals: the OpenReview CSV reader picks the scale from the decimals present, and Kechuang's own
affinities are rounded to six decimals when they are computed). The optimum is then exact, not rounded.

Pruning and its certificate (optimal mode). The flow is first solved over each subject's top-N
candidates. From the optimal residual graph, node potentials d are computed by Bellman-Ford
(shortest distances from a virtual root), so that every residual arc has a non-negative reduced cost.
A pruned pair (i, j) with integer score a could only improve the solution if its reduced cost
-a + d[i] - d[j] were negative. Every pruned pair is checked (listed pairs exactly; unlisted pairs,
which all carry the default score, through the smallest d[j] among them); any violator is added to
the graph and the flow solved again. When no pruned pair violates, the potentials stay feasible for
the full graph, so the residual graph of the full problem has no negative cycle and the flow is
optimal for the full problem: the result records `certified=True` and the number of rounds.
"""

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
    """No assignment satisfies k, the load bounds and the conflicts."""


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
        """Refuse the instances that are infeasible by counting alone, with the reason."""
        need = self.n_subjects * self.k
        if need > int(self.max_load.sum()):
            raise InfeasibleError(
                f"{self.n_subjects} subjects × k={self.k} = {need} reviews, but the experts' maximum loads "
                f"add up to {int(self.max_load.sum())}"
            )
        if need < int(self.min_load.sum()):
            raise InfeasibleError(
                f"the experts' minimum loads add up to {int(self.min_load.sum())}, more than the {need} reviews"
            )
        free = self.n_experts - np.diff(self.conflicts.indptr)
        short = np.flatnonzero(free < self.k)
        if short.size:
            raise InfeasibleError(
                f"subject #{int(short[0])} has only {int(free[short[0]])} conflict-free experts, k={self.k}"
            )

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

    def loads(self, n_experts: int) -> np.ndarray:
        return np.bincount(self.pairs[:, 1], minlength=n_experts)

    def subject_totals(self, n_subjects: int) -> np.ndarray:
        return np.bincount(self.pairs[:, 0], weights=self.scores, minlength=n_subjects)


ProgressFn = Callable[[float, str], None]


def _noop(pct: float, msg: str) -> None:
    return None


# --- candidate graphs -------------------------------------------------------------------------------


class _Graph:
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
        if rows.size == 0:
            return np.zeros(0, dtype=np.int64)
        vals = np.asarray(self.ints[rows, cols]).ravel().astype(np.int64)
        # A listed score of exactly 0 and an unlisted pair differ only when default != 0.
        if self.default_int:
            present = _listed_mask(self.p.scores, rows, cols)
            vals = np.where(present, vals, self.default_int)
        return vals

    def add(self, rows: np.ndarray, cols: np.ndarray) -> int:
        m = self.p.n_experts
        keys = rows.astype(np.int64) * m + cols.astype(np.int64)
        keys = np.unique(keys)
        keys = keys[~self.contains(keys)]
        if keys.size == 0:
            return 0
        conf = _listed_mask(self.p.conflicts, keys // m, keys % m)
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


def _listed_mask(mat: sp.csr_matrix, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
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


def _top_candidates(problem: Problem, n_top: int) -> tuple[np.ndarray, np.ndarray]:
    """Each subject's n_top best listed, conflict-free experts (vectorised); a subject that lists
    fewer gets unlisted experts with spare capacity (see `_cold_candidates`) to make up the number."""
    sc = problem.scores
    n, m = problem.n_subjects, problem.n_experts
    rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(sc.indptr))
    cols = sc.indices.astype(np.int64)
    vals = sc.data
    keep = ~_listed_mask(problem.conflicts, rows, cols)
    rows, cols, vals = rows[keep], cols[keep], vals[keep]
    order = np.lexsort((cols, -vals, rows))  # by subject, best score first, ties by expert
    rows, cols = rows[order], cols[order]
    starts = np.searchsorted(rows, np.arange(n))
    sel = (np.arange(rows.size) - starts[rows]) < n_top
    rows, cols = rows[sel], cols[sel]
    counts = np.bincount(rows, minlength=n)
    short = np.maximum(0, min(n_top, m) - counts)
    if short.any():
        # Unlisted pairs carry the default score; conflicts among them are dropped by _Graph.add, so a
        # few more than the shortfall are offered.
        cr, cc = _cold_candidates(problem, cols, np.where(short > 0, short + problem.k, 0))
        rows = np.concatenate([rows, cr])
        cols = np.concatenate([cols, cc])
    return rows, cols


def _cold_candidates(problem: Problem, used_cols: np.ndarray, per_subject: np.ndarray | int):
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


# --- min-cost flow ----------------------------------------------------------------------------------


def _solve_flow(problem: Problem, rows: np.ndarray, cols: np.ndarray, arc_scores: np.ndarray):
    """Min-cost flow over the given arcs. Returns (status_ok, flows on subject→expert arcs, sink flows)."""
    from ortools.graph.python import min_cost_flow

    n, m = problem.n_subjects, problem.n_experts
    sink = n + m
    lo, hi = problem.min_load, problem.max_load
    smcf = min_cost_flow.SimpleMinCostFlow()
    tails = np.concatenate([rows, n + np.arange(m, dtype=np.int64)])
    heads = np.concatenate([n + cols, np.full(m, sink, dtype=np.int64)])
    caps = np.concatenate([np.ones(rows.size, dtype=np.int64), (hi - lo).astype(np.int64)])
    costs = np.concatenate([-arc_scores.astype(np.int64), np.zeros(m, dtype=np.int64)])
    smcf.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    supplies = np.concatenate(
        [
            np.full(n, problem.k, dtype=np.int64),
            -lo.astype(np.int64),
            np.array([-(n * problem.k - int(lo.sum()))], dtype=np.int64),
        ]
    )
    smcf.set_nodes_supplies(np.arange(n + m + 1, dtype=np.int64), supplies)
    status = smcf.solve()
    if status != smcf.OPTIMAL:
        return False, None, None
    flows = smcf.flows(np.arange(tails.size, dtype=np.int64))
    return True, flows[: rows.size], flows[rows.size :]


def _potentials(problem, rows, cols, arc_scores, arc_flow, sink_flow) -> np.ndarray:
    """Shortest distances from a virtual root in the residual graph (Bellman-Ford, vectorised,
    relaxing only arcs whose tail improved). Feasible potentials: reduced costs are >= 0."""
    n, m = problem.n_subjects, problem.n_experts
    sink = n + m
    used = arc_flow > 0
    cap = (problem.max_load - problem.min_load).astype(np.int64)
    ex = np.arange(m, dtype=np.int64)
    t = np.concatenate(
        [
            rows[~used],
            n + cols[used],
            n + ex[sink_flow < cap],
            np.full(int((sink_flow > 0).sum()), sink, dtype=np.int64),
        ]
    )
    h = np.concatenate(
        [
            n + cols[~used],
            rows[used],
            np.full(int((sink_flow < cap).sum()), sink, dtype=np.int64),
            n + ex[sink_flow > 0],
        ]
    )
    c = np.concatenate(
        [
            -arc_scores[~used],
            arc_scores[used],
            np.zeros(int((sink_flow < cap).sum()), dtype=np.int64),
            np.zeros(int((sink_flow > 0).sum()), dtype=np.int64),
        ]
    )
    order = np.argsort(t, kind="stable")
    t, h, c = t[order], h[order], c[order]
    starts = np.searchsorted(t, np.arange(n + m + 2))
    d = np.zeros(n + m + 1, dtype=np.int64)
    active = np.arange(n + m + 1, dtype=np.int64)
    for _ in range(n + m + 2):
        if active.size == 0:
            return d
        lens = starts[active + 1] - starts[active]
        idx = np.repeat(starts[active] - np.cumsum(np.concatenate([[0], lens[:-1]])), lens) + np.arange(
            lens.sum()
        )
        cand = d[t[idx]] + c[idx]
        heads = h[idx]
        better = cand < d[heads]
        if not better.any():
            return d
        heads, cand = heads[better], cand[better]
        new = d.copy()
        np.minimum.at(new, heads, cand)
        active = np.flatnonzero(new < d)
        d = new
    raise RuntimeError("negative cycle in an optimal residual graph")  # cannot happen for an optimum


def _tighten(problem, d, rows, cols, arc_scores, arc_flow, sink_flow, passes: int = 2) -> np.ndarray:
    """Move the potentials to another feasible dual that certifies more pruned pairs: lower every
    expert's potential to the largest value its outgoing residual arcs allow, then raise every
    subject's to the smallest its incoming residual arcs allow. Each step keeps every residual arc's
    reduced cost non-negative (lowering a node only loosens its incoming arcs; raising one only its
    outgoing arcs), so the result is still a valid certificate; it only makes fewer pruned pairs look
    improving (without it, an expert no arc reaches keeps the root's 0 and every unlisted pair to it
    looks like an improvement)."""
    n, m = problem.n_subjects, problem.n_experts
    d = d.copy()
    big = np.int64(2**60)
    used = arc_flow > 0
    ur, uc, ua = rows[used], cols[used], arc_scores[used]
    cap = (problem.max_load - problem.min_load).astype(np.int64)
    sink = n + m
    for _ in range(passes):
        # expert j: out-arcs j→sink (cost 0, while j has spare capacity) and j→i for used pairs (cost +a)
        lower = np.where(sink_flow < cap, d[sink], -big)
        np.maximum.at(lower, uc, d[ur] - ua)
        d[n:sink] = np.minimum(d[n:sink], lower)
        # subject i: in-arcs j→i for its used pairs (cost +a)
        upper = np.full(n, big, dtype=np.int64)
        np.minimum.at(upper, ur, d[n + uc] + ua)
        d[:n] = np.maximum(d[:n], upper)
    return d


def _violations(problem: Problem, graph: _Graph, d: np.ndarray, per_subject: int) -> tuple:
    """Pruned pairs whose reduced cost is negative (they could improve the optimum)."""
    n, m = problem.n_subjects, problem.n_experts
    ints = graph.ints
    # listed pairs not in the graph
    lr = np.repeat(np.arange(n, dtype=np.int64), np.diff(ints.indptr))
    lc = ints.indices.astype(np.int64)
    la = ints.data.astype(np.int64)
    keys = lr * m + lc
    pruned = ~graph.contains(keys)
    pruned &= ~_listed_mask(problem.conflicts, lr, lc)
    lr, lc, la = lr[pruned], lc[pruned], la[pruned]
    bad = la + d[n + lc] > d[lr]
    vr, vc = [lr[bad]], [lc[bad]]
    # Unlisted pairs all carry the default score s0; (i, j) violates when s0 + d[j] > d[i], so the most
    # attractive unlisted expert has the largest d[j]: walk experts by decreasing d[j].
    if ints.nnz < n * m:
        dj = d[n : n + m]
        order = np.argsort(-dj, kind="stable")
        s0 = graph.default_int
        suspects = np.flatnonzero(s0 + dj[order[0]] > d[:n])
        keys = graph._key_arr
        order_list = order.tolist()
        for i in suspects:
            taken = set(ints.indices[ints.indptr[i] : ints.indptr[i + 1]].tolist())
            ci = problem.conflicts
            taken |= set(ci.indices[ci.indptr[i] : ci.indptr[i + 1]].tolist())
            lo, hi = np.searchsorted(keys, [i * m, (i + 1) * m])
            taken |= set((keys[lo:hi] - i * m).tolist())
            found = 0
            for j in order_list:
                if s0 + dj[j] <= d[i]:
                    break
                if j in taken:
                    continue
                vr.append(np.array([i]))
                vc.append(np.array([j]))
                found += 1
                if found >= per_subject:
                    break
    return np.concatenate(vr), np.concatenate(vc)


def _build_solution(problem, pairs, ints_of_pairs, mode, started, stats) -> Solution:
    pairs = pairs[np.lexsort((pairs[:, 1], pairs[:, 0]))] if pairs.size else pairs.reshape(0, 2)
    ints_sorted = _pair_ints(problem, pairs)
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


def _pair_ints(problem: Problem, pairs: np.ndarray) -> np.ndarray:
    g = _Graph(problem)
    return g.score_of(pairs[:, 0], pairs[:, 1]) if pairs.size else np.zeros(0, dtype=np.int64)


def solve_optimal(problem: Problem, *, n_top: int | None = None, progress: ProgressFn = _noop) -> Solution:
    """The assignment of maximum total score, certified optimal for the full (unpruned) problem."""
    started = time.perf_counter()
    problem.check_totals()
    n, m, k = problem.n_subjects, problem.n_experts, problem.k
    n_top = min(m, n_top or max(4 * k, 24))
    graph = _Graph(problem)
    progress(5, "candidates")
    graph.add(*_top_candidates(problem, n_top))
    rounds = 0
    added_total = 0  # arcs the certificate brought back
    widened = 0  # arcs added because the pruned graph was infeasible
    attempts = 0
    while True:
        rounds += 1
        progress(min(90, 10 + rounds * 15), f"min-cost flow, round {rounds}")
        arc_scores = graph.arc_scores()
        ok, arc_flow, sink_flow = _solve_flow(problem, graph.rows, graph.cols, arc_scores)
        if not ok:
            if graph.rows.size >= n * m - problem.conflicts.nnz:
                raise InfeasibleError("no assignment satisfies k, the load bounds and the conflicts")
            attempts += 1
            # First offer every subject experts with spare capacity, then widen each subject's list.
            widened += graph.add(*_cold_candidates(problem, graph.cols, 2 * k * attempts))
            if attempts > 1:
                n_top = min(m, n_top * 2)
                widened += graph.add(*_top_candidates(problem, n_top))
            if n_top == m:
                rr, cc = np.divmod(np.arange(n * m, dtype=np.int64), m)
                widened += graph.add(rr, cc)
            continue
        d = _potentials(problem, graph.rows, graph.cols, arc_scores, arc_flow, sink_flow)
        d = _tighten(problem, d, graph.rows, graph.cols, arc_scores, arc_flow, sink_flow)
        # Violators per subject grow geometrically so that the rounds stay few on hard instances.
        vr, vc = _violations(problem, graph, d, per_subject=min(m, 2 * k * 2 ** min(rounds - 1, 20)))
        if vr.size == 0:
            break
        added_total += graph.add(vr, vc)
    used = arc_flow > 0
    pairs = np.stack([graph.rows[used], graph.cols[used]], axis=1)
    stats = {
        "certified": True,
        "certificate": "reduced costs of all pruned pairs are non-negative under the residual potentials",
        "rounds": rounds,
        "candidate_arcs": int(graph.rows.size),
        "n_top": int(n_top),
        "arcs_added_by_certificate": int(added_total),
        "arcs_added_for_feasibility": int(widened),
    }
    progress(100, "done")
    return _build_solution(problem, pairs, None, "optimal", started, stats)


def solve_random(problem: Problem, *, seed: int, progress: ProgressFn = _noop) -> Solution:
    """The national system's random draw among qualified experts, reproducible from `seed`.

    Every qualified pair (conflict-free, expert under their cap) gets an independent uniform random
    priority from the seeded generator, and the draw keeps the highest-priority assignment that meets
    k and the load bounds (a min-cost flow over the priorities), so no expert is favoured. On large
    rounds (more than 4 million pairs) each subject first draws a uniform random sample of candidate
    experts (doubled until the draw is feasible) instead of giving every pair a priority. The same seed
    and the same input give the same draw.
    """
    started = time.perf_counter()
    problem.check_totals()
    n, m, k = problem.n_subjects, problem.n_experts, problem.k
    rng = np.random.default_rng(seed)
    progress(10, "drawing")
    sample = m if n * m <= 4 * 10**6 else min(m, max(10 * k, 40))
    while True:
        if sample >= m:
            rr, cc = np.divmod(np.arange(n * m, dtype=np.int64), m)
        else:
            rr = np.repeat(np.arange(n, dtype=np.int64), sample)
            # A uniform sample without replacement per subject: the `sample` smallest of m random keys.
            cc = np.concatenate(
                [
                    np.argpartition(rng.random((min(n - s, 1024), m)), sample - 1, axis=1)[:, :sample].ravel()
                    for s in range(0, n, 1024)
                ]
            ).astype(np.int64)
        conf = _listed_mask(problem.conflicts, rr, cc)
        rr, cc = rr[~conf], cc[~conf]
        pr = rng.integers(1, 10**6, size=rr.size, dtype=np.int64)
        ok, arc_flow, _ = _solve_flow(problem, rr, cc, pr)
        if ok:
            break
        if sample >= m:
            raise InfeasibleError("no assignment satisfies k, the load bounds and the conflicts")
        sample = min(m, sample * 2)
    used = arc_flow > 0
    pairs = np.stack([rr[used], cc[used]], axis=1)
    progress(100, "done")
    return _build_solution(
        problem, pairs, None, "random", started, {"seed": int(seed), "sampled_candidates": int(sample)}
    )


FAIR_DETERMINISTIC_TIME = 20.0  # CP-SAT deterministic time units per stage (no wall clock: reproducible)
# Interleaved search is deterministic whatever the number of workers (OR-Tools: "the search is
# deterministic, independently of num_workers"); one worker alone is deterministic too but weaker here.
CP_SAT_PARAMS = {"num_workers": 2, "interleave_search": True}
TIE_RANGE = 1024  # tie-break weights are drawn from [0, TIE_RANGE)


def _maxmin_lp_bound(problem: Problem, graph: _Graph, *, max_rounds: int = 30, tol: float = 1e-9) -> dict:
    """An upper bound on the worst-off subject total over the WHOLE round (every conflict-free pair),
    by column generation on the LP relaxation of the max-min stage.

    LP: max z  s.t.  Σ_j a_ij x_ij ≥ z (each i),  Σ_j x_ij = k,  lo_j ≤ Σ_i x_ij ≤ hi_j,  0 ≤ x ≤ 1,
    over the candidate arcs. From its duals every pruned pair (i, j) gets a reduced cost
    r_ij = a_ij·y_i − y_hi_j + y_lo_j − u_i (scipy's sign convention, minimising −z); a pair with r < 0
    could raise the LP value, so the violators are added to the candidate graph (which the CP-SAT stages
    then use too) and the LP is solved again. When none is left, the LP optimum over the candidates is
    the LP optimum over the whole round, and since the LP relaxes the integer problem, no assignment of
    the round has a worst-off above it. The returned bound adds Σ max(0, −r) over every pruned pair
    (the Lagrangian slack: 0 once the pricing is clean; it absorbs the solver's tolerances)."""
    from scipy.optimize import linprog

    n, m, k = problem.n_subjects, problem.n_experts, problem.k
    scale = problem.scale
    lo_rows = np.flatnonzero(problem.min_load > 0)
    added = 0
    for rnd in range(1, max_rounds + 1):
        rows, cols = graph.rows, graph.cols
        a = graph.arc_scores() / scale
        e = rows.size
        idx = np.arange(e)
        # variables: x_0..x_{e-1}, z
        a_sub = sp.csr_matrix(
            (
                np.concatenate([-a, np.ones(n)]),
                (np.concatenate([rows, np.arange(n)]), np.concatenate([idx, np.full(n, e)])),
            ),
            shape=(n, e + 1),
        )
        a_hi = sp.csr_matrix((np.ones(e), (cols, idx)), shape=(m, e + 1))
        lo_pos = np.full(m, -1, dtype=np.int64)
        lo_pos[lo_rows] = np.arange(lo_rows.size)
        sel = lo_pos[cols] >= 0
        a_lo = sp.csr_matrix(
            (-np.ones(int(sel.sum())), (lo_pos[cols[sel]], idx[sel])), shape=(lo_rows.size, e + 1)
        )
        a_ub = sp.vstack([a_sub, a_hi, a_lo]).tocsr()
        b_ub = np.concatenate(
            [np.zeros(n), problem.max_load.astype(float), -problem.min_load[lo_rows].astype(float)]
        )
        a_eq = sp.csr_matrix((np.ones(e), (rows, idx)), shape=(n, e + 1))
        c = np.zeros(e + 1)
        c[e] = -1.0
        bounds = np.array([(0.0, 1.0)] * e + [(None, None)], dtype=object)
        res = linprog(
            c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=np.full(n, float(k)), bounds=bounds, method="highs"
        )
        if res.status != 0:
            return {"lp_bound": None, "lp_rounds": rnd, "lp_columns_added": added, "lp_status": res.message}
        y = res.ineqlin.marginals
        y_sub, y_hi = y[:n], y[n : n + m]
        y_lo = np.zeros(m)
        y_lo[lo_rows] = y[n + m :]
        u = res.eqlin.marginals
        vr, vc, slack = _lp_pricing(problem, graph, y_sub, y_hi - y_lo, u, tol)
        if vr.size == 0:
            return {
                "lp_bound": float(-res.fun + slack),
                "lp_rounds": rnd,
                "lp_columns_added": added,
                "lp_status": "optimal over the whole round",
            }
        added += graph.add(vr, vc)
    return {"lp_bound": None, "lp_rounds": max_rounds, "lp_columns_added": added, "lp_status": "round limit"}


def _lp_pricing(problem, graph, y_sub, w, u, tol):
    """Pruned pairs with a negative reduced cost r_ij = a_ij·y_sub_i − w_j − u_i, and Σ max(0, −r) over
    all pruned pairs (listed exactly; unlisted pairs, which all score the default, through the experts
    with the smallest w_j)."""
    n, m = problem.n_subjects, problem.n_experts
    ints = graph.ints
    scale = problem.scale
    lr = np.repeat(np.arange(n, dtype=np.int64), np.diff(ints.indptr))
    lc = ints.indices.astype(np.int64)
    la = ints.data / scale
    keep = ~graph.contains(lr * m + lc) & ~_listed_mask(problem.conflicts, lr, lc)
    lr, lc, la = lr[keep], lc[keep], la[keep]
    r = la * y_sub[lr] - w[lc] - u[lr]
    neg = r < 0
    slack = float(-r[neg].sum())
    bad = r < -tol
    vr, vc = [lr[bad]], [lc[bad]]
    if ints.nnz < n * m:
        s0 = graph.default_int / scale
        order = np.argsort(w, kind="stable").tolist()
        base_r = s0 * y_sub - u  # r_ij = base_r[i] - w[j]
        suspects = np.flatnonzero(base_r - w[order[0]] < 0)
        keys = graph._key_arr
        ci = problem.conflicts
        for i in suspects.tolist():
            taken = set(ints.indices[ints.indptr[i] : ints.indptr[i + 1]].tolist())
            taken |= set(ci.indices[ci.indptr[i] : ci.indptr[i + 1]].tolist())
            lo_k, hi_k = np.searchsorted(keys, [i * m, (i + 1) * m])
            taken |= set((keys[lo_k:hi_k] - i * m).tolist())
            for j in order:
                rij = base_r[i] - w[j]
                if rij >= 0:
                    break
                if j in taken:
                    continue
                slack += -rij
                if rij < -tol:
                    vr.append(np.array([i]))
                    vc.append(np.array([j]))
    return np.concatenate(vr), np.concatenate(vc), slack


def solve_fair(
    problem: Problem,
    *,
    seed: int = 0,
    n_top: int | None = None,
    deterministic_time: float = FAIR_DETERMINISTIC_TIME,
    progress: ProgressFn = _noop,
) -> Solution:
    """First the largest possible worst-off subject total, then the largest total with it held.

    Candidates: each subject's top-N experts, the optimal flow's pairs, each subject's best experts
    among those with spare capacity in the optimum, and every pair the LP certificate brings back
    (`_maxmin_lp_bound`). Stage 1 (max-min) and stage 2 (max total subject to the stage-1 value) are
    integer programs solved with OR-Tools CP-SAT over those candidates, hinted with the optimal flow's
    assignment, so the worst-off subject is never worse than under the optimal mode.

    Reproducible: CP-SAT runs on one worker with `random_seed` = seed and a *deterministic* time limit
    (no wall clock anywhere), so the same input and seed give the same assignment on the same OR-Tools
    version. Stage 2 also maximises, below the total, a tie-break Σ t_e·x_e with weights t_e drawn from
    the seed in [0, TIE_RANGE): equal-total assignments are ranked by it, so when stage 2 is proved
    optimal the result is (almost always: isolation lemma) the unique optimum of the perturbed
    objective, whatever path the solver took.

    `stats`: `maxmin_proved` (stage 1 optimal on the candidates), `maxmin_bound` (CP-SAT's bound on the
    candidates), `maxmin_upper_bound_full` (no assignment of the whole round has a better worst-off,
    from the LP), `maxmin_certified_full` (the found worst-off reaches that bound, so it is optimal over
    the whole round, as the optimal mode's certificate is), `total_proved`.
    """
    from ortools.sat.python import cp_model

    started = time.perf_counter()
    problem.check_totals()
    n, m, k = problem.n_subjects, problem.n_experts, problem.k
    seed = int(seed) % 2**31
    progress(5, "optimal flow as a starting point")
    base = solve_optimal(problem)
    n_top = min(m, n_top or max(4 * k, 15))
    graph = _Graph(problem)
    graph.add(*_top_candidates(problem, n_top))
    graph.add(base.pairs[:, 0], base.pairs[:, 1])
    # Each subject's best experts among those with spare capacity in the optimum: where the worst-off
    # subjects find the reviewers that lift them (a subject's own top-N is often saturated).
    slack = np.flatnonzero(base.loads(m) < problem.max_load)
    if slack.size:
        sub = Problem(
            n,
            slack.size,
            problem.scores[:, slack],
            problem.conflicts[:, slack],
            k=k,
            max_load=problem.max_load[slack],
            default=problem.default,
            scale=problem.scale,
        )
        sr, sc = _top_candidates(sub, min(slack.size, n_top))
        graph.add(sr, slack[sc])
    progress(15, "LP bound on the worst-off over the whole round")
    lp = _maxmin_lp_bound(problem, graph)
    rows, cols = graph.rows, graph.cols
    a = graph.arc_scores()
    base_hint = np.isin(rows * m + cols, base.pairs[:, 0] * m + base.pairs[:, 1])

    def build(hint: np.ndarray):
        model = cp_model.CpModel()
        x = [model.new_bool_var("") for _ in range(rows.size)]
        by_subject: list[list[int]] = [[] for _ in range(n)]
        by_expert: list[list[int]] = [[] for _ in range(m)]
        for e, (i, j) in enumerate(zip(rows.tolist(), cols.tolist())):
            by_subject[i].append(e)
            by_expert[j].append(e)
        for i in range(n):
            model.add(sum(x[e] for e in by_subject[i]) == k)
        for j in range(m):
            if by_expert[j]:
                model.add_linear_constraint(
                    sum(x[e] for e in by_expert[j]), int(problem.min_load[j]), int(problem.max_load[j])
                )
            elif problem.min_load[j] > 0:
                model.add_bool_or([])  # an expert who must review but has no candidate: infeasible
        totals = [sum(int(a[e]) * x[e] for e in by_subject[i]) for i in range(n)]
        for e in range(rows.size):
            model.add_hint(x[e], bool(hint[e]))
        return model, x, totals

    def run(model):
        solver = cp_model.CpSolver()
        for key, value in {
            **CP_SAT_PARAMS,
            "random_seed": seed,
            "max_deterministic_time": deterministic_time,
        }.items():
            setattr(solver.parameters, key, value)
        return solver, solver.solve(model)

    progress(30, "max-min")
    model, x, totals = build(base_hint)
    amax = int(np.abs(a).max(initial=1)) or 1
    z = model.new_int_var(min(0, int(a.min(initial=0)) * k), amax * k, "z")
    for tot in totals:
        model.add(tot >= z)
    model.maximize(z)
    solver, status = run(model)
    cpsat = {**CP_SAT_PARAMS, "random_seed": seed, "max_deterministic_time": deterministic_time}
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        sol = base
        sol.mode = "fair"
        sol.stats = {
            **base.stats,
            **lp,
            "cp_sat": cpsat,
            "fair_fallback": "CP-SAT found no solution; optimal kept",
        }
        return sol
    proved = status == cp_model.OPTIMAL
    zstar = int(solver.value(z))
    bound = int(solver.best_objective_bound)
    progress(65, "max total with the worst-off held")
    stage1 = np.array([solver.value(v) for v in x], dtype=bool)
    model2, x2, totals2 = build(stage1)  # stage 1's assignment is feasible for stage 2
    for tot in totals2:
        model2.add(tot >= zstar)
    # Tie-break below the total: P exceeds any Σ t·x (n·k arcs chosen, each t < R), so the total stays
    # first. R shrinks (to 1: no tie-break) when the coefficients would not fit in 62 bits.
    nk = n * k
    tie_range = TIE_RANGE
    while tie_range > 1 and amax * nk * tie_range * nk >= 2**60:
        tie_range //= 2
    ties = (
        np.random.default_rng([seed, 0xFA1]).integers(0, tie_range, size=rows.size) if tie_range > 1 else None
    )
    big = nk * tie_range
    if ties is None:
        model2.maximize(sum(int(a[e]) * x2[e] for e in range(rows.size)))
    else:
        model2.maximize(sum((int(a[e]) * big + int(ties[e])) * x2[e] for e in range(rows.size)))
    solver2, status2 = run(model2)
    if status2 in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        chosen = np.array([solver2.value(v) for v in x2], dtype=bool)
        total_proved = status2 == cp_model.OPTIMAL
    else:
        chosen = stage1
        total_proved = False
    pairs = np.stack([rows[chosen], cols[chosen]], axis=1)
    ub = lp["lp_bound"]
    ub_int = None if ub is None else int(np.floor(ub * problem.scale + 1e-6))
    stats = {
        "maxmin_proved": proved,
        "maxmin_bound": bound / problem.scale,
        "maxmin_upper_bound_full": None if ub_int is None else ub_int / problem.scale,
        "maxmin_certified_full": bool(proved and ub_int is not None and zstar >= ub_int),
        "total_proved": total_proved,
        "tie_break_range": int(tie_range),
        "candidate_arcs": int(rows.size),
        **lp,
        "cp_sat": cpsat,
        "deterministic_time_used": round(float(solver.deterministic_time + solver2.deterministic_time), 2),
        "optimal_objective": base.objective,
        "optimal_worst_off": base.worst_off,
    }
    progress(100, "done")
    sol = _build_solution(problem, pairs, None, "fair", started, stats)
    if sol.worst_off < base.worst_off:  # never worse than the optimal mode's worst-off
        base.mode = "fair"
        base.stats = {**stats, "fair_fallback": "optimal assignment had the better worst-off"}
        return base
    return sol


def solve(
    problem: Problem, *, mode: str = "optimal", seed: int = 0, progress: ProgressFn = _noop
) -> Solution:
    """Dispatch on the mode, then verify the hard rules on the result (an assertion, never skipped)."""
    if mode == "optimal":
        sol = solve_optimal(problem, progress=progress)
    elif mode == "fair":
        sol = solve_fair(problem, seed=seed, progress=progress)
    elif mode == "random":
        sol = solve_random(problem, seed=seed, progress=progress)
    else:
        raise ValueError(f"unknown mode {mode!r}")
    verify(problem, sol)
    return sol


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
    if _listed_mask(problem.conflicts, pairs[:, 0], pairs[:, 1]).any():
        raise AssertionError("a conflicted pair is assigned")
