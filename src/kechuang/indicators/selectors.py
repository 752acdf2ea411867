"""Reads of the indicators app: lookups, tables, trends, rankings, target progress, framework inputs."""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from kechuang.core import divisions
from kechuang.core.exceptions import ApplicationError
from kechuang.core.language import local_name

from . import formulas, permissions
from .models import Framework, IndexRun, Indicator, Region, Target, Value


def indicator_lookup() -> list[tuple[str, str, list[str]]]:
    """(code, Chinese name, aliases) of every indicator, for matching facts found in reports."""
    return [
        (code, name, list(aliases or []))
        for code, name, aliases in Indicator.objects.order_by("code").values_list(
            "code", "name_zh", "aliases"
        )
    ]


def indicator_list(*, user, q: str = "", published: bool | None = None) -> QuerySet[Indicator]:
    """The indicators `user` may see, filtered by a code/name search."""
    from django.db.models import Count, Q

    qs = permissions.indicators_visible_to(user).annotate(n_values=Count("values"))
    if q:
        qs = qs.filter(Q(code__icontains=q) | Q(name_zh__icontains=q) | Q(name_en__icontains=q))
    if published is not None:
        qs = qs.filter(published=published)
    return qs.order_by("code")


def indicator_get(*, user, code: str) -> Indicator | None:
    """The indicator with `code` if `user` may see it (None otherwise: callers answer 404)."""
    return permissions.indicators_visible_to(user).filter(code=code).first()


def region_list(*, region_set: str | None = None, q: str = "") -> QuerySet[Region]:
    """Regions (of one set when given; whose Chinese or English name or code holds `q` when given), with their
    parents, by set and code."""
    qs = Region.objects.select_related("parent")
    if region_set is not None:
        qs = qs.filter(region_set=region_set)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(name_en__icontains=q) | Q(code__icontains=q))
    return qs.order_by("region_set", "code")


def region_find(text) -> Region | None:
    """The registered region `text` names: its code, its Chinese or English name (any case), its id, or the
    start of its Chinese name when exactly one region's starts so (a report writes 甘肃 for 甘肃省); None
    when it names none."""
    text = str(text or "").strip()
    if not text:
        return None
    found = (
        Region.objects.filter(code=text).first()
        or Region.objects.filter(name=text).first()
        or Region.objects.filter(name_en__iexact=text).exclude(name_en="").first()
    )
    if found is None and text.isdecimal() and len(text) < 19:
        found = Region.objects.filter(pk=int(text)).first()
    if found is None and len(text) >= 2:
        candidates = list(Region.objects.filter(name__startswith=text)[:2])
        found = candidates[0] if len(candidates) == 1 else None
    return found


def home_region() -> Region | None:
    """The department's own province in the regions list (settings.KECHUANG_HOME_REGION through
    core.divisions.home_code, read at each call): the region whose targets the dashboards show. None when the
    setting is empty or names no registered region — the pages say so, they never pick another region."""
    code = divisions.home_code()
    return Region.objects.filter(code=code).first() if code else None


def free_region_code(*, name: str, name_en: str = "") -> str:
    """A code for a region that is no GB/T 2260 division (a country group, a zone), made from its English
    name or the pinyin of its name ("某某新区" -> "moumouxinqu"), not held by another region (a number
    added when it is); people never type or read it, API clients filter by it."""
    from pypinyin import lazy_pinyin

    words = name_en.strip() or "".join(lazy_pinyin(name.strip()))
    base = re.sub(r"[^a-z0-9]+", "-", words.lower()).strip("-")[:34] or "region"
    code, n = base, 1
    while Region.objects.filter(code=code).exists():
        n += 1
        code = f"{base}-{n}"
    return code


def places_by_indicator(indicator_ids) -> dict[int, int]:
    """One precision per indicator (people37): the decimal places its stored values need, all regions, years
    and editions together (`core.display.places_of`), so its figures read alike on every page — a target's
    latest value and projection, the dashboard's card, the indicator's own tables (65.800 beside 98.661 there
    and 65.8 on the dashboard before)."""
    from kechuang.core.display import places_of

    ids = set(indicator_ids)
    values = defaultdict(list)
    for pk, v in Value.objects.filter(indicator_id__in=ids).values_list("indicator_id", "value"):
        values[pk].append(v)
    return {pk: places_of(values.get(pk, ())) for pk in ids}


def editions_of(indicator: Indicator) -> list[str]:
    """The editions the indicator has values in ("" = the department's own figures first)."""
    return sorted(set(indicator.values.values_list("edition", flat=True)))


def values_of(*, indicator: Indicator, edition: str = "", region_set: str | None = None) -> QuerySet[Value]:
    """One indicator's values in one edition (and region set), with their regions, by region and year."""
    qs = Value.objects.filter(indicator=indicator, edition=edition).select_related("region")
    if region_set is not None:
        qs = qs.filter(region__region_set=region_set)
    return qs.order_by("region__code", "year")


@dataclass
class Table:
    years: list[int]
    rows: list[tuple[Region, list[float | None]]]


def regions_by_years(*, indicator: Indicator, edition: str = "", region_set: str | None = None) -> Table:
    """The indicator's values as a regions × years table (None where a value is missing)."""
    values = list(values_of(indicator=indicator, edition=edition, region_set=region_set))
    years = sorted({v.year for v in values})
    by_region: dict[int, dict[int, float]] = defaultdict(dict)
    regions: dict[int, Region] = {}
    for v in values:
        by_region[v.region_id][v.year] = float(v.value)
        regions[v.region_id] = v.region
    rows = [
        (regions[rid], [by_region[rid].get(y) for y in years])
        for rid in sorted(regions, key=lambda r: regions[r].code)
    ]
    return Table(years=years, rows=rows)


def ranking(
    *,
    indicator: Indicator,
    year: int,
    edition: str = "",
    region_set: str | None = None,
    level: str | None = None,
) -> list[dict]:
    """Regions ranked on the indicator in `year`, best first (respecting its direction); ties share a rank.

    With `level`, only regions of that level are ranked (provinces among provinces, not the national figure).
    """
    values = values_of(indicator=indicator, edition=edition, region_set=region_set).filter(year=year)
    if level:
        values = values.filter(region__level=level)
    values = list(values)
    reverse = indicator.direction == "higher"
    values.sort(key=lambda v: (v.value if not reverse else -v.value, v.region.code))
    out, prev, rank = [], None, 0
    for i, v in enumerate(values, start=1):
        if v.value != prev:
            rank, prev = i, v.value
        out.append(
            {
                "rank": rank,
                "region": v.region,
                "value": float(v.value),
                "source": v.get_source_display(),
                "pk": v.pk,
            }
        )
    return out


def trend_series(*, indicator: Indicator, regions: list[Region], edition: str = "") -> dict:
    """{"years": [...], "series": [{"name": region name, "data": [value or None per year]}]} for ECharts."""
    values = Value.objects.filter(indicator=indicator, region__in=regions, edition=edition).select_related(
        "region"
    )
    years = sorted({v.year for v in values})
    by = defaultdict(dict)
    for v in values:
        by[v.region_id][v.year] = float(v.value)
    return {
        "years": years,
        "series": [
            {"name": r.local_name, "data": [by[r.pk].get(y) for y in years]} for r in regions if r.pk in by
        ],
    }


@dataclass
class TargetProgress:
    target: Target
    progress: formulas.Progress
    history: list[tuple[int, float]]


PROGRESS_LABELS = {
    "met": gettext_lazy("已达成"),
    "on_track": gettext_lazy("按期可达"),
    "at_risk": gettext_lazy("存在风险"),
    "no_data": gettext_lazy("暂无数据"),
}
PROGRESS_BADGES = {"met": "ok", "on_track": "ok", "at_risk": "bad", "no_data": "warn"}


def target_progress_list(
    *, user, region: Region | None = None, today: datetime.date | None = None
) -> list[TargetProgress]:
    """Every target the user may see with its progress, judged with values up to the current year."""
    today = today or timezone.localdate()
    visible = permissions.indicators_visible_to(user)
    targets = Target.objects.filter(indicator__in=visible).select_related("indicator", "region")
    if region is not None:
        targets = targets.filter(region=region)
    targets = list(targets.order_by("region__code", "year", "indicator__code"))
    keys = {(t.indicator_id, t.region_id) for t in targets}
    history: dict[tuple[int, int], list[tuple[int, float]]] = defaultdict(list)
    if keys:
        for ind_id, reg_id, year, value in Value.objects.filter(
            indicator_id__in={k[0] for k in keys}, region_id__in={k[1] for k in keys}, edition=""
        ).values_list("indicator_id", "region_id", "year", "value"):
            history[(ind_id, reg_id)].append((year, float(value)))
    out = []
    for t in targets:
        h = sorted(history.get((t.indicator_id, t.region_id), []))
        p = formulas.target_progress(
            h,
            target_year=t.year,
            target_value=float(t.value),
            comparator=t.comparator,
            current_year=today.year,
        )
        out.append(TargetProgress(target=t, progress=p, history=h))
    return out


def framework_list() -> QuerySet[Framework]:
    """Every framework edition, newest edition first within a code."""
    return Framework.objects.all().order_by("code", "-edition")


def framework_input(
    *, framework: Framework, region_set: str = "", edition: str | None = None
) -> tuple[dict[tuple[str, int, str], float], str]:
    """The stored values a framework computes from, as engine data, and the value edition used.

    Values are those of indicators whose codes the framework names or collects (by code prefix); when
    `edition` is None the edition with the most matching values is used, so the EIS release is picked
    for the EIS framework and the department's figures for the national index. The denominator series
    its indicators are divided by come along (from that edition, else the department's edition "").
    """
    leaves = [leaf.code for leaf, _, _ in formulas.leaves_of(formulas.framework_tree(framework.spec))]
    denominators = formulas.denominator_codes(framework.spec)
    prefixes = [n.code + "." for n in formulas.framework_tree(framework.spec).walk() if n.collect == "prefix"]
    qs = Value.objects.all()
    if region_set:
        qs = qs.filter(region__region_set=region_set)
    from django.db.models import Count, Q

    cond = Q(indicator__code__in=leaves)
    for p in prefixes:
        cond |= Q(indicator__code__startswith=p)
    qs = qs.filter(cond)
    if edition is None:
        best = qs.values("edition").annotate(n=Count("id")).order_by("-n").first()
        edition = best["edition"] if best else ""
    rows = qs.filter(edition=edition).values_list("region__code", "year", "indicator__code", "value")
    data = {(r, int(y), c): float(v) for r, y, c, v in rows}
    if denominators:
        # the denominator series (population, GDP, ...): from the same edition, else the department's own
        # figures (edition ""); never aggregated, only divided by
        den = Value.objects.filter(indicator__code__in=denominators, edition__in={edition, ""})
        if region_set:
            den = den.filter(region__region_set=region_set)
        found: dict = {}
        for r, y, c, v, e in den.values_list("region__code", "year", "indicator__code", "value", "edition"):
            if (r, int(y), c) not in found or e == edition:
                found[(r, int(y), c)] = float(v)
        data.update(found)
    return data, edition


def index_run_list(*, user) -> QuerySet[IndexRun]:
    """The runs `user` may see, newest first, without their (large) inputs."""
    return (
        permissions.index_runs_visible_to(user)
        .select_related("framework", "started_by__unit")
        .defer("inputs")
    )


def index_run_get(*, user, pk) -> IndexRun | None:
    """The run if `user` may see it (None otherwise: callers answer 404)."""
    return (
        permissions.index_runs_visible_to(user)
        .select_related("framework", "framework_version", "started_by__unit")
        .filter(pk=pk)
        .first()
    )


def latest_run(*, framework_code: str) -> IndexRun | None:
    """The newest public run of a framework, for links from the dashboard."""
    return (
        IndexRun.objects.filter(framework_code=framework_code, public=True)
        .defer("inputs")
        .order_by("-created_at")
        .first()
    )


def contribution_levels(
    *, user, region: Region, start_year: int, end_year: int, codes: dict[str, str]
) -> dict[str, tuple[float, float]]:
    """{"output"|"capital"|"labour": (start value, end value)} from the department's stored values.

    Raises ApplicationError naming the indicator and year that is missing or not visible to `user`.
    """
    from django.utils.translation import gettext as _

    visible = permissions.values_visible_to(user).filter(
        region=region, edition="", year__in=[start_year, end_year]
    )
    found = {
        (code, year): float(v)
        for code, year, v in visible.filter(indicator__code__in=codes.values()).values_list(
            "indicator__code", "year", "value"
        )
    }
    out = {}
    for key, code in codes.items():
        missing = [y for y in (start_year, end_year) if (code, y) not in found]
        if missing:  # named as the reader picked it, never by its code
            indicator = Indicator.objects.filter(code=code).first()
            raise ApplicationError(
                _("%(region)s没有“%(indicator)s”%(year)s年的数值。")
                % {
                    "region": region.local_name,
                    "indicator": indicator.local_name if indicator else code,
                    "year": missing[0],
                }
            )
        out[key] = (found[(code, start_year)], found[(code, end_year)])
    return out


def indicator_names(codes) -> dict[str, str]:
    """{code: name in the reader's language} of the indicators with these codes (those stored; others are left
    out): an English page names each by its English name where it has one (walked, session 31: the run
    analysis listed every indicator in Chinese on the English page)."""
    rows = Indicator.objects.filter(code__in=list(codes)).values_list("code", "name_zh", "name_en")
    return {code: local_name(name_zh, name_en) for code, name_zh, name_en in rows}
