"""The fair mode's own guarantees on hand-checkable instances: the max-min by exchange chains, the
configuration-LP bound (never below the true best worst-off, over the whole round), leximin order,
byte-for-byte determinism, infeasibility in words, and the widening fallback."""

import itertools

import numpy as np
import pytest
import scipy.sparse as sp

from kechuang.review import solver as S
from kechuang.review.solver import bounds

pytestmark = pytest.mark.slow  # scheduled first: tools/runtests.py, conftest


def problem(a, conflicts=None, k=1, max_load=1, **kw):
    a = np.asarray(a, dtype=float)
    c = np.zeros_like(a, dtype=bool) if conflicts is None else np.asarray(conflicts, dtype=bool)
    return S.Problem(a.shape[0], a.shape[1], sp.csr_matrix(a), sp.csr_matrix(c), k=k, max_load=max_load, **kw)


def sorted_totals_all(a, c, k, hi):
    """Every feasible assignment's sorted subject totals (brute force, tiny instances), in the order of
    `itertools.product` over each subject's conflict-free expert sets. Walked depth first, a partial choice
    that already puts an expert over `hi` is dropped with all its completions (loads only grow): the same list
    as filtering the whole product (checked in test_the_brute_force_walk_is_the_filtered_product), without
    building the 160,000 choices of a k=3 round one by one (testtime10)."""
    n, m = a.shape
    options = [
        [
            (s, round(sum(a[i, j] for j in s), 9))
            for s in itertools.combinations(range(m), k)
            if not any(c[i, j] for j in s)
        ]
        for i in range(n)
    ]
    out = []
    loads = [0] * m
    chosen: list = []

    def walk(i: int) -> None:
        if i == n:
            totals = sorted(chosen)
            out.append((tuple(totals), round(sum(totals), 9)))
            return
        for s, total in options[i]:
            if any(loads[j] >= hi for j in s):
                continue
            for j in s:
                loads[j] += 1
            chosen.append(total)
            walk(i + 1)
            chosen.pop()
            for j in s:
                loads[j] -= 1

    walk(0)
    return out


def _sorted_totals_filtered(a, c, k, hi):
    """The plain form of sorted_totals_all: every choice of the product, those over `hi` filtered out."""
    n, m = a.shape
    options = [
        [s for s in itertools.combinations(range(m), k) if not any(c[i, j] for j in s)] for i in range(n)
    ]
    out = []
    for choice in itertools.product(*options):
        loads = np.zeros(m, dtype=int)
        for s in choice:
            loads[list(s)] += 1
        if (loads > hi).any():
            continue
        totals = sorted(round(sum(a[i, j] for j in s), 9) for i, s in enumerate(choice))
        out.append((tuple(totals), round(sum(totals), 9)))
    return out


def test_the_brute_force_walk_is_the_filtered_product():
    rng = np.random.default_rng(7)
    for k, m, hi in ((1, 4, 1), (2, 5, 2), (2, 5, 3), (1, 3, 2)):
        a = np.round(rng.random((4, m)), 3)
        c = rng.random((4, m)) < 0.15
        assert sorted_totals_all(a, c, k, hi) == _sorted_totals_filtered(a, c, k, hi)


def test_lifting_finds_the_hand_checked_max_min_without_cp_sat():
    # Three subjects, three experts (one each). The optimum by total gives s0 e0 (0.9), s1 e1 (0.8),
    # s2 e2 (0.1): worst-off 0.1. Lifting s2 to ≥ 0.4 takes e0 (0.4) from s0, which takes e2 (0.7):
    # totals 0.7, 0.8, 0.4. No assignment does better: s2 scores 0.4 at most.
    a = [[0.9, 0.2, 0.7], [0.1, 0.8, 0.3], [0.4, 0.3, 0.1]]
    sol = S.solve_fair(problem(a), exact_arcs=0)
    assert sol.worst_off == pytest.approx(0.4)
    assert sorted(map(tuple, sol.pairs.tolist())) == [(0, 2), (1, 1), (2, 0)]
    assert sol.stats["maxmin_proved"] is False  # no CP-SAT on this path
    # The configuration LP proves 0.4 the best (within the bisection's precision), over the whole round.
    assert 0.4 <= sol.stats["maxmin_upper_bound_full"] <= 0.4 + 1e-3
    assert sol.stats["maxmin_gap"] < 1e-2


@pytest.mark.parametrize("k,sparse", [(1, False), (2, False), (3, False), (2, True)])
def test_configuration_bound_is_never_below_the_best_worst_off(k, sparse):
    """On random tiny rounds (conflicts; with `sparse`, unlisted pairs that score the default): the
    bound proved from the configuration LP is at least the brute-force best worst-off."""
    rng = np.random.default_rng(100 + k)
    checked = 0
    for _ in range(12):
        n, m = 4, 5 + (k == 3)
        a = np.round(rng.random((n, m)), 3)
        c = rng.random((n, m)) < 0.15
        if sparse:
            a = np.where(rng.random((n, m)) < 0.6, a, 0.0)
        hi = max(int(rng.integers(1, 4)), -(-n * k // m))
        allv = sorted_totals_all(a, c, k, hi)
        if not allv:
            continue
        best = max(t[0][0] for t in allv)
        p = problem(a, c, k=k, max_load=hi)
        for lo in (0, int(best * p.scale) // 2):
            cb = bounds.config_bound(p, lo, tol=1)
            assert cb["config_bound_int"] >= round(best * p.scale)
        checked += 1
    assert checked >= 6


def test_bound_covers_pairs_outside_the_candidates():
    """With one candidate per subject the candidates alone would cap the worst-off at 0.2; the bound is
    over every pair, so it is not below the true best (0.5, using pairs that are not candidates)."""
    a = [[0.9, 0.5, 0.0], [0.9, 0.0, 0.5]]
    p = problem(a, k=1, max_load=1)
    sol = S.solve_fair(p, n_top=1, exact_arcs=0)
    assert sol.worst_off == pytest.approx(0.5)
    assert sol.stats["maxmin_upper_bound_full"] >= 0.5


def test_leximin_raises_the_second_worst_with_the_worst_held():
    # Worst-off 0.2 is forced (s2 scores 0.2 at most). Max-min alone may leave s1 at 0.3; leximin
    # depth 2 lifts the second worst to 0.6, then the total breaks ties.
    a = [[0.9, 0.6, 0.1, 0.0], [0.6, 0.3, 0.0, 0.1], [0.2, 0.2, 0.2, 0.2]]
    c = np.zeros((3, 4), dtype=bool)
    allv = sorted_totals_all(np.array(a), c, 1, 1)
    best_lex = max(allv)[0]
    for path in ({}, {"exact_arcs": 0}):
        sol = S.solve_fair(problem(a), leximin_depth=3, **path)
        assert tuple(np.round(np.sort(sol.subject_totals(3)), 9)) == best_lex
        assert sol.stats["leximin_depth"] == 3


def test_leximin_matches_brute_force_on_random_rounds():
    rng = np.random.default_rng(8)
    for _ in range(6):
        a = np.round(rng.random((4, 4)), 2)
        c = rng.random((4, 4)) < 0.1
        allv = sorted_totals_all(a, c, 2, 2)
        if not allv:
            continue
        best = max(allv)  # leximin over the sorted totals, then the total
        sol = S.solve_fair(problem(a, c, k=2, max_load=2), leximin_depth=4)
        got = tuple(np.round(np.sort(sol.subject_totals(4)), 9))
        assert got == best[0]
        assert sol.stats["leximin_proved"] is True
        assert sol.objective == pytest.approx(max(t for v, t in allv if v == best[0]), abs=1e-9)


def clustered(n, m, seed):
    rng = np.random.default_rng(seed)
    ta, te = rng.integers(0, 4, n), rng.integers(0, 4, m)
    u = rng.random((n, m))
    a = np.round(np.where(ta[:, None] == te[None, :], 0.3 + 0.7 * u, 0.2 * u), 6)
    return a, rng.random((n, m)) < 0.02


def test_fair_is_deterministic_byte_for_byte_on_the_lifting_path():
    a, c = clustered(90, 120, 3)
    runs = [S.solve(problem(a, c, k=3, max_load=3), mode="fair", seed=7) for _ in range(2)]
    assert runs[0].stats["candidate_arcs"] > S.fair.EXACT_ARCS  # the exchange-chain path, not CP-SAT
    assert runs[0].assignment_digest() == runs[1].assignment_digest()
    assert runs[0].pairs.tobytes() == runs[1].pairs.tobytes()
    # The bound holds, and the worst-off is far above the optimal mode's.
    assert runs[0].stats["maxmin_upper_bound_full"] >= runs[0].worst_off - 1e-9
    assert runs[0].worst_off >= runs[0].stats["optimal_worst_off"]


def test_infeasible_round_is_diagnosed_in_words():
    # Subjects 0-2 may only have experts 0 and 1 (conflicts with 2 and 3), each of whom reviews one:
    # enough capacity in all (4), but not for these three (Hall's condition fails).
    a = np.full((3, 4), 0.5)
    c = np.zeros((3, 4), dtype=bool)
    c[:, 2:] = True
    with pytest.raises(S.InfeasibleError) as err:
        S.solve(problem(a, c, k=1, max_load=1), mode="fair")
    text = str(err.value)
    assert "load capacity exhausted" in text and "3 subjects (#0, #1, #2) need 3 reviews" in text
    assert "2 experts" in text and "only 2" in text and "short by 1" in text
    d = err.value.diagnosis
    assert d.blocked == [0, 1, 2] and d.max_flow == 2 and d.need == 3
    assert "甲" in d.text(names=["甲", "乙", "丙"])
    # Too few conflict-free experts for k, named per subject.
    with pytest.raises(S.InfeasibleError, match=r"too few conflict-free experts \(k=2\): #0 has 1"):
        S.solve(problem([[0.5, 0.5], [0.5, 0.5]], [[1, 0], [0, 0]], k=2, max_load=2), mode="optimal")


def test_widening_fallback_is_recorded_with_its_reason():
    # Every subject's single best candidate is expert 0, who reviews one: the top-1 candidates have no
    # assignment, so the candidate set is widened, and the result says why.
    a = [[0.9, 0.5, 0.4], [0.9, 0.4, 0.5], [0.9, 0.3, 0.3]]
    sol = S.solve_optimal(problem(a, k=1, max_load=1), n_top=1)
    w = sol.stats["widened"]
    assert w["arcs_added"] > 0
    assert w["reason"]["scope"] == "candidates" and w["reason"]["feasible"] is False
    assert "load capacity exhausted" in w["reason"]["text"] and "among the candidates" in w["reason"]["text"]
    assert sol.objective == pytest.approx(0.9 + 0.5 + 0.5)  # still certified optimal after widening


def test_large_round_bound_over_the_worst_offs_competitors_stays_valid(monkeypatch):
    """Above BOUND_MAX_SUBJECTS the configuration LP is solved over the worst-off subjects and their
    competitors only (a relaxation): on rounds small enough for brute force, with the threshold lowered, the bound
    is still never below the best worst-off, it is reported with its gap, and it names how many
    subjects it used."""
    monkeypatch.setattr(S.fair, "BOUND_MAX_SUBJECTS", 2)
    rng = np.random.default_rng(21)
    checked = 0
    for _ in range(8):
        n, m, k = 4, 5, 2
        a = np.round(rng.random((n, m)), 3)
        c = rng.random((n, m)) < 0.1
        allv = sorted_totals_all(a, c, k, 2)
        if not allv:
            continue
        best = max(t[0][0] for t in allv)
        sol = S.solve_fair(problem(a, c, k=k, max_load=2), exact_arcs=0)
        s = sol.stats
        assert s["maxmin_upper_bound_full"] >= best - 1e-9
        assert s["maxmin_upper_bound_full"] >= sol.worst_off - 1e-9
        assert 1 <= s["bound_subjects"] <= n
        assert s["bound_method"].startswith("configuration LP over the worst-off's competitors")
        assert 0 <= s["maxmin_gap"] < 1
        checked += 1
    assert checked >= 5


def _all_arcs_lifter(p):
    from kechuang.review.solver.lifting import Lifter

    graph = S.Graph(p)
    rows, cols = np.divmod(np.arange(p.n_subjects * p.n_experts), p.n_experts)
    graph.add(rows, cols)
    base = S.solve_optimal(p)
    ints = np.rint(base.scores * p.scale).astype(np.int64)
    return Lifter(graph, base.pairs, ints), base, ints


def test_a_failed_lifting_keeps_every_subject_at_its_floor_and_the_ascent_never_undoes():
    """The ascent no longer reverts a failed trial: what makes that sound is that a trial at target t,
    failed or not, leaves every subject at or above min(its earlier total, t) and keeps the hard rules.
    Checked on random tiny rounds against brute force: every trial target, then the whole ascent
    (never below the start's worst-off, never above the best possible)."""
    from kechuang.review.solver.lifting import ascend

    rng = np.random.default_rng(21)
    checked = failed = 0
    for _ in range(25):
        n, m, k = 4, 6, 2
        a = np.round(rng.random((n, m)), 3)
        c = rng.random((n, m)) < 0.1
        allv = sorted_totals_all(a, c, k, 2)
        if not allv:
            continue
        best = round(max(v[0][0] for v in allv) * 1000)
        p = problem(a, c, k=k, max_load=2)
        lifter, base, ints = _all_arcs_lifter(p)
        for t in sorted({int(x) for x in rng.integers(0, 2 * best + 2, 4)}):
            before = lifter.total.copy()
            ok = lifter.lift_all(t * 1000)
            failed += not ok
            assert (lifter.total >= np.minimum(before, t * 1000)).all()
            pairs, _ = lifter.snapshot()
            assert (np.bincount(pairs[:, 0], minlength=n) == k).all()
            assert np.bincount(pairs[:, 1], minlength=m).max() <= 2
            assert not c[pairs[:, 0], pairs[:, 1]].any()
        start_worst = int(ints.sum() and np.bincount(base.pairs[:, 0], weights=ints, minlength=n).min())
        got, (pairs, pair_ints), _ = ascend(lifter, start_worst, 2 * 10**6, tol=1, start=(base.pairs, ints))
        assert start_worst <= got <= best * 1000
        assert got == np.bincount(pairs[:, 0], weights=pair_ints, minlength=n).min()
        checked += 1
    assert checked >= 15 and failed >= 3


def test_bottleneck_first_slot_matches_brute_force_and_the_start_is_feasible():
    """θ is the largest score such that every subject gets one expert scoring at least θ within the
    loads (brute force over one expert per subject); the completed start keeps k, the loads and the
    conflicts, and every subject totals at least θ."""
    from kechuang.review.solver.start import bottleneck_start, first_slot

    rng = np.random.default_rng(5)
    checked = 0
    for _ in range(20):
        n, m, k, hi = 4, 5, 2, 2
        a = np.round(rng.random((n, m)), 3)
        c = rng.random((n, m)) < 0.15
        p = problem(a, c, k=k, max_load=hi)
        graph = S.Graph(p)
        rows, cols = np.divmod(np.arange(n * m), m)
        graph.add(rows, cols)
        best = -1.0
        for choice in itertools.product(range(m), repeat=n):
            if any(c[i, j] for i, j in enumerate(choice)) or np.bincount(choice, minlength=m).max() > hi:
                continue
            best = max(best, min(a[i, j] for i, j in enumerate(choice)))
        got = first_slot(graph)
        start = bottleneck_start(graph)
        if best < 0:
            assert got is None
            continue
        assert got[0] == round(best * 1000) * 1000
        if start is None:  # no completion of the other slots among the arcs: the caller keeps the optimum
            continue
        pairs, ints, theta = start
        assert theta == got[0]
        assert (np.bincount(pairs[:, 0], minlength=n) == k).all()
        assert np.bincount(pairs[:, 1], minlength=m).max() <= hi
        assert not c[pairs[:, 0], pairs[:, 1]].any()
        assert len({tuple(x) for x in pairs.tolist()}) == n * k
        assert (np.bincount(pairs[:, 0], weights=ints, minlength=n) >= theta).all()
        checked += 1
    assert checked >= 10


def test_large_round_path_starts_from_the_bottleneck_and_stays_deterministic(monkeypatch):
    """The large-round settings (bottleneck start, bounded chain searches) on a small clustered round,
    with the size threshold lowered: the same pairs twice, the hard rules, the bound above the
    worst-off, and the worst-off not below the start's."""
    monkeypatch.setattr(S.fair, "LARGE_SUBJECTS", 10)
    # One hot topic: 80% of the subjects, 20% of the experts; off-topic pairs unlisted (score 0), so
    # the optimal flow leaves some hot subjects with nothing (worst-off 0).
    rng = np.random.default_rng(4)
    n, m = 60, 80
    hot_s, hot_e = np.arange(n) < 48, np.arange(m) < 16
    a = np.round(np.where(hot_s[:, None] == hot_e[None, :], 0.3 + 0.7 * rng.random((n, m)), 0.0), 6)
    c = rng.random((n, m)) < 0.02
    opts = {"exact_arcs": 0, "bound_rounds": 8}  # the exchange-chain path, not CP-SAT; a short bound
    runs = [S.solve(problem(a, c, k=3, max_load=3), mode="fair", seed=7, options=opts) for _ in range(2)]
    st = runs[0].stats
    assert st["lifting_start"] == "bottleneck first slot"
    assert runs[0].pairs.tobytes() == runs[1].pairs.tobytes()
    assert runs[0].worst_off >= st["lifting_start_worst_off"] - 1e-9
    assert runs[0].worst_off > st["optimal_worst_off"]
    assert st["maxmin_upper_bound_full"] >= runs[0].worst_off - 1e-9


def test_the_large_round_bound_starts_from_the_worst_off_and_leaves_other_clusters_out():
    """Two clusters (s0–s1 on e0–e1, s2–s3 on e2–e3): the worst-off s0 competes with s1 only; s3,
    near the worst-off but in the other cluster, is left out (a relaxation: still valid)."""
    p = problem([[0.5, 0.5, 0.0, 0.0], [0.9, 0.9, 0.0, 0.0], [0.0, 0.0, 0.9, 0.9], [0.0, 0.0, 0.5, 0.5]])
    pairs = np.array([[0, 1], [1, 0], [2, 2], [3, 3]])
    totals = np.array([500000, 900000, 900000, 500001])
    assert S.fair.competing_subjects(p, pairs, totals, 500000).tolist() == [0, 1]


def test_the_large_round_bound_keeps_the_competitors_of_the_worst_off():
    """s0 (total 0) lists e0 and e1; s1 holds e0, so it competes and is kept; s2 holds neither and
    lists neither, so it is dropped (a relaxation: the bound stays valid without it)."""
    p = problem([[0.5, 0.5, 0.0, 0.0], [0.9, 0.9, 0.0, 0.0], [0.0, 0.0, 0.9, 0.9]])
    pairs = np.array([[0, 2], [1, 0], [2, 3]])
    totals = np.array([0, 900000, 900000])
    assert S.fair.competing_subjects(p, pairs, totals, 0).tolist() == [0, 1]


def test_range_min_table_matches_the_sparse_table_and_brute_force():
    """The pricing's k = 3 range minima come from a table (issue #21, speed): for every range, the same
    smallest price and the same (leftmost) index as `_range_min`'s query and as a plain scan, ties
    included."""
    rng = np.random.default_rng(3)
    for size in (1, 2, 5, 17):
        prices = rng.integers(0, 4, size).astype(float)  # many ties
        run, where = bounds._range_min_table(prices)
        query = bounds._range_min(prices)
        for lo in range(size + 1):
            for hi in range(-1, size):
                qv, qi = query(np.array([lo]), np.array([hi]))
                if hi < lo:
                    assert run[hi, lo] == np.inf and where[hi, lo] == -1
                    continue
                seg = prices[lo : hi + 1]
                assert run[hi, lo] == seg.min() == qv[0]
                assert where[hi, lo] == lo + int(np.argmin(seg)) == qi[0]


def test_cheapest_k3_set_is_the_cheapest_reaching_set():
    """`_cheapest_set_k3` against enumeration of every 3-set: the same smallest price, and a chosen set
    that reaches the target at that price."""
    rng = np.random.default_rng(5)
    for _trial in range(60):
        size = int(rng.integers(3, 12))
        vals = rng.integers(0, 10, size).astype(np.int64)
        prices = rng.integers(0, 3, size).astype(float)
        t = int(rng.integers(0, 30))
        pi, chosen = bounds._cheapest_set_k3(vals, prices, 3, t)
        best = min(
            (
                prices[list(c)].sum()
                for c in itertools.combinations(range(size), 3)
                if vals[list(c)].sum() >= t
            ),
            default=np.inf,
        )
        assert pi == best
        if np.isfinite(best):
            assert len(set(chosen.tolist())) == 3 and vals[chosen].sum() >= t and prices[chosen].sum() == best
        else:
            assert chosen is None
