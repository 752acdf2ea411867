"""Evaluation on dashboards: campaigns waiting for staff; published results for everyone."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from kechuang.core.roles import Role, has_role
from kechuang.core.ui import Card, Task

from .models import Campaign


def tasks_for(user) -> list[Task]:
    """Staff: campaigns collecting data or computed but not yet published."""
    if user is None or not has_role(user, Role.STAFF):
        return []
    return [
        Task(
            _("推进评估活动：%(c)s（%(s)s）") % {"c": c.local_name, "s": c.get_status_display()},
            c.get_absolute_url(),
            "evaluation.campaign",
        )
        for c in Campaign.objects.filter(status__in=[Campaign.Status.COLLECTING, Campaign.Status.COMPUTED])
    ]


def cards_for(user) -> list[Card]:
    """The number of campaigns with published results: platform evaluations, project performance evaluations."""
    counts = Campaign.objects.filter(status=Campaign.Status.PUBLISHED).aggregate(
        n=Count("pk", filter=Q(subject=Campaign.Subject.PLATFORM)),
        m=Count("pk", filter=Q(subject=Campaign.Subject.PROJECT)),
    )
    n, m = counts["n"], counts["m"]
    cards = [Card(_("已发布的平台评估"), str(n), reverse("evaluation:list"))] if n else []
    if m:
        cards.append(Card(_("已发布的项目绩效评价"), str(m), reverse("evaluation:list")))
    return cards
