"""Upper bounds on the worst-off subject total (fair mode), valid for the whole round."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from .candidates import Graph, listed_mask
from .problem import Problem


def maxmin_lp_bound(problem: Problem, graph: Graph, *, max_rounds: int = 30, tol: float = 1e-9) -> dict:
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
        vr, vc, slack = lp_pricing(problem, graph, y_sub, y_hi - y_lo, u, tol)
        if vr.size == 0:
            return {
                "lp_bound": float(-res.fun + slack),
                "lp_rounds": rnd,
                "lp_columns_added": added,
                "lp_status": "optimal over the whole round",
            }
        added += graph.add(vr, vc)
    return {"lp_bound": None, "lp_rounds": max_rounds, "lp_columns_added": added, "lp_status": "round limit"}


def lp_pricing(problem, graph, y_sub, w, u, tol):
    """Pruned pairs with a negative reduced cost r_ij = a_ij·y_sub_i − w_j − u_i, and Σ max(0, −r) over
    all pruned pairs (listed exactly; unlisted pairs, which all score the default, through the experts
    with the smallest w_j)."""
    n, m = problem.n_subjects, problem.n_experts
    ints = graph.ints
    scale = problem.scale
    lr = np.repeat(np.arange(n, dtype=np.int64), np.diff(ints.indptr))
    lc = ints.indices.astype(np.int64)
    la = ints.data / scale
    keep = ~graph.contains(lr * m + lc) & ~listed_mask(problem.conflicts, lr, lc)
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
