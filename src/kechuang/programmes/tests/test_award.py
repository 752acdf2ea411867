"""The per-application decision (立项) of a generic call (issue #18): the state machine (pure, final), a
run refusing the call's decision while an application that went through the checks is undecided, the
services (award, reject with a reason, only applications the formal check passed, only at the decision
stage, the ranking beside), the pages with their confirmation, the applicant's outcome and reason, the API
and who may do what."""

import pytest
from django.urls import reverse

from kechuang.accounts.tests.factories import UnitFactory
from kechuang.core.exceptions import ApplicationError, PermissionDenied
from kechuang.core.models import AuditEvent
from kechuang.core.roles import Role
from kechuang.programmes import reviews, selectors, services
from kechuang.programmes.models import AwardDecision
from kechuang.programmes.workflow import AWARD_DECISION, DefinitionError, Facts, Run

from .conftest import _ReviewsComplete
from .test_rules import form, open_at_application, programme, submit  # noqa: F401 (form: a fixture)

STAFF = [Role.STAFF]


def test_the_decision_machine_awards_or_rejects_with_a_reason_and_is_final():
    assert AWARD_DECISION.reasons_refused("pending", "award", STAFF) == []
    assert "理由" in " ".join(AWARD_DECISION.reasons_refused("pending", "reject", STAFF, ctx={"reason": ""}))
    assert AWARD_DECISION.reasons_refused("pending", "reject", STAFF, ctx={"reason": "经费不足"}) == []
    for done in ("awarded", "rejected"):
        for action in ("award", "reject"):
            assert AWARD_DECISION.reasons_refused(done, action, STAFF, ctx={"reason": "x"})
    assert AWARD_DECISION.reasons_refused("pending", "award", [Role.APPLICANT])


def test_a_run_decides_only_passed_applications_at_its_decision_and_awards_once_all_are_decided():
    stages = [
        {"key": f"s{i}", "kind": k, "rules": {"requires_publicity": False} if k == "decision" else {}}
        for i, k in enumerate(("call", "application", "formal_check", "letter_review", "decision"), 1)
    ]
    stages[1]["form"] = 1
    run = Run.start(stages)
    run.advance()
    for _n in range(3):
        run.submit(Facts())
    with pytest.raises(DefinitionError, match="不是“立项决定”"):
        run.decide(0, "award")
    run.advance()
    run.check_application(0, "pass")
    run.check_application(1, "pass")
    run.check_application(2, "fail", reason="缺材料")
    run.complete_formal_check()
    run.advance()
    run.complete_review()
    run.advance()
    with pytest.raises(DefinitionError, match="未通过此前各环节"):
        run.decide(2, "award")
    with pytest.raises(DefinitionError, match="还有 2 份申报未作立项决定"):
        run.award()
    run.decide(0, "award")
    with pytest.raises(DefinitionError, match="理由"):
        run.decide(1, "reject")
    with pytest.raises(DefinitionError):
        run.decide(0, "reject", reason="改主意")  # final
    run.decide(1, "reject", reason="经费不足")
    run.award()
    assert run.awarded and run.decisions == {0: "awarded", 1: "rejected"}
    with pytest.raises(DefinitionError, match="已作出立项决定"):
        run.decide(1, "award")


# --- services ------------------------------------------------------------------------------------------------------


class _Ranked(_ReviewsComplete):
    """Reviews complete, with a ranking: the later submission first."""

    def __init__(self):
        self.ranking = {}

    def call_ranking(self, **kwargs):
        return self.ranking

    def call_rankings(self, **kwargs):
        return {"s4": self.ranking}  # the 函评's


@pytest.fixture
def at_decision(staff, make_user, form, monkeypatch):  # noqa: F811
    """A call at its decision with three applications: two passed the formal check, one failed it; the
    letter review ranks 固态电池 first."""
    ranked = _Ranked()
    monkeypatch.setattr(reviews, "_PROVIDERS", [ranked])
    version = programme(staff, form)
    call = open_at_application(staff, version)
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
    while call.stage["kind"] != "decision":
        call = services.call_advance(actor=staff, call=call)
    ranked.ranking = {
        subs[1].pk: {"rank": 1, "mean": 88.5, "n": 3, "stage_name": "函评"},
        subs[0].pk: {"rank": 2, "mean": 80.0, "n": 3, "stage_name": "函评"},
    }
    return call, subs, users


def test_each_passed_application_is_decided_before_the_call_and_the_applicant_is_told(staff, at_decision):
    call, subs, users = at_decision
    rows = selectors.award_rows(call, call.stage)
    assert [(r["submission"].title, r["rank"], r["mean"]) for r in rows] == [
        ("固态电池", 1, 88.5),
        ("高熵合金", 2, 80.0),
    ]  # the failed one is not there; the ranking beside
    with pytest.raises(ApplicationError, match="还有 2 份申报未作立项决定：固态电池、高熵合金"):
        services.call_award(actor=staff, call=call)
    with pytest.raises(ApplicationError, match="未通过形式审查"):
        services.award_decide(actor=staff, call=call, submission=subs[2], action="award")
    with pytest.raises(ApplicationError, match="须填写理由"):
        services.award_decide(actor=staff, call=call, submission=subs[0], action="reject", reason=" ")
    services.award_decide(actor=staff, call=call, submission=subs[1], action="award")
    with pytest.raises(ApplicationError):
        services.award_decide(actor=staff, call=call, submission=subs[1], action="reject", reason="改主意")
    services.award_decide(actor=staff, call=call, submission=subs[0], action="reject", reason="经费有限")
    d = AwardDecision.objects.get(applicant=users[0])
    assert (d.status, d.reason, d.decided_by) == ("rejected", "经费有限", staff)
    assert AuditEvent.objects.filter(action="award_decision.award").count() == 1
    assert AuditEvent.objects.get(action="award_decision.reject").reason == "经费有限"
    assert users[0].notifications.filter(title__contains="不予立项").exists()
    call = services.call_award(actor=staff, call=call)
    assert call.awarded
    with pytest.raises(ApplicationError, match="已作出立项决定"):
        services.award_decide(actor=staff, call=call, submission=subs[0], action="award")


def test_a_decision_is_refused_before_the_decision_stage_and_to_anyone_but_staff(staff, make_user, form):  # noqa: F811
    version = programme(staff, form)
    call = open_at_application(staff, version)
    user = make_user(Role.APPLICANT, unit=UnitFactory())
    sub = submit(user, call)
    with pytest.raises(ApplicationError, match="不在立项决定环节"):
        services.award_decide(actor=staff, call=call, submission=sub, action="award")
    with pytest.raises(PermissionDenied):
        services.award_decide(actor=user, call=call, submission=sub, action="award")
    assert not AwardDecision.objects.exists()


def test_staff_decide_on_the_pages_with_a_confirmation_and_the_applicant_sees_why(client, staff, at_decision):
    call, subs, users = at_decision
    client.force_login(staff)
    page = client.get(reverse("programmes:call", args=[call.pk])).content.decode()
    assert reverse("programmes:award-list", args=[call.pk]) in page and "还有 2 份申报未作立项决定" in page
    listing = client.get(reverse("programmes:award-list", args=[call.pk])).content.decode()
    assert listing.index("固态电池") < listing.index("高熵合金") and "氢能储运" not in listing
    assert "88.50" in listing
    url = reverse("programmes:award-decide", args=[call.pk, subs[0].pk])
    page = client.get(url).content.decode()
    assert "专家评审排名" in page and "88.50" in page and "80.00" in page
    r = client.post(url, {"action": "reject", "reason": "经费有限"})  # not confirmed
    assert r.status_code == 400 and "经费有限" in r.content.decode()  # the input kept
    r = client.post(url, {"action": "reject", "reason": " ", "confirm": "1"})
    assert r.status_code == 400 and "不予立项须填写理由" in r.content.decode()
    assert not AwardDecision.objects.exists()
    r = client.post(url, {"action": "reject", "reason": "经费有限", "confirm": "1"})
    assert r.status_code == 302
    assert "本申报已有立项决定，不能更改" in client.get(url).content.decode()
    assert client.get(reverse("programmes:award-decide", args=[call.pk, subs[2].pk])).status_code == 404
    # the applicants: the outcome and its reason; the failed one told why there is none
    client.force_login(users[0])
    page = client.get(reverse("programmes:call", args=[call.pk])).content.decode()
    assert "不予立项" in page and "经费有限" in page
    client.force_login(users[1])
    page = client.get(reverse("programmes:call", args=[call.pk])).content.decode()
    assert "待决定" in page and "尚未作出决定" in page
    client.force_login(users[2])
    page = client.get(reverse("programmes:call", args=[call.pk])).content.decode()
    assert "未通过形式审查，不参加立项决定" in page
    assert client.get(reverse("programmes:award-list", args=[call.pk])).status_code == 403
    assert client.post(url, {"action": "award", "confirm": "1"}).status_code == 403


def test_the_api_lists_decides_and_tells_the_applicant(client, staff, at_decision):
    call, subs, users = at_decision
    base = f"/api/programmes/calls/{call.pk}/award/"
    client.force_login(staff)
    rows = client.get(base).json()
    assert [(r["title"], r["rank"], r["status"]) for r in rows] == [
        ("固态电池", 1, "pending"),
        ("高熵合金", 2, "pending"),
    ]
    r = client.post(
        f"{base}{subs[1].pk}/", {"action": "award", "confirm": False}, content_type="application/json"
    )
    assert r.status_code == 400
    r = client.post(
        f"{base}{subs[1].pk}/", {"action": "reject", "confirm": True}, content_type="application/json"
    )
    assert r.status_code == 400 and "理由" in r.content.decode()
    r = client.post(
        f"{base}{subs[1].pk}/", {"action": "award", "confirm": True}, content_type="application/json"
    )
    assert r.status_code == 200 and r.json()["status"] == "awarded"
    client.force_login(users[1])
    assert client.get(base).status_code == 403
    mine = client.get(f"{base}mine/").json()
    assert mine["status"] == "awarded" and mine["why"] == ""
    assert (
        client.post(
            f"{base}{subs[0].pk}/", {"action": "award", "confirm": True}, content_type="application/json"
        ).status_code
        == 403
    )
