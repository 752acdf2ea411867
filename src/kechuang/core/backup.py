"""Backup and restore of the whole database, table by table, portable between SQLite and PostgreSQL.

A backup is a zip: `manifest.json` (format, the migrations applied, per-table row counts and digests) and one
JSON-lines file per table. Rows are read with `values()` in primary-key order and streamed, so memory stays
flat for millions of audit events. Content types and permissions are recreated by `migrate` with ids that may
differ between databases; rows that point to them are stored with natural keys and mapped back on restore.

`database_digest()` is the comparison: for each table, the row count and a SHA-256 over its rows in
primary-key order with content-type and permission ids replaced by natural keys. Two databases with equal
digests hold the same data, table by table.

Uploaded files (every FileField's file in the default storage: attachments, evidence) go in the zip too,
under `files/`, each with its SHA-256 in the manifest; `files_digest()` compares them. Restore checks them
all before writing anything and puts them back in the storage once the database is restored and verified.
"""

import base64
import contextlib
import datetime
import hashlib
import json
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder

from . import counters
from .exceptions import ApplicationError

FORMAT = (
    "kechuang-backup/2"  # 2: times to the microsecond (1 cut them to milliseconds, as Django's encoder does)
)
FORMATS = ("kechuang-backup/1", FORMAT)
# Counter rows are derived from the other tables (core.counters): counted again after a restore.
SKIP = {"contenttypes.contenttype", "auth.permission", "sessions.session", "core.counter"}
CHUNK = 2000


class _Encoder(DjangoJSONEncoder):
    """Times keep their microseconds: DjangoJSONEncoder cuts them to milliseconds, so a restored row could
    differ from the original (and a time with fewer than 1000 µs would not even compare equal)."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        if isinstance(o, bytes | memoryview):
            return base64.b64encode(bytes(o)).decode("ascii")
        return super().default(o)


def backed_up_models() -> list[type[models.Model]]:
    """Every concrete, managed table of the project (m2m tables included), in a stable order."""
    out = []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.label_lower in SKIP:
            continue
        out.append(model)
    return sorted(out, key=lambda m: m._meta.db_table)


def _natural_maps():
    ct = {c.pk: [c.app_label, c.model] for c in ContentType.objects.all()}
    perm = {
        p.pk: [p.content_type.app_label, p.content_type.model, p.codename]
        for p in Permission.objects.select_related("content_type")
    }
    return ct, perm


def _pointer_fields(model) -> dict[str, str]:
    """attname -> "ct" | "perm" for the foreign keys that point to content types or permissions."""
    out = {}
    for field in model._meta.concrete_fields:
        if field.is_relation and field.related_model is ContentType:
            out[field.attname] = "ct"
        elif field.is_relation and field.related_model is Permission:
            out[field.attname] = "perm"
    return out


def _rows(model, maps) -> Iterator[dict]:
    ct_map, perm_map = maps
    pointers = _pointer_fields(model)
    attnames = [f.attname for f in model._meta.concrete_fields]
    qs = model._base_manager.order_by("pk").values(*attnames)
    for row in qs.iterator(chunk_size=CHUNK):
        for attname, kind in pointers.items():
            value = row.get(attname)
            if value is not None:
                row[attname] = (ct_map if kind == "ct" else perm_map).get(value, [None, None, str(value)])
        yield row


def _line(row: dict) -> str:
    return json.dumps(row, cls=_Encoder, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def database_digest(progress: Callable[[str], None] | None = None) -> dict[str, dict]:
    """{table: {"rows": n, "sha256": ...}} over every backed-up table."""
    maps = _natural_maps()
    digest = {}
    for model in backed_up_models():
        if progress:
            progress(model._meta.db_table)
        h = hashlib.sha256()
        n = 0
        for row in _rows(model, maps):
            h.update(_line(row).encode())
            h.update(b"\n")
            n += 1
        digest[model._meta.db_table] = {"rows": n, "sha256": h.hexdigest()}
    return digest


def _file_names() -> list[str]:
    """Every file a FileField of the project points to, in a stable order."""
    names = set()
    for model in backed_up_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                qs = model._base_manager.exclude(**{field.attname: ""}).exclude(
                    **{f"{field.attname}__isnull": True}
                )
                names.update(qs.values_list(field.attname, flat=True).iterator(chunk_size=CHUNK))
    return sorted(names)


def files_digest() -> dict[str, str]:
    """{file name: sha256 (or "missing")} of every file the database points to."""
    out = {}
    for name in _file_names():
        if not default_storage.exists(name):
            out[name] = "missing"
            continue
        with default_storage.open(name, "rb") as fh:
            out[name] = hashlib.sha256(fh.read()).hexdigest()
    return out


def _migrations() -> list[list[str]]:
    return sorted([a, n] for a, n in MigrationRecorder(connection).applied_migrations())


def backup_write(path: str | Path, progress: Callable[[int, str], None] | None = None) -> dict:
    """Write a backup of the whole database to `path`; returns the manifest."""
    maps = _natural_maps()
    tables = backed_up_models()
    manifest = {
        "format": FORMAT,
        "created_at": datetime.datetime.now(tz=datetime.UTC).isoformat(),
        "vendor": connection.vendor,
        "migrations": _migrations(),
        "tables": {},
    }
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for i, model in enumerate(tables):
            table = model._meta.db_table
            if progress:
                progress(int(100 * i / len(tables)), table)
            h = hashlib.sha256()
            n = 0
            with zf.open(f"tables/{table}.jsonl", "w", force_zip64=True) as out:
                for row in _rows(model, maps):
                    line = _line(row)
                    h.update(line.encode())
                    h.update(b"\n")
                    out.write(line.encode())
                    out.write(b"\n")
                    n += 1
            manifest["tables"][table] = {"model": model._meta.label_lower, "rows": n, "sha256": h.hexdigest()}
        manifest["files"] = {}
        for name in _file_names():
            if not default_storage.exists(name):
                manifest["files"][name] = "missing"  # pointed to but absent: restored as absent
                continue
            with default_storage.open(name, "rb") as fh:
                data = fh.read()
            zf.writestr(f"files/{name}", data)
            manifest["files"][name] = hashlib.sha256(data).hexdigest()
        zf.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
    if progress:
        progress(100, "done")
    return manifest


@contextlib.contextmanager
def _timestamps_as_stored(models_):
    """Keep the stored created/updated times: auto_now(_add) would otherwise stamp the restore time."""
    switched = []
    for model in models_:
        for field in model._meta.concrete_fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                switched.append((field, field.auto_now, field.auto_now_add))
                field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in switched:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def _is_empty() -> list[str]:
    return [m._meta.db_table for m in backed_up_models() if m._base_manager.exists()]


def restore_read(path: str | Path, progress: Callable[[int, str], None] | None = None) -> dict:
    """Load a backup into this (migrated, empty) database in one transaction, then verify it table by table.

    Refuses a database that holds data or whose migrations differ from the backup's; on any error nothing
    is written. Returns {"tables": n, "rows": n, "verified": True}.
    """
    with zipfile.ZipFile(path) as zf:
        try:
            manifest = json.loads(zf.read("manifest.json"))
        except KeyError:
            raise ApplicationError("不是科创备份文件：缺少 manifest.json。", code="bad_backup")
        if manifest.get("format") not in FORMATS:
            raise ApplicationError(f"不支持的备份格式：{manifest.get('format')}", code="bad_backup")
        if manifest["migrations"] != _migrations():
            raise ApplicationError(
                "备份与本数据库的迁移版本不同：请先用与备份相同版本的科创执行 migrate。",
                code="migrations_differ",
            )
        busy = _is_empty()
        if busy:
            raise ApplicationError(
                f"目标数据库不是空的（例如 {', '.join(busy[:3])}）：请在新建并迁移的空数据库上恢复。",
                code="not_empty",
            )
        files = manifest.get("files", {})
        for name, sha in files.items():
            if sha == "missing":
                continue
            try:
                data = zf.read(f"files/{name}")
            except KeyError:
                raise ApplicationError(f"备份缺少文件 {name}。", code="bad_backup")
            if hashlib.sha256(data).hexdigest() != sha:
                raise ApplicationError(f"备份中的文件 {name} 已损坏（校验值不符）。", code="verify_failed")
            if default_storage.exists(name):
                with default_storage.open(name, "rb") as fh:
                    if hashlib.sha256(fh.read()).hexdigest() != sha:
                        raise ApplicationError(
                            f"文件存储中已有不同内容的 {name}：请在空的文件存储上恢复。", code="not_empty"
                        )
        ct_by_key = {(c.app_label, c.model): c.pk for c in ContentType.objects.all()}
        perm_by_key = {
            (p.content_type.app_label, p.content_type.model, p.codename): p.pk
            for p in Permission.objects.select_related("content_type")
        }
        by_table = {m._meta.db_table: m for m in backed_up_models()}
        total = 0
        with transaction.atomic(), _timestamps_as_stored(by_table.values()):
            # Foreign keys are checked at commit (Django creates them deferrable), so table order is free.
            for i, table in enumerate(manifest["tables"]):
                model = by_table.get(table)
                if model is None:
                    raise ApplicationError(f"备份中的表 {table} 在本版本中不存在。", code="unknown_table")
                if progress:
                    progress(int(90 * i / max(1, len(manifest["tables"]))), table)
                fields = {f.attname: f for f in model._meta.concrete_fields}
                pointers = _pointer_fields(model)
                batch = []
                with zf.open(f"tables/{table}.jsonl") as fh:
                    for raw in fh:
                        row = json.loads(raw)
                        for attname, kind in pointers.items():
                            value = row.get(attname)
                            if value is not None:
                                row[attname] = (ct_by_key if kind == "ct" else perm_by_key).get(tuple(value))
                        obj = model(
                            **{k: fields[k].to_python(v) if v is not None else None for k, v in row.items()}
                        )
                        batch.append(obj)
                        if len(batch) >= CHUNK:
                            model._base_manager.bulk_create(batch)
                            total += len(batch)
                            batch = []
                if batch:
                    model._base_manager.bulk_create(batch)
                    total += len(batch)
            sequences = connection.ops.sequence_reset_sql(no_style(), list(by_table.values()))
            if sequences:
                with connection.cursor() as cursor:
                    for sql in sequences:
                        cursor.execute(sql)
            if progress:
                progress(95, "verify")
            after = database_digest()
            expected = {t: {"rows": i["rows"], "sha256": i["sha256"]} for t, i in manifest["tables"].items()}
            if manifest["format"] != FORMAT:
                # Format 1 digested times cut to milliseconds, which a restored row cannot always reproduce
                # (a time under 1 ms wrote ".000", its restored value writes none): rows are counted instead.
                after = {t: {"rows": d["rows"]} for t, d in after.items()}
                expected = {t: {"rows": d["rows"]} for t, d in expected.items()}
            differing = [t for t in expected if after.get(t) != expected[t]]
            if differing:
                raise ApplicationError(
                    f"恢复后的数据与备份不一致（{', '.join(differing[:5])}），已全部撤销。",
                    code="verify_failed",
                )
            # The rows went in past the signals that keep the counts: count them (and drop the ones the
            # migrations made for the empty tables).
            counters.rebuild()
        # The files once the database is in (every file was checked above, so this only copies).
        for name, sha in files.items():
            if sha != "missing" and not default_storage.exists(name):
                saved = default_storage.save(name, ContentFile(zf.read(f"files/{name}")))
                if saved != name:
                    raise ApplicationError(
                        f"文件 {name} 恢复为 {saved}：存储改了名字。", code="verify_failed"
                    )
    if progress:
        progress(100, "done")
    return {"tables": len(manifest["tables"]), "rows": total, "files": len(files), "verified": True}
