"""The analysis of an index run kept with it: Monte Carlo uncertainty and sensitivity, "what would it take"."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.core.audit import audit_record
from kechuang.core.exceptions import ApplicationError

from .. import permissions
from ..engine import analysis as engine
from ..engine.steps import FormulaError
from ..models import IndexRun
from ._common import _require
from .runs import run_inputs

NOT_ANALYST = "只有科技厅工作人员可以分析指数计算结果。"


def _run_years(run: IndexRun) -> list[int]:
    return sorted({int(r["year"]) for r in run.outputs.get("rows", [])})


def run_analysis(
    *,
    actor,
    run: IndexRun,
    year: int | None = None,
    unit: str = "",
    n: int = 128,
    weight_range: float = 0.25,
    vary: str = "nodes",
    normalisations: list[str] | tuple[str, ...] = (),
    aggregations: list[str] | tuple[str, ...] = (),
    imputations: list[str] | tuple[str, ...] = (),
    outlier_treatments: list[str] | tuple[str, ...] = (),
    weightings: list[str] | tuple[str, ...] = (),
    level_normalisations: list[str] | tuple[str, ...] = (),
    level_aggregations: list | tuple = (),
    target_rank: int | None = None,
    target_value: float | None = None,
    seed: int = 0,
    progress=None,
) -> IndexRun:
    """Monte Carlo uncertainty and sensitivity of the run's ranking in `year`, and for `unit` the smallest
    change of each indicator that brings it to `target_rank` (default: one place up) or, given
    `target_value`, to an index of that value (rebased as the run's results are), computed from the
    run's own spec and inputs and kept in `run.outputs["analysis"]` with every assumption (seeded: the same
    assumptions give the same figures). `level_normalisations` (sub-index codes) draws the normalisation
    of each of those sub-indices' indicators separately among `normalisations`, `level_aggregations`
    (depths: 0 the index, 1 the first-level sub-indices, ...) the aggregation of each of those levels
    separately among `aggregations`, each its own assumption. Refused with a reason when the assumptions
    cannot be computed."""
    _require(permissions.can_analyse_run(actor, run), NOT_ANALYST)
    years = _run_years(run)
    if not years:
        raise ApplicationError(_("该计算没有结果，无法分析。"), code="no_rows")
    year = int(year or years[-1])
    if year not in years:
        raise ApplicationError(_("该计算没有 %(year)s 年的结果。") % {"year": year}, code="no_year")
    data = run_inputs(run)
    steps = [0.0]

    def on_progress(done, total):
        steps[0] = done / max(total, 1)
        if progress:
            progress(done, total)

    try:
        sens = engine.sensitivity(
            run.spec,
            data,
            year=year,
            unit=unit or None,
            n=int(n),
            weight_range=float(weight_range),
            vary=vary,
            normalisations=tuple(normalisations),
            aggregations=tuple(aggregations),
            imputations=tuple(imputations),
            outlier_treatments=tuple(outlier_treatments),
            weightings=tuple(weightings),
            level_normalisations={str(c): tuple(normalisations) for c in level_normalisations},
            level_aggregations={int(d): tuple(aggregations) for d in level_aggregations},
            seed=int(seed),
            progress=on_progress,
        )
        wwit = None
        if unit and target_value is not None:
            rows = engine.what_would_it_take(
                run.spec, data, unit=unit, year=year, target_value=float(target_value)
            )
            wwit = {
                "target_value": float(target_value),
                "rank": sens.nominal_rank[unit],
                "index": rows[0]["index"] if rows else None,
                "rows": rows,
            }
        elif unit:
            rank0 = sens.nominal_rank[unit]
            goal = int(target_rank) if target_rank else max(1, rank0 - 1)
            wwit = {
                "target_rank": goal,
                "rank": rank0,
                "rows": engine.what_would_it_take(run.spec, data, unit=unit, year=year, target_rank=goal),
            }
    except FormulaError as exc:
        raise ApplicationError(exc.as_message(), code="formula_error")
    result = {
        "computed_at": timezone.now().isoformat(),
        "year": year,
        "unit": unit,
        "output": "rank" if unit else "shift",
        "assumptions": sens.assumptions,
        "runs": sens.runs,
        "seconds": sens.seconds,
        "intervals": [
            {
                "unit": u,
                "nominal": sens.nominal_rank[u],
                "p5": sens.interval[u][0],
                "p50": sens.interval[u][1],
                "p95": sens.interval[u][2],
            }
            for u in sorted(sens.units, key=lambda u: (sens.nominal_rank[u], u))
        ],
        "factors": [
            {"factor": f, "first": sens.first_order[f], "total": sens.total[f]} for f in sens.factors
        ],
        "what_would_it_take": wwit,
    }
    with transaction.atomic():
        locked = IndexRun.objects.select_for_update().get(pk=run.pk)
        outputs = dict(locked.outputs)
        before = {"analysis": bool(outputs.get("analysis"))}
        outputs["analysis"] = result
        locked.outputs = outputs
        locked.save(update_fields=["outputs", "updated_at"])
        audit_record(
            actor=actor,
            action="index_run.analyse",
            obj=locked,
            before=before,
            after={"year": year, "unit": unit, "runs": sens.runs, **sens.assumptions},
        )
    run.outputs = locked.outputs
    return run
