"""A fair starting assignment for the lifting (fair mode): the bottleneck first slot.

The optimal flow (largest total) often leaves whole groups of subjects with nothing: on clustered
rounds, where a few hot topics share few good experts, its worst-off is 0, and lifting every such
subject from 0 by exchange chains costs one chain per expert per subject. Here instead:

1. The first slot: the largest threshold θ such that every subject can get ONE candidate expert
   scoring at least θ within the maximum loads (a bisection over the candidates' distinct scores,
   each step a maximum flow: source → subject (1) → expert (arcs scoring ≥ θ) → sink (max load)).
2. The other k − 1 slots: the largest total (a min-cost flow over the candidates, the first slot's
   expert excluded per subject, the loads less the first slot's).

Every subject then totals at least θ, so the lifting starts close to the fair value and has few
subjects to lift. None when the candidates leave no feasible completion (the caller keeps the
optimal flow's assignment). Deterministic: OR-Tools' flows on arcs in a fixed order.
"""

from __future__ import annotations

import numpy as np

from .candidates import Graph


def first_slot(graph: Graph) -> tuple[int, np.ndarray] | None:
    """(θ, the expert index of each subject's first slot): the largest θ among the candidates'
    scores at which every subject gets one expert scoring at least θ. None when even every arc
    together gives no such slot."""
    from ortools.graph.python import max_flow

    p = graph.p
    n, m = p.n_subjects, p.n_experts
    rows, cols, a = graph.rows, graph.cols, graph.arc_scores()
    if n == 0 or rows.size == 0:
        return None
    source, sink = n + m, n + m + 1
    cap = p.max_load.astype(np.int64)

    def solve(theta: int):
        sel = np.flatnonzero(a >= theta)
        smf = max_flow.SimpleMaxFlow()
        tails = np.concatenate([np.full(n, source), rows[sel], n + np.arange(m)])
        heads = np.concatenate([np.arange(n), n + cols[sel], np.full(m, sink)])
        caps = np.concatenate([np.ones(n + sel.size, dtype=np.int64), cap])
        smf.add_arcs_with_capacity(tails.astype(np.int64), heads.astype(np.int64), caps)
        if smf.solve(source, sink) != smf.OPTIMAL or smf.optimal_flow() < n:
            return None
        flows = smf.flows(np.arange(n, n + sel.size, dtype=np.int64))
        chosen = sel[flows > 0]
        first = np.full(n, -1, dtype=np.int64)
        first[rows[chosen]] = cols[chosen]
        return first

    levels = np.unique(a)
    lo, hi = 0, levels.size - 1  # levels[lo] feasible (checked below); find the last feasible
    best = solve(int(levels[0]))
    if best is None:
        return None
    while lo < hi:
        mid = (lo + hi + 1) // 2
        got = solve(int(levels[mid]))
        if got is None:
            hi = mid - 1
        else:
            lo, best = mid, got
    return int(levels[lo]), best


def bottleneck_start(graph: Graph) -> tuple[np.ndarray, np.ndarray, int] | None:
    """The starting assignment (pairs, their integer scores, θ) or None (see the module docstring)."""
    from .optimal import solve_flow

    p = graph.p
    n, m, k = p.n_subjects, p.n_experts, p.k
    got = first_slot(graph)
    if got is None:
        return None
    theta, first = got
    rows, cols, a = graph.rows, graph.cols, graph.arc_scores()
    load_first = np.bincount(first, minlength=m)
    rest = cols != first[rows]
    ok, flow, _ = solve_flow(
        p,
        rows[rest],
        cols[rest],
        a[rest],
        supply=np.full(n, k - 1, dtype=np.int64),
        min_load=np.maximum(0, p.min_load - load_first),
        max_load=p.max_load - load_first,
    )
    if not ok:
        return None
    used = np.flatnonzero(rest)[flow > 0]
    first_arc = np.flatnonzero(~rest)
    arcs = np.sort(np.concatenate([first_arc, used]))
    pairs = np.stack([rows[arcs], cols[arcs]], axis=1)
    return pairs, a[arcs], theta
