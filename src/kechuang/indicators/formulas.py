"""The composite-index engine and the other indicator formulas: pure Python and numpy, no database.

A framework is data (see frameworks/*.json): a tree of nodes whose leaves are indicators matched by
code, and a `method` naming the steps:

    transform   none | sqrt | log            (for skewed indicators; per leaf or for all)
    normalise   minmax | ratio | zscore      (min-max over all units and years; 100*value/standard
                                              capped at 100; z-score over all units and years)
    aggregate   arithmetic | geometric, over "leaves" (one mean of all indicators) or "tree"
                (weighted means up the tree); always over the indicators a unit has
    rebase      {"reference": "UNIT:YEAR"}   (index and node scores relative to it, = 100)
    rounding    {"index": 3, "nodes": 3}     (decimal places, half up)
    groups      bands of the index relative to the reference unit in the same year

`compute_index(spec, data)` runs those steps on `data: {(unit, year, code): value}` and returns every
unit-year's index, group and node scores.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

Key = tuple[str, int, str]  # (unit, year, indicator code)


class FormulaError(ValueError):
    """Input the formulas cannot compute from (the message says what is wrong, in Chinese)."""


# --- single steps -------------------------------------------------------------------------------


def transform(value: float, kind: str = "none") -> float:
    """The value after the transformation for skewed indicators: none, sqrt or log (natural, of 1+x)."""
    if kind in ("", "none", None):
        return value
    if value < 0:
        raise FormulaError(f"变换前的数值不能为负：{value}")
    if kind == "sqrt":
        return math.sqrt(value)
    if kind == "log":
        return math.log1p(value)
    raise FormulaError(f"未知的变换方法：{kind}")


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
        raise FormulaError("标准值必须为正数。")
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
    """The weighted arithmetic or geometric mean of (score, weight) pairs; None when there are none.

    Weights are re-normalised over the pairs given, so a unit is scored on the indicators it has.
    """
    pairs = [(s, w) for s, w in scores if s is not None and w]
    if not pairs:
        return None
    total = sum(w for _, w in pairs)
    if total <= 0:
        raise FormulaError("权重之和必须为正数。")
    if method == "arithmetic":
        return sum(s * w for s, w in pairs) / total
    if method == "geometric":
        if any(s < 0 for s, _ in pairs):
            raise FormulaError("几何平均要求得分非负（z-score 标准化不能与几何平均合用）。")
        if any(s == 0 for s, _ in pairs):
            return 0.0
        return math.exp(sum(w * math.log(s) for s, w in pairs) / total)
    raise FormulaError(f"未知的汇总方法：{method}")


def round_half_up(value: float | None, places: int | None) -> float | None:
    """`value` rounded to `places` decimals, halves away from zero (as published tables round)."""
    if value is None or places is None:
        return value
    q = Decimal(1).scaleb(-places)
    return float(Decimal(repr(value)).quantize(q, rounding=ROUND_HALF_UP))


def group_for(relative: float | None, bands: list[dict]) -> str:
    """The code of the first band whose `above` threshold `relative` (percent) exceeds; the last band else."""
    if relative is None or not bands:
        return ""
    for band in bands:
        above = band.get("above")
        if above is None or relative > above:
            return band["code"]
    return bands[-1]["code"]


# --- frameworks ---------------------------------------------------------------------------------


@dataclass
class Leaf:
    code: str
    weight: float = 1.0
    standard: float | None = None
    direction: str = "higher"
    transform: str = "none"
    name: str = ""


@dataclass
class Node:
    code: str
    name: str = ""
    weight: float = 1.0
    children: list[Node] = field(default_factory=list)
    leaves: list[Leaf] = field(default_factory=list)
    collect: str = ""  # "prefix": take the indicators the data brings directly under this code

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


def parse_reference(text: str | None) -> tuple[str, int] | None:
    """'UNIT:YEAR' -> (unit, year); the unit may contain spaces or colons, the year is after the last one."""
    if not text:
        return None
    unit, sep, year = str(text).rpartition(":")
    if not sep or not unit or not year.strip().isdigit():
        raise FormulaError(f"参照单位应写作“单位:年份”，例如 EU:2016；收到：{text}")
    return unit.strip(), int(year)


def _node_from_spec(spec: dict, method: dict) -> Node:
    node = Node(
        code=str(spec["code"]),
        name=spec.get("name", ""),
        weight=float(spec.get("weight", 1.0)),
        collect=spec.get("collect", ""),
    )
    for child in spec.get("children", []):
        if "children" in child or "collect" in child or child.get("kind") == "node":
            node.children.append(_node_from_spec(child, method))
        else:
            node.leaves.append(
                Leaf(
                    code=str(child["code"]),
                    weight=float(child.get("weight", 1.0)),
                    standard=float(child["standard"]) if child.get("standard") not in (None, "") else None,
                    direction=child.get("direction", "higher"),
                    transform=child.get("transform", method.get("transform", "none")),
                    name=child.get("name", ""),
                )
            )
    return node


def framework_tree(spec: dict, codes_in_data: Iterable[str] = ()) -> Node:
    """The framework's tree with the leaves a `collect` node takes from the data filled in.

    A node with `"collect": "prefix"` takes every indicator code one level below its own code
    (1.1 takes 1.1.1, 1.1.2, ...), so a new edition that brings other indicators under the same dimension
    codes needs new data only.
    """
    method = spec.get("method", {})
    root = Node(code=spec.get("code", "root"), name=spec.get("name", ""))
    for child in spec.get("nodes", []):
        root.children.append(_node_from_spec(child, method))
    codes = sorted(set(codes_in_data), key=_code_sort_key)
    for node in root.walk():
        if node.collect == "prefix":
            pattern = re.compile(re.escape(node.code) + r"\.[^.]+$")
            explicit = {leaf.code for leaf in node.leaves}
            for code in codes:
                if pattern.match(code) and code not in explicit:
                    node.leaves.append(Leaf(code=code, transform=method.get("transform", "none")))
    return root


def _code_sort_key(code: str):
    return [(0, int(p)) if p.isdigit() else (1, p) for p in re.split(r"[.,]", str(code))]


def leaves_of(root: Node) -> list[tuple[Leaf, float, list[str]]]:
    """Every leaf with its overall weight (product of the weights on its path) and its ancestors' codes."""
    out = []

    def visit(node: Node, weight: float, path: list[str]):
        for leaf in node.leaves:
            out.append((leaf, weight * leaf.weight, path + [node.code]))
        for child in node.children:
            visit(child, weight * child.weight, path + [node.code])

    visit(root, 1.0, [])
    return out


@dataclass
class IndexRow:
    unit: str
    year: int
    index: float | None
    relative: float | None  # percent of the reference unit in the same year (for groups)
    group: str
    nodes: dict[str, float | None]
    n_indicators: int


@dataclass
class IndexResult:
    rows: list[IndexRow]
    reference: tuple[str, int] | None
    indicators: list[str]
    node_codes: list[str]
    node_names: dict[str, str]
    warnings: list[str]

    def row(self, unit: str, year: int) -> IndexRow | None:
        for r in self.rows:
            if r.unit == unit and r.year == year:
                return r
        return None


def normalise_all(spec: dict, data: Mapping[Key, float], leaves: list[Leaf]) -> dict[Key, float]:
    """Every (unit, year, code) score after transformation and normalisation, per the framework's method."""
    method = spec.get("method", {})
    norm = method.get("normalise", {})
    kind = norm.get("method", "minmax") if isinstance(norm, dict) else str(norm)
    cap = float(norm.get("cap", 100)) if isinstance(norm, dict) else 100.0
    by_code: dict[str, dict[tuple[str, int], float]] = defaultdict(dict)
    for (unit, year, code), value in data.items():
        if value is None:
            continue
        by_code[code][(unit, year)] = float(value)
    out: dict[Key, float] = {}
    for leaf in leaves:
        values = by_code.get(leaf.code)
        if not values:
            continue
        values = {k: transform(v, leaf.transform) for k, v in values.items()}
        if kind == "minmax":
            scores = minmax(values, direction=leaf.direction)
        elif kind == "zscore":
            scores = zscore(values, direction=leaf.direction)
        elif kind == "ratio":
            if leaf.standard is None:
                raise FormulaError(f"指标 {leaf.code} 没有标准值，无法按标准值比例计分。")
            standard = transform(leaf.standard, leaf.transform)
            scores = {
                k: ratio_to_standard(v, standard, direction=leaf.direction, cap=cap)
                for k, v in values.items()
            }
        elif kind in ("none", ""):
            scores = values
        else:
            raise FormulaError(f"未知的标准化方法：{kind}")
        for (unit, year), score in scores.items():
            out[(unit, year, leaf.code)] = score
    return out


def compute_index(
    spec: dict, data: Mapping[Key, float], *, reference: str | tuple[str, int] | None = None
) -> IndexResult:
    """Run the framework's steps on `data` and score every unit-year that has at least one indicator.

    Guarantees: only indicators the framework names (or collects) are used; each unit is scored on the
    indicators it has; with a reference the index and node scores are relative to it (= 100); groups
    compare each unit with the reference unit in the same year. Raises FormulaError on unusable input.
    """
    method = spec.get("method", {})
    codes_in_data = {code for (_, _, code) in data}
    root = framework_tree(spec, codes_in_data)
    leaf_info = leaves_of(root)
    leaves = [leaf for leaf, _, _ in leaf_info]
    if not leaves:
        raise FormulaError("数据中没有该框架的任何指标。")
    scores = normalise_all(spec, data, leaves)
    if not scores:
        raise FormulaError("数据中没有该框架的任何指标。")
    agg = method.get("aggregate", {})
    agg_method = agg.get("method", "arithmetic")
    over = agg.get("over", "tree")
    units_years = sorted({(u, y) for (u, y, c) in scores})

    inner_nodes = [n for n in root.walk() if n is not root]
    node_codes = [n.code for n in inner_nodes]
    node_names = {n.code: n.name for n in inner_nodes}

    def node_score(node: Node, unit: str, year: int) -> float | None:
        pairs = [(scores.get((unit, year, leaf.code)), leaf.weight) for leaf in node.leaves]
        pairs += [(node_score(child, unit, year), child.weight) for child in node.children]
        return weighted_mean(pairs, agg_method)

    raw: dict[tuple[str, int], tuple[float | None, dict[str, float | None], int]] = {}
    for unit, year in units_years:
        nodes = {n.code: node_score(n, unit, year) for n in inner_nodes}
        if over == "leaves":
            pairs = [(scores.get((unit, year, leaf.code)), w) for leaf, w, _ in leaf_info]
            index = weighted_mean(pairs, agg_method)
        else:
            index = node_score(root, unit, year)
        n = sum(1 for leaf in leaves if (unit, year, leaf.code) in scores)
        raw[(unit, year)] = (index, nodes, n)

    ref = reference if isinstance(reference, tuple) else parse_reference(reference)
    if ref is None:
        ref = parse_reference((method.get("rebase") or {}).get("reference"))
    warnings: list[str] = []
    rebase = bool(method.get("rebase")) or (reference is not None)
    ref_index = ref_nodes = None
    if ref is not None:
        if ref not in raw or raw[ref][0] in (None, 0):
            raise FormulaError("参照单位 {} 在 {} 年没有可用的指数。".format(*ref))
        ref_index, ref_nodes, _ = raw[ref]

    rounding = method.get("rounding", {})
    idx_places, node_places = rounding.get("index"), rounding.get("nodes")
    groups = method.get("groups", {})
    bands = groups.get("bands", [])
    group_unit = groups.get("reference_unit") or (ref[0] if ref else None)

    rows: list[IndexRow] = []
    final: dict[tuple[str, int], float | None] = {}
    for (unit, year), (index, nodes, n) in raw.items():
        if rebase and ref_index:
            index = 100.0 * index / ref_index if index is not None else None
            nodes = {
                c: (100.0 * v / ref_nodes[c] if v is not None and ref_nodes.get(c) else None)
                for c, v in nodes.items()
            }
        final[(unit, year)] = index
        rows.append(
            IndexRow(
                unit=unit,
                year=year,
                index=round_half_up(index, idx_places),
                relative=None,
                group="",
                nodes={c: round_half_up(v, node_places) for c, v in nodes.items()},
                n_indicators=n,
            )
        )
    for row in rows:
        base = final.get((group_unit, row.year)) if group_unit else None
        if row.index is not None and base:
            # Groups compare the published (rounded) figures, as the scoreboard's tables do.
            base_rounded = round_half_up(base, idx_places)
            row.relative = 100.0 * row.index / base_rounded
            row.group = (
                group_for(row.relative, bands)
                if row.unit != group_unit
                else groups.get("reference_group", "")
            )
        elif bands and group_unit:
            warnings.append(f"{row.year} 年没有参照单位 {group_unit} 的指数，无法分组。")
    rows.sort(key=lambda r: (r.year, -(r.index or 0), r.unit))
    return IndexResult(
        rows=rows,
        reference=ref,
        indicators=[leaf.code for leaf in leaves if any(k[2] == leaf.code for k in scores)],
        node_codes=node_codes,
        node_names=node_names,
        warnings=sorted(set(warnings)),
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
        raise FormulaError("计算增长率的起止数值必须为正数。")
    if years <= 0:
        raise FormulaError("年数必须为正整数。")
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
            raise FormulaError(f"弹性系数 {name} 必须在 0 到 1 之间。")
    if output_growth == 0:
        raise FormulaError("产出增长率为零时贡献率无定义。")
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
