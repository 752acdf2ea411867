"""Optimal mode: the assignment of maximum total score as an OR-Tools min-cost flow over pruned
candidates, certified optimal for the whole round by reduced costs (see the package docstring)."""

from __future__ import annotations

import time

import numpy as np

from .candidates import Graph, cold_candidates, listed_mask, top_candidates
from .diagnostics import diagnose
from .problem import InfeasibleError, Problem, ProgressFn, Solution, build_solution, noop


def solve_flow(
    problem: Problem,
    rows: np.ndarray,
    cols: np.ndarray,
    arc_scores: np.ndarray,
    *,
    supply: np.ndarray | None = None,
    min_load: np.ndarray | None = None,
    max_load: np.ndarray | None = None,
):
    """Min-cost flow over the given arcs. Returns (status_ok, flows on subject→expert arcs, sink flows).
    `supply` (experts each subject needs; k by default) and the load bounds can be given for a part of
    the round (the fair mode re-optimises the subjects it has not fixed)."""
    from ortools.graph.python import min_cost_flow

    n, m = problem.n_subjects, problem.n_experts
    sink = n + m
    lo = problem.min_load if min_load is None else min_load
    hi = problem.max_load if max_load is None else max_load
    supply = np.full(n, problem.k, dtype=np.int64) if supply is None else supply.astype(np.int64)
    smcf = min_cost_flow.SimpleMinCostFlow()
    tails = np.concatenate([rows, n + np.arange(m, dtype=np.int64)])
    heads = np.concatenate([n + cols, np.full(m, sink, dtype=np.int64)])
    caps = np.concatenate([np.ones(rows.size, dtype=np.int64), (hi - lo).astype(np.int64)])
    costs = np.concatenate([-arc_scores.astype(np.int64), np.zeros(m, dtype=np.int64)])
    smcf.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    supplies = np.concatenate(
        [
            supply,
            -lo.astype(np.int64),
            np.array([-(int(supply.sum()) - int(lo.sum()))], dtype=np.int64),
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


def _violations(problem: Problem, graph: Graph, d: np.ndarray, per_subject: int) -> tuple:
    """Pruned pairs whose reduced cost is negative (they could improve the optimum)."""
    n, m = problem.n_subjects, problem.n_experts
    ints = graph.ints
    # listed pairs not in the graph
    lr = np.repeat(np.arange(n, dtype=np.int64), np.diff(ints.indptr))
    lc = ints.indices.astype(np.int64)
    la = ints.data.astype(np.int64)
    keys = lr * m + lc
    pruned = ~graph.contains(keys)
    pruned &= ~listed_mask(problem.conflicts, lr, lc)
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


def solve_optimal(problem: Problem, *, n_top: int | None = None, progress: ProgressFn = noop) -> Solution:
    """The assignment of maximum total score, certified optimal for the full (unpruned) problem."""
    started = time.perf_counter()
    problem.check_totals()
    n, m, k = problem.n_subjects, problem.n_experts, problem.k
    n_top = min(m, n_top or max(4 * k, 24))
    graph = Graph(problem)
    progress(5, "candidates")
    graph.add(*top_candidates(problem, n_top))
    rounds = 0
    added_total = 0  # arcs the certificate brought back
    widened = 0  # arcs added because the pruned graph was infeasible
    attempts = 0
    why = None
    while True:
        rounds += 1
        progress(min(90, 10 + rounds * 15), f"min-cost flow, round {rounds}")
        arc_scores = graph.arc_scores()
        ok, arc_flow, sink_flow = solve_flow(problem, graph.rows, graph.cols, arc_scores)
        if not ok:
            if graph.rows.size >= n * m - problem.conflicts.nnz:
                diag = diagnose(problem)
                raise InfeasibleError(diag.text(), diagnosis=diag)
            if attempts == 0:  # why the pruned candidates fail: recorded with the widening
                why = diagnose(problem, graph.rows, graph.cols)
            attempts += 1
            # First offer every subject experts with spare capacity, then widen each subject's list.
            widened += graph.add(*cold_candidates(problem, graph.cols, 2 * k * attempts))
            if attempts > 1:
                n_top = min(m, n_top * 2)
                widened += graph.add(*top_candidates(problem, n_top))
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
    if why is not None:
        # The fallback: the top-N candidates had no assignment, so the candidate set was widened (experts
        # with spare capacity first, then a longer top-N, at worst every pair) until one exists.
        stats["widened"] = {
            "reason": why.as_dict(),
            "attempts": int(attempts),
            "arcs_added": int(widened),
        }
    progress(100, "done")
    return build_solution(problem, pairs, None, "optimal", started, stats)
