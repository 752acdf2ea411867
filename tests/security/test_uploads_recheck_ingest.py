"""An ingested report keeps its bytes in the database (`ingest.Document.original`), not in a file:
`kechuang uploads recheck` reads them too, with the checks an upload gets today, and `--apply` quarantines a
report that fails — its original is not downloaded (403 with the reason), it is not analysed again (a new year,
an undone repair change: 403), and the step is audited (docs/security.md §40)."""

import io
import re
import zipfile

import pytest
from django.core.management import call_command
from django.db import models
from django.urls import reverse

from kechuang.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _docx(text: str, *, vba: bool) -> bytes:
    import docx

    buf = io.BytesIO()
    d = docx.Document()
    d.add_paragraph(text)
    d.save(buf)
    if not vba:
        return buf.getvalue()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
        dst.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    return out.getvalue()


REPORT = "2023年，太原市高新技术企业数量达到1200家，同比增长15%。研发经费投入45.6亿元。"


@pytest.fixture
def reports(staff):
    """A report with a macro stored as before today's checks (the service takes the bytes; the upload page and
    the API check them first), and a plain one."""
    from kechuang.ingest.services import document_ingest

    macro, _ = document_ingest(actor=staff, data=_docx(REPORT, vba=True), filename="年报.docx", year=2023)
    plain, _ = document_ingest(
        actor=staff, data=_docx(REPORT + "（另一份）", vba=False), filename="简报.docx"
    )
    return macro, plain


def test_the_upload_checks_refuse_such_a_report_today(client_for, staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    page = client_for(staff).post(
        reverse("ingest:upload"), {"files": SimpleUploadedFile("年报.docx", _docx(REPORT, vba=True))}
    )
    assert page.status_code == 400 and "宏" in page.content.decode()


def test_a_dry_run_names_the_report_and_changes_nothing(reports, capsys):
    macro, plain = reports
    call_command("uploads", "recheck")
    out = capsys.readouterr().out
    (line,) = [line for line in out.splitlines() if "年报.docx" in line]
    assert f"报告“{macro.title}”（编号 {macro.pk}）的原始字节：年报.docx" in line and "宏" in line
    assert "简报.docx" not in out and "试运行" in out
    macro.refresh_from_db()
    assert macro.quarantine == "" and not AuditEvent.objects.filter(action="upload.quarantine").exists()
    call_command("uploads", "recheck", "--all")
    assert "简报.docx" in capsys.readouterr().out


def test_apply_quarantines_audits_and_refuses_download_and_analysis(reports, client_for, staff, capsys):
    macro, plain = reports
    call_command("uploads", "recheck", "--apply")
    assert "已隔离 1 个" in capsys.readouterr().out
    macro.refresh_from_db()
    plain.refresh_from_db()
    assert macro.quarantine == "office_macro" and plain.quarantine == ""
    assert len(bytes(macro.original)) == macro.size  # the bytes kept for staff's review
    (event,) = AuditEvent.objects.filter(action="upload.quarantine")
    assert event.object_id == str(macro.pk) and event.reason == "recheck_office_macro"
    assert event.before == {"quarantine": ""} and event.after == {"quarantine": "office_macro"}

    c = client_for(staff)
    refused = c.get(reverse("ingest:document-original", args=[macro.pk]))
    assert refused.status_code == 403 and "已隔离" in refused.content.decode()
    assert "含有宏" in refused.content.decode()
    served = c.get(reverse("ingest:document-original", args=[plain.pk]))
    assert served.status_code == 200 and served["Content-Type"] == "application/octet-stream"
    assert served["Content-Disposition"].startswith("attachment;")
    assert served["Content-Security-Policy"] == "default-src 'none'; sandbox"
    page = c.get(macro.get_absolute_url()).content.decode()
    assert "已隔离" in page and reverse("ingest:document-original", args=[macro.pk]) not in page
    assert not re.search(r"/changes/\d+/revert/", page)  # no undo offered

    # not analysed again: a new year (re-extracts), an undone change (repairs again) — 403, nothing written
    events = AuditEvent.objects.count()
    edit = c.post(
        reverse("ingest:document-edit", args=[macro.pk]), {"title": macro.title, "year": 2024, "region": ""}
    )
    assert edit.status_code == 403 and "已隔离" in edit.content.decode()
    macro.refresh_from_db()
    assert macro.year == 2023
    title_only = c.post(
        reverse("ingest:document-edit", args=[macro.pk]), {"title": "改名", "year": 2023, "region": ""}
    )
    assert title_only.status_code == 302  # a title is not an analysis
    events += 1
    change = macro.changes.filter(reverted=False).first()
    if change is not None:
        undo = c.post(
            reverse("ingest:change-revert", args=[change.pk]), {"confirm": "1", "document": macro.pk}
        )
        assert undo.status_code == 403 and "已隔离" in undo.content.decode()
    assert AuditEvent.objects.count() == events

    # run again: held, nothing new
    call_command("uploads", "recheck", "--apply")
    assert "已在隔离中" in capsys.readouterr().out
    assert AuditEvent.objects.filter(action="upload.quarantine").count() == 1


def test_the_services_refuse_a_report_in_quarantine(reports, staff):
    from kechuang.core.exceptions import PermissionDenied
    from kechuang.ingest import services
    from kechuang.ingest.models import Change, Document

    macro, _plain = reports
    Document.objects.filter(pk=macro.pk).update(quarantine="office_macro")
    macro.refresh_from_db()
    with pytest.raises(PermissionDenied) as refused:
        services.document_update(actor=staff, document=macro, title=macro.title, year=2020, region="")
    assert refused.value.code == "quarantined"
    change = Change.objects.create(
        document=macro, seq=999, step="punctuation", orig_start=0, orig_end=1, rep_start=0, rep_end=1
    )
    with pytest.raises(PermissionDenied):
        services.change_revert(actor=staff, change=change)


def test_every_binary_field_is_read_by_the_recheck():
    """An upload kept in a BinaryField that `uploads recheck` does not know would never be re-checked: every
    BinaryField of every model is registered (`core.uploads.register_stored_bytes`)."""
    from django.apps import apps

    from kechuang.core.uploads import STORED_BYTES

    registered = {(s.model, s.field) for s in STORED_BYTES}
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.BinaryField):
                assert (model, field.name) in registered, f"{model._meta.label}.{field.name}"
    assert registered, "the ingest's Document.original is registered"


@pytest.mark.parametrize(
    ("filename", "kind", "checked"),
    [
        ("年报.docx", "docx", "年报.docx"),
        ("report", "pdf", "report.pdf"),
        ("", "txt", "file.txt"),
        ("0001_x.TXT", "txt", "0001_x.TXT"),
        ("a.docm", "docx", "a.docm"),
        ("b.doc", "docx", "b.doc.docx"),
    ],
)
def test_a_reports_name_for_the_check(filename, kind, checked):
    from kechuang.core.uploads import report_name

    assert report_name(filename, kind) == checked
