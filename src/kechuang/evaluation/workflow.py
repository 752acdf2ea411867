"""The campaign lifecycle: draft → collecting → computed → published (reopen goes back to collecting)."""

from django.utils.translation import gettext_lazy as _

from kechuang.core.roles import Role
from kechuang.core.workflow import StateMachine, Transition

from .models import Campaign

S = Campaign.Status
STAFF = frozenset({Role.STAFF.value})


def _ready(campaign, ctx) -> str | None:
    if not campaign.entries.exists():
        return str(_("请先选择参评平台。"))
    if not campaign.nodes.exclude(rule="group").exists():
        return str(_("请先定义带评分规则的末级指标。"))
    return None


def _has_results(campaign, ctx) -> str | None:
    if not campaign.computations.exists():
        return str(_("尚未计算结果。"))
    return None


CAMPAIGN_MACHINE = StateMachine(
    "campaign",
    S,
    [
        Transition("open", frozenset({S.DRAFT}), S.COLLECTING, STAFF, _("开始采集与评分"), (_ready,)),
        Transition("computed", frozenset({S.COLLECTING}), S.COMPUTED, STAFF, _("完成计算"), (_has_results,)),
        Transition("publish", frozenset({S.COMPUTED}), S.PUBLISHED, STAFF, _("发布结果"), (_has_results,)),
        Transition("reopen", frozenset({S.COMPUTED}), S.COLLECTING, STAFF, _("重新采集"), needs_reason=True),
    ],
)
