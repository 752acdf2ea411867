"""The long work of ingestion: decoding, repairing, extracting facts and finding mentions (pure, on values),
and the unsaved rows that store its result. Nothing here opens a transaction: the services in documents.py
run the analysis first and write its result in one short transaction (issue #14.6)."""

from decimal import Decimal

from django.utils.translation import gettext as _

from kechuang.accounts.models import Unit
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


def analyse(data: bytes, filename: str, *, year: int | None = None, registry: dict | None = None, skip=()):
    """Decode, repair, extract and find mentions: the pure pipeline on one file's bytes.

    Raises ApplicationError (status 400) for a file it cannot read."""
    try:
        decoded = parsers.decode_document(data, filename)
    except parsers.UnsupportedDocument as exc:
        raise ApplicationError(exc.message, code="unsupported_document")
    return decoded, *_analyse_text(decoded.text, year=year, registry=registry, skip=skip)


def _analyse_text(text: str, *, year, registry, skip=()):
    from ..parsers.entities import find_mentions

    result = parsers.repair(text, skip=skip)
    facts = parsers.extract_facts(result.text, year=year, result=result)
    mentions = find_mentions(result.text, registry)
    return result, facts, mentions


def registry_snapshot() -> dict:
    """Names to link mentions to: units (accounts) and platforms (the platforms app, when it has them). Only
    verified units: their names and short names changed through staff (a change request, docs/security.md
    §27); a unit waiting for verification (a registration, a name someone added) links no report's words."""
    units = Unit.objects.filter(status=Unit.Status.VERIFIED).only("pk", "name", "short_name")
    registry = {"unit": [(u.pk, u.name, [u.short_name] if u.short_name else []) for u in units]}
    registry["platform"] = list(platform_names())
    return registry


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
    uncertain = sum(1 for _n, edits, _m in result.stages for e in edits if e.uncertain)
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
