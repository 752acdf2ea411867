"""Reads of the technology map: the table, the tree/graph, the matrix and the gap report.

Every selector takes the reading user and returns only what `permissions` lets them see; coverage
(and so covering items) appears only for internal readers.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import NoReverseMatch
from django.utils import timezone

from kechuang.core.language import local_name
from kechuang.core.pickers import kind_find

from . import coverage as cov
from . import permissions
from .models import Chain, ChainLink, Coverage, Technology, TrlRecord


def technology_list(
    *,
    user,
    chain: int | str | None = None,
    stage: str = "",
    bottleneck: bool | None = None,
    level: str = "",
    substitution: str = "",
    q: str = "",
) -> QuerySet[Technology]:
    """Technologies the user may see, filtered, with link and chain loaded."""
    qs = permissions.technologies_visible_to(user).select_related("link__chain")
    if chain:
        qs = qs.filter(link__chain_id=chain)
    if stage:
        qs = qs.filter(link__stage=stage)
    if bottleneck is not None:
        qs = qs.filter(is_bottleneck=bottleneck)
    if level:
        qs = qs.filter(level=level)
    if substitution:
        qs = qs.filter(substitution=substitution)
    if q:
        qs = qs.filter(
            Q(name__icontains=q)
            | Q(name_en__icontains=q)
            | Q(description__icontains=q)
            | Q(link__name__icontains=q)
            | Q(link__name_en__icontains=q)
        )
    return qs.order_by("link__chain__order", "link__chain__name", "link__order", "link__name", "name")


def chain_list(*, user) -> QuerySet[Chain]:
    """Chains the user may see, with their technology and bottleneck counts."""
    return permissions.chains_visible_to(user).annotate(
        n_links=Count("links", distinct=True),
        n_technologies=Count("links__technologies", distinct=True),
        n_bottlenecks=Count(
            "links__technologies", filter=Q(links__technologies__is_bottleneck=True), distinct=True
        ),
    )


def technology_get(*, user, pk: int) -> Technology | None:
    """One technology the user may see, or None."""
    return technology_list(user=user).filter(pk=pk).first()


def trl_history(*, technology: Technology) -> list[TrlRecord]:
    """The dated TRL records of a technology, oldest first within each kind."""
    return list(technology.trl_records.select_related("recorded_by").order_by("as_of", "kind", "id"))


@dataclass
class CoverageState:
    """The coverage of one technology on one day."""

    active: list[Coverage] = field(default_factory=list)  # in its window and its target's work going on
    waiting: list[Coverage] = field(default_factory=list)  # in its window, target not (yet) active
    inactive: list[Coverage] = field(default_factory=list)  # outside its window on the day (history)

    @property
    def closing(self) -> list[Coverage]:
        """Active links of a kind that closes a gap (project, platform, consortium)."""
        return [c for c in self.active if c.kind in Coverage.CLOSING_KINDS]

    @property
    def planned(self) -> list[Coverage]:
        """Topics and challenges in their window: work planned or being tendered, whatever their state."""
        return [c for c in self.active + self.waiting if c.kind not in Coverage.CLOSING_KINDS]

    @property
    def ended(self) -> list[Coverage]:
        """Closing-kind links that do not count on the day (ended, not started, or target inactive)."""
        return [c for c in self.waiting + self.inactive if c.kind in Coverage.CLOSING_KINDS]

    @property
    def covered(self) -> bool:
        return bool(self.closing)


def coverage_states(
    technology_ids, *, day: datetime.date | None = None, include_inactive: bool = False
) -> dict[int, CoverageState]:
    """CoverageState per technology id on `day` (default today), targets loaded in one query per type.

    A link whose target object was deleted is never active nor planned."""
    day = day or timezone.localdate()
    today = day == timezone.localdate()
    qs = Coverage.objects.filter(technology_id__in=list(technology_ids)).select_related("content_type")
    if not include_inactive:
        qs = qs.filter(cov.dated_q(day))
    qs = list(qs.prefetch_related("target").order_by("-since", "-id"))
    states: dict[int, CoverageState] = defaultdict(CoverageState)
    # coverage_active() may query; many links share a target, so ask each target once, and a model that
    # offers `coverage_active_among(pks)` once for all its targets (a bounded number of queries).
    asked: dict[tuple[int, int], bool] = {}
    if today:
        by_model: dict[tuple[int, type], list[int]] = defaultdict(list)
        for c in qs:
            if c.target is not None and hasattr(type(c.target), "coverage_active_among"):
                by_model[(c.content_type_id, type(c.target))].append(c.object_id)
        for (ct_id, model), pks in by_model.items():
            active = model.coverage_active_among(set(pks))
            asked.update({(ct_id, pk): pk in active for pk in pks})
    for c in qs:
        state = states[c.technology_id]
        if not c.dated_active(day) or c.target is None:
            state.inactive.append(c)
            continue
        key = (c.content_type_id, c.object_id)
        if key not in asked:
            asked[key] = cov.target_active(c.target, today=today)
        (state.active if asked[key] else state.waiting).append(c)
    return states


@dataclass
class GapRow:
    technology: Technology
    planned: list[Coverage]  # active topic/challenge links: a topic exists but no work is going on yet
    ended: list[Coverage]  # closing links that do not count on the day (e.g. a finished project)


def gap_report(*, user, as_of: datetime.date | None = None, chain: int | None = None) -> list[GapRow]:
    """Bottleneck technologies that no active project, platform or consortium covers on `as_of`.

    Coverage counts when the day lies in its [since, until] window and, for today, when the linked
    object reports `coverage_active()`. Empty for users who may not see the gap report."""
    if not permissions.can_view_gap_report(user):
        return []
    techs = list(technology_list(user=user, chain=chain, bottleneck=True))
    states = coverage_states([t.pk for t in techs], day=as_of, include_inactive=True)
    rows = []
    for t in techs:
        state = states.get(t.pk, CoverageState())
        if state.covered:
            continue
        rows.append(GapRow(technology=t, planned=state.planned, ended=state.ended))
    mark_target_urls(user, [c for r in rows for c in r.planned + r.ended])
    return rows


def map_tree(*, user, as_of: datetime.date | None = None, chain: int | None = None) -> list[dict]:
    """The map as nested dicts: chain → links → technologies → covering items (internal readers only).

    Each technology carries TRL values, the bottleneck flag and whether it is covered (a gap is a
    bottleneck that is not)."""
    internal = permissions.can_read_internal(user)
    techs = list(technology_list(user=user, chain=chain))
    states = coverage_states([t.pk for t in techs], day=as_of) if internal else {}
    chains = permissions.chains_visible_to(user)
    if chain:
        chains = chains.filter(pk=chain)
    links = (
        permissions.links_visible_to(user)
        .filter(chain__in=chains)
        .order_by("chain__order", "chain__name", "order", "name")
    )
    by_link: dict[int, list[Technology]] = defaultdict(list)
    for t in techs:
        by_link[t.link_id].append(t)
    mark_target_urls(user, [c for st in states.values() for c in st.active + st.waiting])
    links_by_chain: dict[int, list[ChainLink]] = defaultdict(list)
    for link in links:
        links_by_chain[link.chain_id].append(link)
    out = []
    for ch in chains.order_by("order", "name"):
        chain_node = {
            "id": ch.pk,
            "name": ch.name,
            "name_en": ch.name_en,
            "published": ch.published,
            "links": [],
        }
        for link in links_by_chain[ch.pk]:
            link_node = {
                "id": link.pk,
                "name": link.name,
                "name_en": link.name_en,
                "stage": link.stage,
                "stage_label": str(link.get_stage_display()),
                "technologies": [],
            }
            for t in by_link[link.pk]:
                state = states.get(t.pk, CoverageState())
                link_node["technologies"].append(
                    {
                        "id": t.pk,
                        "name": t.name,
                        "name_en": t.name_en,
                        "url": t.get_absolute_url(),
                        "bottleneck": t.is_bottleneck,
                        "covered": state.covered if internal else None,
                        "gap": (t.is_bottleneck and not state.covered) if internal else None,
                        "trl": [t.trl_baseline, t.trl_current, t.trl_target],
                        "level": str(t.get_level_display()) if t.level else "",
                        "substitution": str(t.get_substitution_display()),
                        "coverage": [
                            {
                                "key": f"{c.content_type_id}:{c.object_id}",
                                "kind": c.kind,
                                "kind_label": str(c.get_kind_display()),
                                "name": c.target_repr,
                                "url": c.target_url,
                                "closing": c.kind in Coverage.CLOSING_KINDS,
                            }
                            for c in state.active + [w for w in state.waiting if w not in state.ended]
                        ],
                    }
                )
            chain_node["links"].append(link_node)
        out.append(chain_node)
    return out


def mark_target_urls(user, coverages) -> None:
    """Set `target_url` on each coverage: its target's page when the user may open it, else "" (the target
    is named unlinked). An expert reads the map but not the department's topics or others' projects: a link
    to them would only answer 403/404. What each may open is the target kind's own rule (core.pickers kinds),
    one query per kind of target."""
    by_type: dict[int, list[Coverage]] = defaultdict(list)
    for c in coverages:
        c.target_url = ""
        if c.target is not None:
            by_type[c.content_type_id].append(c)
    for items in by_type.values():
        visible = kind_find(items[0].content_type, user, [c.object_id for c in items])
        for c in items:
            if c.object_id in visible:
                c.target_url = _url(c.target)


def _url(obj) -> str:
    try:
        return obj.get_absolute_url() if obj is not None else ""
    except (AttributeError, NoReverseMatch):  # a target without a (reversible) URL is shown unlinked
        return ""


def map_matrix(*, user, as_of: datetime.date | None = None) -> dict:
    """Chains × stages: for each cell its links, technology count, bottlenecks and gaps.

    `gaps` is None for users who may not see coverage."""
    tree = map_tree(user=user, as_of=as_of)
    internal = permissions.can_read_internal(user)
    stages = list(ChainLink.Stage.choices)
    rows = []
    totals = {s: {"technologies": 0, "bottlenecks": 0, "gaps": 0} for s, _ in stages}
    for ch in tree:
        cells = []
        for stage, _label in stages:
            links = [lk for lk in ch["links"] if lk["stage"] == stage]
            techs = [t for lk in links for t in lk["technologies"]]
            cell = {
                "stage": stage,
                "links": [local_name(lk["name"], lk["name_en"]) for lk in links],
                "technologies": len(techs),
                "bottlenecks": sum(1 for t in techs if t["bottleneck"]),
                "gaps": sum(1 for t in techs if t["gap"]) if internal else None,
            }
            for k in ("technologies", "bottlenecks", "gaps"):
                totals[stage][k] += cell[k] or 0
            cells.append(cell)
        rows.append(
            {
                "chain": {
                    "id": ch["id"],
                    "name": local_name(ch["name"], ch["name_en"]),
                    "published": ch["published"],
                },
                "cells": cells,
            }
        )
    return {
        "stages": [{"value": s, "label": str(label)} for s, label in stages],
        "rows": rows,
        "totals": [{"stage": s, **totals[s]} for s, _ in stages],
        "internal": internal,
    }


def technology_coverage(*, user, technology: Technology) -> CoverageState:
    """The full coverage history of one technology (active today first), for internal readers."""
    if not permissions.can_read_internal(user):
        return CoverageState()
    state = coverage_states([technology.pk], include_inactive=True).get(technology.pk, CoverageState())
    mark_target_urls(user, state.active + state.waiting + state.inactive)
    return state


def chain_detail(*, user, pk: int) -> Chain | None:
    """One chain the user may see with its links and their technologies."""
    techs = Technology.objects.order_by("name")
    return (
        permissions.chains_visible_to(user)
        .prefetch_related(
            Prefetch("links", queryset=ChainLink.objects.order_by("order", "name")),
            Prefetch("links__technologies", queryset=techs),
        )
        .filter(pk=pk)
        .first()
    )


def export_rows(*, user) -> list[list]:
    """One row per technology, in the import's column order (internal notes for internal readers)."""
    from .importer import export_row

    internal = permissions.can_read_internal(user)
    return [export_row(t, internal=internal) for t in technology_list(user=user)]
