"""A campaign's indicator tree: nodes, their grading, the default tree."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from kechuang.challenges.models import ContractIndicator
from kechuang.core.audit import audit_record
from kechuang.core.exceptions import ApplicationError
from kechuang.core.roles import Role, require_role
from kechuang.core.services import english_name_set

from .. import scoring
from ..models import Campaign, IndicatorNode
from ..projects import PROJECT_FIELDS
from ._common import NOT_STAFF, _require_status
from .collect import REPORT_FIELDS

# A standard tree for provincial labs (used by the demo and offered on the campaign page).
DEFAULT_TREE = [
    {"code": "capacity", "name": "创新能力与队伍", "name_en": "Innovation capacity and team", "weight": 30},
    {
        "code": "staff",
        "name": "固定人员",
        "name_en": "Permanent staff",
        "weight": 40,
        "parent": "capacity",
        "rule": "linear",
        "source": "staff",
        "params": {"min": 20, "max": 120},
    },
    {
        "code": "doctorates",
        "name": "博士人数",
        "name_en": "Doctorate holders",
        "weight": 60,
        "parent": "capacity",
        "rule": "threshold",
        "source": "doctorates",
        "params": {"steps": [[0, 40], [10, 60], [20, 80], [35, 100]]},
    },
    {"code": "output", "name": "产出与转化", "name_en": "Output and transfer", "weight": 40},
    {
        "code": "papers",
        "name": "论文",
        "name_en": "Papers",
        "weight": 30,
        "parent": "output",
        "rule": "linear",
        "source": "papers",
        "params": {"min": 0, "max": 50},
    },
    {
        "code": "patents",
        "name": "专利",
        "name_en": "Patents",
        "weight": 30,
        "parent": "output",
        "rule": "linear",
        "source": "patents",
        "params": {"min": 0, "max": 20},
    },
    {
        "code": "transferred",
        "name": "成果转化",
        "name_en": "Technology transfer",
        "weight": 40,
        "parent": "output",
        "rule": "threshold",
        "source": "transferred",
        "params": {"steps": [[0, 0], [1, 60], [3, 80], [5, 100]]},
    },
    {
        "code": "sharing",
        "name": "资源开放共享",
        "name_en": "Open sharing of facilities",
        "weight": 10,
        "rule": "linear",
        "source": "shared_hours",
        "params": {"min": 0, "max": 2000},
    },
    {
        "code": "expert",
        "name": "专家综合评价",
        "name_en": "Overall expert assessment",
        "weight": 20,
        "rule": "expert",
        "params": {"max": 100},
    },
]


# The standard tree of a project performance evaluation (项目绩效评价): the contract's own target
# indicators and milestones, what the project produced, and the experts' judgement (through review).
PROJECT_TREE = [
    {"code": "goals", "name": "任务书目标完成情况", "name_en": "Contract goals achieved", "weight": 50},
    # One leaf per contract indicator of each project (scored by its completion), equal weights.
    {
        "code": "indicators",
        "name": "任务书考核指标",
        "name_en": "Contract target indicators",
        "weight": 70,
        "parent": "goals",
        "source": "indicators",
    },
    {
        "code": "milestones",
        "name": "里程碑核验完成率",
        "name_en": "Milestones verified (%)",
        "weight": 30,
        "parent": "goals",
        "rule": "linear",
        "source": "milestones",
        "params": {"min": 0, "max": 100},
    },
    {"code": "output", "name": "成果与转化", "name_en": "Results and transfer", "weight": 20},
    {
        "code": "results",
        "name": "取得成果",
        "name_en": "Results achieved",
        "weight": 50,
        "parent": "output",
        "rule": "threshold",
        "source": "results",
        "params": {"steps": [[0, 0], [1, 60], [3, 80], [5, 100]]},
    },
    {
        "code": "transfers",
        "name": "成果转化金额",
        "name_en": "Transfer income",
        "weight": 50,
        "parent": "output",
        "rule": "threshold",
        "source": "transfers",
        "params": {"steps": [[0, 0], [1, 60], [50, 80], [200, 100]]},
    },
    {
        "code": "expert",
        "name": "专家综合评价",
        "name_en": "Overall expert assessment",
        "weight": 30,
        "rule": "expert",
        "params": {"max": 100},
    },
]


def sources_of(campaign: Campaign) -> tuple[str, ...]:
    """The data fields a threshold or linear leaf of `campaign` may read: a yearly report's numbers for a
    platform campaign, a project's figures (projects.PROJECT_FIELDS) for a performance evaluation."""
    return tuple(PROJECT_FIELDS) if campaign.is_project else REPORT_FIELDS


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
    name_en: str = "",
    parent: IndicatorNode | str | None = None,
    rule: str = "group",
    source: str = "",
    params: dict | None = None,
) -> IndicatorNode:
    """Add an indicator to a draft campaign's tree. Leaf rules are checked now: a source must be a
    yearly-report number (platforms) or a project figure (projects), an expert rule needs no source,
    threshold/linear parameters must evaluate."""
    require_role(actor, Role.STAFF, message=_(NOT_STAFF))
    _require_status(campaign, Campaign.Status.DRAFT)
    if campaign.is_project and source == "indicators":
        # The contract's indicators, one leaf each per project: the node is their group.
        rule, params = IndicatorNode.Rule.GROUP, {}
    elif rule == IndicatorNode.Rule.COMPLETION:
        msg = _("按完成度计分的指标由任务书考核指标逐项生成，不能单独添加。")
        raise ApplicationError(msg, code="invalid", fields={"rule": [msg]})
    if isinstance(parent, str):
        parent = campaign.nodes.filter(code=parent, entry__isnull=True).first()
        if parent is None:
            raise ApplicationError(_("上级指标不存在。"), code="invalid")
    if parent is not None and parent.rule != IndicatorNode.Rule.GROUP:
        raise ApplicationError(_("带评分规则的指标不能再有下级指标。"), code="invalid")
    if parent is not None and parent.expands:
        msg = _("“%(p)s”的下级指标是各项目任务书的考核指标，不能另加。") % {"p": parent.name}
        raise ApplicationError(msg, code="invalid", fields={"parent": [msg]})
    if rule in ("threshold", "linear") and source not in sources_of(campaign):
        msg = (
            _("阈值和线性规则须指定项目的数据来源。")
            if campaign.is_project
            else _("阈值和线性规则须指定年度报告中的数据字段。")
        )
        raise ApplicationError(msg, code="invalid", fields={"source": [msg]})
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
        name_en=(name_en or "").strip(),
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
            **({"name_en": node.name_en} if node.name_en else {}),
            "weight": weight,
            "parent": parent.code if parent else None,
            "rule": rule,
            "source": source,
            "params": params,
        },
    )
    if node.expands:
        contract_nodes_sync(campaign=campaign)
    return node


def _num(v) -> str | None:
    return None if v is None else format(Decimal(v).normalize(), "f")


def contract_nodes_sync(*, campaign: Campaign) -> int:
    """Give every project of a draft performance evaluation one leaf per target indicator of its contract
    under each group of the contract's indicators (weight 1: equal until staff change it; scored by its
    completion; name, unit, target, baseline and direction copied). Leaves already there are kept with their
    weights; those of an indicator no longer in the contract are removed. Part of the caller's audited
    change (the projects set, the group added, the campaign opened). Returns the number of leaves made."""
    if not campaign.is_project or campaign.status != Campaign.Status.DRAFT:
        return 0
    groups = [n for n in campaign.nodes.filter(entry__isnull=True) if n.expands]
    entries = list(campaign.entries.filter(contract__isnull=False))
    by_contract: dict[int, list] = {}
    for ind in ContractIndicator.objects.filter(contract_id__in=[e.contract_id for e in entries]).order_by(
        "contract_id", "seq", "pk"
    ):
        by_contract.setdefault(ind.contract_id, []).append(ind)
    have = set(
        campaign.nodes.filter(entry__isnull=False).values_list(
            "parent_id", "entry_id", "contract_indicator_id"
        )
    )
    wanted = {
        (g.pk, e.pk, ind.pk) for g in groups for e in entries for ind in by_contract.get(e.contract_id, [])
    }
    campaign.nodes.filter(entry__isnull=False, contract_indicator__isnull=True).delete()
    stale = have - wanted
    for parent_id, entry_id, ind_id in stale:
        campaign.nodes.filter(parent_id=parent_id, entry_id=entry_id, contract_indicator_id=ind_id).delete()
    order = campaign.nodes.count()
    new = []
    for g in groups:
        for e in entries:
            for ind in by_contract.get(e.contract_id, []):
                if (g.pk, e.pk, ind.pk) in have:
                    continue
                new.append(
                    IndicatorNode(
                        campaign=campaign,
                        parent=g,
                        entry=e,
                        contract_indicator=ind,
                        code=f"{g.code}-{ind.pk}",
                        name=ind.name,
                        name_en=ind.name_en,
                        weight=Decimal(1),
                        rule=IndicatorNode.Rule.COMPLETION,
                        params={
                            "target": _num(ind.target),
                            "baseline": _num(ind.baseline),
                            "higher_is_better": ind.higher_is_better,
                            "unit": ind.unit,
                            "unit_en": ind.unit_en,
                        },
                        order=order + len(new),
                    )
                )
    IndicatorNode.objects.bulk_create(new)
    return len(new)


@transaction.atomic
def node_names_from_contracts(*, actor, campaign: Campaign) -> int:
    """A project evaluation's contract-indicator leaves without an English name or English unit take their
    contract indicator's (given after the leaves were made: a rendering for English pages, at any status, not a change
    of the evaluation). Staff only; each audited as `campaign.node_translate` (core.services.english_name_set).
    Returns how many were named."""
    require_role(actor, Role.STAFF, message=_(NOT_STAFF))
    leaves = (
        campaign.nodes.filter(name_en="", contract_indicator__isnull=False)
        .exclude(contract_indicator__name_en="")
        .select_related("contract_indicator")
    )
    n = 0
    for node in leaves:
        english_name_set(
            actor=actor, obj=node, text=node.contract_indicator.name_en, action="campaign.node_translate"
        )
        n += 1
    # and their units' English form (in `params`, beside the unit copied there when the leaf was made)
    for node in (
        campaign.nodes.filter(contract_indicator__isnull=False)
        .exclude(contract_indicator__unit_en="")
        .select_related("contract_indicator")
        .select_for_update(of=("self",))
    ):
        before, after = (node.params or {}).get("unit_en", ""), node.contract_indicator.unit_en
        if before:
            continue
        _node_unit_en_set(actor=actor, node=node, was=before, unit_en=after)
        n += 1
    return n


def _node_unit_en_set(*, actor, node: IndicatorNode, was: str, unit_en: str) -> None:
    """A leaf's English unit (kept in its params) set from its contract indicator's, audited
    `campaign.node_translate`."""
    node.params = {**(node.params or {}), "unit_en": unit_en}
    node.save(update_fields=["params", "updated_at"])
    audit_record(
        actor=actor,
        action="campaign.node_translate",
        obj=node,
        before={"unit_en": was},
        after={"unit_en": unit_en},
    )


def contract_indicator_english_followed(*, actor, changes) -> int:
    """The hook `challenges.contract_indicator_english` (staff changed a published challenge's English names
    or units, and its contracts' copies followed): a project evaluation's leaves made from those contract
    indicators take the new English name and unit where they still carry the one copied before (or none) —
    a leaf named otherwise on the evaluation's tree keeps its name. At any status (a rendering, not a change
    of the evaluation); each audited as `campaign.node_translate`, in the challenge's transaction. `changes`:
    [(contract indicator as saved now, {"name_en", "unit_en"} before)]. Returns how many leaves changed."""
    by_id = {row.pk: (row, before) for row, before in changes}
    n = 0
    for node in IndicatorNode.objects.filter(contract_indicator_id__in=by_id).select_for_update():
        row, before = by_id[node.contract_indicator_id]
        if (
            row.name_en != before["name_en"]
            and node.name_en in ("", before["name_en"])
            and node.name_en != row.name_en
        ):
            node = english_name_set(actor=actor, obj=node, text=row.name_en, action="campaign.node_translate")
            n += 1
        was = (node.params or {}).get("unit_en", "")
        if row.unit_en != before["unit_en"] and was in ("", before["unit_en"]) and was != row.unit_en:
            if (node.params or {}).get("unit", row.unit) != row.unit:
                continue
            _node_unit_en_set(actor=actor, node=node, was=was, unit_en=row.unit_en)
            n += 1
    return n


@transaction.atomic
def node_weight_set(*, actor, node: IndicatorNode, weight) -> IndicatorNode:
    """Change an indicator's weight (draft campaigns only: before the evaluation opens), audited. A weight
    is a number ≥ 0; siblings' weights must not all be 0."""
    require_role(actor, Role.STAFF, message=_(NOT_STAFF))
    # The campaign as it stands now (locked), not as the caller read it.
    node.campaign = Campaign.objects.select_for_update().get(pk=node.campaign_id)
    _require_status(node.campaign, Campaign.Status.DRAFT)
    try:
        value = Decimal(str(weight).strip())
        if not value.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        msg = _("权重必须是数字。")
        raise ApplicationError(msg, code="invalid", fields={"weight": [msg]})
    if value < 0 or value >= Decimal("10000"):
        msg = _("权重应为 0 到 10000 之间的数。")
        raise ApplicationError(msg, code="invalid", fields={"weight": [msg]})
    siblings = IndicatorNode.objects.filter(
        campaign=node.campaign, parent=node.parent_id, entry=node.entry_id
    )
    if value == 0 and not siblings.exclude(pk=node.pk).filter(weight__gt=0).exists():
        msg = _("同级指标的权重之和必须大于 0。")
        raise ApplicationError(msg, code="invalid", fields={"weight": [msg]})
    before = node.weight
    node.weight = value.quantize(Decimal("0.0001"))
    node.save(update_fields=["weight", "updated_at"])
    audit_record(
        actor=actor,
        action="campaign.node_weight",
        obj=node.campaign,
        before={"node": node.name, "weight": before},
        after={
            "node": node.name,
            "of_project": node.entry.subject_name_zh if node.entry_id else None,
            "weight": node.weight,
        },
    )
    return node


@transaction.atomic
def node_remove(*, actor, node: IndicatorNode) -> None:
    """Remove an indicator (and its sub-indicators) from a draft campaign's tree, audited."""
    require_role(actor, Role.STAFF, message=_(NOT_STAFF))
    campaign = node.campaign
    _require_status(campaign, Campaign.Status.DRAFT)
    if node.entry_id:
        msg = _("任务书考核指标不能单独删除；可把权重改为 0。")
        raise ApplicationError(msg, code="invalid")
    removed = [node.code, *campaign.nodes.filter(parent=node).values_list("code", flat=True)]
    node.delete()
    audit_record(actor=actor, action="campaign.node_remove", obj=campaign, before={"codes": removed})


@transaction.atomic
def tree_add_default(*, actor, campaign: Campaign) -> list[IndicatorNode]:
    """Add the standard tree to an empty draft campaign: the provincial-lab tree (DEFAULT_TREE) to a
    platform campaign, the project tree (PROJECT_TREE) to a performance evaluation."""
    if campaign.nodes.filter(entry__isnull=True).exists():
        raise ApplicationError(_("指标树已存在。"), code="invalid")
    tree = PROJECT_TREE if campaign.is_project else DEFAULT_TREE
    return [node_add(actor=actor, campaign=campaign, **n) for n in tree]
