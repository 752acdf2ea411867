"""The money lifecycles walked without the database: every transition, refusal and role."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from kechuang.core.exceptions import InvalidTransition
from kechuang.funds.workflow import ADJUSTMENT, FINAL_ACCOUNT, PAYMENT, SYSTEM

STAFF, COMM, UNIT = {"staff"}, {"commissioner"}, {"applicant"}
TODAY = datetime.date(2026, 6, 1)
P = SimpleNamespace(amount=Decimal("3000000.00"))
RUNNING = {"contract_status": "in_progress", "milestone_verified": True, "today": TODAY}
PAID = {**RUNNING, "paid_on": TODAY, "paid_amount": Decimal("3000000.00"), "has_voucher": True}


def test_the_whole_happy_path():
    assert PAYMENT.check("planned", "due", {SYSTEM}, P, RUNNING).target == "payable"
    assert PAYMENT.check("payable", "approve", STAFF, P, RUNNING).target == "approved"
    assert PAYMENT.check("approved", "pay", STAFF, P, PAID).target == "paid"


def test_a_tranche_is_not_payable_before_its_milestone_is_verified():
    with pytest.raises(InvalidTransition, match="尚未核验"):
        PAYMENT.check("planned", "due", {SYSTEM}, P, {**RUNNING, "milestone_verified": False})


@pytest.mark.parametrize("roles", [STAFF, COMM, UNIT])
def test_no_person_makes_a_tranche_payable_by_hand(roles):
    with pytest.raises(InvalidTransition, match="无权"):
        PAYMENT.check("planned", "due", roles, P, RUNNING)


@pytest.mark.parametrize("action", ["approve", "pay", "withhold", "reinstate"])
@pytest.mark.parametrize("roles", [COMM, UNIT])
def test_only_staff_move_money(action, roles):
    source = {"approve": "payable", "pay": "approved", "withhold": "payable", "reinstate": "withheld"}[action]
    with pytest.raises(InvalidTransition, match="无权"):
        PAYMENT.check(source, action, roles, P, {**PAID, "reason": "x"})


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"paid_on": None}, "拨付日期"),
        ({"paid_on": TODAY + datetime.timedelta(days=1)}, "晚于今天"),
        ({"paid_amount": Decimal("0")}, "大于零"),
        ({"paid_amount": Decimal("3000000.01")}, "超过计划金额"),
        ({"has_voucher": False}, "凭证"),
        ({"contract_status": "terminated"}, "已终止"),
    ],
)
def test_each_refused_payment_says_why(change, reason):
    with pytest.raises(InvalidTransition, match=reason):
        PAYMENT.check("approved", "pay", STAFF, P, {**PAID, **change})


def test_approval_needs_a_running_project():
    with pytest.raises(InvalidTransition, match="已终止"):
        PAYMENT.check("payable", "approve", STAFF, P, {**RUNNING, "contract_status": "terminated"})


@pytest.mark.parametrize("source", ["planned", "payable", "approved"])
def test_withholding_needs_a_reason_and_reinstating_a_verified_milestone(source):
    with pytest.raises(InvalidTransition, match="理由"):
        PAYMENT.check(source, "withhold", STAFF, P, RUNNING)
    assert PAYMENT.check(source, "withhold", STAFF, P, {**RUNNING, "reason": "审计整改"}).target == "withheld"
    assert (
        PAYMENT.check("withheld", "reinstate", STAFF, P, {**RUNNING, "reason": "整改完成"}).target
        == "payable"
    )
    with pytest.raises(InvalidTransition, match="尚未核验"):
        PAYMENT.check(
            "withheld", "reinstate", STAFF, P, {**RUNNING, "reason": "x", "milestone_verified": False}
        )


@pytest.mark.parametrize("action", ["approve", "pay", "withhold"])
def test_a_paid_tranche_is_final(action):
    with pytest.raises(InvalidTransition, match="当前状态"):
        PAYMENT.check("paid", action, STAFF, P, {**PAID, "reason": "x"})


def test_a_commissioner_decides_small_adjustments_and_staff_the_large():
    assert ADJUSTMENT.check("pending", "approve", COMM, None, {"large": False}).target == "approved"
    with pytest.raises(InvalidTransition, match="科技厅审批"):
        ADJUSTMENT.check("pending", "approve", COMM, None, {"large": True})
    with pytest.raises(InvalidTransition, match="科技厅审批"):
        ADJUSTMENT.check("pending", "reject", COMM, None, {"large": True, "reason": "x"})
    assert (
        ADJUSTMENT.check("pending", "approve", STAFF, None, {"large": True, "decider_is_staff": True}).target
        == "approved"
    )
    with pytest.raises(InvalidTransition, match="无权"):
        ADJUSTMENT.check("pending", "approve", UNIT, None, {})


def test_an_adjustment_that_no_longer_fits_is_refused_with_the_rule():
    with pytest.raises(InvalidTransition, match="超过调出科目"):
        ADJUSTMENT.check(
            "pending",
            "approve",
            STAFF,
            None,
            {"decider_is_staff": True, "problems": ["调整金额超过调出科目的预算。"]},
        )


def test_a_rejection_needs_a_reason():
    with pytest.raises(InvalidTransition, match="理由"):
        ADJUSTMENT.check("pending", "reject", STAFF, None, {"decider_is_staff": True})


def test_final_accounts_submitted_at_acceptance_confirmed_or_returned_by_staff():
    with pytest.raises(InvalidTransition, match="验收"):
        FINAL_ACCOUNT.check("draft", "submit", UNIT, None, {"contract_status": "in_progress"})
    assert (
        FINAL_ACCOUNT.check("draft", "submit", UNIT, None, {"contract_status": "acceptance"}).target
        == "submitted"
    )
    with pytest.raises(InvalidTransition, match="无权"):
        FINAL_ACCOUNT.check("submitted", "confirm", UNIT | COMM, None, {})
    with pytest.raises(InvalidTransition, match="理由"):
        FINAL_ACCOUNT.check("submitted", "return", STAFF, None, {})
    assert FINAL_ACCOUNT.check("submitted", "return", STAFF, None, {"reason": "x"}).target == "returned"
    assert (
        FINAL_ACCOUNT.check("returned", "submit", UNIT, None, {"contract_status": "finished"}).target
        == "submitted"
    )
    assert FINAL_ACCOUNT.check("submitted", "confirm", STAFF, None, {}).target == "confirmed"
