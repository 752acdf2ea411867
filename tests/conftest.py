# Cross-app tests use the same fixtures as the apps' own tests.
import contextlib
import io

import pytest

from kechuang.conftest import *  # noqa: F403

# `import *` leaves out names starting with "_": the autouse reset of the active language is taken by name, so a
# page requested in English here does not leave English active for the next test in the same worker (an app
# test reading the site's language then read English: test_job_error_language under xdist).
from kechuang.conftest import _language_reset  # noqa: F401

# The demo province, loaded once per worker ------------------------------------------------------------------
# `kechuang demo` costs ~10 s of CPU, and flushing it out again as much (more on PostgreSQL, where the flush
# re-creates the content types and permissions). The crawl, the API fuzz pass and the accessibility sweeps
# each want it for one module: the first of them on a worker loads it once and keeps a copy; every module
# that asks for `demo_db` then starts from that copy and leaves the database exactly as it found it (the rows
# seeded by the migrations included, which a flush took out). SQLite (in memory): the database is copied
# page by page with sqlite3's backup API. PostgreSQL: the copy is a database made from the worker's test
# database (CREATE DATABASE ... TEMPLATE), and each module runs on a fresh database made from that copy.


class _DemoWorld:
    """The demo province as a copy of this worker's test database with the demo loaded."""

    def __init__(self, connection):
        self.connection = connection
        self.vendor = connection.vendor
        self.saved = None  # SQLite: the copy
        self.name = connection.settings_dict["NAME"]  # PostgreSQL: the worker's own test database

    # SQLite ----------------------------------------------------------------------------------------------
    def _sqlite_copy(self):
        import sqlite3

        self.connection.ensure_connection()
        copy = sqlite3.connect(":memory:", check_same_thread=False)
        self.connection.connection.backup(copy)
        return copy

    def _sqlite_restore(self, copy):
        self.connection.ensure_connection()
        copy.backup(self.connection.connection)

    # PostgreSQL ------------------------------------------------------------------------------------------
    def _pg(self, sql: str) -> None:
        from django.db import connections

        connections.close_all()  # a database that is a template, or is dropped, must have no session
        with self.connection._nodb_cursor() as cursor:
            cursor.execute(sql)

    def _pg_use(self, name: str) -> None:
        """Point the connection (and its test mirrors, which share its settings) at database `name`."""
        from django.conf import settings
        from django.db import connections

        connections.close_all()
        self.connection.settings_dict["NAME"] = name
        settings.DATABASES[self.connection.alias]["NAME"] = name

    def build(self):
        from django.core.management import call_command

        if self.vendor == "sqlite":
            before = self._sqlite_copy()
            call_command("demo", no_migrate=True, verbosity=0, stdout=io.StringIO())
            self.saved = self._sqlite_copy()
            self._sqlite_restore(before)
            before.close()
            return
        self._pg(f'DROP DATABASE IF EXISTS "{self.name}_demo"')
        self._pg(f'CREATE DATABASE "{self.name}_demo" TEMPLATE "{self.name}"')
        self._pg_use(f"{self.name}_demo")
        try:
            call_command("demo", no_migrate=True, verbosity=0, stdout=io.StringIO())
        finally:
            self._pg_use(self.name)

    @contextlib.contextmanager
    def loaded(self):
        """The database holds the demo province inside the block, and is as it was before after it."""
        if self.vendor == "sqlite":
            before = self._sqlite_copy()
            self._sqlite_restore(self.saved)
            try:
                yield
            finally:
                self._sqlite_restore(before)
                before.close()
            return
        run = f"{self.name}_demorun"
        self._pg(f'DROP DATABASE IF EXISTS "{run}"')
        self._pg(f'CREATE DATABASE "{run}" TEMPLATE "{self.name}_demo"')
        self._pg_use(run)
        try:
            yield
        finally:
            self._pg_use(self.name)
            self._pg(f'DROP DATABASE IF EXISTS "{run}"')

    def drop(self):
        if self.saved is not None:
            self.saved.close()
        if self.vendor == "postgresql":
            self._pg(f'DROP DATABASE IF EXISTS "{self.name}_demo"')


@pytest.fixture(scope="session")
def _demo_world(django_db_setup, django_db_blocker):
    """The demo province, loaded once on this worker the first time a module asks for it."""
    from django.db import connection

    if connection.vendor not in ("sqlite", "postgresql"):
        pytest.skip(f"no copy of a {connection.vendor} database")
    world = _DemoWorld(connection)
    with django_db_blocker.unblock():
        world.build()
    yield world
    with django_db_blocker.unblock():
        world.drop()


@pytest.fixture(scope="module")
def demo_db(_demo_world, django_db_blocker):
    """The demo province for this module (its tests still each roll back), gone after it: no other module
    sees it, and the database is left as the module found it."""
    with django_db_blocker.unblock(), _demo_world.loaded():
        yield
