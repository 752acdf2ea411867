"""The lifecycles of money: payments (tranches), budget adjustments and final accounts. Pure: guards read
the object and the facts the service puts in `ctx`; only `core.services.transition_apply` runs them."""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kechuang.core.roles import Role
from kechuang.core.workflow import StateMachine, Transition

STAFF = frozenset({Role.STAFF.value})
TRACKERS = frozenset({Role.STAFF.value, Role.COMMISSIONER.value})
UNIT = frozenset({Role.APPLICANT.value})
# Who acts when a milestone is verified: the hook runs the `due` transition as the system.
SYSTEM = "system"
SYSTEM_ROLES = frozenset({SYSTEM, Role.STAFF.value})

# Contract states in which money may still move (approved, paid): signed and not ended by a refusal.
PAYING_CONTRACT = frozenset({"in_progress", "acceptance", "finished"})


class PaymentStatus(models.TextChoices):
    PLANNED = "planned", _("计划拨付")
    PAYABLE = "payable", _("可拨付")
    APPROVED = "approved", _("已审批")
    PAID = "paid", _("已拨付")
    # the state ("Withheld"), not the step of the same Chinese words ("Withhold"): the badge read "Withhold"
    WITHHELD = "withheld", pgettext_lazy("状态", "暂缓拨付")


class AdjustmentStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("未批准")


class FinalAccountStatus(models.TextChoices):
    DRAFT = "draft", _("编制中")
    SUBMITTED = "submitted", _("已提交")
    RETURNED = "returned", _("已退回")
    CONFIRMED = "confirmed", _("已确认")


# --- guards ---------------------------------------------------------------------------------------------


def g_milestone_verified(obj, ctx):
    if not ctx.get("milestone_verified"):
        return _("所依据的里程碑尚未核验通过，不能拨付。")
    return None


def g_contract_paying(obj, ctx):
    if ctx.get("contract_status") not in PAYING_CONTRACT:
        return _("项目未在实施或已终止，不能审批或拨付经费。")
    return None


def g_paid_facts(obj, ctx):
    paid_on = ctx.get("paid_on")
    amount = ctx.get("paid_amount")
    if paid_on is None:
        return _("请填写拨付日期。")
    if paid_on > ctx.get("today", datetime.date.max):
        return _("拨付日期不能晚于今天。")
    if amount is None or amount <= 0:
        return _("拨付金额须大于零。")
    if amount > obj.amount:
        return _("拨付金额不能超过计划金额。")
    if not ctx.get("has_voucher"):
        return _("请上传拨付凭证。")
    return None


def g_adjustment_decider(obj, ctx):
    if ctx.get("large") and not ctx.get("decider_is_staff"):
        return _("调整金额超过项目专员的审批权限，须由科技厅审批。")
    return None


def g_adjustment_still_fits(obj, ctx):
    problems = ctx.get("problems") or []
    return " ".join(str(p) for p in problems) or None


def g_at_acceptance(obj, ctx):
    if ctx.get("contract_status") not in ("acceptance", "finished", "failed"):
        return _("项目进入验收后才能提交决算。")
    return None


PAYMENT = StateMachine(
    "payment",
    PaymentStatus,
    [
        Transition(
            "due",
            frozenset({PaymentStatus.PLANNED}),
            PaymentStatus.PAYABLE,
            frozenset({SYSTEM}),
            _("转为可拨付"),
            guards=(g_milestone_verified,),
        ),
        Transition(
            "approve",
            frozenset({PaymentStatus.PAYABLE}),
            PaymentStatus.APPROVED,
            STAFF,
            _("审批拨付"),
            guards=(g_contract_paying,),
        ),
        Transition(
            "pay",
            frozenset({PaymentStatus.APPROVED}),
            PaymentStatus.PAID,
            STAFF,
            _("登记拨付"),
            guards=(g_contract_paying, g_paid_facts),
        ),
        Transition(
            "withhold",
            frozenset({PaymentStatus.PLANNED, PaymentStatus.PAYABLE, PaymentStatus.APPROVED}),
            PaymentStatus.WITHHELD,
            STAFF,
            _("暂缓拨付"),
            needs_reason=True,
        ),
        Transition(
            "reinstate",
            frozenset({PaymentStatus.WITHHELD}),
            PaymentStatus.PAYABLE,
            STAFF,
            _("恢复拨付"),
            guards=(g_milestone_verified,),
            needs_reason=True,
        ),
    ],
)

ADJUSTMENT = StateMachine(
    "budget_adjustment",
    AdjustmentStatus,
    [
        Transition(
            "approve",
            frozenset({AdjustmentStatus.PENDING}),
            AdjustmentStatus.APPROVED,
            TRACKERS,
            _("批准调整"),
            guards=(g_adjustment_decider, g_adjustment_still_fits),
            event="decide",
        ),
        Transition(
            "reject",
            frozenset({AdjustmentStatus.PENDING}),
            AdjustmentStatus.REJECTED,
            TRACKERS,
            _("不予批准"),
            guards=(g_adjustment_decider,),
            needs_reason=True,
            event="decide",
        ),
    ],
)

FINAL_ACCOUNT = StateMachine(
    "final_account",
    FinalAccountStatus,
    [
        Transition(
            "submit",
            frozenset({FinalAccountStatus.DRAFT, FinalAccountStatus.RETURNED}),
            FinalAccountStatus.SUBMITTED,
            UNIT,
            _("提交决算"),
            guards=(g_at_acceptance,),
        ),
        Transition(
            "confirm",
            frozenset({FinalAccountStatus.SUBMITTED}),
            FinalAccountStatus.CONFIRMED,
            STAFF,
            _("确认决算"),
        ),
        Transition(
            "return",
            frozenset({FinalAccountStatus.SUBMITTED}),
            FinalAccountStatus.RETURNED,
            STAFF,
            _("退回修改"),
            needs_reason=True,
        ),
    ],
)
