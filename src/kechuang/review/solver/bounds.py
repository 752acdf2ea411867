"""Upper bounds on the worst-off subject total (fair mode), valid for the whole round."""

from __future__ import annotations

import functools
import itertools
import math

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


# --- the configuration LP: a bound that knows each subject gets whole experts -------------------------

EXACT_SETS = 2000  # a subject with at most this many k-sets to price is priced exactly (no levels)
CONFIG_LEVELS = 1000  # score levels of the pricing DP (rounded up: the bound stays valid, ≤ k/1000 weaker)


class _Rows:
    """Each subject's listed, conflict-free experts over the whole round, best score first, and how
    many conflict-free experts it has unlisted (they score the default)."""

    def __init__(self, problem: Problem):
        self.p = problem
        n, m = problem.n_subjects, problem.n_experts
        ints = problem.int_scores()
        rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(ints.indptr))
        cols = ints.indices.astype(np.int64)
        vals = ints.data.astype(np.int64)
        keep = ~listed_mask(problem.conflicts, rows, cols)
        rows, cols, vals = rows[keep], cols[keep], vals[keep]
        order = np.lexsort((cols, -vals, rows))
        rows, cols, vals = rows[order], cols[order], vals[order]
        starts = np.searchsorted(rows, np.arange(n + 1))
        self.cols = [cols[starts[i] : starts[i + 1]] for i in range(n)]
        self.vals = [vals[starts[i] : starts[i + 1]] for i in range(n)]
        conf_listed = np.bincount(rows, minlength=n)  # listed conflict-free per subject
        listed_all = np.diff(ints.indptr)
        conf_all = np.diff(problem.conflicts.indptr)
        # conflicted pairs that are listed were dropped above; the unlisted conflicted ones are the rest
        conf_unlisted = conf_all - (listed_all - conf_listed)
        self.unlisted_free = m - listed_all - conf_unlisted
        self.s0 = int(round(problem.default * problem.scale))
        self.k = problem.k
        # Per subject: every listed or conflicted expert (sorted, unique), and the k best listed
        # conflict-free experts (-1 where fewer), for the pricing's quick checks.
        lr_all = np.repeat(np.arange(n, dtype=np.int64), listed_all)
        keys_all = np.unique(
            np.concatenate(
                [
                    lr_all * m + ints.indices.astype(np.int64),
                    np.repeat(np.arange(n, dtype=np.int64), conf_all) * m
                    + problem.conflicts.indices.astype(np.int64),
                ]
            )
        )
        kst = np.searchsorted(keys_all, np.arange(n + 1, dtype=np.int64) * m)
        self.known = [keys_all[kst[i] : kst[i + 1]] - i * m for i in range(n)]
        kk = problem.k
        top_j = np.full((n, kk), -1, dtype=np.int64)
        top_v = np.zeros((n, kk), dtype=np.int64)
        for i in range(n):
            c = self.cols[i][:kk]
            top_j[i, : c.size] = c
            top_v[i, : c.size] = self.vals[i][:kk]
        self.top_k = (top_j, top_v)
        # Subjects with few listed experts are priced exactly (every k-set enumerated), the others by
        # the levels DP; a subject's columns enter the LP by the same rule as its pricing.
        self.exact = np.array(
            [math.comb(c.size + self.k, self.k) <= EXACT_SETS for c in self.cols], dtype=bool
        )

    def best_k_sum(self) -> np.ndarray:
        out = np.empty(self.p.n_subjects, dtype=np.int64)
        for i, v in enumerate(self.vals):
            extra = np.full(min(self.k, int(self.unlisted_free[i])), self.s0, dtype=np.int64)
            allv = np.sort(np.concatenate([v[: self.k], extra]))[::-1]
            out[i] = allv[: self.k].sum() if allv.size >= self.k else np.iinfo(np.int64).min // 4
        return out

    def items(self, i: int, priced: np.ndarray, priced_set: np.ndarray):
        """(experts, integer scores, prices) a cheapest k-set for subject i can be drawn from: every
        priced expert that beats the k-th best free (unpriced) one, and the k best free ones. Any set
        using another priced expert can swap it for an unused free expert scoring at least as much,
        at no more cost, so nothing cheaper is lost (the pricing is exact over the whole round)."""
        k, s0 = self.k, self.s0
        cj, cv = self.cols[i], self.vals[i]
        is_priced = priced_set[cj]
        zj, zv = cj[~is_priced][:k], cv[~is_priced][:k]
        n_unl_priced = 0
        if self.unlisted_free[i] > 0 and priced.size:
            known = self.known[i]  # listed or conflicted: not among the unlisted free experts
            n_unl_priced = priced.size - int(priced_set[known].sum())
        n_unl_free = int(self.unlisted_free[i]) - n_unl_priced
        if n_unl_free > 0:
            extra = min(k, n_unl_free)
            zj = np.concatenate([zj, np.full(extra, -1, dtype=np.int64)])  # -1: some unlisted free expert
            zv = np.concatenate([zv, np.full(extra, s0, dtype=np.int64)])
            o = np.argsort(-zv, kind="stable")[:k]
            zj, zv = zj[o], zv[o]
        theta = zv[k - 1] if zv.size >= k else np.iinfo(np.int64).min
        pj, pv = cj[is_priced], cv[is_priced]
        sel = pv > theta
        pj, pv = pj[sel], pv[sel]
        if s0 > theta and n_unl_priced:  # the unlisted priced experts, only when they can matter
            unl_priced = priced[~np.isin(priced, self.known[i], assume_unique=True)]
            pj = np.concatenate([pj, unl_priced])
            pv = np.concatenate([pv, np.full(unl_priced.size, s0, dtype=np.int64)])
        return np.concatenate([zj, pj]), np.concatenate([zv, pv])


def _levels(vals: np.ndarray, t: int, levels: int) -> np.ndarray:
    """Scores as levels of t/levels, rounded UP: a set reaching t reaches `levels` levels."""
    return np.clip(np.ceil(vals * (levels / t)).astype(np.int64), 0, levels)


def _reaches(vals: np.ndarray, t: int, levels: int, exact: bool) -> bool:
    """Whether a column belongs to the family priced at t: a k-set reaching t (exact subjects), or
    one whose scores in levels rounded up reach `levels` (a superset: the bound stays valid)."""
    if exact:
        return int(vals.sum()) >= t
    return int(_levels(vals, t, levels).sum()) >= levels


class _Pool(dict):
    """The configuration LP's columns: key (subject, its experts sorted) → their integer scores, with
    the same columns as arrays (subject, experts, scores; one row per column, in insertion order) so
    a round's family and matrices are built without a Python loop over the columns."""

    def __init__(self):
        super().__init__()
        self._rows: list[tuple] = []
        self._done = 0
        self.subj = np.zeros(0, dtype=np.int64)
        self.js = np.zeros((0, 0), dtype=np.int64)
        self.vals = np.zeros((0, 0), dtype=np.int64)

    def __setitem__(self, key, value):
        super().__setitem__(key, value)
        self._rows.append((key, value))

    def arrays(self):
        if self._done < len(self._rows):
            new = self._rows[self._done :]
            subj = np.array([key[0] for key, _ in new], dtype=np.int64)
            js = np.array([key[1:] for key, _ in new], dtype=np.int64)
            vals = np.array([v for _, v in new], dtype=np.int64)
            if self._done:
                subj = np.concatenate([self.subj, subj])
                js = np.concatenate([self.js, js])
                vals = np.concatenate([self.vals, vals])
            self.subj, self.js, self.vals = subj, js, vals
            self._done = len(self._rows)
        return self.subj, self.js, self.vals


def _pool_add(pool: dict, i: int, js: np.ndarray, vs: np.ndarray) -> int:
    o = np.argsort(js, kind="stable")
    key = (int(i), *js[o].tolist())
    if key in pool:
        return 0
    pool[key] = np.asarray(vs)[o].astype(np.int64)
    return 1


def _reaches_all(vals: np.ndarray, exact: np.ndarray, t: int, levels: int) -> np.ndarray:
    """`_reaches` for every column at once (rows of `vals`; `exact` per column)."""
    if vals.size == 0:
        return np.zeros(vals.shape[0], dtype=bool)
    by_sum = vals.sum(axis=1) >= t
    by_levels = _levels(vals, t, levels).sum(axis=1) >= levels
    return np.where(exact, by_sum, by_levels)


def _range_min(prices: np.ndarray):
    """A sparse table over `prices`: query(lo, hi) gives, for arrays of inclusive ranges, the smallest
    price in each and where it is (inf and -1 for an empty range)."""
    size = prices.size
    vals, idx = [prices.astype(float)], [np.arange(size)]
    span = 1
    while 2 * span <= size:
        v, ix = vals[-1], idx[-1]
        left, right = v[: size - 2 * span + 1], v[span : size - span + 1]
        take_right = right < left
        vals.append(np.where(take_right, right, left))
        idx.append(np.where(take_right, ix[span : size - span + 1], ix[: size - 2 * span + 1]))
        span *= 2

    def query(lo: np.ndarray, hi: np.ndarray):
        empty = hi < lo
        length = np.where(empty, 1, hi - lo + 1)
        lvl = np.floor(np.log2(length)).astype(np.int64)
        out_v = np.full(lo.shape, np.inf)
        out_i = np.full(lo.shape, -1, dtype=np.int64)
        for level in np.unique(lvl[~empty]).tolist():
            sel = (lvl == level) & ~empty
            a, b = lo[sel], hi[sel] - (1 << level) + 1
            va, vb = vals[level][a], vals[level][b]
            right = vb < va
            out_v[sel] = np.where(right, vb, va)
            out_i[sel] = np.where(right, idx[level][b], idx[level][a])
        return out_v, out_i

    return query


@functools.lru_cache(maxsize=64)
def _pairs(size: int) -> tuple[np.ndarray, np.ndarray]:
    """The pairs a < b of `size` items in row-major order (`np.triu_indices(size, 1)`), cached: the
    pricing asks for the same few sizes thousands of times."""
    a, b = np.triu_indices(size, 1)
    a.flags.writeable = b.flags.writeable = False
    return a, b


def _range_min_table(prices: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every range's smallest price and where it first occurs, as two (size + 1) × (size + 1) tables
    indexed [hi, lo]: the minimum of prices[lo..hi] and its leftmost index (what `_range_min`'s query
    returns: it too keeps the left block on a tie); inf and -1 for an empty range (hi < lo, lo = size,
    or hi = -1, the last row). For the ~100 items of a pricing call, a 10⁴-entry table costs less than
    the per-level queries of thousands of pairs."""
    size = prices.size
    idx = np.arange(size + 1)
    m = np.full((size + 1, size + 1), np.inf)
    m[:size] = prices.astype(float)[:, None]
    m[idx[:, None] < idx[None, :]] = np.inf  # hi < lo: empty
    run = np.minimum.accumulate(m, axis=0)
    drops = np.empty(m.shape, dtype=bool)
    drops[0] = np.isfinite(m[0])
    np.less(m[1:], run[:-1], out=drops[1:])  # a new, strictly smaller minimum starts at this hi
    where = np.maximum.accumulate(np.where(drops, idx[:, None], -1), axis=0)
    run[size], where[size] = np.inf, -1
    return run, where


def _cheapest_set_k3(vals: np.ndarray, prices: np.ndarray, k: int, t: int):
    """min Σ price over the k-sets (k ≤ 3) of items whose scores add up to t or more, exactly: order a
    set by score (items sorted best first), fix all but its weakest item, and the weakest is the
    cheapest in the range of items after the others that still reach t (a range-minimum query)."""
    order = np.lexsort((prices, -vals))
    v, pr = vals[order], prices[order]
    size = v.size
    if size < k:
        return np.inf, None
    neg = -v

    def last_reaching(need: np.ndarray) -> np.ndarray:  # last index whose score is >= need
        return np.searchsorted(neg, -need, side="right") - 1

    if k == 1:
        query = _range_min(pr)
        e = int(last_reaching(np.array([t]))[0])
        if e < 0:
            return np.inf, None
        cv, ci = query(np.array([0]), np.array([e]))
        return (float(cv[0]), order[[int(ci[0])]]) if np.isfinite(cv[0]) else (np.inf, None)
    if k == 2:
        query = _range_min(pr)
        heads = np.arange(size - 1)
        cv, ci = query(heads + 1, last_reaching(t - v[heads]))
        tot = pr[heads] + cv
        best = int(np.argmin(tot))
        if not np.isfinite(tot[best]):
            return np.inf, None
        return float(tot[best]), order[[best, int(ci[best])]]
    a, b = _pairs(size)
    run, where = _range_min_table(pr)
    at = (last_reaching(t - v[a] - v[b]) % (size + 1)) * (size + 1) + b + 1  # [hi, lo = b + 1]; hi -1: empty
    cv, ci = run.ravel().take(at), where.ravel().take(at)
    tot = pr[a] + pr[b] + cv
    best = int(np.argmin(tot)) if tot.size else 0
    if not tot.size or not np.isfinite(tot[best]):
        return np.inf, None
    return float(tot[best]), order[[int(a[best]), int(b[best]), int(ci[best])]]


def _cheapest_set_exact(vals: np.ndarray, prices: np.ndarray, k: int, t: int):
    """min Σ price over the k-sets of items whose scores add up to t or more, by enumeration."""
    combos = np.array(list(itertools.combinations(range(vals.size), k)), dtype=np.int64).reshape(-1, k)
    ok = vals[combos].sum(axis=1) >= t
    if not ok.any():
        return np.inf, None
    cost = np.where(ok, prices[combos].sum(axis=1), np.inf)
    best = int(np.argmin(cost))
    return float(cost[best]), combos[best]


def _cheapest_set(vals: np.ndarray, prices: np.ndarray, k: int, t: int, levels: int, want_set: bool):
    """min Σ price over k items with Σ ceil(val·levels/t) ≥ levels (scores rounded UP to levels, so
    every k-set reaching t is included: a lower bound on the true minimum), and the items chosen."""
    lv = _levels(vals, t, levels)
    inf = np.inf
    f = np.full((k + 1, levels + 1), inf)
    f[0, 0] = 0.0
    stages = [f] if want_set else None
    for ell, w in zip(lv.tolist(), prices.tolist()):
        g = np.full((k, levels + 1), inf)
        if ell < levels:
            g[:, ell:levels] = f[:-1, : levels - ell]
        g[:, levels] = f[:-1, levels - ell :].min(axis=1)
        f = f.copy() if want_set else f
        np.minimum(f[1:], g + w, out=f[1:])
        if want_set:
            stages.append(f)
    best = float(f[k, levels])
    if not want_set or not np.isfinite(best):
        return best, None
    chosen, c, lvl = [], k, levels
    for s in range(len(lv), 0, -1):
        cur, prev = stages[s], stages[s - 1]
        if cur[c, lvl] == prev[c, lvl]:
            continue
        ell, w = int(lv[s - 1]), float(prices[s - 1])
        if lvl < levels:
            lp = lvl - ell
        else:
            cand = np.flatnonzero(prev[c - 1, levels - ell :] + w == cur[c, lvl])
            lp = levels - ell + int(cand[0])
        chosen.append(s - 1)
        c, lvl = c - 1, lp
        if c == 0:
            break
    return best, np.array(chosen[::-1], dtype=np.int64)


def _config_infeasible(rows_: _Rows, t: int, pool: dict, *, levels: int, max_rounds: int) -> tuple[bool, int]:
    """Whether the configuration LP at target t is proved infeasible: no fractional choice of one
    k-set reaching t per subject fits the experts' maximum loads. Column generation on the phase-one
    LP (minimise the overload); the proof is a Lagrangian (Farkas) certificate checked directly: prices
    w ≥ 0 on the experts with Σ_i min_{S reaches t} w(S) > Σ_j max_load_j·w_j. Any such w proves that no
    assignment has every subject at t or above, whatever the LP solver's tolerances. Returns (proved,
    rounds)."""
    from scipy.optimize import linprog

    p = rows_.p
    n, m, k = p.n_subjects, p.n_experts, p.k
    hi = p.max_load.astype(float)
    for rnd in range(1, max_rounds + 1):
        subj, js_all, vals_all = pool.arrays()
        sel = np.flatnonzero(_reaches_all(vals_all, rows_.exact[subj], t, levels))
        nc = sel.size
        ai = np.stack([subj[sel], np.arange(nc)], axis=1)
        jm = js_all[sel]
        has = jm >= 0
        aj = np.stack([jm[has], np.broadcast_to(np.arange(nc)[:, None], jm.shape)[has]], axis=1)
        # Only the experts some column uses get a row (and an overload variable): any other row reads
        # -s_j <= max_load_j, slack at the optimum, so its price is 0 (HiGHS' presolve drops it anyway).
        used = np.unique(aj[:, 0])
        mu = used.size
        pos = np.searchsorted(used, aj[:, 0])
        a_eq = sp.csr_matrix((np.ones(len(ai)), (ai[:, 0], ai[:, 1])), shape=(n, nc + mu))
        a_ub = sp.csr_matrix(
            (
                np.concatenate([np.ones(len(aj)), -np.ones(mu)]),
                (np.concatenate([pos, np.arange(mu)]), np.concatenate([aj[:, 1], nc + np.arange(mu)])),
            ),
            shape=(mu, nc + mu),
        )
        cost = np.concatenate([np.zeros(nc), np.ones(mu)])
        res = linprog(
            cost, A_ub=a_ub, b_ub=hi[used], A_eq=a_eq, b_eq=np.ones(n), bounds=(0, None), method="highs-ipm"
        )
        if res.status != 0:
            return False, rnd
        if res.fun <= 1e-9:
            return False, rnd  # the LP fits: nothing proved at t
        y = np.zeros(m)
        y[used] = res.ineqlin.marginals
        w = np.clip(-y, 0.0, None)
        w[w < 1e-12] = 0.0
        u = res.eqlin.marginals
        priced = np.flatnonzero(w > 0)
        priced_set = w > 0
        total_pi = 0.0
        added = 0
        top_j, top_v = rows_.top_k
        free_top = (top_j >= 0).all(axis=1) & ~priced_set[np.maximum(top_j, 0)].any(axis=1)
        skip = free_top & (top_v.sum(axis=1) >= t) & (u <= 1e-9)
        for i in np.flatnonzero(~skip).tolist():
            js, vs = rows_.items(i, priced, priced_set)
            prices = np.where(js >= 0, w[np.maximum(js, 0)], 0.0)
            # free items alone: the k best free experts reach t, so the cheapest set costs 0
            if vs[:k].size == k and vs[:k].sum() >= t and prices[:k].sum() == 0:
                pi = 0.0
                if u[i] > 1e-9:
                    added += _pool_add(pool, i, js[:k], vs[:k])
                continue
            if k <= 3:
                pi, chosen = _cheapest_set_k3(vs, prices, k, t)
            elif rows_.exact[i]:
                pi, chosen = _cheapest_set_exact(vs, prices, k, t)
            else:
                pi, chosen = _cheapest_set(vs, prices, k, t, levels, True)
            total_pi += pi if np.isfinite(pi) else 1e18
            if chosen is not None and pi < u[i] - 1e-9:
                added += _pool_add(pool, i, js[chosen], vs[chosen])
        if total_pi - float(hi @ w) > 1e-6 * max(1.0, total_pi):
            return True, rnd
        if not added:  # the LP is optimal over the (relaxed) family and still not proved
            return False, rnd
    return False, max_rounds


def config_bound(
    problem: Problem,
    lo: int,
    *,
    tol: int,
    levels: int = CONFIG_LEVELS,
    max_rounds: int = 60,
    seed_sets: list | None = None,
    certify_first: bool = False,
    round_budget: int = 80,
) -> dict:
    """An upper bound on the worst-off subject total over the whole round from the configuration LP:
    the smallest target t (to within `tol`, bisection from `lo`, a worst-off known to be reached) that
    `_config_infeasible` proves out of reach. Stronger than the plain LP relaxation, which lets a
    subject take a fraction of a scarce expert. Valid for the whole round: the pricing looks at every
    conflict-free pair (see `_Rows.items`), not only the candidates. The search stops after
    `round_budget` LP rounds in all (0: only the trivial bound, each subject's k best experts); what
    is proved by then stands (a count, not a clock: the same input gives the same bound)."""
    rows_ = _Rows(problem)
    best = rows_.best_k_sum()
    hi = int(best.min()) + 1  # no subject can exceed its own k best experts
    pool: dict = _Pool()
    for i in range(problem.n_subjects):
        js = rows_.cols[i][: problem.k]
        if js.size == problem.k:
            _pool_add(pool, i, js, rows_.vals[i][: problem.k])
    for i, js, vs in seed_sets or []:
        _pool_add(pool, i, np.asarray(js), np.asarray(vs))
    lo = min(lo, hi - 1)
    steps = rounds = 0
    # Gallop up from the reached value (most rounds are proved out of reach a little above it), then
    # bisect: a target not proved out of reach only raises the floor of the search.
    step = max(tol, lo // 200)
    trivial = hi - 1
    if certify_first and hi - lo > 1 and round_budget > 0:
        # Every subject is priced exactly: one unit above the reached value may be proved out of
        # reach, which certifies the worst-off as the best possible.
        steps += 1
        proved, r = _config_infeasible(rows_, lo + 1, pool, levels=levels, max_rounds=max_rounds)
        rounds += r
        if proved:
            hi = lo + 1
        else:
            lo += 1
    while hi - lo > tol and rounds < round_budget:
        steps += 1
        t = min(lo + step, (lo + hi) // 2) if step else (lo + hi) // 2
        budget = min(max_rounds, round_budget - rounds)
        proved, r = _config_infeasible(rows_, t, pool, levels=levels, max_rounds=budget)
        rounds += r
        if proved:
            hi = t
            step = 0  # bisect from now on
        else:
            lo = t
            step *= 2
    return {
        "config_bound_int": int(hi) - 1,  # hi is out of reach: the best worst-off is at most hi − 1
        "config_trivial_bound_int": int(trivial),
        "config_stopped_by_budget": bool(hi - lo > tol),
        "config_bisection_steps": steps,
        "config_lp_rounds": rounds,
        "config_columns": len(pool),
    }
