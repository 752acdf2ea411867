"""A campaign: creating it, choosing its platforms, its status changes."""

from django.db import transaction
from django.utils.translation import gettext as _

from kechuang.core.audit import audit_record, snapshot
from kechuang.core.exceptions import ApplicationError
from kechuang.core.roles import Role, require_role
from kechuang.core.services import english_name_set

from .. import projects
from ..models import Campaign, Entry
from ._common import NOT_STAFF, _require_status, _transition
from .compute import campaign_publish
from .tree import _check_grading, contract_nodes_sync


@transaction.atomic
def campaign_create(
    *,
    actor,
    name: str,
    year: int,
    name_en: str = "",
    grading: str = "thresholds",
    grade_params: dict | None = None,
    description: str = "",
    is_demo: bool = False,
    subject: str = Campaign.Subject.PLATFORM,
    stage: str = "",
) -> Campaign:
    """A draft campaign of platforms, or of projects (项目绩效评价: `subject="project"` with `stage`
    "midterm" or "acceptance"). Grade parameters default to 85/75/60 (thresholds) or 20%/30%/40% (quotas)."""
    require_role(actor, Role.STAFF, message=_(NOT_STAFF))
    if subject == Campaign.Subject.PROJECT and stage not in (
        Campaign.Stage.MIDTERM,
        Campaign.Stage.ACCEPTANCE,
    ):
        msg = _("项目绩效评价须选择评价阶段：中期或验收后。")
        raise ApplicationError(msg, code="invalid", fields={"stage": [msg]})
    if subject == Campaign.Subject.PLATFORM:
        stage = ""
    if not grade_params:
        grade_params = (
            {"excellent": 0.2, "good": 0.3, "pass": 0.4}
            if grading == "quotas"
            else {"excellent": 85, "good": 75, "pass": 60}
        )
    _check_grading(grading, grade_params)
    c = Campaign(
        name=name,
        name_en=(name_en or "").strip(),
        year=year,
        grading=grading,
        grade_params=grade_params,
        description=description,
        is_demo=is_demo,
        subject=subject,
        stage=stage,
    )
    c.full_clean()
    c.save()
    audit_record(
        actor=actor,
        action="campaign.create",
        obj=c,
        after=snapshot(c, ["name", "name_en", "year", "subject", "stage", "grading", "grade_params"]),
    )
    return c


def campaign_translate(*, actor, campaign: Campaign, name_en: str) -> Campaign:
    """Set or clear a campaign's English name at any status (a rendering of its name for English pages).
    Staff only; audited as `campaign.name_translate` (core.services.english_name_set)."""
    require_role(actor, Role.STAFF, message=_(NOT_STAFF))
    return english_name_set(actor=actor, obj=campaign, text=name_en, action="campaign.name_translate")


@transaction.atomic
def entries_set(*, actor, campaign: Campaign, platforms) -> list[Entry]:
    """The platforms evaluated (draft only): adds the missing ones, removes the unpicked ones."""
    require_role(actor, Role.STAFF, message=_(NOT_STAFF))
    _require_status(campaign, Campaign.Status.DRAFT)
    if campaign.is_project:
        raise ApplicationError(_("项目绩效评价的参评对象是项目，不是平台。"), code="invalid")
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
def contracts_set(*, actor, campaign: Campaign, contracts) -> list[Entry]:
    """The projects of a performance evaluation (draft only): adds the missing ones, removes the unpicked
    ones. Each must fit the stage (after acceptance: accepted; mid-term: being carried out), else nothing is
    changed and the refusal names every project that does not fit."""
    require_role(actor, Role.STAFF, message=_(NOT_STAFF))
    _require_status(campaign, Campaign.Status.DRAFT)
    if not campaign.is_project:
        raise ApplicationError(_("平台评估的参评对象是平台，不是项目。"), code="invalid")
    wanted = {c.pk: c for c in contracts}
    if not wanted:
        msg = _("请选择参评项目。")
        raise ApplicationError(msg, code="invalid", fields={"contracts": [msg]})
    refusals = [why for c in wanted.values() if (why := projects.stage_refusal(c, campaign.stage))]
    if refusals:
        raise ApplicationError(" ".join(refusals), code="not_eligible", fields={"contracts": refusals})
    before = sorted(campaign.entries.values_list("contract_id", flat=True))
    campaign.entries.exclude(contract_id__in=wanted).delete()
    have = set(campaign.entries.values_list("contract_id", flat=True))
    Entry.objects.bulk_create(
        [Entry(campaign=campaign, contract=c) for pk, c in wanted.items() if pk not in have]
    )
    contract_nodes_sync(campaign=campaign)
    audit_record(
        actor=actor,
        action="campaign.contracts_set",
        obj=campaign,
        before={"contracts": before},
        after={"contracts": sorted(wanted)},
    )
    return list(campaign.entries.select_related("contract"))


@transaction.atomic
def campaign_transition(
    *, actor, campaign: Campaign, action: str, reason: str = "", missing: str = ""
) -> Campaign:
    """open / publish / reopen through the campaign state machine (compute moves to computed itself).
    Publishing goes through `campaign_publish` (what becomes of platforms without a report: `missing`)."""
    if action == "publish":
        return campaign_publish(actor=actor, campaign=campaign, missing=missing)
    if action == "open":  # the contracts' indicators as they stand when the evaluation opens
        contract_nodes_sync(campaign=campaign)
    return _transition(actor=actor, campaign=campaign, action=action, reason=reason)
