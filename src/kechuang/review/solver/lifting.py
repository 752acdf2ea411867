"""Lifting the worst-off subjects by exchange chains (the fair mode's fast search).

Start from a feasible assignment (the optimal flow's: the largest total). For a target t, every subject
below t is lifted in turn by an *exchange chain*: the subject gives up one of its experts d and takes a
better expert j; if j has no spare capacity, a subject p holding j gives j up and takes a replacement j'
that keeps p at or above t (or, when p is itself still below t, does not lower it); and so on until the
last expert taken has spare capacity (or is the d given up at the start). Every step keeps k per
subject, the loads and the conflicts, so the assignment stays feasible throughout. Chains are found by a
breadth-first search over experts, replacements tried best score first, so a short chain that keeps
the most total is found first. A subject that no chain can lift makes the target fail.

`ascend` raises t from the optimal assignment's worst-off by a step that doubles after each success
and halves after a failure (which keeps its progress: nothing is undone). Integers throughout (scaled scores); pure Python and numpy; deterministic (no randomness, fixed
orders).
"""

from __future__ import annotations

import heapq
from bisect import bisect_left, bisect_right

import numpy as np

from .candidates import Graph

_UNSEEN = 1 << 62  # larger than any chain's cost (integer scores)
STEP_DIVISOR = 16  # the first trial's target: the start's worst-off + (hi − it) / STEP_DIVISOR


class Lifter:
    """Candidate lists per subject (best score first) and an assignment that chains change in place."""

    def __init__(self, graph: Graph, pairs: np.ndarray, pair_ints: np.ndarray):
        p = graph.p
        self.n, self.m, self.k = p.n_subjects, p.n_experts, p.k
        rows, cols, ints = graph.rows, graph.cols, graph.arc_scores()
        order = np.lexsort((cols, -ints, rows))
        rows, cols, ints = rows[order], cols[order], ints[order]
        starts = np.searchsorted(rows, np.arange(self.n + 1))
        self.cand_j = [cols[starts[i] : starts[i + 1]] for i in range(self.n)]
        self.cand_a = [ints[starts[i] : starts[i + 1]] for i in range(self.n)]
        # The chain search runs in Python: plain lists there (numpy scalars cost several times more).
        self._cj = [c.tolist() for c in self.cand_j]
        self._ca = [a.tolist() for a in self.cand_a]
        self._neg = [(-a).tolist() for a in self.cand_a]  # ascending, for bisect
        self._score_of = [dict(zip(j, a)) for j, a in zip(self._cj, self._ca)]
        self.cap = p.max_load.astype(np.int64)
        self.lo = p.min_load.astype(np.int64)
        self._cap = self.cap.tolist()
        self._lo = self.lo.tolist()
        self.step_cost = 0  # added to each link of a chain beyond the first: shorter chains first
        # Experts one chain search may settle (None: no limit). A count, not a clock: deterministic.
        self.max_pops: int | None = None
        self.start_pairs = pairs
        self.start_ints = pair_ints
        self.reset()

    def reset(self, pairs: np.ndarray | None = None, ints: np.ndarray | None = None) -> None:
        pairs = self.start_pairs if pairs is None else pairs
        ints = self.start_ints if ints is None else ints
        self.assigned: list[dict[int, int]] = [{} for _ in range(self.n)]
        for (i, j), a in zip(pairs.tolist(), ints.tolist()):
            self.assigned[i][j] = a
        self._total = [sum(d.values()) for d in self.assigned]
        self._load = np.bincount(pairs[:, 1], minlength=self.m).astype(np.int64).tolist()
        self.holders: list[set[int]] = [set() for _ in range(self.m)]
        for i, j in pairs.tolist():
            self.holders[j].add(i)

    @property
    def total(self) -> np.ndarray:
        return np.array(self._total, dtype=np.int64)

    @property
    def load(self) -> np.ndarray:
        return np.array(self._load, dtype=np.int64)

    def snapshot(self) -> tuple[np.ndarray, np.ndarray]:
        pairs = [(i, j) for i in range(self.n) for j in sorted(self.assigned[i])]
        ints = [self.assigned[i][j] for i, j in pairs]
        return np.array(pairs, dtype=np.int64).reshape(-1, 2), np.array(ints, dtype=np.int64)

    # --- chains ---------------------------------------------------------------------------------------

    def _free(self, j: int) -> bool:
        return self._load[j] < self._cap[j]

    def _chain(self, i: int, t: int, frozen: list | None):
        """The exchange chain that raises subject i to t (or, when none reaches t, by one swap's gain)
        and loses the least total on the way, as a list of (subject, expert given up, expert taken);
        None when no chain exists. Dijkstra over experts: an expert's label is the least total lost by a
        chain that must still free one unit of it."""
        gap = t - self._total[i]
        mine = self.assigned[i]
        reach, improve = [], []
        cj, ca, neg = self._cj[i], self._ca[i], self._neg[i]
        for d, ad in sorted(mine.items(), key=lambda x: (x[1], x[0])):
            end = bisect_left(neg, -ad)  # candidates with a > ad
            for j, a in zip(cj[:end], ca[:end]):
                if j in mine:
                    continue
                (reach if a - ad >= gap else improve).append((ad - a, j, d))
        for roots in (reach, improve):
            chain = self._cheapest(i, t, roots, frozen)
            if chain is not None:
                return chain
        return None

    def _cheapest(self, i: int, t: int, roots: list, is_frozen: list | None):
        if not roots:
            return None
        load, cap, lo = self._load, self._cap, self._lo
        total, assigned, holders = self._total, self.assigned, self.holders
        cand_j, cand_a, cand_neg = self._cj, self._ca, self._neg
        step_cost = self.step_cost
        # Labels in flat lists (a search relaxes thousands of links: list indexing is cheaper than
        # dict lookups); _UNSEEN stands for "no label yet".
        dist = [_UNSEEN] * self.m
        done = bytearray(self.m)
        parent: dict[int, tuple] = {}
        heap: list[tuple[int, int]] = []
        best: tuple[int, int] | None = None  # (cost, terminal expert)
        bound = _UNSEEN  # best[0] when a complete chain is known
        for cost, j, d in sorted(roots):
            if cost < dist[j]:
                dist[j] = cost
                parent[j] = (i, d, None, d)  # (subject, gives up, previous expert, root's dropped expert)
                if load[j] < cap[j] and load[d] > lo[d]:
                    if cost < bound:
                        best = (cost, j)
                        bound = cost
                    continue
                heapq.heappush(heap, (cost, j))
        pops_left = self.max_pops
        while heap:
            cost, j = heapq.heappop(heap)
            if done[j] or cost > dist[j]:
                continue
            if cost >= bound:
                break
            if pops_left is not None:
                if pops_left <= 0:
                    break  # the search's budget (large rounds): the best chain found so far, if any
                pops_left -= 1
            done[j] = 1
            root_d = parent[j][3]
            root_ok = load[root_d] > lo[root_d]
            if load[j] < cap[j] and root_ok:
                best = (cost, j)
                break
            for p in sorted(holders[j]):
                if p == i or (is_frozen is not None and is_frozen[p]):
                    continue
                held = assigned[p]
                a_pj = held[j]
                tp = total[p]
                need = min(t, tp) - tp + a_pj  # p's replacement must score at least this
                end = bisect_right(cand_neg[p], -need)
                base = cost + a_pj + step_cost  # a link to j2 costs base − a(p, j2)
                # A link that costs at least the best complete chain found so far can never be popped
                # before the search stops (the best only falls), nor improve it: it is skipped, which
                # changes no chain the search returns, only the work.
                for j2, a2 in zip(cand_j[p][:end], cand_a[p][:end]):
                    c2 = base - a2
                    if c2 >= bound or done[j2] or j2 in held:
                        continue
                    if j2 == root_d:  # the expert i gave up takes the unit back: a complete chain
                        parent[-1] = (p, j, j, root_d)
                        best = (c2, -1)
                        bound = c2
                        continue
                    if c2 >= dist[j2]:
                        continue
                    dist[j2] = c2
                    parent[j2] = (p, j, j, root_d)
                    if root_ok and load[j2] < cap[j2]:
                        # a complete chain: no need to pop it; anything popped later costs more
                        best = (c2, j2)
                        bound = c2
                        continue
                    heapq.heappush(heap, (c2, j2))
        if best is None:
            return None
        return self._path(parent, best[1])

    def _path(self, parent, last):
        chain = []
        j = last
        while True:
            p, give, prev, root_d = parent[j]
            chain.append((p, give, root_d if j == -1 else j))
            if prev is None:
                break
            j = prev
        chain.reverse()
        # A subject twice on one chain would be changed twice from stale numbers: refuse such chains.
        subjects = [c[0] for c in chain]
        if len(set(subjects)) != len(subjects):
            return None
        return chain

    def _apply(self, chain) -> None:
        for p, give, take in chain:
            a_take = self._score_of[p][take]
            a_give = self.assigned[p].pop(give)
            self.assigned[p][take] = a_take
            self._total[p] += a_take - a_give
            self.holders[give].discard(p)
            self.holders[take].add(p)
            self._load[give] -= 1
            self._load[take] += 1

    def lift_all(
        self, t: int, frozen: np.ndarray | None = None, budget: int = 10**9, first: list[int] | None = None
    ) -> bool:
        """Lift every subject below t to t (worst first: the smallest total, then the smallest index;
        the subjects in `first` before all others, so a target that a known hard subject cannot reach
        fails after one search). False when one cannot be lifted (`self.stuck` names it). A chain
        never takes a subject below min(its total, t), and totals below t only rise, so the subjects
        below t are kept in a heap and a popped entry whose total has changed is pushed back with the
        new one. A failed call leaves every subject at or above min(its earlier total, t): the state
        is still as good as before for every smaller target (`ascend` continues from it)."""
        steps = 0
        total = self._total
        free = range(self.n) if frozen is None else np.flatnonzero(~frozen).tolist()
        is_frozen = frozen.tolist() if frozen is not None else None
        rank = dict.fromkeys(first or (), 0)
        heap = [(rank.get(i, 1), total[i], i) for i in free if total[i] < t]
        heapq.heapify(heap)
        while heap:
            r, tot, i = heapq.heappop(heap)
            if tot != total[i]:
                if total[i] < t:
                    heapq.heappush(heap, (r, total[i], i))
                continue
            chain = self._chain(i, t, is_frozen)
            steps += 1
            if chain is None or steps > budget:
                self.stuck = i
                return False
            self._apply(chain)
            if total[i] < t:
                heapq.heappush(heap, (r, total[i], i))
        return True


def keep_and_reoptimise(
    graph: Graph,
    pairs: np.ndarray,
    ints: np.ndarray,
    t: int,
    base_totals: np.ndarray,
    frozen: np.ndarray | None = None,
):
    """The largest total found while every subject stays at or above t: the subjects the optimal flow
    left below t keep the lifted assignment's experts (fixed); every other subject is re-assigned by a
    min-cost flow (maximum total) over the capacity left. A re-assigned subject that falls below t is
    fixed too, and the flow solved again, until none falls (at most n rounds; the lifted assignment
    restricted to the free subjects is always feasible, so each flow is). Never below the lifted
    assignment's total. `frozen` subjects (leximin levels held) keep their experts too. Returns
    (pairs, ints, rounds)."""
    from .optimal import solve_flow

    p = graph.p
    n, m = p.n_subjects, p.n_experts
    fixed = base_totals < t
    if frozen is not None:
        fixed |= frozen
    rows, cols, arc = graph.rows, graph.cols, graph.arc_scores()
    rounds = 0
    while True:
        rounds += 1
        keep = fixed[pairs[:, 0]]
        load_fixed = np.bincount(pairs[keep, 1], minlength=m)
        free_arc = ~fixed[rows]
        ok, flow, _ = solve_flow(
            p,
            rows[free_arc],
            cols[free_arc],
            arc[free_arc],
            supply=np.where(fixed, 0, p.k),
            min_load=np.maximum(0, p.min_load - load_fixed),
            max_load=p.max_load - load_fixed,
        )
        if not ok:  # cannot happen (see above); keep the lifted assignment
            return pairs, ints, rounds
        used = flow > 0
        new_pairs = np.concatenate(
            [pairs[keep], np.stack([rows[free_arc][used], cols[free_arc][used]], axis=1)]
        )
        new_ints = np.concatenate([ints[keep], arc[free_arc][used]])
        totals = np.bincount(new_pairs[:, 0], weights=new_ints, minlength=n)
        low = (totals < t) & ~fixed
        if not low.any():
            return new_pairs, new_ints, rounds
        fixed |= low


def ascend(
    lifter: Lifter,
    lo: int,
    hi: int,
    *,
    tol: int,
    frozen: np.ndarray | None = None,
    start: tuple[np.ndarray, np.ndarray] | None = None,
    max_trials: int = 200,
) -> tuple[int, tuple, int]:
    """The largest target t (within `tol`, at most `hi`) to which lifting raises every subject not
    `frozen`, from the `start` assignment: the target rises by a step that doubles after a success and
    halves after a failure. Nothing is undone after a failure: a failed trial leaves every subject at
    or above min(its earlier total, t), so its progress stands for the smaller targets that follow,
    and the worst-off never falls (each trial's work is kept; one pass of lifting per subject and
    level, not one per trial). The subjects that stopped a trial are tried first in the later trials
    (a target one of them still cannot reach fails at once). Returns (the smallest total among the
    subjects not frozen, the assignment (pairs, ints), trials)."""
    free = np.ones(lifter.n, dtype=bool) if frozen is None else ~frozen
    pairs, ints = start if start is not None else (None, None)
    lifter.reset(pairs, ints)
    best_t = int(lifter.total[free].min())
    step = max(tol, (hi - best_t) // STEP_DIVISOR)
    trials = 0
    hard: list[int] = []
    while step >= tol and best_t < hi and trials < max_trials:
        trials += 1
        t = min(hi, best_t + step)
        if lifter.lift_all(t, frozen, first=hard):
            step *= 2
        else:
            if lifter.stuck not in hard:
                hard.append(lifter.stuck)
            step //= 2
        best_t = int(lifter.total[free].min())
    return best_t, lifter.snapshot(), trials
