"""A framework's tree as rows a person edits (an outline: each row a sub-index or an indicator at a level),
back into a spec, and the differences of two specs in words.

Pure: no database, no request. Node codes are kept for existing rows and made up for new ones (people never
type them); an indicator row's code is the indicator's own (chosen from a list by name)."""

from __future__ import annotations

import copy
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from kechuang.core.language import local_name

from .engine.composite import LEAF_METHODS
from .engine.methods import AGGREGATIONS, IMPUTATIONS, NORMALISATIONS, OUTLIERS, WEIGHTS

NORMALISATION_LABELS = {
    "minmax": gettext_lazy("最小—最大值标准化"),
    "zscore": gettext_lazy("标准分数"),
    "rank": gettext_lazy("百分位排名"),
    "ratio": gettext_lazy("与标准值之比"),
    "target": gettext_lazy("距目标值"),
    "frontier": gettext_lazy("距前沿"),
    "none": gettext_lazy("不标准化"),
}
AGGREGATION_LABELS = {
    "arithmetic": gettext_lazy("算术平均"),
    "geometric": gettext_lazy("几何平均"),
    "harmonic": gettext_lazy("调和平均"),
}
IMPUTATION_LABELS = {
    "none": gettext_lazy("不填补"),
    "group_mean": gettext_lazy("同年各单位均值"),
    "previous_year": gettext_lazy("上一年的值"),
}
OUTLIER_LABELS = {
    "none": gettext_lazy("不处理"),
    "winsorise": gettext_lazy("按偏度和峰度缩尾（不足时取对数）"),
    "log": gettext_lazy("取对数（有零或负值时先平移使最小值为 1）"),
}
WEIGHT_LABELS = {
    "hand": gettext_lazy("按设定的权重"),
    "equal": gettext_lazy("等权"),
    "pca": gettext_lazy("主成分"),
    "optimal": gettext_lazy("相关性优化"),
}
TRANSFORM_LABELS = {
    "none": gettext_lazy("不变换"),
    "sqrt": gettext_lazy("平方根"),
    "log": gettext_lazy("对数"),
}
OVER_LABELS = {"tree": gettext_lazy("逐级加权"), "leaves": gettext_lazy("全部指标一次加权")}
DIRECTION_LABELS = {"higher": gettext_lazy("越高越好"), "lower": gettext_lazy("越低越好")}
LEVEL_LABELS = {
    0: gettext_lazy("综合指数"),
    1: gettext_lazy("一级"),
    2: gettext_lazy("二级"),
    3: gettext_lazy("三级"),
}
MAX_DEPTH = 4

assert set(NORMALISATION_LABELS) == set(NORMALISATIONS) and set(AGGREGATION_LABELS) == set(AGGREGATIONS)
assert set(IMPUTATION_LABELS) == set(IMPUTATIONS) and set(WEIGHT_LABELS) == set(WEIGHTS)
assert set(OUTLIER_LABELS) == set(OUTLIERS)


class BuildError(ValueError):
    """Rows that do not make a framework; `problems` says which row and why, in words."""

    def __init__(self, problems: list[str]):
        super().__init__(_("；").join(problems))
        self.problems = problems


@dataclass
class Row:
    depth: int  # 1 = under the index
    name: str = ""  # a sub-index's name (an indicator row shows its indicator's name)
    indicator: str = ""  # the indicator's code: set for an indicator row, "" for a sub-index
    weight: float = 1.0
    standard: float | None = None
    direction: str = ""
    code: str = ""  # an existing sub-index's code ("" for a new one)
    collect: str = ""  # "prefix": the sub-index takes its indicators from the data
    extra: dict | None = None  # other keys of an existing row, kept as they were
    # an indicator's own methods ("": the framework's), as in the engine's Leaf
    impute: str = ""
    outliers: str = ""
    normalise: str = ""
    # an indicator's denomination: the code of the series it is divided by ("" none) and the scale factor
    denominator: str = ""
    denominator_scale: float | None = None


DENOMINATOR_KEYS = ("denominator", "denominator_scale", "denominator_name")


def _is_node(d: dict) -> bool:
    return "children" in d or "collect" in d or d.get("kind") == "node"


def rows_from_spec(spec: dict) -> list[Row]:
    """The spec's tree as outline rows, in order."""
    out: list[Row] = []
    known = {
        "code",
        "name",
        "weight",
        "standard",
        "direction",
        "children",
        "collect",
        *LEAF_METHODS,
        *DENOMINATOR_KEYS,
    }

    def visit(nodes, depth):
        for d in nodes:
            node = _is_node(d)
            out.append(
                Row(
                    depth=depth,
                    name=str(d.get("name", "")),
                    indicator="" if node else str(d["code"]),
                    weight=float(d.get("weight", 1.0)),
                    standard=float(d["standard"]) if d.get("standard") not in (None, "") else None,
                    direction=d.get("direction", "") if not node else "",
                    code=str(d["code"]) if node else "",
                    collect=d.get("collect", ""),
                    extra={k: v for k, v in d.items() if k not in known} or None,
                    **{k: str(d.get(k) or "") for k in LEAF_METHODS},
                    denominator=str(d.get("denominator") or ""),
                    denominator_scale=(
                        float(d["denominator_scale"])
                        if d.get("denominator_scale") not in (None, "")
                        else None
                    ),
                )
            )
            visit(d.get("children", []), depth + 1)

    visit(spec.get("nodes", []), 1)
    return out


def spec_from_rows(
    rows: list[Row], base: dict, method: dict, *, indicator_names: dict[str, str], directions: dict[str, str]
) -> dict:
    """A new spec: `base` (code, edition, name, source, ...) with the tree the rows outline and `method`.

    Each row's parent is the nearest row above it one level up. Refused (BuildError) when a row is deeper
    than the row above allows, an indicator has rows under it, a sub-index has no name or nothing under it,
    an indicator appears twice, or a weight is negative; every problem is named with its row number."""
    problems: list[str] = []
    spec = {k: copy.deepcopy(v) for k, v in base.items() if k not in ("nodes", "method")}
    spec["method"] = method
    stack: list[tuple[int, dict]] = []  # (depth, node dict) of the open sub-indices
    top: list[dict] = []
    seen: dict[str, int] = {}
    used_codes = {r.code for r in rows if r.code}
    if not rows:
        problems.append(_("框架至少要有一个分项。"))
    prev_depth = 0
    prev_leaf = False
    for i, r in enumerate(rows, start=1):
        if r.depth < 1 or r.depth > MAX_DEPTH:
            problems.append(_("第 %(i)s 行：层级应在一级到四级之间。") % {"i": i})
            continue
        if r.depth > prev_depth + 1:
            problems.append(_("第 %(i)s 行：比上一行深了不止一级。") % {"i": i})
        if prev_leaf and r.depth > prev_depth:
            problems.append(_("第 %(i)s 行：指标下面不能再有下级。") % {"i": i - 1})
        if r.weight is None or r.weight < 0:
            problems.append(_("第 %(i)s 行：权重不能为负数或空白。") % {"i": i})
        while stack and stack[-1][0] >= r.depth:
            stack.pop()
        parent = stack[-1][1] if stack else None
        siblings = parent["children"] if parent is not None else top
        d = dict(r.extra or {})
        d["weight"] = float(r.weight or 0)
        # the row's own methods: an indicator's, or a sub-index's default for the indicators beneath it
        for key, labels in (
            ("impute", IMPUTATION_LABELS),
            ("outliers", OUTLIER_LABELS),
            ("normalise", NORMALISATION_LABELS),
        ):
            choice = getattr(r, key) or ""
            if choice and choice not in labels:
                problems.append(_("第 %(i)s 行：方法选择无效：%(value)s") % {"i": i, "value": choice})
            elif choice:
                d[key] = choice
        if r.indicator:
            if r.indicator in seen:
                problems.append(
                    _("第 %(i)s 行：指标“%(name)s”在第 %(j)s 行已经出现。")
                    % {"i": i, "name": indicator_names.get(r.indicator, r.indicator), "j": seen[r.indicator]}
                )
            seen[r.indicator] = i
            d.update(
                code=r.indicator,
                name=indicator_names.get(r.indicator) or r.name,
                direction=r.direction or directions.get(r.indicator, "higher"),
            )
            if r.denominator:
                if r.denominator == r.indicator:
                    problems.append(_("第 %(i)s 行：指标不能以自身为分母。") % {"i": i})
                scale = 1.0 if r.denominator_scale in (None, "") else float(r.denominator_scale)
                if scale <= 0:
                    problems.append(_("第 %(i)s 行：分母的倍数必须为正数。") % {"i": i})
                d.update(
                    denominator=r.denominator,
                    denominator_scale=scale,
                    denominator_name=indicator_names.get(r.denominator) or r.denominator,
                )
            elif r.denominator_scale not in (None, "") and float(r.denominator_scale) != 1:
                problems.append(_("第 %(i)s 行：填了倍数但没有选择分母。") % {"i": i})
            if r.standard not in (None, ""):
                if float(r.standard) <= 0:
                    problems.append(_("第 %(i)s 行：标准值必须为正数。") % {"i": i})
                d["standard"] = float(r.standard)
            if parent is None:
                problems.append(_("第 %(i)s 行：指标必须放在某个分项之下。") % {"i": i})
            siblings.append(d)
            prev_leaf = True
        else:
            if not r.name.strip():
                problems.append(_("第 %(i)s 行：分项要有名称（或选择一个指标）。") % {"i": i})
            if r.denominator:
                problems.append(_("第 %(i)s 行：只有指标可以除以分母，分项不能。") % {"i": i})
            code = r.code
            if not code:
                code = _new_code(parent["code"] if parent else "", len(siblings) + 1, used_codes)
                used_codes.add(code)
            d.update(code=code, name=r.name.strip(), children=[])
            if r.collect:
                d["collect"] = r.collect
            siblings.append(d)
            stack.append((r.depth, d))
            prev_leaf = False
        prev_depth = r.depth

    def empty(nodes):
        for n in nodes:
            if "children" in n:
                if not n["children"] and not n.get("collect"):
                    problems.append(_("分项“%(name)s”下面没有指标。") % {"name": n["name"]})
                empty(n["children"])

    empty(top)
    if problems:
        raise BuildError(problems)

    def tidy(nodes):  # a collecting sub-index with no explicit rows keeps no empty children list
        for n in nodes:
            if "children" in n:
                tidy(n["children"])
                if not n["children"] and n.get("collect"):
                    del n["children"]

    tidy(top)
    spec["nodes"] = top
    return spec


def _new_code(parent: str, n: int, used: set[str]) -> str:
    prefix = f"{parent}." if parent else "N"
    while f"{prefix}{n}" in used:
        n += 1
    return f"{prefix}{n}"


# --- method in words and differences -----------------------------------------------------------------


def method_items(method: dict) -> list[tuple[str, str]]:
    """The method's choices as (what, choice in words), in a fixed order."""
    norm = method.get("normalise") or {}
    norm_kind = norm.get("method", "minmax") if isinstance(norm, dict) else str(norm)
    agg = method.get("aggregate") or {}
    levels = {int(k): v for k, v in (agg.get("levels") or {}).items()}
    impute = method.get("impute") or "none"
    impute = impute.get("method", "none") if isinstance(impute, dict) else str(impute)
    outliers = (method.get("outliers") or {}).get("method", "none")
    weights = method.get("weights") or "hand"
    weight_levels = (
        {int(k): v for k, v in (weights.get("levels") or {}).items()} if isinstance(weights, dict) else {}
    )
    weights = weights.get("method", "hand") if isinstance(weights, dict) else str(weights)

    def label(labels, key):
        return str(labels.get(key, key))

    items = [
        (_("变换"), label(TRANSFORM_LABELS, method.get("transform", "none") or "none")),
        (_("标准化"), label(NORMALISATION_LABELS, norm_kind)),
    ]
    if isinstance(norm, dict) and norm.get("cap") not in (None, ""):
        items.append(
            (_("得分上限"), f"{norm['cap']:g}" if isinstance(norm["cap"], float | int) else str(norm["cap"]))
        )
    items.append((_("汇总"), label(AGGREGATION_LABELS, agg.get("method", "arithmetic"))))
    for depth in sorted(levels):
        items.append(
            (
                _("%(level)s的汇总") % {"level": LEVEL_LABELS.get(depth, depth)},
                label(AGGREGATION_LABELS, levels[depth]),
            )
        )
    items += [
        (_("汇总方式"), label(OVER_LABELS, agg.get("over", "tree"))),
        (_("缺失值"), label(IMPUTATION_LABELS, impute)),
        (_("异常值"), label(OUTLIER_LABELS, outliers)),
        (_("权重方案"), label(WEIGHT_LABELS, weights)),
    ]
    for depth in sorted(weight_levels):
        items.append(
            (
                _("%(level)s汇总时的权重") % {"level": LEVEL_LABELS.get(depth, depth)},
                label(WEIGHT_LABELS, weight_levels[depth]),
            )
        )
    return items


LEAF_METHOD_WHAT = {
    "impute": gettext_lazy("缺失值"),
    "outliers": gettext_lazy("异常值"),
    "normalise": gettext_lazy("标准化"),
}
LEAF_METHOD_LABELS = {
    "impute": IMPUTATION_LABELS,
    "outliers": OUTLIER_LABELS,
    "normalise": NORMALISATION_LABELS,
}


def denominator_words(d: dict) -> str:
    """An indicator's denomination in words ("除以“人口”，再乘以 1000"); "" when it has none."""
    if not d.get("denominator"):
        return ""
    scale = float(d.get("denominator_scale") or 1)
    name = d.get("denominator_name") or d["denominator"]
    words = _("除以“%(name)s”") % {"name": name}
    if scale != 1:
        words += _("，再乘以 %(scale)s") % {"scale": f"{scale:g}"}
    return words


def leaf_method_words(d: dict) -> dict[str, str]:
    """An indicator row's own methods, {what: choice in words}; only those it sets (else the framework's)."""
    out = {
        str(LEAF_METHOD_WHAT[k]): str(LEAF_METHOD_LABELS[k].get(d[k], d[k])) for k in LEAF_METHODS if d.get(k)
    }
    if d.get("denominator"):
        out[str(_("分母"))] = denominator_words(d)
    return out


def leaf_method_items(spec: dict) -> list[tuple[str, str]]:
    """Every sub-index and indicator with methods of its own, in the tree's order: ("分项“name”及其下指标的
    方法" or "指标“name”单独的方法", its choices in words) (shown after `method_items` on the framework and run
    pages and in the run's export). An indicator's own choice wins over its nearest sub-index's, which wins
    over the framework's."""
    out = []

    def visit(nodes):
        for d in nodes:
            words = leaf_method_words(d)
            if words:
                name = str(d.get("name") or d.get("code"))
                what = (
                    _("分项“%(name)s”及其下指标的方法") if _is_node(d) else _("指标“%(name)s”单独的方法")
                ) % {"name": name}
                out.append((what, _("；").join(f"{k}{_('：')}{v}" for k, v in words.items())))
            if _is_node(d):
                visit(d.get("children", []))

    visit(spec.get("nodes", []))
    return out


def _tree_items(spec: dict, names: dict[str, str] | None = None) -> dict[str, tuple[str, dict]]:
    """Every row of the tree by code: (its path of names, {what: value in words}). With `names` ({indicator
    code: name in the reader's language}) the path reads in the reader's language: an indicator by `names`,
    a sub-index by its English name in the spec on English pages; without it, by the spec's Chinese names."""
    out: dict[str, tuple[str, dict]] = {}

    def visit(nodes, path):
        for d in nodes:
            name = str(d.get("name") or "")
            if names is not None:
                if _is_node(d):
                    name = local_name(name, str(d.get("name_en") or ""))
                else:
                    name = names.get(str(d["code"])) or name
            here = [*path, name]
            values = {_("权重"): f"{float(d.get('weight', 1)):g}"}
            if not _is_node(d):
                values[_("标准值")] = (
                    f"{float(d['standard']):g}" if d.get("standard") not in (None, "") else "—"
                )
                values[_("方向")] = str(DIRECTION_LABELS.get(d.get("direction", "higher"), ""))
            values.update(leaf_method_words(d))
            out[str(d["code"])] = (" › ".join(here), values)
            visit(d.get("children", []), here)

    visit(spec.get("nodes", []), [])
    return out


# the English of the performance groups the shipped frameworks name (frameworks/*.json carry it as `label_en`;
# indicators migration 0007 gives it to the frameworks, versions and runs stored before)
BAND_EN = {
    "第一梯队": "First tier",
    "第二梯队": "Second tier",
    "第三梯队": "Third tier",
    "第四梯队": "Fourth tier",
    "创新领先者": "Innovation leaders",
    "强创新者": "Strong innovators",
    "中等创新者": "Moderate innovators",
    "新兴创新者": "Emerging innovators",
    "创新领先地区": "Innovation leader regions",
    "强创新地区": "Strong innovator regions",
    "中等创新地区": "Moderate innovator regions",
    "新兴创新地区": "Emerging innovator regions",
}


def band_label(band: dict) -> str:
    """A performance group's name in the reader's language: its `label_en` on an English page when it has one,
    else its `label` (staff's words), else its code."""
    return local_name(band.get("label") or band.get("code", ""), str(band.get("label_en") or ""))


def setting_items(method: dict, unit_names: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """The reference, the performance groups and the published decimals as (what, setting in words); a unit
    by its name where `unit_names` ({code: name}) knows it ("全国", not "CN")."""
    names = unit_names or {}
    ref = method.get("reference") if isinstance(method.get("reference"), dict) else {}
    if not ref and (method.get("rebase") or {}).get("reference"):
        ref = {"unit": method["rebase"]["reference"]}
    reference = (
        str(pgettext("指数的基准", "无"))
        if not ref.get("unit")
        else str(names.get(ref["unit"], ref["unit"])) + (f" {ref['year']} = 100" if ref.get("year") else "")
    )
    groups = method.get("groups") or {}
    bands = groups.get("bands") or []
    if bands:
        parts = [
            f"{band_label(b)} > {b['above']:g}%" if isinstance(b.get("above"), int | float) else band_label(b)
            for b in bands
        ]
        year = groups.get("year", "same")
        basis = _("同年比较") if not str(year).isdecimal() else _("与 %(y)s 年比较") % {"y": year}
        gref = groups.get("reference") if isinstance(groups.get("reference"), dict) else {}
        unit = gref.get("unit") or groups.get("reference_unit") or ""
        against = _("与%(unit)s比较") % {"unit": names.get(unit, unit)} if unit else ""
        grouping = _("；").join(parts) + _("（") + basis + (f"{_('，')}{against}" if against else "")
        grouping += (f"{_('，')}{_('按发布值')}" if groups.get("compare") == "published" else "") + _("）")
    else:
        grouping = str(_("不分组"))
    rounding = method.get("published_rounding") or method.get("rounding") or {}
    decimals = (
        str(_("综合指数 %(i)s 位，分项 %(n)s 位"))
        % {"i": rounding.get("index", "—"), "n": rounding.get("nodes", "—")}
        if rounding
        else str(_("不舍入"))
    )
    return [(_("参照单位"), reference), (_("绩效分组"), grouping), (_("发布表的小数位"), decimals)]


def spec_diff(
    old: dict | None,
    new: dict,
    unit_names: dict[str, str] | None = None,
    names: dict[str, str] | None = None,
) -> list[dict]:
    """What changed from `old` to `new`, row by row: {"what", "before", "after", "change"} in words
    ("新增", "删除", "修改"); the method first, then the tree. Unchanged rows are left out. `names`: the
    indicators' names in the reader's language by code (`_tree_items`)."""
    old = old or {}
    rows: list[dict] = []

    def items(method: dict) -> dict:
        return dict(method_items(method) + setting_items(method, unit_names))

    before = items(old.get("method", {})) if old else {}
    after = items(new.get("method", {}))
    for what in dict.fromkeys([*before, *after]):
        a, b = before.get(what, "—"), after.get(what, "—")
        if a != b:
            rows.append(
                {
                    "what": str(_("方法：%(what)s") % {"what": what}),
                    "before": a,
                    "after": b,
                    "change": _("修改"),
                }
            )
    t0, t1 = _tree_items(old, names), _tree_items(new, names)
    for code in dict.fromkeys([*t0, *t1]):
        if code not in t1:
            path, vals = t0[code]
            rows.append({"what": path, "before": _words(vals), "after": "—", "change": _("删除")})
        elif code not in t0:
            path, vals = t1[code]
            rows.append({"what": path, "before": "—", "after": _words(vals), "change": _("新增")})
        else:
            (p0, v0), (p1, v1) = t0[code], t1[code]
            if p0 != p1 or v0 != v1:
                changed = [k for k in dict.fromkeys([*v0, *v1]) if v0.get(k) != v1.get(k)]
                rows.append(
                    {
                        "what": p1,
                        "before": (p0 + _("；") if p0 != p1 else "")
                        + _words({k: v0.get(k, "—") for k in changed}),
                        "after": (p1 + _("；") if p0 != p1 else "")
                        + _words({k: v1.get(k, "—") for k in changed}),
                        "change": _("修改"),
                    }
                )
    return rows


def _words(values: dict) -> str:
    return _("，").join(f"{k} {v}" for k, v in values.items())
