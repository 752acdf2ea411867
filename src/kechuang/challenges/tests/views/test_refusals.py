"""Every write page refuses the wrong person with 302 (sign in), 403, 404 or a message — never a 500 — and
changes nothing."""

import pytest
from django.urls import reverse

from kechuang.challenges.models import Application, ChangeRequest, Contract, Milestone
from kechuang.core.models import AuditEvent
from kechuang.core.roles import Role

from ..factories import ApplicationFactory, ContractFactory

ROLES = [None, Role.EXPERT, Role.OPERATOR, Role.COMMISSIONER, Role.APPLICANT]


@pytest.fixture
def world(db):
    contract = ContractFactory()  # a draft contract with a commissioner
    Contract.objects.filter(pk=contract.pk).update(status="in_progress")
    app = ApplicationFactory(submitted=True)
    cr = ChangeRequest.objects.create(
        contract=contract, kind="budget", reason="涨价", payload={"budget": "700"}
    )
    return {"contract": contract, "app": app, "ms": contract.milestones.get(seq=1), "cr": cr}


def _posts(w):
    c, app, ms, cr = w["contract"], w["app"], w["ms"], w["cr"]
    return [
        ("application-action", [app.pk, "pass_formal"], {"reason": "x"}),
        ("application-action", [app.pk, "reject"], {"reason": "x"}),
        ("application-action", [app.pk, "withdraw"], {}),
        ("contract-action", [c.pk, "terminate"], {"reason": "x"}),
        ("contract-commissioner", [c.pk], {"commissioner": c.commissioner_id}),
        ("change-decide", [cr.pk], {"approve": "1"}),
        ("midterm", [c.pk], {"conclusion": "stop", "notes": "x"}),
        ("milestone-detail", [ms.pk], {"op": "verify", "confirm": "1"}),
        ("acceptance", [c.pk], {"verdict": "passed"}),
        ("challenge-action", [app.challenge_id, "close"], {}),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES, ids=lambda r: str(r))
def test_wrong_people_change_nothing(world, make_user, client_for, role):
    user = make_user(role) if role else None
    client = client_for(user)
    before = (
        AuditEvent.objects.count(),
        Application.objects.get(pk=world["app"].pk).status,
        Contract.objects.get(pk=world["contract"].pk).status,
        Milestone.objects.get(pk=world["ms"].pk).status,
        ChangeRequest.objects.get(pk=world["cr"].pk).status,
    )
    for name, args, data in _posts(world):
        r = client.post(reverse(f"challenges:{name}", args=args), data)
        assert r.status_code in (302, 403, 404), (name, r.status_code)
    after = (
        AuditEvent.objects.count(),
        Application.objects.get(pk=world["app"].pk).status,
        Contract.objects.get(pk=world["contract"].pk).status,
        Milestone.objects.get(pk=world["ms"].pk).status,
        ChangeRequest.objects.get(pk=world["cr"].pk).status,
    )
    assert before == after


@pytest.mark.django_db
def test_owners_see_their_objects_and_others_get_404(world, make_user, client_for):
    c, app = world["contract"], world["app"]
    urls = [app.get_absolute_url(), c.get_absolute_url(), world["ms"].get_absolute_url()]
    stranger = client_for(make_user(Role.APPLICANT))
    other_commissioner = client_for(make_user(Role.COMMISSIONER))
    for u in urls:
        assert stranger.get(u).status_code == 404
    assert other_commissioner.get(c.get_absolute_url()).status_code == 404
    assert client_for(app.leader).get(app.get_absolute_url()).status_code == 200
    assert client_for(c.leader).get(c.get_absolute_url()).status_code == 200
    assert client_for(c.commissioner).get(world["ms"].get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_contract_edit_own_commissioner_only(make_user, client_for):
    c = ContractFactory()  # a draft
    url = reverse("challenges:contract-edit", args=[c.pk])
    assert client_for(make_user(Role.COMMISSIONER)).get(url).status_code == 404
    assert client_for(c.leader).get(url).status_code == 403
    own = client_for(c.commissioner)
    data = {
        "title": "修改后的任务书",
        "start_date": "2026-02-01",
        "end_date": "2028-01-31",
        "budget": "650",
        "budget_self": "100",
        "version": c.version,
    }
    assert own.post(url, data).status_code == 302
    c.refresh_from_db()
    assert (c.title, c.budget, c.version) == ("修改后的任务书", 650, 2)
    r = own.post(url, {**data, "title": "旧版本覆盖"})  # still version 1: refused, nothing lost
    assert r.status_code == 200 and "已被他人修改" in r.content.decode()
    r = own.post(url, {**data, "version": 2, "end_date": "2025-01-01"})
    assert r.status_code == 200
    c.refresh_from_db()
    assert (c.title, c.end_date.isoformat()) == ("修改后的任务书", "2028-01-31")  # end before start: refused
    Contract.objects.filter(pk=c.pk).update(status="in_progress")
    assert own.get(url).status_code == 403
