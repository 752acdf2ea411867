"""Every place a restriction bites refuses with the reason in words: eligibility (submit), the formal check,
the decision and the award (challenges), and expert assignment by solver, by random draw and by hand
(review)."""

import datetime

import pytest
from django.utils import timezone

from kechuang.accounts.tests.factories import UnitFactory
from kechuang.challenges import selectors as ch_selectors
from kechuang.challenges import services as ch
from kechuang.challenges.models import ApplicationMember
from kechuang.challenges.tests.factories import ApplicationFactory, ChallengeFactory
from kechuang.core.exceptions import ApplicationError, InvalidTransition
from kechuang.core.models import AuditEvent
from kechuang.review import services as rv
from kechuang.review.models import Assignment
from kechuang.review.tests.factories import ExpertProfileFactory, ExternalSubjectFactory, ReviewFormFactory

from .factories import RecordFactory


def test_a_barred_unit_cannot_submit(db):
    app = ApplicationFactory()
    RecordFactory(unit=app.unit, decision="三年内不得申报")
    with pytest.raises(InvalidTransition) as exc:
        ch.application_submit(actor=app.leader, application=app)
    assert f"揭榜单位“{app.unit}”受科研诚信处理" in str(exc.value) and "不得申报项目" in str(exc.value)
    app.refresh_from_db()
    assert app.status == "draft"


def test_a_barred_leader_or_member_makes_the_application_ineligible(db):
    app = ApplicationFactory()
    assert ch_selectors.eligibility_problems(app) == []
    RecordFactory(person=app.leader)
    assert any(
        p.startswith(f"挂帅人{app.leader}受科研诚信处理") for p in ch_selectors.eligibility_problems(app)
    )


def test_a_member_without_an_account_is_matched_by_name_at_the_unit(db):
    app = ApplicationFactory()
    ApplicationMember.objects.create(application=app, name="钱七")
    RecordFactory(subject_kind="person", unit=app.unit, person_name="钱七")
    [problem] = ch_selectors.eligibility_problems(app)
    assert problem.startswith("团队成员钱七受科研诚信处理")


def test_other_restrictions_do_not_stop_an_application(db):
    app = ApplicationFactory()
    RecordFactory(unit=app.unit, bars_applying=False, bars_awards=True)
    ch.application_submit(actor=app.leader, application=app)
    assert app.status == "submitted"


def test_the_formal_check_refuses_what_a_later_restriction_bars(staff):
    app = ApplicationFactory(submitted=True)
    RecordFactory(unit=app.unit)
    with pytest.raises(ApplicationError, match="不能通过形式审查：揭榜单位") as exc:
        ch.formal_check(actor=staff, application=app, passed=True)
    assert exc.value.code == "integrity_restricted"
    app.refresh_from_db()
    assert app.status == "submitted"
    ch.formal_check(actor=staff, application=app, passed=False, reasons="受科研诚信限制", final=True)


def test_the_decision_refuses_a_winner_barred_from_awards(staff):
    challenge = ChallengeFactory(closed=True)
    app = ApplicationFactory(challenge=challenge, under_review=True)
    RecordFactory(person=app.leader, bars_applying=False, bars_awards=True, decision="一年内不得立项")
    with pytest.raises(ApplicationError, match="受科研诚信限制，不能立项") as exc:
        ch.decision_publish(actor=staff, challenge=challenge, winners=[app])
    assert "一年内不得立项" in str(exc.value) and "不得立项或获奖" in str(exc.value)
    app.refresh_from_db()
    assert app.status == "under_review"


def test_the_award_refuses_a_winner_barred_after_the_publicity(staff):
    challenge = ChallengeFactory(closed=True)
    app = ApplicationFactory(challenge=challenge, under_review=True)
    start = timezone.localdate() - datetime.timedelta(days=10)
    ch.decision_publish(actor=staff, challenge=challenge, winners=[app], starts_on=start, days=7)
    RecordFactory(unit=app.unit, bars_applying=False, bars_awards=True)
    with pytest.raises(ApplicationError, match="受科研诚信限制，不能立项"):
        ch.award_confirm(actor=staff, challenge=challenge)
    app.refresh_from_db()
    challenge.refresh_from_db()
    assert (app.status, challenge.status) == ("proposed", "closed")


@pytest.fixture
def pool(staff):
    experts = [ExpertProfileFactory() for _ in range(5)]
    subjects = [ExternalSubjectFactory(unit=UnitFactory()) for _ in range(3)]
    return experts, subjects


@pytest.mark.parametrize("mode", ["optimal", "fair", "random"])
def test_solver_and_draw_leave_a_barred_expert_out_with_the_reason(staff, pool, mode):
    experts, subjects = pool
    barred = experts[0].user
    RecordFactory(person=barred, bars_applying=False, bars_expert_work=True, decision="取消评审专家资格")
    rnd = rv.round_create(
        actor=staff,
        title="轮次",
        subjects=subjects,
        form=ReviewFormFactory(),
        k=2,
        max_load=3,
        mode=mode,
    )
    rnd = rv.round_assign(actor=staff, round=rnd)
    assert Assignment.objects.filter(round=rnd).count() == 6
    assert not Assignment.objects.filter(round=rnd, expert=barred).exists()
    [[uid, reason]] = rnd.solver_result["barred"]
    assert uid == barred.pk and "取消评审专家资格" in reason and "不得担任评审专家" in reason
    event = AuditEvent.objects.filter(action="round.assign_result").latest("pk")
    assert event.after["barred"] == [barred.pk]


def test_by_hand_a_barred_expert_is_refused_with_the_reason(staff, pool):
    experts, subjects = pool
    barred = experts[1].user
    RecordFactory(person=barred, bars_applying=False, bars_expert_work=True)
    rnd = rv.round_create(actor=staff, title="轮次", subjects=subjects, form=ReviewFormFactory(), k=1)
    with pytest.raises(ApplicationError, match="该专家受科研诚信限制，不能分配") as exc:
        rv.assignment_create_manual(actor=staff, round=rnd, subject=subjects[0], expert=barred, reason="补充")
    assert exc.value.code == "integrity_restricted" and str(barred) in str(exc.value)
    assert not Assignment.objects.filter(round=rnd).exists()
    # an expert whose restriction has ended may be assigned again
    free = experts[2].user
    RecordFactory(
        person=free,
        bars_applying=False,
        bars_expert_work=True,
        decided_on=timezone.localdate() - datetime.timedelta(days=800),
        starts_on=timezone.localdate() - datetime.timedelta(days=800),
        ends_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    rv.assignment_create_manual(actor=staff, round=rnd, subject=subjects[0], expert=free, reason="补充")


def test_a_unit_restriction_is_not_an_expert_restriction(staff, pool):
    experts, subjects = pool
    user = experts[3].user
    RecordFactory(unit=user.unit, bars_awards=True)
    rnd = rv.round_create(actor=staff, title="轮次", subjects=subjects, form=ReviewFormFactory(), k=1)
    rv.assignment_create_manual(actor=staff, round=rnd, subject=subjects[0], expert=user, reason="补充")
    assert Assignment.objects.filter(round=rnd, expert=user).exists()
