"""The audit chain becomes keyed (HMAC-SHA256 under KECHUANG_AUDIT_KEY, core.auditchain): the events chained
under the first, unkeyed scheme are checked under it and re-sealed under the key, in seq order. If the old
chain is broken somewhere, the events before the break are re-sealed and the rest keep their old hashes, so
`kechuang audit verify` still names that first broken link (nothing is laundered by the upgrade)."""

from django.db import migrations

from kechuang.core.auditchain import UNKEYED, chain_reseal


def reseal(apps, schema_editor):
    chain_reseal(
        old_key=UNKEYED,
        using=schema_editor.connection.alias,
        whole_only=False,
        event_model=apps.get_model("core", "AuditEvent"),
        head_model=apps.get_model("core", "AuditChainHead"),
        ct_model=apps.get_model("contenttypes", "ContentType"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_audit_hash_chain"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(reseal, migrations.RunPython.noop)]
