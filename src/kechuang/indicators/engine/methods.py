"""The method toolbox (after the JRC's COINr): imputation, outlier treatment, normalisation, weights.

Each function is pure; what it did is returned so a run records it (and re-runs identically).

Normalisation (`normalise`), scores of one indicator over all units and years:
    minmax    100 (x - min) / (max - min)
    zscore    (x - mean) / sd (population sd)
    rank      percentile rank 100 (r - 1) / (n - 1), ties share their mean rank
    ratio     100 x / standard, capped (the leaf's standard value)
    target    distance to a target: 100 (x - min) / (target - min), capped at 100 (target: the leaf's
              standard value)
    frontier  distance to the frontier: 100 x / max (the best unit-year = 100)
    none      the values as they are
Lower-is-better indicators are reversed by each method.

Denomination (`denominate`, first of all steps): an indicator divided by a denominator series (population,
GDP, ...) of the same unit and year, times a scale factor.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from django.utils.translation import gettext_lazy

from .steps import FormulaError, minmax, ratio_to_standard, transform, weighted_mean, zscore

NORMALISATIONS = ("minmax", "zscore", "rank", "ratio", "target", "frontier", "none")
AGGREGATIONS = ("arithmetic", "geometric", "harmonic")
IMPUTATIONS = ("none", "group_mean", "previous_year")
OUTLIERS = ("none", "winsorise", "log")
WEIGHTS = ("hand", "equal", "pca", "optimal")


def rank_scores(values: dict, *, direction: str = "higher") -> dict:
    """Percentile ranks 0-100 (the lowest 0, the highest 100; ties share their mean rank)."""
    if not values:
        return {}
    keys = list(values)
    arr = np.array([values[k] for k in keys], dtype=float)
    if direction == "lower":
        arr = -arr
    n = len(arr)
    if n == 1:
        return {keys[0]: 100.0}
    order = arr.argsort(kind="mergesort")
    ranks = np.empty(n)
    ranks[order] = np.arange(1, n + 1, dtype=float)
    for v in np.unique(arr):  # ties: mean rank
        mask = arr == v
        if mask.sum() > 1:
            ranks[mask] = ranks[mask].mean()
    return {k: float(100.0 * (r - 1) / (n - 1)) for k, r in zip(keys, ranks, strict=True)}


def normalise(values: dict, kind: str, *, leaf=None, options: dict | None = None) -> dict:
    """The scores of one indicator's `values` ({key: value}) by method `kind` (see the module doc)."""
    direction = getattr(leaf, "direction", "higher")
    options = options or {}
    if kind == "minmax":
        return minmax(values, direction=direction)
    if kind == "zscore":
        return zscore(values, direction=direction)
    if kind == "rank":
        return rank_scores(values, direction=direction)
    if kind in ("ratio", "target"):
        standard = getattr(leaf, "standard", None)
        if standard is None:
            raise FormulaError(
                gettext_lazy("指标 {code} 没有标准值（目标值），无法按此方法计分。"),
                code=getattr(leaf, "code", ""),
            )
        standard = transform(standard, getattr(leaf, "transform", "none"))
        if kind == "ratio":
            cap = float(options.get("cap", 100))
            return {
                k: ratio_to_standard(v, standard, direction=direction, cap=cap) for k, v in values.items()
            }
        if direction == "lower":
            hi = max(values.values())
            if hi == standard:
                return dict.fromkeys(values, 100.0)
            return {k: max(0.0, min(100.0, 100.0 * (hi - v) / (hi - standard))) for k, v in values.items()}
        lo = min(values.values())
        if standard == lo:
            return dict.fromkeys(values, 100.0)
        return {k: max(0.0, min(100.0, 100.0 * (v - lo) / (standard - lo))) for k, v in values.items()}
    if kind == "frontier":
        if direction == "lower":
            lo = min(values.values())
            if lo <= 0:
                raise FormulaError(gettext_lazy("距前沿的标准化要求“越低越好”的指标取正值。"))
            return {k: 100.0 * lo / v for k, v in values.items()}
        hi = max(values.values())
        if hi <= 0:
            raise FormulaError(gettext_lazy("距前沿的标准化要求最大值为正。"))
        return {k: 100.0 * v / hi for k, v in values.items()}
    if kind in ("none", ""):
        return dict(values)
    raise FormulaError(gettext_lazy("未知的标准化方法：{kind}"), kind=kind)


# --- denomination ----------------------------------------------------------------------------------


def denominate(data: dict, rules: dict[str, tuple[str, float]]) -> tuple[dict, list]:
    """COINr's `Denominate`: each indicator of `rules` ({code: (denominator code, scale)}) divided by its
    denominator series of the same unit and year, times `scale` (1000: per 1,000 inhabitants when the
    denominator is the population in persons). The denominator series are data like any indicator, not
    aggregated.

    A unit-year whose denominator is missing or zero loses that value (it is missing from then on and goes
    through imputation like any gap); returns the data (denominated values in place of the raw ones) and
    those gaps as (unit, year, code, denominator). FormulaError when a denominator has no data at all or a
    scale is not positive.
    """
    if not rules:
        return dict(data), []
    present = {c for (_u, _y, c) in data}
    by_den: dict[str, dict[tuple[str, int], float]] = defaultdict(dict)
    for (u, y, c), v in data.items():
        by_den[c][(u, y)] = v
    for code, (den, scale) in rules.items():
        if den == code:
            raise FormulaError(gettext_lazy("指标 {code} 不能以自身为分母。"), code=code)
        if not float(scale) > 0:
            raise FormulaError(gettext_lazy("指标 {code} 的分母倍数必须为正数。"), code=code)
        if code in present and den not in present:
            raise FormulaError(
                gettext_lazy("指标 {code} 的分母 {den} 没有任何数据，无法计算人均（或单位）值。"),
                code=code,
                den=den,
            )
    out = {}
    gaps = []
    for (u, y, c), v in data.items():
        rule = rules.get(c)
        if rule is None:
            out[(u, y, c)] = v
            continue
        den, scale = rule
        d = by_den[den].get((u, y))
        if d is None or d == 0:
            gaps.append((u, y, c, den))
            continue
        out[(u, y, c)] = float(v) / float(d) * float(scale)
    return out, sorted(gaps)


# --- imputation ------------------------------------------------------------------------------------


def impute(data: dict, kind: str, *, per_code: dict[str, str] | None = None) -> tuple[dict, list]:
    """Fill the gaps of `data` {(unit, year, code): value}; returns the data and the keys filled.

    A gap is an indicator missing in a year the unit has other data. `per_code` ({code: kind}) gives an
    indicator its own method instead of `kind`.
      previous_year  the unit's latest earlier value of that indicator (none earlier: left missing)
      group_mean     the mean of the units that have the indicator in that year
    """
    per_code = per_code or {}
    for k in (kind, *per_code.values()):
        if k not in ("", *IMPUTATIONS):
            raise FormulaError(gettext_lazy("未知的缺失值处理方法：{kind}"), kind=k)
    if kind in ("", "none") and all(k in ("", "none") for k in per_code.values()):
        return dict(data), []
    unit_years = {(u, y) for (u, y, _) in data}
    code_years = defaultdict(list)
    for (_u, y, c), v in data.items():
        code_years[(c, y)].append(v)
    out = dict(data)
    filled = []
    codes = sorted({c for (_, _, c) in data})
    for u, y in sorted(unit_years):
        for c in codes:
            key = (u, y, c)
            how = per_code.get(c) or kind
            if key in data or how in ("", "none"):
                continue
            if how == "previous_year":
                earlier = [(yr, v) for (uu, yr, cc), v in data.items() if uu == u and cc == c and yr < y]
                if not earlier:
                    continue
                out[key] = max(earlier)[1]
            else:
                vals = code_years.get((c, y))
                if not vals:
                    continue
                out[key] = float(np.mean(vals))
            filled.append(key)
    return out, filled


# --- outliers --------------------------------------------------------------------------------------


def skew_kurtosis(x) -> tuple[float, float]:
    """Skewness and excess kurtosis (population moments, as COINr's defaults compare)."""
    x = np.asarray(x, dtype=float)
    m = x.mean()
    m2 = ((x - m) ** 2).mean()
    if m2 == 0:
        return 0.0, 0.0
    return float(((x - m) ** 3).mean() / m2**1.5), float(((x - m) ** 4).mean() / m2**2 - 3.0)


def treat_series(x, *, skew: float = 2.0, kurtosis: float = 3.5, max_points: int = 5):
    """COINr's default outlier treatment of one indicator: while |skew| > `skew` and kurtosis > `kurtosis`
    winsorise the most extreme point on the skewed side (set it to the next value), up to `max_points`;
    if that does not bring it within, undo and log-transform instead (log(x - min + 1), mirrored for a
    negative skew). Returns (values, what was done: "" | "winsorised:N" | "log")."""
    x = np.asarray(x, dtype=float).copy()

    def bad(v):
        s, k = skew_kurtosis(v)
        return abs(s) > skew and k > kurtosis

    if len(x) < 3 or not bad(x):
        return x, ""
    w = x.copy()
    for n in range(1, max_points + 1):
        s, _ = skew_kurtosis(w)
        if s > 0:
            i = int(w.argmax())
            w[i] = np.max(w[w < w[i]]) if (w < w[i]).any() else w[i]
        else:
            i = int(w.argmin())
            w[i] = np.min(w[w > w[i]]) if (w > w[i]).any() else w[i]
        if not bad(w):
            return w, f"winsorised:{n}"
    s, _ = skew_kurtosis(x)
    if s > 0:
        return np.log(x - x.min() + 1.0), "log"
    return -np.log(x.max() - x + 1.0), "log"


def log_series(x):
    """The standalone log treatment of one indicator: ln(x) when every value is positive; otherwise the
    values are first shifted so the smallest becomes 1, ln(x - min + 1) (the smallest then scores 0, and the
    order of the units is kept). Returns (values, "log" | "log-shifted:<shift>")."""
    x = np.asarray(x, dtype=float)
    if len(x) == 0:
        return x, ""
    if x.min() > 0:
        return np.log(x), "log"
    shift = 1.0 - float(x.min())
    return np.log(x + shift), f"log-shifted:{shift:g}"


def treat_outliers(
    data: dict, *, skew: float = 2.0, kurtosis: float = 3.5, max_points: int = 5, only=None, how=None
):
    """The outlier treatment of each indicator over all units and years: `treat_series` (winsorisation by
    skew and kurtosis) on each (each of `only` when given), or per code as `how` ({code: "winsorise" | "log"
    | "none"}) says, `log_series` for "log"; returns the data and {code: what}."""
    if how is not None:
        only = {c for c, k in how.items() if k not in ("", "none")}
    by_code = defaultdict(list)
    for key in sorted(data):
        if only is None or key[2] in only:
            by_code[key[2]].append(key)
    out = dict(data)
    done = {}
    for code, keys in by_code.items():
        if how is not None and how[code] not in ("winsorise", "log"):
            raise FormulaError(gettext_lazy("未知的异常值处理方法：{kind}"), kind=how[code])
        if how is not None and how[code] == "log":
            treated, what = log_series([data[k] for k in keys])
            done[code] = what
            out.update({k: float(v) for k, v in zip(keys, treated, strict=True)})
            continue
        treated, how_ = treat_series(
            [data[k] for k in keys], skew=skew, kurtosis=kurtosis, max_points=int(max_points)
        )
        if how_:
            done[code] = how_
            out.update({k: float(v) for k, v in zip(keys, treated, strict=True)})
    return out, done


# --- weights ---------------------------------------------------------------------------------------


def pca_weights(matrix) -> np.ndarray:
    """Weights from the first principal component of the columns' correlation matrix: loadings squared,
    normalised to sum 1 (rows with a gap are left out; a constant column gets weight 0)."""
    m = np.asarray(matrix, dtype=float)
    m = m[~np.isnan(m).any(axis=1)]
    k = m.shape[1]
    if k == 1:
        return np.ones(1)
    if m.shape[0] < 2:
        raise FormulaError(gettext_lazy("主成分权重至少需要两个完整的观测。"))
    sd = m.std(axis=0)
    live = sd > 0
    z = np.zeros_like(m)
    z[:, live] = (m[:, live] - m[:, live].mean(axis=0)) / sd[live]
    corr = (z.T @ z) / m.shape[0]
    vals, vecs = np.linalg.eigh(corr)
    load = vecs[:, -1] * np.sqrt(max(vals[-1], 0.0))
    w = load**2
    return w / w.sum() if w.sum() > 0 else np.full(k, 1.0 / k)


def _corr_with_index(m: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Pearson correlation of each column of `m` with the weighted arithmetic mean of the columns."""
    index = m @ w / w.sum()
    mc, ic = m - m.mean(axis=0), index - index.mean()
    denom = np.sqrt((mc**2).sum(axis=0) * (ic**2).sum())
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(denom > 0, (mc * ic[:, None]).sum(axis=0) / denom, 0.0)


def optimal_weights(matrix, targets=None) -> tuple[np.ndarray, np.ndarray]:
    """Correlation-optimised weights (COINr's `get_opt_weights`): the weights (sum 1, each ≥ 0) of the
    columns whose weighted arithmetic mean (the index) correlates with every column as equally as possible
    ("balance": least squares of each correlation from their mean) or, given `targets` (one correlation per
    column), as close to the targets as possible (least squares). Rows with a gap are left out. Returns
    (weights, the correlations they give)."""
    from scipy.optimize import minimize

    m = np.asarray(matrix, dtype=float)
    m = m[~np.isnan(m).any(axis=1)]
    k = m.shape[1]
    if k == 1:
        return np.ones(1), np.ones(1)
    if m.shape[0] < 3:
        raise FormulaError(gettext_lazy("相关性优化权重至少需要三个完整的观测。"))
    t = None if targets is None else np.asarray(targets, dtype=float)

    def loss(w):
        c = _corr_with_index(m, np.maximum(w, 0) + 1e-15)
        return float(((c - (c.mean() if t is None else t)) ** 2).sum())

    start = np.full(k, 1.0 / k)
    res = minimize(
        loss,
        start,
        method="SLSQP",
        bounds=[(0.0, 1.0)] * k,
        constraints=[{"type": "eq", "fun": lambda w: w.sum() - 1.0}],
        options={"ftol": 1e-14, "maxiter": 500},
    )
    w = np.maximum(res.x, 0.0)
    w = w / w.sum() if w.sum() > 0 else start
    if loss(start) <= loss(w):  # never worse than equal weights
        w = start
    return w, _corr_with_index(m, w)


def reweight(
    root, scores: dict, kind: str, options: dict | None = None, aggregate: dict | None = None
) -> dict:
    """Set the tree's weights: equal (every leaf and child 1), pca (leaves of each node by `pca_weights`
    over the unit-years; children equal) or optimal (leaves of each node by `optimal_weights`, towards
    `options["targets"]` ({code: correlation}) when given, else balanced; children equal); hand leaves them.

    Per level, `options["levels"]` ({depth: scheme}, depth as in the aggregation's levels: 0 = the members
    of the index, 1 = those of each first-level sub-index, ...) gives the scheme of the members (indicators
    and sub-indices alike) of the nodes at that depth; there pca and optimal weigh sub-indices by their own
    scores (computed bottom-up with the weights already set and the framework's `aggregate`), and hand keeps
    the tree's weights. Levels not named follow `kind` as above.
    Returns {code: weight} as set."""
    options = options or {}
    levels = {int(k): str(v) for k, v in (options.get("levels") or {}).items()}
    for k in (kind, *levels.values()):
        if k not in WEIGHTS:
            raise FormulaError(gettext_lazy("未知的权重方法：{kind}"), kind=k)
    targets = options.get("targets") or {}
    aggregate = aggregate or {}
    agg_method = aggregate.get("method", "arithmetic")
    agg_levels = {int(k): v for k, v in (aggregate.get("levels") or {}).items()}
    set_to = {}
    units_years = sorted({(u, y) for (u, y, _) in scores})
    depth = {id(root): 0}
    order = []

    def post(node):
        for child in node.children:
            depth[id(child)] = depth[id(node)] + 1
            post(child)
        order.append(node)

    post(root)
    node_scores: dict[int, list] = {}  # id(node) -> its score per unit-year (computed when needed)

    def score_column(node) -> list:
        if id(node) not in node_scores:
            how = node.aggregate or agg_levels.get(depth[id(node)]) or agg_method
            cols = [[scores.get((u, y, leaf.code)) for u, y in units_years] for leaf in node.leaves]
            cols += [score_column(child) for child in node.children]
            ws = [leaf.weight for leaf in node.leaves] + [child.weight for child in node.children]
            node_scores[id(node)] = [
                weighted_mean(list(zip([c[i] for c in cols], ws, strict=True)), how)
                for i in range(len(units_years))
            ]
        return node_scores[id(node)]

    def scheme_weights(scheme: str, members: list, columns) -> list[float]:
        if scheme == "equal" or len(members) == 1:
            return [1.0] * len(members)
        m = [[np.nan if c[i] is None else c[i] for c in columns()] for i in range(len(units_years))]
        if scheme == "optimal":
            t = [targets.get(x.code) for x in members]
            t = None if all(x is None for x in t) else [1.0 if x is None else float(x) for x in t]
            return list(optimal_weights(m, t)[0])
        return list(pca_weights(m))

    def leaf_columns(node):
        return lambda: [[scores.get((u, y, leaf.code)) for u, y in units_years] for leaf in node.leaves]

    for node in order if levels else list(root.walk()):  # with levels, children before their parents
        explicit = levels.get(depth[id(node)])
        if explicit is None:  # the framework's scheme: leaves by it, sub-indices equal
            if kind == "hand":
                continue
            for child in node.children:
                child.weight = 1.0
                set_to[child.code] = 1.0
            if not node.leaves:
                continue
            ws = scheme_weights(kind, node.leaves, leaf_columns(node))
            members = node.leaves
        elif explicit == "hand":
            members = [*node.leaves, *node.children]
            ws = [x.weight for x in members]
        else:
            members = [*node.leaves, *node.children]
            if not members:
                continue

            def columns(node=node):
                return leaf_columns(node)() + [score_column(child) for child in node.children]

            ws = scheme_weights(explicit, members, columns)
        for member, w in zip(members, ws, strict=True):
            member.weight = float(w)
            set_to[member.code] = float(w)
    return set_to
