"""The JSON API: scoped reads, role and object checks on writes, refusals in the one error body."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from kechuang.challenges.models import Application, Challenge
from kechuang.core.roles import Role

from ..factories import ChallengeFactory, ContractFactory


def url(name, *args):
    return reverse(f"api:challenges-{name}", args=args)


@pytest.mark.django_db
def test_public_list_hides_drafts(api_for):
    ChallengeFactory(title="草稿榜单")
    pub = ChallengeFactory(published=True, title="公开榜单")
    r = api_for(None).get(url("challenge-list"))
    assert r.status_code == 200
    assert [c["title"] for c in r.json()["results"]] == ["公开榜单"]
    assert r.json()["results"][0]["indicators"][0]["name"] == "晶圆直径"
    assert api_for(None).get(url("challenge-detail", pub.pk)).status_code == 200
    draft = Challenge.objects.get(title="草稿榜单")
    assert api_for(None).get(url("challenge-detail", draft.pk)).json()["error"]["code"] == "not_found"


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.APPLICANT, Role.EXPERT, Role.COMMISSIONER])
def test_only_staff_run_challenge_transitions(api_for, make_user, role):
    ch = ChallengeFactory()
    r = api_for(make_user(role)).post(
        url("challenge-transition", ch.pk), {"action": "publish", "confirm": True}, format="json"
    )
    assert r.status_code == 403 and r.json()["error"]["code"] == "permission_denied"
    ch.refresh_from_db()
    assert ch.status == "draft"


@pytest.mark.django_db
def test_staff_publish_refused_with_reason(api_for, staff):
    ch = ChallengeFactory(criteria=[{"code": "a", "name": "甲", "weight": 0.5}])
    r = api_for(staff).post(
        url("challenge-transition", ch.pk), {"action": "publish", "confirm": True}, format="json"
    )
    assert r.status_code == 409
    assert r.json()["error"] == {
        "code": "invalid_transition",
        "message": "评审指标权重之和必须为 1。",
        "fields": {},
    }
    ch.criteria = [{"code": "a", "name": "甲", "weight": 1}]
    ch.save()
    r = api_for(staff).post(
        url("challenge-transition", ch.pk), {"action": "publish", "confirm": True}, format="json"
    )
    assert r.status_code == 200 and r.json()["status"] == "published"


@pytest.mark.django_db
def test_application_through_api(api_for, make_user):
    ch = ChallengeFactory(published=True)
    user = make_user(Role.APPLICANT)
    client = api_for(user)
    r = client.post(
        url("application-list"),
        {
            "challenge": ch.pk,
            "title": "API 揭榜",
            "plan": "方案",
            "budget_requested": "500",
            "milestones": [{"title": "M1", "month": 12, "tranche": "500", "targets": {"晶圆直径": "6"}}],
        },
        format="json",
    )
    assert r.status_code == 201, r.json()
    app = Application.objects.get(pk=r.json()["id"])
    assert app.unit == user.unit and app.milestones.count() == 1
    r = client.post(
        url("application-transition", app.pk), {"action": "submit", "confirm": True}, format="json"
    )
    assert r.status_code == 200 and r.json()["status"] == "submitted"
    # Another unit's user sees nothing of it; staff may not submit on the applicant's behalf.
    other = api_for(make_user(Role.APPLICANT))
    assert other.get(url("application-detail", app.pk)).status_code == 404
    assert (
        other.post(
            url("application-transition", app.pk), {"action": "withdraw", "confirm": True}, format="json"
        ).status_code
        == 404
    )
    with time_machine.travel(ch.deadline + datetime.timedelta(minutes=1), tick=False):
        r = client.post(
            url("application-transition", app.pk), {"action": "withdraw", "confirm": True}, format="json"
        )
    assert r.status_code == 409 and "截止" in r.json()["error"]["message"]


@pytest.mark.django_db
def test_milestone_report_and_verify_api(api_for, make_user):
    contract = ContractFactory(running=True)
    ms = contract.milestones.get(seq=1)
    ind = ms.values.get().indicator
    unit_user = contract.leader
    r = api_for(unit_user).post(
        url("milestone-action", ms.pk),
        {"action": "report", "report": "完成", "values": {str(ind.pk): "6.5"}, "confirm": True},
        format="json",
    )
    assert r.status_code == 200 and r.json()["status"] == "reported"
    stranger = make_user(Role.COMMISSIONER)
    assert (
        api_for(stranger)
        .post(url("milestone-action", ms.pk), {"action": "verify", "confirm": True}, format="json")
        .status_code
        == 404
    )
    r = api_for(contract.commissioner).post(
        url("milestone-action", ms.pk), {"action": "verify", "confirm": True}, format="json"
    )
    assert r.status_code == 200 and r.json()["status"] == "verified"
    assert api_for(None).get(url("contract-list")).status_code == 401


@pytest.mark.django_db
def test_needs_scoped(api_for, make_user):
    a = make_user(Role.APPLICANT)
    b = make_user(Role.APPLICANT)
    r = api_for(a).post(url("need-list"), {"title": "需求甲", "problem": "问题"}, format="json")
    assert r.status_code == 201
    assert api_for(b).get(url("need-list")).json()["count"] == 0
    assert api_for(a).get(url("need-list")).json()["count"] == 1
    assert api_for(make_user(Role.EXPERT)).get(url("need-list")).status_code == 403


@pytest.mark.django_db
def test_change_result_transfer_api(api_for, make_user, staff):
    contract = ContractFactory(running=True)
    unit = api_for(contract.leader)
    # found by fuzzing: no payload (or a malformed one) answered 500
    for body in (
        {"kind": "team", "reason": "换人"},
        {"kind": "team", "reason": "换人", "payload": [1]},
        {"kind": "team", "reason": "换人", "payload": {"team": ["张三"]}},
        {"kind": "dates", "reason": "延期", "payload": {"milestones": {"x": "2027-01-01"}}},
        {"kind": "dates", "reason": "延期", "payload": {"milestones": [1]}},
        {"kind": "budget", "reason": "涨价", "payload": {"budget": "NaN"}},
    ):
        r = unit.post(url("contract-changes", contract.pk), body, format="json")
        assert r.status_code == 400 and r.json()["error"]["message"], (body, r.content)
    r = unit.post(
        url("contract-changes", contract.pk),
        {"kind": "budget", "reason": "设备涨价", "payload": {"budget": "700"}},
        format="json",
    )
    assert r.status_code == 201, r.json()
    cr_id = r.json()["id"]
    assert (
        api_for(contract.commissioner)
        .post(url("change-decide", cr_id), {"approve": True}, format="json")
        .status_code
        == 403
    )
    r = api_for(staff).post(url("change-decide", cr_id), {"approve": True, "confirm": True}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "approved"
    contract.refresh_from_db()
    assert str(contract.budget) == "700.00"
    stranger = api_for(make_user(Role.APPLICANT))
    assert (
        stranger.post(
            url("contract-results", contract.pk),
            {"kind": "paper", "title": "x", "achieved_on": "2026-05-01"},
            format="json",
        ).status_code
        == 404
    )
    r = unit.post(
        url("contract-results", contract.pk),
        {"kind": "patent", "title": "一种衬底制备方法", "achieved_on": "2026-05-01"},
        format="json",
    )
    assert r.status_code == 201
    r = unit.post(
        url("result-transfers", r.json()["id"]),
        {"kind": "sale", "counterparty": "某公司", "amount": "-5", "transferred_on": "2026-06-01"},
        format="json",
    )
    assert r.status_code == 400 and r.json()["error"]["code"] == "validation_error"
