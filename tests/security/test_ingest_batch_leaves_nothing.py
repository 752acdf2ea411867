"""The upload page's batch of reports is copied to the server (`MEDIA_ROOT/ingest/incoming/<random>/`) for the
background job; the job deleted each copy once stored, but a report it refused (a PDF with no text layer, a
file it could not read) stayed there for good, with its folder — uploads kept outside any record, never
deleted (docs/security.md §41). Now every copy goes, stored or refused, and the folder with them."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kechuang.core.models import Job
from kechuang.ingest.models import Document

pytestmark = pytest.mark.django_db

NO_TEXT_PDF = b"%PDF-1.4\n1 0 obj<< /Type /Catalog /Pages 2 0 R >>endobj\n2 0 obj<< /Type /Pages /Kids [] /Count 0 >>endobj\ntrailer<< /Root 1 0 R >>\n%%EOF\n"


def test_a_refused_report_of_a_batch_is_not_left_on_the_server(
    client_for, staff, django_capture_on_commit_callbacks
):
    incoming = Path(settings.MEDIA_ROOT) / "ingest" / "incoming"
    before = set(incoming.rglob("*")) if incoming.exists() else set()
    files = [
        SimpleUploadedFile("a.txt", "报告甲：攻克技术74项。".encode()),
        SimpleUploadedFile("扫描件.pdf", NO_TEXT_PDF),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        r = client_for(staff).post(reverse("ingest:upload"), {"files": files})
    assert r.status_code == 302
    job = Job.objects.get(kind="ingest.batch")
    assert job.state == "succeeded", job.error
    assert len(job.result["created"]) == 1 and len(job.result["failed"]) == 1  # one stored, one refused
    assert Document.objects.count() == 1
    left = (set(incoming.rglob("*")) if incoming.exists() else set()) - before
    assert not left, sorted(map(str, left))
