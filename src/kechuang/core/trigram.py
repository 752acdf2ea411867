"""Trigram (pg_trgm) GIN indexes for `icontains` searches, created on PostgreSQL only.

Django's `icontains` is `UPPER(col::text) LIKE UPPER('%word%')` on PostgreSQL; a GIN index with
`gin_trgm_ops` on that same expression lets the planner answer it without scanning the table, for Chinese as
for Latin text. SQLite has no such index: there the migration operations do nothing and the query is the
same.
"""

from django.db import migrations


def trigram_index(name: str, table: str, column: str) -> migrations.RunPython:
    expr = f'UPPER(("{column}")::text) gin_trgm_ops'

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin ({expr})')

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')

    return migrations.RunPython(forwards, backwards, elidable=False)
