"""Aggregating expert scores: weighted totals, mean, trimmed mean, per-expert z-scores, disagreement,
and the panel's ranked list. Pure: plain values in, dataclasses out.

Z-score normalisation: an expert's bias is read from all their scores in the round. Each score s
by expert e becomes z = (s - mean_e) / sd_e (population standard deviation). An expert with a single
score, or whose scores are all equal, gives no information about their scale: their score is read
against the round instead, z = (s - mean_all) / sd_all, where mean_all and sd_all are over every
score of the round (z = 0 when sd_all is 0). The normalised score of a subject is
mean_all + sd_all * mean(z of its reviews), back on the form's scale, so an expert who always scores
low no longer drags their subjects down.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field

DISAGREEMENT_SHARE = 0.25  # a spread wider than this share of the maximum score is flagged


@dataclass(frozen=True)
class ScoredReview:
    expert: Hashable
    subject: Hashable
    total: float
    criteria: dict = field(default_factory=dict)
    recommendation: str = ""
    opinion: str = ""
    released: bool = False


@dataclass
class SubjectResult:
    n_reviews: int
    mean: float | None
    trimmed_mean: float | None
    zscore: float | None  # mean z of the subject's reviews
    normalised: float | None  # back on the form's scale
    criteria_means: dict[str, float]
    recommendations: dict[str, int]
    disagreement: bool
    released_opinions: list[str]
    spread: float = 0.0
    rank: int | None = None


def weighted_total(
    scores: dict[str, float], criteria: Sequence[tuple[str, float, float]], scale: float
) -> float:
    """Weighted total on a 0..scale scale: sum(weight * score / max_score) / sum(weights) * scale.

    `criteria` is [(code, weight, max_score)]; a missing score raises KeyError."""
    wsum = sum(w for _, w, _ in criteria)
    if wsum <= 0:
        raise ValueError("weights must add up to more than zero")
    total = sum(w * scores[c] / mx for c, w, mx in criteria)
    return round(total / wsum * scale, 4)


def mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def trimmed_mean(values: Sequence[float], trim: int = 1) -> float | None:
    """Mean after dropping the `trim` highest and lowest values (only when at least 2*trim+1 remain...
    i.e. with 3 or more values for trim=1; otherwise the plain mean)."""
    if not values:
        return None
    if len(values) < 2 * trim + 1:
        return mean(values)
    vals = sorted(values)[trim : len(values) - trim]
    return sum(vals) / len(vals)


def _pstdev(values: Sequence[float]) -> float:
    if len(values) < 2:
        return 0.0
    mu = sum(values) / len(values)
    return math.sqrt(sum((v - mu) ** 2 for v in values) / len(values))


def zscores(reviews: Sequence[ScoredReview]) -> list[float]:
    """z of each review, in order (see the module docstring)."""
    all_totals = [r.total for r in reviews]
    mu_all = mean(all_totals) or 0.0
    sd_all = _pstdev(all_totals)
    by_expert: dict[Hashable, list[float]] = defaultdict(list)
    for r in reviews:
        by_expert[r.expert].append(r.total)
    stats = {e: (sum(v) / len(v), _pstdev(v), len(v)) for e, v in by_expert.items()}
    out = []
    for r in reviews:
        mu_e, sd_e, n_e = stats[r.expert]
        if n_e >= 2 and sd_e > 0:
            out.append((r.total - mu_e) / sd_e)
        elif sd_all > 0:
            out.append((r.total - mu_all) / sd_all)
        else:
            out.append(0.0)
    return out


def aggregate(
    reviews: Iterable[ScoredReview],
    *,
    max_score: float = 100.0,
    disagreement_share: float = DISAGREEMENT_SHARE,
) -> dict[Hashable, SubjectResult]:
    """Per-subject results over every submitted review of a round, ranked by the normalised score
    (then the mean), rank 1 best."""
    reviews = list(reviews)
    z = zscores(reviews)
    all_totals = [r.total for r in reviews]
    mu_all = mean(all_totals) or 0.0
    sd_all = _pstdev(all_totals)
    groups: dict[Hashable, list[int]] = defaultdict(list)
    for idx, r in enumerate(reviews):
        groups[r.subject].append(idx)
    results: dict[Hashable, SubjectResult] = {}
    for subject, idxs in groups.items():
        totals = [reviews[i].total for i in idxs]
        zs = [z[i] for i in idxs]
        crit: dict[str, list[float]] = defaultdict(list)
        for i in idxs:
            for code, val in reviews[i].criteria.items():
                crit[code].append(float(val))
        recs = Counter(reviews[i].recommendation for i in idxs if reviews[i].recommendation)
        spread = max(totals) - min(totals)
        zmean = sum(zs) / len(zs)
        results[subject] = SubjectResult(
            n_reviews=len(idxs),
            mean=round(mean(totals), 4),
            trimmed_mean=round(trimmed_mean(totals), 4),
            zscore=round(zmean, 4),
            normalised=round(mu_all + sd_all * zmean, 4),
            criteria_means={c: round(sum(v) / len(v), 4) for c, v in sorted(crit.items())},
            recommendations=dict(sorted(recs.items())),
            disagreement=spread > disagreement_share * max_score,
            released_opinions=[
                reviews[i].opinion for i in idxs if reviews[i].released and reviews[i].opinion
            ],
            spread=round(spread, 4),
        )
    order = sorted(results, key=lambda s: (-(results[s].normalised or 0), -(results[s].mean or 0), str(s)))
    for rank, s in enumerate(order, start=1):
        results[s].rank = rank
    return {s: results[s] for s in order}
