"""Every write of ingest: storing documents, undoing changes, reviewing facts and recording them.

Accepted facts become records in the app that owns them (docs/interfaces.md): indicator values through
`indicators.services.value_record`, platform/achievement counts through
`platforms.services.achievement_count_record`, anything else as an ingest `Event`. Those apps are imported
inside functions; when one does not offer its service yet, the fact stays accepted with its record
pending (never faked) and `fact_record_pending` retries later.
"""

import hashlib
import logging
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.core.audit import audit_record, snapshot
from kechuang.core.exceptions import ApplicationError, PermissionDenied
from kechuang.core.roles import Role, roles_of
from kechuang.core.services import optimistic_save, transition_apply

from . import parsers, permissions
from .models import Change, Document, Event, Fact, Mention
from .workflow import DOCUMENT_MACHINE, FACT_MACHINE

logger = logging.getLogger(__name__)

MAX_BYTES_DEFAULT = 20 * 1024 * 1024
NOT_ALLOWED = "只有科技厅工作人员可以导入和审核报告。"
EDITABLE_FIELDS = ("subject", "predicate", "value", "unit", "qualifier", "period")

# subjects that an owning app counts: platforms and their achievements
PLATFORM_WORDS = (
    "实验室",
    "研究中心",
    "创新中心",
    "联合体",
    "联盟",
    "平台",
    "基础设施",
    "研发机构",
    "创新基地",
    "高新区",
)
ACHIEVEMENT_WORDS = ("技术", "成果", "专利", "标准", "新药", "疫苗", "证书", "资质", "需求")


def _roles(actor) -> frozenset[str]:
    return frozenset({Role.STAFF.value}) if isinstance(actor, str) else roles_of(actor)


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


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
    from .parsers.entities import find_mentions

    result = parsers.repair(text, skip=skip)
    facts = parsers.extract_facts(result.text, year=year, result=result)
    mentions = find_mentions(result.text, registry)
    return result, facts, mentions


def registry_snapshot() -> dict:
    """Names to link mentions to: units (accounts) and platforms (the platforms app, when it has them)."""
    from kechuang.accounts.models import Unit

    registry = {"unit": [(u.pk, u.name, [u.short_name] if u.short_name else []) for u in Unit.objects.all()]}
    try:
        from kechuang.platforms.selectors import platform_names
    except ImportError:
        platform_names = None
    if platform_names is not None:
        try:
            registry["platform"] = list(platform_names())
        except Exception:  # a half-built colleague app must not stop ingestion
            logger.exception("platforms.selectors.platform_names failed; mentions stay unlinked")
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


def _fact_row(document, f) -> Fact:
    is_number = isinstance(f.value, Decimal)
    return Fact(
        document=document,
        kind=f.kind,
        subject=f.subject[:200],
        predicate=f.predicate[:60],
        value=f.value if is_number else None,
        value_text=str(f.value)[:40],
        unit=f.unit,
        qualifier=f.qualifier,
        period=f.period,
        quote=f.quote,
        start=f.start,
        end=f.end,
        orig_start=f.orig_start,
        orig_end=f.orig_end,
    )


def _stats(result, facts, mentions) -> dict:
    by_step: dict[str, int] = {}
    for _name, edits, _m in result.stages:
        by_step[_name] = len(edits)
    uncertain = sum(1 for _n, edits, _m in result.stages for e in edits if e.uncertain)
    return {"changes": by_step, "uncertain": uncertain, "facts": len(facts), "mentions": len(mentions)}


@transaction.atomic
def document_ingest(
    *, actor, data: bytes, filename: str, title: str = "", year: int | None = None, region: str = ""
) -> tuple[Document, bool]:
    """Store a report: original bytes kept, text decoded, repaired, facts and mentions found.

    The same bytes again return the stored document (created=False) and create nothing.
    Raises ApplicationError for an empty, oversized or unreadable file; nothing is written then.
    """
    from django.conf import settings

    if not permissions.can_ingest_document(actor):
        raise PermissionDenied(NOT_ALLOWED)
    if not data:
        raise ApplicationError(_("文件是空的。"), code="empty_document")
    limit = getattr(settings, "KECHUANG_MAX_UPLOAD_BYTES", MAX_BYTES_DEFAULT)
    if len(data) > limit:
        raise ApplicationError(
            _("文件过大（%(size)d 字节，上限 %(limit)d 字节）。") % {"size": len(data), "limit": limit},
            code="too_large",
        )
    digest = hashlib.sha256(data).hexdigest()
    existing = Document.objects.filter(sha256=digest).first()
    if existing is not None:
        return existing, False
    decoded, result, facts, mentions = analyse(data, filename, year=year, registry=registry_snapshot())
    document = Document(
        title=(title or _title_of(result.text, filename))[:300],
        filename=filename[:300],
        original=data,
        sha256=digest,
        size=len(data),
        format=decoded.format,
        encoding=decoded.encoding[:20],
        original_text=decoded.text,
        repaired_text=result.text,
        year=year,
        region=region[:40],
        stats=_stats(result, facts, mentions),
        uploaded_by=_user(actor),
    )
    document.full_clean(exclude=["original"])
    document.save()
    _store_analysis(document, result, facts, mentions)
    audit_record(
        actor=actor,
        action="document.ingest",
        obj=document,
        after={
            "sha256": digest,
            "filename": document.filename,
            "encoding": document.encoding,
            "format": document.format,
            **document.stats,
        },
    )
    return document, True


@transaction.atomic
def document_update(*, actor, document: Document, title: str, year: int | None, region: str) -> Document:
    """Change a document's title, year and region. A new year re-dates the facts still proposed."""
    if not permissions.can_review_fact(actor):
        raise PermissionDenied(NOT_ALLOWED)
    document = Document.objects.select_for_update().get(pk=document.pk)
    before = snapshot(document, ["title", "year", "region"])
    document.title, document.year, document.region = title, year, region
    document.full_clean(exclude=["original"])
    document.save(update_fields=["title", "year", "region", "updated_at"])
    if before["year"] != year:
        _reextract(document)
    audit_record(
        actor=actor, action="document.update", obj=document, before=before, after=snapshot(document, before)
    )
    return document


def _reextract(document: Document) -> None:
    """Replace the undecided facts and the mentions by those of the current repaired text."""
    skip = list(document.changes.filter(reverted=True).values_list("step", "orig_start", "orig_end"))
    result, facts, mentions = _analyse_text(
        document.original_text, year=document.year, registry=registry_snapshot(), skip=skip
    )
    _refresh_facts(document, facts)
    document.mentions.all().delete()
    _store_mentions_only(document, mentions)
    return result


def _refresh_facts(document: Document, facts) -> None:
    """Replace the proposed facts by `facts`; a decided fact found again (same kind, value and place in
    the original) keeps its decision and takes the new offsets in the repaired text."""
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
        elif (old.start, old.end) != (f.start, f.end):
            old.start, old.end, old.quote = f.start, f.end, f.quote
            old.save(update_fields=["start", "end", "quote", "updated_at"])
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


@transaction.atomic
def change_revert(*, actor, change: Change, reason: str = "") -> Document:
    """Undo one repair change: the text is repaired again without it, the changes are recomputed (the
    undone ones kept, marked), and the undecided facts re-extracted. Decided facts are kept."""
    if not permissions.can_revert_change(actor, change):
        raise PermissionDenied(NOT_ALLOWED)
    document = Document.objects.select_for_update().get(pk=change.document_id)
    change = Change.objects.get(pk=change.pk)
    if change.reverted:
        raise ApplicationError(_("这处修改已经撤销。"), code="already_reverted")
    reverted = list(document.changes.filter(reverted=True))
    skip = [(c.step, c.orig_start, c.orig_end) for c in reverted] + [
        (change.step, change.orig_start, change.orig_end)
    ]
    before_text = document.repaired_text
    result, facts, mentions = _analyse_text(
        document.original_text, year=document.year, registry=registry_snapshot(), skip=skip
    )
    document.changes.all().delete()
    Change.objects.bulk_create(_change_rows(document, result))
    base = result.edit_count
    Change.objects.bulk_create(
        [
            Change(
                document=document,
                seq=base + i,
                step=c.step,
                orig_start=c.orig_start,
                orig_end=c.orig_end,
                rep_start=0,
                rep_end=0,
                before=c.before,
                after=c.after,
                note=c.note,
                uncertain=c.uncertain,
                reverted=True,
            )
            for i, c in enumerate([*reverted, change])
        ]
    )
    document.repaired_text = result.text
    document.stats = {**_stats(result, facts, mentions), "reverted": len(skip)}
    document.save(update_fields=["repaired_text", "stats", "updated_at"])
    _refresh_facts(document, facts)
    document.mentions.all().delete()
    _store_mentions_only(document, mentions)
    audit_record(
        actor=actor,
        action="change.revert",
        obj=document,
        before={"step": change.step, "text": change.after, "repaired_length": len(before_text)},
        after={"step": change.step, "text": change.before, "repaired_length": len(result.text)},
        reason=reason,
    )
    return document


# ---------------------------------------------------------------- review


def _decide(*, actor, fact: Fact, action: str, reason: str = "") -> Fact:
    if not permissions.can_review_fact(actor, fact):
        raise PermissionDenied(NOT_ALLOWED)
    transition_apply(
        obj=fact,
        machine=FACT_MACHINE,
        action=action,
        actor=actor,
        roles=_roles(actor),
        reason=reason,
        extra_updates={"reviewed_by": _user(actor), "reviewed_at": timezone.now()},
    )
    fact.refresh_from_db()
    return fact


@transaction.atomic
def fact_accept(*, actor, fact: Fact, reason: str = "") -> Fact:
    """Accept a proposed fact as stated and hand it to the app that records it (or keep it pending)."""
    fact = _decide(actor=actor, fact=fact, action="accept", reason=reason)
    return fact_record(actor=actor, fact=fact)


@transaction.atomic
def fact_edit(*, actor, fact: Fact, expected_version: int, reason: str = "", **fields) -> Fact:
    """Correct a fact's fields and accept it. Refuses (Conflict) if someone changed it meanwhile."""
    if not permissions.can_review_fact(actor, fact):
        raise PermissionDenied(NOT_ALLOWED)
    FACT_MACHINE.check(fact.status, "edit", _roles(actor), obj=fact, ctx={"reason": reason})
    before = snapshot(fact, EDITABLE_FIELDS)
    changed = []
    for name, value in fields.items():
        if name not in EDITABLE_FIELDS:
            raise ApplicationError(_("不能修改字段“%(name)s”。") % {"name": name}, code="bad_field")
        setattr(fact, name, value)
        changed.append(name)
    if "value" in changed:
        fact.value_text = (
            ""
            if fact.value is None
            else str(fact.value.normalize() if isinstance(fact.value, Decimal) else fact.value)
        )
        changed.append("value_text")
    fact.full_clean()
    optimistic_save(obj=fact, expected_version=expected_version, update_fields=changed)
    audit_record(
        actor=actor,
        action="fact.update",
        obj=fact,
        before=before,
        after=snapshot(fact, EDITABLE_FIELDS),
        reason=reason,
    )
    fact = _decide(actor=actor, fact=fact, action="edit", reason=reason)
    return fact_record(actor=actor, fact=fact)


@transaction.atomic
def fact_reject(*, actor, fact: Fact, reason: str = "") -> Fact:
    """Reject a fact (a misreading, or nothing worth recording)."""
    if fact.record_status == Fact.RecordStatus.RECORDED:
        raise ApplicationError(_("该事实已入库，请先在对应模块中处理记录。"), code="already_recorded")
    return _decide(actor=actor, fact=fact, action="reject", reason=reason)


@transaction.atomic
def fact_reopen(*, actor, fact: Fact, reason: str) -> Fact:
    """Send a decided fact back to the queue (a reason is required)."""
    if fact.record_status == Fact.RecordStatus.RECORDED:
        raise ApplicationError(_("该事实已入库，不能退回。"), code="already_recorded")
    return _decide(actor=actor, fact=fact, action="reopen", reason=reason)


@transaction.atomic
def document_finish(*, actor, document: Document, reason: str = "") -> Document:
    """Mark a document reviewed; refused while any fact is still proposed."""
    if not permissions.can_review_fact(actor):
        raise PermissionDenied(NOT_ALLOWED)
    transition_apply(
        obj=document,
        machine=DOCUMENT_MACHINE,
        action="finish",
        actor=actor,
        roles=_roles(actor),
        reason=reason,
    )
    return document


@transaction.atomic
def document_reopen(*, actor, document: Document, reason: str) -> Document:
    """Put a reviewed document back under review (a reason is required)."""
    if not permissions.can_review_fact(actor):
        raise PermissionDenied(NOT_ALLOWED)
    transition_apply(
        obj=document,
        machine=DOCUMENT_MACHINE,
        action="reopen",
        actor=actor,
        roles=_roles(actor),
        reason=reason,
    )
    return document


# ---------------------------------------------------------------- records


def record_target(fact: Fact) -> str:
    """Which app records this fact: "indicator", "achievement" or "event" (pure rule on the fact)."""
    if fact.kind in (
        Fact.Kind.PERCENT,
        Fact.Kind.RANK,
        Fact.Kind.TARGET,
        Fact.Kind.MONEY,
    ) and _indicator_code(fact):
        return "indicator"
    if fact.kind == Fact.Kind.COUNT and any(w in fact.subject for w in PLATFORM_WORDS + ACHIEVEMENT_WORDS):
        return "achievement"
    return "event"


def _indicator_code(fact: Fact) -> str:
    try:
        from kechuang.indicators.selectors import indicator_lookup
    except ImportError:
        return ""
    from rapidfuzz import fuzz

    best, code = 0.0, ""
    try:
        entries = indicator_lookup()
    except Exception:  # a half-built colleague app must not stop the review
        logger.exception("indicators.selectors.indicator_lookup failed")
        return ""
    for entry_code, name, aliases in entries:
        for n in [name, *aliases]:
            score = fuzz.ratio(fact.subject, n)
            if score > best:
                best, code = score, entry_code
    return code if best >= 85 else ""


def _platform_id(fact: Fact) -> int | None:
    mention = (
        fact.document.mentions.filter(
            kind=Mention.Kind.PLATFORM, target_id__isnull=False, start__gte=fact.end
        )
        .filter(start__lte=fact.end + 40)
        .order_by("start")
        .first()
    )
    return mention.target_id if mention else None


@transaction.atomic
def fact_record(*, actor, fact: Fact) -> Fact:
    """Turn an accepted fact into a record in the owning app; pending (with the reason) when the app's
    service is missing or the fact lacks what it needs. Idempotent: a recorded fact is left alone."""
    fact = Fact.objects.select_for_update().select_related("document").get(pk=fact.pk)
    if fact.status not in (Fact.Status.ACCEPTED, Fact.Status.EDITED):
        raise ApplicationError(_("只有已采纳的事实可以入库。"), code="not_accepted")
    if fact.record_status == Fact.RecordStatus.RECORDED:
        return fact
    target = record_target(fact)
    ref, note = "", ""
    try:
        if target == "indicator":
            ref, note = _record_indicator(actor, fact)
        elif target == "achievement":
            ref, note = _record_achievement(actor, fact)
        else:
            ref = _record_event(fact)
    except ApplicationError as exc:
        ref, note = "", str(exc.message)
    status = Fact.RecordStatus.RECORDED if ref else Fact.RecordStatus.PENDING
    before = snapshot(fact, ["record_status", "record_kind", "record_ref"])
    fact.record_status, fact.record_kind, fact.record_ref, fact.record_note = (
        status,
        target,
        ref[:100],
        note[:300],
    )
    fact.save(update_fields=["record_status", "record_kind", "record_ref", "record_note", "updated_at"])
    audit_record(
        actor=actor,
        action="fact.record",
        obj=fact,
        before=before,
        after={"record_status": status, "record_kind": target, "record_ref": ref, "note": note},
    )
    return fact


def _period_year(fact: Fact) -> int | None:
    digits = fact.period[:4]
    if digits.isdigit():
        return int(digits)
    return fact.document.year


def _record_indicator(actor, fact: Fact) -> tuple[str, str]:
    try:
        from kechuang.indicators.services import value_record
    except ImportError:
        return "", _("指标模块尚未提供 value_record，待入库。")
    year = _period_year(fact)
    region = fact.document.region
    if not year or not region:
        return "", _("缺少报告年份或地区，补全后可重新入库。")
    if fact.kind == Fact.Kind.TARGET:
        try:
            from kechuang.indicators.services import target_set
        except ImportError:
            return "", _("指标模块尚未提供 target_set，待入库。")
        target = target_set(
            actor=actor,
            indicator_code=_indicator_code(fact),
            region=region,
            year=year,
            value=fact.value,
            comparator="<=" if fact.qualifier == "以下" else ">=",
            note=_("来自报告 #%(doc)s：%(quote)s") % {"doc": fact.document_id, "quote": fact.quote[:200]},
        )
        return f"indicators.target:{getattr(target, 'pk', '')}", ""
    value = value_record(
        actor=actor,
        indicator_code=_indicator_code(fact),
        region=region,
        year=year,
        value=fact.value,
        source="report",
        provenance=fact.provenance,
    )
    return f"indicators.value:{getattr(value, 'pk', '')}", ""


def _record_achievement(actor, fact: Fact) -> tuple[str, str]:
    try:
        from kechuang.platforms.services import achievement_count_record
    except ImportError:
        return "", _("平台模块尚未提供 achievement_count_record，待入库。")
    record = achievement_count_record(
        actor=actor,
        platform_id=_platform_id(fact),
        kind=fact.subject,
        count=int(fact.value or 0),
        period=fact.period or str(fact.document.year or ""),
        provenance=fact.provenance,
    )
    return f"platforms.achievement:{getattr(record, 'pk', '')}", ""


def _record_event(fact: Fact) -> str:
    event, _created = Event.objects.update_or_create(
        fact=fact,
        defaults={
            "kind": fact.kind,
            "subject": fact.subject or fact.quote[:200],
            "predicate": fact.predicate,
            "value": fact.value,
            "value_text": fact.value_text,
            "unit": fact.unit,
            "qualifier": fact.qualifier,
            "period": fact.period,
            "provenance": fact.provenance,
        },
    )
    event.full_clean()
    return f"ingest.event:{event.pk}"


def fact_record_pending(*, actor) -> int:
    """Retry every accepted fact whose record is pending; returns how many got recorded."""
    done = 0
    for fact in Fact.objects.filter(record_status=Fact.RecordStatus.PENDING):
        if fact_record(actor=actor, fact=fact).record_status == Fact.RecordStatus.RECORDED:
            done += 1
    return done
