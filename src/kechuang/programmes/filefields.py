"""A staff-built form's file field answered with a stored file (issue #18): the one way the apps above keep
such an answer — the application's attachments, the project reports' files (challenges) and the experts'
review sheets' files (review).

An answer is a row of the caller's private file model (a `file` FileField in private storage, and
`original_name`, `content_type`, `size`, `sha256`, `uploaded_by`) and, in the JSON values the form's other
fields are kept in (`extra`, `sheet_values`), `values[key] = {"name": <file name>, <id_name>: <row id>}`.

    programme_file = filefields.store(
        actor=actor, owner=report, values_attr="extra", key=key, spec=spec,
        data=data, filename=filename, new_row=lambda **facts: ReportFile(contract=..., **facts),
        rows=ReportFile.objects.filter(contract_id=...), id_name="file", action="report.field_file",
    )

`store` runs inside the caller's transaction (its service is atomic): the upload is checked for the field's
kinds and size (core.uploads, `check_upload`), the row saved, the value swapped, the row it replaces
deleted and its stored file removed from storage once the transaction commits (a rollback keeps it), and the
change audited on the owner."""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction

from kechuang.core import uploads
from kechuang.core.audit import audit_record

from . import fieldkinds


def check_upload(spec: dict, data: bytes, filename: str, *, key: str) -> str:
    """A file answering a form's file field: its content checked against the field's kinds (PDF when none
    is named) and size limit (10 MB when none is set); the content type, or the upload's refusal
    (ApplicationError with the reason, on the field `key`)."""
    kinds = tuple(k for k in spec.get("file_kinds") or ["pdf"] if k in uploads.KINDS) or ("pdf",)
    limit = int(spec.get("max_mb") or 10) * 1024 * 1024
    return uploads.check_upload(data, filename, allowed=kinds, limit=limit, field=key).mime


def upload_bytes(upload) -> bytes:
    """An uploaded file's bytes, read no further than the largest form file field allows (the service
    checks its kinds and size)."""
    upload.seek(0)
    return upload.read(fieldkinds.MAX_MB * 1024 * 1024 + 1)


def stored_id(value, id_name: str):
    """The row id a stored answer names (None when the value is not a stored file)."""
    return value.get(id_name) if isinstance(value, dict) else None


def delete_after_commit(field_file) -> None:
    """Remove a stored file from storage once the current transaction commits (not if it rolls back)."""
    name, storage = field_file.name, field_file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def store(
    *,
    actor,
    owner,
    values_attr: str,
    key: str,
    spec: dict,
    data: bytes | None,
    filename: str = "",
    new_row,
    rows,
    id_name: str,
    action: str,
):
    """Answer the file field `spec` (key `key`) of `owner` with `data` (None clears it); see the module's
    doc. `new_row(**facts)` builds the unsaved row; `rows` is the queryset the replaced row is looked up
    in (scoped to the owner, so a forged value cannot delete another's file). Returns the new row (None
    when cleared)."""
    row = None
    if data is not None:
        content_type = check_upload(spec, data, filename, key=key)
        row = new_row(
            original_name=filename[:200],
            content_type=content_type,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            uploaded_by=actor if getattr(actor, "pk", None) else None,
        )
        row.file.save(filename, ContentFile(data), save=False)
        row.full_clean()
        row.save()
    values = dict(getattr(owner, values_attr) or {})
    before = values.get(key)
    if row is not None:
        values[key] = {"name": row.original_name, id_name: row.pk}
    else:
        values.pop(key, None)
    if before == values.get(key):
        return row
    setattr(owner, values_attr, values)
    owner.save(update_fields=[values_attr, "updated_at"])
    old_pk = stored_id(before, id_name)
    if old_pk:
        old = rows.filter(pk=old_pk).first()
        if old is not None:
            delete_after_commit(old.file)
            old.delete()
    audit_record(
        actor=actor,
        action=action,
        obj=owner,
        before={"field": key, "value": before},
        after={
            "field": key,
            "value": values.get(key),
            **({"type": row.content_type, "size": row.size, "sha256": row.sha256} if row else {}),
        },
    )
    return row
