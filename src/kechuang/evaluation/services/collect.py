"""Collecting a campaign's figures: the yearly reports, the expert review, scores typed in."""

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kechuang.core.audit import audit_record
from kechuang.core.dates import date_text
from kechuang.core.exceptions import ApplicationError
from kechuang.core.messages import in_both
from kechuang.core.roles import Role, require_role
from kechuang.platforms.models import YearlyReport
from kechuang.review import services as review
from kechuang.review.selectors import subjects_results

from ..models import Campaign, Entry, IndicatorNode, Score
from ..projects import project_facts
from ._common import NOT_STAFF, _require_status

REPORT_FIELDS = (
    "staff",
    "doctorates",
    "funding",
    "projects",
    "papers",
    "patents",
    "transferred",
    "shared_hours",
)


@transaction.atomic
def campaign_review_start(
    *, actor, campaign: Campaign, k: int = 3, experts=None, seed: int | None = 1, due=None
):
    """Hand the expert-score indicators to the review app: a form whose criteria are those indicators and
    a round over the entries (conflicts: experts from the host or co-host units are excluded by review)."""

    require_role(actor, Role.STAFF, message=_(NOT_STAFF))
    _require_status(campaign, Campaign.Status.COLLECTING)
    if campaign.review_round_id:
        raise ApplicationError(_("已创建专家评审轮次。"), code="duplicate")
    nodes = list(campaign.nodes.filter(rule=IndicatorNode.Rule.EXPERT))
    if not nodes:
        raise ApplicationError(_("指标树中没有专家评分指标。"), code="invalid")
    criteria = [
        {
            "code": n.code,
            "name": n.name,
            "name_en": n.name_en,
            "weight": float(n.weight),
            "max_score": int(float(n.params.get("max", 100))),
        }
        for n in nodes
    ]
    name, name_en = in_both(gettext_noop("%(c)s 专家评分表"), c=(campaign.name, campaign.name_en))
    form = review.form_create(actor=actor, name=name, name_en=name_en, criteria=criteria)
    entries = list(
        campaign.entries.select_related(
            "campaign",
            "platform",
            "platform__host",
            "contract",
            "contract__application__unit",
            "contract__application__leader",
            "contract__application__challenge",
        ).prefetch_related("contract__application__members", "contract__application__avoid_units")
    )
    title, title_en = in_both(gettext_noop("%(c)s 专家评审"), c=(campaign.name, campaign.name_en))
    rnd = review.round_create(
        actor=actor,
        title=title,
        title_en=title_en,
        subjects=entries,
        form=form,
        k=k,
        max_load=max(6, k * len(entries)),
        seed=seed,
        experts=experts,
        due=due,
    )
    campaign.review_form_id, campaign.review_round_id = form.pk, rnd.pk
    campaign.save(update_fields=["review_form_id", "review_round_id", "updated_at"])
    audit_record(
        actor=actor,
        action="campaign.review_start",
        obj=campaign,
        after={"form": form.pk, "round": rnd.pk, "k": k},
    )
    return rnd


def _expert_means(campaign: Campaign, entry_ids) -> dict[int, dict[str, float]]:
    """{entry id: {criterion code: mean}} from the review app, for all entries at once."""
    if not campaign.review_round_id:
        return {}

    # An entry belongs to one campaign and is reviewed only in that campaign's round (its latest).
    return {pk: dict(res.criteria_means) for pk, res in subjects_results(model=Entry, ids=entry_ids).items()}


@transaction.atomic
def campaign_collect(*, actor, campaign: Campaign) -> dict:
    """Store every entry's raw leaf values: report fields from the accepted yearly report of the
    campaign's year, expert indicators from the review round's criterion means. Missing data is stored as
    missing (it scores 0) with the reason. Returns counts by source.

    A bounded number of queries whatever the number of entries and indicators: the entries, leaves,
    accepted reports, expert means and existing scores are read in bulk, new scores are bulk-created and
    existing ones bulk-updated; one audit event records the counts."""

    require_role(actor, Role.STAFF, message=_(NOT_STAFF))
    _require_status(campaign, Campaign.Status.COLLECTING)
    if campaign.is_project:
        return _collect_projects(actor=actor, campaign=campaign)
    leaves = list(campaign.nodes.exclude(rule=IndicatorNode.Rule.GROUP))
    entries = list(campaign.entries.order_by("pk"))
    # At most one report per platform and year (report_one_per_year), as platforms.accepted_report reads.
    reports = {
        r.platform_id: r
        for r in YearlyReport.objects.filter(
            platform_id__in={e.platform_id for e in entries},
            year=campaign.year,
            status=YearlyReport.Status.ACCEPTED,
        )
    }
    means_by_entry = _expert_means(campaign, [e.pk for e in entries])
    existing = {
        (s.entry_id, s.node_id): s for s in Score.objects.filter(entry__campaign=campaign, node__in=leaves)
    }
    counts = {"report": 0, "expert": 0, "missing": 0}
    now = timezone.now()
    to_create, to_update = [], []
    # Notes are kept in Chinese and read in the reader's language (Score.note_text).
    missing_report = gettext_noop("%(y)s 年度报告未接收") % {"y": campaign.year}
    no_expert = gettext_noop("尚无提交的专家评分")
    for entry in entries:
        report = reports.get(entry.platform_id)
        means = means_by_entry.get(entry.pk, {})
        for node in leaves:
            if node.rule == IndicatorNode.Rule.EXPERT:
                value = means.get(node.code)
                source = Score.Source.EXPERT if value is not None else Score.Source.MISSING
                note = "" if value is not None else no_expert
            else:
                value = getattr(report, node.source) if report else None
                source = Score.Source.REPORT if report else Score.Source.MISSING
                note = "" if report else missing_report
            value = None if value is None else Decimal(str(round(float(value), 4)))
            score = existing.get((entry.pk, node.pk))
            if score is None:
                to_create.append(Score(entry=entry, node=node, value=value, source=source, note=note))
            else:
                score.value, score.source, score.note, score.updated_at = value, source, note, now
                to_update.append(score)
            counts[source] += 1
    Score.objects.bulk_create(to_create, batch_size=1000)
    Score.objects.bulk_update(to_update, ["value", "source", "note", "updated_at"], batch_size=1000)
    audit_record(actor=actor, action="campaign.collect", obj=campaign, after=counts)
    return counts


def _collect_projects(*, actor, campaign: Campaign) -> dict:
    """campaign_collect for a performance evaluation: each leaf's value from the project's figures at the
    campaign's stage (projects.project_facts: the contract's target indicators, milestones, results,
    transfers), expert leaves from the review round. Each project's own leaves (its contract indicators) get
    the value reached (after acceptance: what acceptance recorded; mid-term: the latest reported, with that
    milestone's target kept in `detail`), or missing with why — never 0; at mid-term an indicator not yet due
    (no milestone with a target for it due) is stored as not due, with its first milestone in `detail`."""
    nodes = list(campaign.nodes.exclude(rule=IndicatorNode.Rule.GROUP))
    common = [n for n in nodes if n.entry_id is None]
    own: dict[int, list[IndicatorNode]] = {}
    for n in nodes:
        if n.entry_id is not None:
            own.setdefault(n.entry_id, []).append(n)
    entries = list(campaign.entries.order_by("pk"))
    with translation.override(settings.LANGUAGE_CODE):  # notes kept in Chinese, read in the reader's (Score)
        facts = project_facts(
            contract_ids=[e.contract_id for e in entries], stage=campaign.stage, on=timezone.localdate()
        )
    means_by_entry = _expert_means(campaign, [e.pk for e in entries])
    existing = {
        (s.entry_id, s.node_id): s for s in Score.objects.filter(entry__campaign=campaign, node__in=nodes)
    }
    counts = {"project": 0, "expert": 0, "missing": 0}
    now = timezone.now()
    to_create, to_update = [], []
    no_expert = gettext_noop("尚无提交的专家评分")
    gone = gettext_noop("该指标已不在任务书中")
    for entry in entries:
        f = facts[entry.contract_id]
        means = means_by_entry.get(entry.pk, {})
        for node in common + own.get(entry.pk, []):
            detail: list | dict = []
            if node.rule == IndicatorNode.Rule.EXPERT:
                value = means.get(node.code)
                source = Score.Source.EXPERT if value is not None else Score.Source.MISSING
                note = "" if value is not None else no_expert
            elif node.rule == IndicatorNode.Rule.COMPLETION and node.contract_indicator_id in f.not_due:
                seq, due = f.not_due[node.contract_indicator_id]
                value, source = None, Score.Source.NOT_DUE
                note = _("未到期（第%(n)s期节点 %(d)s 考核）") % {"n": seq, "d": date_text(due)}
                detail = {"not_due": {"seq": seq, "due": due.isoformat()}}
            elif node.rule == IndicatorNode.Rule.COMPLETION:
                value, target, note = f.achieved.get(node.contract_indicator_id, (None, None, gone))
                source = Score.Source.PROJECT if value is not None else Score.Source.MISSING
                detail = {"target": format(Decimal(target).normalize(), "f")} if target is not None else {}
            else:
                value = f.values.get(node.source)
                source = Score.Source.PROJECT if value is not None else Score.Source.MISSING
                note = str(f.notes.get(node.source, ""))[:300]
                if node.source == "indicators":
                    detail = f.indicators
            value = None if value is None else Decimal(str(round(float(value), 4)))
            score = existing.get((entry.pk, node.pk))
            if score is None:
                to_create.append(
                    Score(entry=entry, node=node, value=value, source=source, note=note, detail=detail)
                )
            else:
                score.value, score.source, score.note, score.detail = value, source, note, detail
                score.updated_at = now
                to_update.append(score)
            counts[source] = counts.get(source, 0) + 1
    Score.objects.bulk_create(to_create, batch_size=1000)
    Score.objects.bulk_update(to_update, ["value", "source", "note", "detail", "updated_at"], batch_size=1000)
    audit_record(actor=actor, action="campaign.collect", obj=campaign, after=counts)
    return counts


@transaction.atomic
def score_set(*, actor, entry: Entry, node: IndicatorNode, value, note: str) -> Score:
    """Staff correct one raw value by hand (a reason is required and audited)."""
    require_role(actor, Role.STAFF, message=_(NOT_STAFF))
    _require_status(entry.campaign, Campaign.Status.COLLECTING)
    if not note.strip():
        raise ApplicationError(_("请说明修改原因。"), code="invalid", fields={"note": [_("必填")]})
    score, _c = Score.objects.get_or_create(entry=entry, node=node, defaults={"source": Score.Source.MISSING})
    before = {"value": score.value, "source": score.source}
    try:
        score.value = None if value in (None, "") else Decimal(str(value))
    except InvalidOperation:
        raise ApplicationError(_("原始值必须是数字。"), code="invalid", fields={"value": [str(value)]})
    if node.rule == "expert":
        score.source = Score.Source.EXPERT
    else:
        score.source = Score.Source.PROJECT if entry.campaign.is_project else Score.Source.REPORT
    score.note = note[:300]
    score.full_clean()
    score.save(update_fields=["value", "source", "note", "updated_at"])
    audit_record(
        actor=actor,
        action="score.set",
        obj=entry,
        before=before,
        after={"node": node.code, "value": score.value, "source": score.source},
        reason=note,
    )
    return score
