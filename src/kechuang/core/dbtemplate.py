"""Test databases cloned from one migrated template instead of migrated once per test process.

Migrating an empty database takes about 24 s of CPU (119 migrations, most of it Django rendering the
models' past states), and `make test` made one per xdist worker and pass, and one per broker step. With
KECHUANG_TEST_TEMPLATE naming a directory, tools/runtests.py has `python -m kechuang.core.dbtemplate build`
migrate one template there per database (SQLite's beside the lint and scan steps and the start of its pass,
PostgreSQL's beside the SQLite pass), and each test process's `create_test_db` (src/kechuang/conftest.py) clones
it, waiting for a build still under way (BUILDING names its process). SQLite's in-memory database is restored from
the template file (sqlite3's backup), a file database is a copy of it, PostgreSQL's is `CREATE DATABASE …
TEMPLATE`. The template records a digest of every migration file (and of the settings' database engine); a
test process whose migrations differ from the template's, or that finds no template, migrates as before.

The demo province (`kechuang demo`, about 23 s of CPU) goes the same way: `build` also makes a second template,
the first with the demo loaded (and the files the demo stored kept beside it), and a test module that needs the
demo (`demo_load`, `demo_unload` in its module fixture) has its process's database restored from that one and,
after the module, from the migrated one again, instead of loading the demo and flushing it. A process that
cloned no template loads and flushes as before. What `kechuang demo` printed on the template's load is kept with
it (`demo_load` returns it): web's test of the demo checks that first load's output and loads the demo only a
second time, for its idempotence.
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
BUILDING = "building.pid"  # written by tools/runtests.py beside a build still under way: its process id
DEMO_FILES = "demo-files"  # what the demo stored (default_storage), by name, beside the demo template
_cloned: dict | None = None  # the template this process's database was cloned from (install)


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
    """Migrate a template database for the default alias of the current settings, and a copy of it with the
    demo province loaded (_build_demo); record them in `directory`."""
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
        "directory": str(directory.resolve()),
    }
    try:
        meta["demo"], meta["demo_files"], meta["demo_output"] = _build_demo(directory, connection, name)
    except BaseException:  # no template.json, so `drop` would not find them: drop them here
        if connection.vendor == "postgresql":
            connection.close()
            with connection.creation._nodb_cursor() as cursor:
                for database in (f"{name}_demo", name):
                    cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(database)}")
        raise
    (directory / f"{META}.part").write_text(json.dumps(meta))
    (directory / f"{META}.part").replace(directory / META)  # whole or absent
    return meta


def _build_demo(directory: Path, connection, name: str) -> tuple[str, list[str], str]:
    """A copy of the migrated template `name` with the demo province loaded; its name, the names of the files
    the demo stored (copied under DEMO_FILES: the test settings' storage is in memory), and what `kechuang demo`
    printed (the admin's password among it: web's test of the demo reads it, demo_load)."""
    import io

    from django.core.files.storage import default_storage
    from django.core.management import call_command

    if connection.vendor == "sqlite":
        demo = str(directory / "demo.sqlite3")
        shutil.copyfile(name, demo)
    else:
        demo = f"{name}_demo"
        _pg_create(connection.creation, demo, name)
    connection.settings_dict["NAME"] = demo
    output = io.StringIO()
    call_command("demo", no_migrate=True, stdout=output)
    connection.close()
    connection.settings_dict["NAME"] = name
    files = []
    folders = [""]
    while folders:
        folder = folders.pop()
        subfolders, names = default_storage.listdir(folder)
        folders += [f"{folder}{sub}/" for sub in subfolders]
        files += [f"{folder}{file}" for file in names]
    for file in files:
        target = directory / DEMO_FILES / file
        target.parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(file, "rb") as stored:
            target.write_bytes(stored.read())
    return demo, sorted(files), output.getvalue()


def drop(directory: Path) -> None:
    """Remove a template that `build` made (the PostgreSQL database and the directory)."""
    meta = _meta(directory)
    if meta and meta["vendor"] == "postgresql":
        from django.db import connections

        connection = connections["default"]
        with connection.creation._nodb_cursor() as cursor:
            for name in (meta.get("demo"), meta["name"]):
                if name:
                    cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)}")
    shutil.rmtree(directory, ignore_errors=True)


def _meta(directory: Path) -> dict | None:
    try:
        return json.loads((directory / META).read_text())
    except (OSError, ValueError):
        return None


def _meta_when_built(directory: Path, timeout: float = 900.0) -> dict | None:
    """The template's record, once its build is over: tools/runtests.py starts the SQLite pass while the
    template is still migrating (the workers collect the suite meanwhile) and names the build's process in
    BUILDING. None when no build was started there or it ended without one (a failed build: runtests reports it
    and stops the run)."""
    marker = directory / BUILDING
    deadline = time.monotonic() + timeout
    while (meta := _meta(directory)) is None and time.monotonic() < deadline:
        try:
            os.kill(int(marker.read_text()), 0)
        except (OSError, ValueError):  # no build under way (none started, or it has ended)
            return _meta(directory)
        time.sleep(0.2)
    return meta


def install() -> bool:
    """In a test process: have the default alias's `create_test_db` clone the template named by
    KECHUANG_TEST_TEMPLATE when there is one for this database and these migrations. Whether it will."""
    from django.db import connections

    directory = os.environ.get(ENV, "")
    meta = _meta_when_built(Path(directory)) if directory else None
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
        _pg_create(creation, name, meta["name"])
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
    global _cloned
    _cloned = meta
    return name


def _pg_create(creation, name: str, template: str) -> None:
    """(Re)create the PostgreSQL database `name` as a copy of `template`."""
    quote = creation.connection.ops.quote_name
    for attempt in range(20):
        try:
            with creation._nodb_cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)}")
                cursor.execute(f"CREATE DATABASE {quote(name)} WITH TEMPLATE {quote(template)}")
            return
        except Exception as exc:  # the template briefly in use (another clone's check): try again
            if "being accessed by other users" not in str(exc) or attempt == 19:
                raise
            time.sleep(0.5)


def demo_load() -> str:
    """The demo province in this process's test database, for a module's tests (outside their transactions):
    the database restored from the run's demo template with the files the demo stored, or, in a process
    that cloned no template, `kechuang demo`. What that command printed when it loaded this demo."""
    if not (_cloned and _cloned.get("demo")):
        import io

        from django.core.management import call_command

        output = io.StringIO()
        call_command("demo", no_migrate=True, stdout=output)
        return output.getvalue()
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    _restore(_cloned["demo"])
    for name in _cloned["demo_files"]:
        default_storage.delete(name)
        content = (Path(_cloned["directory"]) / DEMO_FILES / name).read_bytes()
        if default_storage.save(name, ContentFile(content)) != name:
            raise RuntimeError(f"the demo's file {name} was not stored under its name")
    return _cloned.get("demo_output", "")


def demo_unload() -> None:
    """After a module's tests: the database as it was before `demo_load` (the migrated template again), or,
    in a process that cloned no template, flushed."""
    if not (_cloned and _cloned.get("demo")):
        from django.core.management import call_command

        call_command("flush", interactive=False, verbosity=0)
        return
    _restore(_cloned["name"])


def _restore(source: str) -> None:
    """Replace the default alias's test database by a copy of the template database `source`; forget what
    the process kept of the old one (cached pages and figures, content types)."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.cache import caches
    from django.db import connections

    connection = connections["default"]
    creation = connection.creation
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite" and creation.is_in_memory_db(name):
        connection.ensure_connection()  # the shared in-memory database, overwritten in place
        template = sqlite3.connect(source)
        try:
            template.backup(connection.connection)
        finally:
            template.close()
    else:
        for other in connections.all():
            other.close()
        if connection.vendor == "sqlite":
            shutil.copyfile(source, name)
        else:
            _pg_create(creation, name, source)
    for cache in caches.all():
        cache.clear()
    ContentType.objects.clear_cache()


if __name__ == "__main__":
    # python -m kechuang.core.dbtemplate build|drop DIRECTORY (tools/runtests.py), with the test settings.
    import django

    django.setup()
    action, folder = sys.argv[1], Path(sys.argv[2])
    if action == "build":
        started = time.process_time()
        made = build(folder)
        print(
            f"template {made['vendor']} databases (migrated; and the demo loaded) made in "
            f"{time.process_time() - started:.1f} s of CPU"
        )
    else:
        drop(folder)
