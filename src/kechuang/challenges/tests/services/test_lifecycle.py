"""One challenge from a need to a transferred result, through the service layer, with a frozen clock."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core import mail

from kechuang.accounts.tests.factories import UnitFactory
from kechuang.challenges import selectors, services
from kechuang.challenges.models import (
    Application,
    Challenge,
    ChangeRequest,
    Contract,
    Need,
    Objection,
)
from kechuang.core.exceptions import ApplicationError, InvalidTransition, PermissionDenied
from kechuang.core.models import AuditEvent, Notification
from kechuang.core.roles import Role

from .. import factories

TZ = datetime.timezone(datetime.timedelta(hours=8))


def at(y, m, d, h=10):
    return datetime.datetime(y, m, d, h, tzinfo=TZ)


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.mark.django_db
def test_need_to_transferred_result(make_user):
    staff = make_user(Role.STAFF)
    firm = UnitFactory(name="山西碳化硅材料有限公司")
    applicant = make_user(Role.APPLICANT, unit=firm)
    other = make_user(Role.APPLICANT)
    commissioner = make_user(Role.COMMISSIONER)
    other_commissioner = make_user(Role.COMMISSIONER)

    with time_machine.travel(at(2026, 3, 1), tick=False):
        # 1. Needs, grouped by similarity into a topic.
        n1 = services.need_submit(
            actor=applicant,
            title="碳化硅单晶衬底",
            problem="8英寸碳化硅单晶衬底生长工艺，降低微管密度",
            industry="新材料",
            cofund_budget=Decimal("500"),
        )
        n2 = services.need_submit(
            actor=other,
            title="碳化硅衬底良率",
            problem="碳化硅单晶生长微管密度高，衬底良率低",
            industry="新材料",
        )
        n3 = services.need_submit(
            actor=other, title="人源胶原蛋白", problem="重组人源胶原蛋白规模化发酵与纯化", industry="生物医药"
        )
        assert n1.unit == firm and n2.unit == other.unit
        groups = selectors.need_groups_propose(threshold=0.2)
        assert [sorted(n.pk for n in needs) for _g, needs in groups] == [sorted([n1.pk, n2.pk])]
        with pytest.raises(PermissionDenied):
            services.topic_create(actor=applicant, title="x")
        topic = services.topic_create(
            actor=staff,
            title="碳化硅单晶衬底及生长工艺",
            track="industrialisation",
            trl_baseline=5,
            trl_target=8,
            needs=groups[0][1],
        )
        assert set(topic.needs.values_list("pk", flat=True)) == {n1.pk, n2.pk}
        assert Need.objects.get(pk=n3.pk).topic is None

        # 2. The challenge list, drafted and published.
        ch = services.challenge_create(
            actor=staff,
            code="JB-2026-001",
            year=2026,
            topic=topic,
            title="8英寸碳化硅单晶衬底",
            problem="突破8英寸碳化硅单晶生长",
            budget_ceiling=Decimal("1000"),
            deadline=at(2026, 4, 1, 17),
            criteria=[dict(c) for c in factories.CRITERIA],
            indicators=[
                {"name": "晶圆直径", "name_en": "Wafer diameter", "unit": "英寸", "baseline": 6, "target": 8},
                {"name": "微管密度", "unit": "个/cm²", "baseline": 5, "target": 1, "higher_is_better": False},
            ],
        )
        assert not topic.coverage_active()
        services.challenge_publish(actor=staff, challenge=ch)
        assert ch.status == Challenge.Status.PUBLISHED and topic.coverage_active() and ch.coverage_active()

        # 3. The application: team, milestones with targets and tranches, an attachment; submit, withdraw, resubmit.
        app = services.application_create(
            actor=applicant,
            challenge=ch,
            title="8英寸SiC衬底产业化",
            plan="PVT法温场优化",
            budget_requested=Decimal("800"),
        )
        services.application_team_set(
            actor=applicant, application=app, members=[{"name": "王工", "title": "高工"}]
        )
        services.application_milestones_set(
            actor=applicant,
            application=app,
            milestones=[
                {"title": "中试线", "month": 12, "tranche": "400", "targets": {"晶圆直径": "8"}},
                {
                    "title": "量产",
                    "month": 24,
                    "tranche": "300",
                    "targets": {"晶圆直径": "8", "微管密度": "1"},
                },
            ],
        )
        services.attachment_add(actor=applicant, application=app, data=PDF, filename="方案.pdf", kind="plan")
        with pytest.raises(InvalidTransition) as exc:
            services.application_submit(actor=applicant, application=app)
        assert "700" in str(exc.value) and "800" in str(exc.value)  # tranches 400 + 300 ≠ 800 requested
        services.application_update(
            actor=applicant, application=app, expected_version=app.version, budget_requested=Decimal("700")
        )
        services.application_submit(actor=applicant, application=app)
        assert app.status == Application.Status.SUBMITTED
        services.application_withdraw(actor=applicant, application=app, reason="补充材料")
        services.application_submit(actor=applicant, application=app)

    # 4. The deadline closes submission.
    with time_machine.travel(at(2026, 4, 2), tick=False):
        rival = factories.ApplicationFactory(
            challenge=ch, status=Application.Status.DRAFT, budget_requested=Decimal("600")
        )
        with pytest.raises(InvalidTransition) as exc:
            services.application_submit(actor=rival.leader, application=rival)
        assert "截止" in str(exc.value)
        with pytest.raises(InvalidTransition):
            services.application_withdraw(actor=applicant, application=app)
        services.challenges_close_due()
        ch.refresh_from_db()
        assert ch.status == Challenge.Status.CLOSED

        # 5. Formal check, review (a panel convened by hand), decision with publicity.
        with pytest.raises(PermissionDenied):
            services.formal_check(actor=applicant, application=app, passed=True)
        services.formal_check(actor=staff, application=app, passed=True, reasons="材料齐全")
        services.review_start_manual(actor=staff, challenge=ch, note="线下专家组")
        services.review_scores_record(actor=staff, challenge=ch, scores={app.pk: 86.5})
        app.refresh_from_db()
        assert (app.status, app.review_score, app.review_rank) == ("under_review", Decimal("86.50"), 1)

    with time_machine.travel(at(2026, 4, 5), tick=False):
        pub = services.decision_publish(actor=staff, challenge=ch, winners=[app], days=7)
        assert (pub.starts_on, pub.ends_on) == (datetime.date(2026, 4, 5), datetime.date(2026, 4, 11))
        objection = services.objection_lodge(actor=other, application=app, text="团队成员资质存疑")
        with pytest.raises(InvalidTransition) as exc:
            services.award_confirm(actor=staff, challenge=ch)
        assert "公示期尚未结束" in str(exc.value)

    with time_machine.travel(at(2026, 4, 12), tick=False):
        with pytest.raises(ApplicationError):
            services.objection_lodge(actor=other, application=app, text="再议")  # publicity over
        with pytest.raises(InvalidTransition) as exc:
            services.award_confirm(actor=staff, challenge=ch)
        assert "异议" in str(exc.value)
        services.objection_answer(actor=staff, objection=objection, upheld=False, answer="经核实资质符合要求")
        assert Objection.objects.get(pk=objection.pk).status == "dismissed"
        (contract,) = services.award_confirm(actor=staff, challenge=ch, start_date=datetime.date(2026, 5, 1))
        app.refresh_from_db()
        assert app.status == "awarded" and ch.status == "awarded"
        assert contract.end_date == datetime.date(2028, 5, 1)
        # the indicators' English names come with them (a rendering; the Chinese is the term: usable10)
        assert list(contract.indicators.values_list("name", "name_en")) == [
            ("晶圆直径", "Wafer diameter"),
            ("微管密度", ""),
        ]
        ms = list(contract.milestones.order_by("seq"))
        assert [m.due_date for m in ms] == [datetime.date(2027, 5, 1), datetime.date(2028, 5, 1)]
        assert [m.values.count() for m in ms] == [1, 2]
        assert Notification.objects.filter(recipient=applicant, kind="application.awarded").exists()

        # 6. Contract: commissioner, signing.
        with pytest.raises(InvalidTransition) as exc:
            services.contract_sign(
                actor=staff, challenge=None, contract=contract
            ) if False else services.contract_sign(actor=staff, contract=contract)
        assert "专员" in str(exc.value)
        services.contract_assign_commissioner(actor=staff, contract=contract, commissioner=commissioner)
        services.contract_sign(actor=staff, contract=contract)
        assert contract.status == Contract.Status.IN_PROGRESS

    # 7. Daily flags with a frozen clock: 20 days before M1 is due it is at risk, after it overdue.
    assert services.milestones_flag(today=datetime.date(2027, 3, 1))["at_risk"] == 0
    counts = services.milestones_flag(today=datetime.date(2027, 4, 11))
    assert (counts["at_risk"], counts["overdue"], counts["newly_flagged"]) == (1, 0, 1)
    counts = services.milestones_flag(today=datetime.date(2027, 5, 2))
    assert (counts["overdue"], counts["newly_flagged"]) == (1, 1)
    assert services.milestones_flag(today=datetime.date(2027, 5, 2))["newly_flagged"] == 0  # idempotent
    m1, m2 = ms
    m1.refresh_from_db()
    assert m1.flag == "overdue"
    assert list(selectors.milestones_flagged(user=commissioner)) == [m1]
    assert list(selectors.milestones_flagged(user=other_commissioner)) == []

    with time_machine.travel(at(2027, 5, 3), tick=False):
        # 8. Milestone reported, verified by the project's own commissioner only.
        with pytest.raises(InvalidTransition) as exc:
            services.milestone_report(actor=applicant, milestone=m1, report="中试线建成", values={})
        assert "报告值" in str(exc.value)
        services.milestone_report(
            actor=applicant, milestone=m1, report="中试线建成", values={"晶圆直径": "8"}
        )
        m1.refresh_from_db()
        assert (m1.status, m1.flag) == ("reported", "")
        with pytest.raises(PermissionDenied):
            services.milestone_verify(actor=other_commissioner, milestone=m1)
        services.milestone_verify(actor=commissioner, milestone=m1)
        assert m1.status == "verified"

        # 9. A change of dates through a change request.
        cr = services.change_request_create(
            actor=applicant,
            contract=contract,
            kind="dates",
            reason="设备到货延迟",
            payload={"milestones": {"2": "2028-06-30"}},
        )
        with pytest.raises(PermissionDenied):
            services.change_request_decide(actor=commissioner, change_request=cr, approve=True)
        services.change_request_decide(actor=staff, change_request=cr, approve=True, note="同意")
        m2.refresh_from_db()
        assert (
            m2.due_date == datetime.date(2028, 6, 30)
            and ChangeRequest.objects.get(pk=cr.pk).status == "approved"
        )

        # 10. Mid-term check: diameter 6 → 8 reached (progress 1.0), micropipes not yet (0) → indicators 50;
        # one milestone due, verified → 100; total (50 + 100) / 2 = 75.
        mc = services.midterm_check_record(actor=commissioner, contract=contract, conclusion="continue")
        assert (mc.indicator_score, mc.milestone_score, mc.score) == (
            Decimal("50.00"),
            Decimal("100.00"),
            Decimal("75.00"),
        )

    with time_machine.travel(at(2028, 6, 1), tick=False):
        with pytest.raises(InvalidTransition):
            services.acceptance_request(actor=applicant, contract=contract)  # M2 not verified
        services.milestone_report(
            actor=applicant,
            milestone=m2,
            report="量产",
            values={
                str(v.indicator_id): "1" if v.indicator.name == "微管密度" else "8"
                for v in m2.values.select_related("indicator")
            },
        )
        services.milestone_verify(actor=commissioner, milestone=m2)
        services.acceptance_request(actor=applicant, contract=contract)
        with pytest.raises(ApplicationError) as exc:
            services.acceptance_record(
                actor=staff, contract=contract, achieved={"晶圆直径": "8", "微管密度": "2"}, verdict="passed"
            )
        assert "微管密度" in str(exc.value)
        acc = services.acceptance_record(
            actor=staff,
            contract=contract,
            achieved={"晶圆直径": "8", "微管密度": "0.8"},
            verdict="passed",
            opinion="全部达标",
        )
        assert [i.met for i in acc.items.order_by("indicator__seq")] == [True, True]
        contract.refresh_from_db()
        assert contract.status == "finished" and not contract.coverage_active()

        # 11. Result and its transfer, then the challenge is finished.
        res = services.result_record(
            actor=applicant,
            contract=contract,
            kind="product",
            title="8英寸导电型碳化硅衬底",
            achieved_on=datetime.date(2028, 5, 20),
        )
        services.transfer_record(
            actor=applicant,
            result=res,
            kind="licence",
            counterparty="某半导体公司",
            amount="1200",
            transferred_on=datetime.date(2028, 5, 30),
        )
        services.challenge_finish(actor=staff, challenge=ch)
        assert ch.status == "finished"
        public = selectors.results_public_list()
        assert [(r.title, r.transfer_total) for r in public] == [
            ("8英寸导电型碳化硅衬底", Decimal("1200.00"))
        ]

    # Every state change was audited.
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    for expected in [
        "need.submit",
        "topic.create",
        "need.group",
        "challenge.create",
        "challenge.publish",
        "application.create",
        "application.submit",
        "application.withdraw",
        "challenge.close",
        "application.pass_formal",
        "application.start_review",
        "application.propose",
        "objection.lodge",
        "objection.answer",
        "challenge.award",
        "application.award",
        "publicity.create",
        "contract.create",
        "contract.assign_commissioner",
        "contract.sign",
        "milestone.flag",
        "milestone.report",
        "milestone.verify",
        "change_request.create",
        "change_request.decide",
        "milestone.reschedule",
        "midterm_check.record",
        "contract.request_acceptance",
        "acceptance.record",
        "contract.pass_acceptance",
        "result.record",
        "transfer.record",
        "challenge.finish",
        "attachment.add",
    ]:
        assert expected in actions, expected
    kinds = set(Notification.objects.values_list("kind", flat=True))
    assert {
        "application.formal_check",
        "objection.lodged",
        "contract.assigned",
        "milestone.reported",
        "milestone.at_risk",
        "milestone.overdue",
        "change_request.created",
        "acceptance.recorded",
    } <= kinds


@pytest.mark.django_db
def test_formal_check_return_mails_the_applicant(make_user, django_capture_on_commit_callbacks):
    staff = make_user(Role.STAFF)
    app = factories.ApplicationFactory(submitted=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.formal_check(actor=staff, application=app, passed=False, reasons="缺少单位盖章页")
    app.refresh_from_db()
    assert app.status == "returned" and app.formal_note == "缺少单位盖章页"
    assert [m.to for m in mail.outbox] == [[app.leader.email]]
    assert "缺少单位盖章页" in mail.outbox[0].body
    # Returned: the applicant may fix and resubmit before the deadline.
    services.application_submit(actor=app.leader, application=app)
    assert app.status == "submitted"
