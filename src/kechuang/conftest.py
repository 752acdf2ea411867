"""Fixtures shared by every app's tests: one signed-in client per role, role groups seeded."""

import gc
import inspect
import itertools
import os
import unittest
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from kechuang.core.roles import Role

# Property tests check what holds, not how fast: no per-example deadline (a shared or loaded machine made
# the default 200 ms one fail at random). Speed is measured in benchmarks/.
hypothesis_settings.register_profile("kechuang", deadline=None)
hypothesis_settings.load_profile("kechuang")


# Tests that touch no database ----------------------------------------------------------------------------
# A test is database-free when nothing it asks for reaches the database: no django_db mark and, leaving out
# the seeding of the role groups below, no fixture in its closure that opens the test database. Such a test is
# marked `nodb` at collection and runs with the database refused (pytest-django's blocker: an ORM query
# errors, and asking for `db` or another database fixture on the fly fails at once), so the mark cannot be
# wrong without the test failing. It gives the same answer on SQLite and on PostgreSQL: tools/runtests.py
# leaves the `nodb` tests out of the PostgreSQL pass (-m "not nodb").
DATABASE_FIXTURES = frozenset(
    {
        "_django_db_helper",
        "db",
        "transactional_db",
        "django_db_reset_sequences",
        "django_db_serialized_rollback",
        "django_db_setup",
        "django_db_blocker",
        "live_server",
        # A test client's page reads the session and the signed-in user: a client counts as the database.
        "client",
        "async_client",
        "api_for",
        "django_assert_num_queries",  # counting queries needs the connection (even to count none)
        "django_assert_max_num_queries",
        "django_capture_on_commit_callbacks",
    }
)
_NODB = pytest.StashKey[bool]()
_ASKS_THE_DATABASE = frozenset({"connection", "connections", "vendor", "DATABASES"})


def _names(code) -> set[str]:
    """The global and attribute names a function's code (and the code nested in it) uses."""
    names = set(code.co_names)
    for const in code.co_consts:
        if hasattr(const, "co_names"):
            names |= _names(const)
    return names


def touches_database(item: pytest.Item) -> bool:
    """Whether `item` may reach the database: a django_db mark, or a database fixture among the fixtures it
    asks for (directly or through other fixtures), the autouse `_roles` seeding left out."""
    if item.get_closest_marker("django_db") or item.get_closest_marker("postgres"):
        return True
    info = getattr(item, "_fixtureinfo", None)
    function = getattr(item, "function", None)
    if info is None or function is None:
        return True  # not a plain test function (none in this suite): keep it with the database
    asked = set(info.argnames)
    for mark in item.iter_markers("usefixtures"):
        asked.update(mark.args)
    # The rest is the same for every case of one test function (its parametrised ids share the function, its
    # fixture information and its parents), unless a case names fixtures of its own (usefixtures): worked out once
    # per function rather than once per case — the closure was about a fifth of collecting the suite, in every
    # worker of both passes (the permission matrix alone is 5,500 cases of four functions; testtime12).
    key = (item.parent, function, id(info), frozenset(asked))
    known = item.session.stash.setdefault(_CLOSURES, {})
    if key not in known:
        known[key] = _function_touches_database(item, info, function, asked)
    return known[key]


_CLOSURES = pytest.StashKey[dict]()


def _function_touches_database(item: pytest.Item, info, function, asked: set[str]) -> bool:
    if getattr(item, "cls", None) and issubclass(item.cls, unittest.TestCase):
        return True  # not a plain test function (none in this suite): keep it with the database
    inner = getattr(getattr(function, "hypothesis", None), "inner_test", None) or inspect.unwrap(function)
    if _ASKS_THE_DATABASE.intersection(_names(function.__code__) | _names(inner.__code__)):
        return True  # it looks at the connection (a branch on the vendor, say): it may differ on PostgreSQL
    # pytest-django's own autouse fixtures are left out too: one of them holds the blocker for every test.
    names = tuple(n for n in info.initialnames if n != "_roles" and not _from_pytest_django(info, asked, n))
    closure, _ = item.session._fixturemanager.getfixtureclosure(
        parentnode=item, initialnames=names, ignore_args=frozenset()
    )
    return not DATABASE_FIXTURES.isdisjoint(closure)


def _from_pytest_django(info, asked: set[str], name: str) -> bool:
    """An autouse fixture of pytest-django's (one the test itself does not name)."""
    definitions = info.name2fixturedefs.get(name) or ()
    return name not in asked and any(d.func.__module__.startswith("pytest_django") for d in definitions[-1:])


def is_database_free(item: pytest.Item) -> bool:
    """Whether the item was marked `nodb` at collection."""
    return item.stash.get(_NODB, False)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    # tryfirst: the mark is set before `-m` selects on it. Idempotent: tests/conftest.py re-exports this hook.
    for item in items:
        if _NODB not in item.stash:
            item.stash[_NODB] = not touches_database(item)
            if item.stash[_NODB]:
                item.add_marker(pytest.mark.nodb)
    items[:] = heaviest_files_first(items)


def heaviest_files_first(items: list[pytest.Item]) -> list[pytest.Item]:
    """The files that hold a `slow` or `browser` test first, then the others by their number of tests (most
    first), each file's tests kept in order: xdist (--dist loadfile --no-loadscope-reorder, tools/runtests.py)
    hands out whole files in this order, so the long ones start early and the last to be handed out are short
    — its own reorder, by number of tests only, left the fuzz pass (8 tests, a minute and a half of CPU) and
    the accessibility sweep (1 test) for the end while the other worker stood idle."""
    files: dict[str, list[pytest.Item]] = {}
    for item in items:
        files.setdefault(item.nodeid.split("::", 1)[0], []).append(item)

    def weight(group: list[pytest.Item]) -> tuple[int, int]:
        heavy = any(i.get_closest_marker("slow") or i.get_closest_marker("browser") for i in group)
        return (0 if heavy else 1, -len(group))

    return [item for group in sorted(files.values(), key=weight) for item in group]


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """In xdist's controller: a worker has ended (no file left for it). tools/runtests.py starts the PostgreSQL
    pass then, beside the SQLite pass's last files (KECHUANG_TEST_WORKER_DONE names the file it watches)."""
    signal = os.environ.get("KECHUANG_TEST_WORKER_DONE")
    if signal:
        Path(signal).touch()


# The collector kept off what lives as long as the process ----------------------------------------------
# A test process holds about 650,000 tracked objects once it has collected the suite (Django, every test
# module, ten thousand items with their marks and fixtures), more once jieba's dictionary and the templates
# are loaded; every full collection walked all of them again (about 0.4 s of CPU each at that size), to
# find nothing: they live until the process ends. After collecting, and again after each test module (once
# its own garbage has been collected), the survivors are frozen (gc.freeze, as kechuang.core.warmup does for
# a serving process): a full collection then walks only what the current module made. A cycle frozen alive
# and dropped later is never collected: memory a short-lived test process can spare.


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session):
    gc.collect()
    gc.freeze()


@pytest.hookimpl(wrapper=True, trylast=True)
def pytest_runtest_teardown(item, nextitem):
    result = yield
    if nextitem is None or getattr(nextitem, "module", None) is not getattr(item, "module", None):
        gc.collect()
        gc.freeze()
    return result


@pytest.hookimpl(tryfirst=True)
def pytest_fixture_setup(fixturedef, request):
    if fixturedef.argname == "_django_db_helper" and is_database_free(request.node):
        pytest.fail(
            f"{request.node.nodeid} asked for the database on the fly (request.getfixturevalue) but was "
            "classified database-free (nodb): ask for `db` (or another database fixture) in its signature "
            "or mark it django_db",
            pytrace=False,
        )


def _tables_holding_rows(connection, tables: list[str]) -> list[str]:
    """Those of `tables` that hold a row, in one query per 400 tables (SQLite's limit on a compound SELECT)."""
    quote = connection.ops.quote_name
    held: list[str] = []
    with connection.cursor() as cursor:
        for start in range(0, len(tables), 400):
            chunk = tables[start : start + 400]
            cursor.execute(
                " UNION ALL ".join(
                    f"SELECT {i} WHERE EXISTS (SELECT 1 FROM {quote(t)})" for i, t in enumerate(chunk)
                )
            )
            held += [chunk[row[0]] for row in cursor.fetchall()]
    return held


def _types_and_permissions_as_migrated(connection) -> bool:
    """Whether the content types and permissions are exactly those the post_migrate signal makes (Django's
    create_contenttypes and create_permissions: one content type per model, its default permissions, each
    with its name), no more and no fewer: then a flush may keep them, and the post_migrate after it finds
    every one there and makes none."""
    from django.apps import apps
    from django.contrib.auth.management import _get_all_permissions
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    models = [m for config in apps.get_app_configs() if config.models_module for m in config.get_models()]
    types = {(m._meta.app_label, m._meta.model_name) for m in models}
    permissions = {
        (m._meta.app_label, m._meta.model_name, codename, name)
        for m in models
        for codename, name in _get_all_permissions(m._meta)
    }
    using = connection.alias
    return (
        set(ContentType.objects.using(using).values_list("app_label", "model")) == types
        and set(
            Permission.objects.using(using).values_list(
                "content_type__app_label", "content_type__model", "codename", "name"
            )
        )
        == permissions
    )


def _pg_tables_with_triggers(connection, tables: list[str]) -> set[str]:
    """Those of `tables` with a trigger of their own (the audit trail's, which refuses a DELETE row by row)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE NOT t.tgisinternal AND c.relname = ANY(%s) AND pg_table_is_visible(c.oid)",
            [tables],
        )
        return {row[0] for row in cursor.fetchall()}


def flush_sql_tables_holding_rows(style, connection, reset_sequences=True, allow_cascade=False):
    """Django's `flush` for the test processes: the same end state — every table empty, then the post_migrate
    signal that makes the content types and permissions again — with a DELETE of each table that holds a row
    instead of a TRUNCATE (PostgreSQL) or DELETE (SQLite) of all of them. Every transactional test ends with a
    flush (pytest-django's `transactional_db`, Django's TransactionTestCase), and after one nearly every table
    is empty already. On PostgreSQL a TRUNCATE of the ~150 tables (a new file for each table and index) took
    about 7 s of wall time a test at load 12 — 437 s of the last CI's PostgreSQL pass over 62 tests; 2026-12-07,
    testtime14. A table with a trigger of its own (the audit trail's refuses a DELETE row by row) is truncated
    as before (with CASCADE, so a table referencing it goes too: none does). Django's foreign keys are
    deferred to the end of the flush's transaction, so the order of the DELETEs does not matter. The content
    types and permissions are kept when they are exactly what post_migrate would make again (nothing added,
    renamed or removed by the test): it then finds them all and makes none, instead of ~150 content types and
    ~600 permissions through the ORM after every flush (about 40 ms of CPU on SQLite); their ids stay those of
    the migrated database. With `reset_sequences` (which the test runners do not ask for), or when no table
    holds a row (Django then sends no post_migrate), Django's own statements."""
    from django.core.management import sql as django_sql

    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    held = _tables_holding_rows(connection, sorted(tables)) if not reset_sequences else []
    if not held:
        return django_sql.sql_flush(
            style, connection, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
    kept = {"django_content_type", "auth_permission"}
    if kept <= set(held) and _types_and_permissions_as_migrated(connection):
        held = [t for t in held if t not in kept]
        if not held:
            return ["SELECT 1;"]  # nothing to delete; a statement still, for `flush` to send post_migrate
    if connection.vendor != "postgresql":
        return connection.ops.sql_flush(style, held, reset_sequences=False, allow_cascade=allow_cascade)
    quote = connection.ops.quote_name
    triggered = _pg_tables_with_triggers(connection, held)
    statements = [f"DELETE FROM {quote(t)};" for t in held if t not in triggered]
    if triggered:
        statements += connection.ops.sql_flush(
            style, sorted(triggered), reset_sequences=False, allow_cascade=True
        )
    return statements


def _install_flush() -> None:
    from django.core.management.commands import flush

    flush.sql_flush = flush_sql_tables_holding_rows


_install_flush()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """Just before pytest-django makes this process's test database (its name has the xdist worker's suffix by
    now): clone the run's migrated template instead of migrating, when tools/runtests.py built one
    (KECHUANG_TEST_TEMPLATE, kechuang.core.dbtemplate)."""
    from kechuang.core import dbtemplate

    dbtemplate.install()


def pytest_sessionfinish(session, exitstatus):
    """The copies of the run's templates that the demo and world modules used on PostgreSQL are dropped beside
    the tests (kechuang.core.dbtemplate._drop_beside): wait for those drops before the process ends."""
    from kechuang.core import dbtemplate

    dbtemplate.finish()


_ROLE_NAMES = tuple(Role.values)
_DB_MODULES = pytest.StashKey[frozenset]()


def _roles_present() -> bool:
    from django.contrib.auth.models import Group

    return Group.objects.filter(name__in=_ROLE_NAMES).count() == len(_ROLE_NAMES)


@pytest.fixture(scope="module", autouse=True)
def _roles_committed(request):
    """The role groups, written once (committed) before a module whose selected tests use the database, when
    a flush or a restored template left them out. Inside a test they were made in its transaction and rolled
    back with it: five lookups, savepoints and inserts for every database test (about 5 ms of CPU each, a
    minute and a half over both passes; 2026-12-06, testtime7). A module of `nodb` tests opens no database."""
    session = request.session
    if _DB_MODULES not in session.stash:
        session.stash[_DB_MODULES] = frozenset(
            item.module.__name__
            for item in session.items
            if isinstance(item, pytest.Function) and not is_database_free(item)
        )
    if request.module.__name__ not in session.stash[_DB_MODULES]:
        return
    request.getfixturevalue("django_db_setup")
    with request.getfixturevalue("django_db_blocker").unblock():
        if not _roles_present():
            from kechuang.accounts.services import roles_sync

            roles_sync()


@pytest.fixture(autouse=True)
def _roles(request):
    """The role groups, there for every test that uses the database (one query when `_roles_committed` wrote
    them; made in the test's transaction otherwise); a `nodb` test gets no database."""
    if is_database_free(request.node):
        return
    request.getfixturevalue("db")
    if not _roles_present():
        from kechuang.accounts.services import roles_sync

        roles_sync()


@pytest.fixture(autouse=True)
def _cache_empty():
    """Each test starts with an empty cache. The cache (LocMem in tests) outlives a test's database transaction:
    rate-limit and throttle counters, the dashboard's cards and cached counts a test left behind were read by the
    next one in the same process — under pytest-randomly an order-dependent failure (the documents verification
    API's limit test answered 429 at once after the page's limit test, 2026-12-07), or a stale card for a user whose
    id a rolled-back test had used. Clearing a LocMem cache is a dict clear."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _language_reset():
    """A page requested in English (the language cookie) leaves English active in this thread: back to the
    default after each test, so the next one reads Chinese as it expects."""
    yield
    from django.utils import translation

    translation.deactivate()


_MEDIA_COUNT = itertools.count()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path_factory):
    """Each test its own MEDIA_ROOT (not made: the code that writes there makes its folders), numbered in a
    folder of the process's base temporary folder rather than `tmp_path`, whose numbered folders pytest makes
    by listing the folder of all of them (and removes at the end): about 1 ms of CPU a test."""
    settings.MEDIA_ROOT = tmp_path_factory.getbasetemp() / "media" / str(next(_MEDIA_COUNT)) / "media"


@pytest.fixture
def make_user(db):
    """make_user(role=Role.STAFF, unit=None, **fields) -> a saved user holding that role."""
    from kechuang.accounts.tests.factories import UserFactory

    def make(role: str | None = None, **fields):
        return UserFactory(roles=[role] if role else [], **fields)

    return make


@pytest.fixture
def staff(make_user):
    return make_user(Role.STAFF)


@pytest.fixture
def commissioner(make_user):
    return make_user(Role.COMMISSIONER)


@pytest.fixture
def expert(make_user):
    return make_user(Role.EXPERT)


@pytest.fixture
def applicant(make_user):
    return make_user(Role.APPLICANT)


@pytest.fixture
def operator(make_user):
    return make_user(Role.OPERATOR)


@pytest.fixture
def client_for(client):
    """client_for(user) -> a test client signed in as that user (None: anonymous)."""
    from django.test import Client

    def make(user):
        c = Client()
        if user is not None:
            c.force_login(user)
        return c

    return make


@pytest.fixture
def english():
    """english(client) -> the same test client, now asking for English pages (the language cookie the page's
    switch sets), for a test that reads a page in Chinese and then in English with one client."""
    from django.conf import settings

    def make(c):
        c.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return c

    return make


@pytest.fixture
def english_client(client, english):
    """An anonymous test client reading English pages."""
    return english(client)


@pytest.fixture
def english_client_for(client_for, english):
    """english_client_for(user) -> a test client signed in as that user (None: anonymous), reading English
    pages."""

    def make(user):
        return english(client_for(user))

    return make


@pytest.fixture
def api_for():
    """api_for(user) -> a DRF APIClient authenticated as that user (None: anonymous)."""
    from rest_framework.test import APIClient

    def make(user):
        c = APIClient()
        if user is not None:
            c.force_authenticate(user)
        return c

    return make


@pytest.fixture
def one_window():
    """The clock stands still five seconds into an hour: the address counters (core.ratelimit) count in fixed
    windows aligned to the clock, so a test posting several times must not cross a window's end (at load a run
    did, and its posts were counted in two windows: a flake seen in session 24, and in the documents' verification limit in session 30's CI)."""
    import time

    import time_machine

    now = int(time.time())
    with time_machine.travel(now - now % 3600 + 5, tick=False) as clock:
        yield clock
