"""The cloned test databases (kechuang.core.dbtemplate): a test process clones only a template made from the
migrations it has; otherwise it migrates as before."""

import json
import sqlite3

import pytest
from django.db import connections

from kechuang.core import dbtemplate


def test_a_test_process_clones_only_a_template_of_its_own_migrations(tmp_path, monkeypatch, db):
    creation = connections["default"].creation
    before = vars(creation).get("create_test_db")
    try:
        monkeypatch.delenv(dbtemplate.ENV, raising=False)
        assert not dbtemplate.install()
        monkeypatch.setenv(dbtemplate.ENV, str(tmp_path))
        assert not dbtemplate.install()  # no template built there
        meta = {
            "vendor": connections["default"].vendor,
            "engine": connections["default"].settings_dict["ENGINE"],
            "name": "x",
            "migrations": "0" * 64,
        }
        (tmp_path / dbtemplate.META).write_text(json.dumps(meta))
        assert not dbtemplate.install()  # built from other migrations
        (tmp_path / dbtemplate.META).write_text(json.dumps({**meta, "engine": "django.db.backends.other"}))
        assert not dbtemplate.install()
        (tmp_path / dbtemplate.META).write_text(
            json.dumps({**meta, "migrations": dbtemplate.migrations_digest()})
        )
        vars(creation).pop("create_test_db", None)
        assert dbtemplate.install()
        assert vars(creation)["create_test_db"] is not None
    finally:
        vars(creation).pop("create_test_db", None)
        if before is not None:
            creation.create_test_db = before


def test_the_digest_changes_with_any_migration_file(monkeypatch):
    from pathlib import Path

    digest = dbtemplate.migrations_digest()
    assert digest == dbtemplate.migrations_digest()
    read = Path.read_bytes

    def edited(path):
        text = read(path)
        return (
            text + b"# edited"
            if path.name == "0001_initial.py" and path.parent.parent.name == "review"
            else text
        )

    monkeypatch.setattr(Path, "read_bytes", edited)
    assert dbtemplate.migrations_digest() != digest


@pytest.mark.django_db(transaction=True)
def test_a_demo_module_gets_the_demo_template_with_its_files_and_then_the_database_it_had(
    tmp_path, monkeypatch
):
    """demo_load restores the process's database from the run's demo template (and writes the files the demo
    stored), demo_unload the database it had: here two templates made of this test database, one without and
    one with a unit of the 'demo'. On PostgreSQL the demo is a copy under a name of its own that every alias on
    the test database (its mirror too) is pointed at, and back; the copy is dropped beside the tests and gone
    once `finish` has waited for it."""
    from django.core.files.storage import default_storage

    from kechuang.accounts.models import Unit
    from kechuang.accounts.tests.factories import UnitFactory

    connection = connections["default"]
    made = []

    def template(label: str) -> str:
        """A template database holding what the test database holds now."""
        if connection.vendor == "sqlite":
            path = str(tmp_path / f"{label}.sqlite3")
            copy = sqlite3.connect(path)
            connection.ensure_connection()
            connection.connection.backup(copy)
            copy.close()
            return path
        name = f"{connection.settings_dict['NAME']}_{label}"
        for other in connections.all():
            other.close()
        dbtemplate._pg_create(connection.creation, name, connection.settings_dict["NAME"])
        made.append(name)
        return name

    try:
        plain = template("plain")
        UnitFactory(name="演示克隆大学")
        demo = template("demo")
        Unit.objects.filter(name="演示克隆大学").delete()
        (tmp_path / dbtemplate.DEMO_FILES / "funds").mkdir(parents=True)
        (tmp_path / dbtemplate.DEMO_FILES / "funds" / "凭证.pdf").write_bytes(b"%PDF-1.4 demo")
        monkeypatch.setattr(
            dbtemplate,
            "_cloned",
            {
                "name": plain,
                "demo": demo,
                "demo_files": ["funds/凭证.pdf"],
                "directory": str(tmp_path),
                "demo_output": "演示数据：accounts 已载入\n",
            },
        )
        own = connection.settings_dict["NAME"]
        # what `kechuang demo` printed when the template was built (web's test of the demo reads it)
        assert dbtemplate.demo_load() == "演示数据：accounts 已载入\n"
        assert Unit.objects.filter(name="演示克隆大学").count() == 1
        assert connections["replica1"].settings_dict["NAME"] == connection.settings_dict["NAME"]
        copy = connection.settings_dict["NAME"]
        assert (copy != own) == (connection.vendor == "postgresql")
        with default_storage.open("funds/凭证.pdf", "rb") as stored:
            assert stored.read() == b"%PDF-1.4 demo"
        dbtemplate.demo_unload()
        assert not Unit.objects.filter(name="演示克隆大学").exists()
        assert connection.settings_dict["NAME"] == connections["replica1"].settings_dict["NAME"] == own
        dbtemplate.finish()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM pg_database WHERE datname = %s", [copy])
                assert cursor.fetchone()[0] == 0
    finally:
        default_storage.delete("funds/凭证.pdf")
        if made:
            connection.close()
            with connection.creation._nodb_cursor() as cursor:
                for name in made:
                    cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)}")


def test_a_test_process_waits_for_a_template_still_being_built_and_only_then(tmp_path):
    """tools/runtests.py starts the SQLite pass while the template migrates, naming the build's process in
    BUILDING: a worker waits for the record while that process lives, and not at all without one."""
    import subprocess
    import sys
    import threading
    import time

    assert dbtemplate._meta_when_built(tmp_path, timeout=5) is None  # no build under way: at once
    builder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        (tmp_path / dbtemplate.BUILDING).write_text(str(builder.pid))
        meta = {"vendor": "sqlite", "name": "x"}
        threading.Timer(0.5, lambda: (tmp_path / dbtemplate.META).write_text(json.dumps(meta))).start()
        started = time.monotonic()
        assert dbtemplate._meta_when_built(tmp_path, timeout=20) == meta
        assert 0.4 < time.monotonic() - started < 20
        (tmp_path / dbtemplate.META).unlink()
        assert dbtemplate._meta_when_built(tmp_path, timeout=0.5) is None  # waited its timeout, then gave up
    finally:
        builder.kill()
        builder.wait()
    started = time.monotonic()
    assert dbtemplate._meta_when_built(tmp_path, timeout=20) is None  # the build has ended without a record
    assert time.monotonic() - started < 5


def tiny_world():
    """A world's function for the test below (run by `python -m kechuang.core.dbtemplate world`): a unit and a
    stored file."""
    from types import SimpleNamespace

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from kechuang.accounts.tests.factories import UnitFactory

    w = SimpleNamespace(unit=UnitFactory(name="世界模板大学"))
    w.file = default_storage.save("world/凭证.pdf", ContentFile(b"%PDF-1.4 world"))
    return w


@pytest.mark.django_db(transaction=True)
def test_a_world_is_built_once_in_its_own_process_and_restored_with_its_objects_and_files(
    tmp_path, monkeypatch
):
    """`build --world KEY=module:function` runs the function in a process of its own on a copy of the migrated
    template (_start_world, _build_world); world_load restores a module's database from that copy, writes back
    the files it stored and returns the objects it returned; world_unload restores the migrated template. A
    world whose function's source differs from the one built is not restored (the module builds its own)."""
    from django.core.files.storage import default_storage

    from kechuang.accounts.models import Unit

    connection = connections["default"]
    if connection.vendor == "sqlite":
        plain = str(tmp_path / "plain.sqlite3")
        copy = sqlite3.connect(plain)
        connection.ensure_connection()
        connection.connection.backup(copy)
        copy.close()
    else:
        plain = f"{connection.settings_dict['NAME']}_plain"
        for other in connections.all():
            other.close()
        dbtemplate._pg_create(connection.creation, plain, connection.settings_dict["NAME"])
    world = None
    try:
        world, proc = dbtemplate._start_world(
            tmp_path, connection, plain, "tiny", "kechuang.core.tests.test_dbtemplate:tiny_world"
        )
        record = dbtemplate._world_built(tmp_path, "tiny", world, proc)
        assert record == {
            "name": world,
            "files": ["world/凭证.pdf"],
            "source": dbtemplate.source_digest(tiny_world),
        }
        assert not default_storage.exists("world/凭证.pdf")  # stored in the world's process, not here
        monkeypatch.setattr(
            dbtemplate, "_cloned", {"name": plain, "directory": str(tmp_path), "worlds": {"tiny": record}}
        )

        assert dbtemplate._world("tiny", tiny_world) == record
        # a function of another file (another source): not restored, the module builds its own
        assert dbtemplate._world("tiny", dbtemplate.drop) is None
        w = dbtemplate.world_load("tiny", tiny_world)
        assert Unit.objects.get(name="世界模板大学").pk == w.unit.pk
        with default_storage.open(w.file, "rb") as stored:
            assert stored.read() == b"%PDF-1.4 world"
        dbtemplate.world_unload("tiny", tiny_world)
        assert not Unit.objects.filter(name="世界模板大学").exists()
    finally:
        default_storage.delete("world/凭证.pdf")
        if connection.vendor == "postgresql":
            connection.close()
            with connection.creation._nodb_cursor() as cursor:
                for name in (world, plain):
                    if name:
                        cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)}")


def test_a_failed_world_fails_the_build_with_its_output(tmp_path):
    import subprocess
    import sys

    (tmp_path / "world-broken.log").write_text("Traceback: no such module\n")
    proc = subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"])
    with pytest.raises(RuntimeError, match="no such module"):
        dbtemplate._world_built(tmp_path, "broken", "x", proc)


def _gone_pid() -> int:
    """The process id of a process that has ended."""
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_stale_names_are_only_this_modules_own_of_a_process_gone():
    """`stale` picks, of the test database `base`'s naming only, a run's templates and a process's copies whose
    process is gone; another's live process, another base, a name without its process (the old `_copyN`) kept."""
    import os

    base, gone, live = "test_ci", 41, 42
    names = [
        f"{base}_template_{gone}",
        f"{base}_template_{gone}_demo",
        f"{base}_template_{gone}_world_matrix",
        f"{base}_copy{gone}_1",
        f"{base}_gw3_copy{gone}_12",
        f"{base}_template_{live}",
        f"{base}_template_{live}_demo",
        f"{base}_gw0_copy{live}_2",
        f"{base}_copy3",  # named before the process was in the name: whose, unknown
        f"{base}_gw0",
        base,
        f"{base}2_copy{gone}_1",
        f"other_{base}_copy{gone}_1",
        f"{base}_copy{gone}_1x",
        f"{base}_template_{gone}_other",
    ]
    assert dbtemplate.stale(names, base, lambda pid: pid == live) == names[:5]
    assert dbtemplate._alive(os.getpid())
    assert not dbtemplate._alive(_gone_pid())


@pytest.mark.django_db
def test_a_build_drops_what_killed_runs_left_and_nothing_in_use():
    """On PostgreSQL `sweep` (run by every `build`) drops the copies and templates of its naming whose process is
    gone, and keeps one whose process lives and one somebody is connected to, its process gone or not."""
    import os

    import psycopg

    connection = connections["default"]
    if connection.vendor != "postgresql":
        pytest.skip("the copies and templates left behind are PostgreSQL databases")
    base = f"{connection.settings_dict['NAME']}_sweep"
    gone = _gone_pid()
    left = [f"{base}_gw3_copy{gone}_2", f"{base}_template_{gone}_world_matrix"]
    kept = [f"{base}_copy{os.getpid()}_1", f"{base}_copy{gone}_4"]
    quote = connection.ops.quote_name
    with connection.creation._nodb_cursor() as cursor:
        for name in left + kept:
            cursor.execute(f"CREATE DATABASE {quote(name)}")
    settings = connection.settings_dict
    someone = psycopg.connect(
        dbname=kept[1],
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
    )
    try:
        assert sorted(dbtemplate.sweep(connection, base)) == sorted(left)
        with connection.creation._nodb_cursor() as cursor:
            cursor.execute("SELECT datname FROM pg_database")
            assert sorted(row[0] for row in cursor.fetchall() if row[0].startswith(base)) == sorted(kept)
    finally:
        someone.close()
        with connection.creation._nodb_cursor() as cursor:
            for name in left + kept:
                cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)}")
