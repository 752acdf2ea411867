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

A test module's own world goes the same way (`build --world KEY=module:function`, `world_load`, `world_unload`):
the permission matrix's scenario world (tests/test_permission_matrix.py `build_world`, about 33 s of CPU on
SQLite) was built by both of its modules in every pass, one per worker. The build now makes it once, in a
process of its own beside the demo's load (_start_world, _build_world: a copy of the migrated template, the
function run on it, what it returned pickled and the files it stored kept beside it), and each module restores its process's
database from that copy and unpickles the same objects — the same rows, ids, sessions and tokens its own build
would have made. A process that cloned no template, or whose world's source differs from the one built, builds
it itself as before.

On PostgreSQL a module's demo or world is a copy of that template under a name of its own (`<test db>_copy<pid>_<n>`), and
the process's connections are pointed at it; after the module they are pointed back at the process's own database,
left as it was, and the copy is dropped in a thread beside the next tests (_drop_beside; `finish` waits for those
drops at the end of the session). The restore had dropped and re-created the process's database twice a module (the
template's copy in, the migrated template's copy back): a DROP DATABASE waits for a checkpoint of the whole server,
1.4-2.3 s of wall each under load, about 25 a pass.

Every PostgreSQL database of this module's making names the process whose run it belongs to: a template
`<test db>_template_<pid>` (and its `_demo`, `_world_<key>`) the run of tools/runtests.py that asked for it
(RUN_PID), a module's copy `<own database>_copy<pid>_<n>` the test process that made it. A run killed (or a worker
of it) leaves them behind; the next `build` drops those of its own test database's naming whose process is gone
and that nobody is connected to (`sweep`): never a database another running run uses.
"""

import hashlib
import importlib
import json
import os
import pickle
import re
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

ENV = "KECHUANG_TEST_TEMPLATE"
META = "template.json"
BUILDING = "building.pid"  # written by tools/runtests.py beside a build still under way: its process id
DEMO_FILES = "demo-files"  # what the demo stored (default_storage), by name, beside the demo template
WORLD_FILES = "world-{key}-files"  # what a world's function stored, by name, beside its template
WORLD_PICKLE = "world-{key}.pickle"  # what it returned
RUN_PID = "KECHUANG_TEST_RUN_PID"  # set by tools/runtests.py for `build`: the run the template belongs to
_cloned: dict | None = None  # the template this process's database was cloned from (install)
# PostgreSQL: the process's own test database while a module works on a copy (_pg_switch), the copies' numbers,
# and the copies being dropped beside the tests (_drop_beside).
_home: str | None = None
_copies = iter(range(1, 1_000_000))
_dropping: list[tuple[str, threading.Thread, list]] = []


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


def source_digest(function) -> str:
    """A digest of the file that defines `function` (a world's builder): a world built from other source is
    not restored."""
    import inspect

    return hashlib.sha256(Path(inspect.getsourcefile(function)).read_bytes()).hexdigest()


def build(directory: Path, worlds: dict[str, str] | None = None) -> dict:
    """Migrate a template database for the default alias of the current settings, a copy of it with the
    demo province loaded (_build_demo), and one for each of `worlds` (key: "module:function") with what that
    function made, built beside the demo in a process of its own; record them in `directory`."""
    from django.db import connections

    directory.mkdir(parents=True, exist_ok=True)
    connection = connections["default"]
    if connection.vendor == "sqlite":
        name = str(directory / "template.sqlite3")
    else:
        # Beside the runs' own test_<name>[_gwN] databases, one per run of tools/runtests.py (named by its
        # process: `sweep` drops it once that process is gone), after what killed runs left of that naming.
        base = connection.creation._get_test_db_name()
        sweep(connection, base)
        name = f"{base}_template_{int(os.environ.get(RUN_PID) or os.getpid())}"
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
    started: dict[str, tuple[str, subprocess.Popen]] = {}
    try:
        for key, spec in (worlds or {}).items():
            started[key] = _start_world(directory, connection, name, key, spec)
        meta["demo"], meta["demo_files"], meta["demo_output"] = _build_demo(directory, connection, name)
        meta["worlds"] = {key: _world_built(directory, key, *made) for key, made in started.items()}
    except BaseException:  # no template.json, so `drop` would not find them: drop them here
        for _, proc in started.values():
            if proc.poll() is None:
                proc.kill()
            proc.wait()
        if connection.vendor == "postgresql":
            connection.close()
            with connection.creation._nodb_cursor() as cursor:
                for database in (f"{name}_demo", *(made[0] for made in started.values()), name):
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
    files = _stored_files()
    for file in files:
        target = directory / DEMO_FILES / file
        target.parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(file, "rb") as stored:
            target.write_bytes(stored.read())
    return demo, files, output.getvalue()


def _start_world(directory: Path, connection, name: str, key: str, spec: str) -> tuple[str, subprocess.Popen]:
    """A copy of the migrated template `name` for the world `key`, and the process that builds it there
    (`python -m kechuang.core.dbtemplate world …`, _build_world), started now: it runs beside the demo's load."""
    if connection.vendor == "sqlite":
        database = str(directory / f"world-{key}.sqlite3")
        shutil.copyfile(name, database)
    else:
        database = f"{name}_world_{key}"
        _pg_create(connection.creation, database, name)
    with open(directory / f"world-{key}.log", "wb") as log:  # read if it fails (_world_built)
        proc = subprocess.Popen(
            [sys.executable, "-m", "kechuang.core.dbtemplate", "world", str(directory), key, database, spec],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    return database, proc


def _world_built(directory: Path, key: str, database: str, proc: subprocess.Popen) -> dict:
    """Wait for a world's build (_start_world); its record in template.json. A failed build fails `build`."""
    if proc.wait() != 0:
        output = (directory / f"world-{key}.log").read_text(errors="replace")
        raise RuntimeError(f"the world {key!r} was not built (exit {proc.returncode}):\n{output}")
    return {"name": database, **json.loads((directory / f"world-{key}.json").read_text())}


def _build_world(directory: Path, key: str, database: str, spec: str) -> None:
    """In the world's own process: run the function `spec` ("module:function") on the database `database` as a
    test module would (the test environment set up: mail kept in memory), then keep what it returned (pickled)
    and the files it stored, and write the record _world_built reads."""
    from django.core.files.storage import default_storage
    from django.db import connections
    from django.test.utils import setup_test_environment

    setup_test_environment()
    connection = connections["default"]
    connection.settings_dict["NAME"] = database
    module, function = spec.split(":")
    builder = getattr(importlib.import_module(module), function)
    world = builder()
    connection.close()
    files = _stored_files()
    for file in files:
        target = directory / WORLD_FILES.format(key=key) / file
        target.parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(file, "rb") as stored:
            target.write_bytes(stored.read())
    (directory / WORLD_PICKLE.format(key=key)).write_bytes(pickle.dumps(world))
    record = {"files": files, "source": source_digest(builder)}
    (directory / f"world-{key}.json").write_text(json.dumps(record))


def stale(names: list[str], base: str, alive) -> list[str]:
    """Of the database names `names`, those of this module's naming for the test database `base` whose
    process `alive(pid)` says is gone: a run's templates (`<base>_template_<pid>`, `…_demo`, `…_world_<key>`)
    and a test process's copies (`<base>[_gwN]_copy<pid>_<n>`)."""
    own = re.compile(rf"{re.escape(base)}(?:_template_(\d+)(?:_demo|_world_\w+)?|(?:_gw\d+)?_copy(\d+)_\d+)")
    return [
        name
        for name in names
        if (match := own.fullmatch(name)) and not alive(int(match.group(1) or match.group(2)))
    ]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # someone else's process
        return True
    return True


def sweep(connection, base: str) -> list[str]:
    """Drop what killed runs left of the test database `base`'s naming (`stale`): databases whose process has
    gone and to which no session is connected; a plain DROP DATABASE, which refuses a database still in use.
    The names dropped."""
    quote = connection.ops.quote_name
    dropped = []
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute(
            "SELECT datname FROM pg_database d WHERE NOT datistemplate"
            " AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datid = d.oid)"
        )
        for name in stale([row[0] for row in cursor.fetchall()], base, _alive):
            try:
                cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)}")
            except Exception as exc:  # connected to since: someone's, left alone
                if "being accessed by other users" not in str(exc):
                    raise
                continue
            dropped.append(name)
    return dropped


def _stored_files() -> list[str]:
    """Every file in the default storage, by name."""
    from django.core.files.storage import default_storage

    files = []
    folders = [""]
    while folders:
        folder = folders.pop()
        subfolders, names = default_storage.listdir(folder)
        folders += [f"{folder}{sub}/" for sub in subfolders]
        files += [f"{folder}{file}" for file in names]
    return sorted(files)


def drop(directory: Path) -> None:
    """Remove a template that `build` made (the PostgreSQL databases and the directory)."""
    meta = _meta(directory)
    if meta and meta["vendor"] == "postgresql":
        from django.db import connections

        connection = connections["default"]
        worlds = [world["name"] for world in meta.get("worlds", {}).values()]
        with connection.creation._nodb_cursor() as cursor:
            for name in (meta.get("demo"), *worlds, meta["name"]):
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
    _restore(_cloned["demo"])
    _store(Path(_cloned["directory"]) / DEMO_FILES, _cloned["demo_files"])
    return _cloned.get("demo_output", "")


def _store(folder: Path, names: list[str]) -> None:
    """Write the files kept in `folder` to the default storage, each under its name."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    for name in names:
        default_storage.delete(name)
        if default_storage.save(name, ContentFile((folder / name).read_bytes())) != name:
            raise RuntimeError(f"the template's file {name} was not stored under its name")


def demo_unload() -> None:
    """After a module's tests: the database as it was before `demo_load` (the migrated template again), or,
    in a process that cloned no template, flushed."""
    if not (_cloned and _cloned.get("demo")):
        from django.core.management import call_command

        call_command("flush", interactive=False, verbosity=0)
        return
    _restore(_cloned["name"], back=True)


def _world(key: str, builder) -> dict | None:
    """The run's template of the world `key`, when this process cloned one built from `builder`'s source."""
    world = (_cloned or {}).get("worlds", {}).get(key)
    if world and world["source"] == source_digest(builder):
        return world
    return None


def world_load(key: str, builder):
    """A test module's world in this process's test database (outside the tests' transactions): the database
    restored from the run's template of that world (`build --world KEY=…`) with the files its function stored,
    and what the function returned then; or, in a process that cloned no such template, `builder()` run here."""
    world = _world(key, builder)
    if world is None:
        return builder()
    _restore(world["name"])
    directory = Path(_cloned["directory"])
    _store(directory / WORLD_FILES.format(key=key), world["files"])
    return pickle.loads((directory / WORLD_PICKLE.format(key=key)).read_bytes())


def world_unload(key: str, builder) -> None:
    """After the module: the database as it was before `world_load` (the migrated template again), or, when
    the world was built here, flushed."""
    if _world(key, builder) is None:
        from django.core.management import call_command

        call_command("flush", interactive=False, verbosity=0)
        return
    _restore(_cloned["name"], back=True)


def _restore(source: str, back: bool = False) -> None:
    """Replace the default alias's test database by a copy of the template database `source`; forget what
    the process kept of the old one (cached pages and figures, content types). `back` (after a module): the
    database the process had before the module's copy — on PostgreSQL its own database again, as it was left
    (_pg_switch), on SQLite a copy of `source`, the migrated template."""
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
            _pg_switch(creation, source, back)
    for cache in caches.all():
        cache.clear()
    ContentType.objects.clear_cache()


def _pg_switch(creation, source: str, back: bool) -> None:
    """PostgreSQL: point the process's connections at a new copy of `source` (`<own database>_copy<pid>_<n>`), or
    with `back` at the process's own database again; the copy left is dropped beside the next tests. Nothing
    is dropped and re-created under the tests' feet: a DROP DATABASE waits for a checkpoint of the whole
    server (1.4-2.3 s of wall each under load, twice a module before)."""
    global _home
    name = creation.connection.settings_dict["NAME"]
    if back and _home is None:  # no copy in use (a module's load did not switch): as before
        _pg_create(creation, name, source)
        return
    home = _home or name
    target = home if back else f"{home}_copy{os.getpid()}_{next(_copies)}"  # named by its process: sweep
    if not back:
        _pg_create(creation, target, source)
    _point(name, target)
    _home = None if back else home
    if name != home:  # the copy the module had
        _drop_beside(creation, name)


def _point(old: str, new: str) -> None:
    """Every alias on the database `old` (the default and its test mirrors) now on `new`."""
    from django.conf import settings
    from django.db import connections

    for alias in connections:
        for entry in (connections[alias].settings_dict, settings.DATABASES[alias]):
            if entry.get("NAME") == old:
                entry["NAME"] = new


def _drop_beside(creation, name: str) -> None:
    """DROP DATABASE `name` in a thread of its own, beside the tests that go on (its wait for the server's
    checkpoint is the server's, not this process's); `finish` waits for it."""
    failed: list = []
    wrapper, server = creation.connection.__class__, {**creation.connection.settings_dict, "NAME": None}

    def drop() -> None:
        nodb = wrapper(server, alias="__dbtemplate_drop__")  # made in its thread: Django's are per thread
        try:
            with nodb.cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {nodb.ops.quote_name(name)}")
        except Exception as exc:  # dropped again, in this process's thread, by finish
            failed.append(exc)
        finally:
            nodb.close()

    thread = threading.Thread(target=drop, name=f"drop {name}", daemon=True)
    thread.start()
    _dropping.append((name, thread, failed))


def finish() -> None:
    """At the end of a test session: wait for the copies being dropped (_drop_beside); one whose drop failed
    is dropped here, and an error then is raised. Idempotent (every conftest that imports the hook calls it)."""
    while _dropping:
        name, thread, failed = _dropping.pop(0)
        thread.join()
        if failed:
            from django.db import connections

            creation = connections["default"].creation
            with creation._nodb_cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {creation.connection.ops.quote_name(name)}")


if __name__ == "__main__":
    # python -m kechuang.core.dbtemplate build DIRECTORY [--world KEY=module:function]... | drop DIRECTORY
    # (tools/runtests.py), with the test settings; `world DIRECTORY KEY DATABASE SPEC` is build's own process
    # for one world.
    import django

    django.setup()
    action, folder = sys.argv[1], Path(sys.argv[2])
    if action == "build":
        specs = dict(
            arg.split("=", 1) for flag, arg in zip(sys.argv[3::2], sys.argv[4::2]) if flag == "--world"
        )
        started = time.process_time()
        made = build(folder, specs)
        print(
            f"template {made['vendor']} databases (migrated; the demo loaded"
            f"{''.join(f'; the world {key}' for key in specs)}) made in "
            f"{time.process_time() - started:.1f} s of CPU (a world's own process not counted)"
        )
    elif action == "world":
        _build_world(folder, *sys.argv[3:6])
    else:
        drop(folder)
