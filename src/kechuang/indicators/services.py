"""Every write of the indicators app. Each one checks the actor, validates, saves and audits."""

from __future__ import annotations

import copy
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kechuang.core.audit import audit_record, snapshot
from kechuang.core.excel import ImportReport
from kechuang.core.exceptions import ApplicationError, PermissionDenied
from kechuang.core.services import optimistic_save

from . import formulas, permissions
from .models import Framework, IndexRun, Indicator, Region, Target, Value

INDICATOR_FIELDS = [
    "code",
    "name_zh",
    "name_en",
    "unit",
    "direction",
    "source",
    "notes",
    "aliases",
    "published",
]
TARGET_FIELDS = ["comparator", "value", "note"]
NOT_STAFF = "只有科技厅工作人员可以修改指标数据。"


def _require(ok: bool, message: str = NOT_STAFF) -> None:
    if not ok:
        raise PermissionDenied(message)


def _decimal(value) -> Decimal:
    try:
        d = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        raise ApplicationError(_("数值无效：%(value)s") % {"value": value}, fields={"value": [str(value)]})
    if not d.is_finite():
        raise ApplicationError(_("数值无效：%(value)s") % {"value": value}, fields={"value": [str(value)]})
    return d


def _clean(obj) -> None:
    try:
        obj.full_clean()
    except ValidationError as exc:
        raise ApplicationError(" ".join(exc.messages), code="validation_error", fields=exc.message_dict)


# --- regions -------------------------------------------------------------------------------------


@transaction.atomic
def region_ensure(
    *, actor, code: str, name: str = "", level: str = Region.Level.PROVINCE, region_set: str = "", parent=None
) -> Region:
    """The region with `code`, created (and audited) when it does not exist yet. Existing rows are kept."""
    _require(permissions.can_edit_value(actor) or actor is None or isinstance(actor, str))
    code = (code or "").strip()
    if not code:
        raise ApplicationError(_("地区代码不能为空。"))
    region = Region.objects.filter(code=code).first()
    if region:
        return region
    region = Region(code=code, name=(name or code).strip(), level=level, region_set=region_set, parent=parent)
    _clean(region)
    region.save()
    audit_record(actor=actor, action="region.create", obj=region, after=snapshot(region))
    return region


def _region_get(region) -> Region:
    if isinstance(region, Region):
        return region
    text = str(region or "").strip()
    found = Region.objects.filter(code=text).first() or Region.objects.filter(name=text).first()
    if not found and len(text) >= 2:
        # A report says 甘肃 or 甘肃省; accept a short name when exactly one region starts with it.
        candidates = list(Region.objects.filter(name__startswith=text)[:2])
        found = candidates[0] if len(candidates) == 1 else None
    if not found:
        raise ApplicationError(_("未知的地区：%(region)s") % {"region": text}, code="unknown_region")
    return found


# --- indicators ----------------------------------------------------------------------------------


@transaction.atomic
def indicator_create(*, actor, code: str, name_zh: str, **fields) -> Indicator:
    """A new indicator definition; refuses a duplicate code with a readable message."""
    _require(permissions.can_edit_indicator(actor))
    code = (code or "").strip()
    if Indicator.objects.filter(code=code).exists():
        raise ApplicationError(
            _("指标代码 %(code)s 已存在。") % {"code": code}, code="duplicate", fields={"code": []}
        )
    indicator = Indicator(
        code=code, name_zh=name_zh, **{k: v for k, v in fields.items() if k in INDICATOR_FIELDS}
    )
    _clean(indicator)
    indicator.save()
    audit_record(
        actor=actor, action="indicator.create", obj=indicator, after=snapshot(indicator, INDICATOR_FIELDS)
    )
    return indicator


@transaction.atomic
def indicator_update(
    *, actor, indicator: Indicator, expected_version: int | None = None, reason: str = "", **fields
) -> Indicator:
    """Change an indicator's definition; with `expected_version`, a concurrent edit is refused, not lost."""
    _require(permissions.can_edit_indicator(actor, indicator))
    before = snapshot(indicator, INDICATOR_FIELDS)
    changed = [k for k, v in fields.items() if k in INDICATOR_FIELDS and getattr(indicator, k) != v]
    for k in changed:
        setattr(indicator, k, fields[k])
    _clean(indicator)
    if not changed:
        return indicator
    version = indicator.version if expected_version is None else expected_version
    optimistic_save(obj=indicator, expected_version=version, update_fields=changed)
    after = snapshot(indicator, INDICATOR_FIELDS)
    b, a = (
        {k: before[k] for k in changed},
        {k: after[k] for k in changed},
    )
    audit_record(actor=actor, action="indicator.update", obj=indicator, before=b, after=a, reason=reason)
    return indicator


def _indicator_get(code: str) -> Indicator:
    found = Indicator.objects.filter(code=str(code).strip()).first()
    if not found:
        raise ApplicationError(_("未知的指标代码：%(code)s") % {"code": code}, code="unknown_indicator")
    return found


# --- values --------------------------------------------------------------------------------------


@transaction.atomic
def value_record(
    *,
    actor,
    indicator_code: str,
    region,
    year: int,
    value: Decimal | float,
    source: str = "typed",
    provenance: dict | None = None,
    edition: str = "",
) -> Value:
    """Record one value of an indicator for a region (code or name) and year, creating or replacing it.

    Guarantees: one value per indicator, region, year and edition; a replaced figure is kept in the
    audit trail with its old source; `source` is typed, imported or report (an accepted fact from an
    ingested report, whose provenance names the document, offsets and quote).
    """
    _require(permissions.can_edit_value(actor))
    if source not in Value.Source.values:
        raise ApplicationError(
            _("来源类型无效：%(source)s") % {"source": source}, fields={"source": [source]}
        )
    indicator = _indicator_get(indicator_code)
    reg = _region_get(region)
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ApplicationError(_("年份无效：%(year)s") % {"year": year}, fields={"year": [str(year)]})
    number = _decimal(value)
    existing = (
        Value.objects.select_for_update()
        .filter(indicator=indicator, region=reg, year=year, edition=edition)
        .first()
    )
    user = actor if getattr(actor, "is_authenticated", False) else None
    if existing is None:
        obj = Value(
            indicator=indicator,
            region=reg,
            year=year,
            edition=edition,
            value=number,
            source=source,
            provenance=provenance or {},
            recorded_by=user,
        )
        _clean(obj)
        obj.save()
        audit_record(
            actor=actor,
            action="value.create",
            obj=obj,
            after={"value": number, "source": source, "provenance": obj.provenance},
        )
        return obj
    if existing.value == number and existing.source == source and existing.provenance == (provenance or {}):
        return existing  # the same figure again: nothing changes, nothing to audit
    before = {"value": existing.value, "source": existing.source, "provenance": existing.provenance}
    existing.value, existing.source, existing.provenance, existing.recorded_by = (
        number,
        source,
        provenance or {},
        user,
    )
    _clean(existing)
    existing.save(update_fields=["value", "source", "provenance", "recorded_by", "updated_at"])
    audit_record(
        actor=actor,
        action="value.update",
        obj=existing,
        before=before,
        after={"value": number, "source": source, "provenance": existing.provenance},
    )
    return existing


@transaction.atomic
def value_delete(*, actor, value: Value, reason: str = "") -> None:
    """Remove a wrong value; the audit trail keeps what it was and why it went."""
    _require(permissions.can_edit_value(actor, value))
    audit_record(
        actor=actor,
        action="value.delete",
        obj=value,
        before={"value": value.value, "source": value.source, "year": value.year, "region": value.region_id},
        reason=reason,
    )
    value.delete()


def values_import(
    *,
    actor,
    data: bytes,
    filename: str,
    dry_run: bool = True,
    edition: str = "",
    region_set: str = "",
    publish_new: bool = False,
    unit_aliases: dict[str, str] | None = None,
) -> ImportReport:
    """Import a long table, a wide sheet or an EIS download of values: every bad row is reported with its
    line. `unit_aliases` maps the codes a file uses for a unit (an edition's reference role) to one code.

    A dry run writes nothing. The real import writes only a clean file, in one transaction: regions and
    indicators it does not know are created, values created or replaced; one audit event records the
    import (file, counts) and each value's provenance names the file and line.
    """
    _require(permissions.can_edit_value(actor))
    from .tables import read_records

    parsed = read_records(data, filename, unit_aliases=unit_aliases)
    report = ImportReport(total=len(parsed.records) + len(parsed.errors), dry_run=dry_run)
    report.errors = list(parsed.errors)
    report.notes = list(parsed.notes)  # type: ignore[attr-defined]
    if parsed.layout == "eis" and not edition and parsed.records:
        # an EIS release's last data year is its edition (the 2023 scoreboard runs to 2023)
        edition = f"EIS{max(r.year for r in parsed.records)}"
    if parsed.layout == "eis" and not region_set:
        region_set = "eis"
    existing = set(
        Value.objects.filter(
            indicator__code__in={r.indicator_code for r in parsed.records},
            region__code__in={r.unit_code for r in parsed.records},
            edition=edition,
        ).values_list("indicator__code", "region__code", "year")
    )
    for r in parsed.records:
        if (r.indicator_code, r.unit_code, r.year) in existing:
            report.updated += 1
        else:
            report.created += 1
    if dry_run or report.errors:
        return report
    with transaction.atomic():
        _import_write(actor, parsed, filename, edition, region_set, publish_new)
        audit_record(
            actor=actor,
            action="value.import",
            object_repr=filename[:300],
            after={
                "file": filename,
                "layout": parsed.layout,
                "edition": edition,
                "created": report.created,
                "updated": report.updated,
            },
        )
    report.committed = True
    return report


def _import_write(actor, parsed, filename, edition, region_set, publish_new) -> None:
    level = Region.Level.COUNTRY if parsed.layout == "eis" else Region.Level.PROVINCE
    regions = {r.code: r for r in Region.objects.filter(code__in=parsed.unit_names().keys())}
    for code, name in parsed.unit_names().items():
        if code not in regions:
            lvl = Region.Level.GROUP if code.lower().startswith("eu") and parsed.layout == "eis" else level
            regions[code] = region_ensure(actor=actor, code=code, name=name, level=lvl, region_set=region_set)
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=parsed.indicator_names().keys())}
    for code, name in parsed.indicator_names().items():
        if code not in indicators:
            indicators[code] = indicator_create(
                actor=actor,
                code=code,
                name_zh=name[:200],
                name_en=name[:200] if parsed.layout == "eis" else "",
                source=_("导入自 %(file)s") % {"file": filename},
                published=publish_new,
            )
    current = {
        (v.indicator_id, v.region_id, v.year): v
        for v in Value.objects.filter(
            indicator__in=indicators.values(), region__in=regions.values(), edition=edition
        )
    }
    user = actor if getattr(actor, "is_authenticated", False) else None
    new, changed = [], []
    for r in parsed.records:
        ind, reg = indicators[r.indicator_code], regions[r.unit_code]
        prov = {"file": filename, "line": r.line}
        v = current.get((ind.pk, reg.pk, r.year))
        if v is None:
            new.append(
                Value(
                    indicator=ind,
                    region=reg,
                    year=r.year,
                    edition=edition,
                    value=r.value,
                    source=Value.Source.IMPORTED,
                    provenance=prov,
                    recorded_by=user,
                )
            )
        else:
            v.value, v.source, v.provenance, v.recorded_by = r.value, Value.Source.IMPORTED, prov, user
            changed.append(v)
    Value.objects.bulk_create(new, batch_size=2000)
    Value.objects.bulk_update(changed, ["value", "source", "provenance", "recorded_by"], batch_size=2000)


# --- targets -------------------------------------------------------------------------------------


@transaction.atomic
def target_set(
    *,
    actor,
    indicator_code: str,
    region,
    year: int,
    value,
    comparator: str = ">=",
    note: str = "",
    reason: str = "",
) -> Target:
    """Set the target for an indicator in a region and year (creating it, or changing it, audited)."""
    _require(permissions.can_edit_target(actor))
    if comparator not in Target.Comparator.values:
        raise ApplicationError(_("比较符号只能是 >= 或 <=。"), fields={"comparator": [comparator]})
    indicator, reg, number = _indicator_get(indicator_code), _region_get(region), _decimal(value)
    target = (
        Target.objects.select_for_update().filter(indicator=indicator, region=reg, year=int(year)).first()
    )
    if target is None:
        target = Target(
            indicator=indicator, region=reg, year=int(year), comparator=comparator, value=number, note=note
        )
        _clean(target)
        target.save()
        audit_record(
            actor=actor,
            action="target.create",
            obj=target,
            after=snapshot(target, TARGET_FIELDS + ["year"]),
            reason=reason,
        )
        return target
    return target_update(
        actor=actor, target=target, value=number, comparator=comparator, note=note, reason=reason
    )


@transaction.atomic
def target_update(
    *, actor, target: Target, expected_version: int | None = None, reason: str = "", **fields
) -> Target:
    """Change a target's value, comparator or note; a concurrent edit is refused, not lost."""
    _require(permissions.can_edit_target(actor, target))
    before = snapshot(target, TARGET_FIELDS)
    if "value" in fields:
        fields["value"] = _decimal(fields["value"])
    changed = [k for k, v in fields.items() if k in TARGET_FIELDS and getattr(target, k) != v]
    for k in changed:
        setattr(target, k, fields[k])
    _clean(target)
    if not changed:
        return target
    optimistic_save(
        obj=target,
        expected_version=target.version if expected_version is None else expected_version,
        update_fields=changed,
    )
    after = snapshot(target, TARGET_FIELDS)
    audit_record(
        actor=actor,
        action="target.update",
        obj=target,
        before={k: before[k] for k in changed},
        after={k: after[k] for k in changed},
        reason=reason,
    )
    return target


# --- frameworks ----------------------------------------------------------------------------------


@transaction.atomic
def framework_install(*, actor, spec: dict, replace: bool = False) -> Framework:
    """Store a framework spec (data, e.g. a shipped JSON file) as an editable framework edition.

    An existing edition is kept as staff edited it unless `replace` is given.
    """
    _require(permissions.can_edit_framework(actor) or actor is None or isinstance(actor, str))
    try:
        formulas.framework_tree(spec)
    except (KeyError, TypeError, ValueError) as exc:
        raise ApplicationError(_("框架定义无效：%(error)s") % {"error": exc})
    fw = Framework.objects.filter(code=spec["code"], edition=spec["edition"]).first()
    if fw and not replace:
        return fw
    if fw:
        before = {"spec": fw.spec}
        fw.spec, fw.name = spec, spec.get("name", fw.name)
        fw.version += 1
        fw.save(update_fields=["spec", "name", "version", "updated_at"])
        audit_record(
            actor=actor, action="framework.replace", obj=fw, before=before, after={"edition": fw.edition}
        )
        return fw
    fw = Framework(code=spec["code"], edition=spec["edition"], name=spec.get("name", spec["code"]), spec=spec)
    _clean(fw)
    fw.save()
    audit_record(
        actor=actor, action="framework.create", obj=fw, after={"code": fw.code, "edition": fw.edition}
    )
    return fw


def _find_node(nodes: list, code: str):
    for node in nodes:
        if str(node.get("code")) == code:
            return node
        found = _find_node(node.get("children", []), code)
        if found is not None:
            return found
    return None


@transaction.atomic
def framework_node_update(
    *,
    actor,
    framework: Framework,
    node_code: str,
    expected_version: int,
    weight=None,
    standard=None,
    reason: str = "",
) -> Framework:
    """Change the weight and/or standard value of one node of a framework (audited, optimistic lock)."""
    _require(permissions.can_edit_framework(actor, framework))
    spec = copy.deepcopy(framework.spec)
    node = _find_node(spec.get("nodes", []), node_code)
    if node is None:
        raise ApplicationError(_("框架中没有节点 %(code)s。") % {"code": node_code}, code="unknown_node")
    before, after = {}, {}
    if weight not in (None, ""):
        w = float(_decimal(weight))
        if w < 0:
            raise ApplicationError(_("权重不能为负数。"), fields={"weight": [str(weight)]})
        before["weight"], after["weight"] = node.get("weight", 1), w
        node["weight"] = w
    if standard not in (None, ""):
        s = float(_decimal(standard))
        if s <= 0:
            raise ApplicationError(_("标准值必须为正数。"), fields={"standard": [str(standard)]})
        if "children" in node:
            raise ApplicationError(_("只有三级指标有标准值。"), fields={"standard": [str(standard)]})
        before["standard"], after["standard"] = node.get("standard"), s
        node["standard"] = s
    if not after:
        return framework
    framework.spec = spec
    optimistic_save(obj=framework, expected_version=expected_version, update_fields=["spec"])
    audit_record(
        actor=actor,
        action="framework.node_update",
        obj=framework,
        before={"node": node_code, **before},
        after={"node": node_code, **after},
        reason=reason,
    )
    return framework


# --- index runs ----------------------------------------------------------------------------------


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
        "reference=%s" % (reference or formulas.reference_text(m) or "-"),
        f"published_rounding={formulas.published_rounding(m)}",
    ]
    return "; ".join(parts)


def result_as_dict(result: formulas.IndexResult, bands: list[dict] | None = None) -> dict:
    """An IndexResult as JSON-safe data (what an IndexRun stores and the pages show)."""
    return {
        "reference": list(result.reference) if result.reference else None,
        "indicators": result.indicators,
        "node_codes": result.node_codes,
        "node_names": result.node_names,
        "warnings": result.warnings,
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
    from .selectors import framework_input

    data, edition_used = framework_input(framework=framework, region_set=region_set, edition=value_edition)
    if not data:
        raise ApplicationError(_("没有该框架指标的数据，无法计算。"), code="no_data")
    try:
        result = formulas.compute_index(framework.spec, data, reference=reference or None)
    except formulas.FormulaError as exc:
        raise ApplicationError(str(exc), code="formula_error")
    outputs = result_as_dict(result, framework.spec.get("method", {}).get("groups", {}).get("bands", []))
    units = {r.unit for r in result.rows}
    outputs["unit_names"] = dict(Region.objects.filter(code__in=units).values_list("code", "name"))
    used = set(result.indicators)
    public = not Indicator.objects.filter(code__in=used, published=False).exists()
    run = IndexRun(
        framework=framework,
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
        },
    )
    return run


def run_inputs(run: IndexRun) -> dict[tuple[str, int, str], float]:
    """An index run's stored inputs as engine data (to recompute and compare)."""
    out = {}
    for key, v in run.inputs.items():
        unit, year, code = key.rsplit("|", 2)
        out[(unit, int(year), code)] = float(v)
    return out
