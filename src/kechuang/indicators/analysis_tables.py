"""What the analysis page of an index run shows, as plain data: statistics and availability, correlations
within and across levels (heatmaps), rank intervals, sensitivity indices and "what would it take".

Pure functions over the run's stored spec, inputs and outputs and the names given (no database): every
table is in names and words, never codes, and the Excel export writes the same rows."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kechuang.core.lists import listed

from .builder import AGGREGATION_LABELS, IMPUTATION_LABELS, NORMALISATION_LABELS, OUTLIER_LABELS
from .engine import analysis as engine
from .engine.composite import framework_tree
from .engine.steps import FormulaError
from .models import region_names
from .services.runs import run_inputs

VARY_LABELS = {"nodes": _("各级分项的权重"), "leaves": _("各指标的权重"), "all": _("分项和指标的权重")}
WEIGHTING_LABELS = {
    "framework": _("框架的权重"),
    "equal": _("等权（各级每项权重为 1）"),
    "pca": _("主成分权重"),
    "optimal": _("相关性优化权重"),
}
assert set(WEIGHTING_LABELS) == set(engine.WEIGHTINGS)
LEVEL_LABELS = {0: _("综合指数"), 1: _("一级分项"), 2: _("二级分项"), 3: _("三级分项")}


def _r(v):
    """A figure at full precision (the page rounds in its template, the charts in `charts`; the Excel
    export writes it as it is)."""
    return None if v is None else float(v)


def _show(v, places):
    """A figure rounded for a chart (display only)."""
    return None if v is None else round(float(v), places)


class RunAnalysis:
    """The tables and charts of one run's analysis; `names` maps indicator codes to names, `unit_names`
    unit codes to names."""

    def __init__(self, run, names: dict[str, str], unit_names: dict[str, str] | None = None):
        self.run = run
        self.outputs = run.outputs or {}
        self.data = run_inputs(run)
        self.codes = list(self.outputs.get("indicators") or sorted({c for (_u, _y, c) in self.data}))
        self.node_names = {c: n or c for c, n in run.node_names.items()}  # in the page's language
        in_spec = {
            leaf.code: leaf.name
            for node in framework_tree(run.spec, self.codes).walk()
            for leaf in node.leaves
        }
        self.names = {c: names.get(c) or in_spec.get(c) or c for c in self.codes}
        stored = self.outputs.get("unit_names") or {}
        self.unit_names = {**stored, **region_names(stored), **(unit_names or {})}

    def sub_indices(self) -> tuple[list[tuple[str, str]], int]:
        """The run's sub-indices as (code, "level: name") choices, in the tree's order, and the tree's
        depth (the number of levels that aggregate, the index included)."""
        root = framework_tree(self.run.spec, self.codes)
        out, deepest = [], 0

        def visit(node, depth):
            nonlocal deepest
            deepest = max(deepest, depth + 1)
            for child in node.children:
                out.append(
                    (
                        child.code,
                        f"{LEVEL_LABELS.get(depth + 1, depth + 1)}{_('：')}{self.node_names.get(child.code) or child.name or child.code}",
                    )
                )
                visit(child, depth + 1)

        visit(root, 0)
        return out, deepest

    def unit(self, code: str) -> str:
        return self.unit_names.get(code) or code

    def factor(self, factor: str) -> str:
        if factor.startswith("weight:"):
            code = factor.split(":", 1)[1]
            return str(_("权重：%(name)s")) % {
                "name": self.node_names.get(code) or self.names.get(code, code)
            }
        if factor.startswith("normalise:"):
            code = factor.split(":", 1)[1]
            return str(_("标准化方法：%(name)s")) % {
                "name": self.node_names.get(code) or self.names.get(code, code)
            }
        if factor.startswith("aggregate:"):
            depth = int(factor.split(":", 1)[1])
            return str(_("汇总方法：%(level)s")) % {"level": LEVEL_LABELS.get(depth, depth)}
        return str(
            {
                "normalise": _("标准化方法"),
                "aggregate": _("汇总方法"),
                "impute": _("缺失值处理方法"),
                "outliers": _("异常值处理方法"),
                "weights": _("权重方案"),
            }.get(factor, factor)
        )

    # --- statistics ---

    def statistics(self) -> list[dict]:
        rows = []
        for s in engine.indicator_statistics(self.data, self.codes):
            rows.append(
                {
                    "name": self.names[s["code"]],
                    "n": s["n"],
                    "availability": _r(100 * s["availability"]),
                    "min": _r(s.get("min")),
                    "max": _r(s.get("max")),
                    "mean": _r(s.get("mean")),
                    "sd": _r(s.get("sd")),
                    "skew": _r(s.get("skew")),
                    "kurtosis": _r(s.get("kurtosis")),
                    "outlier": _("是") if s.get("outlier_flag") else _("否"),
                }
            )
        return rows

    # --- correlations ---

    def _leaf_parent(self) -> dict[str, str]:
        root = framework_tree(self.run.spec, self.codes)
        out = {}
        for node in root.walk():
            for leaf in node.leaves:
                out[leaf.code] = node.code
        return out

    def _evaluator(self):
        """The run's engine over its inputs; None when it has nothing to compute (an empty run)."""
        if not hasattr(self, "_ev"):
            try:
                self._ev = engine.Evaluator(self.run.spec, self.data) if self.data else None
            except FormulaError:
                self._ev = None
        return self._ev

    def indicator_correlations(self) -> dict:
        """Every pair of indicators (their normalised scores over the unit-years), as a heatmap."""
        ev = self._evaluator()
        if ev is None:
            return self._heatmap([], [])
        scores = ev.scores()
        cols = {
            code: {k: float(scores[i, j]) for i, k in enumerate(ev.keys) if scores[i, j] == scores[i, j]}
            for j, code in enumerate(ev.codes)
            if code in self.names
        }
        corr = engine.correlations(cols)
        return self._heatmap([self.names[c] for c in corr["names"]], corr["matrix"])

    def _level_columns(self) -> dict[str, dict]:
        cols: dict[str, dict] = {}
        for code in self.outputs.get("node_codes", []):
            cols[code] = {
                (r["unit"], r["year"]): r["nodes"].get(code)
                for r in self.outputs.get("rows", [])
                if r["nodes"].get(code) is not None
            }
        cols["__index__"] = {
            (r["unit"], r["year"]): r["index"] for r in self.outputs.get("rows", []) if r["index"] is not None
        }
        return cols

    def level_correlations(self) -> dict:
        """The sub-indices of every level and the index with each other, as a heatmap."""
        corr = engine.correlations(self._level_columns())
        labels = [
            str(_("综合指数")) if c == "__index__" else self.node_names.get(c, c) for c in corr["names"]
        ]
        return self._heatmap(labels, corr["matrix"])

    def cross_level(self) -> list[dict]:
        """Each indicator's correlation with its own sub-index and with the index (across levels)."""
        ev = self._evaluator()
        if ev is None:
            return []
        scores = ev.scores()
        levels = self._level_columns()
        rows = []
        for code, parent in self._leaf_parent().items():
            if code not in ev.col or code not in self.names:
                continue
            j = ev.col[code]
            col = {k: float(scores[i, j]) for i, k in enumerate(ev.keys) if scores[i, j] == scores[i, j]}
            m = engine.correlations({"i": col, "p": levels.get(parent, {}), "x": levels["__index__"]})[
                "matrix"
            ]
            rows.append(
                {
                    "name": self.names[code],
                    "node": self.node_names.get(parent, ""),
                    "with_node": _r(m[0][1]),
                    "with_index": _r(m[0][2]),
                }
            )
        return rows

    @staticmethod
    def _heatmap(labels: list[str], matrix: list[list]) -> dict:
        cells = [
            [j, i, round(v, 3)] for i, row in enumerate(matrix) for j, v in enumerate(row) if v is not None
        ]
        return {"labels": labels, "cells": cells, "matrix": matrix}

    # --- Monte Carlo and what it would take (stored by the analysis job) ---

    @property
    def stored(self) -> dict | None:
        return self.outputs.get("analysis") or None

    def assumptions(self) -> list[tuple[str, str]]:
        a = self.stored
        if not a:
            return []
        ass = a.get("assumptions", {})
        out = [
            (_("年份"), str(a["year"])),
            (
                _("分析对象"),
                str(_("%(unit)s 的排名")) % {"unit": self.unit(a["unit"])}
                if a.get("unit")
                else str(_("全部单位排名的平均变动")),
            ),
            (
                _("权重扰动"),
                f"{VARY_LABELS.get(ass.get('vary'), '')} ±{100 * ass.get('weight_range', 0):.0f}%",
            ),
            (
                _("标准化方法候选"),
                listed(str(NORMALISATION_LABELS.get(k, k)) for k in ass.get("normalisations", []))
                or str(_("不变")),
            ),
            (
                _("汇总方法候选"),
                listed(str(AGGREGATION_LABELS.get(k, k)) for k in ass.get("aggregations", []))
                or str(_("不变")),
            ),
            *[
                (what, listed(str(labels.get(k, k)) for k in ass.get(key, [])) or str(_("不变")))
                for what, key, labels in (
                    (_("缺失值处理候选"), "imputations", IMPUTATION_LABELS),
                    (_("异常值处理候选"), "outlier_treatments", OUTLIER_LABELS),
                    (_("权重方案候选"), "weightings", WEIGHTING_LABELS),
                )
            ],
            *[
                (
                    str(_("单独抽取标准化方法：%(name)s"))
                    % {"name": self.node_names.get(c) or self.names.get(c, c)},
                    listed(str(NORMALISATION_LABELS.get(k, k)) for k in choices),
                )
                for c, choices in (ass.get("level_normalisations") or {}).items()
            ],
            *[
                (
                    str(_("单独抽取汇总方法：%(level)s")) % {"level": LEVEL_LABELS.get(int(d), d)},
                    listed(str(AGGREGATION_LABELS.get(k, k)) for k in choices),
                )
                for d, choices in (ass.get("level_aggregations") or {}).items()
            ],
            *self._target(),
            (_("基础样本量"), str(ass.get("n"))),
            (_("模拟次数"), str(a.get("runs"))),
            (_("随机种子"), str(ass.get("seed"))),
            (_("用时（秒）"), f"{a.get('seconds', 0):.1f}"),
        ]
        return out

    def _target(self) -> list[tuple[str, str]]:
        w = (self.stored or {}).get("what_would_it_take")
        if not w:
            return []
        if w.get("target_value") is not None:
            return [(_("达标目标"), str(_("指数达到 %(value)s")) % {"value": f"{w['target_value']:g}"})]
        return [(_("达标目标"), str(_("第 %(rank)s 名")) % {"rank": w["target_rank"]})]

    def intervals(self) -> list[dict]:
        a = self.stored or {}
        return [
            {
                "unit": self.unit(r["unit"]),
                "nominal": r["nominal"],
                "p5": r["p5"],
                "p50": r["p50"],
                "p95": r["p95"],
                "width": r["p95"] - r["p5"],
            }
            for r in a.get("intervals", [])
        ]

    def factors(self) -> list[dict]:
        a = self.stored or {}
        return [
            {"name": self.factor(f["factor"]), "first": _r(f["first"]), "total": _r(f["total"])}
            for f in a.get("factors", [])
        ]

    def what_would_it_take(self) -> dict | None:
        a = self.stored or {}
        w = a.get("what_would_it_take")
        if not w:
            return None
        rows = []
        for r in w["rows"]:
            value, change = r.get("value"), r.get("change")
            rows.append(
                {
                    "name": self.names.get(r["code"], r["code"]),
                    "value": _r(value),
                    "new_value": _r(r.get("new_value")),
                    "change": _r(change),
                    "percent": _r(100 * change / abs(value)) if change is not None and value else None,
                    "reachable": change is not None,
                }
            )
        rows.sort(key=lambda r: (r["percent"] is None, abs(r["percent"] or 0)))
        return {
            "unit": self.unit(a["unit"]),
            "rank": w["rank"],
            "target_rank": w.get("target_rank"),
            "target_value": w.get("target_value"),
            "index": w.get("index"),
            "rows": rows,
        }

    # --- charts ---

    def charts(self) -> dict:
        stats = self.statistics()
        out = {
            "availability": {
                "names": [s["name"] for s in stats],
                "values": [_show(s["availability"], 1) for s in stats],
            },
            "indicators": self.indicator_correlations(),
            "levels": self.level_correlations(),
        }
        if self.stored:
            iv = self.intervals()
            out["intervals"] = {
                "units": [r["unit"] for r in iv],
                "boxes": [[r["p5"], r["p95"], r["p5"], r["p95"]] for r in iv],
                "median": [r["p50"] for r in iv],
                "nominal": [r["nominal"] for r in iv],
            }
            fs = self.factors()
            out["factors"] = {
                "names": [f["name"] for f in fs],
                "first": [_show(f["first"], 4) for f in fs],
                "total": [_show(f["total"], 4) for f in fs],
            }
            w = self.what_would_it_take()
            if w:
                reach = [r for r in w["rows"] if r["percent"] is not None][:20]
                out["wwit"] = {
                    "names": [r["name"] for r in reach],
                    "percent": [_show(r["percent"], 1) for r in reach],
                }
        for key in ("indicators", "levels"):
            out[key] = {k: v for k, v in out[key].items() if k != "matrix"}
        return out
