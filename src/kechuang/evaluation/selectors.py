"""Reads of evaluation campaigns: the tree, entries with their values, the current results."""

import datetime

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery

from kechuang.core import ui
from kechuang.core.language import local_name
from kechuang.core.queries import CompiledRows
from kechuang.core.units import local_unit
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
    """The campaign's common indicator tree in display order, each node with its depth and effective weight
    (leaves, and a group of the contract's indicators: what its project's own leaves share)."""
    from . import scoring

    nodes = list(campaign.nodes.filter(entry__isnull=True).select_related("parent"))
    try:
        weights = scoring.effective_weights(
            [
                scoring.Node(
                    n.code, n.parent.code if n.parent else None, float(n.weight), n.rule, n.params, n.expands
                )
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
    return comp.results.select_related(
        "entry__platform", "entry__platform__host", "entry__contract", "entry__contract__unit"
    ).order_by("rank", "entry__platform__code", "entry__contract__code")


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
        .select_related("platform", "platform__host", "contract", "contract__unit")
    )


def leaves(*, campaign: Campaign) -> QuerySet[IndicatorNode]:
    """The scored indicators of the common tree (every node with a rule), in tree order."""
    return (
        campaign.nodes.filter(entry__isnull=True)
        .exclude(rule=IndicatorNode.Rule.GROUP)
        .order_by("order", "pk")
    )


def own_leaves(*, entry: Entry) -> list[dict]:
    """A project's own leaves in its evaluation (one per contract indicator): name, unit, target (the
    milestone's at mid-term, once collected), value reached or missing with why, direction, degree of
    completion and score (None when missing: shown as missing, not 0), weight and effective weight."""
    from . import scoring

    nodes = list(entry.own_nodes.select_related("parent").order_by("order", "pk"))
    if not nodes:
        return []
    scores = {s.node_id: s for s in entry.scores.filter(node__in=nodes)}
    common = list(entry.campaign.nodes.filter(entry__isnull=True).select_related("parent"))

    def as_node(n):
        return scoring.Node(
            n.code, n.parent.code if n.parent else None, float(n.weight), n.rule, n.params, n.expands
        )

    # Mid-term: an indicator not yet due is out of the score (its siblings' weights renormalise).
    not_due = {pk for pk, s in scores.items() if s.source == Score.Source.NOT_DUE}
    counted = [n for n in nodes if n.pk not in not_due]
    try:
        weights = scoring.effective_weights([as_node(n) for n in common + counted])
    except scoring.ScoringError:
        weights = {}
    out = []
    for n in nodes:
        s = scores.get(n.pk)
        if n.pk in not_due:
            out.append(
                {
                    "node": n,
                    "name": n.local_name,
                    "unit": local_unit(n.params.get("unit", ""), n.params.get("unit_en", "")),
                    "target": n.params.get("target"),
                    "baseline": n.params.get("baseline"),
                    "higher_is_better": n.params.get("higher_is_better", True),
                    "value": None,
                    "collected": True,
                    "missing": False,
                    "not_due": _not_due((s.detail or {}).get("not_due") or {}),
                    "note": s.note_text,
                    "degree": None,
                    "score": None,
                    "weight": n.weight,
                    "effective": None,
                }
            )
            continue
        target = n.params.get("target")
        if s is not None and isinstance(s.detail, dict) and s.detail.get("target") is not None:
            target = s.detail["target"]
        value = None if s is None else s.value
        degree = None
        if value is not None and target not in (None, ""):
            degree = scoring.indicator_degree(
                target=target,
                achieved=value,
                baseline=n.params.get("baseline"),
                higher_is_better=n.params.get("higher_is_better", True),
            )
        out.append(
            {
                "node": n,
                "name": n.local_name,
                "unit": local_unit(n.params.get("unit", ""), n.params.get("unit_en", "")),
                "target": target,
                "baseline": n.params.get("baseline"),
                "higher_is_better": n.params.get("higher_is_better", True),
                "value": value,
                "collected": s is not None,
                "missing": s is not None and value is None,
                "note": s.note_text if s is not None else "",
                "degree": degree,
                "score": degree,  # the completion rule scores the degree itself (0–100)
                "weight": n.weight,
                "effective": weights.get(n.code),
            }
        )
    return out


def missing_indicators(*, campaign: Campaign) -> dict[int, list[str]]:
    """{entry id: names of its contract indicators without a value reached} after collection (an indicator
    never collected counts too, one not yet due at mid-term does not; a project whose contract has no indicators is listed with none named)."""
    out: dict[int, list[str]] = {}
    collected = set(  # a value reached, or not yet due at mid-term (left out of the score, not missing)
        Score.objects.filter(entry__campaign=campaign, node__entry__isnull=False)
        .filter(Q(value__isnull=False) | Q(source=Score.Source.NOT_DUE))
        .values_list("node_id", flat=True)
    )
    for n in campaign.nodes.filter(entry__isnull=False).order_by("entry_id", "order", "pk"):
        if n.pk not in collected:
            out.setdefault(n.entry_id, []).append(n.name)
    if any(n.expands for n in campaign.nodes.filter(entry__isnull=True, source="indicators")):
        for pk in campaign.entries.exclude(own_nodes__isnull=False).values_list("pk", flat=True):
            out.setdefault(pk, [])
    return out


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
                    "campaign": c.local_name,
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


def entries_without_data(*, campaign: Campaign) -> list[Entry]:
    """What publishing must ask about (grade them on what they have, or leave them out of the published
    grading): for platforms, the entries without an accepted yearly report of the campaign's year; for
    projects, those with a contract indicator without a value reached (not accepted, not reported)."""
    if campaign.is_project:
        lacking = set(
            Score.objects.filter(
                entry__campaign=campaign,
                node__source="indicators",
                node__entry__isnull=True,
                value__isnull=True,
            ).values_list("entry_id", flat=True)
        )
        lacking |= set(missing_indicators(campaign=campaign))
        return list(
            campaign.entries.filter(pk__in=lacking).select_related("contract").order_by("contract__code")
        )
    return entries_without_report(campaign=campaign)


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


# --- project performance (项目绩效评价) on the project's, the unit's and the leader's pages ---------------


def _project_results_query(*, internal: bool):
    """The latest computation's project results (published only unless `internal`), newest campaign first."""
    latest = Subquery(
        Computation.objects.filter(campaign=OuterRef("computation__campaign"))
        .order_by("-created_at", "-pk")
        .values("pk")[:1]
    )
    qs = (
        Result.objects.filter(computation__campaign__subject=Campaign.Subject.PROJECT)
        .annotate(latest=latest)
        .filter(computation_id=F("latest"))
        .select_related("computation__campaign", "entry__contract")
        # not the computation's inputs and outputs (a whole campaign's JSON) for one row each (#19)
        .defer("computation__inputs", "computation__outputs")
    )
    if not internal:
        qs = qs.filter(computation__campaign__status=Campaign.Status.PUBLISHED)
    return qs.order_by("-computation__campaign__year", "-computation__campaign_id", "entry__contract__code")


# one project's results (its page's panel), the SQL built once per process for each of the two shapes (#19)
_ONE_PROJECT = {
    internal: CompiledRows(
        lambda pk, internal=internal: _project_results_query(internal=internal).filter(entry__contract_id=pk)
    )
    for internal in (False, True)
}


def project_results(*, user, contracts=None, unit=None, leader=None) -> list[dict]:
    """The performance evaluation results of projects — of `contracts`, of a unit's projects or of a
    leader's — in the latest computation of each campaign: published ones for everyone who sees the page,
    unpublished ones too for staff and commissioners (marked). Newest campaign first; one query."""
    internal = permissions.can_view_internal(user, None)
    if contracts is not None and len(contracts) == 1 and unit is None and leader is None:
        results = _ONE_PROJECT[bool(internal)].rows(contracts[0].pk)
    else:
        qs = _project_results_query(internal=internal)
        if contracts is not None:
            qs = qs.filter(entry__contract__in=contracts)
        if unit is not None:
            qs = qs.filter(entry__contract__unit=unit)
        if leader is not None:
            qs = qs.filter(entry__contract__leader=leader)
        results = list(qs)
    out = []
    for r in results:
        c = r.computation.campaign
        out.append(
            {
                "campaign": c.local_name,
                "campaign_url": c.get_absolute_url(),
                "stage": c.get_stage_display(),
                "year": c.year,
                "published": c.status == Campaign.Status.PUBLISHED,
                "project": r.entry.contract.title,
                "project_code": r.entry.contract.code,
                "project_url": r.entry.contract.get_absolute_url(),
                "entry_url": r.entry.get_absolute_url(),
                "total": r.total,
                "rank": r.rank,
                "grade": r.grade,
                "grade_label": r.get_grade_display(),
            }
        )
    return out


def _grade_counts(rows) -> list[tuple[str, int]]:
    """(grade, number of published results) in grade order, the grades that occur."""
    counts = {g: 0 for g in Result.Grade.values}
    for r in rows:
        if r["published"]:
            counts[r["grade"]] += 1
    return [(Result.Grade(g).label, n) for g, n in counts.items() if n]


def contract_performance_panel(*, contract=None, user=None, **kwargs) -> ui.Panel | None:
    """The "performance evaluation" section of a project's page (slot challenges.contract_detail)."""
    if contract is None:
        return None
    rows = project_results(user=user, contracts=[contract])
    if not rows:
        return None
    return ui.Panel("evaluation/_project_results.html", {"rows": rows, "mine": True}, order=60)


def record_panel(*, user=None, unit=None, person=None, **kwargs) -> ui.Panel | None:
    """The performance evaluations of a unit's projects or of the projects a person led, with the count of
    each published grade: their record (slots accounts.unit_detail and accounts.user_detail)."""
    if unit is None and person is None:
        return None
    rows = (
        project_results(user=user, unit=unit)
        if unit is not None
        else project_results(user=user, leader=person)
    )
    if not rows:
        return None
    return ui.Panel(
        "evaluation/_project_results.html",
        {"rows": rows, "counts": _grade_counts(rows), "record": True},
        order=60,
    )


def _not_due(info: dict) -> dict:
    """The stored "not due" detail (JSON: the due date as ISO text) with the date as a date, for the page to
    write in its own date form."""
    if isinstance(info.get("due"), str):
        try:
            return {**info, "due": datetime.date.fromisoformat(info["due"])}
        except ValueError:
            return info
    return info


def collected_indicators(scores) -> list[dict]:
    """An evaluation made before the contract indicators were leaves: the averaged leaf's detail as collected
    (rows of name, unit, target, achieved, degree), named in the reader's language at read time (the English
    name and unit collected beside them since they existed; a unit without one from core.units' table)."""
    rows = next((s.detail for s in scores if s.detail and isinstance(s.detail, list)), [])
    return [
        {
            **r,
            "name": local_name(r.get("name", ""), r.get("name_en", "")),
            "unit": local_unit(r.get("unit", ""), r.get("unit_en", "")),
        }
        for r in rows
        if isinstance(r, dict)
    ]
