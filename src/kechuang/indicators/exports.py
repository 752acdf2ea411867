"""The indicator pages' Excel downloads: the same rows the pages show, one sheet each."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kechuang.core.excel import xlsx_response

from . import formulas
from .charts import RunYear


def indicators_xlsx(indicators):
    return xlsx_response(
        "indicators.xlsx",
        [_("代码"), _("中文名称"), _("英文名称"), _("单位"), _("方向"), _("来源"), _("公开"), _("数值个数")],
        [
            (
                i.code,
                i.name_zh,
                i.name_en,
                i.unit,
                i.get_direction_display(),
                i.source,
                i.published,
                i.n_values,
            )
            for i in indicators
        ],
        sheet_title="indicators",
    )


def indicator_table_xlsx(indicator, table):
    """An indicator's regions × years table."""
    return xlsx_response(
        f"{indicator.code}-table.xlsx",
        [_("地区代码"), _("地区"), *table.years],
        [(r.code, r.name, *vals) for r, vals in table.rows],
        sheet_title=indicator.code,
    )


def indicator_ranking_xlsx(indicator, year: int, ranked):
    """An indicator's ranking of one year."""
    return xlsx_response(
        f"{indicator.code}-ranking-{year}.xlsx",
        [_("排名"), _("地区代码"), _("地区"), _("数值"), _("来源")],
        [(r["rank"], r["region"].code, r["region"].name, r["value"], r["source"]) for r in ranked],
        sheet_title=str(year),
    )


def targets_xlsx(rows):
    """The targets with their progress (rows as the target list builds them)."""
    return xlsx_response(
        "targets.xlsx",
        [
            _("地区"),
            _("指标"),
            _("目标年份"),
            _("比较"),
            _("目标值"),
            _("最新年份"),
            _("最新值"),
            _("趋势预测"),
            _("进展"),
        ],
        [
            (
                r["item"].target.region.name,
                r["item"].target.indicator.name_zh,
                r["item"].target.year,
                r["item"].target.comparator,
                float(r["item"].target.value),
                r["item"].progress.latest_year,
                r["item"].progress.latest_value,
                formulas.round_half_up(r["item"].progress.projected, 2),
                r["label"],
            )
            for r in rows
        ],
        sheet_title="targets",
    )


def run_xlsx(run, ry: RunYear):
    """An index run's ranking of one year, with every node's value."""
    return xlsx_response(
        f"{run.framework_code}-{ry.year}.xlsx",
        [
            _("排名"),
            _("单位"),
            _("年份"),
            _("指数"),
            _("发布值"),
            _("相对参照%"),
            _("分组"),
            *[f"{c} {ry.names.get(c, '')}" for c in ry.node_codes],
        ],
        [
            (
                i,
                r["unit"],
                r["year"],
                r["index"],  # full precision
                r.get("published"),
                r["relative"],
                r["group"],
                *[r["nodes"].get(c) for c in ry.node_codes],
            )
            for i, r in enumerate(ry.rows, start=1)
        ],
        sheet_title=str(ry.year),
    )
