"""Test databases cloned from one migrated template instead of migrated once per test process.

Migrating an empty database takes about 24 s of CPU (119 migrations, most of it Django rendering the
models' past states), and `make test` made one per xdist worker and pass, and one per broker step. With
KECHUANG_TEST_TEMPLATE naming a directory, tools/runtests.py has `python -m kechuang.core.dbtemplate build`
migrate one template there per database (beside the lint and scan steps, before the passes), and each test
process's `create_test_db` (src/kechuang/conftest.py) clones it: SQLite's in-memory database is restored from
the template file (sqlite3's backup), a file database is a copy of it, PostgreSQL's is `CREATE DATABASE …
TEMPLATE`. The template records a digest of every migration file (and of the settings' database engine); a
test process whose migrations differ from the template's, or that finds no template, migrates as before.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import sys
import time
from pathlib import Path

ENV = "KECHUANG_TEST_TEMPLATE"
META = "template.json"


def migrations_digest() -> str:
    """A digest of every installed app's migration files (names and contents)."""
    from django.apps import apps

    digest = hashlib.sha256()
    for config in sorted(apps.get_app_configs(), key=lambda c: c.label):
        folder = Path(config.path) / "migrations"
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.py")):
            digest.update(f"{config.label}/{path.name}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def build(directory: Path) -> dict:
    """Migrate a template database for the default alias of the current settings; record it in `directory`."""
    from django.db import connections

    directory.mkdir(parents=True, exist_ok=True)
    connection = connections["default"]
    if connection.vendor == "sqlite":
        name = str(directory / "template.sqlite3")
    else:
        # Beside the runs' own test_<name>[_gwN] databases, one per run of tools/runtests.py.
        name = f"{connection.creation._get_test_db_name()}_template_{os.getpid()}"
    connection.settings_dict["TEST"]["NAME"] = name
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    connection.close()
    meta = {
        "vendor": connection.vendor,
        "engine": connection.settings_dict["ENGINE"],
        "name": name,
        "migrations": migrations_digest(),
    }
    (directory / f"{META}.part").write_text(json.dumps(meta))
    (directory / f"{META}.part").replace(directory / META)  # whole or absent
    return meta


def drop(directory: Path) -> None:
    """Remove a template that `build` made (the PostgreSQL database and the directory)."""
    meta = _meta(directory)
    if meta and meta["vendor"] == "postgresql":
        from django.db import connections

        connection = connections["default"]
        with connection.creation._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(meta['name'])}")
    shutil.rmtree(directory, ignore_errors=True)


def _meta(directory: Path) -> dict | None:
    try:
        return json.loads((directory / META).read_text())
    except (OSError, ValueError):
        return None


def install() -> bool:
    """In a test process: have the default alias's `create_test_db` clone the template named by
    KECHUANG_TEST_TEMPLATE when there is one for this database and these migrations. Whether it will."""
    from django.db import connections

    directory = os.environ.get(ENV, "")
    meta = _meta(Path(directory)) if directory else None
    connection = connections["default"]
    if (
        not meta
        or meta["engine"] != connection.settings_dict["ENGINE"]
        or meta["migrations"] != migrations_digest()
        or connection.settings_dict["TEST"].get("MIGRATE") is False
    ):
        return False
    creation = connection.creation

    def create_test_db(verbosity=1, autoclobber=False, serialize=True, keepdb=False):
        return clone(creation, meta, serialize=serialize)

    creation.create_test_db = create_test_db
    return True


def clone(creation, meta: dict, *, serialize: bool) -> str:
    """What `create_test_db` does, the migrations replaced by a copy of the template."""
    from django.conf import settings
    from django.core.management import call_command

    connection = creation.connection
    name = creation._get_test_db_name()
    if connection.vendor == "sqlite" and not creation.is_in_memory_db(name):
        creation._create_test_db(0, autoclobber=True)  # removes an old file of that name
        shutil.copyfile(meta["name"], name)
    elif connection.vendor == "postgresql":
        quote = connection.ops.quote_name
        for attempt in range(20):
            try:
                with creation._nodb_cursor() as cursor:
                    cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)}")
                    cursor.execute(f"CREATE DATABASE {quote(name)} WITH TEMPLATE {quote(meta['name'])}")
                break
            except Exception as exc:  # the template briefly in use (another clone's check): try again
                if "being accessed by other users" not in str(exc) or attempt == 19:
                    raise
                time.sleep(0.5)
    connection.close()
    settings.DATABASES[connection.alias]["NAME"] = name
    connection.settings_dict["NAME"] = name
    if connection.vendor == "sqlite" and creation.is_in_memory_db(name):
        connection.ensure_connection()  # the shared in-memory database lives as long as this connection
        template = sqlite3.connect(meta["name"])
        try:
            template.backup(connection.connection)
        finally:
            template.close()
    if serialize:
        connection._test_serialized_contents = creation.serialize_db_to_string()
    call_command("createcachetable", database=connection.alias)
    connection.ensure_connection()
    return name


if __name__ == "__main__":
    # python -m kechuang.core.dbtemplate build|drop DIRECTORY (tools/runtests.py), with the test settings.
    import django

    django.setup()
    action, folder = sys.argv[1], Path(sys.argv[2])
    if action == "build":
        started = time.process_time()
        made = build(folder)
        print(f"template {made['vendor']} database migrated in {time.process_time() - started:.1f} s of CPU")
    else:
        drop(folder)
