"""Who sees which campaign, entry and result.

Staff run campaigns and see everything; commissioners read everything; an expert sees only the entries they
are assigned to score (through the review app); operators and the public see published results only.
"""

from django.db.models import QuerySet

from kechuang.core.roles import Role, has_role
from kechuang.review.models import Review
from kechuang.review.selectors import my_assignments

from .models import Campaign, Entry


def can_manage_campaign(user, campaign=None) -> bool:
    """Only department staff define and run campaigns."""
    return has_role(user, Role.STAFF)


def campaigns_visible_to(user) -> QuerySet[Campaign]:
    """Staff and commissioners: all campaigns; experts: published ones and those they score in; others:
    published ones."""
    if has_role(user, Role.STAFF, Role.COMMISSIONER):
        return Campaign.objects.all()
    published = Campaign.objects.filter(status=Campaign.Status.PUBLISHED)
    if has_role(user, Role.EXPERT):
        ids = set(entries_scored_by(user).values_list("campaign_id", flat=True))
        return Campaign.objects.filter(pk__in=ids) | published
    return published


def can_view_campaign(user, campaign) -> bool:
    """See `campaigns_visible_to`."""
    return campaigns_visible_to(user).filter(pk=campaign.pk).exists()


def can_view_internal(user, campaign) -> bool:
    """Raw values, computations and unpublished results are for staff and commissioners."""
    return has_role(user, Role.STAFF, Role.COMMISSIONER)


def entries_scored_by(user) -> QuerySet[Entry]:
    """The entries an expert is assigned to score in a campaign's review round, not those they declared a
    conflict with (closed to them from then on, as a challenge application is)."""
    if not has_role(user, Role.EXPERT):
        return Entry.objects.none()
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(Entry)
    rows = (
        my_assignments(user=user)
        .filter(subject__content_type=ct)
        .exclude(review__status=Review.Status.DECLINED)
        .values_list("subject__object_id", "round_id")
    )
    ids = [oid for oid, round_id in rows]
    rounds = {round_id for _oid, round_id in rows}
    return Entry.objects.filter(pk__in=ids, campaign__review_round_id__in=rounds)


def entries_visible_to(user) -> QuerySet[Entry]:
    """Staff/commissioners: all; experts: what they score plus published campaigns; others: published."""
    if has_role(user, Role.STAFF, Role.COMMISSIONER):
        return Entry.objects.all()
    published = Entry.objects.filter(campaign__status=Campaign.Status.PUBLISHED)
    if has_role(user, Role.EXPERT):
        return entries_scored_by(user) | published
    return published


def can_view_entry(user, entry) -> bool:
    """See `entries_visible_to`."""
    return entries_visible_to(user).filter(pk=entry.pk).exists()
