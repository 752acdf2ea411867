"""Aggregation, with every number computed by hand."""

import pytest

from kechuang.review.scoring import ScoredReview, aggregate, trimmed_mean, weighted_total, zscores


def r(expert, subject, total, **kw):
    return ScoredReview(expert=expert, subject=subject, total=total, **kw)


def test_weighted_total():
    crit = [("tech", 0.6, 100), ("team", 0.4, 50)]
    assert weighted_total({"tech": 80, "team": 40}, crit, 100) == 80.0  # 0.6*0.8 + 0.4*0.8
    assert weighted_total({"tech": 90, "team": 25}, crit, 100) == 74.0  # 0.54 + 0.20
    with pytest.raises(KeyError):
        weighted_total({"tech": 90}, crit, 100)


def test_trimmed_mean_drops_one_high_and_one_low():
    assert trimmed_mean([60, 70, 95]) == 70
    assert trimmed_mean([60, 95]) == 77.5  # too few to trim: the plain mean
    assert trimmed_mean([]) is None


def test_zscores_correct_a_harsh_expert():
    # A scores 60 and 70 (mean 65, sd 5); B scores 80 and 90 (mean 85, sd 5); C scores once, 75:
    # C is read against the round (mean 75, sd 10), so z = 0.
    reviews = [r("A", "s1", 60), r("A", "s2", 70), r("B", "s1", 80), r("B", "s2", 90), r("C", "s3", 75)]
    assert zscores(reviews) == [-1.0, 1.0, -1.0, 1.0, 0.0]
    res = aggregate(reviews)
    assert [s for s in res] == ["s2", "s3", "s1"]
    assert res["s1"].mean == 70 and res["s1"].zscore == -1.0 and res["s1"].normalised == 65.0
    assert res["s2"].normalised == 85.0 and res["s2"].rank == 1
    assert res["s3"].normalised == 75.0 and res["s3"].n_reviews == 1


def test_a_low_scorer_no_longer_sinks_their_subjects():
    # H is harsh (50, 60), G generous (80, 90): raw means rank s3 (80) above s2 (60); by z they tie at
    # the top (+1) and s2 is ahead of s3 (-1).
    reviews = [r("H", "s1", 50), r("H", "s2", 60), r("G", "s3", 80), r("G", "s4", 90)]
    res = aggregate(reviews)
    assert res["s2"].zscore == 1.0 and res["s3"].zscore == -1.0
    assert res["s2"].rank < res["s3"].rank


def test_disagreement_recommendations_criteria_and_released_opinions():
    reviews = [
        r("A", "s", 60, criteria={"tech": 50}, recommendation="reject", opinion="创新性不足", released=True),
        r("B", "s", 70, criteria={"tech": 70}, recommendation="support", opinion="内部意见"),
        r("C", "s", 95, criteria={"tech": 90}, recommendation="support", opinion="方案可行", released=True),
    ]
    res = aggregate(reviews)["s"]
    assert res.mean == 75.0 and res.trimmed_mean == 70.0
    assert res.spread == 35.0 and res.disagreement is True  # 35 > 25% of 100
    assert res.criteria_means == {"tech": 70.0}
    assert res.recommendations == {"reject": 1, "support": 2}
    assert res.released_opinions == ["创新性不足", "方案可行"]
    calm = aggregate([r("A", "t", 70), r("B", "t", 80)])["t"]
    assert calm.disagreement is False
