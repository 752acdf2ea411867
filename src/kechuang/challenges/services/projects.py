"""Writes for awarded projects: the contract (任务书) and its commissioner, milestone reports and
verification, and the daily overdue/at-risk flags. (Changes, checks, acceptance and results: tracking.py.)"""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from kechuang.accounts.selectors import users_with_role
from kechuang.core import hooks
from kechuang.core.audit import audit_record, diff, snapshot
from kechuang.core.exceptions import ApplicationError, PermissionDenied
from kechuang.core.messages import Message
from kechuang.core.notifications import notify
from kechuang.core.roles import SYSTEM, Role, has_role
from kechuang.core.services import optimistic_save
from kechuang.programmes import filefields

from .. import permissions, programme, selectors
from ..models import (
    Acceptance,
    Contract,
    MidtermCheck,
    Milestone,
    PerformanceEvaluation,
    ReportFile,
)
from ..workflow import CONTRACT, MILESTONE, ContractStatus
from ._common import run

MSG_NOT_TRACKER = gettext_lazy("只有该项目的项目专员或科技厅工作人员可以执行此操作。")
CONTRACT_FIELDS = ("title", "start_date", "end_date", "budget", "budget_self")


# Contract ------------------------------------------------------------------------------------------------


@transaction.atomic
def contract_assign_commissioner(*, actor, contract: Contract, commissioner) -> Contract:
    """Assign the project commissioner (专员) who follows the project. Staff only; the commissioner is told."""
    if not has_role(actor, Role.STAFF):
        raise PermissionDenied(_("只有科技厅工作人员可以指定项目专员。"))
    if not has_role(commissioner, Role.COMMISSIONER):
        raise ApplicationError(_("所选人员不是项目专员。"), code="not_commissioner")
    if contract.status not in (ContractStatus.DRAFT, ContractStatus.IN_PROGRESS, ContractStatus.ACCEPTANCE):
        raise ApplicationError(_("任务书已结束，不能更换专员。"), code="closed")
    before = contract.commissioner_id
    contract.commissioner = commissioner
    optimistic_save(obj=contract, expected_version=contract.version, update_fields=["commissioner_id"])
    audit_record(
        actor=actor,
        action="contract.assign_commissioner",
        obj=contract,
        before={"commissioner": before},
        after={"commissioner": commissioner.pk},
    )
    notify(
        recipients=[commissioner],
        title=Message(gettext_noop("您被指定为项目专员：%(c)s"), c=contract),
        url=contract.get_absolute_url(),
        kind="contract.assigned",
    )
    return contract


@transaction.atomic
def contract_update(
    *, actor, contract: Contract, expected_version: int, reason: str = "", **fields
) -> Contract:
    """Edit a contract's terms before signing (staff, or its own commissioner); optimistic on `version`.

    After signing, changes of team, budget or dates go through a change request instead.
    """
    if not permissions.can_edit_contract(actor, contract):
        raise PermissionDenied(_("您无权修改此任务书。"))
    if contract.status != ContractStatus.DRAFT:
        raise ApplicationError(_("任务书已签订，变更须提交变更申请。"), code="signed")
    before = snapshot(contract, CONTRACT_FIELDS)
    changed = [k for k in fields if k in CONTRACT_FIELDS]
    for k in changed:
        setattr(contract, k, fields[k])
    contract.full_clean()
    optimistic_save(obj=contract, expected_version=expected_version, update_fields=changed)
    b, a = diff(before, snapshot(contract, CONTRACT_FIELDS))
    audit_record(actor=actor, action="contract.update", obj=contract, before=b, after=a, reason=reason)
    return contract


@transaction.atomic
def contract_sign(*, actor, contract: Contract) -> Contract:
    """Sign the contract: the project starts. Needs a commissioner and at least one milestone."""
    run(
        obj=contract,
        machine=CONTRACT,
        action="sign",
        actor=actor,
        ctx={"milestone_count": contract.milestones.count()},
        extra={"signed_at": timezone.now()},
    )
    # Higher apps act on the signature in this transaction (funds opens the project's ledger).
    hooks.fire("challenges.contract_signed", contract=contract, actor=actor)
    notify(
        recipients=[contract.leader, contract.commissioner],
        title=Message(gettext_noop("任务书已签订：%(c)s"), c=contract),
        url=contract.get_absolute_url(),
        kind="contract.signed",
    )
    return contract


@transaction.atomic
def contract_terminate(*, actor, contract: Contract, reason: str) -> Contract:
    """Terminate a project early, with a reason. Staff only."""
    run(obj=contract, machine=CONTRACT, action="terminate", actor=actor, reason=reason)
    notify(
        recipients=[contract.leader, contract.commissioner],
        title=Message(gettext_noop("任务书已终止：%(c)s"), c=contract),
        body=reason,
        url=contract.get_absolute_url(),
        kind="contract.terminated",
    )
    return contract


def _contract_status(milestone: Milestone) -> str:
    return Contract.objects.values_list("status", flat=True).get(pk=milestone.contract_id)


# Milestones ---------------------------------------------------------------------------------------------


@transaction.atomic
def milestone_report(
    *, actor, milestone: Milestone, report: str, values: dict, extra: dict | None = None
) -> Milestone:
    """The contracted unit reports a milestone with a value for every indicator it targets.

    `values` maps indicator id (or name) to the reported value. The commissioner is asked to verify.
    The report keeps the yearly-report form version of the project's list (issue #18) and the values of its
    staff-added fields by key (`extra`; keys not of that version are dropped).
    """
    if not permissions.can_report_milestone(actor, milestone):
        raise PermissionDenied(_("只有承担单位可以报告里程碑。"))
    if not (report or "").strip():
        raise ApplicationError(_("请填写完成情况报告。"), code="empty", fields={"report": [_("必填。")]})
    rows = list(milestone.values.select_related("indicator"))
    before = {r.indicator.name: r.reported for r in rows}
    missing = 0
    for row in rows:
        raw = values.get(row.indicator_id, values.get(str(row.indicator_id), values.get(row.indicator.name)))
        if raw in (None, ""):
            missing += 1
            continue
        try:
            row.reported = Decimal(str(raw))
        except (InvalidOperation, ValueError):
            raise ApplicationError(
                _("“%(n)s”的报告值必须是数字。") % {"n": row.indicator.name}, code="not_a_number"
            )
    contract = Contract.objects.get(pk=milestone.contract_id)  # fresh: its status guards the report
    form = programme.project_form(contract, programme.YEARLY_REPORT)
    # A report sent back and reported again: the earlier submission, with its own form version and its
    # values (files included), is kept in the audit trail and shown with that version for ever
    # (selectors.earlier_reports). A file of a field the new version no longer has stays stored for it:
    # only a new upload to the same field replaces (and removes) a file.
    earlier = (
        {
            "form_version": milestone.form_version_id,
            "report": milestone.report,
            "reported_at": milestone.reported_at,
            "extra": milestone.extra,
        }
        if milestone.reported_at
        else None
    )
    run(
        obj=milestone,
        machine=MILESTONE,
        action="report",
        actor=actor,
        ctx={"contract_status": contract.status, "missing_values": missing},
        extra={
            "report": report.strip(),
            "reported_at": timezone.now(),
            "flag": "",
            "flagged_at": None,
            "form_version_id": form.pk if form else None,
            "extra": programme.report_extra(form, programme.YEARLY_REPORT, extra, stored=milestone.extra),
        },
    )
    for row in rows:
        row.save(update_fields=["reported", "updated_at"])
    audit_record(
        actor=actor,
        action="milestone.values",
        obj=milestone,
        before=before | ({"submission": earlier} if earlier else {}),
        after={r.indicator.name: r.reported for r in rows}
        | ({"extra": milestone.extra} if milestone.extra else {})
        | ({"form_version": milestone.form_version_id} if milestone.form_version_id else {}),
    )
    notify(
        recipients=[contract.commissioner] if contract.commissioner_id else users_with_role(Role.STAFF),
        title=Message(gettext_noop("里程碑待核验：%(m)s"), m=milestone),
        url=milestone.get_absolute_url(),
        kind="milestone.reported",
    )
    return milestone


@transaction.atomic
def milestone_verify(*, actor, milestone: Milestone, note: str = "") -> Milestone:
    """The project's commissioner (or staff) verifies a reported milestone."""
    if not permissions.can_verify_milestone(actor, milestone):
        raise PermissionDenied(MSG_NOT_TRACKER)
    run(
        obj=milestone,
        machine=MILESTONE,
        action="verify",
        actor=actor,
        reason=note,
        ctx={"contract_status": _contract_status(milestone)},
        extra={"verified_at": timezone.now(), "verified_by": actor},
    )
    # Higher apps act on the verification in this transaction (funds makes the tranche payable).
    hooks.fire("challenges.milestone_verified", milestone=milestone, actor=actor)
    notify(
        recipients=[milestone.contract.leader],
        title=Message(gettext_noop("里程碑已核验：%(m)s"), m=milestone),
        url=milestone.get_absolute_url(),
        kind="milestone.verified",
    )
    return milestone


@transaction.atomic
def milestone_send_back(*, actor, milestone: Milestone, reason: str) -> Milestone:
    """The commissioner sends a report back for more evidence, with the reason."""
    if not permissions.can_verify_milestone(actor, milestone):
        raise PermissionDenied(MSG_NOT_TRACKER)
    run(
        obj=milestone,
        machine=MILESTONE,
        action="send_back",
        actor=actor,
        reason=reason,
        ctx={"contract_status": _contract_status(milestone)},
    )
    notify(
        recipients=[milestone.contract.leader],
        title=Message(gettext_noop("里程碑报告被退回：%(m)s"), m=milestone),
        body=reason,
        url=milestone.get_absolute_url(),
        kind="milestone.sent_back",
    )
    return milestone


@transaction.atomic
def milestones_flag(*, actor=SYSTEM, today: datetime.date | None = None, progress=None) -> dict:
    """The daily check: flag unreported milestones of running projects as overdue or at risk (due within
    selectors.AT_RISK_DAYS days), clear flags that no longer apply, audit each change and tell the
    commissioner (and the team leader) of every newly flagged milestone. Returns the counts."""
    today = today or timezone.localdate()
    qs = Milestone.objects.filter(contract__status=ContractStatus.IN_PROGRESS).select_related(
        "contract", "contract__commissioner", "contract__leader"
    )
    total = qs.count()
    counts = {"checked": 0, "overdue": 0, "at_risk": 0, "newly_flagged": 0, "cleared": 0}
    for i, ms in enumerate(qs.iterator(chunk_size=500)):
        flag = selectors.milestone_flags(ms, today)
        counts["checked"] += 1
        if flag:
            counts[flag] += 1
        if progress and total:
            progress(100 * (i + 1) / total, ms.contract.code)
        if flag == ms.flag:
            continue
        before = ms.flag
        ms.flag = flag
        ms.flagged_at = timezone.now() if flag else None
        ms.save(update_fields=["flag", "flagged_at", "updated_at"])
        audit_record(
            actor=actor, action="milestone.flag", obj=ms, before={"flag": before}, after={"flag": flag}
        )
        if flag:
            counts["newly_flagged"] += 1
            label = gettext_noop("已逾期") if flag == "overdue" else gettext_noop("临近到期")
            notify(
                recipients=[ms.contract.commissioner, ms.contract.leader],
                title=Message(
                    gettext_noop("里程碑%(l)s：%(m)s（到期日 %(d)s）"), l=Message(label), m=ms, d=ms.due_date
                ),
                url=ms.get_absolute_url(),
                kind=f"milestone.{flag}",
            )
        else:
            counts["cleared"] += 1
    return counts


# Report files ----------------------------------------------------------------------------------------------

_REPORT_MODELS = {
    programme.YEARLY_REPORT: Milestone,
    programme.MID_TERM: MidtermCheck,
    programme.ACCEPTANCE: Acceptance,
    programme.PERFORMANCE: PerformanceEvaluation,
}


def _may_file_report(actor, purpose: str, report) -> bool:
    """Who fills the report: the project's unit its yearly report, the tracker a mid-term check, staff
    the acceptance (as the services that record them)."""
    if purpose == programme.YEARLY_REPORT:
        return permissions.can_report_milestone(actor, report)
    if purpose == programme.MID_TERM:
        return permissions.can_track_contract(actor, report.contract)
    if purpose == programme.PERFORMANCE:
        return permissions.can_fill_performance(actor, report.contract) and report.status == "draft"
    return has_role(actor, Role.STAFF)


@transaction.atomic
def report_field_file_set(
    *, actor, report, purpose: str, key: str, data: bytes | None, filename: str = ""
) -> ReportFile | None:
    """Answer a staff-added file field of a project report's form version (issue #18): `report` is a
    Milestone (yearly report), a MidtermCheck or the Acceptance, `purpose` its form purpose. The file is
    checked for the field's kinds and size (core.uploads, as the application form's) and stored as a
    ReportFile of the project (private storage, served by report_file_download to the project's unit, its
    commissioner and staff); `extra[key]` keeps its name and id. A file the field had before is removed;
    `data=None` clears the field. Audited on the report."""
    if not isinstance(report, _REPORT_MODELS.get(purpose, ())):
        raise ApplicationError(_("报告中没有这一附件栏目。"), code="no_such_field")
    if not _may_file_report(actor, purpose, report):
        raise PermissionDenied(_("您不能填报这份报告。"))
    spec = next(
        (
            f
            for f in programme.report_extra_fields(report.form_version, purpose)
            if f["key"] == key and f["kind"] == "file"
        ),
        None,
    )
    if spec is None:
        raise ApplicationError(_("报告中没有这一附件栏目。"), code="no_such_field")
    return filefields.store(
        actor=actor,
        owner=report,
        values_attr="values" if purpose == programme.PERFORMANCE else "extra",
        key=key,
        spec=spec,
        data=data,
        filename=filename,
        new_row=lambda **facts: ReportFile(contract_id=report.contract_id, report=purpose, key=key, **facts),
        rows=ReportFile.objects.filter(contract_id=report.contract_id),
        id_name="file",
        action="report.field_file",
    )
