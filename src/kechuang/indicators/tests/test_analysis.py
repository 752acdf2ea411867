"""The method toolbox and the analysis on small cases computed by hand, and on the EIS data."""

import math

import numpy as np
import pytest

from kechuang.indicators import formulas as f
from kechuang.indicators import specs
from kechuang.indicators.engine import analysis, methods
from kechuang.indicators.tables import read_records
from kechuang.indicators.tests.factories import FrameworkFactory

# --- methods ---


def test_rank_target_and_frontier_normalisations_by_hand():
    assert methods.rank_scores({"a": 3, "b": 1, "c": 2}) == {"a": 100.0, "b": 0.0, "c": 50.0}
    assert methods.rank_scores({"a": 1, "b": 1, "c": 2}) == {"a": 25.0, "b": 25.0, "c": 100.0}  # ties: mean
    leaf = f.Leaf(code="x", standard=8)
    # distance to a target: 100 (x - min) / (target - min), capped
    assert methods.normalise({"a": 0, "b": 4, "c": 10}, "target", leaf=leaf) == {
        "a": 0.0,
        "b": 50.0,
        "c": 100.0,
    }
    assert methods.normalise({"a": 2, "b": 4, "c": 8}, "frontier", leaf=leaf) == {
        "a": 25.0,
        "b": 50.0,
        "c": 100.0,
    }
    low = f.Leaf(code="y", direction="lower")
    assert methods.normalise({"a": 2, "b": 4}, "frontier", leaf=low) == {"a": 100.0, "b": 50.0}
    with pytest.raises(f.FormulaError):
        methods.normalise({"a": 1}, "target", leaf=f.Leaf(code="z"))


def test_harmonic_mean_by_hand():
    # 2 / (1/40 + 1/60) = 48
    assert f.weighted_mean([(40, 1), (60, 1)], "harmonic") == pytest.approx(48.0)
    assert f.weighted_mean([(40, 1), (0, 1)], "harmonic") == 0.0


def test_imputation_previous_year_and_group_mean():
    data = {("A", 2020, "x"): 1.0, ("B", 2020, "x"): 3.0, ("B", 2021, "x"): 5.0, ("A", 2021, "y"): 7.0}
    prev, filled = methods.impute(data, "previous_year")
    assert prev[("A", 2021, "x")] == 1.0 and filled == [("A", 2021, "x")]  # B has no earlier y: left missing
    mean, filled = methods.impute(data, "group_mean")
    assert mean[("A", 2021, "x")] == 5.0 and mean[("B", 2021, "y")] == 7.0
    assert sorted(filled) == [("A", 2021, "x"), ("B", 2021, "y")]


def test_outlier_treatment_winsorises_then_falls_back_to_log():
    x = [1.0] * 9 + [100.0]
    treated, how = methods.treat_series(x)
    assert how == "winsorised:1" and list(treated) == [1.0] * 10
    heavy = np.array([1.0] * 30 + [2, 5, 20, 100, 1000, 10000, 100000])
    treated, how = methods.treat_series(heavy, max_points=2)
    assert how == "log"
    assert np.allclose(treated, np.log(heavy - 1 + 1))
    fine, how = methods.treat_series([1, 2, 3, 4, 5])
    assert how == "" and list(fine) == [1, 2, 3, 4, 5]


def test_pca_weights_by_hand():
    rng = np.random.default_rng(1)
    x, y = rng.normal(size=50), rng.normal(size=50)
    x, y = x - x.mean(), y - y.mean()
    y = y - x * (x @ y) / (x @ x)  # exactly uncorrelated with x
    w = methods.pca_weights(np.column_stack([x, 2 * x + 1, y]))
    # two identical columns carry the first component: loadings (1, 1, 0), squared and normalised
    assert w == pytest.approx([0.5, 0.5, 0.0], abs=1e-9)


def test_method_choices_in_a_framework_are_recorded():
    spec = FrameworkFactory.build().spec
    spec["method"].update({"impute": "previous_year", "weights": {"method": "equal"}})
    spec["method"]["aggregate"] = {"method": "arithmetic", "over": "tree", "levels": {"0": "harmonic"}}
    data = {("U", 2020, "A.x"): 5, ("U", 2020, "A.y"): 2, ("U", 2020, "B.z"): 4, ("U", 2021, "A.x"): 10}
    res = f.compute_index(spec, data)
    assert res.steps["imputed"] == 2  # A.y and B.z of 2021 from 2020
    assert res.steps["weights"] == {"A": 1.0, "B": 1.0, "A.x": 1.0, "A.y": 1.0, "B.z": 1.0}
    # 2021: A = (100 + 50) / 2 = 75, B = 50; the root (level 0) is harmonic: 2 / (1/75 + 1/50) = 60
    assert res.row("U", 2021).index == pytest.approx(60.0)


def _uncorrelated_pair(n=40, seed=3):
    rng = np.random.default_rng(seed)
    x, y = rng.normal(size=n), rng.normal(size=n)
    x, y = x - x.mean(), y - y.mean()
    return x, y - x * (x @ y) / (x @ x)  # y exactly uncorrelated with x


def test_weights_per_level_by_hand():
    """The weighting scheme per level: PCA for the indicators while the sub-indices keep their hand
    weights; equal weights for the sub-indices only; PCA over the sub-indices' own scores."""
    x, y = _uncorrelated_pair()
    units = [f"U{i}" for i in range(len(x))]
    spec = {
        "method": {"normalise": {"method": "minmax"}, "aggregate": {"method": "arithmetic"}},
        "nodes": [
            {
                "code": "A",
                "weight": 0.6,
                "children": [
                    {"code": "A.x", "weight": 0.2},
                    {"code": "A.y", "weight": 0.2},
                    {"code": "A.w", "weight": 0.6},
                ],
            },
            {"code": "B", "weight": 0.4, "children": [{"code": "B.z"}]},
        ],
    }
    data = {}
    for i, u in enumerate(units):
        data[(u, 2023, "A.x")] = x[i]
        data[(u, 2023, "A.y")] = 2 * x[i] + 1  # carries the first component with A.x
        data[(u, 2023, "A.w")] = y[i]  # uncorrelated: PCA weight 0
        data[(u, 2023, "B.z")] = x[i] + y[i]

    def run(weights):
        spec["method"]["weights"] = weights
        res = f.compute_index(spec, data)
        ev = analysis.Evaluator(spec, data)
        idx = ev.index()
        assert max(abs(idx[ev.row[(r.unit, r.year)]] - r.index) for r in res.rows) < 1e-9
        return res, {code: res.row(u, 2023).index for u in units for code in [u]}

    scores = f.normalise_all(spec, data, [f.Leaf(code=c) for c in ("A.x", "A.y", "A.w", "B.z")])

    def s(u, c):
        return scores[(u, 2023, c)]

    # PCA for the indicators, the sub-indices' hand weights 0.6 / 0.4 kept at level 0
    res, index = run({"method": "pca", "levels": {"0": "hand"}})
    w = res.steps["weights"]
    assert (w["A.x"], w["A.y"], w["A.w"]) == pytest.approx((0.5, 0.5, 0.0), abs=1e-9)
    assert (w["A"], w["B"]) == (0.6, 0.4)
    for u in units:
        a = 0.5 * s(u, "A.x") + 0.5 * s(u, "A.y")
        assert index[u] == pytest.approx(0.6 * a + 0.4 * s(u, "B.z"), abs=1e-9)
    # the same scheme without the level: sub-indices equal (as before)
    res, _ = run({"method": "pca"})
    assert (res.steps["weights"]["A"], res.steps["weights"]["B"]) == (1.0, 1.0)
    # hand weights for the indicators, the two sub-indices equal
    res, index = run({"method": "hand", "levels": {"0": "equal"}})
    assert res.steps["weights"]["A"] == res.steps["weights"]["B"] == 1.0
    assert "A.w" not in res.steps["weights"]
    for u in units:
        a = 0.2 * s(u, "A.x") + 0.2 * s(u, "A.y") + 0.6 * s(u, "A.w")
        assert index[u] == pytest.approx((a + s(u, "B.z")) / 2, abs=1e-9)

    # PCA over the sub-indices' own scores: C's score is affine in A's, B's uncorrelated with both
    spec["nodes"] = [
        {"code": "A", "children": [{"code": "A.x"}]},
        {"code": "B", "children": [{"code": "A.w"}]},
        {"code": "C", "children": [{"code": "A.y"}]},
    ]
    res, index = run({"method": "hand", "levels": {"0": "pca"}})
    w = res.steps["weights"]
    assert (w["A"], w["B"], w["C"]) == pytest.approx((0.5, 0.0, 0.5), abs=1e-9)
    for u in units:
        assert index[u] == pytest.approx(0.5 * s(u, "A.x") + 0.5 * s(u, "A.y"), abs=1e-9)
    with pytest.raises(f.FormulaError):
        run({"method": "hand", "levels": {"1": "best"}})


# --- the evaluator agrees with the engine ---


@pytest.fixture(scope="module")
def eis_data():
    return read_records(specs.EIS_DATA.read_bytes(), specs.EIS_DATA.name).data()


def test_the_evaluator_agrees_with_compute_index_on_the_eis_data(eis_data):
    spec = specs.shipped_spec("eis", "2023")
    result = f.compute_index(spec, eis_data)
    ev = analysis.Evaluator(spec, eis_data)
    idx = ev.rebased(ev.index())
    worst = max(abs(idx[ev.row[(r.unit, r.year)]] - r.index) for r in result.rows)
    assert worst < 1e-9


def test_the_evaluator_agrees_on_a_geometric_tree():
    spec = FrameworkFactory.build().spec
    spec["method"]["aggregate"]["method"] = "geometric"
    data = {("U", 2020, "A.x"): 4, ("U", 2020, "A.y"): 1, ("U", 2020, "B.z"): 4, ("V", 2020, "A.x"): 7}
    res = f.compute_index(spec, data)
    ev = analysis.Evaluator(spec, data)
    got = ev.index()
    for r in res.rows:
        assert got[ev.row[(r.unit, r.year)]] == pytest.approx(r.index, abs=1e-12)


# --- sensitivity on cases whose answer is known ---

SMALL = {
    "code": "s",
    "edition": "1",
    "method": {"normalise": {"method": "minmax"}, "aggregate": {"method": "arithmetic", "over": "tree"}},
    "nodes": [
        {"code": "P", "weight": 1, "children": [{"code": "p1", "weight": 1}, {"code": "p0", "weight": 0}]},
        {"code": "Q", "weight": 1, "children": [{"code": "q1", "weight": 1}]},
    ],
}


def _small_data():
    rng = np.random.default_rng(7)
    data = {}
    for i in range(8):
        for code in ("p1", "p0", "q1"):
            data[(f"U{i}", 2020, code)] = float(rng.random())
    for code in ("p1", "p0", "q1"):
        data[("LEAD", 2020, code)] = 100.0  # far ahead on every indicator
    return data


def test_zero_weight_has_zero_sensitivity_and_a_unit_far_ahead_has_a_rank_interval_of_width_0():
    res = analysis.sensitivity(SMALL, _small_data(), year=2020, n=128, vary="all", seed=3)
    assert res.first_order["weight:p0"] == 0.0 and res.total["weight:p0"] == 0.0
    assert res.total["weight:P"] > 0.01  # the weights that matter do show
    assert res.interval["LEAD"] == (1.0, 1.0, 1.0)
    assert res.runs == 128 * (len(res.factors) + 2)
    assert all(lo <= mid <= hi for lo, mid, hi in res.interval.values())
    again = analysis.sensitivity(SMALL, _small_data(), year=2020, n=128, vary="all", seed=3)
    assert again.total == res.total and again.interval == res.interval  # seeded: re-runs identically


def test_method_choices_as_factors_and_a_unit_target():
    res = analysis.sensitivity(
        SMALL,
        _small_data(),
        year=2020,
        unit="U3",
        n=64,
        vary="all",
        normalisations=("minmax", "rank"),
        aggregations=("arithmetic", "geometric"),
    )
    assert res.factors[-2:] == ["normalise", "aggregate"]
    assert res.output == "rank of U3"
    assert res.total["weight:p0"] == 0.0
    for name in res.factors:
        assert res.total[name] >= 0.0


def test_imputation_outlier_treatment_and_weighting_as_factors():
    data = _small_data()
    # no missing data: whichever imputation is sampled the data are the same, so its indices are exactly 0
    res = analysis.sensitivity(
        SMALL,
        data,
        year=2020,
        n=64,
        vary="all",
        seed=5,
        imputations=("none", "group_mean", "previous_year"),
        outlier_treatments=("none", "log", "winsorise"),
    )
    assert res.factors[-2:] == ["impute", "outliers"]
    assert res.first_order["impute"] == 0.0 and res.total["impute"] == 0.0
    assert res.total["weight:p0"] == 0.0  # a zero weight still has no effect
    assert res.interval["LEAD"] == (1.0, 1.0, 1.0)  # the log and winsorisation keep LEAD first
    assert res.assumptions["imputations"] == ["none", "group_mean", "previous_year"]
    # a gap: U3 has no q1, so without imputation it is scored on P alone; imputing it moves U3's rank
    gap = {k: v for k, v in data.items() if k != ("U3", 2020, "q1")}
    res = analysis.sensitivity(
        SMALL, gap, year=2020, unit="U3", n=64, vary="nodes", seed=5, imputations=("none", "group_mean")
    )
    ev = analysis.Evaluator(SMALL, gap)
    filled = analysis.Evaluator({**SMALL, "method": {**SMALL["method"], "impute": "group_mean"}}, gap)
    units, rows = ev.year_rows(2020)
    i = units.index("U3")
    assert analysis.ranks(ev.index(rows=rows))[i] != analysis.ranks(filled.index(rows=rows))[i]
    assert res.total["impute"] > 0.0
    # the weighting: equal weights (every weight 1) give p0 a say, so its weight matters then
    ev = analysis.Evaluator(SMALL, data)
    s = ev.scores()
    by_hand = ((s[:, ev.col["p1"]] + s[:, ev.col["p0"]]) / 2 + s[:, ev.col["q1"]]) / 2
    assert list(ev.index(equal=True)) == pytest.approx(list(by_hand))
    res = analysis.sensitivity(
        SMALL, data, year=2020, n=64, vary="all", seed=5, weightings=("framework", "equal")
    )
    assert res.factors[-1] == "weights" and res.total["weights"] > 0.0 and res.total["weight:p0"] > 0.0
    with pytest.raises(f.FormulaError):
        analysis.sensitivity(SMALL, data, year=2020, n=8, imputations=("none", "guess"))


def test_sensitivity_on_the_eis_data_runs_in_seconds(eis_data):
    res = analysis.sensitivity(specs.shipped_spec("eis", "2023"), eis_data, year=2023, n=32, unit="SE")
    assert len(res.factors) == 16  # 4 groups and 12 dimensions
    assert res.interval["SE"][0] >= 1 and res.seconds < 120


# --- what would it take ---

WWIT = {
    "code": "w",
    "edition": "1",
    "method": {"normalise": {"method": "minmax"}, "aggregate": {"method": "arithmetic", "over": "leaves"}},
    "nodes": [{"code": "1", "collect": "prefix"}],
}
WDATA = {
    ("A", 2020, "1.p"): 0.0,
    ("A", 2020, "1.q"): 10.0,
    ("B", 2020, "1.p"): 10.0,
    ("B", 2020, "1.q"): 0.0,
    ("C", 2020, "1.p"): 4.0,
    ("C", 2020, "1.q"): 4.0,
}


def test_what_would_it_take_by_hand():
    # A 50, B 50, C 40 (rank 3). C ranks first when (10 x + 40) / 2 >= 50, i.e. p = 6: a change of 2.
    rows = analysis.what_would_it_take(WWIT, WDATA, unit="C", year=2020, target_rank=1)
    by = {r["code"]: r for r in rows}
    assert by["1.p"]["rank"] == 3 and by["1.p"]["index"] == pytest.approx(40.0)
    assert by["1.p"]["change"] == pytest.approx(2.0, abs=1e-9)
    assert by["1.q"]["change"] == pytest.approx(2.0, abs=1e-9)
    # an index of 45: (10 x + 40) / 2 >= 45, x = 5
    rows = analysis.what_would_it_take(WWIT, WDATA, unit="C", year=2020, target_value=45, codes=["1.p"])
    assert rows[0]["change"] == pytest.approx(1.0, abs=1e-9)
    # already there: no change; out of reach of one indicator: None
    assert analysis.what_would_it_take(WWIT, WDATA, unit="A", year=2020, target_rank=1)[0]["change"] == 0.0
    far = analysis.what_would_it_take(WWIT, WDATA, unit="C", year=2020, target_value=99, reach=1)
    assert far[0]["change"] is None
    with pytest.raises(f.FormulaError):
        analysis.what_would_it_take(WWIT, WDATA, unit="C", year=2020)


def test_statistics_and_correlations_by_hand():
    data = {("A", 2020, "x"): 1.0, ("B", 2020, "x"): 2.0, ("C", 2020, "x"): 3.0, ("A", 2020, "y"): 6.0}
    data.update({("B", 2020, "y"): 4.0, ("C", 2020, "y"): 2.0, ("D", 2020, "y"): 0.0})
    stats = {s["code"]: s for s in analysis.indicator_statistics(data)}
    assert stats["x"]["n"] == 3 and stats["x"]["availability"] == 0.75
    assert stats["x"]["mean"] == 2.0 and stats["x"]["sd"] == pytest.approx(math.sqrt(2 / 3))
    cols = {c: {(u, y): v for (u, y, cc), v in data.items() if cc == c} for c in ("x", "y")}
    corr = analysis.correlations(cols)
    assert corr["matrix"][0][1] == pytest.approx(-1.0)  # over the three units both have
    assert corr["matrix"][0][0] == pytest.approx(1.0)


# --- correlation-optimised weights ---

# Two exactly uncorrelated indicators with standard deviations 1 and 2 (offset to stay positive).
X = np.array([-1.0, 1.0, -1.0, 1.0]) + 10
Y = np.array([-2.0, -2.0, 2.0, 2.0]) + 10


def test_optimal_weights_balance_correlations_by_hand():
    # index = w x + (1 - w) y; corr(x, index) = w sx / sqrt(w² sx² + (1 - w)² sy²), corr(y, index) likewise;
    # equal when w sx = (1 - w) sy, i.e. w = sy / (sx + sy) = 2/3 (and each correlation is 1/sqrt(2))
    w, corr = methods.optimal_weights(np.column_stack([X, Y]))
    assert w == pytest.approx([2 / 3, 1 / 3], abs=1e-6)
    assert corr == pytest.approx([2**-0.5, 2**-0.5], abs=1e-6)


def test_optimal_weights_towards_target_correlations_by_hand():
    # targets 0.8 and 0.6 (0.8² + 0.6² = 1, reachable for uncorrelated columns):
    # w sx / ((1 - w) sy) = 0.8 / 0.6  =>  w / (2 (1 - w)) = 4/3  =>  w = 8/11
    w, corr = methods.optimal_weights(np.column_stack([X, Y]), [0.8, 0.6])
    assert w == pytest.approx([8 / 11, 3 / 11], abs=1e-6)
    assert corr == pytest.approx([0.8, 0.6], abs=1e-6)


def test_optimal_weights_in_a_framework_are_recorded_with_the_run():
    spec = FrameworkFactory.build().spec
    spec["method"]["normalise"] = {"method": "none"}
    spec["method"]["weights"] = {"method": "optimal"}
    data = {}
    for i, (x, y) in enumerate(zip(X, Y, strict=True)):
        data[(f"U{i}", 2020, "A.x")] = float(x)
        data[(f"U{i}", 2020, "A.y")] = float(y)
        data[(f"U{i}", 2020, "B.z")] = 5.0
    res = f.compute_index(spec, data)
    assert res.steps["weights"]["A.x"] == pytest.approx(2 / 3, abs=1e-6)
    assert res.steps["weights"]["A.y"] == pytest.approx(1 / 3, abs=1e-6)
    assert res.steps["weights"]["B.z"] == 1.0  # a node's only indicator
    # the node A is the weighted mean with those weights
    assert res.row("U0", 2020).nodes["A"] == pytest.approx(2 / 3 * X[0] + 1 / 3 * Y[0])
    # the evaluator (sensitivity, what would it take) uses the same weights
    ev = analysis.Evaluator(spec, data)
    assert ev.leaves[ev.col["A.x"]].weight == pytest.approx(2 / 3, abs=1e-6)
    with pytest.raises(f.FormulaError):
        methods.optimal_weights(np.column_stack([X[:2], Y[:2]]))
