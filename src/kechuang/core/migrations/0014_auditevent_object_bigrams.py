"""The audit trail found by the name of the object changed: each event's `object_repr` as bigram words
(core.bigram) in `object_bigrams`, with a GIN index on PostgreSQL, filled for the events already there.

The append-only triggers of 0002 refuse the UPDATE that fills the new column: PostgreSQL's is disabled for it
and enabled again; SQLite's is gone once the table is rebuilt (SQLite adds a column with a default by copying
the table, and the copy has no triggers), so it is created again at the end (as 0005 does). The column is
outside the hash chain (auditchain.FIELDS): the chain verifies as before.
"""

from django.db import migrations

import kechuang.core.bigram
from kechuang.core import bigram

CHUNK = 2000
SQLITE_TRIGGER = (
    "CREATE TRIGGER IF NOT EXISTS core_auditevent_no_update BEFORE UPDATE ON core_auditevent "
    "BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;"
)


def fill(apps, schema_editor):
    AuditEvent = apps.get_model("core", "AuditEvent")
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_no_update")
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS core_auditevent_no_update")
    batch = []
    rows = AuditEvent.objects.exclude(object_repr="").only("id", "object_repr").order_by("id")
    for event in rows.iterator(chunk_size=CHUNK):
        event.object_bigrams = bigram.document(event.object_repr)
        batch.append(event)
        if len(batch) >= CHUNK:
            AuditEvent.objects.bulk_update(batch, ["object_bigrams"])
            batch = []
    if batch:
        AuditEvent.objects.bulk_update(batch, ["object_bigrams"])
    if vendor == "postgresql":
        schema_editor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER core_auditevent_no_update")
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_TRIGGER)


def sqlite_trigger_again(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_TRIGGER)


class Migration(migrations.Migration):
    dependencies = [("core", "0013_job_step_message")]

    operations = [
        # undone last: removing the column rebuilds the SQLite table again, so its trigger is made again after
        migrations.RunPython(migrations.RunPython.noop, sqlite_trigger_again),
        migrations.AddField(
            model_name="auditevent",
            name="object_bigrams",
            field=kechuang.core.bigram.BigramField(
                blank=True, db_default="", default="", editable=False, verbose_name="对象名称检索字对"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        bigram.gin_index("core_auditevent_object_bigram_gin", "core_auditevent", "object_bigrams"),
    ]
