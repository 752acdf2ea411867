"""Analysis of a composite index (after the JRC's COINr): indicator statistics and data availability,
correlations within and across levels, Monte Carlo uncertainty and variance-based sensitivity (Sobol
first-order and total indices, Saltelli/Jansen estimators), and "what would it take".

`Evaluator` is a vectorised copy of `compute_index` over numpy arrays (one row per unit-year, one column
per indicator), so thousands of runs take seconds; it agrees with `compute_index` (tested on the EIS
data). Pure: no database.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from django.utils.translation import gettext_lazy

from . import methods
from .composite import _normalise_kind, _prepare, framework_tree, leaves_of, normalise_all, reference_rule
from .steps import FormulaError, listed, transform

# --- statistics and correlations -------------------------------------------------------------------


def indicator_statistics(data: dict, codes: list[str] | None = None) -> list[dict]:
    """Per indicator: count, availability (share of the unit-years that have any data), min, max, mean,
    sd, skewness, kurtosis and whether COINr's outlier rule (|skew| > 2 and kurtosis > 3.5) flags it."""
    unit_years = {(u, y) for (u, y, _) in data}
    by_code = defaultdict(list)
    for (_u, _y, c), v in data.items():
        if v is not None:
            by_code[c].append(float(v))
    out = []
    for code in codes or sorted(by_code):
        x = np.array(by_code.get(code, []), dtype=float)
        if not len(x):
            out.append({"code": code, "n": 0, "availability": 0.0})
            continue
        skew, kurt = methods.skew_kurtosis(x)
        out.append(
            {
                "code": code,
                "n": int(len(x)),
                "availability": len(x) / len(unit_years) if unit_years else 0.0,
                "min": float(x.min()),
                "max": float(x.max()),
                "mean": float(x.mean()),
                "sd": float(x.std()),
                "skew": skew,
                "kurtosis": kurt,
                "outlier_flag": bool(abs(skew) > 2 and kurt > 3.5),
            }
        )
    return out


def correlations(columns: dict[str, dict]) -> dict:
    """Pearson correlations of named columns ({name: {key: value}}), each pair over the keys both have.
    Returns {"names": [...], "matrix": [[r or None]]}."""
    names = list(columns)
    m = [[None] * len(names) for _ in names]
    for i, a in enumerate(names):
        for j, b in enumerate(names):
            if j < i:
                m[i][j] = m[j][i]
                continue
            keys = [
                k
                for k in columns[a]
                if k in columns[b] and columns[a][k] is not None and columns[b][k] is not None
            ]
            if len(keys) < 3:
                continue
            x = np.array([columns[a][k] for k in keys], dtype=float)
            y = np.array([columns[b][k] for k in keys], dtype=float)
            if x.std() == 0 or y.std() == 0:
                continue
            m[i][j] = float(np.corrcoef(x, y)[0, 1])
    return {"names": names, "matrix": m}


def level_correlations(result, scores: dict, leaf_parent: dict[str, str]) -> list[dict]:
    """Each indicator's correlation with its own node and with the index (across levels), from the
    normalised scores and an IndexResult."""
    index = {(r.unit, r.year): r.index for r in result.rows if r.index is not None}
    nodes = {(r.unit, r.year, c): v for r in result.rows for c, v in r.nodes.items() if v is not None}
    out = []
    for code, parent in leaf_parent.items():
        col = {(u, y): v for (u, y, c), v in scores.items() if c == code}
        par = {(u, y): nodes[(u, y, parent)] for (u, y) in col if (u, y, parent) in nodes}
        pair = correlations({"i": col, "p": par, "x": {k: index[k] for k in col if k in index}})["matrix"]
        out.append({"code": code, "node": parent, "with_node": pair[0][1], "with_index": pair[0][2]})
    return out


# --- the vectorised evaluator ------------------------------------------------------------------------


def _wmean(s: np.ndarray, w: np.ndarray, how: str) -> np.ndarray:
    """Row-wise weighted means of `s` (rows × cols, NaN = missing) with column weights `w`, over the
    columns a row has (as weighted_mean does); NaN when a row has none."""
    w = np.broadcast_to(w, s.shape)
    have = ~np.isnan(s) & (w != 0)
    wt = np.where(have, w, 0.0)
    total = wt.sum(axis=1)
    x = np.where(have, s, 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        if how == "arithmetic":
            out = (wt * x).sum(axis=1) / total
        elif how in ("geometric", "harmonic"):
            if (np.where(have, s, 0.0) < 0).any():
                raise FormulaError(gettext_lazy("几何/调和平均要求得分非负（z-score 标准化不能与之合用）。"))
            zero = (have & (s == 0)).any(axis=1)
            xs = np.where(x == 0, 1.0, x)
            if how == "geometric":
                out = np.exp((wt * np.log(xs)).sum(axis=1) / total)
            else:
                out = total / (wt / xs).sum(axis=1)
            out = np.where(zero, 0.0, out)
        else:
            raise FormulaError(gettext_lazy("未知的汇总方法：{method}"), method=how)
    return np.where(total > 0, out, np.nan)


class Evaluator:
    """The framework's index over arrays, with weights, normalisation and aggregation changeable per run."""

    def __init__(self, spec: dict, data: dict):
        self.spec = spec
        method = spec.get("method", {})
        root = framework_tree(spec, {c for (_, _, c) in data})
        leaves = [leaf for leaf, _, _ in leaves_of(root)]
        if not leaves:
            raise FormulaError(gettext_lazy("数据中没有该框架的任何指标。"))
        data, _done = _prepare(spec, data, root, leaves)
        weights = method.get("weights") or {}
        wkind = weights.get("method", "hand") if isinstance(weights, dict) else str(weights)
        if wkind not in ("", "hand") or (isinstance(weights, dict) and weights.get("levels")):
            methods.reweight(
                root,
                normalise_all(spec, data, leaves),
                wkind or "hand",
                weights if isinstance(weights, dict) else None,
                method.get("aggregate") or {},
            )
        self.root, self.leaves = root, leaves
        self.codes = [leaf.code for leaf in leaves]
        self.raw: dict[str, dict[tuple[str, int], float]] = defaultdict(dict)
        for (u, y, c), v in data.items():
            self.raw[c][(u, y)] = v
        self.keys = sorted({k for c in self.codes for k in self.raw.get(c, {})})
        self.row = {k: i for i, k in enumerate(self.keys)}
        self.kind, self.norm_options = _normalise_kind(method)
        agg = method.get("aggregate", {})
        self.agg = agg.get("method", "arithmetic")
        self.levels = {int(k): v for k, v in (agg.get("levels") or {}).items()}
        self.over = agg.get("over", "tree")
        self.rule = reference_rule(method)
        self._columns: dict[str, np.ndarray] = {}
        self.inner = [n for n in root.walk() if n is not root]
        self.col = {c: i for i, c in enumerate(self.codes)}
        self.node_by_code = {n_.code: n_ for n_ in self.inner}
        self.depth: dict[str, int] = {}
        for n_ in root.walk():
            for c in n_.children:
                self.depth[c.code] = self.depth.get(n_.code, 0) + 1
        # each indicator's path up the tree (itself, then its sub-indices, nearest first) and the
        # normalisation each of those declares itself, to re-resolve the precedence when a level's
        # normalisation is drawn
        self.paths = {leaf.code: [leaf.code, *reversed(path[1:])] for leaf, _w, path in leaves_of(root)}
        self.own_norm: dict[str, str] = {}

        def visit(nodes):
            for d in nodes:
                if d.get("normalise"):
                    self.own_norm[str(d["code"])] = str(d["normalise"])
                visit(d.get("children", []))

        visit(spec.get("nodes", []))
        self._by_code: dict[tuple[str, str], np.ndarray] = {}

    def leaf_kind(self, code: str, kind: str, drawn: dict | None = None) -> str:
        """The normalisation of indicator `code` when the framework's is `kind` and the levels or
        indicators in `drawn` ({code: method}) take the method drawn for them: the nearest of the indicator
        and its sub-indices that is drawn or declares one, else `kind`."""
        if not drawn:
            return self.leaves[self.col[code]].normalise or kind
        for c in self.paths[code]:
            if c in drawn:
                return drawn[c]
            if self.own_norm.get(c):
                return self.own_norm[c]
        return kind

    def column(self, code: str, kind: str, values: dict | None = None, *, exact: bool = False) -> np.ndarray:
        """One indicator's scores by the framework's normalisation `kind` (its own or its level's kept), or
        by `kind` itself when `exact`."""
        leaf = self.leaves[self.col[code]]
        vals = values if values is not None else self.raw.get(code, {})
        out = np.full(len(self.keys), np.nan)
        if vals:
            tv = {k: transform(v, leaf.transform) for k, v in vals.items()}
            own = kind if exact else (leaf.normalise or kind)  # an indicator's own is kept in every run
            for k, s in methods.normalise(tv, own, leaf=leaf, options=self.norm_options).items():
                out[self.row[k]] = s
        return out

    def scores(self, kind: str | None = None, drawn: dict | None = None) -> np.ndarray:
        """The score matrix by the framework's normalisation `kind`, with the levels or indicators of
        `drawn` ({code: method}) normalised by the method drawn for them."""
        kind = kind or self.kind
        if drawn:
            cols = []
            for c in self.codes:
                how = self.leaf_kind(c, kind, drawn)
                if (c, how) not in self._by_code:
                    self._by_code[(c, how)] = self.column(c, how, exact=True)
                cols.append(self._by_code[(c, how)])
            return np.column_stack(cols)
        if kind not in self._columns:
            self._columns[kind] = np.column_stack([self.column(c, kind) for c in self.codes])
        return self._columns[kind]

    def index(
        self,
        *,
        kind=None,
        agg=None,
        mult: dict | None = None,
        scores=None,
        rows=None,
        equal=False,
        drawn: dict | None = None,
        agg_levels: dict | None = None,
    ) -> np.ndarray:
        """The unrebased index of every unit-year (or of `rows`); `mult` multiplies weights by code;
        `equal`: every weight of the tree taken as 1 (equal weights within each sub-index) before `mult`;
        `drawn`: the normalisation of some levels or indicators ({code: method}); `agg_levels`: the
        aggregation of the nodes at some depths ({0: the index, 1: the sub-indices under it, ...}), over
        `agg` (every level) and the framework's."""
        s = (self.scores(kind, drawn) if drawn else self.scores(kind)) if scores is None else scores
        if rows is not None:
            s = s[rows]
        mult = mult or {}
        agg_levels = agg_levels or {}
        depth = self.depth

        def base(obj):
            return 1.0 if equal else obj.weight

        def w(obj):
            return base(obj) * mult.get(obj.code, 1.0)

        if self.over == "leaves":
            eff = []
            for leaf, _w, path in leaves_of(self.root):
                f = w(leaf)
                for code in path[1:]:
                    f *= base(self.node_by_code[code]) * mult.get(code, 1.0)
                eff.append(f)
            return _wmean(s, np.array(eff), agg_levels.get(0) or agg or self.agg)

        def node(n):
            cols = [s[:, self.col[leaf.code]] for leaf in n.leaves] + [node(c) for c in n.children]
            ws = [w(leaf) for leaf in n.leaves] + [w(c) for c in n.children]
            d = depth.get(n.code, 0)
            how = agg_levels.get(d) or agg or n.aggregate or self.levels.get(d) or self.agg
            return _wmean(np.column_stack(cols), np.array(ws, dtype=float), how)

        return node(self.root)

    def rebased(self, index: np.ndarray) -> np.ndarray:
        if self.rule is None or self.rule.year is None:
            return index
        ref = (self.rule.resolve({u for u, _ in self.keys}), self.rule.year)
        return 100.0 * index / index[self.row[ref]]

    def year_rows(self, year: int) -> tuple[list[str], np.ndarray]:
        rows = [i for i, (u, y) in enumerate(self.keys) if y == year]
        if not rows:
            raise FormulaError(gettext_lazy("{year} 年没有数据。"), year=year)
        return [self.keys[i][0] for i in rows], np.array(rows)


def ranks(values: np.ndarray) -> np.ndarray:
    """Competition ranks (1 = highest; ties share the best rank; NaN ranks last)."""
    v = np.where(np.isnan(values), -np.inf, values)
    return 1 + (v[None, :] > v[:, None]).sum(axis=1)


# --- uncertainty and sensitivity -----------------------------------------------------------------------

# the weighting schemes the analysis can draw: the framework's own, equal (every weight 1), PCA and
# correlation-optimised (the framework's method with that scheme)
WEIGHTINGS = ("framework", "equal", "pca", "optimal")


@dataclass
class Sensitivity:
    year: int
    units: list[str]
    nominal_rank: dict[str, int]
    interval: dict[str, tuple[float, float, float]]  # 5th, 50th, 95th percentile of the rank
    factors: list[str]
    first_order: dict[str, float]
    total: dict[str, float]
    output: str  # what the indices are of: the rank of a unit, or the mean absolute rank shift
    n: int
    runs: int
    seconds: float
    assumptions: dict = field(default_factory=dict)


def sensitivity(
    spec: dict,
    data: dict,
    *,
    year: int,
    unit: str | None = None,
    n: int = 256,
    weight_range: float = 0.25,
    vary: str = "nodes",
    normalisations: tuple[str, ...] = (),
    aggregations: tuple[str, ...] = (),
    imputations: tuple[str, ...] = (),
    outlier_treatments: tuple[str, ...] = (),
    weightings: tuple[str, ...] = (),
    level_normalisations: dict | None = None,
    level_aggregations: dict | None = None,
    seed: int = 0,
    progress=None,
) -> Sensitivity:
    """Monte Carlo uncertainty and Sobol sensitivity of the ranking in `year`.

    Assumptions (each a factor, sampled uniformly): every weight of `vary` ("nodes", "leaves" or "all")
    times a factor in [1 - weight_range, 1 + weight_range]; the normalisation among `normalisations` and
    the aggregation among `aggregations`, the framework's imputation among `imputations` (none, group mean,
    previous year), its outlier treatment among `outlier_treatments` (none, winsorise, log) and the weighting
    among `weightings` ("framework": the framework's weights, "equal": every weight 1) when more than one is
    given (one given: used in every run); "pca" and "optimal" (correlation-optimised) are schemes too, the
    framework's method with that scheme at every level. Per level: `level_normalisations` ({node or
    indicator code: methods}) draws the normalisation of the indicators beneath a sub-index (or of one
    indicator) separately, each its own factor, in the precedence of the framework (an indicator's own
    choice beneath a drawn sub-index stays, a drawn indicator wins); `level_aggregations` ({depth:
    methods}, 0 the index, 1 the sub-indices under it, ...) draws the aggregation of the nodes at that
    depth, each its own factor. Otherwise an indicator's or a level's own imputation, outlier treatment and
    normalisation are kept in every run, as in the framework. Saltelli's design (matrices A, B
    and A with column i from B; N (k + 2) runs), first-order indices by Saltelli 2010, total indices by
    Jansen, of the rank of `unit` (or, without a unit, of the mean absolute rank shift from the nominal
    ranking). Rank intervals from the 2N runs of A and B. Seeded: the same arguments give the same result.
    """
    t0 = time.perf_counter()
    ev = Evaluator(spec, data)
    units, rows = ev.year_rows(year)
    if unit is not None and unit not in units:
        raise FormulaError(gettext_lazy("{year} 年没有单位 {unit}。"), year=year, unit=unit)
    level_norms = {str(c): tuple(v) for c, v in (level_normalisations or {}).items() if v}
    level_aggs = {int(d): tuple(v) for d, v in (level_aggregations or {}).items() if v}
    all_norms = set(normalisations).union(*level_norms.values())
    all_aggs = set(aggregations).union(*level_aggs.values())
    if {"zscore"} & all_norms and {"geometric", "harmonic"} & all_aggs:
        raise FormulaError(gettext_lazy("z-score 标准化不能与几何/调和平均组合抽样。"))
    unknown = [c for c in level_norms if c not in ev.node_by_code and c not in ev.col]
    bad = sorted((all_norms - set(methods.NORMALISATIONS)) | (all_aggs - set(methods.AGGREGATIONS)))
    bad += [str(d) for d in level_aggs if d < 0]
    if unknown or bad:
        raise FormulaError(gettext_lazy("未知的抽样选项：{options}"), options=listed(unknown + bad))
    weighted = []
    if vary in ("nodes", "all"):
        weighted += [n_.code for n_ in ev.inner]
    if vary in ("leaves", "all"):
        weighted += ev.codes
    factors = [f"weight:{c}" for c in weighted]
    if len(normalisations) > 1:
        factors.append("normalise")
    if len(aggregations) > 1:
        factors.append("aggregate")
    for name, choices, known in (
        ("impute", imputations, methods.IMPUTATIONS),
        ("outliers", outlier_treatments, methods.OUTLIERS),
        ("weights", weightings, WEIGHTINGS),
    ):
        bad = [c for c in choices if c not in known]
        if bad:
            raise FormulaError(gettext_lazy("未知的抽样选项：{options}"), options=listed(bad))
        if len(choices) > 1:
            factors.append(name)
    level_norm_codes = [c for c, v in level_norms.items() if len(v) > 1]
    level_agg_depths = sorted(d for d, v in level_aggs.items() if len(v) > 1)
    factors += [f"normalise:{c}" for c in level_norm_codes]
    factors += [f"aggregate:{d}" for d in level_agg_depths]
    k = len(factors)
    if k == 0:
        raise FormulaError(gettext_lazy("没有可变的假设。"))
    nominal = ranks(ev.index(rows=rows))
    variants: dict[tuple[str, str, str], Evaluator] = {}

    def evaluator(imp: str | None, out_: str | None, scheme: str | None = None) -> Evaluator:
        """The evaluator over the data imputed and treated the sampled way, weighted by the sampled
        scheme ("pca", "optimal"; the framework's when None)."""
        if scheme in ("framework", "equal"):
            scheme = None
        if imp is None and out_ is None and scheme is None:
            return ev
        key = (imp or "", out_ or "", scheme or "")
        if key not in variants:
            method = dict(spec.get("method", {}))
            if imp is not None:
                method["impute"] = imp
            if out_ is not None:
                method["outliers"] = {**(method.get("outliers") or {}), "method": out_}
            if scheme is not None:
                method["weights"] = {"method": scheme}
            variant = Evaluator({**spec, "method": method}, data)
            if variant.keys != ev.keys:  # imputation fills indicators of unit-years that have data only
                raise FormulaError(gettext_lazy("抽样的缺失值处理改变了单位—年份，无法比较。"))
            variants[key] = variant
        return variants[key]

    def pick(choices, u, j):
        """(the choice the uniform u[j] picks, the next column) when sampled; the one given; or None."""
        if len(choices) > 1:
            return choices[min(int(u[j] * len(choices)), len(choices) - 1)], j + 1
        return (choices[0] if choices else None), j

    def run(u: np.ndarray) -> np.ndarray:
        mult = {c: 1.0 + weight_range * (2.0 * u[i] - 1.0) for i, c in enumerate(weighted)}
        j = len(weighted)
        kind, j = pick(normalisations, u, j)
        agg, j = pick(aggregations, u, j)
        imp, j = pick(imputations, u, j)
        out_, j = pick(outlier_treatments, u, j)
        wts, j = pick(weightings, u, j)
        drawn = {}
        for c in level_norms:
            drawn[c], j = pick(level_norms[c], u, j)
        agg_levels = {}
        for d in sorted(level_aggs):
            agg_levels[d], j = pick(level_aggs[d], u, j)
        e = evaluator(imp, out_, wts)
        return ranks(
            e.index(
                kind=kind,
                agg=agg,
                mult=mult,
                rows=rows,
                equal=wts == "equal",
                drawn=drawn or None,
                agg_levels=agg_levels or None,
            )
        )

    rng = np.random.default_rng(seed)
    a, b = rng.random((n, k)), rng.random((n, k))
    total_runs = n * (k + 2)
    done = 0

    def many(mat):
        nonlocal done
        out = np.array([run(u) for u in mat])
        done += len(mat)
        if progress:
            progress(done, total_runs)
        return out

    ra, rb = many(a), many(b)
    pos = units.index(unit) if unit is not None else None

    def out(r):
        return r[:, pos].astype(float) if pos is not None else np.abs(r - nominal[None, :]).mean(axis=1)

    fa, fb = out(ra), out(rb)
    var = float(np.concatenate([fa, fb]).var())
    first, total = {}, {}
    for i, name in enumerate(factors):
        ab = a.copy()
        ab[:, i] = b[:, i]
        fab = out(many(ab))
        if var == 0:
            first[name] = total[name] = 0.0
        else:
            first[name] = float(np.mean(fb * (fab - fa)) / var)
            total[name] = float(0.5 * np.mean((fa - fab) ** 2) / var)
    both = np.vstack([ra, rb])
    interval = {
        u: tuple(float(np.percentile(both[:, i], p)) for p in (5, 50, 95)) for i, u in enumerate(units)
    }
    return Sensitivity(
        year=year,
        units=units,
        nominal_rank={u: int(nominal[i]) for i, u in enumerate(units)},
        interval=interval,
        factors=factors,
        first_order=first,
        total=total,
        output=f"rank of {unit}" if unit else "mean absolute rank shift",
        n=n,
        runs=total_runs,
        seconds=time.perf_counter() - t0,
        assumptions={
            "weight_range": weight_range,
            "vary": vary,
            "normalisations": list(normalisations),
            "aggregations": list(aggregations),
            "imputations": list(imputations),
            "outlier_treatments": list(outlier_treatments),
            "weightings": list(weightings),
            "level_normalisations": {c: list(v) for c, v in level_norms.items()},
            "level_aggregations": {str(d): list(v) for d, v in level_aggs.items()},
            "seed": seed,
            "n": n,
        },
    )


# --- what would it take ----------------------------------------------------------------------------


def what_would_it_take(
    spec: dict,
    data: dict,
    *,
    unit: str,
    year: int,
    target_rank: int | None = None,
    target_value: float | None = None,
    codes: list[str] | None = None,
    reach: float = 10.0,
    iterations: int = 60,
) -> list[dict]:
    """For each indicator, the smallest change of `unit`'s value in `year` (one indicator at a time, all
    else equal) that brings it to `target_rank` or better, or to an index of `target_value` or more.

    Bisection on the engine (every other unit-year and the normalisation recomputed each time); searched
    up to `reach` times the indicator's range beyond the unit's value (not below 0 for non-negative
    data). `change` is None when the indicator alone cannot get there within that reach.
    """
    if (target_rank is None) == (target_value is None):
        raise FormulaError(gettext_lazy("请给出目标名次或目标指数之一。"))
    ev = Evaluator(spec, data)
    units, rows = ev.year_rows(year)
    if unit not in units:
        raise FormulaError(gettext_lazy("{year} 年没有单位 {unit}。"), year=year, unit=unit)
    pos = units.index(unit)
    base = ev.scores()

    def standing(scores) -> tuple[int, float]:
        idx = ev.rebased(ev.index(scores=scores))
        return int(ranks(idx[rows])[pos]), float(idx[ev.row[(unit, year)]])

    def met(scores) -> bool:
        r, v = standing(scores)
        return r <= target_rank if target_rank is not None else v >= target_value

    rank0, value0 = standing(base)
    out = []
    for code in codes or ev.codes:
        values = ev.raw.get(code, {})
        x0 = values.get((unit, year))
        row = {"code": code, "value": x0, "rank": rank0, "index": value0, "change": None, "new_value": None}
        if x0 is None:
            row["note"] = "no value"
            out.append(row)
            continue
        leaf = ev.leaves[ev.col[code]]
        lo, hi = min(values.values()), max(values.values())
        span = (hi - lo) or abs(x0) or 1.0
        up = leaf.direction != "lower"
        end = x0 + reach * span if up else x0 - reach * span
        if not up and lo >= 0:
            end = max(end, 0.0)

        def with_value(x, code=code, values=values):
            s = base.copy()
            s[:, ev.col[code]] = ev.column(code, ev.kind, {**values, (unit, year): x})
            return s

        if met(base):
            row.update(change=0.0, new_value=x0)
        elif met(with_value(end)):
            a, b = x0, end  # a fails, b meets
            for _ in range(iterations):
                mid = (a + b) / 2
                if met(with_value(mid)):
                    b = mid
                else:
                    a = mid
            row.update(change=b - x0, new_value=b)
        out.append(row)
    return out
