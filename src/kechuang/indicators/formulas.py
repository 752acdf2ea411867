"""The composite-index engine and the other indicator formulas: pure Python and numpy, no database.

The engine lives in the `engine` package (steps, methods, composite, analysis); this module re-exports
what callers import and keeps the target-progress and S&T contribution formulas.

A framework is data (see frameworks/*.json): a tree of nodes whose leaves are indicators matched by
code, and a `method` naming the steps (docs/indicators.md lists every key):

    (a leaf's "denominator": code, "denominator_scale": k — its value / that series × k, first of all)
    impute      none | group_mean | previous_year
    outliers    {"method": "winsorise", "skew": 2, "kurtosis": 3.5, "max_points": 5}  (COINr's rule)
    transform   none | sqrt | log            (for skewed indicators; per leaf or for all)
    normalise   minmax | zscore | rank | ratio | target | frontier | none  (over all units and years)
    weights     hand | equal | pca
    aggregate   arithmetic | geometric | harmonic, over "leaves" or "tree"; per level ("levels") or
                per node ("aggregate" on the node); always over the indicators a unit has
    reference   {"unit": "EU", "aliases": ["EU Average", "EU27_2020"], "year": 2016}  (= 100 in that year)
    groups      bands of the index relative to the reference in the same year ("year": "same") or a
                fixed one; "compare": "published" when the edition compares its rounded figures
    published_rounding  {"index": 3, "nodes": 3}  decimals of the edition's published tables; results
                keep full precision

`compute_index(spec, data)` runs those steps on `data: {(unit, year, code): value}` and returns every
unit-year's index (full precision), its published figure, group and node scores.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from django.utils.translation import gettext_lazy

from .engine.composite import (  # noqa: F401  (re-exported)
    LEAF_METHODS,
    IndexResult,
    IndexRow,
    Key,
    Leaf,
    Node,
    Reference,
    compute_index,
    denominator_codes,
    framework_tree,
    indicator_values,
    leaves_of,
    normalise_all,
    parse_reference,
    published_rounding,
    reference_rule,
    reference_text,
)
from .engine.steps import (  # noqa: F401  (re-exported)
    FormulaError,
    group_for,
    minmax,
    ratio_to_standard,
    round_half_up,
    transform,
    weighted_mean,
    zscore,
)

# --- targets ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    status: str  # met | on_track | at_risk | no_data
    latest_year: int | None
    latest_value: float | None
    projected: float | None  # the trend's value in the target year
    slope: float | None  # change per year of the linear fit
    required_slope: float | None  # change per year needed from the latest value to reach the target


def target_progress(
    values: Iterable[tuple[int, float]],
    *,
    target_year: int,
    target_value: float,
    comparator: str = ">=",
    current_year: int,
    window: int = 5,
) -> Progress:
    """Met, on track or at risk for a target, from the values up to `current_year`.

    met: the latest value already satisfies the comparator; on_track: the least-squares line through the
    last `window` values reaches the target by the target year; at_risk: it does not, or a value for the
    target year (or later) is in and misses it. Until the target year's figure is published the trend
    decides (statistics lag a year). One value only: no trend, so at risk unless met.
    """
    pts = sorted((int(y), float(v)) for y, v in values if v is not None and int(y) <= current_year)
    if not pts:
        return Progress("no_data", None, None, None, None, None)

    def ok(v: float) -> bool:
        return v >= target_value if comparator == ">=" else v <= target_value

    latest_year, latest_value = pts[-1]
    recent = pts[-window:]
    slope = projected = required = None
    if len(recent) >= 2:
        xs = np.array([p[0] for p in recent], dtype=float)
        ys = np.array([p[1] for p in recent], dtype=float)
        slope, intercept = (float(c) for c in np.polyfit(xs, ys, 1))
        projected = slope * target_year + intercept
    if target_year > latest_year:
        required = (target_value - latest_value) / (target_year - latest_year)
    if ok(latest_value):
        return Progress("met", latest_year, latest_value, projected, slope, required)
    if target_year <= latest_year or projected is None:
        return Progress("at_risk", latest_year, latest_value, projected, slope, required)
    return Progress(
        "on_track" if ok(projected) else "at_risk", latest_year, latest_value, projected, slope, required
    )


# --- S&T progress contribution rate ------------------------------------------------------------


@dataclass(frozen=True)
class Contribution:
    output_growth: float  # y, average annual growth rate of output (fraction)
    capital_growth: float  # k
    labour_growth: float  # l
    alpha: float  # output elasticity of capital
    beta: float  # output elasticity of labour
    tech_growth: float  # a = y - αk - βl (the Solow residual)
    rate: float  # E_A = a / y × 100 (percent): the S&T progress contribution rate
    capital_share: float  # αk / y × 100
    labour_share: float  # βl / y × 100


def average_growth(start: float, end: float, years: int) -> float:
    """Average annual growth rate from `start` to `end` over `years` years (geometric)."""
    if start <= 0 or end <= 0:
        raise FormulaError(gettext_lazy("计算增长率的起止数值必须为正数。"))
    if years <= 0:
        raise FormulaError(gettext_lazy("年数必须为正整数。"))
    return (end / start) ** (1.0 / years) - 1.0


def solow_contribution(
    *,
    output_growth: float,
    capital_growth: float,
    labour_growth: float,
    alpha: float = 0.35,
    beta: float = 0.65,
) -> Contribution:
    """The S&T progress contribution rate by the Solow residual: E_A = (y − αk − βl) / y × 100.

    Growth rates are fractions (0.08 = 8 %). Refuses zero output growth (the rate is undefined) and
    elasticities outside [0, 1].
    """
    for name, e in (("α", alpha), ("β", beta)):
        if not 0 <= e <= 1:
            raise FormulaError(gettext_lazy("弹性系数 {name} 必须在 0 到 1 之间。"), name=name)
    if output_growth == 0:
        raise FormulaError(gettext_lazy("产出增长率为零时贡献率无定义。"))
    a = output_growth - alpha * capital_growth - beta * labour_growth
    return Contribution(
        output_growth=output_growth,
        capital_growth=capital_growth,
        labour_growth=labour_growth,
        alpha=alpha,
        beta=beta,
        tech_growth=a,
        rate=100.0 * a / output_growth,
        capital_share=100.0 * alpha * capital_growth / output_growth,
        labour_share=100.0 * beta * labour_growth / output_growth,
    )
