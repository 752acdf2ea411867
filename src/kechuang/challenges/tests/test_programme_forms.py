"""Staff-built forms of 揭榜挂帅 on the web (issue #18.2), end to end with the builder's own pages: staff add a
field to a new version of a form, publish it, put it on its stage in a new 揭榜挂帅 version, publish that; a
list drafted after pins it, and the applicant (or commissioner) is asked the field; what was submitted on an
older version renders with that version for ever.

Here: a file field of the application form (multipart, kinds and size checked, stored as a private
attachment of the application, downloadable by those who may read it, in the export and the API)."""

import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kechuang.challenges import programme
from kechuang.challenges.models import Attachment
from kechuang.challenges.tests.factories import ApplicationFactory, ChallengeFactory
from kechuang.challenges.tests.test_joint import _form_post
from kechuang.core.audit import AuditEvent
from kechuang.core.formkinds import rows_post
from kechuang.programmes.models import FormVersion, ProgrammeVersion
from kechuang.programmes.tests.test_views import field_post

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"


def stage_post(stage: dict, form_pk) -> dict:
    """What the builder's stage page posts for `stage` with its form changed to `form_pk`."""
    rules = stage.get("rules") or {}
    data = {
        "kind": stage["kind"],
        "name": stage.get("name", ""),
        "days": str(stage.get("days") or 0),
        "role": stage["role"],
        "form": str(form_pk or ""),
        "unit_kinds": rules.get("unit_kinds") or [],
        "eligibility": rules.get("eligibility") or [],
        "max_concurrent": str(rules.get("max_concurrent") or ""),
        "requires_publicity": "on" if rules.get("requires_publicity", True) else "",
    }
    return data | rows_post("attachments", [{"name": a} for a in rules.get("attachments") or []])


def build_on_the_web(client, *, stage_kind: str, fields: list[dict], form_name: str = "") -> ProgrammeVersion:
    """Staff (logged in on `client`) add `fields` (the builder's posts) to a new version of the form of the
    `stage_kind` stage of the newest 揭榜挂帅 version — or to a new form named `form_name` when the stage has
    none —, publish it, put it on the stage of a new 揭榜挂帅 version and publish that. The new version."""
    current = programme.seed()
    form = programme.stage_form(current, stage_kind)
    if form is None:
        r = client.post(reverse("programmes:form-create"), {"name": form_name, "purpose": "other"})
        draft = FormVersion.objects.get(definition__name=form_name, number=1)
    else:
        r = client.post(reverse("programmes:form-version-action", args=[form.pk]), {"action": "new"})
        draft = FormVersion.objects.get(definition=form.definition, number=form.number + 1)
    assert r.status_code == 302
    for post in fields:
        r = client.post(reverse("programmes:field-add", args=[draft.pk]), field_post(**post))
        assert r.status_code == 302, r.content.decode()[:2000]
    client.post(
        reverse("programmes:form-version-action", args=[draft.pk]), {"action": "publish", "confirm": "1"}
    )
    client.post(reverse("programmes:version-action", args=[current.pk]), {"action": "new"})
    pdraft = ProgrammeVersion.objects.get(programme=current.programme, number=current.number + 1)
    stage = next(s for s in pdraft.stages if s["kind"] == stage_kind)
    r = client.post(
        reverse("programmes:stage-edit", args=[pdraft.pk, stage["key"]]), stage_post(stage, draft.pk)
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    client.post(reverse("programmes:version-action", args=[pdraft.pk]), {"action": "publish", "confirm": "1"})
    pdraft.refresh_from_db()
    assert pdraft.status == "published" and programme.current_version() == pdraft
    return pdraft


def test_a_file_field_staff_add_is_asked_checked_stored_privately_shown_and_exported(
    client_for, staff, client
):
    old = ApplicationFactory(challenge=ChallengeFactory(published=True))  # on the seeded version
    s = client_for(staff)
    v2 = build_on_the_web(
        s,
        stage_kind="application",
        fields=[
            {"label": "查新报告", "kind": "file", "required": "on", "file_kinds": ["pdf"], "max_mb": "1"}
        ],
    )
    form2 = programme.stage_form(v2, "application")
    key = next(f["key"] for f in form2.fields if f["label"] == "查新报告")
    app = ApplicationFactory(challenge=ChallengeFactory(published=True, programme_version=v2))
    assert app.form_version == form2
    c = client_for(app.leader)
    url = reverse("challenges:application-edit", args=[app.pk])
    page = c.get(url).content.decode()
    assert 'enctype="multipart/form-data"' in page and "查新报告" in page and "不超过 1 MB" in page
    # the older application is not asked
    assert (
        "查新报告"
        not in client_for(old.leader)
        .get(reverse("challenges:application-edit", args=[old.pk]))
        .content.decode()
    )
    # required: missing → 400 with the input kept
    r = c.post(url, _form_post(app) | {"plan": "保留的技术方案"})
    assert r.status_code == 400 and "保留的技术方案" in r.content.decode()
    # a program renamed to .pdf, a file too large, a DOCX where only PDF is allowed: 400, reason, input kept
    for name, data, reason in (
        ("查新.pdf", EXE, "可执行程序"),
        ("查新.pdf", PDF + b"0" * (1024 * 1024), "过大"),
        ("查新.docx", PDF, "不支持的文件类型"),
    ):
        r = c.post(url, _form_post(app) | {"plan": "保留的技术方案", key: SimpleUploadedFile(name, data)})
        body = r.content.decode()
        assert r.status_code == 400 and reason in body and "保留的技术方案" in body, name
        # the file's name and a request to choose it again (a browser never refills a file input; usable12)
        assert f"已选的文件“{name}”未保存" in body and "请重新选择后再提交" in body, name
    assert not Attachment.objects.filter(application=app).exists()
    # accepted: stored as a private attachment, by key in `extra`, audited
    r = c.post(url, _form_post(app) | {key: SimpleUploadedFile("查新报告.pdf", PDF)})
    assert r.status_code == 302, r.content.decode()[:3000]
    app.refresh_from_db()
    att = Attachment.objects.get(application=app)
    assert app.extra == {key: {"name": "查新报告.pdf", "attachment": att.pk}}
    # the attachments' private storage, under an unguessable folder (core.uploads.UnguessablePath)
    assert re.fullmatch(r"challenges/attachments/\d{4}/[\w-]{16}/查新报告\.pdf", att.file.name), att.file.name
    assert AuditEvent.objects.filter(action="application.field_file", object_id=str(app.pk)).exists()
    # saving again without a new file keeps it (the field is answered); a new file replaces the old one
    r = c.post(url, _form_post(app))
    assert r.status_code == 302
    app.refresh_from_db()
    assert app.extra[key]["attachment"] == att.pk
    r = c.post(url, _form_post(app) | {key: SimpleUploadedFile("查新报告2.pdf", PDF + b"%2")})
    assert r.status_code == 302
    app.refresh_from_db()
    new = Attachment.objects.get(application=app)
    assert new.pk != att.pk and app.extra[key] == {"name": "查新报告2.pdf", "attachment": new.pk}
    # the page: under 其他填报内容 with its download link; the attachment is not removable on its own
    download = reverse("challenges:attachment-download", args=[new.pk])
    page = c.get(app.get_absolute_url()).content.decode()
    assert "查新报告2.pdf" in page and download in page and "申报书“查新报告”栏" in page
    assert reverse("challenges:attachment-delete", args=[new.pk]) not in page
    r = c.post(reverse("challenges:attachment-delete", args=[new.pk]))
    assert Attachment.objects.filter(pk=new.pk).exists()
    r = c.get(download)
    assert r.status_code == 200 and b"".join(r.streaming_content).startswith(b"%PDF")
    # another unit's user, and anonymous visitors, cannot fetch it
    other = ApplicationFactory()
    assert client_for(other.leader).get(download).status_code == 404
    assert client.get(download).status_code == 302  # to the login page
    # the API carries it by key (name and attachment id); the export has the file name
    data = c.get(reverse("api:challenges-application-detail", args=[app.pk])).json()
    assert data["extra"] == {key: {"name": "查新报告2.pdf", "attachment": new.pk}}
    r = s.get(reverse("challenges:application-list") + "?export=xlsx")
    rows = list(
        openpyxl.load_workbook(io.BytesIO(b"".join(r.streaming_content))).active.iter_rows(values_only=True)
    )
    col = list(rows[0]).index(f"查新报告 [{key}]")
    assert "查新报告2.pdf" in [row[col] for row in rows[1:]]


def test_a_conditional_file_field_is_dropped_with_its_file_when_its_condition_fails(client_for, staff):
    s = client_for(staff)
    v2 = build_on_the_web(
        s,
        stage_kind="application",
        fields=[
            {
                "label": "是否涉及伦理",
                "kind": "choice",
                "required": "on",
                "options": [{"text": "是"}, {"text": "否"}],
            },
        ],
    )
    form2 = programme.stage_form(v2, "application")
    choice = next(f["key"] for f in form2.fields if f["label"] == "是否涉及伦理")
    v3 = build_on_the_web(
        s,
        stage_kind="application",
        fields=[
            {
                "label": "伦理审查意见",
                "kind": "file",
                "required": "on",
                "file_kinds": ["pdf", "docx"],
                "max_mb": "5",
                "show_if": f"{choice}::是",
            }
        ],
    )
    fkey = next(
        f["key"] for f in programme.stage_form(v3, "application").fields if f["label"] == "伦理审查意见"
    )
    app = ApplicationFactory(challenge=ChallengeFactory(published=True, programme_version=v3))
    c = client_for(app.leader)
    url = reverse("challenges:application-edit", args=[app.pk])
    assert c.post(url, _form_post(app) | {choice: "是"}).status_code == 400  # the file is then required
    r = c.post(url, _form_post(app) | {choice: "是", fkey: SimpleUploadedFile("伦理.pdf", PDF)})
    assert r.status_code == 302
    app.refresh_from_db()
    assert app.extra[fkey]["name"] == "伦理.pdf" and app.attachments.count() == 1
    r = c.post(url, _form_post(app) | {choice: "否"})
    assert r.status_code == 302
    app.refresh_from_db()
    assert app.extra == {choice: "否"} and app.attachments.count() == 0


def test_the_application_edit_api_checks_extra_as_the_web_form_does(client_for, staff):
    s = client_for(staff)
    v2 = build_on_the_web(
        s,
        stage_kind="application",
        fields=[
            {"label": "试验样本数", "kind": "number", "required": "on", "unit": "个"},
            {
                "label": "单位类型",
                "kind": "choice",
                "required": "on",
                "options": [{"text": "企业"}, {"text": "高校"}],
            },
        ],
    )
    fields = programme.stage_form(v2, "application").fields
    number = next(f["key"] for f in fields if f["label"] == "试验样本数")
    choice = next(f["key"] for f in fields if f["label"] == "单位类型")
    app = ApplicationFactory(challenge=ChallengeFactory(published=True, programme_version=v2))
    c = client_for(app.leader)
    url = reverse("api:challenges-application-edit", args=[app.pk])

    def patch(extra):
        app.refresh_from_db()
        body = {"version": app.version, "title": "改后的题目", "extra": extra}
        return c.patch(url, body, content_type="application/json")

    r = patch({number: "很多", choice: "研究所", "unknown": "x"})
    assert r.status_code == 400
    body = r.json()
    assert set(body["error"]["fields"]) == {number, choice}, body  # every reason, by key
    assert body["error"]["code"] == "invalid_extra" and "试验样本数" not in body["error"]["fields"]
    app.refresh_from_db()
    assert app.title != "改后的题目" and not app.extra  # nothing saved
    r = patch({choice: "企业"})
    assert r.status_code == 400 and set(r.json()["error"]["fields"]) == {number}  # required
    r = patch({number: "12", choice: "企业", "unknown": "x"})
    assert r.status_code == 200, r.content
    app.refresh_from_db()
    assert app.title == "改后的题目" and app.extra[choice] == "企业" and "unknown" not in app.extra
    assert r.json()["extra"][choice] == "企业"
