"""Unit import and export (Excel/CSV, line-numbered errors, dry run first, like every import)."""

import io
import re

import openpyxl
import pytest

from kechuang.accounts import importer
from kechuang.accounts.models import Unit
from kechuang.accounts.tests.factories import UnitFactory, _credit_code
from kechuang.core.exceptions import PermissionDenied
from kechuang.core.models import AuditEvent
from kechuang.core.roles import Role

pytestmark = pytest.mark.django_db

HEADER = "单位名称,单位类型,统一社会信用代码,省份,城市,上级单位,推荐单位/主管部门\n"


def _csv(*lines: str) -> bytes:
    return (HEADER + "\n".join(lines) + "\n").encode()


def test_dry_run_reports_every_bad_row_with_its_line_and_writes_nothing(staff):
    UnitFactory(name="已有企业")
    data = _csv(
        f"新材料公司,企业,{_credit_code(7001)},山西,太原,,",
        "坏代码公司,企业,91140100000000001X,山西,太原,,",
        "无类型单位,工厂,,山西,太原,,",
        f"新材料公司,企业,{_credit_code(7002)},山西,太原,,",
        "某研究所,科研院所,,山西,太原,不存在的上级,",
    )
    before = Unit.objects.count()
    report = importer.unit_import(actor=staff, data=data, filename="units.csv", dry_run=False)
    assert not report.committed and Unit.objects.count() == before
    by_line = {(e.line, e.field) for e in report.errors}
    assert (3, "统一社会信用代码") in by_line
    assert (4, "单位类型") in by_line
    assert (5, "单位名称") in by_line  # a repeat of line 2
    assert (6, "上级单位") in by_line
    assert 2 not in {e.line for e in report.errors}


def test_clean_file_creates_verified_units_and_updates_by_credit_code(staff):
    gov = UnitFactory(name="晋城市科学技术局", kind="government", credit_code="")
    old = UnitFactory(name="旧名称公司", credit_code=_credit_code(8001))
    data = _csv(
        f"新名称公司,企业,{_credit_code(8001)},山西,晋城,,晋城市科学技术局",
        "晋城新型研发机构,科研院所,,山西,晋城,新名称公司,晋城市科学技术局",
    )
    dry = importer.unit_import(actor=staff, data=data, filename="units.csv")
    assert dry.ok and dry.created == 1 and dry.updated == 1 and not dry.committed
    assert not Unit.objects.filter(name="晋城新型研发机构").exists()
    report = importer.unit_import(actor=staff, data=data, filename="units.csv", dry_run=False)
    assert report.committed, report.errors
    old.refresh_from_db()
    assert old.name == "新名称公司" and old.city == "晋城市" and old.endorser == gov  # 晋城 as its name
    new = Unit.objects.get(name="晋城新型研发机构")
    assert new.is_verified and new.verified_by == staff and new.parent == old and new.endorser == gov
    assert AuditEvent.objects.filter(action="unit.create", object_id=str(new.pk)).exists()


def test_only_staff_import(make_user):
    with pytest.raises(PermissionDenied):
        importer.unit_import(actor=make_user(Role.APPLICANT), data=_csv(), filename="u.csv")


def test_export_reads_back_as_an_import_that_changes_nothing(staff, client_for):
    gov = UnitFactory(name="出口测试局", kind="government", credit_code="")
    UnitFactory(name="出口测试公司", endorser=gov, address="太原市某路1号")
    response = client_for(staff).get("/accounts/units/?export=xlsx")
    assert response.status_code == 200
    data = b"".join(response.streaming_content)  # streamed (core.exports)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == tuple(importer.EXPORT_HEADERS) and set(importer.COLUMNS.values()) <= set(rows[0])
    assert any(r[0] == "出口测试公司" and r[7] == "出口测试局" for r in rows[1:])
    events = AuditEvent.objects.count()
    report = importer.unit_import(actor=staff, data=data, filename="u.xlsx", dry_run=False)
    assert report.committed and report.created == 0, report.errors
    assert not AuditEvent.objects.filter(action="unit.update").exists()
    assert AuditEvent.objects.count() == events


def test_an_export_from_an_english_page_reads_back_on_a_chinese_one(staff, english_client_for):
    from django.utils import translation

    UnitFactory(name="英文导出公司", kind="enterprise")
    client = english_client_for(staff)
    data = b"".join(client.get("/accounts/units/?export=xlsx").streaming_content)
    rows = list(openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    row = next(r for r in rows[1:] if r[0] == "英文导出公司")
    assert row[1] == "Enterprise"  # the page's language
    with translation.override("zh-hans"):  # imported by someone reading the site in Chinese
        report = importer.unit_import(actor=staff, data=data, filename="u.xlsx", dry_run=True)
    assert not report.errors, report.errors


def test_import_page_shows_the_errors(staff, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = client_for(staff)
    assert c.get("/accounts/units/import/").status_code == 200
    upload = SimpleUploadedFile("units.csv", _csv("无类型单位,工厂,,山西,太原,,"), content_type="text/csv")
    body = c.post("/accounts/units/import/", {"file": upload}).content.decode()
    assert "发现错误" in body and "单位类型" in body


def test_the_command_imports_with_line_numbers_and_a_dry_run(staff, tmp_path, capsys):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    bad = tmp_path / "bad.csv"
    bad.write_bytes(_csv(f"命令行公司,企业,{_credit_code(9101)},山西,太原,,", "无类型单位,工厂,,山西,太原,,"))
    with pytest.raises(CommandError, match="未导入：2 行中有 1 行有错误"):
        call_command("units", "import", str(bad), "--user", staff.username)
    assert "第 3 行 [单位类型]" in capsys.readouterr().out
    assert not Unit.objects.filter(name="命令行公司").exists()

    good = tmp_path / "good.csv"
    good.write_bytes(_csv(f"命令行公司,企业,{_credit_code(9101)},山西,太原,,"))
    call_command("units", "import", str(good), "--dry-run", "--user", staff.username, "--language", "en")
    assert "dry run" in capsys.readouterr().out and not Unit.objects.filter(name="命令行公司").exists()
    call_command("units", "import", str(good), "--user", staff.username)
    assert "已导入：1 行，新增 1" in capsys.readouterr().out
    unit = Unit.objects.get(name="命令行公司")
    assert (
        unit.is_verified and AuditEvent.objects.filter(action="unit.create", object_id=str(unit.pk)).exists()
    )


def test_the_command_speaks_the_operators_language(staff, tmp_path, capsys):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    bad = tmp_path / "bad.csv"
    bad.write_bytes(_csv("无类型单位,工厂,,山西,太原,,"))
    said = {}
    for language in ("zh-hans", "en"):
        with pytest.raises(CommandError) as refused:
            call_command("units", "import", str(bad), "--user", staff.username, language=language)
        call_command("units", "export", str(tmp_path / "u.csv"), "--language", language)
        said[language] = (str(refused.value), capsys.readouterr().out.splitlines()[-1])
    n = Unit.objects.count()
    assert said["zh-hans"] == ("未导入：1 行中有 1 行有错误。", f"已导出 {n} 个单位到 {tmp_path / 'u.csv'}。")
    assert said["en"] == (
        "Not imported: 1 of 1 rows have errors.",
        f"Exported {n} units to {tmp_path / 'u.csv'}.",
    )
    assert not any(
        re.search("[a-zA-Z]", line.replace(str(tmp_path / "u.csv"), "")) for line in said["zh-hans"]
    )
    assert not any(re.search("[\u4e00-\u9fff]", line) for line in said["en"])


def test_the_command_refuses_a_user_who_is_not_staff(make_user, tmp_path):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    applicant = make_user(Role.APPLICANT)
    good = tmp_path / "good.csv"
    good.write_bytes(_csv(f"命令行公司,企业,{_credit_code(9102)},山西,太原,,"))
    with pytest.raises(CommandError, match="科技厅工作人员"):
        call_command("units", "import", str(good), "--user", applicant.username)
    assert not Unit.objects.filter(name="命令行公司").exists()


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_the_command_exports_a_file_that_imports_back_unchanged(staff, tmp_path, capsys, suffix):
    from django.core.management import call_command

    UnitFactory(name="导出企业", credit_code=_credit_code(9103), city="大同市")
    UnitFactory(name="导出大学", kind="university", credit_code="")
    out = tmp_path / f"units{suffix}"
    call_command("units", "export", str(out), "--kind", "enterprise", language="en")
    assert "Exported 2 units" in capsys.readouterr().out  # the two above and the staff member's unit
    data = out.read_bytes()
    text = data.decode("utf-8-sig") if suffix == ".csv" else ""
    if suffix == ".csv":
        assert "导出企业" in text and "导出大学" not in text
    report = importer.unit_import(actor=staff, data=data, filename=out.name)
    assert report.ok and report.created == 0 and report.updated >= 1


def test_the_commands_language_leaves_the_exported_file_alone(staff, tmp_path, capsys):
    """--language changes the messages only: the file keeps the site's labels (企业), whichever is chosen."""
    from django.core.management import call_command

    UnitFactory(name="导出企业", credit_code=_credit_code(9104))
    for language in ("zh-hans", "en"):
        call_command("units", "export", str(tmp_path / f"{language}.csv"), "--language", language)
    chinese, english = (tmp_path / "zh-hans.csv").read_bytes(), (tmp_path / "en.csv").read_bytes()
    assert chinese == english and "导出企业,企业," in chinese.decode("utf-8-sig")
