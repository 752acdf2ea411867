"""The money services against the database: each state change, each refusal with its reason, each role."""

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from kechuang.accounts.tests.factories import UnitFactory, UserFactory
from kechuang.challenges.tests.factories import ApplicationFactory, ContractFactory
from kechuang.core.exceptions import ApplicationError, InvalidTransition, PermissionDenied
from kechuang.core.models import AuditEvent
from kechuang.core.roles import Role
from kechuang.funds import selectors, services
from kechuang.funds.models import BudgetLine, FinalAccount, Payment

from .conftest import BUDGET, PDF, pay, verify


def xlsx() -> bytes:
    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


def test_the_application_budget_is_kept_by_line_and_audited(db):
    app = ApplicationFactory()
    services.application_budget_set(actor=app.leader, application=app, lines=BUDGET)
    rows = {r["line"]: r for r in selectors.budget_rows(application=app)}
    assert rows["equipment"]["fiscal"] == Decimal("2000000.00")
    assert rows["equipment"]["self_raised"] == Decimal("500000.00")
    e = AuditEvent.objects.get(action="funds.budget_set")
    assert e.after["indirect"]["fiscal"] == "1000000.00"


def test_a_budget_over_the_cap_is_refused_with_the_cap(db):
    app = ApplicationFactory()
    lines = [{"line": "business", "fiscal": "4900000"}, {"line": "indirect", "fiscal": "1100000"}]
    with pytest.raises(ApplicationError, match="间接费用 110 万元超过上限.*98 万元"):
        services.application_budget_set(actor=app.leader, application=app, lines=lines)
    assert not BudgetLine.objects.exists()


def test_a_budget_not_adding_up_to_the_request_is_refused(db):
    app = ApplicationFactory()
    with pytest.raises(ApplicationError, match="与申请财政经费 600 万元不一致"):
        services.application_budget_set(actor=app.leader, application=app, lines=BUDGET[:2])


def test_the_call_rules_set_by_staff_apply(db, staff):
    app = ApplicationFactory()
    services.rules_set(
        actor=staff,
        challenge=app.challenge,
        indirect_max_pct=Decimal("10"),
        adjust_small_pct=Decimal("5"),
        adjust_small_amount=Decimal("50000"),
    )
    with pytest.raises(ApplicationError, match="10%"):
        services.application_budget_set(actor=app.leader, application=app, lines=BUDGET)
    assert AuditEvent.objects.filter(action="funds.rules_set").exists()


@pytest.mark.parametrize("role", [Role.COMMISSIONER, Role.APPLICANT, Role.EXPERT])
def test_only_staff_set_rules(db, make_user, role):
    app = ApplicationFactory()
    with pytest.raises(PermissionDenied):
        services.rules_set(
            actor=make_user(role),
            challenge=app.challenge,
            indirect_max_pct=Decimal("10"),
            adjust_small_pct=Decimal("5"),
            adjust_small_amount=Decimal("1"),
        )


def test_another_unit_and_staff_cannot_enter_the_budget(db, staff, make_user):
    app = ApplicationFactory()
    for actor in (staff, make_user(Role.APPLICANT)):
        with pytest.raises(PermissionDenied):
            services.application_budget_set(actor=actor, application=app, lines=BUDGET)


def test_submission_is_refused_while_the_budget_breaks_the_rules(db, staff):
    app = ApplicationFactory()
    services.application_budget_set(actor=app.leader, application=app, lines=BUDGET)
    services.rules_set(
        actor=staff,
        challenge=app.challenge,
        indirect_max_pct=Decimal("5"),
        adjust_small_pct=Decimal("5"),
        adjust_small_amount=Decimal("1"),
    )
    from kechuang.challenges.selectors import eligibility_problems

    assert any("间接费用" in p for p in eligibility_problems(app))


def test_signing_carries_the_budget_and_plans_one_payment_per_tranche(signed):
    assert selectors.fiscal_by_line(contract=signed)["equipment"] == Decimal("2000000.00")
    payments = list(Payment.objects.filter(contract=signed).order_by("milestone__seq"))
    assert [p.amount for p in payments] == [Decimal("3000000.00"), Decimal("3000000.00")]
    assert {p.status for p in payments} == {"planned"}
    assert AuditEvent.objects.filter(action="funds.ledger_open").count() == 1


def test_verifying_the_milestone_makes_its_tranche_payable(signed):
    p = verify(signed)
    assert p.status == "payable"
    e = AuditEvent.objects.get(action="payment.due")
    assert e.actor == signed.commissioner


def test_approve_and_pay_with_a_voucher(signed, staff):
    p = verify(signed)
    services.payment_transition(actor=staff, payment=p, action="approve")
    services.payment_transition(
        actor=staff,
        payment=p,
        action="pay",
        paid_on=datetime.date(2026, 1, 5),
        paid_amount=Decimal("3000000"),
        voucher=(PDF, "拨付凭证.pdf"),
    )
    p.refresh_from_db()
    assert (p.status, p.paid_amount, p.voucher_name) == ("paid", Decimal("3000000.00"), "拨付凭证.pdf")
    assert p.voucher.read() == PDF
    assert selectors.received_of(signed) == Decimal("3000000.00")
    assert {"payment.approve", "payment.pay", "funds.voucher"} <= set(
        AuditEvent.objects.values_list("action", flat=True)
    )


def test_a_payment_without_voucher_or_over_the_plan_is_refused_and_stores_nothing(signed, staff):
    p = verify(signed)
    services.payment_transition(actor=staff, payment=p, action="approve")
    with pytest.raises(InvalidTransition, match="凭证"):
        services.payment_transition(
            actor=staff, payment=p, action="pay", paid_on=datetime.date(2026, 1, 5), paid_amount="1"
        )
    with pytest.raises(InvalidTransition, match="超过计划金额"):
        services.payment_transition(
            actor=staff,
            payment=p,
            action="pay",
            paid_on=datetime.date(2026, 1, 5),
            paid_amount="3000000.01",
            voucher=(PDF, "a.pdf"),
        )
    with pytest.raises(ApplicationError, match="精确到分"):
        services.payment_transition(
            actor=staff,
            payment=p,
            action="pay",
            paid_on=datetime.date(2026, 1, 5),
            paid_amount="1.001",
            voucher=(PDF, "a.pdf"),
        )
    with pytest.raises(ApplicationError):
        services.payment_transition(
            actor=staff,
            payment=p,
            action="pay",
            paid_on=datetime.date(2026, 1, 5),
            paid_amount="1",
            voucher=(b"MZ\x90\x00not a pdf", "a.pdf"),
        )
    p.refresh_from_db()
    assert p.status == "approved" and not p.voucher


def test_a_planned_tranche_cannot_be_approved(signed, staff):
    p = Payment.objects.filter(contract=signed).first()
    with pytest.raises(InvalidTransition, match="当前状态"):
        services.payment_transition(actor=staff, payment=p, action="approve")


def test_withhold_with_reason_and_reinstate(signed, staff):
    p = verify(signed)
    with pytest.raises(InvalidTransition, match="理由"):
        services.payment_transition(actor=staff, payment=p, action="withhold")
    services.payment_transition(actor=staff, payment=p, action="withhold", reason="审计发现问题")
    p.refresh_from_db()
    assert (p.status, p.withheld_reason) == ("withheld", "审计发现问题")
    services.payment_transition(actor=staff, payment=p, action="reinstate", reason="整改完成")
    p.refresh_from_db()
    assert (p.status, p.withheld_reason) == ("payable", "")


@pytest.mark.parametrize("who", ["commissioner", "leader"])
def test_the_commissioner_and_the_unit_cannot_move_money(signed, who):
    p = verify(signed)
    with pytest.raises(PermissionDenied):
        services.payment_transition(actor=getattr(signed, who), payment=p, action="approve")


def test_cofunding_receipts(staff, db):
    cofunder = UnitFactory()
    c = ContractFactory(
        running=True,
        application__challenge__cofunder=cofunder,
        application__challenge__cofund_share=Decimal("30"),
    )
    r = services.cofunding_record(
        actor=staff, contract=c, amount_yuan="1000000.50", received_on=datetime.date(2026, 2, 1)
    )
    assert (r.cofunder, r.amount) == (cofunder, Decimal("1000000.50"))
    with pytest.raises(ApplicationError, match="晚于今天"):
        services.cofunding_record(
            actor=staff, contract=c, amount_yuan="1", received_on=datetime.date(2999, 1, 1)
        )
    with pytest.raises(ApplicationError, match="没有联合出资单位"):
        services.cofunding_record(
            actor=staff,
            contract=ContractFactory(running=True),
            amount_yuan="1",
            received_on=datetime.date(2026, 1, 1),
        )
    with pytest.raises(PermissionDenied):
        services.cofunding_record(
            actor=c.commissioner, contract=c, amount_yuan="1", received_on=datetime.date(2026, 1, 1)
        )


def test_spending_by_period_and_line(signed):
    services.spending_report_set(
        actor=signed.leader,
        contract=signed,
        year=2026,
        quarter=1,
        lines={"equipment": "1000000", "labour": "0.01"},
    )
    services.spending_report_set(
        actor=signed.leader, contract=signed, year=2026, quarter=2, lines={"equipment": "500000"}
    )
    # a correction replaces its quarter, audited with the old figures
    services.spending_report_set(
        actor=signed.leader, contract=signed, year=2026, quarter=2, lines={"equipment": "400000"}
    )
    assert selectors.spending_by_line(signed) == {
        "equipment": Decimal("1400000.00"),
        "labour": Decimal("0.01"),
    }
    rows = {r["line"]: r for r in selectors.execution_rows(signed)}
    assert rows["equipment"]["left"] == Decimal("1100000.00")
    assert AuditEvent.objects.filter(action="funds.spending_report").order_by("pk").last().before[
        "lines"
    ] == {"equipment": "500000.00"}
    with pytest.raises(PermissionDenied):
        services.spending_report_set(
            actor=signed.commissioner, contract=signed, year=2026, quarter=3, lines={}
        )


def test_small_adjustment_by_the_commissioner_large_by_staff(signed, staff):
    small = services.adjustment_request(
        actor=signed.leader,
        contract=signed,
        source="business",
        target="equipment",
        amount_yuan="100000",
        reason="设备涨价",
    )
    assert not small.large
    services.adjustment_decide(actor=signed.commissioner, adjustment=small, approve=True)
    lines = selectors.fiscal_by_line(contract=signed)
    assert (lines["business"], lines["equipment"]) == (Decimal("2400000.00"), Decimal("2100000.00"))
    assert sum(lines.values()) == Decimal("6000000.00")
    large = services.adjustment_request(
        actor=signed.leader,
        contract=signed,
        source="business",
        target="labour",
        amount_yuan="500000",
        reason="增加人员",
    )
    assert large.large
    with pytest.raises(InvalidTransition, match="科技厅审批"):
        services.adjustment_decide(actor=signed.commissioner, adjustment=large, approve=True)
    services.adjustment_decide(actor=staff, adjustment=large, approve=False, note="理由不充分")
    large.refresh_from_db()
    assert large.status == "rejected"
    with pytest.raises(ApplicationError, match="不得调增"):
        services.adjustment_request(
            actor=signed.leader,
            contract=signed,
            source="business",
            target="indirect",
            amount_yuan="1",
            reason="x",
        )
    with pytest.raises(PermissionDenied):
        services.adjustment_request(
            actor=signed.commissioner,
            contract=signed,
            source="business",
            target="labour",
            amount_yuan="1",
            reason="x",
        )
    other = UserFactory(roles=[Role.COMMISSIONER])
    with pytest.raises(PermissionDenied):
        services.adjustment_decide(actor=other, adjustment=large, approve=True)


def test_final_accounts_with_the_balance_and_its_handling(signed, staff):
    pay(staff, verify(signed), "3000000")
    services.spending_report_set(
        actor=signed.leader, contract=signed, year=2026, quarter=1, lines={"business": "2999999.99"}
    )
    with pytest.raises(ApplicationError, match="0.000001 万元"):
        services.final_account_draft(actor=signed.leader, contract=signed, handling="no_balance")
    fa = services.final_account_draft(
        actor=signed.leader, contract=signed, handling="return_fund", note="结余收回"
    )
    assert (fa.received, fa.spent, fa.balance) == (
        Decimal("3000000.00"),
        Decimal("2999999.99"),
        Decimal("0.01"),
    )
    with pytest.raises(InvalidTransition, match="验收"):
        services.final_account_transition(actor=signed.leader, account=fa, action="submit")
    Contract = type(signed)
    Contract.objects.filter(pk=signed.pk).update(status="acceptance")
    fa.contract.refresh_from_db()
    services.final_account_transition(actor=signed.leader, account=fa, action="submit")
    with pytest.raises(PermissionDenied):
        services.final_account_transition(actor=signed.leader, account=fa, action="confirm")
    services.final_account_transition(actor=staff, account=fa, action="confirm")
    assert FinalAccount.objects.get().status == "confirmed"
    with pytest.raises(ApplicationError, match="已提交"):
        services.final_account_draft(actor=signed.leader, contract=signed, handling="keep_balance")


def test_the_overview_groups_committed_payable_paid_withheld(signed, staff):
    pay(staff, verify(signed), "2999999.99")
    other = Payment.objects.get(contract=signed, milestone__seq=2)
    services.payment_transition(actor=staff, payment=other, action="withhold", reason="暂缓")
    for by in ("programme", "year", "unit", "project"):
        (row,) = selectors.overview(by=by)
        assert (row.committed, row.paid, row.withheld, row.projects) == (
            Decimal("6000000.00"),
            Decimal("2999999.99"),
            Decimal("3000000.00"),
            1,
        )
        assert row.label and "None" not in row.label


def test_changing_the_rules_needs_the_version_read(db, staff):
    from kechuang.core.exceptions import Conflict

    app = ApplicationFactory()
    kw = {
        "indirect_max_pct": Decimal("15"),
        "adjust_small_pct": Decimal("5"),
        "adjust_small_amount": Decimal("1"),
    }
    row = services.rules_set(actor=staff, challenge=app.challenge, **kw)
    with pytest.raises(Conflict):
        services.rules_set(actor=staff, challenge=app.challenge, **kw)  # names no version
    with pytest.raises(Conflict):
        services.rules_set(actor=staff, challenge=app.challenge, expected_version=row.version - 1, **kw)
    row = services.rules_set(
        actor=staff,
        challenge=app.challenge,
        expected_version=row.version,
        **{**kw, "indirect_max_pct": Decimal("12")},
    )
    row.refresh_from_db()
    assert row.indirect_max_pct == Decimal("12")
