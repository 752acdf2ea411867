"""Every upload path runs the shared check (core.uploads): a program renamed to an accepted extension is
refused with the reason and nothing is stored; stored uploads are served as attachments with nosniff.

The paths are found by searching the code for file fields (forms.FileField, request.FILES), so a new upload
path without an entry here fails `test_every_upload_path_is_listed`.
"""

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from kechuang.core.roles import Role

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parents[2] / "src" / "kechuang"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# file (relative to src/kechuang) -> the upload paths it holds, as tested below
LISTED = {
    "ingest/forms.py": ["ingest upload page"],
    "ingest/api.py": ["ingest upload API"],
    "platforms/forms.py": ["platform import page", "achievement evidence"],
    "platforms/api/registry.py": ["platform import API"],
    "platforms/models.py": ["achievement evidence"],
    "techmap/forms.py": ["technology map import"],
    "indicators/forms.py": ["indicator values import"],
    "review/forms.py": ["expert import"],
    "challenges/views/needs.py": ["needs import"],
    "challenges/forms.py": ["application attachment"],
    "challenges/models/applications.py": ["application attachment"],
    # a report form's file field (issue #18): the form's fieldkinds.DataFileField and then
    # services.report_field_file_set check it (challenges/tests/test_programme_report_files.py refuses a
    # renamed program on the yearly report, the mid-term check and the acceptance, nothing stored)
    "challenges/models/projects.py": ["report form file field"],
    # a review sheet's file field (issue #18): the sheet's fieldkinds.DataFileField and then
    # services.review_save / review_file_set check it (review/tests/test_sheet_files.py refuses a renamed
    # program on the web sheet and through the API, nothing stored)
    "review/models/reviews.py": ["review sheet file field"],
    "review/api.py": ["review sheet file field API"],
    # the API's attachment upload: services.attachment_add checks the content as the web form does
    # (test_the_attachment_api_refuses_a_renamed_program below)
    "challenges/api/lifecycle.py": ["application attachment API"],
    "accounts/forms.py": ["unit import"],
    "integrity/forms.py": ["integrity records import"],
    # the payment voucher: funds.services.payments.payment_transition checks it before storing anything
    # (funds/tests/test_services.py::test_a_payment_without_voucher_or_over_the_plan_is_refused_and_stores_nothing)
    "funds/forms.py": ["payment voucher"],
    "funds/api.py": ["payment voucher"],
    "funds/models.py": ["payment voucher"],
    # a staff-built form's file field: fieldkinds.DataFileField runs read_upload with the field's kinds and
    # size (programmes/tests/test_fieldkinds.py::test_file_checks_kind_and_size refuses a renamed program)
    "programmes/fieldkinds.py": ["form file field"],
    # and an objection's file during a call's 公示 (ObjectionFile): services.objection_lodge checks it through
    # filefields.store (programmes/tests/test_publicity.py refuses a renamed program, nothing stored)
    "programmes/models.py": ["form file field", "objection file"],
    # the API's objection file (multipart): the same services.objection_lodge check as the page, nothing stored
    # when refused, stored under an unguessable path (programmes/tests/test_objection_leftovers.py::
    # test_the_api_takes_the_objections_file_checked_and_stored_privately)
    "programmes/api.py": ["objection file API"],
    # a programme definition file: transfer.parse reads at most 1 MB and refuses what is not its JSON
    # (programmes/tests/test_views.py::test_export_and_import_on_the_web_and_the_api posts a renamed program)
    "programmes/forms.py": ["programme definition import"],
    "core/uploads.py": [],  # the check itself
    # the public check of a received PDF: only its digest is computed, nothing is stored
    # (documents/tests/test_documents.py::test_a_program_sent_to_verification_is_refused_with_400)
    "documents/forms.py": ["document verification"],
    "documents/models.py": [],  # the PDFs, archives and open-data dumps the platform generates, never an upload
}
FILE_FIELD = re.compile(r"FileField\(|request\.FILES")


def test_every_upload_path_is_listed():
    found = set()
    for path in SRC.rglob("*.py"):
        rel = path.relative_to(SRC).as_posix()
        if "/tests/" in rel or "/migrations/" in rel:
            continue
        if FILE_FIELD.search(path.read_text(encoding="utf-8")):
            found.add(rel)
    # views that pass request.FILES to a listed form are covered by that form
    covered_by_form = {
        "ingest/views.py",
        "platforms/views/registry.py",
        "techmap/views.py",
        "indicators/views.py",
        "review/views/experts.py",
        "review/views/reviews.py",  # the scoring sheet (review.sheet.SheetForm, fieldkinds' file field)
        "challenges/views/applications.py",
        "challenges/views/projects.py",
        "accounts/views/units.py",
        "integrity/views.py",
        "funds/views.py",
        "programmes/views.py",
        "documents/views.py",
    }
    assert found - covered_by_form == set(LISTED), (
        "a new upload path: add it to LISTED and to the cases below"
    )


def _application(applicant_user):
    from kechuang.challenges.tests.factories import ApplicationFactory

    return ApplicationFactory(leader=applicant_user, unit=applicant_user.unit, created_by=applicant_user)


def _platform():
    from kechuang.platforms.tests.factories import PlatformFactory

    return PlatformFactory()


def _stored():
    from kechuang.challenges.models import Attachment
    from kechuang.ingest.models import Document
    from kechuang.platforms.models import Achievement, Platform

    return (
        Document.objects.count(),
        Attachment.objects.count(),
        Achievement.objects.exclude(evidence_file="").count(),
        Platform.objects.count(),
    )


def _web(client, url, field, upload, extra=None):
    return client.post(url, {field: upload, **(extra or {})}, follow=True)


CASES = {
    "ingest upload page": ("web", "/ingest/upload/", "files", "report.txt", {}),
    "ingest upload API": ("api", "/api/ingest/documents/upload/", "file", "report.pdf", {}),
    "platform import page": ("web", "/platforms/import/", "file", "platforms.csv", {"commit": "on"}),
    "platform import API": ("api", "/api/platforms/import/", "file", "platforms.xlsx", {"dry_run": "false"}),
    "technology map import": ("web", "/techmap/import/", "file", "map.xlsx", {"commit": "on"}),
    "indicator values import": ("web", "/indicators/import/", "file", "values.csv", {}),
    "expert import": ("web", "/review/experts/import/", "file", "experts.xlsx", {"commit": "on"}),
    "needs import": ("web", "/challenges/needs/import/", "file", "needs.csv", {"commit": "1"}),
    "unit import": ("web", "/accounts/units/import/", "file", "units.xlsx", {"commit": "on"}),
    "integrity records import": ("web", "/integrity/import/", "file", "records.xlsx", {"commit": "on"}),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_program_renamed_is_refused_on_every_import_and_upload(case, staff, client_for, api_for):
    kind, url, field, name, extra = CASES[case]
    before = _stored()
    upload = SimpleUploadedFile(name, EXE)
    if kind == "api":
        response = api_for(staff).post(url, {field: upload, **extra}, format="multipart")
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "executable_file"
        assert "可执行程序" in response.json()["error"]["message"]
    else:
        response = _web(client_for(staff), url, field, upload, extra)
        # the page again with the reason: 400 where the form's refusal says so (the indicator import, #20)
        assert response.status_code in (200, 400)
        assert "可执行程序" in response.content.decode(), case
    assert _stored() == before


def test_attachment_upload_refuses_a_renamed_program_and_serves_stored_files_as_downloads(
    client_for, make_user
):
    from kechuang.accounts.tests.factories import UnitFactory

    applicant = make_user(Role.APPLICANT, unit=UnitFactory())
    app = _application(applicant)
    c = client_for(applicant)
    r = c.post(
        f"/challenges/applications/{app.pk}/attach/",
        {"kind": "plan", "file": SimpleUploadedFile("plan.pdf", EXE)},
        follow=True,
    )
    assert "可执行程序" in r.content.decode() and app.attachments.count() == 0
    r = c.post(
        f"/challenges/applications/{app.pk}/attach/",
        {"kind": "plan", "file": SimpleUploadedFile("plan.docx", PDF)},
        follow=True,
    )
    assert "不符" in r.content.decode() and app.attachments.count() == 0
    c.post(
        f"/challenges/applications/{app.pk}/attach/",
        {"kind": "plan", "file": SimpleUploadedFile("plan.pdf", PDF)},
    )
    att = app.attachments.get()
    response = c.get(f"/challenges/attachments/{att.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF


def test_achievement_evidence_is_checked_and_served_as_a_download(staff, client_for):
    platform = _platform()
    c = client_for(staff)
    data = {"kind": "other", "title": "成果一", "year": 2024, "evidence": ""}
    r = c.post(
        f"/platforms/{platform.pk}/achievements/",
        {**data, "evidence_file": SimpleUploadedFile("e.pdf", EXE)},
        follow=True,
    )
    assert "可执行程序" in r.content.decode() and not platform.achievements.exists()
    page = b"<html><script>alert(1)</script></html>"
    c.post(
        f"/platforms/{platform.pk}/achievements/",
        {**data, "evidence_file": SimpleUploadedFile("e.html", page)},
    )
    assert not platform.achievements.exists()  # HTML is not evidence
    c.post(
        f"/platforms/{platform.pk}/achievements/",
        {**data, "evidence_file": SimpleUploadedFile("e.txt", "佐证".encode())},
    )
    achievement = platform.achievements.get()
    response = c.get(f"/platforms/achievements/{achievement.pk}/evidence/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/octet-stream"  # text is never rendered by the browser
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


@override_settings(KECHUANG_MAX_REQUEST_BYTES=1000)
@pytest.mark.parametrize(
    ("path", "json"), [("/ingest/upload/", False), ("/api/ingest/documents/upload/", True)]
)
def test_a_request_over_the_total_limit_is_refused_before_it_is_read(staff, client_for, path, json):
    response = client_for(staff).post(path, {"files": SimpleUploadedFile("a.txt", b"x" * 5000)})
    assert response.status_code == 413
    text = response.json()["error"]["message"] if json else response.content.decode()
    assert "请求过大" in text and "上限" in text


def test_the_attachment_api_refuses_a_renamed_program(client_for, make_user):
    from django.urls import reverse

    from kechuang.accounts.tests.factories import UnitFactory

    applicant = make_user(Role.APPLICANT, unit=UnitFactory())
    app = _application(applicant)
    c = client_for(applicant)
    url = reverse("api:challenges-application-attachments", args=[app.pk])
    r = c.post(url, {"kind": "plan", "file": SimpleUploadedFile("plan.pdf", EXE)})
    assert r.status_code == 400 and "可执行程序" in r.content.decode()
    assert app.attachments.count() == 0
    r = c.post(url, {"kind": "plan", "file": SimpleUploadedFile("plan.pdf", PDF)})
    assert r.status_code == 201 and app.attachments.count() == 1
