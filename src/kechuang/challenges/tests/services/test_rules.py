"""The rules around the lifecycle: eligibility, optimistic locking, objections, racing down-selects,
change requests, commissioner scope, the daily flag job on a frozen clock, and the techmap interface."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command

from kechuang.accounts.tests.factories import UnitFactory
from kechuang.challenges import selectors, services
from kechuang.challenges.models import ChangeRequest, Contract, DownSelectOutcome, Milestone
from kechuang.core.exceptions import ApplicationError, Conflict, InvalidTransition, PermissionDenied
from kechuang.core.models import AuditEvent
from kechuang.core.roles import Role

from ..factories import ApplicationFactory, ChallengeFactory, ContractFactory, NeedFactory, TopicFactory


@pytest.mark.django_db
def test_eligibility_rules_each_with_its_reason():
    app = ApplicationFactory(budget_requested=Decimal("600"))
    assert selectors.eligibility_problems(app) == []
    # The leader already leads 2 active projects: the challenge's limit (max_active_per_leader=2) is reached.
    ContractFactory(application__leader=app.leader, application__unit=app.unit, leader=app.leader)
    assert selectors.eligibility_problems(app) == []
    ContractFactory(
        application__leader=app.leader, application__unit=app.unit, leader=app.leader, status="in_progress"
    )
    assert selectors.leader_active_projects(leader_id=app.leader_id) == 2
    assert selectors.eligibility_problems(app) == ["挂帅人已主持 2 项在研项目，达到本榜单上限 2 项。"]
    Contract.objects.filter(leader=app.leader).update(status="finished")
    assert selectors.eligibility_problems(app) == []
    # Budget over the ceiling and tranches that do not add up.
    app.budget_requested = Decimal("1200")
    problems = selectors.eligibility_problems(app)
    assert "申请经费 1200 万元超过榜单上限 1000 万元。" in problems
    assert "里程碑拨付经费合计 600.00 万元，与申请经费 1200 万元不一致。" in problems
    # An inactive unit, a unit kind the challenge does not accept.
    app.budget_requested = Decimal("600")
    app.unit.is_active = False
    app.challenge.unit_kinds = ["university"]
    problems = selectors.eligibility_problems(app)
    assert len(problems) == 2 and "不是有效的注册单位" in problems[0] and "不接受此类单位" in problems[1]


@pytest.mark.django_db
def test_submit_refused_lists_every_reason_and_writes_nothing():
    app = ApplicationFactory(budget_requested=Decimal("2000"))
    before = AuditEvent.objects.count()
    with pytest.raises(InvalidTransition) as exc:
        services.application_submit(actor=app.leader, application=app)
    assert "超过榜单上限" in str(exc.value) and "不一致" in str(exc.value)
    app.refresh_from_db()
    assert app.status == "draft" and AuditEvent.objects.count() == before


@pytest.mark.django_db
def test_application_optimistic_lock():
    app = ApplicationFactory()
    v = app.version
    services.application_update(actor=app.leader, application=app, expected_version=v, title="新名称")
    stale = type(app).objects.get(pk=app.pk)
    stale.version = v  # a second editor still holds the old version
    with pytest.raises(Conflict):
        services.application_update(actor=app.leader, application=stale, expected_version=v, title="覆盖")
    app.refresh_from_db()
    assert app.title == "新名称" and app.version == v + 1


@pytest.mark.django_db
def test_edit_refused_to_other_units_and_after_submit(make_user):
    app = ApplicationFactory()
    with pytest.raises(PermissionDenied):
        services.application_update(
            actor=make_user(Role.APPLICANT), application=app, expected_version=app.version, title="x"
        )
    services.application_submit(actor=app.leader, application=app)
    with pytest.raises(PermissionDenied):
        services.application_update(
            actor=app.leader, application=app, expected_version=app.version, title="x"
        )


@pytest.mark.django_db
def test_one_application_per_unit_and_deadline(make_user):
    ch = ChallengeFactory(published=True)
    user = make_user(Role.APPLICANT)
    services.application_create(actor=user, challenge=ch, title="甲")
    with pytest.raises(ApplicationError) as exc:
        services.application_create(actor=user, challenge=ch, title="乙")
    assert exc.value.code == "duplicate"
    with time_machine.travel(ch.deadline, tick=False), pytest.raises(ApplicationError) as exc:
        services.application_create(actor=make_user(Role.APPLICANT), challenge=ch, title="丙")
    assert exc.value.code == "deadline_passed"


def _publicity_ready(staff, *, winners=1, racing=False):
    ch = ChallengeFactory(closed=True, max_winners=2 if racing else 1)
    apps = [ApplicationFactory(challenge=ch, under_review=True) for _ in range(winners + 1)]
    return ch, apps


@pytest.mark.django_db
def test_decision_limits_and_upheld_objection(staff, make_user):
    ch, (a1, a2) = _publicity_ready(staff)
    with pytest.raises(ApplicationError) as exc:
        services.decision_publish(actor=staff, challenge=ch, winners=[a1, a2])
    assert exc.value.code == "too_many_winners"
    with pytest.raises(ApplicationError):
        services.decision_publish(actor=staff, challenge=ch, winners=[a1], days=3)
    today = datetime.date(2026, 5, 1)
    with time_machine.travel(datetime.datetime(2026, 5, 1, 10, tzinfo=datetime.UTC), tick=False):
        services.decision_publish(actor=staff, challenge=ch, winners=[a1], starts_on=today, days=5)
        a2.refresh_from_db()
        assert a2.status == "rejected"
        obj = services.objection_lodge(actor=make_user(Role.APPLICANT), application=a1, text="成果造假")
        with pytest.raises(ApplicationError):
            services.objection_lodge(
                actor=make_user(Role.APPLICANT), application=a2, text="x"
            )  # not proposed
        with pytest.raises(PermissionDenied):
            services.objection_answer(
                actor=make_user(Role.COMMISSIONER), objection=obj, upheld=True, answer="成立"
            )
        services.objection_answer(actor=staff, objection=obj, upheld=True, answer="经核查属实")
        a1.refresh_from_db()
        assert a1.status == "rejected"
    with time_machine.travel(datetime.datetime(2026, 5, 7, 10, tzinfo=datetime.UTC), tick=False):
        with pytest.raises(InvalidTransition) as exc:
            services.award_confirm(actor=staff, challenge=ch)
        assert "没有拟立项" in str(exc.value)
    assert AuditEvent.objects.filter(
        action="application.reject", object_id=str(a1.pk), reason__contains="公示异议成立"
    ).exists()


@pytest.mark.django_db
def test_racing_downselect_stops_and_merges(staff):
    ch = ChallengeFactory(status="awarded", max_winners=3)
    c1, c2, c3 = (ContractFactory(application__challenge=ch, running=True) for _ in range(3))
    with pytest.raises(ApplicationError):
        services.downselect_record(
            actor=staff, challenge=ch, note="评估", outcomes={c1.pk: "keep"}
        )  # not all teams
    with pytest.raises(ApplicationError):
        services.downselect_record(
            actor=staff, challenge=ch, note="评估", outcomes={c1.pk: "stop", c2.pk: "stop", c3.pk: "stop"}
        )
    with pytest.raises(ApplicationError):
        services.downselect_record(
            actor=staff,
            challenge=ch,
            note="评估",
            outcomes={c1.pk: "keep", c2.pk: ("merge", c3.pk), c3.pk: "stop"},
        )
    ds = services.downselect_record(
        actor=staff,
        challenge=ch,
        note="阶段评估",
        outcomes={c1.pk: "keep", c2.pk: ("merge", c1.pk), c3.pk: "stop"},
    )
    statuses = dict(Contract.objects.filter(challenge=ch).values_list("pk", "status"))
    assert statuses == {c1.pk: "in_progress", c2.pk: "merged", c3.pk: "stopped"}
    assert Contract.objects.get(pk=c2.pk).merged_into_id == c1.pk
    assert ds.outcomes.count() == 3 and DownSelectOutcome.objects.filter(outcome="merge").count() == 1
    single = ChallengeFactory(status="awarded")
    ContractFactory(application__challenge=single, running=True)
    with pytest.raises(ApplicationError) as exc:
        services.downselect_record(actor=staff, challenge=single, note="x", outcomes={})
    assert exc.value.code == "not_racing"


@pytest.mark.django_db
def test_change_requests_budget_team_and_refusals(staff):
    c = ContractFactory(running=True)
    leader = c.leader
    with pytest.raises(ApplicationError):
        services.change_request_create(
            actor=leader, contract=c, kind="budget", reason="涨价", payload={"budget": "5000"}
        )  # over ceiling
    cr = services.change_request_create(
        actor=leader, contract=c, kind="budget", reason="设备涨价", payload={"budget": "800"}
    )
    with pytest.raises(ApplicationError):
        services.change_request_create(
            actor=leader, contract=c, kind="team", reason="x", payload={"team": [{"name": "甲"}]}
        )  # one pending
    with pytest.raises(ApplicationError):
        services.change_request_decide(
            actor=staff, change_request=cr, approve=False, note=""
        )  # reason needed
    services.change_request_decide(actor=staff, change_request=cr, approve=True)
    c.refresh_from_db()
    assert c.budget == Decimal("800") and c.version == 2
    cr2 = services.change_request_create(
        actor=leader,
        contract=c,
        kind="team",
        reason="人员调动",
        payload={"team": [{"name": "新成员", "title": "工程师"}]},
    )
    services.change_request_decide(actor=staff, change_request=cr2, approve=False, note="理由不充分")
    c.refresh_from_db()
    assert c.team == [] and ChangeRequest.objects.get(pk=cr2.pk).status == "rejected"
    assert AuditEvent.objects.filter(action="contract.change", object_id=str(c.pk)).count() == 1


@pytest.mark.django_db
def test_commissioner_edits_only_own_projects(make_user):
    c = ContractFactory()
    other = make_user(Role.COMMISSIONER)
    with pytest.raises(PermissionDenied):
        services.contract_update(actor=other, contract=c, expected_version=c.version, title="改名")
    services.contract_update(actor=c.commissioner, contract=c, expected_version=c.version, title="改名")
    c.refresh_from_db()
    assert c.title == "改名"
    ms = c.milestones.get(seq=1)
    Contract.objects.filter(pk=c.pk).update(status="in_progress")
    services.milestone_report(actor=c.leader, milestone=ms, report="完成", values={"晶圆直径": 6})
    with pytest.raises(PermissionDenied):
        services.milestone_verify(actor=other, milestone=ms)
    with pytest.raises(InvalidTransition):
        services.milestone_send_back(actor=c.commissioner, milestone=ms, reason="")  # a reason is required
    services.milestone_send_back(actor=c.commissioner, milestone=ms, reason="缺检测报告")
    ms.refresh_from_db()
    assert ms.status == "target"


@pytest.mark.django_db
def test_flag_command_with_frozen_clock(commissioner):
    c = ContractFactory(running=True, commissioner=commissioner)  # M1 due 2026-12-31, M2 due 2027-12-31
    with time_machine.travel(datetime.datetime(2026, 11, 30, 9, tzinfo=datetime.UTC), tick=False):
        call_command("flag_milestones")  # 31 days before: not yet at risk
    assert set(Milestone.objects.filter(contract=c).values_list("flag", flat=True)) == {""}
    with time_machine.travel(datetime.datetime(2026, 12, 1, 9, tzinfo=datetime.UTC), tick=False):
        call_command("flag_milestones")  # 30 days before: at risk
    assert Milestone.objects.get(contract=c, seq=1).flag == "at_risk"
    call_command("flag_milestones", today="2027-01-01")
    m1 = Milestone.objects.get(contract=c, seq=1)
    assert (m1.flag, Milestone.objects.get(contract=c, seq=2).flag) == ("overdue", "")
    from kechuang.challenges import dashboard

    tasks = dashboard.tasks_for(commissioner)
    assert [t.overdue for t in tasks if t.kind == "milestone_flag"] == [True]
    cards = {card.title: card.value for card in dashboard.cards_for(commissioner)}
    assert cards["逾期里程碑"] == "1"
    # Reporting clears the flag; the next run leaves it cleared.
    services.milestone_report(actor=c.leader, milestone=m1, report="完成", values={"晶圆直径": 6})
    call_command("flag_milestones", today="2027-01-02")
    assert Milestone.objects.get(pk=m1.pk).flag == ""


@pytest.mark.django_db
def test_flag_closes_past_deadline_challenges():
    ch = ChallengeFactory(published=True)
    with time_machine.travel(ch.deadline + datetime.timedelta(seconds=1), tick=False):
        call_command("flag_milestones")
    ch.refresh_from_db()
    assert ch.status == "closed"
    assert AuditEvent.objects.filter(action="challenge.close", actor_repr="system").exists()


@pytest.mark.django_db
def test_topic_create_interface_and_coverage(staff):
    need = NeedFactory()
    t = services.topic_create(
        actor=staff, title="城市能源互联网", track="carbon", trl_baseline=4, trl_target=6, needs=[need]
    )
    assert (t.track, t.trl_baseline, t.trl_target, list(t.needs.all())) == ("carbon", 4, 6, [need])
    assert t.get_absolute_url().endswith(f"/topics/{t.pk}/") and t.coverage_active() is False
    with pytest.raises(Exception):  # noqa: B017 - full_clean's ValidationError
        services.topic_create(actor=staff, title="倒挂", trl_baseline=7, trl_target=3)
    with pytest.raises(ApplicationError):
        services.topic_create(actor=staff, title="再次归并", needs=[need])  # a need belongs to one topic
    contract = ContractFactory(application__challenge__topic=TopicFactory())
    assert contract.coverage_active() and contract.challenge.topic.coverage_active()
    Contract.objects.filter(pk=contract.pk).update(status="finished")
    contract.refresh_from_db()
    assert not contract.coverage_active()


@pytest.mark.django_db
def test_midterm_score_by_hand():
    c = ContractFactory(running=True)
    m1 = c.milestones.get(seq=1)
    services.milestone_report(actor=c.leader, milestone=m1, report="完成", values={"晶圆直径": 7})
    services.milestone_verify(actor=c.commissioner, milestone=m1)
    # Diameter 4 → 8, at 7: progress 0.75; micropipes 5 → 1 not reported: 0. Indicators: 37.5.
    # On 2027-01-15 one milestone is due and verified: 100. Total (37.5 + 100) / 2 = 68.75.
    s = services.midterm_score(c, datetime.date(2027, 1, 15))
    assert (s["indicator_score"], s["milestone_score"], s["score"]) == (37.5, 100.0, 68.75)
    # Before anything is due there is nothing to score the milestones on: none, and the total is the indicators'.
    early = services.midterm_score(c, datetime.date(2026, 6, 1))
    assert (early["milestone_score"], early["milestones_due"]) == (None, 0)
    assert early["score"] == early["indicator_score"]
    unit = UnitFactory()
    assert unit.pk  # the factory import stays honest
