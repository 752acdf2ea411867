"""What the evaluation services share: the staff-only message, the status check and the machine transition."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kechuang.accounts.models import User
from kechuang.core.exceptions import ApplicationError
from kechuang.core.messages import Message
from kechuang.core.notifications import notify
from kechuang.core.roles import roles_of
from kechuang.core.services import transition_apply
from kechuang.platforms.models import Operator

from .. import selectors
from ..models import Campaign
from ..workflow import CAMPAIGN_MACHINE

NOT_STAFF = "只有科技厅工作人员可以管理评估活动。"


def _require_status(campaign: Campaign, *statuses: str) -> None:
    if campaign.status not in statuses:
        raise ApplicationError(
            _("评估活动当前状态“%(s)s”不允许此操作。") % {"s": campaign.get_status_display()},
            code="invalid_state",
        )


def _transition(*, actor, campaign: Campaign, action: str, reason: str = "") -> Campaign:
    """Apply one transition. Publishing notifies the operators of the evaluated platforms (the leaders of
    the evaluated projects)."""
    transition_apply(
        obj=campaign,
        machine=CAMPAIGN_MACHINE,
        action=action,
        actor=actor,
        roles=roles_of(actor),
        reason=reason,
        ctx=selectors.campaign_facts(campaign),
    )
    if action == "publish" and campaign.is_project:
        # The leaders of the evaluated projects, one query however many entries.
        leaders = list(
            User.objects.filter(led_contracts__evaluation_entries__campaign=campaign)
            .distinct()
            .order_by("pk")
        )
        notify(
            recipients=leaders,
            title=Message(gettext_noop("项目绩效评价结果已发布：%(c)s"), c=campaign.name),
            url=campaign.get_absolute_url(),
            kind="evaluation.published",
        )
    elif action == "publish":
        # One query for every evaluated platform's operators, however many entries.
        operators = [
            o.user
            for o in Operator.objects.filter(platform__evaluation_entries__campaign=campaign)
            .select_related("user")
            .order_by("pk")
        ]
        notify(
            recipients=operators,
            title=Message(gettext_noop("评估结果已发布：%(c)s"), c=campaign.name),
            url=campaign.get_absolute_url(),
            kind="evaluation.published",
        )
    return campaign
