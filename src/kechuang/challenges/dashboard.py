"""The challenge programme on each role's dashboard: tasks ("my tasks") and figures."""

import datetime

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.core import counters
from kechuang.core.display import money
from kechuang.core.roles import Role, has_role
from kechuang.core.ui import Card, Task

from . import permissions, selectors
from .models import Application, Milestone, Transfer

_STAFF_COUNTS = {
    "formal": "challenges.formal",
    "objections": "challenges.objections_open",
    "changes": "challenges.changes_pending",
    "unassigned": "challenges.contracts_unassigned",
    "acceptance": "challenges.acceptance_due",
    "published": "challenges.published",
    "results": "challenges.results",
}


def _staff_counts(user) -> dict:
    """Staff's task and card counts: the counter rows the challenge services keep (challenges.counted), one
    query, once per request; no table is counted here."""
    counts = getattr(user, "_kc_challenge_counts", None)
    if counts is None:
        kept = counters.read(*_STAFF_COUNTS.values(), memo=user)
        counts = {key: kept[name] for key, name in _STAFF_COUNTS.items()}
        user._kc_challenge_counts = counts
    return counts


def tasks_for(user) -> list[Task]:
    """What the user has to do in the challenge programme now."""
    if user is None or not user.is_authenticated:
        return []
    tasks: list[Task] = []
    today = timezone.localdate()
    if has_role(user, Role.STAFF):
        counts = _staff_counts(user)
        n = counts["formal"]
        if n:
            tasks.append(
                Task(
                    _("形式审查待办"),
                    reverse("challenges:application-list") + "?status=submitted",
                    "formal",
                    count=n,
                )
            )
        n = counts["objections"]
        if n:
            tasks.append(Task(_("公示异议待答复"), reverse("challenges:awards"), "objection", count=n))
        n = counts["changes"]
        if n:
            tasks.append(Task(_("任务书变更待审批"), reverse("challenges:contract-list"), "change", count=n))
        n = counts["unassigned"]
        if n:
            tasks.append(
                Task(
                    _("任务书待指定专员"),
                    reverse("challenges:contract-list") + "?status=draft",
                    "assign",
                    count=n,
                )
            )
        n = counts["acceptance"]
        if n:
            tasks.append(
                Task(
                    _("项目待验收"),
                    reverse("challenges:contract-list") + "?status=acceptance",
                    "acceptance",
                    count=n,
                )
            )
    if has_role(user, Role.STAFF, Role.COMMISSIONER):
        visible = permissions.contracts_visible_to(user)
        for ms in Milestone.objects.filter(contract__in=visible, status="reported").select_related(
            "contract"
        )[:20]:
            tasks.append(
                Task(_("核验里程碑：%(m)s") % {"m": ms}, ms.get_absolute_url(), "verify", due=ms.due_date)
            )
        for ms in selectors.milestones_flagged(user=user)[:20]:
            tasks.append(
                Task(
                    (_("里程碑已逾期：%(m)s") if ms.flag == "overdue" else _("里程碑临近到期：%(m)s"))
                    % {"m": ms},
                    ms.get_absolute_url(),
                    "milestone_flag",
                    due=ms.due_date,
                    overdue=ms.flag == "overdue" or ms.due_date < today,
                )
            )
    if has_role(user, Role.APPLICANT) and user.unit_id:
        for app in Application.objects.filter(
            unit_id=user.unit_id, status__in=["draft", "returned", "withdrawn"], challenge__status="published"
        ).select_related("challenge"):
            tasks.append(
                Task(
                    _("完成并提交揭榜申请：%(t)s") % {"t": app.title},
                    app.get_absolute_url(),
                    "apply",
                    due=timezone.localdate(app.challenge.deadline),
                )
            )
        for ms in Milestone.objects.filter(
            contract__unit_id=user.unit_id,
            contract__status="in_progress",
            status="target",
            due_date__lte=today + datetime.timedelta(days=selectors.AT_RISK_DAYS),
        ).select_related("contract"):
            tasks.append(
                Task(
                    _("报告里程碑：%(m)s") % {"m": ms},
                    ms.get_absolute_url(),
                    "report",
                    due=ms.due_date,
                    overdue=ms.due_date < today,
                )
            )
    return tasks


def cards_for(user) -> list[Card]:
    """Figures: the public sees open challenges and results; staff and commissioners their projects."""
    cards = []
    if has_role(user, Role.STAFF):
        open_count = _staff_counts(user)["published"]
    else:
        open_count = counters.read("challenges.published", memo=user)["challenges.published"]
    cards.append(
        Card(_("正在发榜"), str(open_count), reverse("challenges:challenge-list") + "?status=published")
    )
    if user is None or not getattr(user, "is_authenticated", False):
        agg = Transfer.objects.aggregate(total=Sum("amount"))
        cards.append(
            Card(_("攻关成果"), str(permissions.results_public().count()), reverse("challenges:results"))
        )
        cards.append(
            # money as the funds pages write it (3,200 under "（万元）" read as CNY 3,200 on English pages)
            Card(_("成果转化金额"), money(agg["total"] or 0), reverse("challenges:results"))
        )
        return cards
    if has_role(user, Role.STAFF, Role.COMMISSIONER):
        qs = permissions.contracts_visible_to(user)
        agg = qs.aggregate(
            running=Count("pk", filter=Q(status="in_progress"), distinct=True),
            overdue=Count("milestones", filter=Q(milestones__flag="overdue", status="in_progress")),
            at_risk=Count("milestones", filter=Q(milestones__flag="at_risk", status="in_progress")),
        )
        url = reverse("challenges:contract-list")
        cards.append(Card(_("在研攻关项目"), str(agg["running"]), url + "?status=in_progress"))
        cards.append(Card(_("逾期里程碑"), str(agg["overdue"]), url + "?flagged=1", note=_("每日自动检查")))
        cards.append(Card(_("临近到期里程碑"), str(agg["at_risk"]), url + "?flagged=1"))
    if has_role(user, Role.STAFF):
        cards.append(Card(_("成果登记"), str(_staff_counts(user)["results"]), reverse("challenges:results")))
    return cards
