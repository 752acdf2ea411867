"""Read replicas (kechuang.core.dbrouter): reading requests read on the replica, writes and the requests that
follow a write on the primary. `replica1` is Django's test mirror of the test database (settings/test.py), so
these tests commit (transaction=True) and the replica connection sees what the primary wrote; they run on
SQLite and on PostgreSQL alike."""

import pytest
from django.db import connections, router, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kechuang.accounts.models import Unit
from kechuang.accounts.tests.factories import UnitFactory
from kechuang.core import dbrouter

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica1"])


@pytest.fixture
def replicas(settings):
    settings.KECHUANG_READ_REPLICAS = ["replica1"]
    return ["replica1"]


def _selects(ctx) -> list[str]:
    return [q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]


def test_a_reading_request_reads_on_the_replica_and_sees_what_the_primary_committed(
    replicas, client_for, staff
):
    UnitFactory(name="量子信息研究院")
    client = client_for(staff)
    with (
        CaptureQueriesContext(connections["replica1"]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        r = client.get(reverse("web:pick-units"), {"q": "量子"})
    assert r.status_code == 200 and "量子信息研究院" in str(r.json())
    assert any("accounts_unit" in sql for sql in _selects(on_replica))
    assert not any("accounts_unit" in sql for sql in _selects(on_primary))
    assert dbrouter.PIN_COOKIE not in r.cookies  # it wrote nothing


def test_after_a_write_the_person_reads_the_primary_for_a_while(replicas, client_for, staff, settings):
    client = client_for(staff)
    r = client.post(reverse("web:notice-settings"), {})  # any write through a form: the pin is set
    assert dbrouter.PIN_COOKIE in r.cookies
    assert r.cookies[dbrouter.PIN_COOKIE]["max-age"] == settings.KECHUANG_REPLICA_PIN_SECONDS
    UnitFactory(name="量子计算中心")
    with CaptureQueriesContext(connections["replica1"]) as on_replica:
        r = client.get(reverse("web:pick-units"), {"q": "量子"})
    assert "量子计算中心" in str(r.json())
    assert _selects(on_replica) == []


def test_reads_inside_a_transaction_or_after_a_write_in_the_same_request_stay_on_the_primary(replicas):
    UnitFactory(name="甲单位")
    read = dbrouter._may_read_replica.set(True)
    wrote = dbrouter._wrote.set(False)
    try:
        assert connections["default"].in_atomic_block is False, "the test runs outside a transaction"
        assert router.db_for_read(Unit) == "replica1"
        assert Unit.objects.filter(name="甲单位").db == "replica1"
        with transaction.atomic():
            assert router.db_for_read(Unit) == "default"
            assert Unit.objects.filter(name="甲单位").db == "default"
        unit = Unit.objects.get(name="甲单位")
        assert unit._state.db == "replica1"
        assert Unit.objects.select_for_update().db == "default"  # meant for a write: the primary, from now on
        assert router.db_for_read(Unit) == "default"
        dbrouter._wrote.set(False)
        unit.name = "乙单位"
        unit.save()  # a write: this request now reads the primary
        assert router.db_for_read(Unit) == "default"
        assert Unit.objects.get(pk=unit.pk).name == "乙单位"
    finally:
        dbrouter._may_read_replica.reset(read)
        dbrouter._wrote.reset(wrote)


def test_without_replicas_or_outside_a_reading_request_everything_is_on_the_primary(settings):
    settings.KECHUANG_READ_REPLICAS = []
    token = dbrouter._may_read_replica.set(True)
    try:
        assert router.db_for_read(Unit) == "default"
    finally:
        dbrouter._may_read_replica.reset(token)
    settings.KECHUANG_READ_REPLICAS = ["replica1"]
    assert router.db_for_read(Unit) == "default"  # a job, a command, the shell: no request marked it


def test_migrations_run_on_the_primary_only(replicas):
    assert router.allow_migrate("replica1", "accounts", model_name="unit") is False
    assert router.allow_migrate("default", "accounts", model_name="unit") is not False


def test_replica_urls_become_mirrored_aliases(monkeypatch):
    """The settings turn DATABASE_REPLICA_URLS into aliases the router uses (checked in a fresh interpreter)."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kechuang.settings.base",
        "DATABASE_REPLICA_URLS": "postgres://r@replica-a:5432/kc,postgres://r@replica-b:5432/kc",
        "SECRET_KEY": "x" * 60,
        "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src"),
    }
    code = (
        "import json, django; from django.conf import settings; "
        "print(json.dumps([settings.KECHUANG_READ_REPLICAS, "
        "[settings.DATABASES[a]['HOST'] for a in settings.KECHUANG_READ_REPLICAS], "
        "settings.DATABASES['replica1']['TEST'], settings.DATABASE_ROUTERS]))"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-2000:]
    aliases, hosts, test, routers = json.loads(out.stdout.strip().splitlines()[-1])
    assert aliases == ["replica1", "replica2"] and hosts == ["replica-a", "replica-b"]
    assert test == {"MIRROR": "default"} and routers == ["kechuang.core.dbrouter.ReplicaRouter"]
