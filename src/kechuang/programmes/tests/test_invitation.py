"""The 预申报 invitation of a generic call (issue #18): the state machine (pure, final), a run that will not
leave the 预申报 with a pre-application undecided and lets only invited applicants apply formally, the
services (invite, decline with a reason, batch invite, only at the stage), the refusal of an uninvited
formal application with the reason, the applicant's outcome, the pages and the API."""

import pytest
from django.urls import reverse

from kechuang.accounts.tests.factories import UnitFactory
from kechuang.core.exceptions import ApplicationError, PermissionDenied
from kechuang.core.models import AuditEvent
from kechuang.core.roles import Role
from kechuang.programmes import selectors, services
from kechuang.programmes.models import InvitationDecision, Submission
from kechuang.programmes.workflow import INVITATION, DefinitionError, Facts, Run

from .test_rules import form, submit  # noqa: F401 (form: a fixture)

STAFF = [Role.STAFF]


def test_the_invitation_machine_invites_or_declines_with_a_reason_and_is_final():
    assert INVITATION.reasons_refused("pending", "invite", STAFF) == []
    assert "理由" in " ".join(INVITATION.reasons_refused("pending", "decline", STAFF, ctx={"reason": ""}))
    assert INVITATION.reasons_refused("pending", "decline", STAFF, ctx={"reason": "方向不符"}) == []
    for done in ("invited", "declined"):
        for action in ("invite", "decline"):
            assert INVITATION.reasons_refused(done, action, STAFF, ctx={"reason": "x"})
    assert INVITATION.reasons_refused("pending", "invite", [Role.APPLICANT])


def _stages(pre_form=1):
    kinds = ("call", "pre_application", "application", "formal_check", "letter_review", "decision")
    stages = [
        {"key": f"s{i}", "kind": k, "rules": {"requires_publicity": False} if k == "decision" else {}}
        for i, k in enumerate(kinds, 1)
    ]
    stages[1]["form"] = pre_form
    stages[2]["form"] = 2
    return stages


def test_a_run_closes_the_pre_application_only_when_all_are_decided_and_admits_only_the_invited():
    run = Run.start(_stages())
    run.advance()
    for who in ("a", "b", "c"):
        run.submit(Facts(applicant=who))
    with pytest.raises(DefinitionError, match="还有 3 份预申报未决定"):
        run.complete_invitation()
    assert "还有 3 份预申报" in run.advance_refusals()[0]
    run.invitation_decide("a", "invite")
    with pytest.raises(DefinitionError, match="理由"):
        run.invitation_decide("b", "decline")
    run.invitation_decide("b", "decline", reason="方向不符")
    with pytest.raises(DefinitionError):
        run.invitation_decide("a", "decline", reason="改主意")  # final
    with pytest.raises(DefinitionError, match="没有预申报"):
        run.invitation_decide("z", "invite")
    run.invitation_decide("c", "invite")
    run.complete_invitation()
    run.advance()
    run.submit(Facts(applicant="a"))
    with pytest.raises(DefinitionError, match="未获邀请"):
        run.submit(Facts(applicant="b"))
    with pytest.raises(DefinitionError, match="没有预申报"):
        run.submit(Facts(applicant="z"))
    assert run.formal_applications() == [3]


def test_a_pre_application_after_all_were_decided_holds_the_stage_until_it_is_decided():
    # found by the property test over random definitions: pre-apply, decide all, close, pre-apply again
    run = Run.start(_stages())
    run.advance()
    run.submit(Facts(applicant="a"))
    run.invitation_decide("a", "invite")
    run.complete_invitation()
    run.submit(Facts(applicant="b"))
    assert "尚未决定所有预申报" in run.advance_refusals()[0]
    with pytest.raises(DefinitionError):
        run.advance()
    run.invitation_decide("b", "invite")
    run.complete_invitation()
    run.advance()


def test_a_pre_application_without_a_form_invitations_nobody():
    run = Run.start(_stages(pre_form=None))
    run.advance()
    assert run.advance_refusals() == []
    run.advance()
    run.submit(Facts(applicant="anyone"))


# --- services ------------------------------------------------------------------------------------------------------


def inviting(staff, form, name="科技成果转化引导"):  # noqa: F811
    """call → 预申报 (the form) → 正式申报 (the form) → formal check → letter review → decision."""
    v = services.programme_create(actor=staff, name=name)
    services.stage_save(actor=staff, version=v, spec={"kind": "call"})
    for kind in ("pre_application", "application"):
        services.stage_save(
            actor=staff, version=v, spec={"kind": kind, "role": Role.APPLICANT, "form": form.pk, "days": 20}
        )
    services.stage_save(actor=staff, version=v, spec={"kind": "formal_check"})
    services.stage_save(actor=staff, version=v, spec={"kind": "letter_review"})
    services.stage_save(
        actor=staff, version=v, spec={"kind": "decision", "rules": {"requires_publicity": False}}
    )
    return services.programme_version_publish(actor=staff, version=v)


@pytest.fixture
def at_pre(staff, make_user, form):  # noqa: F811
    version = inviting(staff, form)
    call = services.call_open(actor=staff, version=version, title="2027 年度", year=2027)
    call = services.call_advance(actor=staff, call=call)
    users = [make_user(Role.APPLICANT, unit=UnitFactory()) for _ in range(3)]
    subs = [
        submit(u, call, title=t) for u, t in zip(users, ("高熵合金", "固态电池", "氢能储运"), strict=True)
    ]
    return call, subs, users


def test_staff_invite_or_decline_each_and_the_stage_waits_for_all(staff, at_pre):
    call, subs, users = at_pre
    with pytest.raises(
        ApplicationError, match="还有 3 份预申报未决定是否邀请正式申报：高熵合金、固态电池、氢能储运"
    ):
        services.call_advance(actor=staff, call=call)
    with pytest.raises(ApplicationError, match="须填写理由"):
        services.invitation_decide(actor=staff, call=call, submission=subs[1], action="decline", reason=" ")
    services.invitation_decide(
        actor=staff, call=call, submission=subs[1], action="decline", reason="方向不符"
    )
    with pytest.raises(ApplicationError):
        services.invitation_decide(actor=staff, call=call, submission=subs[1], action="invite")  # final
    with pytest.raises(ApplicationError, match="待遴选"):
        services.invitation_batch_invite(actor=staff, call=call, submissions=[subs[0], subs[1]])
    assert not InvitationDecision.objects.filter(status="invited").exists()  # refused as a whole
    services.invitation_batch_invite(actor=staff, call=call, submissions=[subs[0], subs[2]])
    assert AuditEvent.objects.filter(action="invitation.invite").count() == 2
    assert AuditEvent.objects.get(action="invitation.decline").reason == "方向不符"
    assert AuditEvent.objects.filter(action="programmes.invitation_batch_invite").count() == 1
    assert users[1].notifications.filter(title__contains="未获邀请").exists()
    mine = selectors.applicant_invitation(call, users[1])
    assert (mine["status"], mine["decision"].reason) == ("declined", "方向不符")
    call = services.call_advance(actor=staff, call=call)
    assert call.stage["kind"] == "application"
    with pytest.raises(ApplicationError, match="不在预申报环节"):
        services.invitation_decide(actor=staff, call=call, submission=subs[0], action="invite")
    # only the invited submit formally; the declined is told why, with the reason
    assert submit(users[0], call, title="高熵合金（正式）")
    with pytest.raises(ApplicationError, match="未获邀请正式申报.*方向不符") as refused:
        submit(users[1], call)
    assert refused.value.code == "not_invited"
    assert selectors.invitation_refusals(call, users[2]) == []


def test_one_who_did_not_pre_apply_cannot_apply_formally(staff, make_user, at_pre):
    call, subs, users = at_pre
    services.invitation_batch_invite(actor=staff, call=call, submissions=subs)
    call = services.call_advance(actor=staff, call=call)
    late = make_user(Role.APPLICANT, unit=UnitFactory())
    with pytest.raises(ApplicationError, match="没有预申报"):
        submit(late, call)


def test_only_staff_decide(make_user, at_pre):
    call, subs, users = at_pre
    with pytest.raises(PermissionDenied):
        services.invitation_decide(actor=users[0], call=call, submission=subs[0], action="invite")


# --- pages and API -------------------------------------------------------------------------------------------------


def test_staff_decide_on_the_pages_and_the_applicant_sees_why_there_is_no_button(client, staff, at_pre):
    call, subs, users = at_pre
    client.force_login(staff)
    page = client.get(reverse("programmes:call", args=[call.pk])).content.decode()
    assert reverse("programmes:invitation-list", args=[call.pk]) in page and "还有 3 份预申报未决定" in page
    listing = reverse("programmes:invitation-list", args=[call.pk])
    assert "氢能储运" in client.get(listing).content.decode()
    url = reverse("programmes:invitation-decide", args=[call.pk, subs[1].pk])
    r = client.post(url, {"action": "decline", "reason": "方向不符"})  # not confirmed
    assert r.status_code == 400 and "方向不符" in r.content.decode()  # the input kept
    r = client.post(url, {"action": "decline", "reason": " ", "confirm": "1"})
    assert r.status_code == 400 and "不予邀请须填写理由" in r.content.decode()
    assert client.post(url, {"action": "decline", "reason": "方向不符", "confirm": "1"}).status_code == 302
    # decided already (a second click, a stale tab): who decided it and when, the reason typed kept (409)
    r = client.post(url, {"action": "decline", "reason": "另一份意见", "confirm": "1"})
    body = r.content.decode()
    assert r.status_code == 409 and "此事项已由" in body and "另一份意见" in body
    assert "本预申报已有遴选结果，不能更改" in client.get(url).content.decode()
    r = client.post(listing, {"submission": [subs[0].pk, subs[2].pk]})  # not confirmed: nothing
    assert not InvitationDecision.objects.filter(status="invited").exists()
    # the list again, the picked ones still ticked and why beside the box (400; it was a message)
    body = r.content.decode()
    assert r.status_code == 400 and 'id="batch-refused"' in body
    assert f'value="{subs[0].pk}" checked' in body and f'value="{subs[2].pk}" checked' in body
    client.post(listing, {"submission": [subs[0].pk, subs[2].pk], "confirm": "1"})
    assert InvitationDecision.objects.filter(status="invited").count() == 2
    export = client.get(listing + "?export=xlsx")
    assert export.status_code == 200 and "spreadsheet" in export["Content-Type"]
    call = services.call_advance(actor=staff, call=call)
    # the declined applicant: the outcome, the reason, and why there is no fill button
    client.force_login(users[1])
    page = client.get(reverse("programmes:call", args=[call.pk])).content.decode()
    assert "不予邀请" in page and "方向不符" in page and "未获邀请正式申报" in page
    assert reverse("programmes:call-fill", args=[call.pk]) not in page
    r = client.get(reverse("programmes:call-fill", args=[call.pk]), follow=True)
    assert r.redirect_chain and "未获邀请正式申报" in r.content.decode()
    # declined while filling the form in another tab: the page again with what was typed and why, nothing filed
    count = Submission.objects.count()
    r = client.post(reverse("programmes:call-fill", args=[call.pk]), {"f1": "一段很长的申报书正文"})
    body = r.content.decode()
    assert r.status_code == 403 and "未获邀请正式申报" in body and 'value="一段很长的申报书正文"' in body
    assert Submission.objects.count() == count
    client.force_login(users[0])
    page = client.get(reverse("programmes:call", args=[call.pk])).content.decode()
    assert reverse("programmes:call-fill", args=[call.pk]) in page and "已获邀请" in page
    assert client.get(reverse("programmes:invitation-list", args=[call.pk])).status_code == 403


def test_the_api_lists_decides_and_tells_the_applicant(client, staff, at_pre):
    call, subs, users = at_pre
    base = f"/api/programmes/calls/{call.pk}/invitation/"
    client.force_login(staff)
    assert [r["status"] for r in client.get(base).json()] == ["pending"] * 3
    post = lambda url, data: client.post(url, data, content_type="application/json")  # noqa: E731
    assert post(f"{base}{subs[1].pk}/", {"action": "invite", "confirm": False}).status_code == 400
    r = post(f"{base}{subs[1].pk}/", {"action": "decline", "confirm": True})
    assert r.status_code == 400 and "理由" in r.content.decode()
    r = post(f"{base}{subs[1].pk}/", {"action": "decline", "reason": "方向不符", "confirm": True})
    assert r.status_code == 200 and r.json()["status"] == "declined"
    assert post(base, {"submissions": [subs[0].pk], "confirm": False}).status_code == 400
    r = post(base, {"submissions": [subs[0].pk, subs[1].pk], "confirm": True})
    assert r.status_code == 400 and "待遴选" in r.content.decode()
    r = post(base, {"submissions": [subs[0].pk, subs[2].pk], "confirm": True})
    assert r.status_code == 200 and [x["status"] for x in r.json()] == ["invited", "declined", "invited"]
    client.force_login(users[1])
    assert client.get(base).status_code == 403
    mine = client.get(f"{base}mine/").json()
    assert (mine["status"], mine["reason"]) == ("declined", "方向不符")
