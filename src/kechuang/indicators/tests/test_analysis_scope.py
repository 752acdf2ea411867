"""The Monte Carlo analysis over per-level and per-indicator method choices (the normalisation of a
sub-index's indicators, the aggregation of a level) and over the weighting schemes PCA and
correlation-optimised (issue #20 item 5); known answers: a zero weight and a choice that changes nothing
have indices 0, a unit far ahead keeps rank 1."""

import numpy as np
import pytest

from kechuang.indicators import formulas as f
from kechuang.indicators.engine import analysis, methods
from kechuang.indicators.tests.test_analysis import SMALL, _small_data


def _with(method=None, nodes=None):
    return {**SMALL, "method": {**SMALL["method"], **(method or {})}, "nodes": nodes or SMALL["nodes"]}


def test_a_levels_drawn_normalisation_applies_beneath_it_and_an_indicators_own_choice_stays():
    data = _small_data()
    nodes = [
        {"code": "P", "weight": 1, "children": [{"code": "p1"}, {"code": "p0", "normalise": "frontier"}]},
        {"code": "Q", "weight": 1, "children": [{"code": "q1"}]},
    ]
    ev = analysis.Evaluator(_with(nodes=nodes), data)
    assert ev.leaf_kind("p1", "minmax", {"P": "rank"}) == "rank"
    assert ev.leaf_kind("p0", "minmax", {"P": "rank"}) == "frontier"  # its own choice is nearer
    assert ev.leaf_kind("p0", "minmax", {"p0": "zscore", "P": "rank"}) == "zscore"  # drawn itself: wins
    assert ev.leaf_kind("q1", "minmax", {"P": "rank"}) == "minmax"  # another level: the framework's
    s = ev.scores(drawn={"P": "rank"})
    p1 = {k: v for (u, y, c), v in data.items() for k in [(u, y)] if c == "p1"}
    by_hand = methods.rank_scores(p1)
    assert [s[ev.row[k], ev.col["p1"]] for k in ev.keys] == pytest.approx([by_hand[k] for k in ev.keys])
    # and the index over those scores is the engine's with P's normalisation set to rank
    ranked = [dict(nodes[0], normalise="rank"), nodes[1]]
    res = f.compute_index(_with(nodes=ranked), data)
    got = ev.index(drawn={"P": "rank"})
    assert [got[ev.row[(r.unit, r.year)]] for r in res.rows] == pytest.approx([r.index for r in res.rows])


def test_a_levels_drawn_aggregation_is_the_engines_with_that_level_set():
    data = _small_data()
    ev = analysis.Evaluator(SMALL, data)
    res = f.compute_index(_with({"aggregate": {"method": "arithmetic", "levels": {"0": "geometric"}}}), data)
    got = ev.index(agg_levels={0: "geometric"})
    assert [got[ev.row[(r.unit, r.year)]] for r in res.rows] == pytest.approx([r.index for r in res.rows])


def test_per_level_choices_as_factors_with_known_answers():
    data = _small_data()
    res = analysis.sensitivity(
        SMALL,
        data,
        year=2020,
        unit="U3",
        n=64,
        vary="all",
        seed=2,
        level_normalisations={"P": ("minmax", "rank"), "Q": ("minmax", "rank")},
        level_aggregations={0: ("arithmetic", "geometric"), 1: ("arithmetic", "geometric", "harmonic")},
    )
    assert res.factors[-4:] == ["normalise:P", "normalise:Q", "aggregate:0", "aggregate:1"]
    # every sub-index has one indicator that counts (p0 weighs 0): its aggregation changes nothing
    assert res.first_order["aggregate:1"] == 0.0 and res.total["aggregate:1"] == 0.0
    assert res.total["weight:p0"] == 0.0  # a zero weight, whatever else is drawn
    assert res.total["normalise:P"] > 0.0
    assert res.interval["LEAD"] == (1.0, 1.0, 1.0)  # far ahead under every choice
    assert res.assumptions["level_normalisations"] == {"P": ["minmax", "rank"], "Q": ["minmax", "rank"]}
    assert res.assumptions["level_aggregations"] == {
        "0": ["arithmetic", "geometric"],
        "1": list(methods.AGGREGATIONS),
    }
    with pytest.raises(f.FormulaError):
        analysis.sensitivity(
            SMALL, data, year=2020, n=8, level_normalisations={"nowhere": ("minmax", "rank")}
        )
    with pytest.raises(f.FormulaError):
        analysis.sensitivity(
            SMALL,
            data,
            year=2020,
            n=8,
            level_normalisations={"P": ("zscore", "minmax")},
            level_aggregations={0: ("geometric", "arithmetic")},
        )


def test_pca_and_correlation_optimised_weights_as_a_drawn_scheme():
    data = _small_data()
    ev = analysis.Evaluator(SMALL, data)
    for scheme in ("pca", "optimal"):
        spec = _with({"weights": {"method": scheme}})
        res = f.compute_index(spec, data)
        got = analysis.Evaluator(spec, data).index()
        assert [got[ev.row[(r.unit, r.year)]] for r in res.rows] == pytest.approx([r.index for r in res.rows])
    res = analysis.sensitivity(
        SMALL, data, year=2020, n=64, vary="nodes", seed=4, weightings=("framework", "pca", "optimal")
    )
    assert res.factors[-1] == "weights" and res.total["weights"] > 0.0
    assert res.interval["LEAD"] == (1.0, 1.0, 1.0)
    # one scheme given: used in every run, not a factor; the same scheme twice changes nothing
    same = analysis.sensitivity(SMALL, data, year=2020, n=32, vary="nodes", seed=4, weightings=("pca", "pca"))
    assert same.first_order["weights"] == 0.0 and same.total["weights"] == 0.0


def test_distance_to_a_target_can_be_drawn():
    spec = _with(
        nodes=[
            {
                "code": "P",
                "children": [{"code": "p1", "standard": 0.5}, {"code": "p0", "standard": 0.5, "weight": 0}],
            },
            {"code": "Q", "children": [{"code": "q1", "standard": 0.8}]},
        ]
    )
    data = _small_data()
    ev = analysis.Evaluator(spec, data)
    q1 = {(u, y): v for (u, y, c), v in data.items() if c == "q1"}
    lo = min(q1.values())
    # 100 (x - min) / (target - min), capped at 100
    want = {k: min(100.0, 100 * (v - lo) / (0.8 - lo)) for k, v in q1.items()}
    col = ev.scores("target")[:, ev.col["q1"]]
    assert [col[ev.row[k]] for k in ev.keys] == pytest.approx([want[k] for k in ev.keys])
    res = analysis.sensitivity(
        spec, data, year=2020, n=32, vary="all", normalisations=("minmax", "target"), seed=1
    )
    assert "normalise" in res.factors and res.total["weight:p0"] == 0.0
    assert np.isfinite(res.total["normalise"])
