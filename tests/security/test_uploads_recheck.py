"""Files stored before today's upload checks (an Office file with a macro, an external link, before security30's
check) are found by `kechuang uploads recheck` and, with `--apply`, quarantined: the row points at a copy
under `quarantine/` kept for staff's review, every download refuses it, a project archive leaves it out, and
each is audited (docs/security.md §39). A dry run — the default — lists and changes nothing."""

import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse

from kechuang.core.models import AuditEvent
from kechuang.core.roles import Role

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _xlsx(vba: bool) -> bytes:
    from openpyxl import Workbook

    buf = io.BytesIO()
    Workbook().save(buf)
    if not vba:
        return buf.getvalue()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
        dst.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    return out.getvalue()


def _stored(prefix: str, name: str, data: bytes) -> str:
    """A file saved as the upload paths save one, past today's checks (as before they existed)."""
    import secrets

    return default_storage.save(f"{prefix}/2025/{secrets.token_urlsafe(12)}/{name}", ContentFile(data))


@pytest.fixture
def old_files(make_user):
    from kechuang.accounts.tests.factories import UnitFactory
    from kechuang.challenges.models import Attachment
    from kechuang.challenges.tests.factories import ApplicationFactory
    from kechuang.platforms.tests.factories import PlatformFactory

    applicant = make_user(Role.APPLICANT, unit=UnitFactory())
    app = ApplicationFactory(leader=applicant, unit=applicant.unit, created_by=applicant)

    def attachment(name, data):
        return Attachment.objects.create(
            application=app,
            file=_stored("challenges/attachments", name, data),
            original_name=name,
            content_type="application/octet-stream",
            size=len(data),
            sha256="0" * 64,
        )

    macro = attachment("预算表.xlsx", _xlsx(vba=True))
    clean = attachment("方案.pdf", PDF)
    plain_sheet = attachment("进度表.xlsx", _xlsx(vba=False))
    evidence = PlatformFactory().achievements.create(
        kind="other",
        title="旧成果",
        year=2023,
        evidence_file=_stored("platforms/evidence", "佐证.docx", _xlsx(vba=True)),
    )
    return applicant, app, macro, clean, plain_sheet, evidence


def test_a_dry_run_lists_the_failing_files_in_words_and_changes_nothing(old_files, capsys):
    applicant, app, macro, clean, plain_sheet, evidence = old_files
    call_command("uploads", "recheck")
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if "未通过" in line and "预算表.xlsx" in line]
    assert len(lines) == 1, out
    # the model, the object, the field and the file, as a staff member reads them: no repr, no path
    assert f"附件“{macro}”（编号 {macro.pk}）的文件：预算表.xlsx" in lines[0] and "含有宏" in lines[0]
    assert "佐证.docx" in out and "成果" in out and "佐证材料" in out
    assert "方案.pdf" not in out and "进度表.xlsx" not in out  # passed: listed with --all only
    assert "<" not in out and "challenges/attachments" not in out
    assert "试运行" in out and "--apply" in out
    macro.refresh_from_db()
    assert macro.file.name.startswith("challenges/attachments/")
    assert not AuditEvent.objects.filter(action="upload.quarantine").exists()
    call_command("uploads", "recheck", "--all")
    assert "方案.pdf" in capsys.readouterr().out


def test_apply_quarantines_audits_and_every_download_refuses(
    old_files, client_for, staff, capsys, django_capture_on_commit_callbacks
):
    applicant, app, macro, clean, plain_sheet, evidence = old_files
    old_name = macro.file.name
    with django_capture_on_commit_callbacks(execute=True):
        call_command("uploads", "recheck", "--apply")
    out = capsys.readouterr().out
    assert "已隔离 2 个" in out
    macro.refresh_from_db()
    evidence.refresh_from_db()
    clean.refresh_from_db()
    assert macro.file.name == "quarantine/" + old_name
    assert evidence.evidence_file.name.startswith("quarantine/platforms/evidence/")
    assert not clean.file.name.startswith("quarantine/")
    assert default_storage.exists(macro.file.name) and not default_storage.exists(old_name)  # kept, moved
    (event,) = [
        e for e in AuditEvent.objects.filter(action="upload.quarantine") if e.before == {"file": old_name}
    ]
    assert event.reason == "recheck_office_macro"
    assert event.before == {"file": old_name} and event.after == {"file": macro.file.name}
    assert AuditEvent.objects.filter(action="upload.quarantine").count() == 2

    # every way to download it refuses, whoever asks; the file that passed is served as before
    page = client_for(applicant).get(reverse("challenges:attachment-download", args=[macro.pk]))
    assert page.status_code == 403 and "已隔离" in page.content.decode()
    api = client_for(applicant).get(reverse("api:challenges-attachment-detail", args=[macro.pk]))
    assert api.status_code == 403 and "已隔离" in api.json()["error"]["message"]
    assert (
        client_for(staff).get(reverse("challenges:attachment-download", args=[macro.pk])).status_code == 403
    )
    ok = client_for(applicant).get(reverse("challenges:attachment-download", args=[clean.pk]))
    assert ok.status_code == 200 and b"".join(ok.streaming_content) == PDF
    evidence_page = client_for(staff).get(reverse("platforms:achievement-evidence", args=[evidence.pk]))
    assert evidence_page.status_code == 403

    # again: held, nothing new; `uploads rename` leaves quarantine alone
    call_command("uploads", "recheck", "--apply")
    assert "已在隔离中" in capsys.readouterr().out
    call_command("uploads", "rename")
    macro.refresh_from_db()
    assert macro.file.name == "quarantine/" + old_name
    assert AuditEvent.objects.filter(action="upload.quarantine").count() == 2


def test_the_audit_trail_says_why_in_words(old_files, django_capture_on_commit_callbacks):
    from django.utils import translation

    from kechuang.core.display import reason_text

    with django_capture_on_commit_callbacks(execute=True):
        call_command("uploads", "recheck", "--apply")
    event = AuditEvent.objects.filter(action="upload.quarantine").first()
    assert reason_text(event.reason) == "安全复查未通过：含有宏"
    with translation.override("en"):
        assert "macro" in reason_text(event.reason)


def test_the_report_is_in_the_operators_language(old_files, capsys):
    call_command("uploads", "recheck", "--language", "en")
    out = capsys.readouterr().out
    assert "macro" in out and "dry run" in out
    assert "未通过" not in out and "附件" not in out


def test_a_missing_file_is_reported_and_left(old_files, capsys):
    applicant, app, macro, *_rest = old_files
    default_storage.delete(macro.file.name)
    call_command("uploads", "recheck", "--apply")
    captured = capsys.readouterr()
    assert "预算表.xlsx" in captured.err and "缺失" in captured.err
    macro.refresh_from_db()
    assert not macro.file.name.startswith("quarantine/")


def test_a_project_archive_leaves_a_quarantined_file_out():
    from kechuang.documents.archive import _Writer

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        w = _Writer(zf)
        held = default_storage.save("quarantine/challenges/attachments/x/宏.xlsx", ContentFile(b"PK"))
        w.add_file("attachments/1-宏.xlsx", _FieldFile(held), kind="attachment")
    assert w.files == [] and w.withheld[0]["path"] == "attachments/1-宏.xlsx"
    assert zipfile.ZipFile(buf).namelist() == []


class _FieldFile:
    def __init__(self, name):
        self.name = name

    def open(self, mode="rb"):
        raise AssertionError("a quarantined file is not read")


@pytest.mark.parametrize("stored", ["plan\r\nSet-Cookie: x=1.pdf", "方案\n.pdf", 'a"b.pdf', "\x00\x1b.pdf"])
def test_a_stored_name_cannot_break_the_download_header(stored):
    """The name a download offers comes from the row (an admin's edit, a row from before the parser's
    clean-up): a line break in it was Django's BadHeaderError, a 500, never the file (security §39)."""
    from kechuang.core.uploads import uploaded_file_response

    class Stored:
        name = "challenges/attachments/2025/AbCdEfGhIjKlMnOp/x.pdf"

        def open(self, mode="rb"):
            return io.BytesIO(PDF)

    response = uploaded_file_response(Stored(), stored)
    header = response["Content-Disposition"]
    assert header.startswith("attachment;") and "\n" not in header and "\r" not in header
    assert "Set-Cookie" not in response
    response.close()
