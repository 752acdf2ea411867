"""The scoring method of evaluation campaigns, as pure functions over plain data (no ORM).

Method "weighted-tree-v1":
- each leaf indicator turns a raw value into a score 0..100 by its rule:
  threshold  params {"steps": [[v0, s0], [v1, s1], ...]} (ascending v): the score of the highest step
             whose v <= value, 0 below the first step;
  linear     params {"min": a, "max": b}: 100 * (value - a) / (b - a), clamped to 0..100;
  expert     params {"max": m} (default 100): 100 * value / m, clamped (value = mean expert score);
  a missing value scores 0;
- sibling weights are normalised to sum 1, and a leaf's effective weight is the product of the normalised
  weights on its path; the total is the sum of effective weight × leaf score (0..100), rounded to 2 places;
- ranks are competition ranks on the rounded total (1, 2, 2, 4), ties ordered by name for display;
- grades (excellent/good/pass/fail) by thresholds on the total ({"excellent": 85, "good": 75, "pass": 60})
  or by quotas of the ranking ({"excellent": 0.2, "good": 0.3, "pass": 0.4}: the first floor(n·0.2)
  places are excellent, up to floor(n·0.5) good, up to floor(n·0.9) pass, the rest fail); an entry tied
  in rank with the one before it gets that one's grade.

`evaluate(inputs)` is deterministic: the same stored inputs always give the same outputs.
"""

import math
from dataclasses import dataclass

from django.utils.translation import gettext as _

METHOD = "weighted-tree-v1"
GRADES = ("excellent", "good", "pass", "fail")
RULES = ("group", "threshold", "linear", "expert")


class ScoringError(ValueError):
    """The indicator tree or its parameters cannot be evaluated; the message says why."""


@dataclass(frozen=True)
class Node:
    code: str
    parent: str | None
    weight: float
    rule: str = "group"
    params: dict | None = None


def _clamp(x: float) -> float:
    return max(0.0, min(100.0, x))


def leaf_score(rule: str, params: dict | None, value: float | None) -> float:
    """Score 0..100 of one raw value under a leaf rule (see module docstring)."""
    params = params or {}
    if value is None:
        return 0.0
    value = float(value)
    if rule == "threshold":
        steps = sorted((float(v), float(s)) for v, s in params.get("steps", []))
        if not steps:
            raise ScoringError(_("阈值规则缺少分档（steps）。"))
        score = 0.0
        for bound, s in steps:
            if value >= bound:
                score = s
        return _clamp(score)
    if rule == "linear":
        lo, hi = float(params.get("min", 0)), float(params["max"]) if "max" in params else None
        if hi is None or hi <= lo:
            raise ScoringError(_("线性规则需要 min < max。"))
        return _clamp(100.0 * (value - lo) / (hi - lo))
    if rule == "expert":
        top = float(params.get("max", 100) or 100)
        return _clamp(100.0 * value / top)
    raise ScoringError(_("未知的评分规则：%(rule)s") % {"rule": rule})


def effective_weights(nodes: list[Node]) -> dict[str, float]:
    """Leaf code → product of normalised sibling weights along its path. Raises ScoringError on a tree
    without leaves, a cycle, an unknown parent, or siblings whose weights sum to 0."""
    by_code = {n.code: n for n in nodes}
    if len(by_code) != len(nodes):
        raise ScoringError(_("指标代码重复。"))
    children: dict[str | None, list[Node]] = {}
    for n in nodes:
        if n.parent is not None and n.parent not in by_code:
            raise ScoringError(
                _("指标 %(code)s 的上级 %(parent)s 不存在。") % {"code": n.code, "parent": n.parent}
            )
        if n.weight < 0:
            raise ScoringError(_("指标 %(code)s 的权重不能为负。") % {"code": n.code})
        children.setdefault(n.parent, []).append(n)
    out: dict[str, float] = {}

    def walk(parent: str | None, factor: float, depth: int) -> None:
        if depth > len(nodes):
            raise ScoringError(_("指标树存在循环。"))
        kids = children.get(parent, [])
        total = sum(k.weight for k in kids)
        if kids and total <= 0:
            raise ScoringError(_("同级指标的权重之和必须大于 0。"))
        for k in kids:
            w = factor * k.weight / total
            if k.code in children:
                walk(k.code, w, depth + 1)
            else:
                if k.rule == "group":
                    raise ScoringError(_("末级指标 %(code)s 缺少评分规则。") % {"code": k.code})
                out[k.code] = w

    walk(None, 1.0, 0)
    if not out:
        raise ScoringError(_("指标树没有末级指标。"))
    return out


def totals(nodes: list[Node], values: dict, weights: dict[str, float] | None = None) -> dict:
    """entry id → (total rounded to 2 places, {leaf code: leaf score})."""
    weights = weights or effective_weights(nodes)
    by_code = {n.code: n for n in nodes}
    out = {}
    for entry, vals in values.items():
        scores = {
            code: round(leaf_score(by_code[code].rule, by_code[code].params, vals.get(code)), 4)
            for code in weights
        }
        out[entry] = (round(sum(weights[c] * scores[c] for c in weights) + 1e-9, 2), scores)
    return out


def competition_ranks(total_by_entry: dict, names: dict | None = None) -> list[tuple[object, int]]:
    """[(entry, rank)] best first; equal totals share a rank and the next rank skips (1, 2, 2, 4)."""
    names = names or {}
    order = sorted(total_by_entry, key=lambda e: (-total_by_entry[e], str(names.get(e, e))))
    out, prev, rank = [], None, 0
    for i, e in enumerate(order, start=1):
        if total_by_entry[e] != prev:
            rank, prev = i, total_by_entry[e]
        out.append((e, rank))
    return out


def grades_by_thresholds(total_by_entry: dict, thresholds: dict) -> dict:
    """Grade by the total: excellent ≥ t.excellent, good ≥ t.good, pass ≥ t.pass, else fail."""
    t = {g: float(thresholds[g]) for g in ("excellent", "good", "pass")}
    if not t["excellent"] >= t["good"] >= t["pass"]:
        raise ScoringError(_("等级分数线应满足 优秀 ≥ 良好 ≥ 合格。"))
    out = {}
    for e, total in total_by_entry.items():
        out[e] = next((g for g in ("excellent", "good", "pass") if total >= t[g]), "fail")
    return out


def grades_by_quotas(ranked: list[tuple[object, int]], quotas: dict) -> dict:
    """Grade by place in the ranking with cumulative quotas (see module docstring)."""
    q = [float(quotas.get(g, 0)) for g in ("excellent", "good", "pass")]
    if any(x < 0 for x in q) or sum(q) > 1 + 1e-9:
        raise ScoringError(_("等级比例须为非负数，且合计不超过 100%。"))
    n = len(ranked)
    cum, limits = 0.0, []
    for x in q:
        cum += x
        limits.append(math.floor(n * cum + 1e-9))
    out, prev_rank, prev_grade = {}, None, None
    for place, (e, rank) in enumerate(ranked, start=1):
        if rank == prev_rank:
            grade = prev_grade
        else:
            grade = next(
                (g for g, lim in zip(("excellent", "good", "pass"), limits, strict=True) if place <= lim),
                "fail",
            )
        out[e] = grade
        prev_rank, prev_grade = rank, grade
    return out


def evaluate(inputs: dict) -> dict:
    """Totals, ranks and grades from a stored input snapshot:
    {"method", "tree": [{"code","parent","weight","rule","params"}], "grading": "thresholds"|"quotas",
     "grade_params": {...}, "entries": [{"id", "name", "values": {code: value|None}}]}
    → {"method", "weights": {code: w}, "results": [{"id","name","total","rank","grade","scores"}] best first}."""
    if inputs.get("method", METHOD) != METHOD:
        raise ScoringError(_("不支持的计算方法：%(m)s") % {"m": inputs.get("method")})
    nodes = [
        Node(
            str(n["code"]), n.get("parent"), float(n["weight"]), n.get("rule", "group"), n.get("params") or {}
        )
        for n in inputs["tree"]
    ]
    weights = effective_weights(nodes)
    entries = inputs["entries"]
    names = {e["id"]: e.get("name", "") for e in entries}
    scored = totals(nodes, {e["id"]: e.get("values", {}) for e in entries}, weights)
    total_by = {e: t for e, (t, _s) in scored.items()}
    ranked = competition_ranks(total_by, names)
    if inputs.get("grading") == "quotas":
        grades = grades_by_quotas(ranked, inputs["grade_params"])
    else:
        grades = grades_by_thresholds(total_by, inputs["grade_params"])
    return {
        "method": METHOD,
        "weights": {c: round(w, 6) for c, w in weights.items()},
        "results": [
            {
                "id": e,
                "name": names[e],
                "total": total_by[e],
                "rank": r,
                "grade": grades[e],
                "scores": scored[e][1],
            }
            for e, r in ranked
        ],
    }
