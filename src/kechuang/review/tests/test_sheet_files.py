"""File fields on the experts' scoring sheet (issue #18): a review form version's file field is asked on the
sheet (multipart; kinds and size checked as on every form: a refused upload keeps what was typed and says
why on the field), stored as a private ReviewFile of the review (programmes.filefields, as the application's
and the reports' files), shown with its name, size and download link, replaced by a new upload (the old file
leaves storage once committed), required at submission when the field is required, downloaded only by those
who may see the review, uploaded through the API too, and exported by key."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kechuang.core.audit import AuditEvent
from kechuang.review import services, sheet
from kechuang.review.models import Review, ReviewFile

from .conftest import first_assignment
from .factories import ExpertProfileFactory, ExternalSubjectFactory, ReviewFormFactory
from .test_sheet import _version

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"

FIELDS = [
    {"key": "tech", "kind": "number", "label": "技术先进性", "required": True, "min": "0", "max": "40"},
    {"key": "f2", "kind": "short_text", "label": "一句话结论"},
    {"key": "f6", "kind": "choice", "label": "推荐意见", "required": True, "options": ["推荐", "不推荐"]},
    {"key": "f14", "kind": "file", "label": "评审附件", "required": True, "file_kinds": ["pdf"], "max_mb": 1},
    {
        "key": "f15",
        "kind": "file",
        "label": "不推荐的依据",
        "file_kinds": ["pdf"],
        "show_if": {"field": "f6", "equals": "不推荐"},
    },
]


@pytest.fixture
def file_review(staff, client_for):
    """An opened review on a round whose sheet has a required file field (f14) and a conditional one."""
    version = _version(FIELDS, number=7)
    form = ReviewFormFactory(criteria=[("tech", "技术", "1", 40)])
    experts = [ExpertProfileFactory(), ExpertProfileFactory()]
    rnd = services.round_create(
        actor=staff,
        title="附件评审轮次",
        subjects=[ExternalSubjectFactory()],
        form=form,
        k=2,
        max_load=1,
        sheet=version,
        experts=type(experts[0]).objects.filter(pk__in=[e.pk for e in experts]),
    )
    rnd = services.round_assign(actor=staff, round=rnd)
    services.round_transition(actor=staff, round=rnd, action="start")
    a = first_assignment(rnd)
    c = client_for(a.expert)
    assert (
        c.post(reverse("review:review-action", args=[a.review.pk, "open"]), {"confirm": "1"}).status_code
        == 302
    )
    other = rnd.assignments.exclude(pk=a.pk).get().expert
    return c, Review.objects.get(pk=a.review.pk), other


def _pdf(name="意见.pdf", data=PDF):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def test_the_sheet_asks_file_fields_and_takes_them_only_as_uploads():
    form = ReviewFormFactory(criteria=[("tech", "技术", "1", 40)])
    specs = sheet.sheet_specs(_version(FIELDS, number=8), list(form.criteria.all()))
    assert sheet.file_keys(specs) == {"f14", "f15"}
    assert sheet.file_spec(specs, "f14")["max_mb"] == 1 and sheet.file_spec(specs, "f2") is None
    # a file field's value is not taken as data; its stored value echoed back (the API's GET) is let through
    stored = {"name": "a.pdf", "file": 3}
    clean, errors = sheet.check_values(specs, {"f14": "伪造", "f2": "好"}, old_files={})
    assert set(errors) == {"f14"} and clean == {"f2": "好"}
    clean, errors = sheet.check_values(specs, {"f14": stored}, old_files={"f14": stored})
    assert errors == {} and clean == {}
    # a required file field keeps the review from submission until a file is stored
    assert "评审附件" in sheet.missing(specs, {"f6": "推荐"})
    assert "评审附件" not in sheet.missing(specs, {"f6": "推荐", "f14": stored})
    row = next(r for r in sheet.rows(specs, {"f14": stored}) if r["key"] == "f14")
    assert row["text"] == "a.pdf" and row["url"] == reverse("review:review-file-download", args=[3])


def test_an_upload_on_the_web_sheet_is_stored_shown_replaced_and_required(
    file_review, django_capture_on_commit_callbacks
):
    c, review, _other = file_review
    url = review.get_absolute_url()
    page = c.get(url).content.decode()
    assert 'enctype="multipart/form-data"' in page and 'type="file" name="f14"' in page
    # a renamed program is refused: the reason on the field, what was typed kept, nothing stored
    typed = {
        "tech": "30",
        "f2": "结论写在这里",
        "f6": "推荐",
        "comments": "我的意见",
        "version": review.version,
    }
    r = c.post(url, {**typed, "f14": _pdf("意见.pdf", EXE)})
    assert r.status_code == 400
    html = r.content.decode()
    assert 'id="id_f14_error"' in html and "可执行程序" in html
    assert 'value="结论写在这里"' in html and "我的意见" in html
    assert not ReviewFile.objects.exists()
    # too large for the field's 1 MB
    r = c.post(url, {**typed, "f14": _pdf("大.pdf", PDF + b"0" * (1024 * 1024 + 10))})
    assert r.status_code == 400 and "过大" in r.content.decode() and not ReviewFile.objects.exists()
    # accepted: stored privately by key with the review's form version, shown with name, size and link
    r = c.post(url, {**typed, "f14": _pdf()})
    assert r.status_code == 302, r.content.decode()[:2000]
    review.refresh_from_db()
    rf = ReviewFile.objects.get()
    assert review.sheet_values["f14"] == {"name": "意见.pdf", "file": rf.pk}
    assert review.sheet_values["f2"] == "结论写在这里"
    assert (rf.review, rf.key, rf.form_version, rf.size) == (review, "f14", review.form_version, len(PDF))
    assert rf.uploaded_by == review.assignment.expert and rf.file.name.startswith("review/sheets/")
    assert AuditEvent.objects.filter(action="review.field_file", object_id=str(review.pk)).exists()
    page = c.get(url).content.decode()
    link = reverse("review:review-file-download", args=[rf.pk])
    assert link in page and "意见.pdf" in page and f"{len(PDF)}" in page.replace("\xa0", " ")
    # the stored file said in words beside its input (not Django's 目前/清除/修改); required: no remove box
    assert "已上传：" in page and "上传新文件替换" in page and "目前" not in page and "修改:" not in page
    assert 'name="f14-clear"' not in page
    # a save without a new file keeps it
    assert c.post(url, {**typed, "f2": "改了结论", "version": review.version}).status_code == 302
    review.refresh_from_db()
    assert review.sheet_values["f14"]["file"] == rf.pk and review.sheet_values["f2"] == "改了结论"
    # a re-upload replaces it: the old row goes, its file leaves storage once the save commits
    old_name, storage = rf.file.name, rf.file.storage
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(url, {**typed, "version": review.version, "f14": _pdf("新意见.pdf", PDF + b"%new\n")})
    assert r.status_code == 302
    new = ReviewFile.objects.get()
    assert new.pk != rf.pk and new.original_name == "新意见.pdf" and not storage.exists(old_name)
    # submitted with the file: the read-only sheet shows it, with its link and size
    review.refresh_from_db()
    r = c.post(url, {**typed, "version": review.version, "submit": "1", "confirm": "1"})
    assert r.status_code == 302, r.content.decode()[:2000]
    review.refresh_from_db()
    assert review.status == "submitted"
    page = c.get(url).content.decode()
    assert reverse("review:review-file-download", args=[new.pk]) in page and "新意见.pdf" in page


def test_a_required_file_is_asked_at_submission_and_a_hidden_ones_file_goes(
    file_review, django_capture_on_commit_callbacks
):
    c, review, _other = file_review
    url = review.get_absolute_url()
    typed = {"tech": "30", "f6": "不推荐", "comments": "意见", "version": review.version}
    r = c.post(url, {**typed, "submit": "1", "confirm": "1"})
    assert r.status_code == 400 and "评审附件" in r.content.decode()
    review.refresh_from_db()
    assert review.status == "opened"
    # the conditional file field stores while its condition holds ...
    r = c.post(url, {**typed, "version": review.version, "f15": _pdf("依据.pdf")})
    assert r.status_code == 302
    review.refresh_from_db()
    kept = ReviewFile.objects.get(key="f15")
    assert review.sheet_values["f15"]["file"] == kept.pk
    page = c.get(url).content.decode()  # an optional stored file may be removed with a labelled box
    assert 'name="f15-clear"' in page and "删除已上传的文件" in page
    # ... and goes (row and stored file) when the condition no longer holds
    name, storage = kept.file.name, kept.file.storage
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(url, {**typed, "f6": "推荐", "version": review.version})
    assert r.status_code == 302
    review.refresh_from_db()
    assert "f15" not in review.sheet_values and not ReviewFile.objects.exists() and not storage.exists(name)


def test_only_those_who_see_the_review_download_its_files(
    file_review, client_for, staff, applicant, commissioner
):
    c, review, other = file_review
    services.review_file_set(
        actor=review.assignment.expert,
        review=review,
        key="f14",
        data=PDF,
        filename="意见.pdf",
        expected_version=review.version,
    )
    rf = ReviewFile.objects.get()
    url = reverse("review:review-file-download", args=[rf.pk])
    r = c.get(url)
    assert r.status_code == 200 and b"".join(r.streaming_content) == PDF
    assert r["X-Content-Type-Options"] == "nosniff" and "attachment" in r["Content-Disposition"]
    assert client_for(staff).get(url).status_code == 200
    for user in (other, applicant, commissioner):
        assert client_for(user).get(url).status_code == 404, user
    assert client_for(None).get(url).status_code == 302  # to sign in


def test_the_api_uploads_replaces_clears_and_refuses(file_review, api_for, applicant):
    _c, review, other = file_review
    expert = review.assignment.expert
    api = api_for(expert)
    url = reverse("api:review-review-file", args=[review.pk, "f14"])
    # a renamed program: 400 with the reason on the field, nothing stored
    r = api.post(url, {"file": _pdf("x.pdf", EXE), "version": review.version}, format="multipart")
    assert r.status_code == 400 and "可执行程序" in str(r.json()) and not ReviewFile.objects.exists()
    r = api.post(url, {"file": _pdf(), "version": review.version}, format="multipart")
    assert r.status_code == 200, r.content
    rf = ReviewFile.objects.get()
    assert r.json()["files"]["f14"] == {
        "name": "意见.pdf",
        "size": len(PDF),
        "url": reverse("review:review-file-download", args=[rf.pk]),
    }
    assert r.json()["values"]["f14"] == {"name": "意见.pdf", "file": rf.pk}
    version = r.json()["version"]
    # stale: refused
    r = api.post(url, {"file": _pdf(), "version": version - 1}, format="multipart")
    assert r.status_code == 409 and ReviewFile.objects.get().pk == rf.pk
    # not a file field of the sheet
    r = api.post(
        reverse("api:review-review-file", args=[review.pk, "f2"]),
        {"file": _pdf(), "version": version},
        format="multipart",
    )
    assert r.status_code == 400
    # the values PATCH echoing the stored file is fine; forging one is refused
    detail = reverse("api:review-review-detail", args=[review.pk])
    r = api.patch(
        detail, {"version": version, "values": {"f14": {"name": "意见.pdf", "file": rf.pk}}}, format="json"
    )
    assert r.status_code == 200, r.content
    version = r.json()["version"]
    r = api.patch(detail, {"version": version, "values": {"f14": {"name": "x", "file": 999}}}, format="json")
    assert r.status_code == 400
    # another expert and an applicant: not found
    assert (
        api_for(other).post(url, {"file": _pdf(), "version": version}, format="multipart").status_code == 404
    )
    assert api_for(applicant).post(
        url, {"file": _pdf(), "version": version}, format="multipart"
    ).status_code in (
        403,
        404,
    )
    # cleared
    r = api.post(url, {"clear": True, "version": version}, format="json")
    assert r.status_code == 200 and r.json()["files"] == {} and "f14" not in r.json()["values"]
    assert not ReviewFile.objects.exists()


def test_the_reviews_export_carries_the_file_name_by_key(file_review, client_for, staff):
    c, review, _other = file_review
    services.review_file_set(
        actor=review.assignment.expert,
        review=review,
        key="f14",
        data=PDF,
        filename="意见.pdf",
        expected_version=review.version,
    )
    r = client_for(staff).get(
        reverse("review:round-panel", args=[review.assignment.round_id]) + "?format=reviews"
    )
    assert r.status_code == 200
    ws = openpyxl.load_workbook(
        io.BytesIO(b"".join(r.streaming_content) if r.streaming else r.content)
    ).active
    rows = list(ws.iter_rows(values_only=True))
    col = rows[0].index("评审附件")  # by its name alone: no other column is named so
    assert "意见.pdf" in [row[col] for row in rows[1:]]
