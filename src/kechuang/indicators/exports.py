"""The indicator pages' Excel downloads: the same rows the pages show, one sheet each."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kechuang.core.excel import guard_text, xlsx_response
from kechuang.core.units import local_unit

from . import formulas
from .charts import RunYear
from .models import region_names


def indicators_xlsx(indicators):
    """The indicator list as staff keep it: each field with its English form beside it (name, unit, source:
    as stored, a blank English cell where none was given), whatever the reader's language, as the form has
    them."""
    return xlsx_response(
        "indicators.xlsx",
        [
            _("代码"),
            _("中文名称"),
            _("英文名称"),
            _("单位"),
            _("英文单位"),
            _("方向"),
            _("来源"),
            _("英文来源"),
            _("公开"),
            _("数值个数"),
        ],
        [
            (
                i.code,
                i.name_zh,
                i.name_en,
                i.unit,
                i.unit_en,
                i.get_direction_display(),
                i.source,
                i.source_en,
                i.published,
                i.n_values,
            )
            for i in indicators
        ],
        sheet_title=_("指标"),
    )


def indicator_table_xlsx(indicator, table):
    """An indicator's regions × years table: each region by its name in the reader's language; its code in a
    column of its own, headed as such, for a program reading the file."""
    return xlsx_response(
        f"{indicator.code}-table.xlsx",
        [_("地区"), *table.years, _("地区代码")],
        [(r.local_name, *vals, r.code) for r, vals in table.rows],
        sheet_title=indicator.code,
    )


def indicator_ranking_xlsx(indicator, year: int, ranked):
    """An indicator's ranking of one year (the region by name as `indicator_table_xlsx`)."""
    return xlsx_response(
        f"{indicator.code}-ranking-{year}.xlsx",
        [_("排名"), _("地区"), _("数值"), _("来源"), _("地区代码")],
        [(r["rank"], r["region"].local_name, r["value"], r["source"], r["region"].code) for r in ranked],
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
                r["item"].target.region.local_name,
                r["item"].target.indicator.local_name,  # in the reader's language, as the page
                r["item"].target.year,
                r["item"].target.symbol,
                float(r["item"].target.value),
                r["item"].progress.latest_year,
                r["item"].progress.latest_value,
                formulas.round_half_up(r["item"].progress.projected, 2),
                r["label"],
            )
            for r in rows
        ],
        sheet_title=_("目标"),
    )


def run_xlsx(run, ry: RunYear):
    """An index run's ranking of one year, with every node's value; on a second sheet each unit's value of
    each indicator that year raw, its denominator, denominated, after imputation and outlier treatment and
    normalised (full precision); on a third the methods it was computed with in words (the framework's,
    each indicator's own, the reference and groups)."""
    from .builder import leaf_method_items, method_items, setting_items

    method = run.spec.get("method", {})
    # The units by name in the reader's language (the run kept them by region code) and the groups by their
    # labels, as the page shows them; the code in a last column headed as such, for a program.
    names = run.outputs.get("unit_names") or {}
    names = {**names, **region_names(names)}
    ranking = (
        [
            _("排名"),
            _("单位"),
            _("年份"),
            _("指数"),
            _("发布值"),
            _("相对参照%"),
            _("分组"),
            *[f"{c} {ry.names.get(c, '')}" for c in ry.node_codes],
            _("地区代码"),
        ],
        [
            (
                i,
                names.get(r["unit"], r["unit"]),
                r["year"],
                r["index"],  # full precision
                r.get("published"),
                r["relative"],
                ry.bands.get(r["group"], r["group"]) if r["group"] is not None else None,
                *[r["nodes"].get(c) for c in ry.node_codes],
                r["unit"],
            )
            for i, r in enumerate(ry.rows, start=1)
        ],
    )
    methods = (
        [_("项目"), _("方法")],
        method_items(method) + leaf_method_items(run.spec) + setting_items(method),
    )
    from .services import run_inputs

    stages = (
        [
            _("单位"),
            _("年份"),
            _("指标"),
            _("原始值"),
            _("分母"),
            _("除以分母后"),
            _("插补和异常值处理后"),
            _("标准化得分"),
        ],
        [
            (
                names.get(v["unit"], v["unit"]),
                ry.year,
                v["name"] or v["code"],
                v["raw"],
                v["denominator"],
                v["denominated"],
                v["prepared"],
                v["score"],
            )
            for v in formulas.indicator_values(run.spec, run_inputs(run), ry.year)
        ],
    )
    return _workbook_response(
        f"{run.framework_code}-{ry.year}.xlsx",
        [(str(ry.year), *ranking), (_("指标值"), *stages), (_("方法"), *methods)],
    )


def _workbook_response(filename: str, sheets):
    """An Excel download of several sheets: [(title, headers, rows)], header rows bold and frozen."""
    import io
    from urllib.parse import quote

    from django.http import HttpResponse
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    for title, headers, rows in sheets:
        ws = wb.create_sheet(str(title)[:31])
        ws.append([str(h) for h in headers])
        for cell in ws[1]:
            cell.font = Font(bold=True)
            guard_text(cell)  # headers may name indicators
        for row in rows:
            ws.append([v if v is None or isinstance(v, int | float) else str(v) for v in row])
            for cell in ws[ws.max_row]:
                guard_text(cell)  # a name like "=HYPERLINK(…)" stays text
        ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = "attachment; filename*=UTF-8''" + quote(filename)
    return response


def analysis_xlsx(run, an):
    """Every table of a run's analysis page, one sheet each, with Chinese headers (full precision where
    the page rounds)."""
    import io
    from urllib.parse import quote

    from django.http import HttpResponse
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)

    def sheet(title, headers, rows):
        ws = wb.create_sheet(str(title)[:31])
        ws.append([str(h) for h in headers])
        for cell in ws[1]:
            cell.font = Font(bold=True)
            guard_text(cell)  # headers may name indicators
        for row in rows:
            ws.append([v if v is None or isinstance(v, int | float) else str(v) for v in row])
            for cell in ws[ws.max_row]:
                guard_text(cell)  # a name like "=HYPERLINK(…)" stays text
        ws.freeze_panes = "A2"

    sheet(
        _("指标统计"),
        [
            _("指标"),
            _("观测数"),
            _("可得率%"),
            _("最小值"),
            _("最大值"),
            _("均值"),
            _("标准差"),
            _("偏度"),
            _("峰度"),
            _("异常值"),
        ],
        [
            (
                r["name"],
                r["n"],
                r["availability"],
                r["min"],
                r["max"],
                r["mean"],
                r["sd"],
                r["skew"],
                r["kurtosis"],
                r["outlier"],
            )
            for r in an.statistics()
        ],
    )
    for title, hm in (
        (_("指标间相关"), an.indicator_correlations()),
        (_("分项与指数相关"), an.level_correlations()),
    ):
        sheet(
            title,
            ["", *hm["labels"]],
            [(label, *row) for label, row in zip(hm["labels"], hm["matrix"], strict=True)],
        )
    sheet(
        _("跨层级相关"),
        [_("指标"), _("所属分项"), _("与分项的相关"), _("与综合指数的相关")],
        [(r["name"], r["node"], r["with_node"], r["with_index"]) for r in an.cross_level()],
    )
    if an.stored:
        sheet(_("分析假设"), [_("项目"), _("取值")], an.assumptions())
        sheet(
            _("排名区间"),
            [_("单位"), _("名义排名"), _("5%分位"), _("中位数"), _("95%分位"), _("区间宽度")],
            [(r["unit"], r["nominal"], r["p5"], r["p50"], r["p95"], r["width"]) for r in an.intervals()],
        )
        sheet(
            _("敏感性指数"),
            [_("假设"), _("一阶敏感性指数"), _("总敏感性指数")],
            [(f["name"], f["first"], f["total"]) for f in an.factors()],
        )
        w = an.what_would_it_take()
        if w:
            sheet(
                _("达标所需"),
                [_("指标"), _("现值"), _("需达到"), _("变化量"), _("变化%")],
                [(r["name"], r["value"], r["new_value"], r["change"], r["percent"]) for r in w["rows"]],
            )
    out = io.BytesIO()
    wb.save(out)
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = "attachment; filename*=UTF-8''" + quote(
        f"{run.framework_code}-analysis.xlsx"
    )
    return response


def import_template_xlsx(indicators):
    """The long table's template for the import page: the header row the reader takes (tables.COLUMNS), in the
    reader's language, and on a second sheet the indicators held, by code and name, to copy from."""
    import io
    from urllib.parse import quote

    from django.http import HttpResponse
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from kechuang.core.language import english

    from .tables import template_header

    chinese = not english()
    wb = Workbook()
    ws = wb.active
    ws.title = _("数据")
    ws.append(template_header(chinese=chinese))
    for cell in ws[1]:
        cell.font = Font(bold=True)
        ws.column_dimensions[cell.column_letter].width = 16
    ws.freeze_panes = "A2"
    ref = wb.create_sheet(_("指标"))
    ref.append([_("指标代码"), _("指标名称"), _("计量单位")])
    for cell in ref[1]:
        cell.font = Font(bold=True)
    for i in indicators:
        ref.append(
            [
                i.code,
                i.name_zh if chinese else (i.name_en or i.name_zh),
                local_unit(i.unit, i.unit_en, english_page=not chinese),
            ]
        )
        for cell in ref[ref.max_row]:
            guard_text(cell)
    ref.column_dimensions["A"].width = 16
    ref.column_dimensions["B"].width = 48
    out = io.BytesIO()
    wb.save(out)
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(_('指标数据导入模板') + '.xlsx')}"
    return response
