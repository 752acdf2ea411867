"""A challenge list whose programme version has a performance evaluation stage (绩效评价, issue #18): after
acceptance the project's commissioner or staff fill the stage's form version (answers by key, with the
version they were given on, rendered with it for ever) and a grade; draft → submitted → confirmed by staff
(or sent back with a reason). Before acceptance, by anyone else, or on a version without the stage: refused,
and the project's page says why there is no button."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kechuang.accounts.tests.factories import UserFactory
from kechuang.challenges import programme, services
from kechuang.challenges.models import PerformanceEvaluation, ReportFile
from kechuang.challenges.tests.factories import ApplicationFactory, ChallengeFactory, ContractFactory
from kechuang.challenges.tests.test_programme_forms import PDF
from kechuang.challenges.tests.test_programme_stages import publish, variant
from kechuang.core.exceptions import ApplicationError, InvalidTransition, PermissionDenied
from kechuang.core.models import AuditEvent
from kechuang.core.roles import Role
from kechuang.programmes import services as pservices
from kechuang.programmes import workflow as pworkflow
from kechuang.programmes.models import FormVersion

pytestmark = pytest.mark.django_db

# A performance evaluation form (绩效评价表) as the builder makes it: keys f1, f2, f3 in order.
FIELDS = [
    {"kind": "long_text", "label": "绩效自评", "required": True, "max_length": 500},
    {"kind": "number", "label": "新增产值", "min": "0", "unit": "万元"},
    {"kind": "file", "label": "绩效佐证材料", "file_kinds": ["pdf"], "max_mb": 1},
]


def perf_form(staff, fields=FIELDS):
    form = pservices.form_create(actor=staff, name="揭榜绩效评价表", purpose="performance")
    for spec in fields:
        pservices.form_field_save(actor=staff, version=form, spec=dict(spec))
    return pservices.form_version_publish(actor=staff, version=form)


def with_performance(staff, *, form=True):
    stages = variant()
    stage = {"key": "s22", "kind": "performance", "name": "绩效评价", "days": 30, "rules": {}}
    stage["form"] = perf_form(staff).pk if form else None
    return publish(staff, [*stages, stage])


def project(version, status="finished"):
    app = ApplicationFactory(
        challenge=ChallengeFactory(published=True, programme_version=version),
        status="awarded",
        with_milestones=False,
    )
    return ContractFactory(application=app, status=status)


def test_the_kind_takes_a_form_and_is_no_longer_refused(staff):
    assert pworkflow.STAGE_KINDS["performance"].form_purpose == "performance"
    assert "performance" not in programme.UNSUPPORTED_KINDS
    stages = [*variant(), {"key": "s22", "kind": "performance", "name": "绩效评价", "rules": {}}]
    assert programme.definition_problems(stages) == []
    version = with_performance(staff)
    assert version.status == "published" and "performance" in [s["kind"] for s in version.stages]


def test_no_evaluation_before_acceptance_nor_by_another_nor_without_the_stage(staff, client_for):
    seeded = programme.seed()
    version = with_performance(staff)
    running = project(version, status="in_progress")
    for status in ("in_progress", "acceptance"):
        running.status = status
        running.save(update_fields=["status"])
        with pytest.raises(ApplicationError) as exc:
            services.performance_save(actor=running.commissioner, contract=running, grade="good")
        assert exc.value.code == "performance_not_open" and "验收结题后" in str(exc.value)
        page = client_for(running.commissioner).get(running.get_absolute_url()).content.decode()
        assert "验收结题后才能进行绩效评价" in page
        assert reverse("challenges:performance", args=[running.pk]) not in page
    assert not PerformanceEvaluation.objects.exists()
    done = project(version)
    other = UserFactory(roles=[Role.COMMISSIONER])
    with pytest.raises(PermissionDenied):
        services.performance_save(actor=other, contract=done, grade="good")
    with pytest.raises(PermissionDenied):
        services.performance_save(actor=done.leader, contract=done, grade="good")
    page = client_for(done.leader).get(done.get_absolute_url()).content.decode()
    assert "只有本项目的项目专员或科技厅工作人员可以填写绩效评价" in page
    assert client_for(done.leader).get(reverse("challenges:performance", args=[done.pk])).status_code == 403
    # a list on a version without the stage: no section, refused in words
    plain = project(seeded)
    with pytest.raises(ApplicationError, match="没有绩效评价环节"):
        services.performance_save(actor=staff, contract=plain, grade="good")
    assert "绩效评价" not in client_for(staff).get(plain.get_absolute_url()).content.decode()


def test_the_commissioner_fills_submits_and_staff_confirm_on_the_pages(staff, client_for):
    version = with_performance(staff)
    form = programme.report_form(version, "performance")
    c = project(version)
    comm = client_for(c.commissioner)
    url = reverse("challenges:performance", args=[c.pk])
    assert reverse("challenges:performance", args=[c.pk]) in comm.get(c.get_absolute_url()).content.decode()
    page = comm.get(url).content.decode()
    assert "绩效自评" in page and "新增产值" in page and "优秀" in page and "multipart/form-data" in page
    # a draft without a grade is kept; its limit is checked, the input kept
    r = comm.post(url, {"save": "1", "f1": "指标全部达成", "f2": "-5"})
    assert r.status_code == 400 and "指标全部达成" in r.content.decode()
    r = comm.post(url, {"save": "1", "f1": "指标全部达成", "f2": "1200"})
    assert r.status_code == 302
    ev = PerformanceEvaluation.objects.get(contract=c)
    assert ev.status == "draft" and ev.grade == "" and ev.form_version == form
    assert ev.values == {"f1": "指标全部达成", "f2": "1200"}
    # submitting without a grade: refused in words, nothing changes
    r = comm.post(url, {"submit": "1", "f1": "指标全部达成", "f2": "1200"})
    assert r.status_code == 400 and "请选择绩效评价等级" in r.content.decode()
    ev.refresh_from_db()
    assert ev.status == "draft"
    r = comm.post(
        url,
        {
            "submit": "1",
            "grade": "excellent",
            "f1": "指标全部达成",
            "f2": "1200",
            "f3": SimpleUploadedFile("佐证.pdf", PDF),
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    ev.refresh_from_db()
    rf = ReportFile.objects.get(contract=c, report="performance")
    assert ev.status == "submitted" and ev.grade == "excellent" and ev.submitted_at
    assert ev.values["f3"] == {"name": "佐证.pdf", "file": rf.pk}
    assert comm.get(url).status_code == 302  # no more editing once submitted
    with pytest.raises(ApplicationError, match="已提交"):
        services.performance_save(actor=c.commissioner, contract=c, grade="good")
    with pytest.raises(PermissionDenied):
        services.performance_confirm(actor=c.commissioner, evaluation=ev)
    # staff send it back with a reason, the commissioner resubmits, staff confirm
    s = client_for(staff)
    decide = reverse("challenges:performance-decide", args=[c.pk])
    r = s.post(decide, {"decision": "send_back", "reason": ""})
    assert r.status_code == 400 and 'id="refused-send_back"' in r.content.decode()  # on the page, not lost
    ev.refresh_from_db()
    assert ev.status == "submitted"  # a reason is required
    s.post(decide, {"decision": "send_back", "reason": "请补充产值佐证"})
    ev.refresh_from_db()
    assert ev.status == "draft" and ev.note == "请补充产值佐证"
    assert "请补充产值佐证" in comm.get(c.get_absolute_url()).content.decode()
    services.performance_submit(actor=c.commissioner, evaluation=ev)
    page = s.get(c.get_absolute_url()).content.decode()
    assert "绩效评价确认后不能再退回或修改" in page and 'for="performance-reason"' in page
    r = s.post(decide, {"decision": "confirm"})  # final: not without the ticked confirmation
    assert r.status_code == 400 and 'id="refused-confirm"' in r.content.decode()
    ev.refresh_from_db()
    assert ev.status == "submitted"
    s.post(decide, {"decision": "confirm", "confirm": "1"})
    ev.refresh_from_db()
    assert ev.status == "confirmed" and ev.confirmed_at
    actions = set(AuditEvent.objects.for_object(ev).values_list("action", flat=True))
    assert {
        "performance.create",
        "performance.update",
        "performance.submit",
        "performance.send_back",
        "performance.confirm",
        "report.field_file",
    } <= actions
    # shown on the project's page with its own version's labels, for ever
    FormVersion.objects.filter(pk=form.pk).update(fields=[{**f, "label": "改名"} for f in form.fields])
    ev.refresh_from_db()
    page = client_for(c.leader).get(c.get_absolute_url()).content.decode()
    assert "优秀" in page and "已确认" in page and "佐证.pdf" in page
    # the API carries it by key, the export too
    data = comm.get(reverse("api:challenges-contract-performance", args=[c.pk])).json()
    assert data["grade"] == "excellent" and data["status"] == "confirmed" and data["form_version"] == form.pk
    assert data["values"]["f1"] == "指标全部达成"
    r = s.get(reverse("challenges:contract-list") + "?export=xlsx")
    rows = list(
        openpyxl.load_workbook(io.BytesIO(b"".join(r.streaming_content))).active.iter_rows(values_only=True)
    )
    header = list(rows[0])
    row = next(row for row in rows[1:] if row[0] == c.code)
    assert row[header.index("绩效评价等级")] == "优秀"
    assert row[header.index("绩效评价：改名 [f2]")] in ("1200 万元", "1,200 万元")


def test_the_api_saves_submits_and_refuses_in_words(staff, client_for):
    version = with_performance(staff)
    c = project(version)
    api = client_for(c.commissioner)
    url = reverse("api:challenges-contract-performance", args=[c.pk])
    assert api.get(url).status_code == 404
    r = api.post(
        url, {"action": "submit", "values": {"f1": "达成"}, "confirm": True}, content_type="application/json"
    )
    assert r.status_code == 409 and "请选择绩效评价等级" in r.content.decode()  # the machine refuses
    assert not PerformanceEvaluation.objects.exists()  # a refused submission keeps nothing
    r = api.post(url, {"action": "save", "values": {"f2": "-1"}}, content_type="application/json")
    assert r.status_code == 400 and "新增产值" in r.content.decode()  # its limit, even in a draft
    r = api.post(
        url,
        {"action": "submit", "grade": "good", "values": {"f2": "3"}, "confirm": True},
        content_type="application/json",
    )
    assert r.status_code == 409 and "绩效自评" in r.content.decode()  # required at submission
    r = api.post(
        url,
        {"action": "submit", "grade": "good", "values": {"f1": "达成", "f2": "3"}, "confirm": True},
        content_type="application/json",
    )
    assert r.status_code == 200, r.content.decode()
    assert r.json()["status"] == "submitted" and r.json()["grade_label"] == "良好"
    r = api.post(url, {"action": "confirm", "confirm": True}, content_type="application/json")
    assert r.status_code == 403
    r = client_for(staff).post(url, {"action": "confirm", "confirm": True}, content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "confirmed"


def test_the_machine_refuses_before_acceptance_whatever_the_row_says(staff):
    version = with_performance(staff, form=False)
    c = project(version)
    ev = services.performance_save(actor=staff, contract=c, grade="pass")
    c.status = "acceptance"
    c.save(update_fields=["status"])
    with pytest.raises(InvalidTransition, match="验收结题后"):
        services.performance_submit(actor=staff, evaluation=ev)


def test_a_real_list_on_a_version_with_the_stage_evaluates_only_after_acceptance(staff):
    from kechuang.challenges.tests.test_programme_stages import drive

    stages = [*variant(), {"key": "s22", "kind": "performance", "name": "绩效评价", "days": 30, "rules": {}}]
    _ch, contract = drive(staff, publish(staff, stages))
    assert contract.status == "finished" and contract.performance.status == "confirmed"
