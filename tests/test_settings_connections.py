"""The database connection settings: PostgreSQL keeps each process's connection, health-checked (issue #19)."""

import importlib.util

import pytest


@pytest.fixture
def base_with(monkeypatch):
    """The base settings as a fresh module read under the given environment. A copy of its own, never the one
    in sys.modules: reloading that one would change the running settings' module for the tests after (and
    another test may have swapped it for a fresh import, which `importlib.reload` then refuses)."""

    def load(**env):
        for name in ("DATABASE_URL", "CONN_MAX_AGE", "CONN_HEALTH_CHECKS", "DATABASE_REPLICA_URLS"):
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        spec = importlib.util.find_spec("kechuang.settings.base")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module.DATABASES

    return load


def test_postgresql_keeps_its_connection_a_minute_with_health_checks(base_with):
    db = base_with(DATABASE_URL="postgres://u@db.example:5432/kc")["default"]
    assert (db["CONN_MAX_AGE"], db["CONN_HEALTH_CHECKS"]) == (60, True)


def test_replicas_keep_theirs_the_same_way(base_with):
    dbs = base_with(
        DATABASE_URL="postgres://u@db.example:5432/kc",
        DATABASE_REPLICA_URLS="postgres://u@replica.example/kc",
    )
    assert (dbs["replica1"]["CONN_MAX_AGE"], dbs["replica1"]["CONN_HEALTH_CHECKS"]) == (60, True)


def test_sqlite_opens_one_per_request_and_the_environment_decides(base_with):
    assert base_with()["default"]["CONN_MAX_AGE"] == 0
    assert (
        base_with(DATABASE_URL="postgres://u@db.example/kc", CONN_MAX_AGE="0")["default"]["CONN_MAX_AGE"] == 0
    )
