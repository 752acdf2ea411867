"""Dashboard tasks and cards per role, on a frozen clock."""

import datetime

import pytest
import time_machine

from kechuang.challenges import dashboard, services
from kechuang.core.roles import Role

from .factories import ApplicationFactory, ContractFactory


@pytest.mark.django_db
def test_applicant_tasks():
    app = ApplicationFactory()  # a draft on a published challenge
    tasks = dashboard.tasks_for(app.leader)
    assert [t.kind for t in tasks] == ["apply"] and tasks[0].due == app.challenge.deadline.astimezone(
        datetime.timezone(datetime.timedelta(hours=8))
    ).date()
    contract = ContractFactory(running=True)  # M1 due 2026-12-31
    with time_machine.travel(datetime.datetime(2026, 12, 15, 9, tzinfo=datetime.UTC), tick=False):
        tasks = dashboard.tasks_for(contract.leader)
    assert [(t.kind, t.overdue) for t in tasks] == [("report", False)]
    with time_machine.travel(datetime.datetime(2027, 1, 2, 9, tzinfo=datetime.UTC), tick=False):
        tasks = dashboard.tasks_for(contract.leader)
    assert [(t.kind, t.overdue) for t in tasks] == [("report", True)]


@pytest.mark.django_db
def test_staff_tasks_and_public_cards(make_user):
    staff = make_user(Role.STAFF)
    contract = ContractFactory(running=True)
    services.change_request_create(
        actor=contract.leader, contract=contract, kind="budget", reason="涨价", payload={"budget": "700"}
    )
    kinds = {t.kind: t.count for t in dashboard.tasks_for(staff)}
    assert kinds == {"change": 1}
    ms = contract.milestones.get(seq=1)
    services.milestone_report(actor=contract.leader, milestone=ms, report="完成", values={"晶圆直径": 6})
    assert "verify" in {t.kind for t in dashboard.tasks_for(contract.commissioner)}
    assert "verify" not in {t.kind for t in dashboard.tasks_for(make_user(Role.COMMISSIONER))}
    public = {c.title: c.value for c in dashboard.cards_for(None)}
    # The contract factory's challenge is still published; the running project has no public result yet.
    assert public == {"正在发榜": "1", "攻关成果": "0", "成果转化金额": "0 万元"}
    assert dashboard.tasks_for(None) == []
