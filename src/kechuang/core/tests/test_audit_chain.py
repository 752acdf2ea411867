"""The audit trail is tamper-evident: a hash chain over every event, checked by `kechuang audit verify`.

Each test changes, deletes or inserts rows with raw SQL, as someone with database access would, past the
append-only triggers (dropped on SQLite, disabled as the table owner on PostgreSQL, inside the test's
transaction), and the check must name the first broken link.
"""

import contextlib
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, IntegrityError, connection, transaction

from kechuang.accounts.tests.factories import UnitFactory
from kechuang.core.audit import audit_record
from kechuang.core.auditchain import GENESIS, UNKEYED, chain_check_and_alert, chain_verify, event_hash
from kechuang.core.models import AuditChainHead, AuditEvent, Notification

pytestmark = pytest.mark.django_db


@contextlib.contextmanager
def behind_the_apps_back():
    """Raw SQL with the append-only triggers out of the way (as a database owner could)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_no_update")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS core_auditevent_no_update")
        yield cursor
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER core_auditevent_no_update")
        else:
            cursor.execute(
                "CREATE TRIGGER core_auditevent_no_update BEFORE UPDATE ON core_auditevent "
                "BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;"
            )


def _events(staff, n=5):
    unit = UnitFactory()
    return [
        audit_record(
            actor=staff,
            action=f"unit.test{i}",
            obj=unit,
            before={"n": i, "x": 1.0},
            after={"n": i + 1, "money": "1.50", "big": 1e20},
            reason=f"第 {i} 次",
        )
        for i in range(n)
    ]


def _broken(match):
    result = chain_verify()
    assert not result.ok
    assert match in result.problem, result.problem
    with pytest.raises(CommandError, match="BROKEN"):
        call_command("audit", "verify")
    return result


def test_each_event_is_linked_to_the_one_before_and_the_chain_verifies(staff, capsys):
    events = _events(staff)
    for e in events:
        e.refresh_from_db()
    first = AuditEvent.objects.order_by("seq").first()
    assert first.seq == 1 and first.prev_hash == GENESIS
    for before, after in zip(events, events[1:], strict=False):
        assert after.seq == before.seq + 1 and after.prev_hash == before.hash and len(after.hash) == 64
    head = AuditChainHead.objects.get()
    assert (head.seq, head.hash) == (events[-1].seq, events[-1].hash)
    result = chain_verify()
    assert result.ok and result.checked == AuditEvent.objects.count()
    call_command("audit", "verify")
    assert f"hash {head.hash}" in capsys.readouterr().out


def test_a_changed_row_is_found(staff):
    events = _events(staff)
    with behind_the_apps_back() as cursor:
        cursor.execute("UPDATE core_auditevent SET reason = 'forged' WHERE id = %s", [events[2].pk])
    result = _broken("被改动")
    assert result.event_id == events[2].pk and f"#{events[2].pk}" in result.problem


def test_a_changed_row_with_its_hash_recomputed_breaks_the_next_link(staff):
    events = _events(staff)
    target = AuditEvent.objects.filter(pk=events[1].pk).values().get()
    target["reason"] = "forged"
    new_hash = event_hash(target, {target["content_type_id"]: "accounts.unit"})
    with behind_the_apps_back() as cursor:
        cursor.execute(
            "UPDATE core_auditevent SET reason = 'forged', hash = %s WHERE id = %s", [new_hash, events[1].pk]
        )
    result = _broken("链接断开")
    assert result.event_id == events[2].pk


def test_a_deleted_row_is_found(staff):
    events = _events(staff)
    with behind_the_apps_back() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [events[2].pk])
    result = _broken("被删除")
    assert result.event_id == events[3].pk


def test_deleting_the_newest_rows_is_found(staff):
    events = _events(staff)
    with behind_the_apps_back() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id >= %s", [events[3].pk])
    _broken("最新的事件被删除")


def test_an_inserted_row_is_found(staff):
    events = _events(staff)
    with behind_the_apps_back() as cursor:
        cursor.execute(
            "INSERT INTO core_auditevent (at, actor_repr, action, object_id, object_repr, reason, request_id,"
            " prev_hash, hash) VALUES (%s, 'x', 'unit.forged', '1', 'x', '', '', '', '')",
            [events[0].at],
        )
    _broken("不在链中")


def test_an_inserted_row_with_chain_fields_is_found(staff):
    events = _events(staff)
    last = events[-1]
    last.refresh_from_db()
    with behind_the_apps_back() as cursor:
        cursor.execute(
            "INSERT INTO core_auditevent (at, actor_repr, action, object_id, object_repr, reason, request_id,"
            " seq, prev_hash, hash) VALUES (%s, 'x', 'unit.forged', '1', 'x', '', '', %s, %s, %s)",
            [last.at, last.seq + 1, last.hash, "0" * 64],
        )
    _broken("在链末端之后")


def test_a_rolled_back_transaction_leaves_the_chain_whole(staff):
    _events(staff, 2)
    with contextlib.suppress(RuntimeError), transaction.atomic():
        audit_record(actor=staff, action="unit.rolled-back")
        raise RuntimeError
    _events(staff, 2)
    assert chain_verify().ok
    assert list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True)) == [1, 2, 3, 4]


def test_two_events_cannot_take_the_same_place(staff):
    event = _events(staff, 1)[0]
    event.refresh_from_db()
    with (
        behind_the_apps_back() as cursor,
        pytest.raises((IntegrityError, DatabaseError)),
        transaction.atomic(),
    ):
        cursor.execute(
            "INSERT INTO core_auditevent (at, actor_repr, action, object_id, object_repr, reason, request_id,"
            " seq, prev_hash, hash) VALUES (%s, 'x', 'fork', '1', 'x', '', '', %s, '', '')",
            [event.at, event.seq],
        )


def test_the_daily_check_alerts_staff_only_when_broken(staff, applicant):
    events = _events(staff)
    assert chain_check_and_alert().ok
    assert not Notification.objects.exists()
    with behind_the_apps_back() as cursor:
        cursor.execute("UPDATE core_auditevent SET action = 'forged' WHERE id = %s", [events[0].pk])
    assert not chain_check_and_alert().ok
    alert = Notification.objects.get(recipient=staff)
    assert "篡改" in alert.title and f"#{events[0].pk}" in alert.body
    assert not Notification.objects.filter(recipient=applicant).exists()


def test_the_daily_check_is_on_beat():
    from kechuang.celery import app

    entries = {e["task"] for e in app.conf.beat_schedule.values()}
    assert "kechuang.audit_chain_check" in entries


def test_the_migration_chains_the_events_already_there(staff):
    from django.db.migrations.executor import MigrationExecutor

    from kechuang.core.models import AuditEvent as Live

    migration = __import__("kechuang.core.migrations.0005_audit_hash_chain", fromlist=["chain_existing"])
    unit = UnitFactory()
    # Rows as they were before the chain: bulk_create skips save(), so they have no chain fields.
    Live.objects.bulk_create(
        Live(action=f"old{i}", actor=staff, actor_repr="s", object_id=str(unit.pk), after={"i": i})
        for i in range(7)
    )
    AuditChainHead.objects.all().delete()
    assert not chain_verify().ok
    state_apps = MigrationExecutor(connection).loader.project_state(("core", "0005_audit_hash_chain")).apps

    class Editor:
        def __init__(self):
            self.connection = connection

        def execute(self, sql):
            with connection.cursor() as cursor:
                cursor.execute(sql)

    migration.chain_existing(state_apps, Editor())
    # 0005 chained them under the first, unkeyed scheme; 0006 re-seals them under the key.
    assert chain_verify(key=UNKEYED).ok and not chain_verify().ok
    keyed = __import__("kechuang.core.migrations.0006_audit_chain_keyed", fromlist=["reseal"])
    keyed.reseal(
        MigrationExecutor(connection).loader.project_state(("core", "0006_audit_chain_keyed")).apps, Editor()
    )
    assert chain_verify().ok
    _events(staff, 2)  # and the app goes on from the head the migration wrote
    result = chain_verify()
    assert result.ok and result.checked == 9


def _rewrite_whole_chain(key):
    """What someone with write access to the database does: change an event, then recompute every hash and
    the head so that the chain is consistent again, with a key of their choosing."""
    from kechuang.core.auditchain import FIELDS, content_type_labels

    labels = content_type_labels()
    prev = GENESIS
    with behind_the_apps_back() as cursor:
        cursor.execute("UPDATE core_auditevent SET reason = 'forged' WHERE seq = 2")
        for row in AuditEvent.objects.order_by("seq").values("id", *FIELDS):
            row["prev_hash"] = prev
            prev = event_hash(row, labels, key)
            cursor.execute(
                "UPDATE core_auditevent SET prev_hash = %s, hash = %s WHERE id = %s",
                [row["prev_hash"], prev, row["id"]],
            )
    AuditChainHead.objects.filter(pk=1).update(hash=prev)


@pytest.mark.parametrize("key", [UNKEYED, b"a key the forger guessed"], ids=["unkeyed", "other-key"])
def test_a_chain_recomputed_without_the_key_is_found(staff, key):
    events = _events(staff)
    _rewrite_whole_chain(key)
    assert chain_verify(key=key).ok  # consistent under the forger's key...
    result = _broken("被改动")  # ...but not under the audit key, which is not in the database
    assert result.event_id == AuditEvent.objects.get(seq=1).pk
    assert events


def test_the_key_comes_from_settings_and_defaults_to_one_derived_from_secret_key(settings):
    from kechuang.core.auditchain import audit_key

    settings.KECHUANG_AUDIT_KEY = ""
    derived = audit_key()
    assert derived and settings.SECRET_KEY.encode() not in derived
    settings.SECRET_KEY = settings.SECRET_KEY + "-rotated"
    assert audit_key() != derived
    settings.KECHUANG_AUDIT_KEY = "an explicit audit key"
    assert audit_key() == b"an explicit audit key"


def test_reseal_after_a_key_change_and_refusal_of_a_broken_chain(staff, settings, monkeypatch, capsys):
    settings.KECHUANG_AUDIT_KEY = "the old audit key"
    events = _events(staff)
    assert chain_verify().ok
    settings.KECHUANG_AUDIT_KEY = "the new audit key"
    _broken("被改动")
    with pytest.raises(CommandError, match="previous-key-env|required"):
        call_command("audit", "reseal")
    monkeypatch.setenv("OLD_AUDIT_KEY", "the old audit key")
    call_command("audit", "reseal", "--previous-key-env", "OLD_AUDIT_KEY")
    assert "re-sealed: 5 events" in capsys.readouterr().out
    result = chain_verify()
    assert result.ok and result.checked == 5
    _events(staff, 1)
    assert chain_verify().ok
    # A chain changed behind the app is not re-sealed (that would launder the change): nothing is written.
    with behind_the_apps_back() as cursor:
        cursor.execute("UPDATE core_auditevent SET reason = 'forged' WHERE id = %s", [events[1].pk])
    hashes = list(AuditEvent.objects.order_by("seq").values_list("hash", flat=True))
    monkeypatch.setenv("OLD_AUDIT_KEY", "the new audit key")
    settings.KECHUANG_AUDIT_KEY = "a third key"
    with pytest.raises(CommandError, match="NOT re-sealed"):
        call_command("audit", "reseal", "--previous-key-env", "OLD_AUDIT_KEY")
    assert list(AuditEvent.objects.order_by("seq").values_list("hash", flat=True)) == hashes


def test_the_keyed_migration_keeps_a_break_in_the_old_chain_visible(staff):
    from django.contrib.contenttypes.models import ContentType

    from kechuang.core.auditchain import UNKEYED, chain_reseal

    events = _events(staff)
    _rewrite_whole_chain(UNKEYED)  # an unkeyed chain, as 0005 left it, with event seq 2 forged ...
    with behind_the_apps_back() as cursor:  # ... and then seq 4 changed without recomputing
        cursor.execute("UPDATE core_auditevent SET reason = 'changed later' WHERE id = %s", [events[3].pk])
    result = chain_reseal(
        old_key=UNKEYED,
        whole_only=False,
        event_model=AuditEvent,
        head_model=AuditChainHead,
        ct_model=ContentType,
    )
    assert result.resealed == 3 and result.problem
    broken = chain_verify()
    assert not broken.ok and broken.event_id == events[3].pk


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_do_not_fork_the_chain(make_user):
    from kechuang.core.roles import Role

    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip(
            "in-memory SQLite's shared cache locks tables without waiting; run with a file or PostgreSQL"
        )
    staff = make_user(Role.STAFF, username="chainwriter")
    errors = []

    def writer(k):
        try:
            for i in range(8):
                with transaction.atomic():
                    audit_record(actor=staff, action=f"thread{k}.{i}")
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(k,)) for k in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    result = chain_verify()
    assert result.ok, result.problem
    assert AuditEvent.objects.filter(action__startswith="thread").count() == 24
