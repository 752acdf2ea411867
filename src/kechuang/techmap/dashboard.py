"""The technology map on dashboards: the gap count for staff, public figures of the published map."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from kechuang.core.roles import Role, has_role
from kechuang.core.ui import Card, Task

from . import permissions, selectors


def _gaps(user) -> int:
    """The gap report's length, computed once per request (the task and the card both show it)."""
    n = getattr(user, "_kc_gap_count", None)
    if n is None:
        n = len(selectors.gap_report(user=user))
        user._kc_gap_count = n
    return n


def tasks_for(user) -> list[Task]:
    """Staff: bottleneck technologies nobody covers, to be turned into topics or linked to work."""
    if user is None or not has_role(user, Role.STAFF):
        return []
    n = _gaps(user)
    if not n:
        return []
    return [Task(_("卡脖子技术无人覆盖"), reverse("techmap:gaps"), "techmap.gap", count=n)]


def cards_for(user) -> list[Card]:
    """Technologies and bottlenecks of the map the user sees; internal readers also see the gaps."""
    techs = permissions.technologies_visible_to(user)
    agg = techs.aggregate(total=Count("pk"), bottlenecks=Count("pk", filter=Q(is_bottleneck=True)))
    total = agg["total"]
    if not total:
        return []
    cards = [
        Card(_("攻坚图谱关键技术"), str(total), reverse("techmap:technology-list")),
        Card(
            _("卡脖子技术"),
            str(agg["bottlenecks"]),
            reverse("techmap:technology-list") + "?bottleneck=1",
        ),
    ]
    if permissions.can_view_gap_report(user):
        cards.append(Card(_("无人覆盖的卡脖子技术"), str(_gaps(user)), reverse("techmap:gaps")))
    return cards
