"""Index runs: a framework computed over the stored values, with its method and inputs kept."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy

from kechuang.core.audit import audit_record
from kechuang.core.exceptions import ApplicationError
from kechuang.core.messages import encode

from .. import formulas, permissions
from ..models import Framework, IndexRun, Indicator, Region
from ._common import _require


def _stored_reference_text(method: dict) -> str:
    # the stored method line has one form, whatever the language of the page that started the run
    with translation.override(settings.LANGUAGE_CODE):
        return formulas.reference_text(method)


def _method_text(spec: dict, reference: str) -> str:
    m = spec.get("method", {})
    norm = m.get("normalise", {})
    agg = m.get("aggregate", {})
    parts = [
        "transform={}".format(m.get("transform", "none")),
        "normalise=%s" % (norm.get("method") if isinstance(norm, dict) else norm),
        "aggregate={} over {}".format(agg.get("method", "arithmetic"), agg.get("over", "tree")),
        "impute={}".format(m.get("impute", "none")),
        "outliers={}".format(m.get("outliers", "none")),
        "weights={}".format(m.get("weights", "hand")),
        "reference=%s" % (reference or _stored_reference_text(m) or "-"),
        f"published_rounding={formulas.published_rounding(m)}",
    ]
    own = []  # each indicator's own methods (they override the framework's)

    def visit(nodes):
        for d in nodes:
            visit(d.get("children", []))
            chosen = [f"{k}={d[k]}" for k in formulas.LEAF_METHODS if d.get(k)]
            if d.get("denominator"):
                chosen.append(
                    "denominator={}x{:g}".format(d["denominator"], float(d.get("denominator_scale") or 1))
                )
            if chosen:
                own.append("{} {}".format(d.get("code"), ",".join(chosen)))

    visit(spec.get("nodes", []))
    if own:
        parts.append("indicator_methods=" + " | ".join(own))
    return "; ".join(parts)


def result_as_dict(result: formulas.IndexResult, bands: list[dict] | None = None) -> dict:
    """An IndexResult as JSON-safe data (what an IndexRun stores and the pages show)."""
    return {
        "reference": list(result.reference) if result.reference else None,
        "indicators": result.indicators,
        "node_codes": result.node_codes,
        "node_names": result.node_names,
        "warnings": [
            encode(w) for w in result.warnings
        ],  # msgid and parameters: read in the reader's language
        "steps": result.steps,
        "bands": bands or [],
        "rows": [
            {
                "unit": r.unit,
                "year": r.year,
                "index": r.index,
                "published": r.published,
                "relative": r.relative,
                "group": r.group,
                "nodes": r.nodes,
                "n": r.n_indicators,
            }
            for r in result.rows
        ],
    }


@transaction.atomic
def index_run_create(
    *,
    actor,
    framework: Framework,
    reference: str = "",
    region_set: str = "",
    value_edition: str | None = None,
) -> IndexRun:
    """Compute a framework's index from the stored values and keep inputs, spec and outputs together.

    Guarantees: the run can be repeated from its own `spec` and `inputs` (formulas.compute_index gives
    the same `outputs`); a framework that finds no data is refused with a reason, nothing stored.
    """
    _require(permissions.can_run_index(actor, framework))
    from ..selectors import framework_input

    data, edition_used = framework_input(framework=framework, region_set=region_set, edition=value_edition)
    if not data:
        raise ApplicationError(gettext_lazy("没有该框架指标的数据，无法计算。"), code="no_data")
    try:
        result = formulas.compute_index(framework.spec, data, reference=reference or None)
    except formulas.FormulaError as exc:
        raise ApplicationError(exc.as_message(), code="formula_error")
    outputs = result_as_dict(result, framework.spec.get("method", {}).get("groups", {}).get("bands", []))
    units = {r.unit for r in result.rows}
    outputs["unit_names"] = dict(Region.objects.filter(code__in=units).values_list("code", "name"))
    used = set(result.indicators) | formulas.denominator_codes(framework.spec)  # its inputs are shown
    public = not Indicator.objects.filter(code__in=used, published=False).exists()
    from .frameworks import framework_current_version

    run = IndexRun(
        framework=framework,
        framework_version=framework_current_version(framework=framework),
        framework_code=framework.code,
        edition=framework.edition,
        spec=framework.spec,
        method=_method_text(framework.spec, reference),
        reference=reference,
        region_set=region_set,
        value_edition=edition_used,
        public=public,
        inputs={"{}|{}|{}".format(*k): v for k, v in sorted(data.items())},
        outputs=outputs,
        started_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    run.save()
    audit_record(
        actor=actor,
        action="index_run.create",
        obj=run,
        after={
            "framework": framework.code,
            "edition": framework.edition,
            "rows": len(result.rows),
            "reference": reference,
            "framework_version": run.framework_version.number,
        },
    )
    return run


def run_recompute(run: IndexRun) -> dict:
    """The run computed again from its own spec, inputs and reference, as `index_run_create` stores it
    (without the unit names and any analysis): equal, JSON byte for byte, to the run's `outputs`, whatever
    the framework has become since."""
    method = run.spec.get("method", {})
    result = formulas.compute_index(run.spec, run_inputs(run), reference=run.reference or None)
    return result_as_dict(result, method.get("groups", {}).get("bands", []))


def run_inputs(run: IndexRun) -> dict[tuple[str, int, str], float]:
    """An index run's stored inputs as engine data (to recompute and compare)."""
    out = {}
    for key, v in run.inputs.items():
        unit, year, code = key.rsplit("|", 2)
        out[(unit, int(year), code)] = float(v)
    return out
