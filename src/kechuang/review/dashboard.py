"""What the review app adds to dashboards: an expert's pending reviews, staff's approvals and rounds."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.core import counters
from kechuang.core.roles import Role, has_role
from kechuang.core.ui import Card, Task


def _staff_counts(user) -> dict:
    """Expert profiles to approve, approved experts and open reviews: the counter rows the review services
    keep (review.counted), one query, once per request (the tasks and the cards both use them)."""
    cached = getattr(user, "_kc_review_counts", None)
    if cached is None:
        kept = counters.read(
            "review.experts_submitted", "review.experts_approved", "review.reviews_open", memo=user
        )
        cached = {
            "submitted": kept["review.experts_submitted"],
            "approved": kept["review.experts_approved"],
            "reviewing": kept["review.reviews_open"],
        }
        user._kc_review_counts = cached
    return cached


def tasks_for(user) -> list[Task]:
    from .models import Review, Round

    if user is None or not getattr(user, "is_authenticated", False):
        return []
    tasks = []
    if has_role(user, Role.EXPERT):
        today = timezone.localdate()
        open_reviews = (
            Review.objects.filter(
                assignment__expert=user,
                assignment__status="active",
                status__in=["pending", "opened"],
                assignment__round__status="reviewing",
            )
            .select_related("assignment__subject", "assignment__round")
            .order_by("assignment__round__due", "pk")
        )
        for r in open_reviews[:20]:
            due = r.assignment.round.due
            tasks.append(
                Task(
                    title=_("评审：%(t)s") % {"t": r.assignment.subject.local_title},
                    url=r.get_absolute_url(),
                    kind="review",
                    due=due,
                    overdue=bool(due and due < today),
                )
            )
    if has_role(user, Role.STAFF):
        n = _staff_counts(user)["submitted"]
        if n:
            tasks.append(
                Task(
                    title=_("待审核的专家档案"),
                    url=reverse("review:expert-list") + "?status=submitted",
                    kind="review",
                    count=n,
                )
            )
        for rnd in Round.objects.filter(status="draft").order_by("-created_at")[:5]:
            tasks.append(
                Task(
                    title=_("待分配专家：%(t)s") % {"t": rnd.title}, url=rnd.get_absolute_url(), kind="review"
                )
            )
    return tasks


def cards_for(user) -> list[Card]:
    if user is None or not has_role(user, Role.STAFF):
        return []
    return [
        Card(
            title=_("入库专家"),
            value=str(_staff_counts(user)["approved"]),
            url=reverse("review:expert-list"),
        ),
        Card(
            title=_("进行中的评审"),
            value=str(_staff_counts(user)["reviewing"]),
            url=reverse("review:round-list"),
        ),
    ]
