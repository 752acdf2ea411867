"""Documents: storing a report, changing its details, undoing a repair change, finishing and reopening.

The analysis (seconds for a large report) runs outside any transaction; only its result is written, in one
short transaction, so an upload never holds the database's write lock while it is analysed (issue #14.6)."""

import hashlib
import os

from django.db import transaction
from django.utils.translation import gettext as _

from kechuang.core import uploads
from kechuang.core.audit import audit_record, audit_record_many, snapshot
from kechuang.core.exceptions import ApplicationError, PermissionDenied
from kechuang.core.roles import roles_of
from kechuang.core.services import transition_apply
from kechuang.core.uploads import check_zip_bounds

from .. import permissions, selectors
from ..models import Change, Document
from ..parsers.repair import marks_shown
from ..workflow import DOCUMENT_MACHINE
from .analysis import (
    _analyse_text,
    _change_rows,
    _refresh_facts,
    _stats,
    _store_analysis,
    _store_mentions_only,
    _title_of,
    analyse,
    registry_snapshot,
)
from .common import MAX_BYTES_DEFAULT, NOT_ALLOWED, _user


def report_read(source, *, field: str = "file") -> bytes:
    """A report's bytes through the upload checks, whichever way it comes in — the upload page (each file of
    the form), the API (`documents/upload/`) and the command line (`kechuang ingest PATH`, through the batch
    job): the size limit (KECHUANG_MAX_UPLOAD_BYTES, before reading), a report's kinds (.txt, .html, .docx,
    .pdf) by name and by content, no program, no macro, no zip bomb (`core.uploads.check_upload`). `source` is
    an uploaded file or a path on the server's disk. ApplicationError with the reason, naming the file
    (docs/security.md §43); OSError when a path cannot be read."""
    if isinstance(source, (str, os.PathLike)):
        return uploads.read_path(source, allowed=uploads.REPORTS, field=field)
    return uploads.read_upload(source, allowed=uploads.REPORTS, field=field)


def document_ingest(
    *, actor, data: bytes, filename: str, title: str = "", year: int | None = None, region: str = ""
) -> tuple[Document, bool]:
    """Store a report: original bytes kept, text decoded, repaired, facts and mentions found.

    The same bytes again return the stored document (created=False) and create nothing.
    Raises ApplicationError for an empty, oversized or unreadable file; nothing is written then.
    The analysis runs before any transaction opens; its result is written in one short one.
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
    check_zip_bounds(data, filename)  # a .docx that would unpack to too much is refused before reading
    digest = hashlib.sha256(data).hexdigest()
    existing = Document.objects.filter(sha256=digest).first()
    if existing is not None:
        return existing, False
    decoded, result, facts, mentions = analyse(
        data, filename, year=year, region=region, registry=registry_snapshot()
    )
    return _document_store(
        actor=actor,
        data=data,
        digest=digest,
        filename=filename,
        title=title,
        year=year,
        region=region,
        analysis=(decoded, result, facts, mentions),
    )


@transaction.atomic
def _document_store(*, actor, data, digest, filename, title, year, region, analysis) -> tuple[Document, bool]:
    decoded, result, facts, mentions = analysis
    existing = Document.objects.filter(sha256=digest).first()  # the same bytes stored meanwhile
    if existing is not None:
        return existing, False
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


def document_update(*, actor, document: Document, title: str, year: int | None, region: str) -> Document:
    """Change a document's title, year and region. A new year re-dates the facts still proposed (the
    re-extraction runs before the write transaction; see _reanalysis)."""
    if not permissions.can_review_fact(actor):
        raise PermissionDenied(NOT_ALLOWED)
    current = Document.objects.get(pk=document.pk)
    changed = current.year != year or current.region != region
    if changed:
        _not_in_quarantine(current)
    analysis = _reanalysis(current, year=year, region=region) if changed else None
    return _document_update(
        actor=actor, document=document, title=title, year=year, region=region, analysis=analysis
    )


@transaction.atomic
def _document_update(*, actor, document, title, year, region, analysis) -> Document:
    document = Document.objects.select_for_update().get(pk=document.pk)
    before = snapshot(document, ["title", "year", "region"])
    document.title, document.year, document.region = title, year, region
    document.full_clean(exclude=["original"])
    document.save(update_fields=["title", "year", "region", "updated_at"])
    if before["year"] != year or before["region"] != region:  # a new region links the mentions afresh
        _not_in_quarantine(document)  # held meanwhile (`uploads recheck --apply`)
        if analysis is None or analysis[0] != _skip_of(document):  # changed meanwhile: analyse again
            analysis = _reanalysis(document, year=year, region=region)
        _skip, _result, facts, mentions = analysis
        if before["year"] != year:
            _refresh_facts(document, facts)
        document.mentions.all().delete()
        _store_mentions_only(document, mentions)
    audit_record(
        actor=actor, action="document.update", obj=document, before=before, after=snapshot(document, before)
    )
    return document


def _not_in_quarantine(document: Document) -> None:
    """A report whose original bytes failed `kechuang uploads recheck --apply` is not analysed again (a new year
    re-extracts, a new region links afresh, an undone change repairs again): refused (403) with the reason
    (docs/security.md §40)."""
    if document.quarantine:
        raise PermissionDenied(document.quarantine_text, code="quarantined")


def _skip_of(document: Document, extra=()) -> list:
    """The repair changes undone on `document` (plus `extra`), as the pipeline's skip list."""
    skip = list(document.changes.filter(reverted=True).values_list("step", "orig_start", "orig_end"))
    return [tuple(s) for s in skip] + [tuple(e) for e in extra]


def _reanalysis(document: Document, *, year, region=None, extra=()):
    """(skip, result, facts, mentions) of the document's original text, repaired without the undone changes
    (`region`: the document's, unless a new one is being set). The long part of an update or a revert: callers
    run it outside their write transaction."""
    skip = _skip_of(document, extra)
    result, facts, mentions = _analyse_text(
        document.original_text,
        year=year,
        region=document.region if region is None else region,
        registry=registry_snapshot(),
        skip=skip,
    )
    return skip, result, facts, mentions


def change_revert(*, actor, change: Change, reason: str = "") -> Document:
    """Undo one repair change: the text is repaired again without it, the changes are recomputed (the
    undone ones kept, marked), and the undecided facts re-extracted. Decided facts are kept. The repair runs
    before the write transaction (and again inside it only if another revert came in between)."""
    if not permissions.can_revert_change(actor, change):
        raise PermissionDenied(NOT_ALLOWED)
    change = Change.objects.select_related("document").get(pk=change.pk)
    if change.reverted:
        raise ApplicationError(_("这处修改已经撤销。"), code="already_reverted")
    _not_in_quarantine(change.document)
    own = (change.step, change.orig_start, change.orig_end)
    analysis = _reanalysis(change.document, year=change.document.year, extra=[own])
    return _change_revert(actor=actor, change=change, reason=reason, analysis=analysis)


@transaction.atomic
def _change_revert(*, actor, change: Change, reason: str, analysis) -> Document:
    document = Document.objects.select_for_update().get(pk=change.document_id)
    _not_in_quarantine(document)  # held meanwhile
    change = Change.objects.get(pk=change.pk)
    if change.reverted:
        raise ApplicationError(_("这处修改已经撤销。"), code="already_reverted")
    reverted = list(document.changes.filter(reverted=True))
    own = (change.step, change.orig_start, change.orig_end)
    if analysis[0] != _skip_of(document, [own]):
        analysis = _reanalysis(document, year=document.year, extra=[own])
    skip, result, facts, mentions = analysis
    before_text = document.repaired_text
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
        roles=roles_of(actor),
        reason=reason,
        ctx={"open_facts": selectors.document_has_open_facts(document=document)},
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
        roles=roles_of(actor),
        reason=reason,
    )
    return document


RECOUNT_BATCH = 200


def documents_recount_uncertain(*, actor) -> int:
    """Set each stored report's uncertain count (`stats["uncertain"]`, the page's 存疑 N 处 and the API's) to the
    `〔存疑：…〕` marks its repaired text shows, as a report analysed now is counted (RepairResult.uncertain_count;
    a report stored before repair37 counted uncertain edits: one edit may show two marks, or none). Nothing is
    analysed again: the text stays as stored. One audit event per report whose count changes (the count before
    and after); returns how many changed. Run by `kechuang ingest --recount-uncertain`."""
    if not permissions.can_review_fact(actor):
        raise PermissionDenied(NOT_ALLOWED)
    pks = list(Document.objects.order_by("pk").values_list("pk", flat=True))
    return sum(
        _recount_uncertain(actor=actor, pks=pks[i : i + RECOUNT_BATCH])
        for i in range(0, len(pks), RECOUNT_BATCH)
    )


@transaction.atomic
def _recount_uncertain(*, actor, pks) -> int:
    rows, changed = [], []
    documents = (
        Document.objects.select_for_update().filter(pk__in=pks).only("pk", "title", "repaired_text", "stats")
    )
    for document in documents.order_by("pk"):
        if not document.stats:  # never analysed: nothing counted
            continue
        before, after = document.stats.get("uncertain"), marks_shown(document.repaired_text)
        if before == after:
            continue
        document.stats = {**document.stats, "uncertain": after}
        changed.append(document)
        rows.append((document, {"uncertain": before}, {"uncertain": after}))
    if changed:
        Document.objects.bulk_update(changed, ["stats"])
        audit_record_many(actor=actor, action="document.recount", rows=rows)
    return len(changed)
