"""The campaign lifecycle: draft → collecting → computed → published (reopen goes back to collecting).

Pure: no queries. Guards read the facts the caller computed (`selectors.campaign_facts`) from `ctx`."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kechuang.core.roles import Role
from kechuang.core.workflow import StateMachine, Transition


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    COLLECTING = "collecting", _("数据采集与专家评分")
    COMPUTED = "computed", _("已计算")
    PUBLISHED = "published", _("已发布")


S = CampaignStatus
STAFF = frozenset({Role.STAFF.value})


def _ready(campaign, ctx) -> str | None:
    if not ctx.get("has_entries"):
        return str(_("请先选择参评平台。"))
    if not ctx.get("has_scored_nodes"):
        return str(_("请先定义带评分规则的末级指标。"))
    return None


def _has_results(campaign, ctx) -> str | None:
    if not ctx.get("has_results"):
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
