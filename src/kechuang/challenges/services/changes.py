"""A contract's change requests: a change of its terms, plan or team, decided by staff and applied to the contract."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from kechuang.accounts.selectors import users_with_role
from kechuang.core.audit import audit_record, diff, snapshot
from kechuang.core.exceptions import ApplicationError, PermissionDenied
from kechuang.core.messages import Message, label
from kechuang.core.notifications import notify
from kechuang.core.roles import Role
from kechuang.core.services import optimistic_save

from .. import permissions
from ..models import (
    ChangeRequest,
    Contract,
)
from ..workflow import CHANGE_REQUEST
from ._common import run
from .tracking import _parse_date

MSG_NOT_CONTRACTOR = gettext_lazy("只有承担单位可以对在研任务书提出变更申请。")


@transaction.atomic
def change_request_create(
    *, actor, contract: Contract, kind: str, reason: str, payload: dict
) -> ChangeRequest:
    """Request a change of team, budget or dates; staff are asked to decide. Nothing changes until approved.

    payload: team → {"team": [{name, title, duty}]}; budget → {"budget": "..."}; dates → {"end_date":
    "YYYY-MM-DD", "milestones": {seq: "YYYY-MM-DD"}}.
    """
    if not permissions.can_request_change(actor, contract):
        raise PermissionDenied(MSG_NOT_CONTRACTOR)
    if not (reason or "").strip():
        raise ApplicationError(_("请写明变更理由。"), code="empty", fields={"reason": [_("必填。")]})
    _validate_payload(contract, kind, payload)
    if contract.change_requests.filter(status=ChangeRequest.Status.PENDING).exists():
        raise ApplicationError(_("已有待审批的变更申请。"), code="pending_exists")
    cr = ChangeRequest(
        contract=contract, kind=kind, reason=reason.strip(), payload=payload, requested_by=actor
    )
    cr.full_clean()
    cr.save()
    audit_record(
        actor=actor,
        action="change_request.create",
        obj=cr,
        after={"kind": kind, "payload": payload, "contract": contract.pk},
    )
    notify(
        recipients=users_with_role(Role.STAFF),
        title=Message(gettext_noop("任务书变更待审批：%(c)s"), c=contract),
        body=reason,
        url=contract.get_absolute_url(),
        kind="change_request.created",
    )
    return cr


def _validate_payload(contract: Contract, kind: str, payload: dict) -> None:
    if not isinstance(payload, dict):
        raise ApplicationError(
            _("变更内容格式不对：应为键值对。"), code="bad_payload", fields={"payload": [_("格式不对。")]}
        )
    if kind == ChangeRequest.Kind.BUDGET:
        b = payload.get("budget")
        try:
            value = Decimal(str(b))
        except (InvalidOperation, ValueError):
            raise ApplicationError(_("请填写调整后的经费（万元）。"), code="bad_budget")
        if not value.is_finite() or value < 0 or value > contract.challenge.budget_ceiling:
            raise ApplicationError(_("调整后的经费须在 0 与榜单上限之间。"), code="bad_budget")
    elif kind == ChangeRequest.Kind.DATES:
        if "end_date" in payload:
            end = _parse_date(payload["end_date"], _("结束日期"))
            if end <= contract.start_date:
                raise ApplicationError(_("结束日期须晚于开始日期。"), code="bad_date")
        seqs = {m.seq for m in contract.milestones.all()}
        milestones = payload.get("milestones") or {}
        if not isinstance(milestones, dict):
            raise ApplicationError(_("里程碑应写成“序号: 日期”的键值对。"), code="bad_milestone")
        for seq, d in milestones.items():
            if not str(seq).strip().isdecimal() or int(seq) not in seqs:
                raise ApplicationError(_("没有序号为 %(s)s 的里程碑。") % {"s": seq}, code="bad_milestone")
            _parse_date(d, _("里程碑到期日"))
        if not payload.get("end_date") and not payload.get("milestones"):
            raise ApplicationError(_("请填写调整后的日期。"), code="empty")
    elif kind == ChangeRequest.Kind.TEAM:
        team = payload.get("team")
        if (
            not isinstance(team, list)
            or not team
            or any(not isinstance(m, dict) or not str(m.get("name", "")).strip() for m in team)
        ):
            raise ApplicationError(_("请填写变更后的团队成员（每人须有姓名）。"), code="bad_team")
    else:
        raise ApplicationError(_("未知的变更类型。"), code="bad_kind")


@transaction.atomic
def change_request_decide(
    *, actor, change_request: ChangeRequest, approve: bool, note: str = ""
) -> ChangeRequest:
    """Staff approve (the change is applied to the contract, audited) or reject a change request."""
    if not permissions.can_decide_change(actor):
        raise PermissionDenied(_("只有科技厅工作人员可以审批变更。"))
    cr = ChangeRequest.objects.select_for_update().get(pk=change_request.pk)
    if cr.status != ChangeRequest.Status.PENDING:
        raise ApplicationError(_("该变更申请已审批。"), code="decided")
    if not approve and not (note or "").strip():
        raise ApplicationError(_("不批准须说明理由。"), code="empty")
    contract = Contract.objects.select_for_update().get(pk=cr.contract_id)
    if approve:
        _apply_change(actor, contract, cr)
    run(
        obj=cr,
        machine=CHANGE_REQUEST,
        action="approve" if approve else "reject",
        actor=actor,
        reason=note,
        extra={"decided_by": actor, "decided_at": timezone.now(), "decision_note": note},
    )
    notify(
        recipients=[cr.requested_by, contract.commissioner],
        title=Message(gettext_noop("变更申请%(r)s：%(c)s"), r=label(cr, "status"), c=contract),
        body=note,
        url=contract.get_absolute_url(),
        kind="change_request.decided",
    )
    return cr


def _apply_change(actor, contract: Contract, cr: ChangeRequest) -> None:
    before = snapshot(contract, ["budget", "end_date", "team"])
    p = cr.payload
    fields = []
    if cr.kind == ChangeRequest.Kind.BUDGET:
        contract.budget = Decimal(str(p["budget"]))
        fields.append("budget")
    elif cr.kind == ChangeRequest.Kind.TEAM:
        contract.team = p["team"]
        fields.append("team")
    else:
        if p.get("end_date"):
            contract.end_date = _parse_date(p["end_date"], "end_date")
            fields.append("end_date")
        for seq, d in (p.get("milestones") or {}).items():
            ms = contract.milestones.get(seq=int(seq))
            old = ms.due_date
            ms.due_date = _parse_date(d, "due_date")
            ms.save(update_fields=["due_date", "updated_at"])
            audit_record(
                actor=actor,
                action="milestone.reschedule",
                obj=ms,
                before={"due_date": old},
                after={"due_date": ms.due_date},
                reason=cr.reason,
            )
    if fields:
        contract.full_clean()
        optimistic_save(obj=contract, expected_version=contract.version, update_fields=fields)
    b, a = diff(before, snapshot(contract, ["budget", "end_date", "team"]))
    audit_record(actor=actor, action="contract.change", obj=contract, before=b, after=a, reason=cr.reason)
