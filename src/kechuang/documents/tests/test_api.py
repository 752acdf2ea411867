"""The documents API: a project's documents, a PDF, the public verification, the archive job — with the
pages' permission checks (who sees the project; the archive is staff's)."""

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from kechuang.core.models import AuditEvent, Job
from kechuang.core.roles import Role
from kechuang.documents.models import OfficialDocument, ProjectArchive

from .world import project

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n% a stand-in for an issued document\n%%EOF\n"


def _document(contract, *, version=1, code="7K2Q-M9XD-4PRA-TF3B", superseded_by=None):
    doc = OfficialDocument(
        contract=contract,
        kind="task_book",
        title="项目任务书",
        version=version,
        code=code,
        sha256=hashlib.sha256(PDF + bytes([version])).hexdigest(),
        size=len(PDF) + 1,
        superseded_by=superseded_by,
    )
    doc.file.save("任务书.pdf", ContentFile(PDF + bytes([version])), save=False)
    doc.save()
    return doc


def test_the_documents_api_follows_the_pages_checks(
    api_for, staff, make_user, django_capture_on_commit_callbacks
):
    contract, _payment, _experts = project(reviews=0)
    new = _document(contract, version=2, code="8K2Q-M9XD-4PRA-TF3B")
    old = _document(contract, version=1, superseded_by=new)
    unit_user = make_user(Role.APPLICANT, unit=contract.unit)
    stranger = make_user(Role.APPLICANT)
    url = reverse("api:documents-of-project", args=[contract.pk])

    body = api_for(unit_user).get(url).json()
    assert [(d["version"], d["current"]) for d in body["documents"]] == [(2, True), (1, False)]
    assert body["documents"][1]["superseded_by_code"] == new.code and body["archives"] == []
    assert api_for(stranger).get(url).status_code == 404  # a project one may not see does not exist
    assert api_for(None).get(url).status_code == 401
    r = api_for(unit_user).get(body["documents"][0]["download_url"])
    assert r.status_code == 200 and b"".join(r.streaming_content) == PDF + bytes([2])
    assert api_for(stranger).get(reverse("api:documents-download", args=[new.pk])).status_code == 404

    # verification: public; a superseded code says so and names the one in force; a digest is compared
    anon = api_for(None)
    v = anon.get(reverse("api:documents-verify", args=[old.code])).json()
    assert v["found"] and not v["current"] and v["current_code"] == new.code and v["match"] is None
    v = anon.post(
        reverse("api:documents-verify", args=[new.code]), {"sha256": new.sha256}, format="json"
    ).json()
    assert v["current"] and v["match"] is True
    changed = hashlib.sha256(PDF + b"x").hexdigest()
    assert (
        anon.post(
            reverse("api:documents-verify", args=[new.code]), {"sha256": changed}, format="json"
        ).json()["match"]
        is False
    )
    assert (
        anon.post(
            reverse("api:documents-verify", args=[new.code]), {"sha256": "zz"}, format="json"
        ).status_code
        == 400
    )
    assert anon.get(reverse("api:documents-verify", args=["NONE-NONE-NONE-NONE"])).status_code == 404

    # the archive: staff request it (a job, audited when built); a unit user may not
    archive_url = reverse("api:documents-archive-request", args=[contract.pk])
    assert api_for(unit_user).post(archive_url).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        r = api_for(staff).post(archive_url)
    assert r.status_code == 202
    job = Job.objects.get(pk=r.json()["job"])
    assert job.kind == "documents.archive" and job.state == Job.State.SUCCEEDED, job.error
    archive = ProjectArchive.objects.get(contract=contract)
    assert AuditEvent.objects.filter(action="archive.build", object_id=str(archive.pk)).exists()
    listed = api_for(staff).get(url).json()["archives"]
    assert [a["id"] for a in listed] == [archive.pk]
    assert api_for(unit_user).get(url).json()["archives"] == []  # the audit trail is staff's
    assert api_for(staff).get(listed[0]["download_url"]).status_code == 200
    assert api_for(unit_user).get(listed[0]["download_url"]).status_code == 403


def test_the_verification_api_is_rate_limited(api_for, settings, one_window):
    from django.core.cache import cache

    cache.clear()  # the page's own limit test counts hits from the same address in the same window
    settings.KECHUANG_VERIFY_RATE, settings.KECHUANG_VERIFY_WINDOW = 2, 60
    contract, _p, _e = project(reviews=0, acceptance=False)
    doc = _document(contract)
    anon = api_for(None)
    url = reverse("api:documents-verify", args=[doc.code])
    assert [anon.get(url).status_code for _ in range(2)] == [200, 200]
    r = anon.get(url)
    assert r.status_code == 429 and int(r["Retry-After"]) > 0
