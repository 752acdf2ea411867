"""Every write of evaluation campaigns. Staff only; each state change audited.

Data flow: the tree and entries are set in draft; `campaign_review_start` hands the expert-score
indicators to the review app (a form whose criteria are those indicators, and a round over the entries);
`campaign_collect` stores each entry's raw values (accepted yearly report fields, expert criterion means);
`campaign_compute` snapshots those values with the tree and grading, runs scoring.evaluate and stores the
computation with its results. `computation_verify` re-runs a stored snapshot to prove it reproduces.
"""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.core.audit import audit_record, snapshot
from kechuang.core.exceptions import ApplicationError, PermissionDenied
from kechuang.core.notifications import notify
from kechuang.core.roles import Role, has_role, roles_of
from kechuang.core.services import transition_apply
from kechuang.platforms.models import Operator, YearlyReport
from kechuang.review import services as review
from kechuang.review.selectors import subjects_results

from . import scoring, selectors
from .models import Campaign, Computation, Entry, IndicatorNode, Result, Score
from .workflow import CAMPAIGN_MACHINE

NOT_STAFF = "只有科技厅工作人员可以管理评估活动。"
REPORT_FIELDS = (
    "staff",
    "doctorates",
    "funding",
    "projects",
    "papers",
    "patents",
    "transferred",
    "shared_hours",
)

# A standard tree for provincial labs (used by the demo and offered on the campaign page).
DEFAULT_TREE = [
    {"code": "capacity", "name": "创新能力与队伍", "weight": 30},
    {
        "code": "staff",
        "name": "固定人员",
        "weight": 40,
        "parent": "capacity",
        "rule": "linear",
        "source": "staff",
        "params": {"min": 20, "max": 120},
    },
    {
        "code": "doctorates",
        "name": "博士人数",
        "weight": 60,
        "parent": "capacity",
        "rule": "threshold",
        "source": "doctorates",
        "params": {"steps": [[0, 40], [10, 60], [20, 80], [35, 100]]},
    },
    {"code": "output", "name": "产出与转化", "weight": 40},
    {
        "code": "papers",
        "name": "论文",
        "weight": 30,
        "parent": "output",
        "rule": "linear",
        "source": "papers",
        "params": {"min": 0, "max": 50},
    },
    {
        "code": "patents",
        "name": "专利",
        "weight": 30,
        "parent": "output",
        "rule": "linear",
        "source": "patents",
        "params": {"min": 0, "max": 20},
    },
    {
        "code": "transferred",
        "name": "成果转化",
        "weight": 40,
        "parent": "output",
        "rule": "threshold",
        "source": "transferred",
        "params": {"steps": [[0, 0], [1, 60], [3, 80], [5, 100]]},
    },
    {
        "code": "sharing",
        "name": "资源开放共享",
        "weight": 10,
        "rule": "linear",
        "source": "shared_hours",
        "params": {"min": 0, "max": 2000},
    },
    {"code": "expert", "name": "专家综合评价", "weight": 20, "rule": "expert", "params": {"max": 100}},
]


def _require_staff(actor) -> None:
    if isinstance(actor, str):
        return
    if not has_role(actor, Role.STAFF):
        raise PermissionDenied(_(NOT_STAFF))


def _roles(actor):
    return frozenset({Role.STAFF.value}) if isinstance(actor, str) else roles_of(actor)


def _require_status(campaign: Campaign, *statuses: str) -> None:
    if campaign.status not in statuses:
        raise ApplicationError(
            _("评估活动当前状态“%(s)s”不允许此操作。") % {"s": campaign.get_status_display()},
            code="invalid_state",
        )


@transaction.atomic
def campaign_create(
    *,
    actor,
    name: str,
    year: int,
    grading: str = "thresholds",
    grade_params: dict | None = None,
    description: str = "",
    is_demo: bool = False,
) -> Campaign:
    """A draft campaign. Grade parameters default to 85/75/60 (thresholds) or 20%/30%/40% (quotas)."""
    _require_staff(actor)
    if not grade_params:
        grade_params = (
            {"excellent": 0.2, "good": 0.3, "pass": 0.4}
            if grading == "quotas"
            else {"excellent": 85, "good": 75, "pass": 60}
        )
    _check_grading(grading, grade_params)
    c = Campaign(
        name=name,
        year=year,
        grading=grading,
        grade_params=grade_params,
        description=description,
        is_demo=is_demo,
    )
    c.full_clean()
    c.save()
    audit_record(
        actor=actor,
        action="campaign.create",
        obj=c,
        after=snapshot(c, ["name", "year", "grading", "grade_params"]),
    )
    return c


def _check_grading(grading: str, params: dict) -> None:
    try:
        if grading == "quotas":
            scoring.grades_by_quotas([], params)
        else:
            scoring.grades_by_thresholds({}, params)
    except (KeyError, TypeError, ValueError) as exc:
        raise ApplicationError(
            _("定级参数有误：%(e)s") % {"e": exc}, code="invalid", fields={"grade_params": [str(exc)]}
        )


@transaction.atomic
def node_add(
    *,
    actor,
    campaign: Campaign,
    code: str,
    name: str,
    weight,
    parent: IndicatorNode | str | None = None,
    rule: str = "group",
    source: str = "",
    params: dict | None = None,
) -> IndicatorNode:
    """Add an indicator to a draft campaign's tree. Leaf rules are checked now: a report source must be a
    yearly-report number, an expert rule needs no source, threshold/linear parameters must evaluate."""
    _require_staff(actor)
    _require_status(campaign, Campaign.Status.DRAFT)
    if isinstance(parent, str):
        parent = campaign.nodes.filter(code=parent).first()
        if parent is None:
            raise ApplicationError(_("上级指标不存在。"), code="invalid")
    if parent is not None and parent.rule != IndicatorNode.Rule.GROUP:
        raise ApplicationError(_("带评分规则的指标不能再有下级指标。"), code="invalid")
    if rule in ("threshold", "linear") and source not in REPORT_FIELDS:
        raise ApplicationError(
            _("阈值和线性规则须指定年度报告中的数据字段。"), code="invalid", fields={"source": [source]}
        )
    params = params or {}
    if rule != "group":
        try:
            scoring.leaf_score(rule, params, 0)
        except (scoring.ScoringError, KeyError, TypeError, ValueError) as exc:
            raise ApplicationError(
                _("规则参数有误：%(e)s") % {"e": exc}, code="invalid", fields={"params": [str(exc)]}
            )
    try:
        weight = Decimal(str(weight))
    except InvalidOperation:
        raise ApplicationError(_("权重必须是数字。"), code="invalid", fields={"weight": [str(weight)]})
    node = IndicatorNode(
        campaign=campaign,
        parent=parent,
        code=code,
        name=name,
        weight=weight,
        rule=rule,
        source=source,
        params=params,
        order=campaign.nodes.count(),
    )
    node.full_clean()
    node.save()
    audit_record(
        actor=actor,
        action="campaign.node_add",
        obj=campaign,
        after={
            "code": code,
            "name": name,
            "weight": weight,
            "parent": parent.code if parent else None,
            "rule": rule,
            "source": source,
            "params": params,
        },
    )
    return node


@transaction.atomic
def node_remove(*, actor, node: IndicatorNode) -> None:
    """Remove an indicator (and its sub-indicators) from a draft campaign's tree, audited."""
    _require_staff(actor)
    campaign = node.campaign
    _require_status(campaign, Campaign.Status.DRAFT)
    removed = [node.code, *campaign.nodes.filter(parent=node).values_list("code", flat=True)]
    node.delete()
    audit_record(actor=actor, action="campaign.node_remove", obj=campaign, before={"codes": removed})


@transaction.atomic
def tree_add_default(*, actor, campaign: Campaign) -> list[IndicatorNode]:
    """Add the standard provincial-lab tree (DEFAULT_TREE) to an empty draft campaign."""
    if campaign.nodes.exists():
        raise ApplicationError(_("指标树已存在。"), code="invalid")
    return [node_add(actor=actor, campaign=campaign, **n) for n in DEFAULT_TREE]


@transaction.atomic
def entries_set(*, actor, campaign: Campaign, platforms) -> list[Entry]:
    """The platforms evaluated (draft only): adds the missing ones, removes the unpicked ones."""
    _require_staff(actor)
    _require_status(campaign, Campaign.Status.DRAFT)
    wanted = {p.pk: p for p in platforms}
    before = sorted(campaign.entries.values_list("platform_id", flat=True))
    campaign.entries.exclude(platform_id__in=wanted).delete()
    have = set(campaign.entries.values_list("platform_id", flat=True))
    Entry.objects.bulk_create(
        [Entry(campaign=campaign, platform=p) for pk, p in wanted.items() if pk not in have]
    )
    audit_record(
        actor=actor,
        action="campaign.entries_set",
        obj=campaign,
        before={"platforms": before},
        after={"platforms": sorted(wanted)},
    )
    return list(campaign.entries.select_related("platform"))


@transaction.atomic
def campaign_transition(
    *, actor, campaign: Campaign, action: str, reason: str = "", missing: str = ""
) -> Campaign:
    """open / publish / reopen through the campaign state machine (compute moves to computed itself).
    Publishing goes through `campaign_publish` (what becomes of platforms without a report: `missing`)."""
    if action == "publish":
        return campaign_publish(actor=actor, campaign=campaign, missing=missing)
    return _transition(actor=actor, campaign=campaign, action=action, reason=reason)


def _transition(*, actor, campaign: Campaign, action: str, reason: str = "") -> Campaign:
    """Apply one transition. Publishing notifies the operators of the evaluated platforms."""
    transition_apply(
        obj=campaign,
        machine=CAMPAIGN_MACHINE,
        action=action,
        actor=actor,
        roles=_roles(actor),
        reason=reason,
        ctx=selectors.campaign_facts(campaign),
    )
    if action == "publish":
        # One query for every evaluated platform's operators, however many entries.
        operators = [
            o.user
            for o in Operator.objects.filter(platform__evaluation_entries__campaign=campaign)
            .select_related("user")
            .order_by("pk")
        ]
        notify(
            recipients=operators,
            title=_("评估结果已发布：%(c)s") % {"c": campaign.name},
            url=campaign.get_absolute_url(),
            kind="evaluation.published",
        )
    return campaign


@transaction.atomic
def campaign_review_start(
    *, actor, campaign: Campaign, k: int = 3, experts=None, seed: int | None = 1, due=None
):
    """Hand the expert-score indicators to the review app: a form whose criteria are those indicators and
    a round over the entries (conflicts: experts from the host or co-host units are excluded by review)."""

    _require_staff(actor)
    _require_status(campaign, Campaign.Status.COLLECTING)
    if campaign.review_round_id:
        raise ApplicationError(_("已创建专家评审轮次。"), code="duplicate")
    nodes = list(campaign.nodes.filter(rule=IndicatorNode.Rule.EXPERT))
    if not nodes:
        raise ApplicationError(_("指标树中没有专家评分指标。"), code="invalid")
    criteria = [
        {
            "code": n.code,
            "name": n.name,
            "weight": float(n.weight),
            "max_score": int(float(n.params.get("max", 100))),
        }
        for n in nodes
    ]
    form = review.form_create(
        actor=actor, name=_("%(c)s 专家评分表") % {"c": campaign.name}, criteria=criteria
    )
    entries = list(campaign.entries.select_related("platform", "platform__host"))
    rnd = review.round_create(
        actor=actor,
        title=_("%(c)s 专家评审") % {"c": campaign.name},
        subjects=entries,
        form=form,
        k=k,
        max_load=max(6, k * len(entries)),
        seed=seed,
        experts=experts,
        due=due,
    )
    campaign.review_form_id, campaign.review_round_id = form.pk, rnd.pk
    campaign.save(update_fields=["review_form_id", "review_round_id", "updated_at"])
    audit_record(
        actor=actor,
        action="campaign.review_start",
        obj=campaign,
        after={"form": form.pk, "round": rnd.pk, "k": k},
    )
    return rnd


def _expert_means(campaign: Campaign, entry_ids) -> dict[int, dict[str, float]]:
    """{entry id: {criterion code: mean}} from the review app, for all entries at once."""
    if not campaign.review_round_id:
        return {}

    # An entry belongs to one campaign and is reviewed only in that campaign's round (its latest).
    return {pk: dict(res.criteria_means) for pk, res in subjects_results(model=Entry, ids=entry_ids).items()}


@transaction.atomic
def campaign_collect(*, actor, campaign: Campaign) -> dict:
    """Store every entry's raw leaf values: report fields from the accepted yearly report of the
    campaign's year, expert indicators from the review round's criterion means. Missing data is stored as
    missing (it scores 0) with the reason. Returns counts by source.

    A bounded number of queries whatever the number of entries and indicators: the entries, leaves,
    accepted reports, expert means and existing scores are read in bulk, new scores are bulk-created and
    existing ones bulk-updated; one audit event records the counts."""

    _require_staff(actor)
    _require_status(campaign, Campaign.Status.COLLECTING)
    leaves = list(campaign.nodes.exclude(rule=IndicatorNode.Rule.GROUP))
    entries = list(campaign.entries.order_by("pk"))
    # At most one report per platform and year (report_one_per_year), as platforms.accepted_report reads.
    reports = {
        r.platform_id: r
        for r in YearlyReport.objects.filter(
            platform_id__in={e.platform_id for e in entries},
            year=campaign.year,
            status=YearlyReport.Status.ACCEPTED,
        )
    }
    means_by_entry = _expert_means(campaign, [e.pk for e in entries])
    existing = {
        (s.entry_id, s.node_id): s for s in Score.objects.filter(entry__campaign=campaign, node__in=leaves)
    }
    counts = {"report": 0, "expert": 0, "missing": 0}
    now = timezone.now()
    to_create, to_update = [], []
    missing_report = _("%(y)s 年度报告未接收") % {"y": campaign.year}
    no_expert = _("尚无提交的专家评分")
    for entry in entries:
        report = reports.get(entry.platform_id)
        means = means_by_entry.get(entry.pk, {})
        for node in leaves:
            if node.rule == IndicatorNode.Rule.EXPERT:
                value = means.get(node.code)
                source = Score.Source.EXPERT if value is not None else Score.Source.MISSING
                note = "" if value is not None else no_expert
            else:
                value = getattr(report, node.source) if report else None
                source = Score.Source.REPORT if report else Score.Source.MISSING
                note = "" if report else missing_report
            value = None if value is None else Decimal(str(round(float(value), 4)))
            score = existing.get((entry.pk, node.pk))
            if score is None:
                to_create.append(Score(entry=entry, node=node, value=value, source=source, note=note))
            else:
                score.value, score.source, score.note, score.updated_at = value, source, note, now
                to_update.append(score)
            counts[source] += 1
    Score.objects.bulk_create(to_create, batch_size=1000)
    Score.objects.bulk_update(to_update, ["value", "source", "note", "updated_at"], batch_size=1000)
    audit_record(actor=actor, action="campaign.collect", obj=campaign, after=counts)
    return counts


@transaction.atomic
def score_set(*, actor, entry: Entry, node: IndicatorNode, value, note: str) -> Score:
    """Staff correct one raw value by hand (a reason is required and audited)."""
    _require_staff(actor)
    _require_status(entry.campaign, Campaign.Status.COLLECTING)
    if not note.strip():
        raise ApplicationError(_("请说明修改原因。"), code="invalid", fields={"note": [_("必填")]})
    score, _c = Score.objects.get_or_create(entry=entry, node=node, defaults={"source": Score.Source.MISSING})
    before = {"value": score.value, "source": score.source}
    try:
        score.value = None if value in (None, "") else Decimal(str(value))
    except InvalidOperation:
        raise ApplicationError(_("原始值必须是数字。"), code="invalid", fields={"value": [str(value)]})
    score.source = Score.Source.REPORT if node.rule != "expert" else Score.Source.EXPERT
    score.note = note[:300]
    score.full_clean()
    score.save(update_fields=["value", "source", "note", "updated_at"])
    audit_record(
        actor=actor,
        action="score.set",
        obj=entry,
        before=before,
        after={"node": node.code, "value": score.value, "source": score.source},
        reason=note,
    )
    return score


def campaign_inputs(campaign: Campaign, *, leave_out=()) -> dict:
    """The input snapshot of a computation: tree, grading and every entry's raw values (but the entries
    in `leave_out`, ids of entries not graded)."""
    nodes = list(campaign.nodes.select_related("parent"))
    entries = campaign.entries.exclude(pk__in=list(leave_out))
    values: dict[int, dict] = {e.pk: {} for e in entries}
    for s in Score.objects.filter(entry__in=entries).select_related("node"):
        values[s.entry_id][s.node.code] = None if s.value is None else float(s.value)
    return {
        "method": scoring.METHOD,
        "campaign": campaign.pk,
        "year": campaign.year,
        "tree": [
            {
                "code": n.code,
                "name": n.name,
                "parent": n.parent.code if n.parent else None,
                "weight": float(n.weight),
                "rule": n.rule,
                "source": n.source,
                "params": n.params,
            }
            for n in nodes
        ],
        "grading": campaign.grading,
        "grade_params": campaign.grade_params,
        "entries": [
            {"id": e.pk, "platform": e.platform_id, "name": e.platform.name, "values": values[e.pk]}
            for e in entries.select_related("platform").order_by("platform__code")
        ],
    }


@transaction.atomic
def campaign_compute(*, actor, campaign: Campaign, leave_out=()) -> Computation:
    """Compute totals, ranks and grades from the collected values; store the snapshot, method, outputs
    and one Result per entry (but those in `leave_out`, ids of entries not graded). Moves a collecting
    campaign to computed."""
    _require_staff(actor)
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
MSG_MISSING_CHOICE = _("%(n)s 个平台没有 %(y)s 年度报告：请选择按不合格定级，或不纳入本次评级。")


@transaction.atomic
def campaign_publish(*, actor, campaign: Campaign, missing: str = "") -> Campaign:
    """Publish a computed campaign's results. When some entries have no accepted yearly report of the
    campaign's year, the caller must say what becomes of them (issue #13.3): `missing="grade"` publishes
    them graded on what they have (zero scores: 不合格), `missing="leave_out"` recomputes without them first,
    so the published ranking and grades hold only the platforms that reported. Refused without a choice."""
    from .selectors import entries_without_report

    _require_staff(actor)
    if campaign.status != Campaign.Status.COMPUTED:  # the machine says why it cannot be published
        return _transition(actor=actor, campaign=campaign, action="publish")
    lacking = entries_without_report(campaign=campaign)
    if lacking and missing not in (MISSING_GRADE, MISSING_LEAVE_OUT):
        raise ApplicationError(
            MSG_MISSING_CHOICE % {"n": len(lacking), "y": campaign.year}, code="missing_reports"
        )
    if lacking and missing == MISSING_LEAVE_OUT:
        if len(lacking) == campaign.entries.count():
            raise ApplicationError(
                _("所有参评平台都没有年度报告，没有可发布的结果。"), code="nothing_to_publish"
            )
        campaign_compute(actor=actor, campaign=campaign, leave_out=[e.pk for e in lacking])
    if lacking:
        audit_record(
            actor=actor,
            action="campaign.publish_scope",
            obj=campaign,
            after={"missing": missing, "platforms": [e.platform.name for e in lacking]},
        )
    return _transition(actor=actor, campaign=campaign, action="publish")


def computation_verify(*, computation: Computation) -> bool:
    """True when re-running the stored input snapshot gives exactly the stored outputs."""
    return scoring.evaluate(computation.inputs) == computation.outputs
