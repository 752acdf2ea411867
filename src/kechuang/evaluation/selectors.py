"""Reads of evaluation campaigns: the tree, entries with their values, the current results."""

from django.db.models import Exists, OuterRef, QuerySet

from kechuang.core import ui
from kechuang.platforms.models import YearlyReport

from . import permissions
from .models import Campaign, Computation, Entry, IndicatorNode, Result, Score


def campaign_list(*, user) -> QuerySet[Campaign]:
    """Campaigns the user may see, newest year first."""
    return permissions.campaigns_visible_to(user).order_by("-year", "name", "pk")


def campaign_facts(campaign: Campaign) -> dict:
    """What the campaign machine's guards read (one query): has it entries, leaves with a scoring rule,
    a computation."""
    return (
        Campaign.objects.filter(pk=campaign.pk)
        .annotate(
            has_entries=Exists(Entry.objects.filter(campaign=OuterRef("pk"))),
            has_scored_nodes=Exists(
                IndicatorNode.objects.filter(campaign=OuterRef("pk")).exclude(rule="group")
            ),
            has_results=Exists(Computation.objects.filter(campaign=OuterRef("pk"))),
        )
        .values("has_entries", "has_scored_nodes", "has_results")
        .get()
    )


def tree(*, campaign: Campaign) -> list[dict]:
    """The indicator tree in display order, each node with its depth and effective weight (leaves)."""
    from . import scoring

    nodes = list(campaign.nodes.select_related("parent"))
    try:
        weights = scoring.effective_weights(
            [
                scoring.Node(n.code, n.parent.code if n.parent else None, float(n.weight), n.rule, n.params)
                for n in nodes
            ]
        )
    except scoring.ScoringError:
        weights = {}
    children: dict = {}
    for n in nodes:
        children.setdefault(n.parent_id, []).append(n)
    out: list[dict] = []

    def walk(parent_id, depth):
        for n in children.get(parent_id, []):
            out.append({"node": n, "depth": depth, "effective": weights.get(n.code)})
            walk(n.pk, depth + 1)

    walk(None, 0)
    return out


def latest_computation(*, campaign: Campaign) -> Computation | None:
    """The campaign's most recent computation (the one whose results are shown), or None."""
    return campaign.computations.order_by("-created_at", "-pk").first()


def results(*, campaign: Campaign) -> QuerySet[Result]:
    """The latest computation's results, best first, platforms joined."""
    comp = latest_computation(campaign=campaign)
    if comp is None:
        return Result.objects.none()
    return comp.results.select_related("entry__platform", "entry__platform__host").order_by(
        "rank", "entry__platform__code"
    )


def score_table(*, campaign: Campaign) -> dict:
    """{entry_id: {node code: Score}} of collected raw values."""
    out: dict = {}
    for s in Score.objects.filter(entry__campaign=campaign).select_related("node"):
        out.setdefault(s.entry_id, {})[s.node.code] = s
    return out


def entries(*, campaign: Campaign, user) -> QuerySet[Entry]:
    """The campaign's entries the user may see."""
    return (
        permissions.entries_visible_to(user)
        .filter(campaign=campaign)
        .select_related("platform", "platform__host")
    )


def leaves(*, campaign: Campaign) -> QuerySet[IndicatorNode]:
    """The scored indicators (every node with a rule), in tree order."""
    return campaign.nodes.exclude(rule=IndicatorNode.Rule.GROUP).order_by("order", "pk")


def results_for_platform(*, platform, user) -> list[dict]:
    """Published results of a platform (all results for staff/commissioners), for its detail page."""
    campaigns = permissions.campaigns_visible_to(user)
    if not permissions.can_view_internal(user, None):
        campaigns = campaigns.filter(status=Campaign.Status.PUBLISHED)
    out = []
    for c in campaigns.filter(entries__platform=platform).distinct():
        r = results(campaign=c).filter(entry__platform=platform).first()
        if r is not None:
            out.append(
                {
                    "campaign": c.name,
                    "campaign_url": c.get_absolute_url(),
                    "total": r.total,
                    "rank": r.rank,
                    "grade": r.get_grade_display(),
                }
            )
    return out


def platform_results_panel(*, platform, user) -> ui.Panel:
    """The "evaluation results" section of a platform's detail page (core.ui panel "platforms.detail")."""
    return ui.Panel(
        "evaluation/_platform_results.html", {"results": results_for_platform(platform=platform, user=user)}
    )


def entries_without_report(*, campaign: Campaign) -> list[Entry]:
    """The entries whose platform has no accepted yearly report for the campaign's year: what publishing
    must ask about (grade them on zero, or leave them out of the published grading)."""

    reported = YearlyReport.objects.filter(year=campaign.year, status=YearlyReport.Status.ACCEPTED).values(
        "platform_id"
    )
    return list(
        campaign.entries.exclude(platform_id__in=reported)
        .select_related("platform")
        .order_by("platform__code")
    )
