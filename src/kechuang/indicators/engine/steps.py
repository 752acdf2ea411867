"""Single steps of the composite-index engine: transformation, normalisation, means, rounding, groups.

Pure Python and numpy, no database (Django's translation only, for the messages of FormulaError).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from kechuang.core.lists import listed as core_listed
from kechuang.core.messages import BraceMessage


class Listed(tuple):
    """Items joined as the reader's language lists them ("a、b" / "a, b") when the text is shown; kept as a
    list in a stored message (core.messages), so it is joined again in each reader's language."""

    def __str__(self) -> str:
        return core_listed(self)


def listed(items) -> Listed:
    return Listed(items)


class FormulaError(ValueError):
    """Input the formulas cannot compute from. `message` says what is wrong in the language of whoever reads
    it (a page, an API reason, a command's output): a gettext_lazy text whose {name} fields are filled from
    `values` only when it is shown, so an error raised in one language is not frozen in it."""

    def __init__(self, message, **values):
        self.template, self.values = message, values
        self.message = format_lazy(message, **values) if values else message
        super().__init__(self.message)

    def __str__(self) -> str:
        return str(self.message)

    def as_message(self) -> BraceMessage:
        """The error as msgid and parameters, to store (a failed job) and read in each reader's language."""
        return BraceMessage(self.template, **self.values)


# --- single steps -------------------------------------------------------------------------------


def transform(value: float, kind: str = "none") -> float:
    """The value after the transformation for skewed indicators: none, sqrt or log (natural, of 1+x)."""
    if kind in ("", "none", None):
        return value
    if value < 0:
        raise FormulaError(gettext_lazy("变换前的数值不能为负：{value}"), value=value)
    if kind == "sqrt":
        return math.sqrt(value)
    if kind == "log":
        return math.log1p(value)
    raise FormulaError(gettext_lazy("未知的变换方法：{kind}"), kind=kind)


def minmax(values: Mapping, *, direction: str = "higher") -> dict:
    """Min-max scores (0-100) of `values` (any keys) over all of them; lower-is-better is reversed.

    Every value equal: every score is 100 (nobody is behind anybody).
    """
    if not values:
        return {}
    lo, hi = min(values.values()), max(values.values())
    if hi == lo:
        return dict.fromkeys(values, 100.0)
    span = hi - lo
    if direction == "lower":
        return {k: 100.0 * (hi - v) / span for k, v in values.items()}
    return {k: 100.0 * (v - lo) / span for k, v in values.items()}


def ratio_to_standard(
    value: float, standard: float, *, direction: str = "higher", cap: float = 100.0
) -> float:
    """100 × value / standard, capped at `cap` (for lower-is-better: 100 × standard / value)."""
    if standard is None or standard <= 0:
        raise FormulaError(gettext_lazy("标准值必须为正数。"))
    if direction == "lower":
        score = cap if value <= 0 else 100.0 * standard / value
    else:
        score = 100.0 * value / standard
    return max(0.0, min(cap, score))


def zscore(values: Mapping, *, direction: str = "higher") -> dict:
    """z-scores of `values` over all of them (population standard deviation); lower-is-better is negated."""
    if not values:
        return {}
    arr = np.array(list(values.values()), dtype=float)
    mean, sd = float(arr.mean()), float(arr.std())
    sign = -1.0 if direction == "lower" else 1.0
    if sd == 0:
        return dict.fromkeys(values, 0.0)
    return {k: sign * (v - mean) / sd for k, v in values.items()}


def weighted_mean(scores: Iterable[tuple[float, float]], method: str = "arithmetic") -> float | None:
    """The weighted arithmetic, geometric or harmonic mean of (score, weight) pairs; None when there are none.

    Weights are re-normalised over the pairs given, so a unit is scored on the indicators it has.
    """
    pairs = [(s, w) for s, w in scores if s is not None and w]
    if not pairs:
        return None
    total = sum(w for _, w in pairs)
    if total <= 0:
        raise FormulaError(gettext_lazy("权重之和必须为正数。"))
    if method == "arithmetic":
        return sum(s * w for s, w in pairs) / total
    if method == "geometric":
        if any(s < 0 for s, _ in pairs):
            raise FormulaError(gettext_lazy("几何平均要求得分非负（z-score 标准化不能与几何平均合用）。"))
        if any(s == 0 for s, _ in pairs):
            return 0.0
        return math.exp(sum(w * math.log(s) for s, w in pairs) / total)
    if method == "harmonic":
        if any(s < 0 for s, _ in pairs):
            raise FormulaError(gettext_lazy("调和平均要求得分非负（z-score 标准化不能与调和平均合用）。"))
        if any(s == 0 for s, _ in pairs):
            return 0.0
        return total / sum(w / s for s, w in pairs)
    raise FormulaError(gettext_lazy("未知的汇总方法：{method}"), method=method)


def round_half_up(value: float | None, places: int | None) -> float | None:
    """`value` rounded to `places` decimals, halves away from zero (as published tables round)."""
    if value is None or places is None:
        return value
    q = Decimal(1).scaleb(-places)
    return float(Decimal(repr(float(value))).quantize(q, rounding=ROUND_HALF_UP))  # numpy floats too


def group_for(relative: float | None, bands: list[dict]) -> str:
    """The code of the first band whose `above` threshold `relative` (percent) exceeds; the last band else."""
    if relative is None or not bands:
        return ""
    for band in bands:
        above = band.get("above")
        if above is None or relative > above:
            return band["code"]
    return bands[-1]["code"]
