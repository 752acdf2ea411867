"""Payments (tranches) through their lifecycle, and co-funding receipts. Every change audited."""

import datetime
import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.challenges.models import Contract, Milestone
from kechuang.challenges.workflow import MilestoneStatus
from kechuang.core import uploads
from kechuang.core.audit import audit_record
from kechuang.core.exceptions import ApplicationError, PermissionDenied
from kechuang.core.roles import actor_roles
from kechuang.core.services import transition_apply

from .. import permissions
from ..models import CofundingReceipt, Payment
from ..workflow import PAYMENT, SYSTEM_ROLES
from ._common import NOT_ALLOWED, amount

VOUCHER_KINDS = ("pdf", "png", "jpeg", "xlsx", "docx")


def _facts(payment: Payment) -> dict:
    return {
        "milestone_verified": payment.milestone.status == MilestoneStatus.VERIFIED,
        "contract_status": payment.contract.status,
        "today": timezone.localdate(),
    }


@transaction.atomic
def payment_due(*, actor, milestone: Milestone) -> Payment | None:
    """A verified milestone's planned tranche becomes payable (run by the system; the actor is audited)."""
    payment = Payment.objects.filter(milestone=milestone).select_related("milestone", "contract").first()
    if payment is None or payment.status != Payment.Status.PLANNED:
        return payment
    transition_apply(
        obj=payment, machine=PAYMENT, action="due", actor=actor, roles=SYSTEM_ROLES, ctx=_facts(payment)
    )
    return payment


def on_milestone_verified(*, milestone: Milestone, actor) -> None:
    """The challenges hook: the tranche of a verified milestone becomes payable."""
    payment_due(actor=actor, milestone=milestone)


@transaction.atomic
def payment_transition(
    *,
    actor,
    payment: Payment,
    action: str,
    reason: str = "",
    paid_on: datetime.date | None = None,
    paid_amount=None,
    voucher: tuple[bytes, str] | None = None,
) -> Payment:
    """Approve, pay (date, amount, voucher), withhold (reason) or reinstate a payment. Staff only; the
    lifecycle's table refuses the rest with every reason. The voucher passes the upload check first."""
    if not permissions.can_manage_payments(actor):
        raise PermissionDenied(NOT_ALLOWED)
    if action == "due":
        raise PermissionDenied(NOT_ALLOWED)
    ctx = _facts(payment)
    extra: dict = {}
    if action == "approve":
        extra = {"approved_at": timezone.now(), "approved_by": actor}
    elif action == "pay":
        got = amount(paid_amount, "paid_amount") if paid_amount not in (None, "") else None
        ctx.update(paid_on=paid_on, paid_amount=got, has_voucher=voucher is not None)
        # Refuse on the table's reasons before touching storage; the file is stored only for a valid payment.
        PAYMENT.check(payment.status, action, actor_roles(actor), obj=payment, ctx={"reason": reason, **ctx})
        data, name = voucher
        uploads.check_upload(data, name, allowed=VOUCHER_KINDS)
        payment.voucher.save(name, ContentFile(data), save=False)
        extra = {
            "paid_on": paid_on,
            "paid_amount": got,
            "voucher": payment.voucher.name,
            "voucher_name": name[:200],
        }
        audit_record(
            actor=actor,
            action="funds.voucher",
            obj=payment,
            after={"name": name[:200], "size": len(data), "sha256": hashlib.sha256(data).hexdigest()},
        )
    elif action == "withhold":
        extra = {"withheld_reason": reason}
    elif action == "reinstate":
        extra = {"withheld_reason": ""}
    transition_apply(
        obj=payment,
        machine=PAYMENT,
        action=action,
        actor=actor,
        roles=actor_roles(actor),
        reason=reason,
        ctx=ctx,
        extra_updates=extra,
    )
    return payment


@transaction.atomic
def cofunding_record(
    *, actor, contract: Contract, amount_yuan, received_on: datetime.date, note: str = ""
) -> CofundingReceipt:
    """Staff record money the call's co-funder paid into the project. Refused when the call has no co-funder,
    for a future date, or for a non-positive amount."""
    if not permissions.can_manage_payments(actor):
        raise PermissionDenied(NOT_ALLOWED)
    cofunder = contract.challenge.cofunder
    if cofunder is None:
        raise ApplicationError(_("本榜单没有联合出资单位。"), code="no_cofunder")
    value = amount(amount_yuan, "amount")
    if value <= 0:
        raise ApplicationError(
            _("到账金额须大于零。"), code="amount", fields={"amount": [_("到账金额须大于零。")]}
        )
    if received_on > timezone.localdate():
        raise ApplicationError(
            _("到账日期不能晚于今天。"), code="future", fields={"received_on": [_("到账日期不能晚于今天。")]}
        )
    r = CofundingReceipt(
        contract=contract,
        cofunder=cofunder,
        amount=value,
        received_on=received_on,
        note=note,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    r.full_clean()
    r.save()
    audit_record(
        actor=actor,
        action="funds.cofunding",
        obj=contract,
        after={"cofunder": cofunder.name, "amount": value, "received_on": received_on, "note": note},
    )
    return r
