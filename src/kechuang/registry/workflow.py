"""The lifecycles of the two registries (pure: guards read the object and the facts the service passes in
`ctx`; `core.services.transition_apply` runs them).

科技成果登记 (RESULT_REGISTRATION): the unit (or staff) fills the national form as a draft and submits it;
staff return it with a reason or approve it, which assigns the registration number; staff may revoke a
registration with a reason.

技术合同认定登记 (TECH_CONTRACT): the unit files the contract as a draft and submits it; staff register it
(认定登记, the number assigned) or refuse it (不予登记) with a reason.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kechuang.core.lists import listed
from kechuang.core.roles import Role
from kechuang.core.workflow import StateMachine, Transition

STAFF = frozenset({Role.STAFF.value})
FILERS = frozenset({Role.STAFF.value, Role.APPLICANT.value, Role.COMMISSIONER.value})


class RegistrationStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审核")
    RETURNED = "returned", _("已退回")
    REGISTERED = "registered", _("已登记")
    REVOKED = "revoked", pgettext_lazy("成果登记", "已撤销")


class ContractStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待认定")
    REGISTERED = "registered", _("已登记")
    REFUSED = "refused", _("不予登记")


def g_form_complete(obj, ctx):
    missing = ctx.get("missing") or []
    if missing:
        return _("登记表尚未填完：%(f)s。") % {"f": listed(str(m) for m in missing)}
    return None


def g_amounts(obj, ctx):
    amount, tech = ctx.get("amount"), ctx.get("tech_amount")
    if amount is None or amount <= 0:
        return _("合同成交额须大于零。")
    if tech is None or tech < 0:
        return _("请填写技术交易额。")
    if tech > amount:
        return _("技术交易额不能超过合同成交额。")
    return None


def g_parties(obj, ctx):
    if ctx.get("same_party"):
        return _("买方与卖方不能是同一单位。")
    return None


RESULT_REGISTRATION = StateMachine(
    "result_registration",
    RegistrationStatus,
    [
        Transition(
            "submit",
            frozenset({RegistrationStatus.DRAFT, RegistrationStatus.RETURNED}),
            RegistrationStatus.SUBMITTED,
            FILERS,
            _("提交登记"),
            guards=(g_form_complete,),
        ),
        Transition(
            "return",
            frozenset({RegistrationStatus.SUBMITTED}),
            RegistrationStatus.RETURNED,
            STAFF,
            _("退回修改"),
            needs_reason=True,
        ),
        Transition(
            "approve",
            frozenset({RegistrationStatus.SUBMITTED}),
            RegistrationStatus.REGISTERED,
            STAFF,
            _("审核登记"),
            guards=(g_form_complete,),
        ),
        Transition(
            "revoke",
            frozenset({RegistrationStatus.REGISTERED}),
            RegistrationStatus.REVOKED,
            STAFF,
            _("撤销登记"),
            needs_reason=True,
        ),
    ],
)

TECH_CONTRACT = StateMachine(
    "tech_contract",
    ContractStatus,
    [
        Transition(
            "submit",
            frozenset({ContractStatus.DRAFT}),
            ContractStatus.SUBMITTED,
            FILERS,
            _("提交认定"),
            guards=(g_amounts, g_parties),
        ),
        Transition(
            "register",
            frozenset({ContractStatus.SUBMITTED}),
            ContractStatus.REGISTERED,
            STAFF,
            _("认定登记"),
            guards=(g_amounts, g_parties),
        ),
        Transition(
            "refuse",
            frozenset({ContractStatus.SUBMITTED}),
            ContractStatus.REFUSED,
            STAFF,
            _("不予登记"),
            needs_reason=True,
        ),
    ],
)
