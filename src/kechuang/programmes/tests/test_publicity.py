"""Publicity with objections (公示、异议) in a generic call (issue #18): the objection machine (pure, answered
once with a reason), the list (the applications that went through the checks), real-name objections with an
optional file (the objector shown to staff only), staff's answer (upheld: the decision goes to 不予立项
through its own machine; dismissed), the stage held while an objection is open and before its last day
unless staff confirm, the pages, the API and who may do what."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from kechuang.accounts.tests.factories import UnitFactory
from kechuang.core.exceptions import ApplicationError, PermissionDenied
from kechuang.core.models import AuditEvent
from kechuang.core.roles import Role
from kechuang.programmes import selectors, services
from kechuang.programmes.models import AwardDecision, Objection, ObjectionFile
from kechuang.programmes.workflow import OBJECTION, DefinitionError, Facts, Run

from .test_rules import PDF, form, submit  # noqa: F401 (form: a fixture)

STAFF = [Role.STAFF]
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"


def test_the_objection_machine_answers_once_with_a_reason_by_staff():
    assert OBJECTION.reasons_refused("open", "uphold", STAFF, ctx={"reason": "属实"}) == []
    assert OBJECTION.reasons_refused("open", "dismiss", STAFF, ctx={"reason": "不属实"}) == []
    assert "理由" in " ".join(OBJECTION.reasons_refused("open", "dismiss", STAFF, ctx={"reason": " "}))
    for done in ("upheld", "dismissed"):
        assert OBJECTION.reasons_refused(done, "uphold", STAFF, ctx={"reason": "x"})
    assert OBJECTION.reasons_refused("open", "uphold", [Role.APPLICANT], ctx={"reason": "x"})


def _stages():
    kinds = ("call", "application", "formal_check", "letter_review", "publicity", "decision")
    out = [{"key": f"s{i}", "kind": k, "rules": {}} for i, k in enumerate(kinds, 1)]
    out[1]["form"] = 1
    return out


def test_a_run_holds_its_publicity_over_an_open_objection_and_an_upheld_one_refuses_the_award():
    run = Run.start(_stages())
    run.advance()
    for _n in range(3):
        run.submit(Facts())
    with pytest.raises(DefinitionError, match="不在公示期"):
        run.lodge(0)
    run.advance()
    for n in range(3):
        run.check_application(n, "pass" if n < 2 else "fail", reason="缺材料")
    run.complete_formal_check()
    run.advance()
    run.complete_review()
    run.advance()
    with pytest.raises(DefinitionError, match="不在公示名单"):
        run.lodge(2)  # failed the formal check: not listed
    first, second = run.lodge(0), run.lodge(1)
    with pytest.raises(DefinitionError, match="2 条异议未处理"):
        run.advance()
    with pytest.raises(DefinitionError, match="理由"):
        run.answer(first, "uphold")
    run.answer(first, "uphold", reason="论文造假属实")
    assert run.decisions == {0: "rejected"}
    with pytest.raises(DefinitionError, match="已因异议成立"):
        run.lodge(0)
    with pytest.raises(DefinitionError):
        run.answer(first, "dismiss", reason="改主意")  # answered once
    run.answer(second, "dismiss", reason="不属实")
    run.advance()
    with pytest.raises(DefinitionError):
        run.decide(0, "award")  # rejected by the upheld objection: final
    run.decide(1, "award")
    run.award()
    assert run.decisions == {0: "rejected", 1: "awarded"}


# --- services -----------------------------------------------------------------------------------------------------


def publicity_programme(staff, form, *, days=7):  # noqa: F811
    v = services.programme_create(actor=staff, name="成果转化引导")
    services.stage_save(actor=staff, version=v, spec={"kind": "call"})
    services.stage_save(
        actor=staff,
        version=v,
        spec={"kind": "application", "role": Role.APPLICANT, "form": form.pk, "days": 20},
    )
    for kind in ("formal_check", "letter_review"):
        services.stage_save(actor=staff, version=v, spec={"kind": kind})
    services.stage_save(
        actor=staff, version=v, spec={"kind": "publicity", "name": "拟立项公示", "days": days}
    )
    services.stage_save(actor=staff, version=v, spec={"kind": "decision"})
    return services.programme_version_publish(actor=staff, version=v)


@pytest.fixture
def at_publicity(staff, make_user, form, reviews_complete):  # noqa: F811
    """A call at its 7-day publicity with three applications: two passed the formal check, one failed."""
    version = publicity_programme(staff, form)
    call = services.call_open(actor=staff, version=version, title="2027 年度", year=2027)
    call = services.call_advance(actor=staff, call=call)
    users = [make_user(Role.APPLICANT, unit=UnitFactory()) for _ in range(3)]
    subs = [
        submit(users[0], call, title="高熵合金"),
        submit(users[1], call, title="固态电池"),
        submit(users[2], call, title="氢能储运"),
    ]
    call = services.call_advance(actor=staff, call=call)
    services.formal_check_record(actor=staff, call=call, submission=subs[0], action="pass")
    services.formal_check_record(actor=staff, call=call, submission=subs[1], action="pass")
    services.formal_check_record(actor=staff, call=call, submission=subs[2], action="fail", reason="缺材料")
    while call.stage["kind"] != "publicity":
        call = services.call_advance(actor=staff, call=call)
    return call, subs, users


def test_objections_are_lodged_by_real_name_and_an_upheld_one_rejects_the_application(
    staff, make_user, at_publicity
):
    call, subs, users = at_publicity
    stage = call.stage
    assert [r["submission"].title for r in selectors.publicity_rows(call, stage)] == ["高熵合金", "固态电池"]
    expert = make_user(Role.EXPERT)
    with pytest.raises(ApplicationError, match="不在公示名单"):
        services.objection_lodge(actor=users[0], call=call, submission=subs[2], reason="x")
    with pytest.raises(ApplicationError, match="不能对本人的申报"):
        services.objection_lodge(actor=users[0], call=call, submission=subs[0], reason="x")
    with pytest.raises(PermissionDenied):
        services.objection_lodge(actor=staff, call=call, submission=subs[0], reason="x")
    with pytest.raises(ApplicationError, match="请写明异议理由"):
        services.objection_lodge(actor=expert, call=call, submission=subs[0], reason=" ")
    with pytest.raises(ApplicationError, match="可执行程序"):
        services.objection_lodge(
            actor=expert, call=call, submission=subs[0], reason="论文造假", file_data=EXE, filename="证据.pdf"
        )
    assert not Objection.objects.exists() and not ObjectionFile.objects.exists()  # refused: nothing stored
    o1 = services.objection_lodge(
        actor=expert, call=call, submission=subs[0], reason="论文造假", file_data=PDF, filename="证据.pdf"
    )
    assert o1.lodged_by == expert and o1.evidence["file"]["name"] == "证据.pdf"
    o2 = services.objection_lodge(actor=users[2], call=call, submission=subs[1], reason="团队成员重复申报")
    assert staff.notifications.filter(title__contains="公示异议待处理").count() == 2
    # the stage will not close over them, nor before its last day without staff's confirmation
    with pytest.raises(ApplicationError, match="2 条异议未处理") as refused:
        services.call_advance(actor=staff, call=call)
    assert "尚未期满" in str(refused.value)
    with pytest.raises(ApplicationError, match="请填写处理意见"):
        services.objection_answer(actor=staff, objection=o1, action="uphold", reason="")
    with pytest.raises(PermissionDenied):
        services.objection_answer(actor=expert, objection=o1, action="uphold", reason="属实")
    services.objection_answer(actor=staff, objection=o1, action="uphold", reason="经核查属实")
    services.objection_answer(actor=staff, objection=o2, action="dismiss", reason="经核查不属实")
    with pytest.raises(ApplicationError):
        services.objection_answer(actor=staff, objection=o2, action="uphold", reason="改主意")
    d = AwardDecision.objects.get(applicant=users[0])
    assert (d.status, d.reason, d.decided_by) == ("rejected", "公示异议成立：经核查属实", staff)
    assert AuditEvent.objects.filter(action="call_objection.uphold").count() == 1
    assert AuditEvent.objects.filter(action="call_objection.dismiss").count() == 1
    assert AuditEvent.objects.get(action="award_decision.reject").reason == "公示异议成立：经核查属实"
    assert expert.notifications.filter(title__contains="异议成立").exists()
    assert users[2].notifications.filter(title__contains="异议不成立").exists()
    assert users[0].notifications.filter(title__contains="不予立项").exists()
    with pytest.raises(ApplicationError, match="已因异议成立"):
        services.objection_lodge(actor=expert, call=call, submission=subs[0], reason="再次")
    with pytest.raises(ApplicationError, match="尚未期满"):
        services.call_advance(actor=staff, call=call)
    call = services.call_advance(actor=staff, call=call, early=True)
    assert call.stage["kind"] == "decision"
    assert (
        AuditEvent.objects.filter(action="programmes.call_advance")
        .order_by("pk")
        .last()
        .after["publicity_closed_early"]
    )
    with pytest.raises(ApplicationError, match="不在公示期"):
        services.objection_lodge(actor=expert, call=call, submission=subs[1], reason="晚了")
    # the decision: the upheld one is final 不予立项; the other is decided and the call awarded
    with pytest.raises(ApplicationError):
        services.award_decide(actor=staff, call=call, submission=subs[0], action="award")
    services.award_decide(actor=staff, call=call, submission=subs[1], action="award")
    assert services.call_award(actor=staff, call=call).awarded


def test_the_publicity_closes_by_itself_once_its_last_day_has_passed(staff, at_publicity, monkeypatch):
    call, subs, users = at_publicity
    later = call.stage_closes_on + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *a: later)
    assert "已于" in selectors.why_not_lodge(call, call.stage)
    with pytest.raises(ApplicationError, match="届满"):
        services.objection_lodge(actor=users[2], call=call, submission=subs[0], reason="晚了")
    assert services.call_advance(actor=staff, call=call).stage["kind"] == "decision"


# --- pages and API --------------------------------------------------------------------------------------------------


def test_the_pages_take_an_objection_by_real_name_show_it_to_staff_and_the_objector_only(
    client, staff, make_user, at_publicity
):
    call, subs, users = at_publicity
    expert, other = make_user(Role.EXPERT), make_user(Role.APPLICANT, unit=UnitFactory())
    listing = reverse("programmes:publicity", args=[call.pk])
    client.force_login(expert)
    page = client.get(listing).content.decode()
    assert "高熵合金" in page and "固态电池" in page and "氢能储运" not in page
    url = reverse("programmes:objection-lodge", args=[call.pk, subs[0].pk])
    assert url in page
    r = client.post(url, {"reason": "论文造假"})  # not confirmed: the input kept
    assert r.status_code == 400 and "论文造假" in r.content.decode()
    r = client.post(url, {"reason": "论文造假", "confirm": "1", "file": SimpleUploadedFile("证据.pdf", EXE)})
    assert r.status_code == 400 and "可执行程序" in r.content.decode() and "论文造假" in r.content.decode()
    assert not Objection.objects.exists()
    r = client.post(url, {"reason": "论文造假", "confirm": "1", "file": SimpleUploadedFile("证据.pdf", PDF)})
    objection = Objection.objects.get()
    detail = reverse("programmes:objection", args=[call.pk, objection.pk])
    assert r.status_code == 302 and r["Location"] == detail
    page = client.get(detail).content.decode()
    assert "待处理" in page and "证据.pdf" in page and "处理异议" not in page
    assert client.get(reverse("programmes:objection-file", args=[call.pk, objection.pk])).status_code == 200
    # the applicant cannot object to their own; another person cannot see this objection
    client.force_login(users[0])
    assert "不能对本人的申报提出异议" in client.get(listing).content.decode()
    assert client.get(url).status_code == 403
    client.force_login(other)
    assert client.get(detail).status_code == 404
    assert client.get(reverse("programmes:objection-file", args=[call.pk, objection.pk])).status_code == 404
    assert str(expert) not in client.get(listing).content.decode()  # the objector: staff only
    # staff: the objector, the answer with a ticked confirmation
    client.force_login(staff)
    page = client.get(listing).content.decode()
    assert str(expert) in page and "还有 1 条异议待处理" in page
    # staff do not lodge: said once above the list, no lodge column; the objection opens from its title
    assert page.count("科技厅工作人员负责处理异议，不在此提出异议") == 1 and "提出异议</a>" not in page
    assert f'<a href="{detail}">高熵合金</a>' in page
    call_page = client.get(call.get_absolute_url()).content.decode()
    assert "异议未处理" in call_page and 'name="early"' not in call_page
    # while an objection is open: only that reason, no box to tick and no word of one
    assert (
        "尚未期满" not in call_page
        and 'name="confirm"' not in call_page
        and 'value="advance"' not in call_page
    )
    r = client.post(detail, {"action": "uphold", "reason": "经核查属实"})
    assert r.status_code == 400 and "经核查属实" in r.content.decode()
    r = client.post(detail, {"action": "uphold", "reason": "经核查属实", "confirm": "1"})
    assert r.status_code == 302
    assert "该异议已处理，不能更改" in client.get(detail).content.decode()
    export = client.get(listing + "?export=xlsx")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxml")
    call_page = client.get(call.get_absolute_url()).content.decode()
    assert 'name="early"' in call_page and "尚未期满" in call_page
    # both confirmations stacked above the button
    early, confirm, button = (
        call_page.index(t) for t in ('name="early"', 'name="confirm"', 'value="advance"')
    )
    assert early < confirm < button
    # the objector sees the outcome
    client.force_login(expert)
    page = client.get(listing).content.decode()
    assert "异议成立" in page and "经核查属实" in page
    assert "已因异议成立不予立项" in page
    # a signed-in person without any role sees nothing
    client.force_login(make_user())
    assert client.get(listing).status_code == 404


def test_before_the_publicity_staff_see_only_that_the_call_has_not_reached_it(
    client,
    staff,
    make_user,
    form,  # noqa: F811
    reviews_complete,
):
    call = services.call_open(
        actor=staff, version=publicity_programme(staff, form), title="2027 年度", year=2027
    )
    call = services.call_advance(actor=staff, call=call)
    submit(make_user(Role.APPLICANT, unit=UnitFactory()), call, title="高熵合金")
    client.force_login(staff)
    page = client.get(reverse("programmes:publicity", args=[call.pk])).content.decode()
    assert "本批次尚未进入公示环节" in page
    assert "公示名单为空" not in page and "有异议的" not in page and "收到的异议" not in page
    assert "高熵合金" not in page


def test_the_api_lists_lodges_answers_and_tells_the_objector(client, staff, make_user, at_publicity):
    call, subs, users = at_publicity
    expert = make_user(Role.EXPERT)
    base = f"/api/programmes/calls/{call.pk}/publicity/"
    client.force_login(expert)
    rows = client.get(base).json()
    assert [r["title"] for r in rows["applications"]] == ["高熵合金", "固态电池"]
    lodge = f"{base}{subs[0].pk}/objections/"
    r = client.post(lodge, {"reason": " ", "confirm": True}, content_type="application/json")
    assert r.status_code == 400
    r = client.post(lodge, {"reason": "论文造假", "confirm": True}, content_type="application/json")
    assert r.status_code == 201 and r.json()["status"] == "open" and "lodged_by" not in r.json()
    answer = f"/api/programmes/objections/{r.json()['id']}/answer/"
    assert client.post(answer, {}, content_type="application/json").status_code == 403
    client.force_login(staff)
    listed = client.get(base).json()
    assert listed["objections"][0]["lodged_by"] == str(expert)
    r = client.post(
        answer, {"action": "dismiss", "reason": "不属实", "confirm": True}, content_type="application/json"
    )
    assert r.status_code == 200 and r.json()["status"] == "dismissed"
    client.force_login(expert)
    mine = client.get(base).json()["mine"]
    assert [(o["status"], o["answer"]) for o in mine] == [("dismissed", "不属实")]


def test_the_english_counts_objections_in_the_singular_and_the_plural():
    from django.utils import translation

    from kechuang.programmes.workflow import publicity_close_refusals

    stage = {"key": "gs", "name": "公示", "kind": "publicity"}
    with translation.override("en"):
        one = publicity_close_refusals(stage, ["A"], closes_on=None, today=None)[0]
        two = publicity_close_refusals(stage, ["A", "B"], closes_on=None, today=None)[0]
    assert "has 1 open objection (A)" in one and "has 2 open objections" in two


def test_the_rejected_applicants_notice_of_an_upheld_objection_reads_in_the_readers_language(
    staff, make_user, at_publicity
):
    """Staff who uphold an objection on an English page: the applicant's notice says why in the reader's
    language (kept as msgid and parameters), with staff's answer as typed."""
    from django.utils import translation

    call, subs, users = at_publicity
    expert = make_user(Role.EXPERT)
    o = services.objection_lodge(actor=expert, call=call, submission=subs[0], reason="论文造假")
    with translation.override("en"):
        services.objection_answer(actor=staff, objection=o, action="uphold", reason="经核查属实")
    notice = users[0].notifications.get(kind="programmes.award_decision")
    assert notice.body == "公示异议成立：经核查属实"  # the stored text is Chinese
    with translation.override("zh-hans"):
        assert notice.body_text == "公示异议成立：经核查属实"
    with translation.override("en"):
        assert "经核查属实" in notice.body_text and "公示异议成立" not in notice.body_text
