"""Migrate the test database once for a parallel test run: the template each pytest-xdist worker copies.

Started by src/kechuang/conftest.py in the controller of a `pytest -n N` run, while the workers collect the
tests; each worker then copies the migrated database instead of running the ~110 migrations itself (about
20 s of CPU each). The migrations still run once per run, here, with the same settings as the workers'.

    python tools/test_db_template.py BASE
    python tools/test_db_template.py --drop NAME    # at the end of the run (PostgreSQL)

SQLite (the in-memory test database): migrated in memory, then written to BASE.sqlite3. PostgreSQL: migrated
into the database named in BASE.name (the test database's name with `_template`), left for the workers to
copy (CREATE DATABASE ... TEMPLATE). BASE.ok names the copy when it is ready; BASE.failed holds the error
(the workers then migrate as before, and fail as before if a migration does).
"""

import os
import sqlite3
import sys
import traceback
from pathlib import Path


def build(base: Path) -> str:
    import django

    django.setup()
    from django.db import connections
    from django.test.utils import setup_databases

    connection = connections["default"]
    if connection.vendor == "sqlite":
        if not connection.creation.is_in_memory_db(connection.creation._get_test_db_name()):
            raise RuntimeError("a file test database (KECHUANG_TEST_SQLITE_FILE): not copied")
        setup_databases(verbosity=0, interactive=False, aliases={"default"}, serialized_aliases=set())
        target = base.with_suffix(".sqlite3")
        partial = base.with_suffix(".partial")
        out = sqlite3.connect(partial)
        connection.connection.backup(out)
        out.close()
        partial.replace(target)
        return str(target)
    if connection.vendor == "postgresql":
        name = f"{connection.creation._get_test_db_name()}_template"
        connection.settings_dict["TEST"]["NAME"] = name
        setup_databases(verbosity=0, interactive=False, aliases={"default"}, serialized_aliases=set())
        connections.close_all()  # a template database must have no session when it is copied
        return name
    raise RuntimeError(f"no template for {connection.vendor}")


def drop(name: str) -> None:
    import django

    django.setup()
    from django.db import connections

    with connections["default"]._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kechuang.settings.test")
    if sys.argv[1] == "--drop":  # the controller, at the end of the run: the PostgreSQL template
        drop(sys.argv[2])
        return 0
    base = Path(sys.argv[1])
    try:
        made = build(base)
    except BaseException:
        base.with_suffix(".failed").write_text(traceback.format_exc(), encoding="utf-8")
        return 1
    base.with_suffix(".ok").write_text(made, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
