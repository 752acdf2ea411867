"""Indicator values: one by one, deleted with a reason, or imported from a table in one transaction."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kechuang.core.audit import audit_record
from kechuang.core.excel import ImportReport, validation_row_errors
from kechuang.core.exceptions import ApplicationError
from kechuang.core.lists import listed

from .. import eis_names, permissions
from ..models import IMPORTED_FROM, Indicator, Region, Value
from ._common import _clean, _number, _require
from .catalogue import _indicator_get, _region_get, indicator_create, region_ensure


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
    number = _number(value)
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
    from ..tables import read_records

    parsed = read_records(data, filename, unit_aliases=unit_aliases)
    report = ImportReport(total=len(parsed.records) + len(parsed.errors), dry_run=dry_run)
    report.errors = list(parsed.errors)
    report.notes = list(parsed.notes)  # type: ignore[attr-defined]
    # a double holds every figure of up to 15 significant digits exactly; say so of any it cannot
    inexact = [r.line for r in parsed.records if Decimal(repr(float(r.value))) != r.value]
    if inexact:  # never silently
        report.notes.append(
            _(
                "%(n)d 个数值的有效数字超过双精度所能保存的位数（如第 %(lines)s 行），按最接近的双精度数保存；"
                "需要逐位一致时请用“index compute --data”直接从文件计算。"
            )
            % {"n": len(inexact), "lines": listed(str(x) for x in inexact[:5])}
        )
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
    report.errors += _new_catalogue_errors(parsed, region_set)
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


def _new_catalogue_errors(parsed, region_set: str) -> list:
    """The regions and indicators the file would add, each checked by its model on the first line that names
    it (a code or a name longer than it keeps), so that the file is refused row by row, in the reader's
    language and under the column as the file heads it, instead of failing at the write."""
    first: dict[tuple[str, str], object] = {}
    for r in parsed.records:
        first.setdefault(("region", r.unit_code), r)
        first.setdefault(("indicator", r.indicator_code), r)
    codes = {kind: {code for k, code in first if k == kind} for kind in ("region", "indicator")}
    known = {
        "region": set(Region.objects.filter(code__in=codes["region"]).values_list("code", flat=True)),
        "indicator": set(
            Indicator.objects.filter(code__in=codes["indicator"]).values_list("code", flat=True)
        ),
    }
    heads = parsed.columns
    errors = []
    for (kind, code), r in first.items():
        if code in known[kind]:
            continue
        if kind == "region":
            obj = Region(code=code, name=(r.unit_name or code).strip(), region_set=region_set or "")
            columns = {
                "code": heads.get("unit_code", "地区代码"),
                "name": heads.get("unit_name", "地区名称"),
                "region_set": "",
            }
        else:
            obj = Indicator(code=code, name_zh=(r.indicator_name or code)[:200])
            columns = {"code": heads.get("indicator_code", "指标代码")}
        try:
            obj.clean_fields(exclude=[f.name for f in type(obj)._meta.fields if f.name not in columns])
        except ValidationError as exc:
            errors += validation_row_errors(exc, r.line, columns)
    return errors


def _import_write(actor, parsed, filename, edition, region_set, publish_new) -> None:
    level = Region.Level.COUNTRY if parsed.layout == "eis" else Region.Level.PROVINCE
    regions = {r.code: r for r in Region.objects.filter(code__in=parsed.unit_names().keys())}
    for code, name in parsed.unit_names().items():
        if code not in regions:
            lvl = Region.Level.GROUP if code.lower().startswith("eu") and parsed.layout == "eis" else level
            regions[code] = region_ensure(
                actor=actor,
                code=code,
                # an EIS file names countries in English: their Chinese name from the project's table
                name=eis_names.unit_zh(name) if parsed.layout == "eis" else name,
                name_en=name if parsed.layout == "eis" else "",
                level=lvl,
                region_set=region_set,
            )
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=parsed.indicator_names().keys())}
    for code, name in parsed.indicator_names().items():
        if code not in indicators:
            indicators[code] = indicator_create(
                actor=actor,
                code=code,
                name_zh=(eis_names.indicator_zh(name) if parsed.layout == "eis" else name)[:200],
                name_en=name[:200] if parsed.layout == "eis" else "",
                source=IMPORTED_FROM % {"file": filename},
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
                    value=float(r.value),
                    source=Value.Source.IMPORTED,
                    provenance=prov,
                    recorded_by=user,
                )
            )
        else:
            v.value, v.source, v.provenance, v.recorded_by = float(r.value), Value.Source.IMPORTED, prov, user
            changed.append(v)
    Value.objects.bulk_create(new, batch_size=2000)
    Value.objects.bulk_update(changed, ["value", "source", "provenance", "recorded_by"], batch_size=2000)
