"""The project archive: a job builds it; its manifest lists every member with a digest that matches."""

import hashlib
import io
import json
import zipfile

import pytest
from django.urls import reverse

from kechuang.core.models import Job
from kechuang.documents import pdf, services
from kechuang.documents.models import ProjectArchive

from .world import PDF_ATTACHMENT, project

pytestmark = pytest.mark.django_db


def _zip(archive: ProjectArchive) -> zipfile.ZipFile:
    with archive.file.open("rb") as fh:
        data = fh.read()
    assert hashlib.sha256(data).hexdigest() == archive.sha256 and len(data) == archive.size
    return zipfile.ZipFile(io.BytesIO(data))


def test_the_archive_job_builds_a_zip_whose_manifest_and_digests_hold(
    staff, client_for, django_capture_on_commit_callbacks
):
    contract, payment, experts = project()
    issued = []
    if not pdf.unavailable_reason():
        issued.append(services.document_issue(actor=staff, contract=contract, kind="notice"))
        issued.append(services.document_issue(actor=staff, contract=contract, kind="notice", reason="更正"))
    c = client_for(staff)
    url = reverse("documents:archive-build", args=[contract.pk])
    assert "确认生成" in c.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(url)
    job = Job.objects.get(kind="documents.archive")
    job.refresh_from_db()
    assert r.status_code == 302 and r["Location"] == reverse("core:job-detail", args=[job.pk])
    assert job.state == Job.State.SUCCEEDED and job.progress == 100, job.error  # eager in tests
    archive = ProjectArchive.objects.get(contract=contract)
    z = _zip(archive)
    names = set(z.namelist())
    manifest = json.loads(z.read("manifest.json"))
    assert manifest["format"] == "kechuang-project-archive" and manifest["project"]["code"] == contract.code
    listed = {f["path"] for f in manifest["files"]}
    assert names == listed | {"manifest.json", "SHA256SUMS"} and archive.entries == len(names)
    for f in manifest["files"]:
        data = z.read(f["path"])
        assert hashlib.sha256(data).hexdigest() == f["sha256"] and len(data) == f["size"], f["path"]
    sums = dict(reversed(line.split("  ", 1)) for line in z.read("SHA256SUMS").decode().splitlines())
    assert sums["manifest.json"] == hashlib.sha256(z.read("manifest.json")).hexdigest()
    assert all(sums[f["path"]] == f["sha256"] for f in manifest["files"])
    # every document version (superseded too), the attachment, the records
    for d in issued:
        entry = next(f for f in manifest["files"] if f.get("code") == d.code)
        assert entry["registered_sha256"] == d.sha256 == entry["sha256"]
        assert entry["current"] is d.__class__.objects.get(pk=d.pk).is_current
    assert any(n.startswith("attachments/") and z.read(n) == PDF_ATTACHMENT for n in names)
    for record in ("application", "reviews", "decision", "project", "payments", "audit", "documents"):
        assert f"records/{record}.json" in names
    reviews = json.loads(z.read("records/reviews.json"))
    assert [r["label"] for r in reviews] == ["专家一", "专家二"]
    everything = b"".join(z.read(n) for n in names).decode("utf-8", "ignore")
    for e in experts:  # anonymised everywhere: no expert's name, account or internal comment
        assert e.last_name not in everything and e.username not in everything
    assert "内部意见" not in everything
    payments = json.loads(z.read("records/payments.json"))
    assert (
        payments["payments"][0]["status"] == "approved" and payments["payments"][0]["amount"] == "3000000.00"
    )
    decision = json.loads(z.read("records/decision.json"))
    assert decision["decision_note"] == "同意立项，重点考核 8 英寸衬底量产。"
    audit = json.loads(z.read("records/audit.json"))
    if issued:
        assert {"document.issue", "document.supersede"} <= {e["action"] for e in audit}
    # download: staff only, as a file
    download = reverse("documents:archive-download", args=[archive.pk])
    response = c.get(download)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment;")
    assert client_for(contract.leader).get(download).status_code == 403
    assert client_for(contract.leader).post(url).status_code == 403
