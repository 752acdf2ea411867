"""The test database is what the migrations make, whether this worker migrated it or copied the template that
tools/test_db_template.py migrated once for the run (src/kechuang/conftest.py): every migration on disk is
recorded as applied, every model's table and the audit trail's triggers are there."""

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

pytestmark = pytest.mark.django_db


def test_every_migration_is_applied_and_every_table_is_there(request):
    workerinput = getattr(request.config, "workerinput", {})
    if workerinput.get("kechuang_db_template") and connection.vendor in ("sqlite", "postgresql"):
        # a parallel run: this worker copied the template instead of migrating (the time it saves)
        assert getattr(connection, "test_db_copied_from", None), "the worker migrated: no template"
    loader = MigrationLoader(connection)
    assert set(loader.disk_migrations) <= loader.applied_migrations.keys()
    tables = set(connection.introspection.table_names())
    from django.apps import apps

    missing = [
        m._meta.db_table for m in apps.get_models() if m._meta.managed and m._meta.db_table not in tables
    ]
    assert missing == []


def test_the_audit_triggers_of_the_migrations_are_there():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'core_auditevent'"
            )
        else:
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'core_auditevent'::regclass AND NOT tgisinternal"
            )
        assert cursor.fetchall()
