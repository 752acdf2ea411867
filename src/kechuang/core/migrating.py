"""Data migrations in the audit trail (docs/security.md §48).

A migration that changes records (a `RunPython` step that updates, creates or deletes rows) says so in the audit
trail: one system event per migration, its actor "migrate", its action `core.data_migration`, naming the
migration and how many rows of each model it changed — not one event per row (a deploy may touch thousands; the
migration's own code says what it did to each, and its module is in the repository at the deployed commit).

The event is written once the `migrate` run has finished (Django's `post_migrate`), not inside the migration:
then the audit trail's table has every column the current code writes, so a data migration early in the
history (before a later one adds a column to the trail) can use this too, and the event is chained
(core.auditchain) like any other. A migration that changed nothing (a new database, rows already right) writes
nothing. A `migrate` run stopped before its end (a failed later migration) loses the note of the migrations
it did apply; they are applied, their note is not.

In a migration:

    from kechuang.core.migrating import migration_changed

    def forwards(apps, schema_editor):
        n = Indicator.objects.filter(...).update(...)
        migration_changed(schema_editor, __name__, {"indicators.Indicator": n})
"""

from collections.abc import Mapping

from .roles import SystemActor

MIGRATE = SystemActor("migrate")
ACTION = "core.data_migration"

# The notes of the migrations applied in this process, by database alias, until `post_migrate` writes them.
_PENDING: dict[str, list[tuple[str, dict[str, int]]]] = {}


def migration_name(module: str) -> str:
    """`kechuang.indicators.migrations.0006_eis_chinese_names` (a migration module's __name__) as
    `indicators.0006_eis_chinese_names`; any other text as it is."""
    parts = module.split(".")
    if len(parts) >= 3 and parts[-2] == "migrations":
        return f"{parts[-3]}.{parts[-1]}"
    return module


def migration_changed(schema_editor, name: str, counts: Mapping[str, int]) -> None:
    """Note that the migration `name` (its module's __name__, or "app.0006_name") changed `counts` rows (by
    model label, "indicators.Indicator": 12); written to the audit trail after the migrate run
    (`record_pending`). Counts of 0 are left out; nothing at all is noted when every count is 0."""
    changed = {str(label): int(n) for label, n in counts.items() if n}
    if changed:
        alias = getattr(getattr(schema_editor, "connection", None), "alias", "default")
        _PENDING.setdefault(alias, []).append((migration_name(name), changed))


def record_pending(using: str = "default") -> list:
    """Write one audit event per noted migration of database `using` (post_migrate calls this); returns them.
    Notes of another database than the default are dropped: the audit trail lives in the default one."""
    from .audit import audit_record

    pending = _PENDING.pop(using, [])
    if using != "default":
        return []
    return [
        audit_record(
            actor=MIGRATE,
            action=ACTION,
            object_repr=name,
            after={"migration": name, "changed": changed, "rows": sum(changed.values())},
        )
        for name, changed in pending
    ]


def _model_words(label: str) -> str:
    """ "indicators.Indicator" as its model's name (指标); a label no longer known as it is."""
    from django.apps import apps

    try:
        return str(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):
        return label


def reword(event, payload: dict) -> dict:
    """The event's payload as the audit log reads it: the changed models by their names, not their labels."""
    out = dict(payload)
    changed = payload.get("changed")
    if isinstance(changed, dict):
        out["changed"] = {_model_words(k): v for k, v in changed.items()}
    return out
