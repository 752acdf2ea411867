"""Stage rules enforced when a submission is submitted (issue #18.1): unit kinds, eligibility (the unit
verified, no integrity record — answered by the integrity app through programmes.rules —, no overdue
project), the concurrent-project limit and required attachments, each refused with the reason in words; the
stages' durations as deadlines, enforced and extended by staff (audited); calls and the projects in flight
moved to a new version with their submissions."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from kechuang.accounts.models import Unit
from kechuang.accounts.tests.factories import UnitFactory
from kechuang.core.exceptions import ApplicationError, PermissionDenied
from kechuang.core.models import AuditEvent
from kechuang.core.roles import Role
from kechuang.programmes import definitions, rules, selectors, services, transfer, workflow
from kechuang.programmes.fieldkinds import build_form
from kechuang.programmes.models import Call, ProgrammeVersion, Submission

PDF = b"%PDF-1.4\n% test\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture
def form(staff):
    v = services.form_create(actor=staff, name="成果转化申报书", purpose="application")
    services.form_field_save(actor=staff, version=v, spec={"kind": "short_text", "label": "项目名称"})
    services.form_field_save(actor=staff, version=v, spec={"kind": "file", "label": "单位承诺书"})
    return services.form_version_publish(actor=staff, version=v)


def programme(staff, form, *, days=20, name="成果转化引导", **stage_rules):
    """call → application (the form, `stage_rules`, `days` long) → formal check → letter review → decision."""
    v = services.programme_create(actor=staff, name=name)
    services.stage_save(actor=staff, version=v, spec={"kind": "call"})
    services.stage_save(
        actor=staff,
        version=v,
        spec={
            "kind": "application",
            "role": Role.APPLICANT,
            "form": form.pk,
            "days": days,
            "rules": stage_rules,
        },
    )
    for kind in ("formal_check", "letter_review"):
        services.stage_save(actor=staff, version=v, spec={"kind": kind})
    services.stage_save(
        actor=staff, version=v, spec={"kind": "decision", "rules": {"requires_publicity": False}}
    )
    return services.programme_version_publish(actor=staff, version=v)


def open_at_application(staff, version, title="2027 年度"):
    call = services.call_open(actor=staff, version=version, title=title, year=2027)
    return services.call_advance(actor=staff, call=call)


def submit(user, call, *, with_file=True, title="高熵合金"):
    from kechuang.programmes.models import FormVersion

    version = FormVersion.objects.get(pk=call.stage["form"])
    files = {"f2": SimpleUploadedFile("承诺书.pdf", PDF, "application/pdf")} if with_file else {}
    form = build_form(version.fields, data={"f1": title}, files=files)
    return services.submission_create(actor=user, version=version, form=form, call=call)


# --- rules, one by one -------------------------------------------------------------------------------------


def test_a_stage_for_enterprises_only_refuses_a_university_with_the_reason(staff, make_user, form):
    call = open_at_application(staff, programme(staff, form, unit_kinds=["enterprise"]))
    university = make_user(Role.APPLICANT, unit=UnitFactory(university=True))
    with pytest.raises(ApplicationError, match="仅限企业申报，您的单位类型是“高等院校”"):
        submit(university, call)
    company = make_user(Role.APPLICANT, unit=UnitFactory())
    assert submit(company, call).stage_key == call.stage_key


def test_an_unverified_unit_is_refused(staff, make_user, form):
    call = open_at_application(staff, programme(staff, form, eligibility=["unit_verified"]))
    pending = make_user(Role.APPLICANT, unit=UnitFactory(status=Unit.Status.PENDING))
    with pytest.raises(ApplicationError, match="尚未经管理部门核实"):
        submit(pending, call)
    assert not Submission.objects.exists()


def test_an_integrity_record_bars_the_submitter_through_the_integrity_app(staff, applicant, form):
    from kechuang.integrity.tests.factories import RecordFactory

    call = open_at_application(staff, programme(staff, form, eligibility=["no_integrity_record"]))
    record = RecordFactory(person=applicant)
    with pytest.raises(ApplicationError, match="负责人.*受科研诚信处理.*不得申报项目"):
        submit(applicant, call)
    # a finding that bars awards only lets the person apply
    record.__class__.objects.filter(pk=record.pk).update(bars_applying=False, bars_awards=True)
    assert submit(applicant, call)


def test_a_rule_nobody_answers_refuses_rather_than_passes(staff, applicant, form, monkeypatch):
    call = open_at_application(staff, programme(staff, form, eligibility=["no_integrity_record"]))
    monkeypatch.setattr(
        rules, "_CHECKERS", {k: v for k, v in rules._CHECKERS.items() if k != "no_integrity_record"}
    )
    with pytest.raises(ApplicationError, match="目前无法核验"):
        submit(applicant, call)


def test_an_overdue_awarded_call_of_the_unit_bars_a_new_application(staff, make_user, form, reviews_complete):
    version = programme(staff, form, eligibility=["no_overdue_project"])
    unit = UnitFactory()
    leader, colleague = make_user(Role.APPLICANT, unit=unit), make_user(Role.APPLICANT, unit=unit)
    old = open_at_application(staff, version, title="2026 年度")
    submit(leader, old)
    while old.stage["kind"] != "decision":
        if old.stage["kind"] == "formal_check":
            services.formal_check_batch_pass(actor=staff, call=old)
        old = services.call_advance(actor=staff, call=old)
    for app in selectors.passed_applications(old):
        services.award_decide(actor=staff, call=old, submission=app, action="award")
    old = services.call_award(actor=staff, call=old)
    Call.objects.filter(pk=old.pk).update(stage_closes_on=timezone.localdate() - datetime.timedelta(days=1))
    new = open_at_application(staff, version)
    with pytest.raises(ApplicationError, match="“2026 年度”逾期未完成“立项决定”"):
        submit(colleague, new)
    other = make_user(Role.APPLICANT, unit=UnitFactory())
    assert submit(other, new)


def test_a_person_leads_at_most_the_limit_of_projects_in_flight(staff, applicant, form):
    version = programme(staff, form, max_concurrent=2)
    first, second, third = (open_at_application(staff, version, title=f"批次{n}") for n in (1, 2, 3))
    submit(applicant, first)
    submit(applicant, second)
    submit(applicant, second, title="同一批次的第二份不算新项目")
    with pytest.raises(ApplicationError, match="最多同时承担 2 个在研项目，您已有 2 个"):
        submit(applicant, third)
    Call.objects.filter(pk=first.pk).update(status="finished")  # a finished project is no longer in flight
    assert submit(applicant, third)


def test_a_required_attachment_must_be_given(staff, applicant, form):
    call = open_at_application(staff, programme(staff, form, attachments=["单位承诺书"]))
    with pytest.raises(ApplicationError, match="须上传附件：单位承诺书"):
        submit(applicant, call, with_file=False)
    assert submit(applicant, call).files.get().name == "承诺书.pdf"


def test_every_reason_is_given_at_once(staff, make_user, form):
    call = open_at_application(
        staff, programme(staff, form, unit_kinds=["enterprise"], attachments=["单位承诺书"])
    )
    university = make_user(Role.APPLICANT, unit=UnitFactory(university=True))
    with pytest.raises(ApplicationError) as refused:
        submit(university, call, with_file=False)
    assert "仅限企业" in str(refused.value.message) and "单位承诺书" in str(refused.value.message)


def test_rules_that_could_never_be_checked_are_not_published(staff, form):
    v = services.programme_create(actor=staff, name="创新平台建设")
    services.stage_save(actor=staff, version=v, spec={"kind": "call"})
    services.stage_save(
        actor=staff,
        version=v,
        spec={"kind": "application", "form": form.pk, "rules": {"attachments": ["查新报告"]}},
    )
    services.stage_save(actor=staff, version=v, spec={"kind": "formal_check", "rules": {"max_concurrent": 1}})
    with pytest.raises(ApplicationError) as refused:
        services.programme_version_publish(actor=staff, version=v)
    message = str(refused.value.message)
    assert "“查新报告”在其表单中没有同名的附件字段" in message
    assert "“形式审查”设置了申报条件" in message
    assert ProgrammeVersion.objects.get(pk=v.pk).status == "draft"


def test_a_definition_file_with_an_unknown_unit_kind_is_refused(staff):
    import json

    doc = json.loads(definitions.read("provincial_rd.json"))
    doc["stages"][1]["rules"]["unit_kinds"] = ["guild"]
    with pytest.raises(ApplicationError, match="单位类型未知"):
        transfer.import_programme(actor=staff, raw=json.dumps(doc).encode())


# --- deadlines ----------------------------------------------------------------------------------------------


def test_each_stage_closes_after_its_days_and_the_later_dates_follow(staff, form):
    today = timezone.localdate()
    call = open_at_application(staff, programme(staff, form, days=20))
    assert call.stage_opened_on == today and call.stage_closes_on == today + datetime.timedelta(days=20)
    dates = workflow.schedule(call.version.stages, 1, call.stage_opened_on, call.stage_closes_on)
    assert dates[0] == (None, None)
    assert dates[2][0] == today + datetime.timedelta(days=21)
    assert dates[2][1] is None  # the formal check has no time limit: the dates after it are unknown


def test_a_submission_after_the_close_is_refused_with_the_date_in_words(staff, applicant, form):
    call = open_at_application(staff, programme(staff, form))
    Call.objects.filter(pk=call.pk).update(stage_closes_on=datetime.date(2026, 3, 1))
    call.refresh_from_db()
    with pytest.raises(ApplicationError, match="“正式申报”已于2026年3月1日截止"):
        submit(applicant, call)


def test_staff_extend_a_deadline_later_audited_and_nobody_else_may(staff, applicant, form):
    call = open_at_application(staff, programme(staff, form))
    Call.objects.filter(pk=call.pk).update(stage_closes_on=timezone.localdate() - datetime.timedelta(days=2))
    call.refresh_from_db()
    later = timezone.localdate() + datetime.timedelta(days=5)
    with pytest.raises(PermissionDenied):
        services.call_extend(actor=applicant, call=call, closes_on=later, reason="系统故障")
    with pytest.raises(ApplicationError, match="须晚于原截止日期"):
        services.call_extend(
            actor=staff, call=call, closes_on=call.stage_closes_on - datetime.timedelta(days=1), reason="x"
        )
    with pytest.raises(ApplicationError, match="延期理由"):
        services.call_extend(actor=staff, call=call, closes_on=later, reason=" ")
    call = services.call_extend(actor=staff, call=call, closes_on=later, reason="系统故障")
    event = AuditEvent.objects.get(action="programmes.call_extend")
    assert event.after["closes_on"] == later.isoformat() and event.reason == "系统故障"
    assert submit(applicant, call)


# --- on the web ---------------------------------------------------------------------------------------------


def test_the_call_page_shows_each_deadline_in_words(client, staff, applicant, form):
    call = open_at_application(staff, programme(staff, form, unit_kinds=["enterprise"]))
    Call.objects.filter(pk=call.pk).update(stage_closes_on=datetime.date(2027, 3, 1))
    client.force_login(applicant)
    page = client.get(call.get_absolute_url()).content.decode()
    assert "正式申报截止 2027年3月1日" in page and "限企业" in page
    assert "形式审查" in page


def test_a_refused_submission_answers_400_with_the_reason_and_the_input_kept(client, make_user, staff, form):
    call = open_at_application(staff, programme(staff, form, unit_kinds=["enterprise"]))
    client.force_login(make_user(Role.APPLICANT, unit=UnitFactory(university=True)))
    r = client.post(reverse("programmes:call-fill", args=[call.pk]), {"f1": "高熵合金"})
    body = r.content.decode()
    assert r.status_code == 400 and "仅限企业申报" in body and 'value="高熵合金"' in body
    assert not Submission.objects.exists()


def test_after_the_close_the_fill_button_is_missing_and_says_why(client, staff, applicant, form):
    call = open_at_application(staff, programme(staff, form))
    Call.objects.filter(pk=call.pk).update(stage_closes_on=datetime.date(2026, 3, 1))
    client.force_login(applicant)
    page = client.get(call.get_absolute_url()).content.decode()
    assert "填写本环节表单" not in page and "已于2026年3月1日截止" in page
    assert client.get(reverse("programmes:call-fill", args=[call.pk])).status_code == 403


def test_staff_extend_on_the_web_and_a_refusal_keeps_the_input(client, staff, form):
    call = open_at_application(staff, programme(staff, form))
    client.force_login(staff)
    url = reverse("programmes:call-extend", args=[call.pk])
    assert url in client.get(call.get_absolute_url()).content.decode()
    r = client.post(url, {"closes_on": "2020-01-01", "reason": "系统故障"})
    assert (
        r.status_code == 400 and "须晚于原截止日期" in r.content.decode() and "系统故障" in r.content.decode()
    )
    later = call.stage_closes_on + datetime.timedelta(days=10)
    r = client.post(url, {"closes_on": later.isoformat(), "reason": "系统故障"})
    assert r.status_code == 302
    call.refresh_from_db()
    assert call.stage_closes_on == later


# --- moving calls and projects in flight --------------------------------------------------------------------


def test_a_migration_moves_the_submissions_in_flight_to_their_stages_counterparts(staff, applicant, form):
    version = programme(staff, form)
    call = open_at_application(staff, version)
    sub = submit(applicant, call)
    call = services.call_advance(actor=staff, call=call)  # at the formal check
    v2 = services.programme_version_new(actor=staff, programme=version.programme)
    services.stage_remove(actor=staff, version=v2, key="s2")
    services.stage_save(
        actor=staff,
        version=v2,
        spec={"kind": "application", "role": Role.APPLICANT, "form": form.pk, "days": 30, "name": "申报"},
    )
    for _n in range(3):
        services.stage_move(actor=staff, version=v2, key="s6", step=-1)
    services.programme_version_publish(actor=staff, version=v2)
    mapping = {"s1": "s1", "s2": "s6", "s3": "s3"}
    call = services.call_migrate(actor=staff, call=call, version=v2, mapping=mapping, reason="合并申报环节")
    sub.refresh_from_db()
    assert call.version_id == v2.pk and sub.stage_key == "s6" and sub.version_id == form.pk
    assert AuditEvent.objects.get(action="programmes.call_migrate").after["submissions_moved"] == 1


def test_a_project_in_flight_moves_to_a_new_version_and_is_refused_where_a_stage_would_be_skipped(
    staff, reviews_complete
):
    jb = transfer.import_programme(actor=staff, raw=definitions.read("jiebang.json"))
    call = services.call_open(actor=staff, version=jb, title="2027 揭榜挂帅", year=2027)
    while call.stage["kind"] != "mid_term":
        if call.stage["kind"] == "decision":
            call = services.call_award(actor=staff, call=call)
        # a 公示 (no objections) closed before its last day: staff confirm it
        call = services.call_advance(actor=staff, call=call, early=call.stage["kind"] == "publicity")
    assert call.awarded  # a project under way: awarded, contract signed, at its mid-term check
    # a new version adds a second mid-term check after it: the project moves
    ahead = services.programme_version_new(actor=staff, programme=jb.programme)
    services.stage_save(actor=staff, version=ahead, spec={"kind": "mid_term", "name": "第二次中期检查"})
    for _n in range(2):
        services.stage_move(actor=staff, version=ahead, key="s11", step=-1)
    services.programme_version_publish(actor=staff, version=ahead)
    mapping = {s["key"]: s["key"] for s in jb.stages[:8]}
    moved = services.call_migrate(
        actor=staff, call=call, version=ahead, mapping=mapping, reason="增设中期检查"
    )
    assert moved.version_id == ahead.pk and moved.stage_key == "s8" and moved.awarded
    # another adds a check before the contract: moving a project past it would skip it
    behind = services.programme_version_new(actor=staff, programme=jb.programme)
    services.stage_save(actor=staff, version=behind, spec={"kind": "panel_review", "name": "现场考察"})
    for _n in range(7):
        services.stage_move(actor=staff, version=behind, key="s12", step=-1)
    services.programme_version_publish(actor=staff, version=behind)
    with pytest.raises(ApplicationError, match="将跳过新版本的“现场考察”环节"):
        services.call_migrate(actor=staff, call=moved, version=behind, mapping=mapping, reason="增设考察")
    moved.refresh_from_db()
    assert moved.version_id == ahead.pk
    assert AuditEvent.objects.filter(action="programmes.call_migrate").count() == 1
