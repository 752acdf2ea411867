"""The per-application formal check (形式审查) of a generic call (issue #18): the state machine (pure), the
checklist computed from the application stage's rules, the services (pass, 补正 with a reason and a
deadline, the applicant's correction with their input and files kept, fail, batch pass of those meeting
every rule), the stage refusing to close while any application is unchecked or at 补正, only passed
applications going on to the expert review; the pages, the API and who may do what."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from kechuang.accounts.tests.factories import UnitFactory
from kechuang.core.exceptions import ApplicationError, PermissionDenied
from kechuang.core.models import AuditEvent
from kechuang.core.roles import Role
from kechuang.programmes import selectors, services, workflow
from kechuang.programmes.models import Call, FormalCheck, Submission
from kechuang.programmes.workflow import FORMAL_CHECK, DefinitionError, Facts, Run

from .test_rules import PDF, form, open_at_application, programme, submit  # noqa: F401 (form: a fixture)

TODAY = datetime.date(2027, 3, 1)
STAFF = [Role.STAFF]


# --- the state machine and the checklist (pure) ---------------------------------------------------------------


def test_the_formal_check_machine_passes_returns_fails_and_takes_a_correction_back():
    ctx = {"reason": "缺单位承诺书", "correct_by": TODAY, "today": TODAY}
    assert FORMAL_CHECK.check("pending", "pass", STAFF).target == "passed"
    assert FORMAL_CHECK.check("pending", "return", STAFF, ctx=ctx).target == "returned"
    assert FORMAL_CHECK.check("returned", "resubmit", [Role.APPLICANT], ctx=ctx).target == "pending"
    assert FORMAL_CHECK.check("pending", "fail", STAFF, ctx=ctx).target == "failed"
    # a return needs a reason and a deadline not in the past; only staff check, only the applicant corrects
    why = FORMAL_CHECK.reasons_refused("pending", "return", STAFF, ctx={"today": TODAY})
    assert any("补正截止日期" in w for w in why) and any("理由" in w for w in why)
    past = {**ctx, "correct_by": TODAY - datetime.timedelta(days=1)}
    assert "不能早于今天" in FORMAL_CHECK.reasons_refused("pending", "return", STAFF, ctx=past)[0]
    assert FORMAL_CHECK.reasons_refused("pending", "pass", [Role.APPLICANT])
    assert FORMAL_CHECK.reasons_refused("returned", "resubmit", STAFF)
    # a correction after its deadline is refused in words; a returned one fails only after its deadline
    late = {"correct_by": TODAY, "today": TODAY + datetime.timedelta(days=1)}
    assert (
        "2027年3月1日" in FORMAL_CHECK.reasons_refused("returned", "resubmit", [Role.APPLICANT], ctx=late)[0]
    )
    early = {"reason": "逾期未补正", "correct_by": TODAY, "today": TODAY, "from_state": "returned"}
    assert "未到" in FORMAL_CHECK.reasons_refused("returned", "fail", STAFF, ctx=early)[0]
    assert not FORMAL_CHECK.reasons_refused(
        "returned", "fail", STAFF, ctx={**late, **{"reason": "x"}} | {"from_state": "returned"}
    )
    # a final outcome is final
    for final in ("passed", "failed"):
        for action in ("pass", "return", "fail"):
            assert FORMAL_CHECK.reasons_refused(final, action, STAFF, ctx=ctx)


def test_the_checklist_judges_each_rule_in_words_and_leaves_the_unanswerable_to_the_checker():
    stage = {
        "key": "s2",
        "kind": "application",
        "form": 1,
        "rules": {
            "unit_kinds": ["enterprise"],
            "eligibility": ["unit_verified", "no_integrity_record"],
            "max_concurrent": 1,
            "attachments": ["可行性研究报告", "单位承诺书"],
        },
    }
    facts = Facts(
        unit_kind="enterprise",
        unit_kind_labels={"enterprise": "企业"},
        eligibility={"unit_verified": []},  # nobody answered no_integrity_record
        in_flight=1,
        attachments=frozenset({"可行性研究报告"}),
    )
    rows = workflow.formal_checklist(stage, facts)
    by_rule = {r.rule: r for r in rows}
    assert by_rule["申报单位类型限企业"].ok is True
    assert by_rule["申报单位信息已核实"].ok is True
    assert by_rule["申报单位和负责人无在查的科研诚信记录"].ok is None
    assert "人工核对" in by_rule["申报单位和负责人无在查的科研诚信记录"].words
    assert by_rule["负责人在研项目不超过 1 个"].ok is False
    assert "1 个" in by_rule["负责人在研项目不超过 1 个"].words
    assert by_rule["附件：可行性研究报告"].ok is True and by_rule["附件：单位承诺书"].ok is False
    assert not workflow.meets_every_rule(rows)
    # a rule the code cannot judge keeps an application out of the batch even if everything else is met
    met = Facts(
        unit_kind="enterprise",
        eligibility={"unit_verified": []},
        attachments=frozenset({"可行性研究报告", "单位承诺书"}),
    )
    assert not workflow.meets_every_rule(workflow.formal_checklist(stage, met))
    assert workflow.meets_every_rule(
        workflow.formal_checklist(
            stage, Facts(**{**met.__dict__, "eligibility": {"unit_verified": [], "no_integrity_record": []}})
        )
    )
    assert workflow.formal_checklist({"rules": {}}, Facts()) == []


BASIC = [
    {"key": "s1", "kind": "call"},
    {"key": "s2", "kind": "application", "form": 1, "rules": {}},
    {"key": "s3", "kind": "formal_check"},
    {"key": "s4", "kind": "letter_review"},
    {"key": "s5", "kind": "decision", "rules": {"requires_publicity": False}},
]


def test_a_run_closes_its_formal_check_only_when_every_application_is_passed_or_failed():
    run = Run.start(BASIC)
    run.advance()
    for _n in range(3):
        run.submit(Facts())
    run.advance()
    assert run.current["kind"] == "formal_check"
    with pytest.raises(DefinitionError, match="3 份申报未审查"):
        run.complete_formal_check()
    with pytest.raises(DefinitionError):
        run.advance()
    run.check_application(0, "pass")
    run.check_application(1, "return", reason="缺附件", correct_by=TODAY, today=TODAY)
    run.check_application(2, "fail", reason="不属于支持方向")
    with pytest.raises(DefinitionError, match="退回补正"):
        run.complete_formal_check()
    run.check_application(1, "resubmit", correct_by=TODAY, today=TODAY)
    with pytest.raises(DefinitionError, match="1 份申报未审查"):
        run.complete_formal_check()
    run.check_application(1, "pass")
    run.complete_formal_check()
    run.advance()
    assert run.passed_applications() == [0, 1]
    with pytest.raises(DefinitionError, match="不是“形式审查”"):
        run.check_application(2, "pass")
    # a call standing after its formal check had it complete
    assert workflow.run_at(BASIC, "s4").checked == {"s3"}


# --- services ------------------------------------------------------------------------------------------------------


@pytest.fixture
def at_check(staff, make_user, form):  # noqa: F811
    """A call at its formal check with three applications: two with the required 单位承诺书, one without
    (stored directly: the check must catch what the submission's rules would have refused)."""
    version = programme(staff, form, eligibility=["no_integrity_record"], attachments=["单位承诺书"])
    call = open_at_application(staff, version)
    users = [make_user(Role.APPLICANT, unit=UnitFactory()) for _ in range(3)]
    subs = [submit(users[0], call, title="高熵合金"), submit(users[1], call, title="固态电池")]
    subs.append(
        Submission.objects.create(
            version=subs[0].version,
            call=call,
            stage_key=call.stage_key,
            submitted_by=users[2],
            data={"f1": "氢能储运"},
        )
    )
    call = services.call_advance(actor=staff, call=call)
    assert call.stage["kind"] == "formal_check"
    return call, subs, users


def test_the_stage_refuses_to_close_while_any_application_is_unchecked_or_at_correction(staff, at_check):
    call, subs, users = at_check
    with pytest.raises(ApplicationError, match="还有 3 份申报未审查：高熵合金、固态电池、氢能储运"):
        services.call_advance(actor=staff, call=call)
    services.formal_check_record(actor=staff, call=call, submission=subs[0], action="pass")
    services.formal_check_record(
        actor=staff,
        call=call,
        submission=subs[1],
        action="return",
        reason="承诺书未盖章",
        correct_by=timezone.localdate(),
    )
    services.formal_check_record(
        actor=staff, call=call, submission=subs[2], action="fail", reason="未上传单位承诺书"
    )
    with pytest.raises(ApplicationError, match="1 份申报退回补正.*固态电池（补正截止"):
        services.call_advance(actor=staff, call=call)
    call.refresh_from_db()
    assert call.stage["kind"] == "formal_check"


def test_batch_pass_takes_only_the_pending_ones_meeting_every_rule(staff, at_check):
    call, subs, users = at_check
    rows = {r["submission"].pk: r for r in selectors.formal_rows(call, call.stage)}
    assert rows[subs[0].pk]["meets_all"] and not rows[subs[2].pk]["meets_all"]
    passed = services.formal_check_batch_pass(actor=staff, call=call)
    assert sorted(c.submission_id for c in passed) == [subs[0].pk, subs[1].pk]
    assert FormalCheck.objects.get(applicant=users[0]).checked_by == staff
    assert not FormalCheck.objects.filter(applicant=users[2]).exists()
    batch = AuditEvent.objects.get(action="programmes.formal_batch_pass")
    assert batch.after["submissions"] == [subs[0].pk, subs[1].pk]
    assert AuditEvent.objects.filter(action="formal_check.pass").count() == 2
    with pytest.raises(ApplicationError, match="没有可批量通过的申报"):
        services.formal_check_batch_pass(actor=staff, call=call)
    # passing one that misses a rule is refused with the rule in words
    with pytest.raises(ApplicationError, match="附件：单位承诺书——未上传"):
        services.formal_check_record(actor=staff, call=call, submission=subs[2], action="pass")


def test_an_integrity_record_begun_after_the_application_blocks_its_pass(staff, at_check):
    from kechuang.integrity.tests.factories import RecordFactory

    call, subs, users = at_check
    RecordFactory(person=users[0])
    row = next(r for r in selectors.formal_rows(call, call.stage) if r["submission"] == subs[0])
    integrity = next(c for c in row["checklist"] if "科研诚信" in c.rule)
    assert integrity.ok is False and "不得申报" in integrity.words
    with pytest.raises(ApplicationError, match="不能通过形式审查"):
        services.formal_check_record(actor=staff, call=call, submission=subs[0], action="pass")
    assert not FormalCheck.objects.filter(applicant=users[0]).exists()


def test_a_correction_keeps_the_input_and_files_and_comes_back_to_the_check(staff, at_check):
    call, subs, users = at_check
    by = timezone.localdate() + datetime.timedelta(days=5)
    with pytest.raises(ApplicationError, match="补正截止日期"):
        services.formal_check_record(
            actor=staff, call=call, submission=subs[1], action="return", reason="名称有误"
        )
    services.formal_check_record(
        actor=staff, call=call, submission=subs[1], action="return", reason="名称有误", correct_by=by
    )
    mine = selectors.applicant_formal(call, users[1])
    assert mine["status"] == "returned" and mine["can_correct"] and "年" in mine["correct_by_words"]
    # the form comes filled with what the application holds; the file is kept when none is given
    filled = services.correction_form(submission=subs[1])
    assert filled.initial["f1"] == "固态电池"
    bound = services.correction_form(submission=subs[1], data={"f1": "全固态锂电池"}, files={})
    new = services.submission_correct(actor=users[1], call=call, form=bound)
    assert new.pk != subs[1].pk and new.data["f1"] == "全固态锂电池" and new.stage_key == subs[1].stage_key
    assert new.files.get().file.name == subs[1].files.get().file.name  # the same stored file
    assert Submission.objects.get(pk=subs[1].pk).data["f1"] == "固态电池"  # the one before stays
    check = FormalCheck.objects.get(applicant=users[1])
    assert check.status == "pending" and check.submission == new
    assert AuditEvent.objects.filter(action="formal_check.resubmit").exists()
    assert AuditEvent.objects.get(action="programmes.submission_correct").after["replaces"] == subs[1].pk
    # the check reads the correction; the old one is no longer the application
    with pytest.raises(ApplicationError, match="不是该申报方在本批次的最新"):
        services.formal_check_record(actor=staff, call=call, submission=subs[1], action="pass")
    services.formal_check_record(actor=staff, call=call, submission=new, action="pass")
    # a second correction is refused: it is not at 补正
    with pytest.raises(ApplicationError, match="没有被退回补正"):
        services.submission_correct(actor=users[1], call=call, form=bound)


def test_a_correction_after_its_deadline_is_refused_and_then_the_check_may_fail_it(staff, at_check):
    call, subs, users = at_check
    services.formal_check_record(
        actor=staff,
        call=call,
        submission=subs[1],
        action="return",
        reason="名称有误",
        correct_by=timezone.localdate(),
    )
    with pytest.raises(ApplicationError, match="补正期限.*未到"):
        services.formal_check_record(actor=staff, call=call, submission=subs[1], action="fail", reason="逾期")
    FormalCheck.objects.filter(applicant=users[1]).update(
        correct_by=timezone.localdate() - datetime.timedelta(days=1)
    )
    mine = selectors.applicant_formal(call, users[1])
    assert not mine["can_correct"] and "不能再提交" in mine["why"]
    bound = services.correction_form(submission=subs[1], data={"f1": "迟到的修改"}, files={})
    with pytest.raises(ApplicationError, match="不能再提交"):
        services.submission_correct(actor=users[1], call=call, form=bound)
    services.formal_check_record(
        actor=staff, call=call, submission=subs[1], action="fail", reason="逾期未补正"
    )
    assert selectors.applicant_formal(call, users[1])["why"] == "未通过形式审查，不能再修改。"


def test_only_passed_applications_go_on_to_the_letter_review(staff, at_check, reviews_complete):
    from kechuang.review.services import call_review_subjects

    call, subs, users = at_check
    services.formal_check_batch_pass(actor=staff, call=call)
    services.formal_check_record(
        actor=staff, call=call, submission=subs[2], action="fail", reason="未上传单位承诺书"
    )
    call = services.call_advance(actor=staff, call=call)
    assert call.stage["kind"] == "letter_review"
    assert [s.pk for s in call_review_subjects(call)] == [subs[0].pk, subs[1].pk]
    assert [s.pk for s in selectors.passed_applications(call)] == [subs[0].pk, subs[1].pk]
    # the stage is over: nothing more is recorded
    with pytest.raises(ApplicationError, match="不在形式审查环节"):
        services.formal_check_record(actor=staff, call=call, submission=subs[2], action="pass")


def test_only_staff_check_and_only_the_returned_applicant_corrects(staff, at_check):
    call, subs, users = at_check
    with pytest.raises(PermissionDenied):
        services.formal_check_record(actor=users[0], call=call, submission=subs[0], action="pass")
    with pytest.raises(PermissionDenied):
        services.formal_check_batch_pass(actor=users[0], call=call)
    services.formal_check_record(
        actor=staff,
        call=call,
        submission=subs[1],
        action="return",
        reason="名称有误",
        correct_by=timezone.localdate(),
    )
    bound = services.correction_form(submission=subs[1], data={"f1": "别人的修改"}, files={})
    with pytest.raises(ApplicationError, match="没有被退回补正"):
        services.submission_correct(actor=users[0], call=call, form=bound)
    with pytest.raises(ApplicationError, match="未知的审查操作"):
        services.formal_check_record(actor=staff, call=call, submission=subs[0], action="resubmit")


# --- pages and API ---------------------------------------------------------------------------------------------------


def test_staff_check_on_the_pages_and_a_refusal_keeps_the_input(client, staff, at_check):
    call, subs, users = at_check
    client.force_login(staff)
    page = client.get(reverse("programmes:call", args=[call.pk])).content.decode()
    assert "正式申报 3 份：待审查 3" in page and reverse("programmes:formal-list", args=[call.pk]) in page
    listing = client.get(reverse("programmes:formal-list", args=[call.pk])).content.decode()
    assert "✗ 不符合：附件：单位承诺书" in listing and "还有 3 份申报未审查" in listing
    assert "高熵合金、固态电池" in listing  # the batch
    url = reverse("programmes:formal-check", args=[call.pk, subs[1].pk])
    r = client.post(url, {"action": "return", "reason": "承诺书未盖章"})
    assert r.status_code == 400 and "退回补正须填写补正截止日期" in r.content.decode()
    assert "承诺书未盖章" in r.content.decode()  # the input kept
    past = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    r = client.post(url, {"action": "return", "reason": "承诺书未盖章", "correct_by": past})
    assert r.status_code == 400 and "不能早于今天" in r.content.decode()
    by = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    r = client.post(url, {"action": "return", "reason": "承诺书未盖章", "correct_by": by})
    assert r.status_code == 302
    r = client.post(reverse("programmes:formal-list", args=[call.pk]), {})
    assert FormalCheck.objects.filter(status="passed").count() == 0  # not confirmed
    # the list again with why beside the box (400; it was a message after a redirect)
    assert r.status_code == 400 and 'id="batch-refused"' in r.content.decode()
    r = client.post(reverse("programmes:formal-list", args=[call.pk]), {"confirm": "1"})
    assert list(FormalCheck.objects.filter(status="passed").values_list("applicant", flat=True)) == [
        users[0].pk
    ]
    shown = Call.objects.get(pk=call.pk).stage_key  # the stage the call's page shows
    action = reverse("programmes:call-action", args=[call.pk])
    r = client.post(action, {"action": "advance", "stage": shown})  # not ticked: the page again (400)
    assert r.status_code == 400 and 'id="call-refused"' in r.content.decode()
    assert Call.objects.get(pk=call.pk).stage_key == shown
    advance = client.post(action, {"action": "advance", "confirm": "1", "stage": shown})
    # refused by the service (applications not yet checked): the call's page again with why beside the 办理
    # form (400; it was a message after a redirect)
    body = advance.content.decode()
    assert advance.status_code == 400 and 'id="call-refused"' in body and "未审查" in body
    assert Call.objects.get(pk=call.pk).stage_key == shown
    page = client.get(reverse("programmes:call", args=[call.pk])).content.decode()
    assert "退回补正" in page and "未审查" in page


def test_the_applicant_sees_the_outcome_the_reason_and_why_a_button_is_missing(client, staff, at_check):
    call, subs, users = at_check
    client.force_login(users[1])
    page = client.get(reverse("programmes:call", args=[call.pk])).content.decode()
    assert "待审查" in page and "审查期间不能修改" in page
    assert reverse("programmes:call-correct", args=[call.pk]) not in page
    assert client.get(reverse("programmes:call-correct", args=[call.pk])).status_code == 403
    services.formal_check_record(
        actor=staff,
        call=call,
        submission=subs[1],
        action="return",
        reason="承诺书未盖章",
        correct_by=timezone.localdate(),
    )
    page = client.get(reverse("programmes:call", args=[call.pk])).content.decode()
    assert "退回补正" in page and "承诺书未盖章" in page and "补正截止" in page
    correct = reverse("programmes:call-correct", args=[call.pk])
    assert correct in page
    form_page = client.get(correct).content.decode()
    assert 'value="固态电池"' in form_page and "承诺书.pdf" in form_page
    r = client.post(correct, {"f1": "改过的名称", "f2": SimpleUploadedFile("x.pdf", b"MZ not a pdf")})
    assert r.status_code == 400 and 'value="改过的名称"' in r.content.decode()  # the input kept
    r = client.post(
        correct,
        {"f1": "全固态锂电池", "f2": SimpleUploadedFile("新承诺书.pdf", PDF, "application/pdf")},
    )
    assert r.status_code == 302
    sub = Submission.objects.filter(submitted_by=users[1]).order_by("-pk").first()
    assert sub.data["f1"] == "全固态锂电池" and sub.data["f2"]["name"] == "新承诺书.pdf"
    page = client.get(reverse("programmes:call", args=[call.pk])).content.decode()
    assert "全固态锂电池" in page and "待审查" in page
    # another applicant cannot correct it, nor see the staff pages
    client.force_login(users[0])
    assert client.get(correct).status_code == 403
    assert client.get(reverse("programmes:formal-list", args=[call.pk])).status_code == 403
    client.force_login(staff)
    services.formal_check_record(actor=staff, call=call, submission=sub, action="fail", reason="方向不符")
    client.force_login(users[1])
    page = client.get(reverse("programmes:call", args=[call.pk])).content.decode()
    assert "形式审查不通过" in page and "方向不符" in page and "不能再修改" in page


def test_the_api_lists_records_batches_and_tells_the_applicant(client, staff, at_check):
    call, subs, users = at_check
    base = f"/api/programmes/calls/{call.pk}/formal/"
    client.force_login(staff)
    rows = client.get(base).json()
    assert [r["title"] for r in rows] == ["高熵合金", "固态电池", "氢能储运"]
    assert (
        rows[2]["meets_all"] is False
        and {"rule": "附件：单位承诺书", "ok": False, "words": "未上传。"} in rows[2]["checklist"]
    )
    r = client.post(f"{base}{subs[2].pk}/", {"action": "fail"}, content_type="application/json")
    assert r.status_code == 400 and "理由" in r.content.decode()
    r = client.post(
        f"{base}{subs[2].pk}/",
        {"action": "fail", "reason": "缺承诺书", "confirm": True},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["status"] == "failed"
    assert client.post(base, {"confirm": False}, content_type="application/json").status_code == 400
    r = client.post(base, {"confirm": True}, content_type="application/json")
    assert [row["status"] for row in r.json()] == ["passed", "passed", "failed"]
    client.force_login(users[2])
    assert client.get(base).status_code == 403
    mine = client.get(f"{base}mine/").json()
    assert mine["status"] == "failed" and mine["reason"] == "缺承诺书" and mine["can_correct"] is False
    assert (
        client.post(f"{base}{subs[2].pk}/", {"action": "pass"}, content_type="application/json").status_code
        == 403
    )


def test_a_second_formal_check_on_the_page_names_who_and_when(client, staff, at_check):
    """A formal check recorded already (a second click, a stale tab): who recorded it and when, the reason
    typed kept (409, it was 400); a 补正 returned stays open to 不通过 only (refused in words, 400)."""
    call, subs, _users = at_check
    client.force_login(staff)
    url = reverse("programmes:formal-check", args=[call.pk, subs[1].pk])
    by = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    r = client.post(url, {"action": "return", "reason": "承诺书未盖章", "correct_by": by})
    assert r.status_code == 302
    r = client.post(url, {"action": "return", "reason": "第二次点击", "correct_by": by})
    body = r.content.decode()
    assert r.status_code == 409 and str(staff) in body and "第二次点击" in body and "退回补正" in body
    r = client.post(url, {"action": "fail", "reason": "逾期未补正"})  # the deadline has not passed
    assert r.status_code == 400 and "逾期未补正" in r.content.decode()
