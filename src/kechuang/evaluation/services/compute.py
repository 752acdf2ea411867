"""Computing a campaign's results, publishing them, verifying a computation."""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kechuang.core.audit import audit_record
from kechuang.core.exceptions import ApplicationError
from kechuang.core.roles import Role, require_role

from .. import scoring
from ..models import Campaign, Computation, Result, Score
from ._common import NOT_STAFF, _require_status, _transition


def _node_input(n, parent_code, params=None) -> dict:
    out = {
        "code": n.code,
        "name": n.name,
        "parent": parent_code,
        "weight": float(n.weight),
        "rule": n.rule,
        "source": n.source,
        "params": n.params if params is None else params,
    }
    if n.expands:
        out["expand"] = True
    return out


def campaign_inputs(campaign: Campaign, *, leave_out=()) -> dict:
    """The input snapshot of a computation: tree, grading and every entry's raw values (but the entries
    in `leave_out`, ids of entries not graded). A project's own leaves (its contract indicators) go with
    the entry, each with the target its value is compared with (mid-term: the milestone's); those not yet
    due at mid-term are left out (listed as "not_due"; a group left with none of its leaves is "left_out")."""
    nodes = list(campaign.nodes.select_related("parent"))
    entries = campaign.entries.exclude(pk__in=list(leave_out))
    values: dict[int, dict] = {e.pk: {} for e in entries}
    targets: dict[tuple, str] = {}
    not_due: set[tuple] = set()
    for s in Score.objects.filter(entry__in=entries).select_related("node"):
        if s.source == Score.Source.NOT_DUE:  # left out of the score, not missing
            not_due.add((s.entry_id, s.node_id))
            continue
        values[s.entry_id][s.node.code] = None if s.value is None else float(s.value)
        if isinstance(s.detail, dict) and s.detail.get("target") is not None:
            targets[(s.entry_id, s.node_id)] = s.detail["target"]
    own: dict[int, list[dict]] = {}
    left_out: dict[int, dict[str, list[str]]] = {}  # entry → group code → its leaves not yet due
    for n in nodes:
        if n.entry_id is not None and n.entry_id in values:
            if (n.entry_id, n.pk) in not_due:
                left_out.setdefault(n.entry_id, {}).setdefault(n.parent.code, []).append(n.code)
                continue
            params = dict(n.params)
            if (n.entry_id, n.pk) in targets:
                params["target"] = targets[(n.entry_id, n.pk)]
            own.setdefault(n.entry_id, []).append(_node_input(n, n.parent.code, params))

    def entry_input(e) -> dict:
        if e.contract_id:
            out = {"id": e.pk, "contract": e.contract_id, "name": e.contract.title, "values": values[e.pk]}
            if own.get(e.pk):
                out["nodes"] = own[e.pk]
            if left_out.get(e.pk):
                out["not_due"] = sorted(c for codes in left_out[e.pk].values() for c in codes)
                groups = {x["parent"] for x in own.get(e.pk, [])}
                empty = sorted(g for g in left_out[e.pk] if g not in groups)
                if empty:  # every leaf of the group not yet due: the group is out of this score
                    out["left_out"] = empty
            return out
        return {"id": e.pk, "platform": e.platform_id, "name": e.platform.name, "values": values[e.pk]}

    return {
        "method": scoring.METHOD,
        "campaign": campaign.pk,
        "year": campaign.year,
        "tree": [_node_input(n, n.parent.code if n.parent else None) for n in nodes if n.entry_id is None],
        "grading": campaign.grading,
        "grade_params": campaign.grade_params,
        "entries": [
            entry_input(e)
            for e in entries.select_related("platform", "contract").order_by(
                "platform__code", "contract__code"
            )
        ],
    }


@transaction.atomic
def campaign_compute(*, actor, campaign: Campaign, leave_out=()) -> Computation:
    """Compute totals, ranks and grades from the collected values; store the snapshot, method, outputs
    and one Result per entry (but those in `leave_out`, ids of entries not graded). Moves a collecting
    campaign to computed."""
    require_role(actor, Role.STAFF, message=_(NOT_STAFF))
    _require_status(campaign, Campaign.Status.COLLECTING, Campaign.Status.COMPUTED)
    if not Score.objects.filter(entry__campaign=campaign).exists():
        raise ApplicationError(_("请先采集数据。"), code="invalid")
    inputs = campaign_inputs(campaign, leave_out=leave_out)
    try:
        outputs = scoring.evaluate(inputs)
    except scoring.ScoringError as exc:
        raise ApplicationError(str(exc), code="invalid_tree")
    comp = Computation.objects.create(
        campaign=campaign,
        method=outputs["method"],
        inputs=inputs,
        outputs=outputs,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    Result.objects.bulk_create(
        [
            Result(
                computation=comp,
                entry_id=r["id"],
                total=Decimal(str(r["total"])),
                rank=r["rank"],
                grade=r["grade"],
            )
            for r in outputs["results"]
        ]
    )
    audit_record(
        actor=actor,
        action="campaign.compute",
        obj=campaign,
        after={"computation": comp.pk, "method": comp.method, "entries": len(outputs["results"])},
    )
    if campaign.status == Campaign.Status.COLLECTING:
        _transition(actor=actor, campaign=campaign, action="computed")
    return comp


MISSING_GRADE = "grade"  # grade the platforms without a report on what they have (zero: 不合格)


MISSING_LEAVE_OUT = "leave_out"  # leave them out: recompute without them, so they are not graded publicly


MSG_MISSING_CHOICE = gettext_lazy(  # lazy: module constants, read per request
    "%(n)s 个平台没有 %(y)s 年度报告：请选择按不合格定级，或不纳入本次评级。"
)
MSG_MISSING_PROJECTS = gettext_lazy(
    "%(n)s 个项目有任务书考核指标缺少达到值（缺失，不是 0）：请选择按现有数据定级（缺失的指标计 0 分），或不纳入本次评级。"
)


@transaction.atomic
def campaign_publish(*, actor, campaign: Campaign, missing: str = "") -> Campaign:
    """Publish a computed campaign's results. When some entries have no accepted yearly report of the
    campaign's year, the caller must say what becomes of them (issue #13.3): `missing="grade"` publishes
    them graded on what they have (zero scores: 不合格), `missing="leave_out"` recomputes without them first,
    so the published ranking and grades hold only the platforms that reported. Refused without a choice."""
    from ..selectors import entries_without_data

    require_role(actor, Role.STAFF, message=_(NOT_STAFF))
    if campaign.status != Campaign.Status.COMPUTED:  # the machine says why it cannot be published
        return _transition(actor=actor, campaign=campaign, action="publish")
    lacking = entries_without_data(campaign=campaign)
    if lacking and missing not in (MISSING_GRADE, MISSING_LEAVE_OUT):
        msg = MSG_MISSING_PROJECTS if campaign.is_project else MSG_MISSING_CHOICE
        raise ApplicationError(msg % {"n": len(lacking), "y": campaign.year}, code="missing_reports")
    if lacking and missing == MISSING_LEAVE_OUT:
        if len(lacking) == campaign.entries.count():
            raise ApplicationError(
                _("所有参评项目都缺少考核指标完成值，没有可发布的结果。")
                if campaign.is_project
                else _("所有参评平台都没有年度报告，没有可发布的结果。"),
                code="nothing_to_publish",
            )
        campaign_compute(actor=actor, campaign=campaign, leave_out=[e.pk for e in lacking])
    if lacking:
        audit_record(
            actor=actor,
            action="campaign.publish_scope",
            obj=campaign,
            after={
                "missing": missing,
                ("projects" if campaign.is_project else "platforms"): [e.subject_name_zh for e in lacking],
            },
        )
    return _transition(actor=actor, campaign=campaign, action="publish")


def computation_verify(*, computation: Computation) -> bool:
    """True when re-running the stored input snapshot gives exactly the stored outputs."""
    return scoring.evaluate(computation.inputs) == computation.outputs
