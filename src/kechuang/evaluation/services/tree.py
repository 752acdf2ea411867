"""A campaign's indicator tree: nodes, their grading, the default tree."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from kechuang.core.audit import audit_record
from kechuang.core.exceptions import ApplicationError
from kechuang.core.roles import Role, require_role

from .. import scoring
from ..models import Campaign, IndicatorNode
from ..projects import PROJECT_FIELDS
from ._common import NOT_STAFF, _require_status
from .collect import REPORT_FIELDS

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


# The standard tree of a project performance evaluation (项目绩效评价): the contract's own target
# indicators and milestones, what the project produced, and the experts' judgement (through review).
PROJECT_TREE = [
    {"code": "goals", "name": "任务书目标完成情况", "weight": 50},
    {
        "code": "indicators",
        "name": "考核指标完成度",
        "weight": 70,
        "parent": "goals",
        "rule": "linear",
        "source": "indicators",
        "params": {"min": 0, "max": 100},
    },
    {
        "code": "milestones",
        "name": "里程碑核验完成率",
        "weight": 30,
        "parent": "goals",
        "rule": "linear",
        "source": "milestones",
        "params": {"min": 0, "max": 100},
    },
    {"code": "output", "name": "成果与转化", "weight": 20},
    {
        "code": "results",
        "name": "取得成果",
        "weight": 50,
        "parent": "output",
        "rule": "threshold",
        "source": "results",
        "params": {"steps": [[0, 0], [1, 60], [3, 80], [5, 100]]},
    },
    {
        "code": "transfers",
        "name": "成果转化金额",
        "weight": 50,
        "parent": "output",
        "rule": "threshold",
        "source": "transfers",
        "params": {"steps": [[0, 0], [1, 60], [50, 80], [200, 100]]},
    },
    {"code": "expert", "name": "专家综合评价", "weight": 30, "rule": "expert", "params": {"max": 100}},
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
    if isinstance(parent, str):
        parent = campaign.nodes.filter(code=parent).first()
        if parent is None:
            raise ApplicationError(_("上级指标不存在。"), code="invalid")
    if parent is not None and parent.rule != IndicatorNode.Rule.GROUP:
        raise ApplicationError(_("带评分规则的指标不能再有下级指标。"), code="invalid")
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
    require_role(actor, Role.STAFF, message=_(NOT_STAFF))
    campaign = node.campaign
    _require_status(campaign, Campaign.Status.DRAFT)
    removed = [node.code, *campaign.nodes.filter(parent=node).values_list("code", flat=True)]
    node.delete()
    audit_record(actor=actor, action="campaign.node_remove", obj=campaign, before={"codes": removed})


@transaction.atomic
def tree_add_default(*, actor, campaign: Campaign) -> list[IndicatorNode]:
    """Add the standard tree to an empty draft campaign: the provincial-lab tree (DEFAULT_TREE) to a
    platform campaign, the project tree (PROJECT_TREE) to a performance evaluation."""
    if campaign.nodes.exists():
        raise ApplicationError(_("指标树已存在。"), code="invalid")
    tree = PROJECT_TREE if campaign.is_project else DEFAULT_TREE
    return [node_add(actor=actor, campaign=campaign, **n) for n in tree]
