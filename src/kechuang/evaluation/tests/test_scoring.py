"""The scoring method on a small case computed by hand, and its properties."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kechuang.evaluation import scoring

# Tree: A (weight 2) with a1 (linear 0..100, weight 1) and a2 (threshold, weight 3); B (expert of 10, weight 2).
# Normalised: A = B = 0.5; effective a1 = 0.5 * 1/4 = 0.125, a2 = 0.5 * 3/4 = 0.375, B = 0.5.
TREE = [
    {"code": "A", "parent": None, "weight": 2, "rule": "group"},
    {"code": "a1", "parent": "A", "weight": 1, "rule": "linear", "params": {"min": 0, "max": 100}},
    {
        "code": "a2",
        "parent": "A",
        "weight": 3,
        "rule": "threshold",
        "params": {"steps": [[0, 0], [10, 50], [20, 100]]},
    },
    {"code": "B", "parent": None, "weight": 2, "rule": "expert", "params": {"max": 10}},
]
ENTRIES = [
    {"id": 1, "name": "甲", "values": {"a1": 80, "a2": 15, "B": 9}},  # 0.125*80 + 0.375*50 + 0.5*90 = 73.75
    {"id": 2, "name": "乙", "values": {"a1": 40, "a2": 25, "B": 6}},  # 5 + 37.5 + 30 = 72.5
    {"id": 3, "name": "丙", "values": {"a1": 100, "a2": 5, "B": None}},  # 12.5 + 0 + 0 = 12.5
    {"id": 4, "name": "丁", "values": {"a1": 40, "a2": 25, "B": 6}},  # 72.5, tied with 乙
]


def run(grading, params):
    return scoring.evaluate(
        {
            "method": scoring.METHOD,
            "tree": TREE,
            "grading": grading,
            "grade_params": params,
            "entries": ENTRIES,
        }
    )


def test_hand_computed_totals_ranks_and_threshold_grades():
    out = run("thresholds", {"excellent": 85, "good": 70, "pass": 60})
    assert out["weights"] == {"a1": 0.125, "a2": 0.375, "B": 0.5}
    rows = [(r["name"], r["total"], r["rank"], r["grade"]) for r in out["results"]]
    assert rows == [
        ("甲", 73.75, 1, "good"),
        ("丁", 72.5, 2, "good"),
        ("乙", 72.5, 2, "good"),
        ("丙", 12.5, 4, "fail"),
    ]
    assert out["results"][0]["scores"] == {"a1": 80.0, "a2": 50.0, "B": 90.0}


def test_hand_computed_quota_grades_keep_ties_together():
    # n = 4, quotas 25% each: places 1 / 2 / 3 → excellent / good / pass, place 4 fail; 乙 ties 丁 (place 2).
    out = run("quotas", {"excellent": 0.25, "good": 0.25, "pass": 0.25})
    assert {r["name"]: r["grade"] for r in out["results"]} == {
        "甲": "excellent",
        "丁": "good",
        "乙": "good",
        "丙": "fail",
    }


def test_same_inputs_same_outputs():
    assert run("thresholds", {"excellent": 85, "good": 70, "pass": 60}) == run(
        "thresholds", {"excellent": 85, "good": 70, "pass": 60}
    )


@pytest.mark.parametrize(
    "tree, message",
    [
        ([{"code": "x", "parent": None, "weight": 1, "rule": "group"}], "缺少评分规则"),
        ([{"code": "x", "parent": "y", "weight": 1, "rule": "linear", "params": {"max": 1}}], "不存在"),
        ([{"code": "x", "parent": None, "weight": 0, "rule": "linear", "params": {"max": 1}}], "大于 0"),
        (
            [{"code": "x", "parent": None, "weight": 1, "rule": "linear", "params": {"min": 5, "max": 5}}],
            "min < max",
        ),
        ([{"code": "x", "parent": None, "weight": 1, "rule": "threshold", "params": {}}], "分档"),
    ],
)
def test_bad_trees_are_refused_with_a_reason(tree, message):
    with pytest.raises(scoring.ScoringError, match=message):
        scoring.evaluate(
            {
                "tree": tree,
                "grading": "thresholds",
                "grade_params": {"excellent": 85, "good": 75, "pass": 60},
                "entries": [{"id": 1, "values": {"x": 3}}],
            }
        )


def test_bad_grade_parameters():
    with pytest.raises(scoring.ScoringError):
        scoring.grades_by_thresholds({1: 50}, {"excellent": 60, "good": 75, "pass": 50})
    with pytest.raises(scoring.ScoringError):
        scoring.grades_by_quotas([(1, 1)], {"excellent": 0.6, "good": 0.6, "pass": 0})


@given(st.lists(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), min_size=1, max_size=30))
def test_totals_stay_between_0_and_100_and_ranks_are_competition_ranks(values):
    tree = [{"code": "v", "parent": None, "weight": 1, "rule": "linear", "params": {"min": 0, "max": 1000}}]
    entries = [{"id": i, "name": str(i), "values": {"v": v}} for i, v in enumerate(values)]
    out = scoring.evaluate(
        {
            "tree": tree,
            "grading": "quotas",
            "grade_params": {"excellent": 0.2, "good": 0.3, "pass": 0.4},
            "entries": entries,
        }
    )
    totals = [r["total"] for r in out["results"]]
    assert all(0 <= t <= 100 for t in totals) and totals == sorted(totals, reverse=True)
    for place, r in enumerate(out["results"], start=1):
        assert r["rank"] == 1 + sum(1 for t in totals if t > r["total"])
        assert r["rank"] <= place
