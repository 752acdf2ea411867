"""Frameworks as trees and `compute_index`, the composite index from a framework's method (data).

Steps, in COINr's order: denominate -> impute -> treat outliers -> transform -> normalise -> weight ->
aggregate -> rebase on the reference -> groups. Results keep full precision; `published_rounding` (declared by an
edition) gives the published figures beside them.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext, gettext_lazy, gettext_noop

from kechuang.core.messages import Message, encode

from . import methods
from .steps import FormulaError, group_for, listed, round_half_up, transform, weighted_mean

Key = tuple[str, int, str]  # (unit, year, indicator code)


@dataclass
class Leaf:
    code: str
    weight: float = 1.0
    standard: float | None = None
    direction: str = "higher"
    transform: str = "none"
    name: str = ""
    # this indicator's own methods, overriding the framework's ("": the framework's)
    impute: str = ""
    outliers: str = ""
    normalise: str = ""
    # denomination (COINr's Denominate): the value divided by this series of the same unit and year, times
    # `scale` ("": the value as it is); `denominator_name` is what people read
    denominator: str = ""
    scale: float = 1.0
    denominator_name: str = ""


LEAF_METHODS = ("impute", "outliers", "normalise")  # the keys of a leaf's own methods in a spec


@dataclass
class Node:
    code: str
    name: str = ""
    weight: float = 1.0
    children: list[Node] = field(default_factory=list)
    leaves: list[Leaf] = field(default_factory=list)
    collect: str = ""  # "prefix": take the indicators the data brings directly under this code
    aggregate: str = ""  # this node's own aggregation method (else the level's or the framework's)
    # the imputation, outlier treatment and normalisation its indicators take unless they choose their own:
    # this node's choice, else the nearest enclosing node's ({} or "": the framework's)
    methods: dict = field(default_factory=dict)

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


# --- the reference unit, a role ------------------------------------------------------------------


@dataclass(frozen=True)
class Reference:
    """The unit that plays the reference (e.g. the EU), by its role name and the codes data may use."""

    unit: str
    aliases: tuple[str, ...] = ()
    year: int | None = None  # the rebasing year (index = 100 there); None: no rebasing

    def resolve(self, units: Iterable[str]) -> str:
        """The code the data use for the reference; FormulaError when absent or ambiguous."""
        units = set(units)
        names = [self.unit, *self.aliases]
        found = [n for n in dict.fromkeys(names) if n in units]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise FormulaError(
                gettext_lazy("参照单位 {unit} 在数据中有多个代码：{codes}，请只保留一个。"),
                unit=self.unit,
                codes=listed(found),
            )
        raise FormulaError(
            gettext_lazy(
                "数据中没有参照单位 {unit}（可用代码：{codes}）；数据中的单位有：{units}。"
                "请在版本的 reference.aliases 中加上数据使用的代码。"
            ),
            unit=self.unit,
            codes=listed(names),
            units=listed(sorted(units)[:60]),
        )


def parse_reference(text: str | None) -> tuple[str, int] | None:
    """'UNIT:YEAR' -> (unit, year); the unit may contain spaces or colons, the year is after the last one."""
    if not text:
        return None
    unit, sep, year = str(text).rpartition(":")
    if not sep or not unit or not year.strip().isdecimal():
        raise FormulaError(gettext_lazy("参照单位应写作“单位:年份”，例如 EU:2016；收到：{text}"), text=text)
    return unit.strip(), int(year)


def reference_rule(method: dict, override: str | tuple[str, int] | None = None) -> Reference | None:
    """The edition's reference (`reference: {unit, aliases, year}`; older specs: `rebase: "UNIT:YEAR"`).

    An override "UNIT:YEAR" (command line, run form) keeps the edition's aliases when UNIT is the role
    name or one of them.
    """
    declared = method.get("reference")
    rule = None
    if isinstance(declared, dict) and declared.get("unit"):
        year = declared.get("year")
        rule = Reference(
            unit=str(declared["unit"]),
            aliases=tuple(str(a) for a in declared.get("aliases", [])),
            year=int(year) if year not in (None, "") else None,
        )
    elif (method.get("rebase") or {}).get("reference"):
        unit, year = parse_reference(method["rebase"]["reference"])
        rule = Reference(unit=unit, year=year)
    if override:
        unit, year = override if isinstance(override, tuple) else parse_reference(override)
        if rule and unit in (rule.unit, *rule.aliases):
            return Reference(unit=rule.unit, aliases=rule.aliases, year=year)
        return Reference(unit=unit, year=year)
    return rule


def reference_text(method: dict) -> str:
    """The reference as people read it, in the active language: "EU (EU Average, EU27_2020) 2016 = 100",
    "EU（EU Average、EU27_2020） 2016 = 100"; "" when none."""
    rule = reference_rule(method)
    if rule is None:
        return ""
    aliases = gettext("（%(aliases)s）") % {"aliases": str(listed(rule.aliases))} if rule.aliases else ""
    return f"{rule.unit}{aliases}" + (f" {rule.year} = 100" if rule.year else "")


def group_rule(method: dict, reference: Reference | None) -> tuple[Reference | None, str | int]:
    """Which unit groups are relative to, and in which year ("same": each year against that year's)."""
    groups = method.get("groups") or {}
    if not groups.get("bands"):
        return None, "same"
    declared = groups.get("reference")
    if isinstance(declared, dict) and declared.get("unit"):
        rule = Reference(unit=str(declared["unit"]), aliases=tuple(declared.get("aliases", [])))
    elif groups.get("reference_unit"):
        name = str(groups["reference_unit"])
        if reference and name in (reference.unit, *reference.aliases):
            rule = reference
        else:
            rule = Reference(unit=name)
    else:
        rule = reference
    year = groups.get("year", "same")
    return rule, (int(year) if str(year).isdecimal() else "same")


def published_rounding(method: dict) -> dict:
    """The decimals of the edition's published tables ({"index": 3, "nodes": 3}); older specs: `rounding`."""
    return method.get("published_rounding") or method.get("rounding") or {}


# --- frameworks ----------------------------------------------------------------------------------


def _node_from_spec(spec: dict, method: dict, inherited: dict | None = None) -> Node:
    """A node of the tree; `inherited` holds the nearest enclosing level's own methods. Precedence of the
    imputation, outlier treatment and normalisation: the indicator's own > the nearest level's > the
    framework's."""
    here = {**(inherited or {}), **{k: str(spec[k]) for k in LEAF_METHODS if spec.get(k)}}
    node = Node(
        code=str(spec["code"]),
        name=spec.get("name", ""),
        weight=float(spec.get("weight", 1.0)),
        collect=spec.get("collect", ""),
        aggregate=spec.get("aggregate", ""),
        methods=here,
    )
    for child in spec.get("children", []):
        if "children" in child or "collect" in child or child.get("kind") == "node":
            node.children.append(_node_from_spec(child, method, here))
        else:
            node.leaves.append(
                Leaf(
                    code=str(child["code"]),
                    weight=float(child.get("weight", 1.0)),
                    standard=float(child["standard"]) if child.get("standard") not in (None, "") else None,
                    direction=child.get("direction", "higher"),
                    transform=child.get("transform", method.get("transform", "none")),
                    name=child.get("name", ""),
                    **{k: str(child.get(k) or here.get(k) or "") for k in LEAF_METHODS},
                    **_denominator_of(child),
                )
            )
    return node


def _denominator_of(d: dict) -> dict:
    """A leaf's denomination from its spec: `"denominator": code`, `"denominator_scale": number` (default 1)
    and `"denominator_name"`."""
    if not d.get("denominator"):
        return {}
    scale = d.get("denominator_scale")
    return {
        "denominator": str(d["denominator"]),
        "scale": float(scale) if scale not in (None, "") else 1.0,
        "denominator_name": str(d.get("denominator_name") or ""),
    }


def denominator_codes(spec: dict) -> set[str]:
    """The codes of the denominator series a framework divides its indicators by (data it needs, not
    aggregated)."""
    out: set[str] = set()

    def visit(nodes):
        for d in nodes:
            if d.get("denominator"):
                out.add(str(d["denominator"]))
            visit(d.get("children", []))

    visit(spec.get("nodes", []))
    return out


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
                    node.leaves.append(
                        Leaf(code=code, transform=method.get("transform", "none"), **node.methods)
                    )
    return root


def _code_sort_key(code: str):
    return [(0, int(p)) if p.isdecimal() else (1, p) for p in re.split(r"[.,]", str(code))]


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
    index: float | None  # full precision
    relative: float | None  # percent of the group reference (full or published figures, as the edition says)
    group: str
    nodes: dict[str, float | None]  # full precision
    n_indicators: int
    published: float | None = None  # the index as the edition's tables round it (None: no rounding declared)
    published_nodes: dict[str, float | None] = field(default_factory=dict)


@dataclass
class IndexResult:
    rows: list[IndexRow]
    reference: tuple[str, int] | None
    indicators: list[str]
    node_codes: list[str]
    node_names: dict[str, str]
    warnings: list[Message]  # each in the reader's language with str(); stored as core.messages.encode
    steps: dict = field(default_factory=dict)  # what each method step did (imputed, treated, weights)

    def row(self, unit: str, year: int) -> IndexRow | None:
        for r in self.rows:
            if r.unit == unit and r.year == year:
                return r
        return None


def _normalise_kind(method: dict) -> tuple[str, dict]:
    norm = method.get("normalise", {})
    if isinstance(norm, dict):
        return norm.get("method", "minmax"), norm
    return str(norm), {}


def normalise_all(spec: dict, data: Mapping[Key, float], leaves: list[Leaf]) -> dict[Key, float]:
    """Every (unit, year, code) score after transformation and normalisation, per the framework's method."""
    default_kind, norm = _normalise_kind(spec.get("method", {}))
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
        scores = methods.normalise(values, leaf.normalise or default_kind, leaf=leaf, options=norm)
        for (unit, year), score in scores.items():
            out[(unit, year, leaf.code)] = score
    return out


def _prepare(spec: dict, data: Mapping[Key, float], root: Node, leaves: list[Leaf]) -> tuple[dict, dict]:
    """Imputation and outlier treatment, as the method says; returns the data and what was done."""
    method = spec.get("method", {})
    done: dict = {}
    codes = {leaf.code for leaf in leaves}
    rules = {leaf.code: (leaf.denominator, leaf.scale) for leaf in leaves if leaf.denominator}
    if rules:  # first of all (COINr's order): denominate, then impute the gaps it leaves
        needed = codes | {den for den, _ in rules.values()}
        data, gaps = methods.denominate(
            {k: float(v) for k, v in data.items() if v is not None and k[2] in needed}, rules
        )
        done["denominated"] = sum(1 for k in data if k[2] in rules)
        if gaps:
            done["denominator_missing"] = [list(g) for g in gaps]
    data = {k: float(v) for k, v in data.items() if v is not None and k[2] in codes}
    impute = method.get("impute") or "none"
    impute_kind = impute.get("method", "none") if isinstance(impute, dict) else str(impute)
    own_impute = {leaf.code: leaf.impute for leaf in leaves if leaf.impute}
    if impute_kind not in ("", "none") or any(k != "none" for k in own_impute.values()):
        data, filled = methods.impute(data, impute_kind, per_code=own_impute)
        done["imputed"] = len(filled)
    outliers = method.get("outliers") or {}
    default_outliers = outliers.get("method", "none") if outliers else "none"
    treat = {leaf.code: leaf.outliers or default_outliers for leaf in leaves}
    if any(k not in ("", "none") for k in treat.values()):
        options = {k: v for k, v in outliers.items() if k != "method"}
        data, treated = methods.treat_outliers(data, how=treat, **options)
        done["treated"] = treated
    return data, done


def _distinct(notes: list[Message]) -> list[Message]:
    """Each note once, in a fixed order (by msgid, then parameters)."""
    keyed = {json.dumps(encode(n), sort_keys=True, ensure_ascii=False): n for n in notes}
    return [keyed[k] for k in sorted(keyed)]


def denominator_notes(done: dict, leaves: list[Leaf]) -> list[Message]:
    """The run's notes on values left missing for want of their denominator, one per indicator (msgid and
    parameters: stored with the run and read in each reader's language)."""
    by_leaf = {leaf.code: leaf for leaf in leaves}
    gaps: dict[str, list[str]] = defaultdict(list)
    for unit, year, code, _den in done.get("denominator_missing", []):
        gaps[code].append(f"{unit} {year}")
    notes = []
    for code, where in gaps.items():
        leaf = by_leaf.get(code)
        name = (leaf.name if leaf else "") or code
        den = (leaf.denominator_name or leaf.denominator) if leaf else ""
        text = (
            gettext_noop(
                "指标“%(name)s”的分母“%(den)s”缺少 %(n)d 个单位—年份（%(where)s等），这些值按缺失处理，"
                "再按缺失值处理方法填补或不计入。"
            )
            if len(where) > 12
            else gettext_noop(
                "指标“%(name)s”的分母“%(den)s”缺少 %(n)d 个单位—年份（%(where)s），这些值按缺失处理，"
                "再按缺失值处理方法填补或不计入。"
            )
        )
        notes.append(Message(text, name=name, den=den, n=len(where), where=where[:12]))
    return notes


def indicator_values(spec: dict, data: Mapping[Key, float], year: int) -> list[dict]:
    """Each unit's value of each indicator in `year` at every stage: `raw` (as given), `denominator` (the
    series it is divided by, if any), `denominated` (raw / denominator x scale), `prepared` (after
    imputation and outlier treatment) and `score` (normalised); for the run's Excel export."""
    root = framework_tree(spec, {code for (_, _, code) in data})
    leaves = [leaf for leaf, _, _ in leaves_of(root)]
    rules = {leaf.code: (leaf.denominator, leaf.scale) for leaf in leaves if leaf.denominator}
    needed = {leaf.code for leaf in leaves} | {den for den, _ in rules.values()}
    clean = {k: float(v) for k, v in data.items() if v is not None and k[2] in needed}
    denominated, _gaps = methods.denominate(clean, rules)
    prepared, _done = _prepare(spec, data, root, leaves)
    scores = normalise_all(spec, prepared, leaves)
    units = sorted({u for (u, y, _) in prepared if y == year} | {u for (u, y, _) in clean if y == year})
    out = []
    for leaf in leaves:
        for unit in units:
            key = (unit, year, leaf.code)
            if key not in clean and key not in prepared:
                continue
            out.append(
                {
                    "unit": unit,
                    "code": leaf.code,
                    "name": leaf.name,
                    "raw": clean.get(key),
                    "denominator": clean.get((unit, year, leaf.denominator)) if leaf.denominator else None,
                    "denominated": denominated.get(key) if leaf.denominator else clean.get(key),
                    "prepared": prepared.get(key),
                    "score": scores.get(key),
                }
            )
    return out


def compute_index(
    spec: dict, data: Mapping[Key, float], *, reference: str | tuple[str, int] | None = None
) -> IndexResult:
    """Run the framework's steps on `data` and score every unit-year that has at least one indicator.

    Guarantees: only indicators the framework names (or collects) are used; each unit is scored on the
    indicators it has; with a reference the index and node scores are relative to it (= 100) in the
    rebasing year; groups compare each unit with the group reference (its role resolved through the
    edition's aliases) in the same year, or a fixed one; full precision throughout, published figures
    beside. Raises FormulaError on unusable input, including a reference the data do not have.
    """
    method = spec.get("method", {})
    codes_in_data = {code for (_, _, code) in data}
    root = framework_tree(spec, codes_in_data)
    leaves = [leaf for leaf, _, _ in leaves_of(root)]
    if not leaves:
        raise FormulaError(gettext_lazy("数据中没有该框架的任何指标。"))
    data, steps_done = _prepare(spec, data, root, leaves)
    scores = normalise_all(spec, data, leaves)
    if not scores:
        raise FormulaError(gettext_lazy("数据中没有该框架的任何指标。"))
    weights = method.get("weights") or {}
    weights_kind = weights.get("method", "hand") if isinstance(weights, dict) else str(weights)
    if weights_kind not in ("", "hand") or (isinstance(weights, dict) and weights.get("levels")):
        steps_done["weights"] = methods.reweight(
            root,
            scores,
            weights_kind or "hand",
            weights if isinstance(weights, dict) else None,
            method.get("aggregate") or {},
        )
    leaf_info = leaves_of(root)
    agg = method.get("aggregate", {})
    agg_method = agg.get("method", "arithmetic")
    levels = {int(k): v for k, v in (agg.get("levels") or {}).items()}
    over = agg.get("over", "tree")
    units_years = sorted({(u, y) for (u, y, c) in scores})

    inner_nodes = [n for n in root.walk() if n is not root]
    node_codes = [n.code for n in inner_nodes]
    node_names = {n.code: n.name for n in inner_nodes}
    depth = {}
    for n in root.walk():
        for c in n.children:
            depth[c.code] = depth.get(n.code, 0) + 1

    def node_score(node: Node, unit: str, year: int) -> float | None:
        pairs = [(scores.get((unit, year, leaf.code)), leaf.weight) for leaf in node.leaves]
        pairs += [(node_score(child, unit, year), child.weight) for child in node.children]
        how = node.aggregate or levels.get(depth.get(node.code, 0)) or agg_method
        return weighted_mean(pairs, how)

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

    units = {u for u, _ in raw}
    rule = reference_rule(method, reference)
    ref = None
    ref_index = ref_nodes = None
    if rule is not None and rule.year is not None:
        ref = (rule.resolve(units), rule.year)
        if ref not in raw or raw[ref][0] in (None, 0):
            raise FormulaError(
                gettext_lazy("参照单位 {unit} 在 {year} 年没有可用的指数。"), unit=ref[0], year=ref[1]
            )
        ref_index, ref_nodes, _ = raw[ref]

    rounding = published_rounding(method)
    idx_places, node_places = rounding.get("index"), rounding.get("nodes")
    groups = method.get("groups", {}) or {}
    bands = groups.get("bands", [])
    on_published = groups.get("compare") == "published"
    g_rule, g_year = group_rule(method, rule)
    group_unit = g_rule.resolve(units) if g_rule is not None else None
    warnings: list[Message] = denominator_notes(steps_done, leaves)

    rows: list[IndexRow] = []
    for (unit, year), (index, nodes, n) in raw.items():
        if ref_index:
            index = 100.0 * index / ref_index if index is not None else None
            nodes = {
                c: (100.0 * v / ref_nodes[c] if v is not None and ref_nodes.get(c) else None)
                for c, v in nodes.items()
            }
        rows.append(
            IndexRow(
                unit=unit,
                year=year,
                index=index,
                relative=None,
                group="",
                nodes=nodes,
                n_indicators=n,
                published=round_half_up(index, idx_places) if idx_places is not None else None,
                published_nodes=(
                    {c: round_half_up(v, node_places) for c, v in nodes.items()}
                    if node_places is not None
                    else {}
                ),
            )
        )
    by_key = {(r.unit, r.year): r for r in rows}
    for row in rows:
        if not group_unit:
            continue
        base_row = by_key.get((group_unit, row.year if g_year == "same" else g_year))
        if row.index is None or base_row is None or not base_row.index:
            warnings.append(
                Message(
                    gettext_noop("%(year)s 年没有参照单位 %(unit)s 的指数，无法分组。"),
                    year=row.year,
                    unit=group_unit,
                )
            )
            continue
        if on_published and idx_places is not None:
            # the edition compares its published (rounded) figures
            row.relative = (
                100.0 * round_half_up(row.index, idx_places) / round_half_up(base_row.index, idx_places)
            )
        else:
            row.relative = 100.0 * row.index / base_row.index
        row.group = (
            group_for(row.relative, bands) if row.unit != group_unit else groups.get("reference_group", "")
        )
    rows.sort(key=lambda r: (r.year, -(r.index or 0), r.unit))
    return IndexResult(
        rows=rows,
        reference=ref,
        indicators=[leaf.code for leaf in leaves if any(k[2] == leaf.code for k in scores)],
        node_codes=node_codes,
        node_names=node_names,
        warnings=_distinct(warnings),
        steps=steps_done,
    )
