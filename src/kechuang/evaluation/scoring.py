"""The scoring method of evaluation campaigns, as pure functions over plain data (no ORM).

Method "weighted-tree-v1":
- each leaf indicator turns a raw value into a score 0..100 by its rule:
  threshold  params {"steps": [[v0, s0], [v1, s1], ...]} (ascending v): the score of the highest step
             whose v <= value, 0 below the first step;
  linear     params {"min": a, "max": b}: 100 * (value - a) / (b - a), clamped to 0..100;
  expert     params {"max": m} (default 100): 100 * value / m, clamped (value = mean expert score);
  completion params {"target", "baseline", "higher_is_better"} (a contract's target indicator, value =
             the achieved value): the degree of completion `indicator_degree`, 0..100;
  a missing value scores 0;
- sibling weights are normalised to sum 1, and a leaf's effective weight is the product of the normalised
  weights on its path; the total is the sum of effective weight × leaf score (0..100), rounded to 2 places;
- ranks are competition ranks on the rounded total (1, 2, 2, 4), ties ordered by name for display;
- grades (excellent/good/pass/fail) by thresholds on the total ({"excellent": 85, "good": 75, "pass": 60})
  or by quotas of the ranking ({"excellent": 0.2, "good": 0.3, "pass": 0.4}: the first floor(n·0.2)
  places are excellent, up to floor(n·0.5) good, up to floor(n·0.9) pass, the rest fail); an entry tied
  in rank with the one before it gets that one's grade.

Method "weighted-tree-v2" is v1 where an entry may bring nodes of its own (a project's contract indicators,
one leaf each): a group node with `"expand": true` in the common tree takes, for each entry, the entry's own
nodes under it (weights normalised among them like any siblings); a group to expand with no nodes of the
entry's is a leaf without a value (it scores 0). Each result then also carries the effective weights of
the entry's own leaves. An entry's optional "left_out" lists groups to expand that are out of its score
(every leaf of the group not yet due at mid-term): weight 0 for that entry, its siblings renormalise; its
"not_due" (the leaves left out) is for the record only. v1 snapshots are evaluated as they always were.

`evaluate(inputs)` is deterministic: the same stored inputs always give the same outputs.
"""

import math
from dataclasses import dataclass

from django.utils.translation import gettext as _

METHOD = "weighted-tree-v2"
METHODS = ("weighted-tree-v1", METHOD)
GRADES = ("excellent", "good", "pass", "fail")
RULES = ("group", "threshold", "linear", "expert", "completion")


class ScoringError(ValueError):
    """The indicator tree or its parameters cannot be evaluated; the message says why."""


@dataclass(frozen=True)
class Node:
    code: str
    parent: str | None
    weight: float
    rule: str = "group"
    params: dict | None = None
    expand: bool = False  # a group that takes each entry's own nodes (without them: a leaf, no value)


def indicator_degree(*, target, achieved, baseline=None, higher_is_better: bool = True) -> float:
    """How far `achieved` reached `target`, 0–100. From the baseline when there is one (progress made of
    the progress promised), else from zero; the other way round when lower is better. Reaching or beating
    the target is 100; no progress (or going backwards) is 0."""
    t, a = float(target), float(achieved)
    b = None if baseline is None else float(baseline)
    if higher_is_better:
        if a >= t:
            return 100.0
        start = b if b is not None and b < t else 0.0
        span = t - start
    else:
        if a <= t:
            return 100.0
        start = b if b is not None and b > t else None
        if start is None:  # no baseline to measure from: the target's share of what was reached
            return round(max(0.0, min(1.0, t / a)) * 100, 2) if a > 0 else 0.0
        span = start - t
        a, t = -a, -t
        start = -start
    if span <= 0:
        return 0.0
    return round(max(0.0, min(1.0, (a - start) / span)) * 100, 2)


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
    if rule == "completion":
        if params.get("target") in (None, ""):
            raise ScoringError(_("完成度规则缺少目标值。"))
        baseline = params.get("baseline")
        return _clamp(
            indicator_degree(
                target=params["target"],
                achieved=value,
                baseline=None if baseline in (None, "") else baseline,
                higher_is_better=bool(params.get("higher_is_better", True)),
            )
        )
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
                if k.rule == "group" and not k.expand:
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


def _node(n: dict) -> Node:
    return Node(
        str(n["code"]),
        n.get("parent"),
        float(n["weight"]),
        n.get("rule", "group"),
        n.get("params") or {},
        bool(n.get("expand", False)),
    )


def evaluate(inputs: dict) -> dict:
    """Totals, ranks and grades from a stored input snapshot:
    {"method", "tree": [{"code","parent","weight","rule","params"[,"expand"]}], "grading": "thresholds"|"quotas",
     "grade_params": {...}, "entries": [{"id", "name", "values": {code: value|None}[, "nodes": [...]]}]}
    → {"method", "weights": {code: w}, "results": [{"id","name","total","rank","grade","scores"[,"weights"]}]
    best first}. An entry's own "nodes" (v2) sit under the common tree's groups to expand."""
    method = inputs.get("method", METHOD)
    if method not in METHODS:
        raise ScoringError(_("不支持的计算方法：%(m)s") % {"m": inputs.get("method")})
    nodes = [_node(n) for n in inputs["tree"]]
    weights = effective_weights(nodes)
    entries = inputs["entries"]
    names = {e["id"]: e.get("name", "") for e in entries}
    scored, own_weights = {}, {}
    for e in entries:
        own = [_node(n) for n in e.get("nodes") or ()]
        out_codes = set(e.get("left_out") or ()) if method != "weighted-tree-v1" else set()
        if out_codes:
            common = [
                Node(n.code, n.parent, 0.0, n.rule, n.params, n.expand) if n.code in out_codes else n
                for n in nodes
            ]
            entry_weights = effective_weights(common + own)
            own_weights[e["id"]] = {n.code: round(entry_weights[n.code], 6) for n in own}
            scored[e["id"]] = totals(common + own, {e["id"]: e.get("values", {})}, entry_weights)[e["id"]]
            continue
        if own:
            expandable = {n.code for n in nodes if n.expand}
            for n in own:
                if n.parent not in expandable:
                    raise ScoringError(
                        _("指标 %(code)s 的上级 %(parent)s 不存在。") % {"code": n.code, "parent": n.parent}
                    )
            entry_weights = effective_weights(nodes + own)
            own_weights[e["id"]] = {n.code: round(entry_weights[n.code], 6) for n in own}
        else:
            entry_weights = weights
        scored[e["id"]] = totals(nodes + own, {e["id"]: e.get("values", {})}, entry_weights)[e["id"]]
    total_by = {e: t for e, (t, _s) in scored.items()}
    ranked = competition_ranks(total_by, names)
    if inputs.get("grading") == "quotas":
        grades = grades_by_quotas(ranked, inputs["grade_params"])
    else:
        grades = grades_by_thresholds(total_by, inputs["grade_params"])
    results = []
    for e, r in ranked:
        row = {
            "id": e,
            "name": names[e],
            "total": total_by[e],
            "rank": r,
            "grade": grades[e],
            "scores": scored[e][1],
        }
        if method != "weighted-tree-v1":
            row["weights"] = own_weights.get(e, {})
        results.append(row)
    return {
        "method": method,
        "weights": {c: round(w, 6) for c, w in weights.items()},
        "results": results,
    }
