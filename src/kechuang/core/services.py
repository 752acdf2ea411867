"""Writes shared by every app: running a state-machine transition on a row, with lock, checks and audit."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from .audit import audit_record
from .bigram import BigramIndexed
from .counters import note_synced, note_updated
from .dates import when_text
from .workflow import StateMachine, Transition


@transaction.atomic
def transition_apply(
    *,
    obj: models.Model,
    machine: StateMachine,
    action: str,
    actor,
    roles,
    reason: str = "",
    field: str = "status",
    ctx: dict | None = None,
    extra_updates: dict | None = None,
) -> Transition:
    """Lock the row, check the transition (state, role, guards), save the new state and audit it.

    Raises InvalidTransition with every reason when refused; nothing is written then.
    """
    locked = type(obj).objects.select_for_update().get(pk=obj.pk)
    current = getattr(locked, field)
    context = {"reason": reason, "actor": actor, **(ctx or {})}
    t = machine.check(current, action, roles, obj=locked, ctx=context)
    setattr(locked, field, t.target)
    update_fields = [field]
    # The audit names only the extra fields the transition changed, each with its old value (a milestone's
    # report clears a warning it never had: no "预警：正常" line in its history).
    was, now = changed_fields(locked, extra_updates or {})
    for name, value in (extra_updates or {}).items():
        setattr(locked, name, value)
        update_fields.append(name)
    if any(f.name == "updated_at" for f in locked._meta.concrete_fields):
        locked.updated_at = timezone.now()
        update_fields.append("updated_at")
    locked.save(update_fields=update_fields)
    audit_record(
        actor=actor,
        action=f"{machine.name}.{t.event or action}",
        obj=locked,
        before={field: current, **was},
        after={field: t.target, **now},
        reason=reason,
    )
    # Keep the caller's instance in step with the database.
    for name in update_fields:
        setattr(obj, name, getattr(locked, name))
    note_synced(obj)
    return t


def changed_fields(obj: models.Model, updates: dict) -> tuple[dict, dict]:
    """The fields of `updates` that would change what `obj` holds: their old values (as the audit keeps them)
    and their new ones. What a transition's audit event names besides its state; a service writing many rows
    at once (a bulk accept) builds each row's event with it, so it reads as the one-row transition's."""
    was, now = {}, {}
    for name, value in updates.items():
        old = getattr(obj, name)
        if _differs(old, value):
            was[name], now[name] = _stored(old), value
    return was, now


def _stored(value):
    """A field's value as the audit keeps it: a stored file by its name ("" for none)."""
    return (value.name or "") if hasattr(value, "storage") else value


def _differs(old, new) -> bool:
    """Whether setting a field from `old` to `new` changes what it holds (a file by its name, "" and None
    alike for a value that was never set)."""
    old, new = _stored(old), _stored(new)
    if old in (None, "") and new in (None, ""):
        return False
    try:
        return old != new
    except TypeError:
        return True


@transaction.atomic
def english_name_set(
    *, actor, obj: models.Model, text: str, action: str, field: str = "name_en"
) -> models.Model:
    """Set or clear the optional English form of a name stored in Chinese (`field`: a challenge's and a call's
    `title_en`, a campaign's, a programme type's and a form's `name_en`): a rendering for English pages, at any
    status, not a change of what the record says. The one write behind every app's `*_translate` service; the
    app checks the actor's role and the object first. Here: the row locked, the text stripped and checked
    against the field (too long: refused, named by the field, nothing written), saved and audited as `action`
    with the field before and after — only when it changed. Returns the saved row."""
    locked = type(obj).objects.select_for_update().get(pk=obj.pk)
    before, after = getattr(locked, field), (text or "").strip()
    if before == after:
        return locked
    model_field = locked._meta.get_field(field)
    try:
        model_field.clean(after, locked)
    except ValidationError as exc:
        raise ValidationError({field: exc.error_list}) from exc
    setattr(locked, field, after)
    stamped = any(f.name == "updated_at" for f in locked._meta.concrete_fields)
    locked.save(update_fields=[field, "updated_at"] if stamped else [field])
    audit_record(actor=actor, action=action, obj=locked, before={field: before}, after={field: after})
    return locked


def optimistic_save(*, obj: models.Model, expected_version: int, update_fields: list[str]) -> None:
    """Save `update_fields` only if the row still has `expected_version`, bumping it; else raise Conflict.

    For models with a `version` field: two people saving the same record never lose an update silently.
    The Conflict names who saved last, when, and each field whose stored value differs from this save.
    """
    values = {f: getattr(obj, f) for f in update_fields}
    if isinstance(obj, BigramIndexed) and set(update_fields) & set(obj.BIGRAM_SOURCES):
        # An update() skips save(): keep the search column here as save() would (core.bigram).
        obj.refresh_bigrams()
        values["search_bigrams"] = obj.search_bigrams
    if any(f.name == "updated_at" for f in obj._meta.concrete_fields):
        values["updated_at"] = timezone.now()
    rows = (
        type(obj)
        .objects.filter(pk=obj.pk, version=expected_version)
        .update(version=models.F("version") + 1, **values)
    )
    if rows != 1:
        raise stale_conflict(obj=obj, update_fields=update_fields)
    obj.version = expected_version + 1
    # An update() sends no post_save: step the counts kept over this model (core.counters) here.
    note_updated(obj)


def _shown(value) -> str:
    text = "—" if value in (None, "") else str(value)
    return text if len(text) <= 40 else text[:39] + "…"


def stale_conflict(*, obj: models.Model, update_fields: list[str]):
    """The Conflict for a stale save of `obj`: what is stored now, and who stored it (from the audit trail)."""
    from django.utils.translation import gettext as _

    from .exceptions import STALE_MESSAGE, Conflict
    from .models import AuditEvent

    names = [f for f in update_fields if f not in ("updated_at", "version", "search_text", "search_bigrams")]
    current = type(obj).objects.filter(pk=obj.pk).values("version", *names).first()
    if current is None:
        return Conflict(_("此记录已被他人删除（您的修改未保存）。"), code="stale")
    fields, labels = {}, []
    for name in names:
        if current[name] == getattr(obj, name):
            continue
        field = obj._meta.get_field(name)
        label = str(getattr(field, "verbose_name", name))
        shown = _shown(current[name])
        fields[field.name] = [_("已被他人改为：%(value)s") % {"value": shown}]
        labels.append(_("%(field)s 现为“%(value)s”") % {"field": label, "value": shown})
    from . import display

    last = AuditEvent.objects.for_object(obj).select_related("actor__unit").order_by("-at", "-id").first()
    message = str(STALE_MESSAGE)
    if last is not None:
        message += " " + _("最近一次保存：%(who)s，%(when)s（当前版本 %(version)s）。") % {
            "who": display.actor_name(last) or _("系统"),  # never the login name old rows store
            "when": when_text(last.at, seconds=True),
            "version": current["version"],
        }
    if labels:
        message += " " + _("与您提交的不同：") + _("；").join(labels) + _("。")
    return Conflict(message, code="stale", fields=fields)


NO_VERSION = -1  # no record has it: an edit that names no version is refused as a conflict


def posted_version(request) -> int:
    """The record version an edit page's form was made on (its hidden `version` field), the one way every
    edit view reads it; NO_VERSION when missing or not a whole number, so such a save is refused by
    optimistic_save instead of silently overwriting another's."""
    raw = str(request.POST.get("version", "")).strip()
    return int(raw) if raw.isdecimal() else NO_VERSION


def expected_version(data) -> int:
    """The `version` a client read, required with every change of a versioned record through the API.

    Missing or not a whole number: a 400 that says so (an edit without it could silently overwrite another).
    """
    from django.utils.translation import gettext as _

    from .exceptions import ApplicationError

    raw = data.get("version") if hasattr(data, "get") else None
    if isinstance(raw, bool):
        raw = None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str) and raw.strip().isdecimal():
        return int(raw)
    raise ApplicationError(
        _("请提供读取时的 version（防止覆盖他人的修改）。"),
        code="validation_error",
        fields={"version": [_("必填，须为读取记录时的整数版本号。")]},
    )


@dataclass
class RenamedUpload:
    model: str  # "app_label.model"
    pk: object
    field: str
    old: str
    new: str
    missing: bool = False  # the row points to a file that is not in the storage: left as it is


def guessable_uploads():
    """(model, field, row, stored name) of every stored upload whose name on disk is not of the random-token
    shape (`core.uploads.UnguessablePath`): files stored before that change, under their original names."""
    from django.apps import apps

    from .uploads import UnguessablePath, is_quarantined

    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.FileField) or not isinstance(field.upload_to, UnguessablePath):
                continue
            rows = model._base_manager.exclude(**{field.attname: ""}).exclude(
                **{f"{field.attname}__isnull": True}
            )
            for row in rows.order_by("pk").iterator(chunk_size=500):
                name = getattr(row, field.attname).name
                if not field.upload_to.is_unguessable(name) and not is_quarantined(name):
                    yield model, field, row, name


def uploads_rename_guessable(*, actor, dry_run: bool = False) -> list[RenamedUpload]:
    """Move every upload stored under a guessable name to `<prefix>/<year>/<random token>/<its name>` and
    point its row there (one audited `upload.rename` per file, each in its own transaction; the old file is
    deleted once the row is committed). A row whose file is missing is reported and left alone. With
    `dry_run` nothing is copied or written; the new names are the shape they would have."""
    from django.core.files.storage import default_storage

    done = []
    for model, field, row, old in list(guessable_uploads()):
        label = f"{model._meta.app_label}.{model._meta.model_name}"
        storage = field.storage or default_storage
        base = old.replace("\\", "/").rsplit("/", 1)[-1]
        if not storage.exists(old):
            done.append(RenamedUpload(label, row.pk, field.name, old, "", missing=True))
            continue
        new = field.upload_to(row, base)
        if dry_run:
            done.append(RenamedUpload(label, row.pk, field.name, old, new))
            continue
        with storage.open(old, "rb") as src:
            new = storage.save(new, src)
        recorded = False
        try:
            with transaction.atomic():
                model._base_manager.filter(pk=row.pk, **{field.attname: old}).update(**{field.attname: new})
                audit_record(
                    actor=actor,
                    action="upload.rename",
                    obj=row,
                    before={field.name: old},
                    after={field.name: new},
                    reason="unguessable_name",
                )
                transaction.on_commit(lambda old=old, storage=storage: storage.delete(old))
            recorded = True
        finally:
            if not recorded:  # the row still names the old file: the copy goes, the error goes on up
                storage.delete(new)
        done.append(RenamedUpload(label, row.pk, field.name, old, new))
    return done


# Files the site makes itself (official documents' PDFs, project archives, open-data dumps): nobody uploads
# them, and an archive is a .zip no upload check accepts. Every other FileField holds uploads.
SITE_MADE_FILES = frozenset(
    {"documents.officialdocument.file", "documents.projectarchive.file", "documents.opendatadump.file"}
)


@dataclass
class RecheckedUpload:
    model: str  # the model's name in the reader's language (拨付凭证's model: 经费拨付)
    pk: object
    obj: str  # the row in words (str(row))
    field: str  # the field's label (拨付凭证)
    name: str  # the stored file's own name (its last part)
    state: str  # "passed", "failed" (dry run), "quarantined", "held" (already in quarantine), "missing"
    code: str = ""  # the refusal's code (office_macro, file_type_mismatch, …)
    reason: str = ""  # the refusal in the reader's language
    stored: str = ""  # the stored name (the new one once quarantined)

    def describe(self) -> str:
        """The file in words a staff member reads: what holds it, which of its fields, the file's name."""
        from django.utils.translation import gettext as _

        return _("%(model)s“%(obj)s”（编号 %(pk)s）的%(field)s：%(name)s") % {
            "model": self.model,
            "obj": self.obj,
            "pk": self.pk,
            "field": self.field,
            "name": self.name,
        }


def stored_uploads():
    """(model, field, row, stored name) of every stored upload: every FileField but SITE_MADE_FILES, rows with
    a file, in model and key order."""
    from django.apps import apps

    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.FileField):
                continue
            if f"{model._meta.label_lower}.{field.name}" in SITE_MADE_FILES:
                continue
            rows = model._base_manager.exclude(**{field.attname: ""}).exclude(
                **{f"{field.attname}__isnull": True}
            )
            for row in rows.order_by("pk").iterator(chunk_size=200):
                yield model, field, row, getattr(row, field.attname).name


def recheck_stored_file(data: bytes, name: str):
    """The refusal (ApplicationError) today's upload checks give a stored file, or None. Every check of
    `core.uploads.check_upload` but the size limit, which is about taking a file in, not about what it holds,
    and the field's list of kinds, which the upload path checked (the extension picks the content check)."""
    from .exceptions import ApplicationError
    from .uploads import KINDS, check_upload

    try:
        check_upload(data, name, allowed=tuple(KINDS), limit=max(1, len(data)))
    except ApplicationError as refusal:
        return refusal
    return None


def uploads_recheck(*, actor, apply: bool = False) -> list[RecheckedUpload]:
    """Read every stored upload again and check it as an upload is checked today (`recheck_stored_file`):
    Office files stored before a check existed (security §37, §39) are found. With `apply`, each file that
    fails is quarantined: copied under `core.uploads.QUARANTINE` (kept for staff's review on the server), its
    row pointed there — so every download view refuses it (`uploaded_file_response`) and a project archive
    leaves it out — and audited (`upload.quarantine`: the names before and after, the reason's code and words),
    one transaction per file; the old copy is deleted once that commits. Without `apply` nothing is written.
    A file already in quarantine is listed as held; a row whose file is missing is listed and left alone.
    Uploads kept in the database (an ingested report's bytes, `core.uploads.STORED_BYTES`) are read too
    (`_recheck_stored_bytes`, docs/security.md §40)."""
    from django.core.files.storage import default_storage

    from .uploads import QUARANTINE, is_quarantined

    done = []
    for model, field, row, old in list(stored_uploads()):
        storage = field.storage or default_storage
        base = old.replace("\\", "/").rsplit("/", 1)[-1]
        entry = RecheckedUpload(
            model=str(model._meta.verbose_name),
            pk=row.pk,
            obj=str(row),
            field=str(field.verbose_name),
            name=base,
            state="passed",
            stored=old,
        )
        done.append(entry)
        if is_quarantined(old):
            entry.state = "held"
            continue
        if not storage.exists(old):
            entry.state = "missing"
            continue
        with storage.open(old, "rb") as fh:
            data = fh.read()
        refusal = recheck_stored_file(data, base)
        if refusal is None:
            continue
        entry.code, entry.reason = refusal.code, str(refusal.message)
        if not apply:
            entry.state = "failed"
            continue
        with storage.open(old, "rb") as src:
            new = storage.save(QUARANTINE + old.replace("\\", "/").lstrip("/"), src)
        recorded = False
        try:
            with transaction.atomic():
                changed = model._base_manager.filter(pk=row.pk, **{field.attname: old}).update(
                    **{field.attname: new}
                )
                if changed:
                    audit_record(
                        actor=actor,
                        action="upload.quarantine",
                        obj=row,
                        before={field.name: old},
                        after={field.name: new},
                        reason=f"recheck_{refusal.code}",  # in words: core.display.MACHINE_REASONS
                    )
                    transaction.on_commit(lambda old=old, storage=storage: storage.delete(old))
                    recorded = True
        finally:
            if not recorded:  # the row changed meanwhile or the write failed: the copy goes
                storage.delete(new)
        if recorded:
            entry.state, entry.stored = "quarantined", new
    done.extend(_recheck_stored_bytes(actor=actor, apply=apply))
    return done


def _recheck_stored_bytes(*, actor, apply: bool) -> list[RecheckedUpload]:
    """`uploads_recheck` for the uploads kept in the database (`core.uploads.STORED_BYTES`: an ingested report's
    original bytes): the same check; with `apply`, a failing row has its quarantine field set to the refusal's
    code — its app then neither serves nor analyses it again — and `upload.quarantine` is audited (the field
    before and after, reason `recheck_<code>`), one transaction per row. One row's bytes in memory at a time."""
    from .uploads import STORED_BYTES

    done = []
    for spec in STORED_BYTES:
        model, field = spec.model, spec.model._meta.get_field(spec.field)
        for pk in model._base_manager.order_by("pk").values_list("pk", flat=True).iterator(chunk_size=2000):
            row = model._base_manager.filter(pk=pk).first()
            if row is None:  # deleted meanwhile
                continue
            name = spec.name(row)
            entry = RecheckedUpload(
                model=str(model._meta.verbose_name),
                pk=row.pk,
                obj=str(row),
                field=str(field.verbose_name),
                name=name,
                state="passed",
            )
            done.append(entry)
            held = getattr(row, spec.quarantine)
            if held:
                entry.state, entry.code = "held", held
                continue
            data = getattr(row, spec.field)
            refusal = recheck_stored_file(bytes(data or b""), name)
            if refusal is None:
                continue
            entry.code, entry.reason = refusal.code, str(refusal.message)
            if not apply:
                entry.state = "failed"
                continue
            with transaction.atomic():
                changed = model._base_manager.filter(pk=row.pk, **{spec.quarantine: ""}).update(
                    **{spec.quarantine: refusal.code[:40]}
                )
                if changed:
                    audit_record(
                        actor=actor,
                        action="upload.quarantine",
                        obj=row,
                        before={spec.quarantine: ""},
                        after={spec.quarantine: refusal.code[:40]},
                        reason=f"recheck_{refusal.code}",  # in words: core.display.MACHINE_REASONS
                    )
            entry.state = "quarantined" if changed else "held"
    return done
