"""The long work of ingestion: decoding, repairing, extracting facts and finding mentions (pure, on values),
and the unsaved rows that store its result. Nothing here opens a transaction: the services in documents.py
run the analysis first and write its result in one short transaction (issue #14.6)."""

import functools
import re
from decimal import Decimal

from django.utils.translation import gettext as _

from kechuang.accounts.models import Unit
from kechuang.core import divisions
from kechuang.core.exceptions import ApplicationError
from kechuang.platforms.selectors import platform_names

from .. import parsers
from ..models import Change, Document, Fact, Mention


def _title_of(text: str, filename: str) -> str:
    for line in text.splitlines():
        line = line.strip()
        if line:
            return line[:120]
    return filename or _("未命名报告")


def analyse(
    data: bytes,
    filename: str,
    *,
    year: int | None = None,
    region: str = "",
    registry: dict | None = None,
    skip=(),
):
    """Decode, repair, extract and find mentions: the pure pipeline on one file's bytes (`region`: the
    report's, which decides whose 省科技厅 it writes of).

    Raises ApplicationError (status 400) for a file it cannot read."""
    try:
        decoded = parsers.decode_document(data, filename)
    except parsers.UnsupportedDocument as exc:
        raise ApplicationError(exc.message, code="unsupported_document")
    return decoded, *_analyse_text(decoded.text, year=year, region=region, registry=registry, skip=skip)


def _analyse_text(text: str, *, year, registry, region: str = "", skip=()):
    from ..parsers.entities import find_mentions

    result = parsers.repair(text, skip=skip)
    facts = parsers.extract_facts(result.text, year=year, result=result)
    mentions = find_mentions(result.text, for_report(registry, region, result.text))
    return result, facts, mentions


def report_province(region: str, text: str = "") -> str | None:
    """The province a report is about, as a GB/T 2260 code: the document's region when it names a province or
    one of its cities; when no region is given, the province whose places the text names most (a report of
    甘肃 names 兰州, 天水, 定西), else the department's own; None when the region names no division (a region of the
    indicators' list, an index's reference)."""
    if not (region or "").strip():
        return _province_named_most(text) or divisions.home_code() or None
    code = divisions.resolve(region)
    if code is None:
        city = divisions.resolve_city(region)
        code = city[:2] + "0000" if city else None
    return code


@functools.cache
def _division_table() -> tuple[re.Pattern, dict]:
    """One pattern over every province's and city's Chinese name and short form (two characters or more, a
    name that two divisions share left out), and the province each names."""
    owners: dict[str, set] = {}
    for p in divisions.provinces():
        for n in (p.name_zh, p.short_zh):
            owners.setdefault(n, set()).add(p.code)
    for c in divisions.cities():
        for n in (c.name_zh, c.short_zh):
            owners.setdefault(n, set()).add(c.province_code)
    names = {n: next(iter(codes)) for n, codes in owners.items() if len(n) >= 2 and len(codes) == 1}
    pattern = re.compile("|".join(sorted(map(re.escape, names), key=len, reverse=True)))
    return pattern, names


def _province_named_most(text: str) -> str | None:
    """The province whose places `text` names most, when it names one at least twice and more than any other."""
    pattern, names = _division_table()
    counts: dict[str, int] = {}
    for m in pattern.finditer(text or ""):
        code = names[m.group(0)]
        counts[code] = counts.get(code, 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    if ranked and ranked[0][1] >= 2 and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
        return ranked[0][0]
    return None


def _unit_province(unit) -> str | None:
    if unit.region_code:
        return unit.region_code[:2] + "0000"
    return divisions.resolve(unit.province) if unit.province else None


def _names_no_place(unit, alias: str) -> bool:
    """A short name that means the report's own province's (or city's) unit, whichever that is: it names no
    division and reads as a level's office (省科技厅, 市科技局) or is a government unit's (科技厅). A short name
    of its own (中北 for 中北大学) stays the unit's in any report."""
    if _division_table()[0].search(alias):
        return False
    return alias[:1] in "省市县区州" or unit.kind == Unit.Kind.GOVERNMENT


def registry_snapshot() -> dict:
    """Names to link mentions to: units (accounts) and platforms (the platforms app, when it has them). Only
    verified units: their names and short names changed through staff (a change request, docs/security.md
    §27); a unit waiting for verification (a registration, a name someone added) links no report's words.

    `"own_province"` holds, for each unit whose short name names no place (省科技厅), the unit's province: that
    short name is offered only for a report of that province (`for_report`)."""
    units = Unit.objects.filter(status=Unit.Status.VERIFIED).only(
        "pk", "name", "short_name", "kind", "province", "region_code"
    )
    registry = {"unit": [], "own_province": {}}
    for u in units:
        registry["unit"].append((u.pk, u.name, [u.short_name] if u.short_name else []))
        if u.short_name and _names_no_place(u, u.short_name):
            own = _unit_province(u)
            if own is not None:
                registry["own_province"][u.pk] = own
    registry["platform"] = list(platform_names())
    return registry


def for_report(registry: dict | None, region: str, text: str) -> dict | None:
    """`registry` for one report: a short name that names no place (省科技厅) is dropped from the units of
    another province than the report's (`report_province`) — in another province's report 省科技厅 is that
    province's department, never this department's own (issue #15); a report of no known province links such
    short names to no unit of a known province."""
    scoped = (registry or {}).get("own_province")
    if not scoped:
        return registry
    province = report_province(region, text)
    units = [
        (pk, name, [] if pk in scoped and scoped[pk] != province else aliases)
        for pk, name, aliases in registry.get("unit", [])
    ]
    return {**registry, "unit": units}


def _change_rows(document: Document, result) -> list[Change]:
    """The pipeline's recorded changes as unsaved rows of `document`."""
    return [
        Change(
            document=document,
            seq=c.seq,
            step=c.step,
            orig_start=c.orig_start,
            orig_end=c.orig_end,
            rep_start=c.rep_start,
            rep_end=c.rep_end,
            before=c.before,
            after=c.after,
            note=c.note[:200],
            uncertain=c.uncertain,
        )
        for c in result.changes()
    ]


def _store_analysis(document: Document, result, facts, mentions, *, reverted_keys=frozenset()) -> None:
    Change.objects.bulk_create(_change_rows(document, result))
    seen = set()
    rows = []
    for f in facts:
        key = (f.kind, f.start, f.end, f.subject[:200])
        if key in seen:
            continue
        seen.add(key)
        rows.append(_fact_row(document, f))
    Fact.objects.bulk_create(rows)
    _store_mentions_only(document, mentions)


def _fact_row(document, f) -> Fact:
    is_number = isinstance(f.value, Decimal)
    return Fact(
        document=document,
        kind=f.kind,
        subject=f.subject[:200],
        predicate=f.predicate[:60],
        value=f.value if is_number else None,
        value_text=str(f.value)[:40],  # in the base unit (yuan): part of _refresh_facts's key, never scaled
        unit=f.unit,
        scale=f.scale,
        qualifier=f.qualifier,
        period=f.period,
        place=getattr(f, "place", "")[:40],
        quote=f.quote,
        start=f.start,
        end=f.end,
        orig_start=f.orig_start,
        orig_end=f.orig_end,
        **_uncertain_fields(f),
    )


def _uncertain_fields(f) -> dict:
    """What the extraction said about a fact read across an uncertain span, or after a redaction or a gap
    (parsers/doubt.py), as stored."""
    parts = list(getattr(f, "uncertain_parts", ()) or ())
    spans = [[int(s), int(e)] for s, e in getattr(f, "uncertain_spans", ()) or ()] if parts else []
    redacted = bool(getattr(f, "redacted_near", False))
    return {
        "uncertain": bool(parts) or redacted,
        "uncertain_parts": parts,
        "uncertain_spans": spans,
        "redacted_near": redacted,
    }


def _stats(result, facts, mentions) -> dict:
    by_step: dict[str, int] = {}
    for _name, edits, _m in result.stages:
        by_step[_name] = len(edits)
    # the marks the repaired text shows, as the page counts them (RepairResult.uncertain_count)
    uncertain = result.uncertain_count
    return {"changes": by_step, "uncertain": uncertain, "facts": len(facts), "mentions": len(mentions)}


def _refresh_facts(document: Document, facts) -> None:
    """Replace the proposed facts by `facts`; a decided fact found again (same kind, value and place in
    the original) keeps its decision and takes the new offsets in the repaired text (and the scale the
    report wrote it with, for a fact stored before facts kept it). The key's value is the stored text in
    the base unit (yuan), so a figure is found again whatever scale it is shown in."""
    decided = {
        (f.kind, f.orig_start, f.orig_end, f.value_text): f
        for f in document.facts.exclude(status=Fact.Status.PROPOSED)
    }
    document.facts.filter(status=Fact.Status.PROPOSED).delete()
    rows = []
    for f in facts:
        old = decided.get((f.kind, f.orig_start, f.orig_end, str(f.value)))
        if old is None:
            rows.append(_fact_row(document, f))
            continue
        flags = _uncertain_fields(f)  # the text around it was repaired again: its reading may be sure now
        if (old.start, old.end, old.scale, old.place) != (f.start, f.end, f.scale, f.place[:40]) or any(
            getattr(old, k) != v for k, v in flags.items()
        ):
            old.start, old.end, old.quote, old.scale, old.place = (
                f.start,
                f.end,
                f.quote,
                f.scale,
                f.place[:40],
            )
            for k, v in flags.items():
                setattr(old, k, v)
            old.save(update_fields=["start", "end", "quote", "scale", "place", *flags, "updated_at"])
    Fact.objects.bulk_create(rows, ignore_conflicts=True)


def _store_mentions_only(document, mentions):
    Mention.objects.bulk_create(
        [
            Mention(
                document=document,
                kind=m.kind,
                text=m.text[:200],
                start=m.start,
                end=m.end,
                target_id=m.target_id,
                target_name=m.target_name[:200],
                score=m.score,
                is_new=m.kind in ("platform", "unit") and m.target_id is None,
            )
            for m in mentions
        ],
        ignore_conflicts=True,
    )
