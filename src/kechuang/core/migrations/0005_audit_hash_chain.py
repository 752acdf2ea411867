"""The audit trail's hash chain (core.auditchain): three fields on each event, the chain's head, and the chain
computed for the events already there, in id order, under the first (unkeyed) scheme; 0006 re-seals them
under the audit key.

The append-only triggers of 0002 refuse the UPDATE that fills the new fields: PostgreSQL's is disabled for
it and enabled again; SQLite's is gone anyway once the table is rebuilt (SQLite changes a column by copying
the table, and the copy has no triggers), so it is created again at the end.
"""

import kechuang.core.models
from django.db import migrations, models

from kechuang.core.auditchain import GENESIS, UNKEYED, event_hash

CHUNK = 2000
SQLITE_TRIGGER = (
    "CREATE TRIGGER IF NOT EXISTS core_auditevent_no_update BEFORE UPDATE ON core_auditevent "
    "BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;"
)


def chain_existing(apps, schema_editor):
    AuditEvent = apps.get_model("core", "AuditEvent")
    AuditChainHead = apps.get_model("core", "AuditChainHead")
    ContentType = apps.get_model("contenttypes", "ContentType")
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_no_update")
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS core_auditevent_no_update")
    labels = {pk: f"{a}.{m}" for pk, a, m in ContentType.objects.values_list("pk", "app_label", "model")}
    seq, prev = 0, GENESIS
    batch = []
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=CHUNK):
        seq += 1
        values = {
            f: getattr(event, f)
            for f in (
                "at",
                "actor_id",
                "actor_repr",
                "action",
                "content_type_id",
                "object_id",
                "object_repr",
                "before",
                "after",
                "reason",
                "ip_address",
                "request_id",
            )
        }
        values.update(seq=seq, prev_hash=prev)
        event.seq, event.prev_hash = seq, prev
        event.hash = prev = event_hash(values, labels, UNKEYED)  # the first scheme; 0006 re-seals
        batch.append(event)
        if len(batch) >= CHUNK:
            AuditEvent.objects.bulk_update(batch, ["seq", "prev_hash", "hash"])
            batch = []
    if batch:
        AuditEvent.objects.bulk_update(batch, ["seq", "prev_hash", "hash"])
    if seq:  # an empty trail has no head yet (an empty database stays empty for restore and gendata)
        AuditChainHead.objects.update_or_create(pk=1, defaults={"seq": seq, "hash": prev})
    if vendor == "postgresql":
        schema_editor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER core_auditevent_no_update")
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_TRIGGER)


def sqlite_trigger_again(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_TRIGGER)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_job_worker_heartbeat"),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditChainHead",
            fields=[
                ("id", models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False)),
                ("seq", models.PositiveBigIntegerField(default=0)),
                ("hash", models.CharField(blank=True, max_length=64)),
            ],
            options={
                "verbose_name": "审计链末端",
                "verbose_name_plural": "审计链末端",
                "default_permissions": (),
            },
        ),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(blank=True, editable=False, max_length=64, verbose_name="校验值"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(blank=True, editable=False, max_length=64, verbose_name="前一条的校验值"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="seq",
            field=models.PositiveBigIntegerField(
                blank=True, editable=False, null=True, unique=True, verbose_name="链序号"
            ),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="at",
            field=models.DateTimeField(
                db_index=True, default=kechuang.core.models._now, editable=False, verbose_name="时间"
            ),
        ),
        migrations.RunPython(chain_existing, sqlite_trigger_again),
    ]
