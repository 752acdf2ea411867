"""Reads of the platform registry, including the exact "as of a date" counts other apps rely on.

A platform exists on day d when one of its status periods covers d (start <= d < end); it is live when
that period's status is building, trial operation or operating. A member belongs on d when joined <= d <
left. Counts by kind, level, city or province count live platforms; counts by status count every platform
that exists on d, whatever its status.
"""

import datetime
import re
from collections import defaultdict

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kechuang.accounts.selectors import unit_order, units_named
from kechuang.core import bigram, divisions
from kechuang.core.dates import date_text

from . import overlap, permissions, search
from .models import (
    LIVE_STATUSES,
    Achievement,
    Affiliation,
    Kind,
    Level,
    Membership,
    MergeDecision,
    Platform,
    Reorganisation,
    Status,
    StatusPeriod,
    YearlyReport,
)

BY_FIELDS = {"kind": "kind", "level": "level", "status": "status", "city": "city", "province": "province"}
# the status filter's value for every live platform (LIVE_STATUSES), as the dashboard's card counts them
LIVE = "live"
FILTER_FIELDS = ("kind", "level", "status", "city", "province", "host")


def _covering(d: datetime.date) -> Q:
    return Q(start__lte=d) & (Q(end__isnull=True) | Q(end__gt=d))


def platform_list(*, user, filters: dict | None = None) -> QuerySet[Platform]:
    """Platforms the user may see, filtered (kind, level, status, city, province, host, industry,
    discipline, q = word-segmented full-text query), host joined."""
    filters = filters or {}
    qs = permissions.platforms_visible_to(user).select_related("host")
    for name in FILTER_FIELDS:
        value = filters.get(name)
        if value in (None, ""):
            continue
        if name == "province":
            # a name (山西, Shanxi) from an older link or the API finds the code stored since the list
            qs = qs.filter(province=divisions.normalise(value))
        elif name == "status" and value == LIVE:
            # the dashboard's card counts the live ones (building, trial, operating): its link lists the same
            qs = qs.filter(status__in=[s.value for s in LIVE_STATUSES])
        elif name == "host":
            # A malformed id from a query string matches nothing rather than failing.
            qs = qs.filter(host_id=int(value)) if str(value).isdecimal() else qs.none()
        else:
            qs = qs.filter(**{name: value})
    industry = (filters.get("industry") or "").strip()
    if industry:
        # JSON list membership differs between backends; the segmented column holds every industry word.
        qs = qs.filter(industries__icontains=industry)
    discipline = (filters.get("discipline") or "").strip()
    if discipline:
        qs = qs.filter(disciplines__icontains=discipline)
    q = (filters.get("q") or "").strip()
    if q:
        # Each word through the bigram index (core.bigram), then the same `icontains` test as before: the
        # same rows, found without scanning; ranked with the name that equals or starts with the query first.
        # The host unit by any name it is shown by as well (its English name is not among the platform's words).
        terms = search.query_terms(q)
        words = Q()
        for term in terms:
            words &= bigram.matches("search_bigrams", term, "search_text")
        if terms:
            qs = qs.filter(words | Q(host__in=units_named(q).values("pk")))
            return bigram.ranked(qs, "name", q, "code")
    return qs.order_by("code")


def platform_get(*, pk: int) -> Platform:
    """One platform with host, links, periods and operators loaded."""
    return (
        Platform.objects.select_related("host")
        .prefetch_related(
            Prefetch("periods", queryset=StatusPeriod.objects.order_by("start", "pk")),
            Prefetch(
                "affiliations", queryset=Affiliation.objects.select_related("unit").order_by("role", "start")
            ),
            "operators__user",
        )
        .get(pk=pk)
    )


def platform_names() -> list[tuple[int, str, list[str]]]:
    """(id, name, aliases) of every platform, for fuzzy matching of names found in reports."""
    out = []
    for pk, name, short, name_en in Platform.objects.values_list("id", "name", "short_name", "name_en"):
        aliases = [a for a in (short, name_en) if a]
        out.append((pk, name, aliases))
    return out


def platform_counts_as_of(
    *, date: datetime.date, by: str = "kind", province: str = "", published_only: bool = False
) -> dict[str, int]:
    """Exact counts on `date`: live platforms by kind|level|city|province, or existing ones by status.

    With `published_only`, unpublished platforms are left out (what the public may see).
    """
    if by not in BY_FIELDS:
        raise ValueError(f"by must be one of {sorted(BY_FIELDS)}")
    periods = StatusPeriod.objects.filter(_covering(date))
    if published_only:
        periods = periods.filter(platform__published=True)
    province = divisions.normalise(province)
    if province:
        periods = periods.filter(platform__province=province)
    if by == "status":
        rows = periods.values_list("status").annotate(n=Count("platform", distinct=True))
    else:
        rows = (
            periods.filter(status__in=[s.value for s in LIVE_STATUSES])
            .values_list(f"platform__{BY_FIELDS[by]}")
            .annotate(n=Count("platform", distinct=True))
        )
    return {key: n for key, n in rows if n}


def status_on(*, platform: Platform, date: datetime.date) -> str | None:
    """The platform's status on `date`, None before it existed."""
    p = StatusPeriod.objects.filter(_covering(date), platform=platform).first()
    return p.status if p else None


def statuses_on(*, platforms: QuerySet[Platform], date: datetime.date) -> dict[int, str]:
    """Each platform's status on `date` (status_on's, by platform id; none before it existed), in one query:
    the statistics page asked status_on for each national key lab of a province (16 queries in the demo)."""
    statuses: dict[int, str] = {}
    periods = StatusPeriod.objects.filter(_covering(date), platform__in=platforms).order_by(
        "platform", "start", "pk"
    )
    for platform_id, status in periods.values_list("platform_id", "status"):
        statuses.setdefault(platform_id, status)  # the first covering period, as status_on's .first()
    return statuses


def members_as_of(*, platform: Platform, date: datetime.date) -> QuerySet[Membership]:
    """The memberships in force on `date` (joined on or before, not yet left), units joined."""
    return (
        Membership.objects.filter(platform=platform, joined__lte=date)
        .filter(Q(left__isnull=True) | Q(left__gt=date))
        .select_related("unit")
        .order_by("-role", *unit_order("unit__"), "pk")
    )


def member_units_as_of(*, date: datetime.date, kind: str = Kind.CONSORTIUM, province: str = "") -> int:
    """Distinct units that belong to at least one platform of `kind` on `date`."""
    qs = Membership.objects.filter(platform__kind=kind, joined__lte=date).filter(
        Q(left__isnull=True) | Q(left__gt=date)
    )
    province = divisions.normalise(province)
    if province:
        qs = qs.filter(platform__province=province)
    return qs.values("unit").distinct().count()


def memberships(*, platform: Platform) -> QuerySet[Membership]:
    """Every membership of a platform, past and present."""
    return platform.memberships.select_related("unit").order_by(
        "left", "-role", "joined", *unit_order("unit__"), "pk"
    )


def established_counts(
    *, start: datetime.date, end: datetime.date, by: str = "kind", province: str = ""
) -> dict[str, int]:
    """Platforms established between `start` and `end` (both inclusive), grouped by `by`."""
    qs = Platform.objects.filter(established__gte=start, established__lte=end)
    province = divisions.normalise(province)
    if province:
        qs = qs.filter(province=province)
    return dict(qs.values_list(BY_FIELDS.get(by, "kind")).annotate(n=Count("id")).order_by())


def established_by_year(*, province: str = "") -> dict[int, dict[str, int]]:
    """{year: {kind: n}} of platforms established each year."""
    qs = Platform.objects.all()
    province = divisions.normalise(province)
    if province:
        qs = qs.filter(province=province)
    out: dict[int, dict[str, int]] = defaultdict(dict)
    for established, kind in qs.values_list("established", "kind"):
        out[established.year][kind] = out[established.year].get(kind, 0) + 1
    return dict(sorted(out.items()))


def achievement_totals(*, province: str = "", kind: str = "", year: int | None = None) -> dict[str, int]:
    """Achievements by kind (count facts weigh their count), optionally for one platform kind/province/year."""
    qs = Achievement.objects.all()
    province = divisions.normalise(province)
    if province:
        qs = qs.filter(platform__province=province)
    if kind:
        qs = qs.filter(platform__kind=kind)
    if year:
        qs = qs.filter(year=year)
    return {k: n for k, n in qs.values_list("kind").annotate(n=Sum("count")).order_by()}


def provinces() -> list[tuple[str, str]]:
    """(stored value, name in the reader's language) of the provinces that have platforms, for the
    statistics filter, in the standard's order; a value kept from before the list last, flagged."""
    held = set(Platform.objects.exclude(province="").order_by().values_list("province", flat=True).distinct())
    known = [(code, name) for code, name in divisions.choices() if code in held]
    return known + [(v, divisions.label(v)) for v in sorted(held) if divisions.is_flagged(v)]


def statistics(*, date: datetime.date, province: str = "") -> dict:
    """Everything the statistics page shows, for one date and optionally one province."""
    labels = {
        "kind": dict(Kind.choices),
        "level": dict(Level.choices),
        "status": dict(Status.choices),
    }
    province = divisions.normalise(province)
    out = {"date": date, "province": province}
    for by in ("kind", "level", "status", "city"):
        counts = platform_counts_as_of(date=date, by=by, province=province)
        names = labels.get(by, {})
        if by == "city":  # the city in the reader's language (Taiyuan on an English page)
            rows = [(key, divisions.city_label(key) or "—", n) for key, n in counts.items()]
        else:
            rows = [(key, str(names.get(key, key or "—")), n) for key, n in counts.items()]
        rows.sort(key=lambda r: (-r[2], r[1]))
        out[by] = rows
    years = established_by_year(province=province)
    kinds = sorted({k for v in years.values() for k in v})
    out["years"] = {
        "years": [str(y) for y in years],
        "series": [
            {"name": str(labels["kind"].get(k, k)), "data": [years[y].get(k, 0) for y in years]}
            for k in kinds
        ],
    }
    out["achievements"] = [
        (k, str(Achievement.Kind(k).label), n)
        for k, n in sorted(achievement_totals(province=province).items())
    ]
    out["consortia"] = platform_counts_as_of(date=date, by="kind", province=province).get(Kind.CONSORTIUM, 0)
    out["consortium_units"] = member_units_as_of(date=date, province=province)
    return out


def report_figures() -> list[dict]:
    """The figures of the two provincial reports (DOMAIN.md), computed from the registry, each with the
    figure the report gives. The demo data must make `value == expected`."""
    h1 = (datetime.date(2021, 1, 1), datetime.date(2021, 6, 30))
    end_2021 = datetime.date(2021, 12, 31)
    a, b = "140000", "620000"  # 山西省, 甘肃省 (GB/T 2260)
    est_a = established_counts(start=h1[0], end=h1[1], province=a)
    co_built = Platform.objects.filter(
        province=a, kind=Kind.NATIONAL_KEY_LAB, co_built=True, established__range=h1
    ).count()
    maglev = Platform.objects.filter(
        province=a,
        kind=Kind.PROVINCIAL_LAB,
        established=datetime.date(2021, 5, 24),
        city__in=("大同", "大同市"),
    ).count()
    alliance = Platform.objects.filter(
        province=a, kind=Kind.ALLIANCE, established=datetime.date(2021, 5, 24)
    ).first()
    alliance_members = (
        members_as_of(platform=alliance, date=datetime.date(2021, 5, 24)).count() if alliance else 0
    )
    live_b = platform_counts_as_of(date=end_2021, by="kind", province=b)
    nkl_b = Platform.objects.filter(province=b, kind=Kind.NATIONAL_KEY_LAB)
    trial_b = sum(1 for s in statuses_on(platforms=nkl_b, date=end_2021).values() if s == Status.TRIAL)
    upgraded_b = (
        Reorganisation.objects.filter(
            kind="upgrade", targets__province=b, targets__kind=Kind.NATIONAL_KEY_LAB, date__year=2021
        )
        .distinct()
        .count()
    )
    consolidation = Reorganisation.objects.filter(batch="82→42")
    sources = Platform.objects.filter(reorganised_into__in=consolidation).distinct().count()
    targets = Platform.objects.filter(reorganised_from__in=consolidation).distinct().count()
    new_infra = Platform.objects.filter(
        province=b, kind=Kind.NATIONAL_INFRASTRUCTURE, established__year=2021
    ).count()
    new_bdc = Platform.objects.filter(
        province=b, kind=Kind.BASIC_DISCIPLINE_CENTRE, established__year=2021
    ).count()
    ach = achievement_totals(province=b, kind=Kind.CONSORTIUM, year=2021)
    rows = [
        (a, gettext_noop("2021上半年获批省部共建全国重点实验室"), co_built, 1),
        (a, gettext_noop("2021上半年揭牌省实验室"), est_a.get(Kind.PROVINCIAL_LAB, 0), 10),
        (a, gettext_noop("2021上半年揭牌省重点实验室"), est_a.get(Kind.PROVINCIAL_KEY_LAB, 0), 37),
        (a, gettext_noop("5月24日大同揭牌高速飞车省实验室"), maglev, 1),
        (a, gettext_noop("同日成立的产业联盟成员单位"), alliance_members, 42),
        (b, gettext_noop("全国重点实验室（2021年末在运行）"), live_b.get(Kind.NATIONAL_KEY_LAB, 0), 12),
        (b, gettext_noop("国家工程(技术)研究中心"), live_b.get(Kind.NATIONAL_ENGINEERING_CENTRE, 0), 6),
        (b, gettext_noop("新建国家科教基础设施"), new_infra, 2),
        (b, gettext_noop("完成重组的全国重点实验室"), upgraded_b, 4),
        (b, gettext_noop("通过评审试运行的全国重点实验室"), trial_b, 4),
        (b, gettext_noop("优化整合前的省级创新基地"), sources, 82),
        (b, gettext_noop("优化整合后的省级创新基地"), targets, 42),
        (b, gettext_noop("新建省基础学科研究中心"), new_bdc, 4),
        (b, gettext_noop("企业创新联合体"), live_b.get(Kind.CONSORTIUM, 0), 11),
        (b, gettext_noop("联合体成员单位（≥250）"), member_units_as_of(date=end_2021, province=b), 250),
        (b, gettext_noop("进口替代技术"), ach.get(Achievement.Kind.IMPORT_SUBSTITUTION, 0), 74),
        (b, gettext_noop("国际国内领先技术"), ach.get(Achievement.Kind.LEADING, 0), 89),
        (b, gettext_noop("解决产业重大需求"), ach.get(Achievement.Kind.INDUSTRY_NEED, 0), 71),
    ]
    out = []
    for province, label, value, expected in rows:
        ok = value >= expected if "≥" in label else value == expected
        out.append({"province": province, "label": _(label), "value": value, "expected": expected, "ok": ok})
    return out


def reorganisation_list(*, user, q: str = "") -> QuerySet[Reorganisation]:
    """Reorganisations newest first, as `user` may see them (outside the department only those with a published platform among their sources),
    found by `q` in a platform's name on either side (either language, its short name) or in the batch."""
    qs = Reorganisation.objects.prefetch_related("sources", "targets").order_by("-date", "pk")
    if not permissions.can_view_internal(user):
        qs = qs.filter(sources__published=True).distinct()
    if q:
        qs = qs.filter(
            Q(sources__name__icontains=q)
            | Q(sources__name_en__icontains=q)
            | Q(sources__short_name__icontains=q)
            | Q(targets__name__icontains=q)
            | Q(targets__name_en__icontains=q)
            | Q(targets__short_name__icontains=q)
            | Q(batch__icontains=q)
        ).distinct()
    return qs


def reports_for(*, user, filters: dict | None = None) -> QuerySet[YearlyReport]:
    """Yearly reports the user may see, platform joined, filtered by year/status/platform."""
    filters = filters or {}
    qs = permissions.reports_visible_to(user).select_related("platform", "platform__host")
    for name in ("year", "status", "platform"):
        value = str(filters.get(name) or "").strip()
        if not value:
            continue
        if name != "status" and not value.isdecimal():
            return qs.none()
        qs = qs.filter(**{name: value})
    return qs.order_by("-year", "platform__code")


def accepted_report(*, platform_id: int, year: int) -> YearlyReport | None:
    """The accepted yearly report of a platform for a year (what evaluations read), or None."""
    return YearlyReport.objects.filter(
        platform_id=platform_id, year=year, status=YearlyReport.Status.ACCEPTED
    ).first()


# --- lineage and overlap ---------------------------------------------------------------------------


def lineage(*, platform: Platform | None = None, batch: str = "") -> dict:
    """The reorganisation graph: nodes (platforms) and directed edges source → target with the kind and
    date. For one platform, its whole connected lineage (ancestors and descendants, transitively)."""
    reorgs = Reorganisation.objects.prefetch_related("sources", "targets")
    if batch:
        reorgs = reorgs.filter(batch=batch)
    if platform is not None:
        # Only the reorganisations of this platform's lineage are loaded with their platforms; which they
        # are is found from the ids alone (a national registry holds hundreds of reorganisations).
        ids = _lineage_reorganisations(platform.pk, batch)
        if not ids:
            return {"nodes": {platform.pk: platform}, "edges": []}
        reorgs = reorgs.filter(pk__in=ids)
    reorgs = list(reorgs)
    edges = []
    nodes: dict[int, Platform] = {}
    for r in reorgs:
        for s in r.sources.all():
            nodes[s.pk] = s
            if not r.targets.all():
                edges.append(
                    {
                        "source": s.pk,
                        "target": None,
                        "kind": r.kind,
                        "kind_label": r.get_kind_display(),
                        "date": r.date.isoformat(),
                        "date_text": date_text(r.date),
                        "reorg": r.pk,
                    }
                )
            for t in r.targets.all():
                nodes[t.pk] = t
                edges.append(
                    {
                        "source": s.pk,
                        "target": t.pk,
                        "kind": r.kind,
                        "kind_label": r.get_kind_display(),
                        "date": r.date.isoformat(),
                        "date_text": date_text(r.date),
                        "reorg": r.pk,
                    }
                )
    if platform is not None:
        keep = {platform.pk}
        changed = True
        while changed:
            changed = False
            for e in edges:
                ends = {e["source"], e["target"]} - {None}
                if ends & keep and not ends <= keep:
                    keep |= ends
                    changed = True
        edges = [e for e in edges if e["source"] in keep]
        nodes = {pk: p for pk, p in nodes.items() if pk in keep}
        nodes.setdefault(platform.pk, platform)
    return {"nodes": nodes, "edges": edges}


def _lineage_reorganisations(platform_id: int, batch: str = "") -> set[int]:
    """Ids of the reorganisations with a source in the platform's connected lineage, from their platforms'
    ids only (one query). A reorganisation with targets joins all its sources and targets; one without
    (a platform closed) joins nothing, as `lineage` draws it: each source to no one."""
    rows = Reorganisation.objects.all()
    if batch:
        rows = rows.filter(batch=batch)
    sources, targets = defaultdict(set), defaultdict(set)
    for r, s, t in rows.values_list("pk", "sources", "targets"):  # one row per (source, target) pair
        if s is not None:
            sources[r].add(s)
        if t is not None:
            targets[r].add(t)
    groups = defaultdict(list)  # platform -> the groups of platforms it is joined with
    for r, srcs in sources.items():
        for group in [srcs | targets[r]] if targets[r] else [{s} for s in srcs]:
            for p in group:
                groups[p].append(group)
    keep, frontier = {platform_id}, [platform_id]
    while frontier:
        for group in groups[frontier.pop()]:
            for q in group - keep:
                keep.add(q)
                frontier.append(q)
    return {r for r, srcs in sources.items() if srcs & keep}


def ancestors(*, platform: Platform) -> set[int]:
    """Ids of every platform this one descends from (transitively)."""
    out: set[int] = set()
    frontier = {platform.pk}
    while frontier:
        parents = (
            set(Platform.objects.filter(reorganised_into__targets__in=frontier).values_list("pk", flat=True))
            - out
        )
        out |= parents
        frontier = parents
    return out


def next_code(like: str) -> str:
    """The next free platform code in the series of `like` (SX-PL-03 → SX-PL-11 when SX-PL-10 is the
    highest of SX-PL-…): the same prefix, one above the highest number, as many digits as `like` has; a code
    without a number gets "-1", "-2", … . What a merge proposes for its new platform (the user may change it)."""
    m = re.match(r"^(.*?)(\d+)$", like or "")
    prefix, width = (m.group(1), len(m.group(2))) if m else (f"{like}-", 1)
    taken = Platform.objects.filter(code__startswith=prefix).values_list("code", flat=True)
    numbers = [int(c[len(prefix) :]) for c in taken if c[len(prefix) :].isdecimal()]
    n = max(numbers, default=0) + 1
    return f"{prefix}{n:0{width}d}"


def merge_candidates(*, min_score: float = 0.35) -> list[overlap.Candidate]:
    """Merge proposals among live platforms (see overlap.py), pairs already decided left out."""
    items = [
        overlap.Item(
            id=p.pk,
            name=p.name,
            shown=p.local_name,
            host_id=p.host_id,
            host_name=p.host.local_name,
            disciplines=tuple(p.disciplines or ()),
            industries=tuple(p.industries or ()),
            mission=p.mission,
        )
        for p in Platform.objects.filter(status__in=[s.value for s in LIVE_STATUSES])
        .select_related("host")
        .exclude(kind__in=[Kind.ALLIANCE, Kind.CONSORTIUM])
    ]
    decided = set(MergeDecision.objects.values_list("platform_a_id", "platform_b_id"))
    return overlap.merge_candidates(items, min_score=min_score, exclude=decided)
