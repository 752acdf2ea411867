"""A campaign: creating it, choosing its platforms, its status changes."""

from django.db import transaction
from django.utils.translation import gettext as _

from kechuang.core.audit import audit_record, snapshot
from kechuang.core.roles import Role, require_role

from ..models import Campaign, Entry
from ._common import NOT_STAFF, _require_status, _transition
from .compute import campaign_publish
from .tree import _check_grading


@transaction.atomic
def campaign_create(
    *,
    actor,
    name: str,
    year: int,
    grading: str = "thresholds",
    grade_params: dict | None = None,
    description: str = "",
    is_demo: bool = False,
) -> Campaign:
    """A draft campaign. Grade parameters default to 85/75/60 (thresholds) or 20%/30%/40% (quotas)."""
    require_role(actor, Role.STAFF, message=_(NOT_STAFF))
    if not grade_params:
        grade_params = (
            {"excellent": 0.2, "good": 0.3, "pass": 0.4}
            if grading == "quotas"
            else {"excellent": 85, "good": 75, "pass": 60}
        )
    _check_grading(grading, grade_params)
    c = Campaign(
        name=name,
        year=year,
        grading=grading,
        grade_params=grade_params,
        description=description,
        is_demo=is_demo,
    )
    c.full_clean()
    c.save()
    audit_record(
        actor=actor,
        action="campaign.create",
        obj=c,
        after=snapshot(c, ["name", "year", "grading", "grade_params"]),
    )
    return c


@transaction.atomic
def entries_set(*, actor, campaign: Campaign, platforms) -> list[Entry]:
    """The platforms evaluated (draft only): adds the missing ones, removes the unpicked ones."""
    require_role(actor, Role.STAFF, message=_(NOT_STAFF))
    _require_status(campaign, Campaign.Status.DRAFT)
    wanted = {p.pk: p for p in platforms}
    before = sorted(campaign.entries.values_list("platform_id", flat=True))
    campaign.entries.exclude(platform_id__in=wanted).delete()
    have = set(campaign.entries.values_list("platform_id", flat=True))
    Entry.objects.bulk_create(
        [Entry(campaign=campaign, platform=p) for pk, p in wanted.items() if pk not in have]
    )
    audit_record(
        actor=actor,
        action="campaign.entries_set",
        obj=campaign,
        before={"platforms": before},
        after={"platforms": sorted(wanted)},
    )
    return list(campaign.entries.select_related("platform"))


@transaction.atomic
def campaign_transition(
    *, actor, campaign: Campaign, action: str, reason: str = "", missing: str = ""
) -> Campaign:
    """open / publish / reopen through the campaign state machine (compute moves to computed itself).
    Publishing goes through `campaign_publish` (what becomes of platforms without a report: `missing`)."""
    if action == "publish":
        return campaign_publish(actor=actor, campaign=campaign, missing=missing)
    return _transition(actor=actor, campaign=campaign, action=action, reason=reason)
