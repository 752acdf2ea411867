"""Backup and restore round-trip a database to an identical one, compared table by table."""

import re
import zipfile

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.serializers.json import DjangoJSONEncoder

from kechuang.core.backup import backup_write, database_digest, restore_read
from kechuang.core.exceptions import ApplicationError
from kechuang.core.roles import Role

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
    import datetime

    from kechuang.core.models import Job

    _populate(make_user)
    # Microseconds survive (a time under a millisecond once came back as a different value).
    odd = datetime.datetime(2026, 11, 23, 8, 5, 1, 417, tzinfo=datetime.UTC)
    Job.objects.update(started_at=odd)
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
    assert set(Job.objects.values_list("started_at", flat=True)) == {odd}

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
    call_command("backup", str(path), language="en")
    english = capsys.readouterr().out.strip().removeprefix(str(path))
    call_command("backup", str(tmp_path / "zh.zip"))
    chinese = capsys.readouterr().out.strip().removeprefix(str(tmp_path / "zh.zip"))
    assert re.fullmatch(r": \d+ tables, \d+ rows, \d+ files", english)
    assert re.fullmatch(r"：\d+ 张表，\d+ 行，\d+ 个文件", chinese)
    with pytest.raises(CommandError, match="不是空的"):
        call_command("restore", str(path))
    with pytest.raises(CommandError, match="manifest"):
        zipfile.ZipFile(tmp_path / "empty.zip", "w").close()
        call_command("restore", str(tmp_path / "empty.zip"))


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
APPS = (
    "accounts",
    "core",
    "platforms",
    "challenges",
    "review",
    "evaluation",
    "techmap",
    "indicators",
    "ingest",
)


def _world(staff):
    """A little of everything, written through the services where they audit: every app's tables, audit
    events (append-only, guarded by database triggers), binary originals and uploaded files."""
    from django.core.files.base import ContentFile

    from kechuang.challenges import services as challenges
    from kechuang.challenges.tests.factories import ApplicationFactory, ContractFactory
    from kechuang.evaluation.tests.factories import CampaignFactory
    from kechuang.indicators import services as indicators
    from kechuang.indicators.tests.factories import IndicatorFactory, RegionFactory, TargetFactory
    from kechuang.ingest.tests.factories import FactFactory
    from kechuang.platforms import services as platforms
    from kechuang.platforms.tests.factories import PlatformFactory, YearlyReportFactory
    from kechuang.review import services as review
    from kechuang.review.tests.factories import (
        ExpertProfileFactory,
        ExternalSubjectFactory,
        ReviewFormFactory,
    )
    from kechuang.techmap import services as techmap
    from kechuang.techmap.tests.factories import CoverageFactory, TechnologyFactory, TrlRecordFactory

    app = ApplicationFactory()
    challenges.attachment_add(actor=app.leader, application=app, data=PDF, filename="方案.pdf", kind="plan")
    ContractFactory()
    platform = PlatformFactory()
    platforms.achievement_create(
        actor=staff,
        platform=platform,
        kind="leading",
        title="碳化硅单晶国内领先",
        year=2023,
        evidence_file=ContentFile(b"%PDF-1.4\n%evidence\n", name="证书.pdf"),
    )
    YearlyReportFactory(platform=platform)
    for _ in range(2):
        ExpertProfileFactory()
    rnd = review.round_create(
        actor=staff, title="备份轮次", subjects=[ExternalSubjectFactory()], form=ReviewFormFactory(), k=1
    )
    review.round_assign(actor=staff, round=rnd)
    CampaignFactory()
    tech = TechnologyFactory()
    techmap.technology_update(actor=staff, technology=tech, description="备份测试")
    TrlRecordFactory(technology=tech)
    CoverageFactory(technology=tech, target=platform)
    indicator, region = IndicatorFactory(), RegionFactory()
    indicators.value_record(
        actor=staff, indicator_code=indicator.code, region=region.code, year=2023, value=1.5
    )
    TargetFactory()
    FactFactory()


def test_round_trip_of_a_world_of_every_app_with_audit_trail_and_files(make_user, tmp_path):
    from django.apps import apps
    from django.core.files.storage import default_storage

    from kechuang.core.backup import files_digest
    from kechuang.core.models import AuditEvent

    staff = _populate(make_user)
    _world(staff)
    before, files_before = database_digest(), files_digest()
    by_app = {label: 0 for label in APPS}
    for model in apps.get_models():
        if model._meta.app_label in by_app:
            by_app[model._meta.app_label] += before.get(model._meta.db_table, {"rows": 0})["rows"]
    assert all(by_app.values()), f"an app has no data in the world: {by_app}"
    assert len(files_before) == 2 and "missing" not in files_before.values()
    audited = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "attachment.add",
        "achievement.create",
        "value.create",
        "technology.update",
        "round.create",
    } <= audited
    path = tmp_path / "world.zip"
    manifest = backup_write(path)
    assert set(manifest["files"]) == set(files_before)

    bad = tmp_path / "bad.zip"  # the same backup with one uploaded file corrupted
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(bad, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            dst.writestr(item, data + b"x" if item.filename.startswith("files/") else data)

    # A new machine: an empty migrated database and an empty file store.
    call_command("flush", interactive=False, verbosity=0)
    for name in files_before:
        default_storage.delete(name)
    with pytest.raises(ApplicationError, match="损坏"):
        restore_read(bad)  # checked before anything is written
    assert database_digest()["accounts_unit"]["rows"] == 0 and files_digest() == {}
    result = restore_read(path)
    assert result["verified"] and result["files"] == 2
    assert database_digest() == before
    assert files_digest() == files_before
    # The hash chain survives (content types hashed by name, not by id) and the next event continues it.
    from kechuang.core.audit import audit_record
    from kechuang.core.auditchain import chain_verify

    assert chain_verify().ok
    audit_record(actor=None, action="after.restore")
    assert chain_verify().ok
    call_command("audit", "verify")
    # The restored trail is still append-only (the triggers are the migrated database's own).
    from kechuang.core.models import AuditTrailError

    event = AuditEvent.objects.order_by("pk").first()
    with pytest.raises(AuditTrailError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="改写")


def test_a_backup_of_the_first_format_still_restores(make_user, tmp_path, monkeypatch):
    from kechuang.core import backup

    _populate(make_user)
    before = database_digest()
    path = tmp_path / "v1.zip"
    with monkeypatch.context() as m:  # as the first format wrote it: times cut to milliseconds
        m.setattr(backup, "FORMAT", "kechuang-backup/1")
        m.setattr(backup._Encoder, "default", DjangoJSONEncoder.default)
        backup_write(path)
    with zipfile.ZipFile(path) as zf:
        assert '"kechuang-backup/1"' in zf.read("manifest.json").decode()
    call_command("flush", interactive=False, verbosity=0)
    assert restore_read(path)["verified"]  # every table's rows counted against the first format's manifest
    rows = {table: d["rows"] for table, d in database_digest().items()}
    assert rows == {table: d["rows"] for table, d in before.items()}
