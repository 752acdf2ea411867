"""The `nodb` mark (src/kechuang/conftest.py): a test that asks for no database fixture runs without the
database, and only such a test is left out of the PostgreSQL pass (tools/runtests.py, -m "not nodb")."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from kechuang.conftest import is_database_free

ROOT = Path(__file__).resolve().parents[1]


def test_a_test_that_asks_for_no_database_runs_without_it(request):
    assert is_database_free(request.node) and request.node.get_closest_marker("nodb")
    with pytest.raises(RuntimeError, match="Database access not allowed"):
        get_user_model().objects.exists()


def test_asking_for_db_keeps_the_database(db, request):
    assert not is_database_free(request.node) and not request.node.get_closest_marker("nodb")
    assert not get_user_model().objects.exists()


def test_a_fixture_that_reaches_the_database_keeps_it(staff, request):
    assert not is_database_free(request.node)


@pytest.mark.django_db
def test_the_django_db_mark_keeps_the_database(request):
    assert not is_database_free(request.node)


def test_a_test_that_looks_at_the_connection_keeps_the_database(request):
    from django.db import connection

    assert connection.vendor in ("sqlite", "postgresql")
    assert not is_database_free(request.node)


def test_the_postgresql_pass_keeps_the_database_tests_and_leaves_out_the_others():
    """Collected as tools/runtests.py's PostgreSQL pass selects: a parser check out, database tests in."""
    ids = [
        "tests/test_workflow_purity.py::test_the_check_sees_a_query_and_a_models_import",  # no database
        "src/kechuang/accounts/tests/test_bigram_search.py::test_two_character_query_asks_for_one_bigram_and_"
        "one_character_for_itself",  # no database
        "src/kechuang/accounts/tests/test_bigram_search.py::test_column_kept_by_save_and_rebuilt_by_the_command",
        "src/kechuang/accounts/tests/test_bigram_search.py::test_postgres_answers_from_the_gin_index",
    ]
    out = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:randomly", "-q", "--collect-only", "-m", "not nodb", *ids],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        capture_output=True,
        text=True,
        timeout=300,
    )
    kept = {line.strip() for line in out.stdout.splitlines() if "::" in line}
    assert kept == set(ids[2:]), out.stdout[-2000:] + out.stderr[-2000:]
