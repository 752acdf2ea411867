"""The lifecycle endpoints beyond the walk (tests/test_api_walk.py): the review app's round from the API, the
racing down-select, and their refusals."""

import pytest

from kechuang.challenges.models import Application, Contract
from kechuang.core.models import AuditEvent
from kechuang.review.models import Assignment
from kechuang.review.tests.factories import ExpertProfileFactory

from ..factories import ApplicationFactory, ChallengeFactory, ContractFactory


@pytest.mark.django_db
def test_review_round_and_hand_assignment(api_for, staff):
    ch = ChallengeFactory(closed=True)
    app = ApplicationFactory(challenge=ch, status=Application.Status.FORMAL_PASSED)
    expert = ExpertProfileFactory().user
    s = api_for(staff)
    r = s.post(
        f"/api/challenges/{ch.pk}/review/",
        {"confirm": True, "mode": "assign", "application": app.pk, "expert": expert.pk},
    )
    assert r.status_code == 400 and r.json()["error"]["code"] == "no_round"
    r = s.post(f"/api/challenges/{ch.pk}/review/", {"confirm": True, "mode": "round", "k": 1}, format="json")
    assert r.status_code == 200, r.content
    rnd = r.json()["round"]
    assert rnd and s.get(f"/api/review/rounds/{rnd}/").status_code == 200
    assert Application.objects.get(pk=app.pk).status == "under_review"
    # A second round is refused with the reason.
    r = s.post(f"/api/challenges/{ch.pk}/review/", {"confirm": True, "mode": "round"}, format="json")
    assert r.status_code == 400 and "已创建评审轮次" in r.json()["error"]["message"]
    r = s.post(
        f"/api/challenges/{ch.pk}/review/",
        {"confirm": True, "mode": "assign", "application": app.pk, "expert": expert.pk, "reason": "领域对口"},
        format="json",
    )
    assert r.status_code == 200, r.content
    assert list(Assignment.objects.filter(round_id=rnd).values_list("expert_id", flat=True)) == [expert.pk]
    assert AuditEvent.objects.filter(action="challenge.review_start").exists()


@pytest.mark.django_db
def test_downselect_keeps_one_and_stops_the_other(api_for, staff):
    ch = ChallengeFactory(racing=True, status="awarded")
    a = ContractFactory(challenge=ch, running=True, application__challenge=ch)
    b = ContractFactory(challenge=ch, running=True, application__challenge=ch)
    s = api_for(staff)
    url = f"/api/challenges/{ch.pk}/downselect/"
    assert api_for(a.leader).post(url, {}, format="json").status_code == 403
    for bad in ({}, {"outcomes": {str(a.pk): "promote"}}, {"outcomes": {"999999": "keep"}}):
        r = s.post(url, {"note": "阶段评估", **bad}, format="json")
        assert r.status_code == 400 and r.json()["error"]["fields"].get("outcomes"), bad
    r = s.post(
        url,
        {"note": "阶段评估", "outcomes": {str(a.pk): "keep", str(b.pk): "stop"}, "confirm": True},
        format="json",
    )
    assert r.status_code == 200, r.content
    assert sorted((o["contract"], o["outcome"]) for o in r.json()["outcomes"]) == sorted(
        [(a.pk, "keep"), (b.pk, "stop")]
    )
    assert Contract.objects.get(pk=b.pk).status == "stopped"
    assert [d["note"] for d in s.get(url).json()] == ["阶段评估"]
