"""Backup and restore round-trip a database to an identical one, compared table by table."""

import zipfile

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.core.management.base import CommandError

from kechuang.accounts.roles import Role
from kechuang.core.backup import backup_write, database_digest, restore_read
from kechuang.core.exceptions import ApplicationError

pytestmark = pytest.mark.django_db(transaction=True)


def _populate(make_user):
    from kechuang.accounts.services import unit_create
    from kechuang.core.jobs import job_submit
    from kechuang.core.notifications import notify

    staff = make_user(Role.STAFF, username="backupstaff")
    unit = unit_create(actor=staff, name="备份大学", kind="university", city="兰州")
    make_user(Role.EXPERT, username="backupexpert", unit=unit)
    job_submit(kind="core.selftest", params={"steps": 2}, actor=staff)
    notify(recipients=[staff], title="备份测试", body="正文")
    staff.user_permissions.add(*Permission.objects.order_by("pk")[:3])
    return staff


def test_round_trip_is_identical_table_by_table(make_user, tmp_path):
    _populate(make_user)
    before = database_digest()
    assert before["core_auditevent"]["rows"] > 0 and before["accounts_user_user_permissions"]["rows"] == 3
    path = tmp_path / "b.zip"
    manifest = backup_write(path)
    assert manifest["tables"]["accounts_unit"]["rows"] == before["accounts_unit"]["rows"]

    call_command("flush", interactive=False, verbosity=0)
    assert database_digest()["accounts_unit"]["rows"] == 0
    result = restore_read(path)
    assert result["verified"]
    assert database_digest() == before

    # Sequences were reset: new rows get fresh ids, not ones the restore used.
    from kechuang.accounts.models import Unit

    Unit.objects.create(name="恢复后新增", kind="other")


def test_restore_refuses_a_database_with_data_and_writes_nothing(make_user, tmp_path):
    _populate(make_user)
    path = tmp_path / "b.zip"
    backup_write(path)
    before = database_digest()
    with pytest.raises(ApplicationError, match="不是空的"):
        restore_read(path)
    assert database_digest() == before


def test_restore_refuses_a_tampered_backup_and_rolls_back(make_user, tmp_path):
    _populate(make_user)
    path, bad = tmp_path / "b.zip", tmp_path / "bad.zip"
    backup_write(path)
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(bad, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "tables/accounts_unit.jsonl":
                data = data.replace("备份大学".encode(), "篡改大学".encode())
            dst.writestr(item, data)
    call_command("flush", interactive=False, verbosity=0)
    with pytest.raises(ApplicationError, match="不一致"):
        restore_read(bad)
    assert database_digest()["accounts_unit"]["rows"] == 0


def test_commands(make_user, tmp_path, capsys):
    _populate(make_user)
    path = tmp_path / "c.zip"
    call_command("backup", str(path))
    assert "tables" in capsys.readouterr().out
    with pytest.raises(CommandError, match="不是空的"):
        call_command("restore", str(path))
    with pytest.raises(CommandError, match="manifest"):
        zipfile.ZipFile(tmp_path / "empty.zip", "w").close()
        call_command("restore", str(tmp_path / "empty.zip"))
