"""Writes that track a running project: change requests, the mid-term check, racing down-selects,
acceptance, results and transfers."""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from kechuang.accounts.selectors import users_with_role
from kechuang.core.audit import audit_record, snapshot
from kechuang.core.exceptions import ApplicationError, PermissionDenied
from kechuang.core.lists import listed
from kechuang.core.messages import Message, label
from kechuang.core.notifications import notify
from kechuang.core.roles import Role, has_role

from .. import permissions, programme, selectors
from ..models import (
    Acceptance,
    AcceptanceItem,
    Contract,
    DownSelect,
    DownSelectOutcome,
    MidtermCheck,
    Result,
    Transfer,
)
from ..workflow import CONTRACT, ContractStatus, MilestoneStatus
from ._common import new, run
from .projects import MSG_NOT_TRACKER

MSG_NOT_RECORDER = gettext_lazy("您无权登记此项目的成果。")
MSG_NOT_TRANSFER_RECORDER = gettext_lazy("您无权登记此成果的转化。")

# Change requests ------------------------------------------------------------------------------------------


def _parse_date(value, field):
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise ApplicationError(_("“%(f)s”不是有效日期（YYYY-MM-DD）。") % {"f": field}, code="bad_date")


# Mid-term check ------------------------------------------------------------------------------------------


def midterm_score(contract: Contract, today: datetime.date) -> dict:
    """The mid-term score against the contract: half indicator progress (mean of progress_ratio over the
    contracted indicators, by their latest verified values), half milestones (verified share of those due
    by today). Both parts and the total are on a 0–100 scale. With no milestone due yet there is nothing to
    score them on: `milestone_score` is None (尚无到期的里程碑, as a performance evaluation's mid-term says,
    evaluation.projects) and the total is the indicator progress alone — not a full mark for nothing."""
    rows = selectors.indicator_progress(contract)
    ind = 100 * sum(r["progress"] for r in rows) / len(rows) if rows else 0.0
    due = [m for m in contract.milestones.all() if m.due_date <= today]
    verified = [m for m in due if m.status == MilestoneStatus.VERIFIED]
    ms = 100 * len(verified) / len(due) if due else None
    return {
        "indicator_score": round(ind, 2),
        "milestone_score": round(ms, 2) if ms is not None else None,
        "score": round((ind + ms) / 2 if ms is not None else ind, 2),
        "indicators": {r["indicator"].name: round(100 * r["progress"], 2) for r in rows},
        "milestones_due": len(due),
        "milestones_verified": len(verified),
    }


@transaction.atomic
def midterm_check_record(
    *,
    actor,
    contract: Contract,
    conclusion: str,
    notes: str = "",
    checked_on: datetime.date | None = None,
    extra: dict | None = None,
) -> MidtermCheck:
    """Record a mid-term check (中期检查) scored against the contract (see midterm_score). It keeps the
    mid-term form version of the project's list (issue #18) and its staff-added fields' values by key."""
    if not permissions.can_track_contract(actor, contract):
        raise PermissionDenied(MSG_NOT_TRACKER)
    if not contract.challenge.has_midterm:
        raise ApplicationError(
            _("本榜单所用的计划类别版本没有“中期检查”环节，不进行中期检查。"), code="no_midterm_stage"
        )
    if contract.status != ContractStatus.IN_PROGRESS:
        raise ApplicationError(_("任务书不在实施中。"), code="not_running")
    day = checked_on or timezone.localdate()
    s = midterm_score(contract, day)
    mc = MidtermCheck(
        contract=contract,
        checked_on=day,
        indicator_score=Decimal(str(s["indicator_score"])),
        milestone_score=Decimal(str(s["milestone_score"])) if s["milestone_score"] is not None else None,
        score=Decimal(str(s["score"])),
        detail=s,
        conclusion=conclusion,
        notes=notes,
        checked_by=actor,
        form_version=(form := programme.project_form(contract, programme.MID_TERM)),
        extra=programme.report_extra(form, programme.MID_TERM, extra),
    )
    mc.full_clean()
    mc.save()
    audit_record(
        actor=actor,
        action="midterm_check.record",
        obj=contract,
        after={"check": mc.pk, "score": s["score"], "conclusion": conclusion}
        | ({"extra": mc.extra} if mc.extra else {}),
        reason=notes,
    )
    if conclusion == MidtermCheck.Conclusion.STOP:
        notify(
            recipients=users_with_role(Role.STAFF),
            title=Message(gettext_noop("中期检查建议终止：%(c)s"), c=contract),
            body=notes,
            url=contract.get_absolute_url(),
            kind="midterm.stop",
        )
    return mc


# Racing down-select ------------------------------------------------------------------------------------------


@transaction.atomic
def downselect_record(
    *, actor, challenge, note: str, outcomes: dict, decided_on: datetime.date | None = None
) -> DownSelect:
    """The down-select gate of a racing challenge: each running contract keeps going, stops, or merges
    into another kept contract (outcomes: {contract_id: "keep" | "stop" | ("merge", into_id)}). At least
    one team must be kept. Stops and merges run through the contract machine."""
    if not has_role(actor, Role.STAFF):
        raise PermissionDenied(_("只有科技厅工作人员可以作出赛马评估结论。"))
    if not challenge.is_racing:
        raise ApplicationError(_("该榜单不是赛马制。"), code="not_racing")
    if not challenge.has_downselect:
        raise ApplicationError(
            _("本榜单所用的计划类别版本没有“赛马制择优”环节，不进行赛马评估。"), code="no_racing_stage"
        )
    if not (note or "").strip():
        raise ApplicationError(_("请填写评估意见。"), code="empty")
    running = {c.pk: c for c in challenge.contracts.filter(status=ContractStatus.IN_PROGRESS)}
    if set(map(int, outcomes)) != set(running):
        raise ApplicationError(_("须对每个在研团队作出结论。"), code="incomplete")
    norm = {}
    for cid, out in outcomes.items():
        kind, into = (out[0], int(out[1])) if isinstance(out, list | tuple) else (out, None)
        norm[int(cid)] = (kind, into)
    kept = {cid for cid, (k, _i) in norm.items() if k == "keep"}
    if not kept:
        raise ApplicationError(_("至少保留一个团队。"), code="none_kept")
    for k, into in norm.values():
        if k == "merge" and into not in kept:
            raise ApplicationError(_("只能合并到继续支持的团队。"), code="bad_merge")
        if k not in ("keep", "stop", "merge"):
            raise ApplicationError(_("未知的结论。"), code="bad_outcome")
    ds = new(
        DownSelect,
        challenge=challenge,
        decided_on=decided_on or timezone.localdate(),
        note=note,
        decided_by=actor,
    )
    for cid, (k, into) in norm.items():
        contract = running[cid]
        new(DownSelectOutcome, downselect=ds, contract=contract, outcome=k, merge_into_id=into)
        if k == "stop":
            run(obj=contract, machine=CONTRACT, action="stop", actor=actor, reason=note, ctx={"racing": True})
        elif k == "merge":
            run(
                obj=contract,
                machine=CONTRACT,
                action="merge",
                actor=actor,
                reason=note,
                ctx={"racing": True},
                extra={"merged_into": running[into]},
            )
        notify(
            recipients=[contract.leader, contract.commissioner],
            title=Message(gettext_noop("赛马阶段评估结论：%(c)s"), c=contract),
            body=DownSelectOutcome.Outcome(k).label,
            url=contract.get_absolute_url(),
            kind="downselect",
        )
    audit_record(
        actor=actor,
        action="challenge.downselect",
        obj=challenge,
        after={"downselect": ds.pk, "outcomes": {str(k): v[0] for k, v in norm.items()}},
        reason=note,
    )
    return ds


# Acceptance ---------------------------------------------------------------------------------------------------


@transaction.atomic
def acceptance_request(*, actor, contract: Contract) -> Contract:
    """Ask for acceptance once every milestone is verified (the unit, its commissioner or staff)."""
    if not (
        permissions.can_track_contract(actor, contract) or permissions.can_request_change(actor, contract)
    ):
        raise PermissionDenied(_("您无权为此项目申请验收。"))
    unverified = contract.milestones.exclude(status=MilestoneStatus.VERIFIED).count()
    run(
        obj=contract,
        machine=CONTRACT,
        action="request_acceptance",
        actor=actor,
        ctx={"unverified_milestones": unverified},
    )
    notify(
        recipients=users_with_role(Role.STAFF),
        title=Message(gettext_noop("项目申请验收：%(c)s"), c=contract),
        url=contract.get_absolute_url(),
        kind="contract.acceptance",
    )
    return contract


@transaction.atomic
def acceptance_record(
    *,
    actor,
    contract: Contract,
    achieved: dict,
    verdict: str,
    conditions: str = "",
    panel: str = "",
    opinion: str = "",
    accepted_on: datetime.date | None = None,
    extra: dict | None = None,
) -> Acceptance:
    """Record acceptance indicator by indicator (achieved: {indicator id or name: value}) with a verdict, then
    close the contract through its machine: passed / passed with conditions → finished, failed → failed.

    The verdict "passed" is refused when any indicator misses its target (use "conditional" or "failed").
    The acceptance keeps the acceptance form version of the project's list (issue #18) and its staff-added
    fields' values by key (`extra`).
    """
    if not has_role(actor, Role.STAFF):
        raise PermissionDenied(_("只有科技厅工作人员可以登记验收结论。"))
    if contract.status != ContractStatus.ACCEPTANCE:
        raise ApplicationError(_("任务书未处于验收阶段。"), code="not_in_acceptance")
    if verdict not in Acceptance.Verdict.values:
        raise ApplicationError(_("未知的验收结论。"), code="bad_verdict")
    indicators = list(contract.indicators.all())
    values = {}
    for ind in indicators:
        raw = achieved.get(ind.pk, achieved.get(str(ind.pk), achieved.get(ind.name)))
        if raw in (None, ""):
            raise ApplicationError(_("请填写“%(n)s”的实际达到值。") % {"n": ind.name}, code="missing_value")
        try:
            values[ind.pk] = Decimal(str(raw))
        except (InvalidOperation, ValueError):
            raise ApplicationError(
                _("“%(n)s”的实际达到值必须是数字。") % {"n": ind.name}, code="not_a_number"
            )
    missed = [ind.name for ind in indicators if not ind.met_by(values[ind.pk])]
    if verdict == Acceptance.Verdict.PASSED and missed:
        raise ApplicationError(
            _("以下指标未达标，不能直接通过：%(n)s。") % {"n": listed(missed)}, code="indicators_missed"
        )
    acc = Acceptance(
        contract=contract,
        accepted_on=accepted_on or timezone.localdate(),
        verdict=verdict,
        conditions=conditions,
        panel=panel,
        opinion=opinion,
        decided_by=actor,
        form_version=(form := programme.project_form(contract, programme.ACCEPTANCE)),
        extra=programme.report_extra(form, programme.ACCEPTANCE, extra),
    )
    acc.full_clean()
    acc.save()
    for ind in indicators:
        new(
            AcceptanceItem,
            acceptance=acc,
            indicator=ind,
            achieved=values[ind.pk],
            met=ind.met_by(values[ind.pk]),
        )
    audit_record(
        actor=actor,
        action="acceptance.record",
        obj=contract,
        after={"verdict": verdict, "achieved": {i.name: values[i.pk] for i in indicators}, "missed": missed}
        | ({"extra": acc.extra} if acc.extra else {}),
        reason=opinion,
    )
    action = "fail_acceptance" if verdict == Acceptance.Verdict.FAILED else "pass_acceptance"
    run(obj=contract, machine=CONTRACT, action=action, actor=actor, reason=opinion, ctx={"verdict": verdict})
    notify(
        recipients=[contract.leader, contract.commissioner],
        title=Message(gettext_noop("验收结论：%(c)s %(v)s"), c=contract, v=label(acc, "verdict")),
        body=conditions or opinion,
        url=contract.get_absolute_url(),
        kind="acceptance.recorded",
    )
    return acc


# Results and transfers --------------------------------------------------------------------------------------


@transaction.atomic
def result_record(
    *,
    actor,
    contract: Contract,
    kind: str,
    title: str,
    achieved_on: datetime.date,
    identifier: str = "",
    description: str = "",
    is_stage_result: bool = False,
) -> Result:
    """Record a result (成果) of a project. The unit, its commissioner or staff."""
    if not permissions.can_record_result(actor, contract):
        raise PermissionDenied(MSG_NOT_RECORDER)
    if contract.status in (ContractStatus.DRAFT, ContractStatus.TERMINATED):
        raise ApplicationError(_("该任务书状态下不能登记成果。"), code="bad_state")
    res = Result(
        contract=contract,
        kind=kind,
        title=title,
        achieved_on=achieved_on,
        identifier=identifier,
        description=description,
        is_stage_result=is_stage_result,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    res.full_clean()
    res.save()
    audit_record(
        actor=actor,
        action="result.record",
        obj=res,
        after=snapshot(res, ["contract_id", "kind", "title", "identifier", "achieved_on", "is_stage_result"]),
    )
    return res


@transaction.atomic
def transfer_record(
    *,
    actor,
    result: Result,
    kind: str,
    counterparty: str,
    amount,
    transferred_on: datetime.date,
    note: str = "",
) -> Transfer:
    """Record a transfer (转化) of a result: licence, sale or equity, with the amount (万元)."""
    if not permissions.can_record_result(actor, result.contract):
        raise PermissionDenied(MSG_NOT_TRANSFER_RECORDER)
    t = Transfer(
        result=result,
        kind=kind,
        counterparty=counterparty,
        amount=Decimal(str(amount)),
        transferred_on=transferred_on,
        note=note,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    t.full_clean()
    t.save()
    audit_record(
        actor=actor,
        action="transfer.record",
        obj=result,
        after={
            "transfer": t.pk,
            "kind": kind,
            "counterparty": counterparty,
            "amount": t.amount,
            "date": transferred_on,
        },
    )
    return t
