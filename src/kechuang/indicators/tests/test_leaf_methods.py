"""An indicator's own imputation, outlier treatment and normalisation (issue #20 item 4), on small cases
computed by hand; the Monte Carlo analysis keeps them."""

import pytest

from kechuang.indicators import formulas as f
from kechuang.indicators.engine import analysis


def _spec(method=None, **leaf_methods):
    """Two indicators under one sub-index: x (with the overrides given) and y (the framework's methods)."""
    return {
        "method": {
            "normalise": {"method": "minmax"},
            "aggregate": {"method": "arithmetic"},
            **(method or {}),
        },
        "nodes": [{"code": "A", "children": [{"code": "x", **leaf_methods}, {"code": "y"}]}],
    }


def test_an_indicators_own_normalisation_overrides_the_frameworks():
    data = {("P", 2020, "x"): 2.0, ("Q", 2020, "x"): 4.0, ("R", 2020, "x"): 8.0}
    data |= {("P", 2020, "y"): 0.0, ("Q", 2020, "y"): 5.0, ("R", 2020, "y"): 10.0}
    res = f.compute_index(_spec(normalise="frontier"), data)
    # x by distance to the frontier: 100 x / 8 = 25, 50, 100; y by min-max (the framework's): 0, 50, 100
    assert res.row("P", 2020).index == pytest.approx((25 + 0) / 2)
    assert res.row("Q", 2020).index == pytest.approx((50 + 50) / 2)
    plain = f.compute_index(_spec(), data)  # without the override x is min-max too: 0, 33.3, 100
    assert plain.row("Q", 2020).index == pytest.approx((100 / 3 + 50) / 2)


def test_an_indicators_own_imputation_overrides_the_frameworks():
    # Q misses x and y in 2021 (it has z there, so the year is one Q reports)
    data = {
        ("P", 2020, "x"): 1.0,
        ("Q", 2020, "x"): 3.0,
        ("P", 2021, "x"): 5.0,
        ("P", 2020, "y"): 2.0,
        ("Q", 2020, "y"): 4.0,
        ("P", 2021, "y"): 6.0,
        ("P", 2020, "z"): 1.0,
        ("Q", 2020, "z"): 1.0,
        ("P", 2021, "z"): 1.0,
        ("Q", 2021, "z"): 1.0,
    }
    spec = _spec({"impute": "group_mean"}, impute="previous_year")
    spec["nodes"].append({"code": "B", "children": [{"code": "z"}]})
    res = f.compute_index(spec, data)
    assert res.steps["imputed"] == 2
    # x of Q 2021 from Q's 2020 (3.0), y of Q 2021 the 2021 mean of the others (6.0): min-max over all years
    # x: 1, 3, 5, 3 -> Q 2021 = 50; y: 2, 4, 6, 6 -> Q 2021 = 100
    assert res.row("Q", 2021).nodes["A"] == pytest.approx((50 + 100) / 2)
    none = _spec({"impute": "group_mean"}, impute="none")
    none["nodes"].append({"code": "B", "children": [{"code": "z"}]})
    only_y = f.compute_index(none, data)  # x left missing: A is y alone
    assert only_y.steps["imputed"] == 1 and only_y.row("Q", 2021).nodes["A"] == pytest.approx(100.0)
    # and the other way: no imputation by default, x's own previous year only
    own = _spec(impute="previous_year")
    own["nodes"].append({"code": "B", "children": [{"code": "z"}]})
    res = f.compute_index(own, data)
    assert res.steps["imputed"] == 1 and res.row("Q", 2021).nodes["A"] == pytest.approx(50.0)


def test_an_indicators_own_outlier_treatment_overrides_the_frameworks():
    units = [f"U{i}" for i in range(10)]
    data = {(u, 2020, "x"): (100.0 if u == "U9" else 1.0 + i / 100) for i, u in enumerate(units)}
    data |= {(u, 2020, "y"): (100.0 if u == "U9" else 1.0 + i / 100) for i, u in enumerate(units)}
    res = f.compute_index(_spec(outliers="winsorise"), data)
    # x: U9's 100 set to the next value 1.08 (skew and kurtosis then within), so U9 scores 100 on x as on y;
    # y is left as it is (the framework treats no outliers)
    assert list(res.steps["treated"]) == ["x"] and res.steps["treated"]["x"].startswith("winsorised")
    x_u8 = 100 * (1.08 - 1.0) / (1.08 - 1.0)
    y_u8 = 100 * (1.08 - 1.0) / (100.0 - 1.0)
    assert res.row("U8", 2020).index == pytest.approx((x_u8 + y_u8) / 2)
    # the framework treats both, and x says "none"
    res = f.compute_index(_spec({"outliers": {"method": "winsorise"}}, outliers="none"), data)
    assert list(res.steps["treated"]) == ["y"]
    assert res.row("U8", 2020).index == pytest.approx((y_u8 + x_u8) / 2)


def test_the_monte_carlo_analysis_keeps_an_indicators_own_normalisation():
    data = {}
    for i, u in enumerate(["P", "Q", "R", "S"]):
        data[(u, 2020, "x")] = float(2 ** (i + 1))
        data[(u, 2020, "y")] = float(10 * i)
    spec = _spec(normalise="frontier")
    ev = analysis.Evaluator(spec, data)
    # whatever the normalisation sampled for the framework, x stays at distance to the frontier
    for kind in ("minmax", "rank", "zscore"):
        col = ev.scores(kind)[:, ev.col["x"]]
        assert list(col) == pytest.approx([12.5, 25.0, 50.0, 100.0])
    nominal = ev.index(rows=[0, 1, 2, 3])
    computed = f.compute_index(spec, data)
    assert list(nominal) == pytest.approx([computed.row(u, 2020).index for u in ["P", "Q", "R", "S"]])
    res = analysis.sensitivity(spec, data, year=2020, n=16, vary="leaves", normalisations=("minmax", "rank"))
    assert set(res.first_order) == {"weight:x", "weight:y", "normalise"} and res.runs > 0


def test_rank_scores_are_plain_floats_so_published_rounding_works():
    # numpy 2 writes repr(np.float64(x)) as "np.float64(x)", which the half-up rounding could not read
    spec = _spec({"normalise": {"method": "rank"}, "published_rounding": {"index": 2}})
    data = {("P", 2020, "x"): 1.0, ("Q", 2020, "x"): 2.0, ("R", 2020, "x"): 4.0}
    res = f.compute_index(spec, data)
    assert [type(v) for v in analysis.methods.rank_scores({"a": 1, "b": 2}).values()] == [float, float]
    assert res.row("Q", 2020).published == 50.0


# --- per level (a sub-index's methods are the default of the indicators beneath it) ------------------


def _levels(outer=None, inner=None, leaf=None, method=None):
    """甲 (A) holds 乙 (A.1) which holds x and y; z sits in 丙 (B). `outer`, `inner`, `leaf` set methods on A,
    A.1 and x."""
    return {
        "method": {
            "normalise": {"method": "minmax"},
            "aggregate": {"method": "arithmetic"},
            **(method or {}),
        },
        "nodes": [
            {
                "code": "A",
                **(outer or {}),
                "children": [
                    {
                        "code": "A.1",
                        **(inner or {}),
                        "children": [{"code": "x", **(leaf or {})}, {"code": "y"}],
                    }
                ],
            },
            {"code": "B", "children": [{"code": "z"}]},
        ],
    }


def _level_data():
    # x: 2, 4, 8; y: 0, 5, 10; z: 1, 2, 3 for units P, Q, R
    data = {}
    for u, x, y, z in (("P", 2.0, 0.0, 1.0), ("Q", 4.0, 5.0, 2.0), ("R", 8.0, 10.0, 3.0)):
        data |= {(u, 2020, "x"): x, (u, 2020, "y"): y, (u, 2020, "z"): z}
    return data


def test_precedence_indicator_then_nearest_level_then_framework():
    tree = f.framework_tree(
        _levels({"normalise": "rank"}, {"normalise": "frontier"}, {"normalise": "zscore"})
    )
    got = {leaf.code: leaf.normalise for n in tree.walk() for leaf in n.leaves}
    assert got == {"x": "zscore", "y": "frontier", "z": ""}  # own; nearest level (A.1, not A); framework
    tree = f.framework_tree(
        _levels({"normalise": "rank", "impute": "group_mean"}, {"impute": "previous_year"})
    )
    got = {leaf.code: (leaf.normalise, leaf.impute) for n in tree.walk() for leaf in n.leaves}
    assert got == {"x": ("rank", "previous_year"), "y": ("rank", "previous_year"), "z": ("", "")}


def test_a_levels_normalisation_is_the_default_of_its_indicators():
    data = _level_data()
    res = f.compute_index(_levels(outer={"normalise": "frontier"}, leaf={"normalise": "rank"}), data)
    # x by its own rank: 0, 50, 100; y by A's frontier: 100 y / 10 = 0, 50, 100; z by the framework's min-max
    # 0, 50, 100 -- Q is 50 everywhere; P: A.1 = (0 + 0) / 2, index = (A + B) / 2 = 0
    assert res.row("Q", 2020).index == pytest.approx(50.0)
    res = f.compute_index(_levels(outer={"normalise": "frontier"}), data)
    # now x too by the frontier: 100 x / 8 = 25, 50, 100; P: A.1 = (25 + 0) / 2 = 12.5, B = 0
    assert res.row("P", 2020).nodes["A.1"] == pytest.approx(12.5)
    assert res.row("P", 2020).index == pytest.approx(12.5 / 2)
    plain = f.compute_index(_levels(), data)  # the framework's min-max: x 0, 33.3, 100
    assert plain.row("P", 2020).nodes["A.1"] == pytest.approx(0.0)


def test_a_levels_imputation_and_outlier_treatment_apply_beneath_it_only():
    data = _level_data()
    data |= {("P", 2021, "x"): 3.0, ("Q", 2021, "x"): 5.0, ("R", 2021, "x"): 9.0}
    data |= {("P", 2021, "z"): 1.0, ("Q", 2021, "z"): 2.0}  # R misses z in 2021 (B: the framework's: none)
    data |= {("P", 2021, "y"): 1.0, ("Q", 2021, "y"): 6.0}  # R misses y in 2021 (A: previous year: 10)
    res = f.compute_index(_levels(outer={"impute": "previous_year"}), data)
    assert res.steps["imputed"] == 1
    # y over both years: 0, 5, 10, 1, 6, 10 (R 2021 from 2020) -> R 2021 scores 100 on y
    assert res.row("R", 2021).n_indicators == 2  # x and the filled y; z stays missing
    # the framework treats outliers; the level says "none" for its indicators: only z would be treated
    many = {(f"U{i}", 2020, c): (100.0 if i == 9 else 1.0 + i / 100) for i in range(10) for c in "xyz"}
    res = f.compute_index(
        _levels(inner={"outliers": "none"}, method={"outliers": {"method": "winsorise"}}), many
    )
    assert list(res.steps["treated"]) == ["z"]


# --- the standalone log treatment ---------------------------------------------------------------------


def test_log_treatment_of_positive_values_is_the_natural_log():
    import math

    from kechuang.indicators.engine import methods

    e = math.e
    data = {("P", 2020, "x"): 1.0, ("Q", 2020, "x"): e, ("R", 2020, "x"): e**2}
    data |= {("P", 2020, "y"): 0.0, ("Q", 2020, "y"): 5.0, ("R", 2020, "y"): 10.0}
    res = f.compute_index(_spec(outliers="log"), data)
    # x: ln -> 0, 1, 2 -> min-max 0, 50, 100; y untouched: 0, 50, 100
    assert res.steps["treated"] == {"x": "log"}
    assert res.row("Q", 2020).index == pytest.approx(50.0)
    vals, what = methods.log_series([1.0, e, e**2])
    assert what == "log" and list(vals) == pytest.approx([0.0, 1.0, 2.0])


def test_log_treatment_shifts_non_positive_values_so_the_smallest_becomes_one():
    import math

    from kechuang.indicators.engine import methods

    e = math.e
    # smallest -1: shift by 2, ln(x + 2): ln 1 = 0, ln 2, ln e^2 = 2
    vals, what = methods.log_series([-1.0, 0.0, e**2 - 2])
    assert what == "log-shifted:2" and list(vals) == pytest.approx([0.0, math.log(2), 2.0])
    vals, what = methods.log_series([0.0, e - 1])  # a zero: shift by 1
    assert what == "log-shifted:1" and list(vals) == pytest.approx([0.0, 1.0])
    data = {("P", 2020, "x"): -1.0, ("Q", 2020, "x"): 0.0, ("R", 2020, "x"): e**2 - 2}
    data |= {("P", 2020, "y"): 0.0, ("Q", 2020, "y"): 5.0, ("R", 2020, "y"): 10.0}
    # the framework logs every indicator; y (0, 5, 10) is shifted by 1: ln 1, ln 6, ln 11
    res = f.compute_index(_spec({"outliers": {"method": "log"}}), data)
    assert res.steps["treated"] == {"x": "log-shifted:2", "y": "log-shifted:1"}
    x_q = 100 * math.log(2) / 2
    y_q = 100 * math.log(6) / math.log(11)
    assert res.row("Q", 2020).index == pytest.approx((x_q + y_q) / 2)


def test_winsorisation_still_falls_back_to_the_log_and_log_is_chosen_in_words():
    from kechuang.indicators import builder

    # x: 1..18 and two far points (skew 2.67, kurtosis 5.11): one winsorised point is not enough, so undone
    # and logged; two are
    data = {(f"U{i}", 2020, "x"): (1000.0 if i >= 18 else 1.0 + i) for i in range(20)}
    data |= {(f"U{i}", 2020, "y"): 1.0 + i for i in range(20)}
    res = f.compute_index(_spec({"outliers": {"method": "winsorise", "max_points": 1}}), data)
    assert res.steps["treated"] == {"x": "log"}
    res = f.compute_index(_spec({"outliers": {"method": "winsorise", "max_points": 2}}), data)
    assert res.steps["treated"] == {"x": "winsorised:2"}
    assert "取对数" in str(builder.OUTLIER_LABELS["log"]) and "平移" in str(builder.OUTLIER_LABELS["log"])
