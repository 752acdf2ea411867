"""Pages of the indicators app: dashboard, indicator detail (trend, table, ranking), frameworks, runs."""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from kechuang.core import divisions
from kechuang.core.attempts import form_errors_text
from kechuang.core.dates import when_text, year_filter
from kechuang.core.display import actor_words
from kechuang.core.exceptions import ApplicationError, error_text
from kechuang.core.filters import choice_filter
from kechuang.core.jobs import job_submit
from kechuang.core.language import local_name
from kechuang.core.limits import search_words
from kechuang.core.messages import Message
from kechuang.core.models import AuditEvent
from kechuang.core.permissions import get_visible_or_404, role_required
from kechuang.core.roles import Role, has_role
from kechuang.core.services import posted_version
from kechuang.core.units import local_unit

from . import builder, charts, exports, formulas, permissions, selectors, services
from .forms import (
    ImportForm,
    IndicatorForm,
    NodeForm,
    RegionForm,
    RunForm,
    TargetForm,
    ValueDeleteForm,
    ValueForm,
)
from .models import Framework, Indicator, Region, Target, Value, figure_text, region_names, region_set_name


def _refused(request) -> int:
    """The status of a form page rendered again: a POST that gets here was refused (400, input kept)."""
    return 400 if request.method == "POST" else 200


def _renderer(request) -> str:
    return "svg" if request.GET.get("renderer") == "svg" else "canvas"


def _home_region(request):
    """The province `?region=` names (by name, as the page's list sends it; a code or an English name read too),
    else the home province; a region the list does not hold is said beside it (core.filters.choice_filter)."""
    provinces = list(Region.objects.filter(level=Region.Level.PROVINCE).order_by("code"))
    home = (
        selectors.home_region()
    )  # None: not set or not in the list, said on the page (never another region)
    shown = choice_filter(
        request,
        "region",
        [(r.name, r.local_name) for r in provinces],
        home.name if home else None,
        label=_("地区"),
        read=lambda raw: getattr(selectors.region_find(raw), "name", None),
    )
    by_name = {r.name: r for r in provinces}
    return by_name.get(shown.value, home), shown, None if home else _home_missing()


def _home_missing() -> str:
    """Why the page opens on no province: the deployment names none, or one the regions list does not hold."""
    code = divisions.home_code()
    if not code:
        return _(
            "本厅所在省份未设置（部署设置 KECHUANG_HOME_REGION 为空），看板不显示任何省份的目标；"
            "请在“地区”中选择一个省份查看。"
        )
    return _(
        "本厅所在省份%(name)s（部署设置 KECHUANG_HOME_REGION 为“%(code)s”）不在地区列表中，看板不显示任何省份的目标；"
        "请在“地区”中选择一个省份查看，或请工作人员在地区列表中按名称添加该省份。"
    ) % {"name": divisions.name(code), "code": code}


def dashboard(request):
    """The province dashboard: targets with progress and the trend of each target indicator."""
    region, region_filter, home_missing = _home_region(request)
    items = selectors.target_progress_list(user=request.user, region=region) if region else []
    target_charts = [charts.target_chart(i, item) for i, item in enumerate(items) if item.history]
    places = selectors.places_by_indicator(i.target.indicator_id for i in items)
    rows = [
        {
            "item": item,
            "label": selectors.PROGRESS_LABELS[item.progress.status],
            "badge": selectors.PROGRESS_BADGES[item.progress.status],
            "places": places[item.target.indicator_id],
        }
        for item in items
    ]
    latest = selectors.latest_run(framework_code="cn-csti")
    return render(
        request,
        "indicators/dashboard.html",
        {
            "region": region,
            "region_filter": region_filter,
            "home_missing": home_missing,
            "rows": rows,
            "charts": target_charts,
            "latest": latest,
            "renderer": _renderer(request),
            "can_edit": permissions.can_edit_target(request.user),
        },
    )


def indicator_list(request):
    q = search_words(request)
    indicators = selectors.indicator_list(user=request.user, q=q)
    if request.GET.get("format") == "xlsx":
        return exports.indicators_xlsx(indicators)
    return render(
        request,
        "indicators/indicator_list.html",
        {"indicators": indicators, "q": q, "can_edit": permissions.can_edit_indicator(request.user)},
    )


def indicator_detail(request, code):
    """Trend chart, regions × years table and ranking of one indicator, in one edition and region set."""
    indicator = get_visible_or_404(selectors.indicator_get, user=request.user, code=code)
    editions = selectors.editions_of(indicator)
    # ?edition=, ?set=, ?year=: one of the page's lists; another (an old link, a typo) is said beside it
    edition_shown = choice_filter(
        request,
        "edition",
        [(e, e or _("本厅数据")) for e in editions],
        editions[0] if editions else "",
        label=_("数据版本"),
    )
    edition = edition_shown.value
    region_sets = sorted(
        set(indicator.values.filter(edition=edition).values_list("region__region_set", flat=True))
    )
    set_shown = choice_filter(
        request,
        "set",
        [(s, region_set_name(s) or "—") for s in region_sets],  # chosen by name, never the key
        region_sets[0] if region_sets else "",
        label=_("地区集"),
    )
    region_set = set_shown.value
    table = selectors.regions_by_years(indicator=indicator, edition=edition, region_set=region_set)
    # ?year= one of the table's years; another (a bad link, a year without data) is said beside the box
    year_shown = year_filter(
        request,
        table.years,
        None if table.years else timezone.localdate().year,
        label=_("排名年份"),
    )
    year = year_shown.year
    # Rank like with like: the level most regions have (provinces, not the national figure or the EU).
    levels = Counter(r.level for r, _vals in table.rows)
    level = levels.most_common(1)[0][0] if levels else None
    ranked = selectors.ranking(
        indicator=indicator, year=year, edition=edition, region_set=region_set, level=level
    )
    fmt = request.GET.get("format")
    if fmt == "table.xlsx":
        return exports.indicator_table_xlsx(indicator, table)
    if fmt == "ranking.xlsx":
        return exports.indicator_ranking_xlsx(indicator, year, ranked)
    targets = list(indicator.targets.select_related("region"))
    # one precision for the indicator's values, the same on every page (52.5 and 54.0, not 52.500 and 54);
    # a target is written as it was set (65%)
    places = selectors.places_by_indicator([indicator.pk])[indicator.pk]
    return render(
        request,
        "indicators/indicator_detail.html",
        {
            "indicator": indicator,
            "edition": edition,
            "edition_filter": edition_shown,
            "region_set": region_set,
            "set_filter": set_shown,
            "table": table,
            "year": year,
            "year_filter": year_shown,
            "ranked": ranked,
            "trend": charts.indicator_trend(table),
            "ranking_chart": charts.ranking_chart(ranked),
            "targets": targets,
            "places": places,
            "renderer": _renderer(request),
            "can_edit": permissions.can_edit_indicator(request.user, indicator),
        },
    )


@role_required(Role.STAFF)
def indicator_create(request):
    form = IndicatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("aliases_text", "version")}
        try:
            indicator = services.indicator_create(actor=request.user, aliases=form.cleaned_aliases(), **data)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("指标已创建。"))
            return redirect(indicator)
    return render(
        request, "indicators/form.html", {"form": form, "title": _("新建指标")}, status=_refused(request)
    )


@role_required(Role.STAFF)
def indicator_edit(request, code):
    indicator = get_visible_or_404(selectors.indicator_get, user=request.user, code=code)
    # The form gets its own copy: a ModelForm writes into its instance while validating, and the service
    # must see the stored row to know what changed.
    form = IndicatorForm(request.POST or None, instance=Indicator.objects.get(pk=indicator.pk))
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("aliases_text", "version", "code")}
        try:
            services.indicator_update(
                actor=request.user,
                indicator=indicator,
                expected_version=posted_version(request),
                aliases=form.cleaned_aliases(),
                **data,
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("指标已保存。"))
            return redirect(indicator)
    return render(
        request,
        "indicators/form.html",
        {"form": form, "title": _("编辑指标"), "object": indicator},
        status=_refused(request),
    )


@role_required(Role.STAFF)
def value_create(request):
    initial = {"indicator": request.GET.get("indicator"), "year": timezone.localdate().year - 1}
    form = ValueForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            value = services.value_record(
                actor=request.user,
                indicator_code=d["indicator"].code,
                region=d["region"],
                year=d["year"],
                value=d["value"],
                source="typed",
                provenance={"note": d["note"]} if d["note"] else None,
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("数值已保存。"))
            return redirect(value.indicator)
    return render(
        request, "indicators/form.html", {"form": form, "title": _("录入指标值")}, status=_refused(request)
    )


def region_list(request):
    """The regions values are reported for, by set; staff add new ones here."""
    form = RegionForm(request.POST or None) if permissions.can_edit_value(request.user) else None
    if request.method == "POST":
        if form is None:
            raise DjangoPermissionDenied
        if form.is_valid():
            d = dict(form.cleaned_data)
            # a region that is no division: a code made from its name, never typed
            d["code"] = d["code"] or selectors.free_region_code(name=d["name"], name_en=d["name_en"])
            if Region.objects.filter(code=d["code"]).exists():
                form.add_error("code", _("这个地区已经登记。"))
            else:
                try:
                    services.region_ensure(actor=request.user, **d)
                except ApplicationError as exc:
                    form.add_error(None, exc.message)
                else:
                    messages.success(request, _("地区已添加。"))
                    return redirect("indicators:region-list")
    # found by its Chinese or English name or its code (47 regions in the demo had no way to find one)
    q = search_words(request)
    page = Paginator(selectors.region_list(q=q), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "indicators/region_list.html",
        {"page": page, "q": q, "form": form},
        status=_refused(request),
    )


@role_required(Role.STAFF)
def value_delete(request, pk):
    """Deleting a wrong value, which cannot be undone here (the audit trail keeps the figure; putting it back
    means recording it again): a page first saying which figure goes and what follows, with the reason and a
    tick. Refused (no reason, not ticked): that page again with what was typed and why beside it (400). A value
    already deleted (a second click, a stale tab): who deleted it and when, the reason typed kept (409)."""
    value = Value.objects.select_related("indicator", "region").filter(pk=pk).first()
    if value is None:
        return _value_gone(request, pk)
    form = ValueDeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.value_delete(actor=request.user, value=value, reason=form.cleaned_data["reason"])
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("数值已删除。"))
            return redirect(value.indicator)
    return render(
        request,
        "indicators/value_delete.html",
        {"value": value, "figure": figure_text(value.value), "indicator": value.indicator, "form": form},
        status=_refused(request),
    )


def _value_gone(request, pk):
    """A value deleted meanwhile: the page saying by whom and when (from the audit trail), nothing changed, the
    reason typed kept (409); a value that never was: 404."""
    event = (
        AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(Value), object_id=str(pk), action="value.delete"
        )
        .select_related("actor__unit")
        .order_by("-at", "-id")
        .first()
    )
    if event is None:
        raise Http404
    who = actor_words(event, request.user.unit_id, True) if event.actor_id else _("系统")
    indicator = Indicator.objects.filter(
        code=request.POST.get("indicator") or request.GET.get("indicator")
    ).first()
    typed = request.POST.get("reason", "") if request.method == "POST" else ""
    return render(
        request,
        "web/decided.html",
        {
            "obj": event.object_repr,
            "text": _("这个数值已由%(who)s于%(when)s删除。") % {"who": who, "when": when_text(event.at)},
            "back_url": indicator.get_absolute_url() if indicator else reverse("indicators:indicator-list"),
            "typed": [(_("删除理由"), typed)] if typed.strip() else [],
        },
        status=409,
    )


def target_list(request):
    items = selectors.target_progress_list(user=request.user)
    places = selectors.places_by_indicator(i.target.indicator_id for i in items)
    rows = [
        {
            "item": i,
            "label": selectors.PROGRESS_LABELS[i.progress.status],
            "badge": selectors.PROGRESS_BADGES[i.progress.status],
            "places": places[i.target.indicator_id],
        }
        for i in items
    ]
    if request.GET.get("format") == "xlsx":
        return exports.targets_xlsx(rows)
    return render(
        request,
        "indicators/target_list.html",
        {"rows": rows, "can_edit": permissions.can_edit_target(request.user)},
    )


@role_required(Role.STAFF)
def target_edit(request, pk=None):
    target = get_object_or_404(Target.objects.select_related("indicator", "region"), pk=pk) if pk else None
    initial = {}
    if target:
        initial = {
            "indicator": target.indicator.code,
            "region": target.region_id,
            "year": target.year,
            "comparator": target.comparator,
            "value": target.value,
            "note": target.note,
            "version": target.version,
        }
    form = TargetForm(request.POST or None, initial=initial)
    if target:
        form.fields["version"].required = True  # an edit must name the version it was made on
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        same = target and (d["indicator"].pk, d["region"].pk, d["year"]) == (
            target.indicator_id,
            target.region_id,
            target.year,
        )
        try:
            if same:
                services.target_update(
                    actor=request.user,
                    target=target,
                    expected_version=posted_version(request),
                    value=d["value"],
                    comparator=d["comparator"],
                    note=d["note"],
                )
            else:
                services.target_set(
                    actor=request.user,
                    indicator_code=d["indicator"].code,
                    region=d["region"],
                    year=d["year"],
                    value=d["value"],
                    comparator=d["comparator"],
                    note=d["note"],
                )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("目标已保存。"))
            return redirect("indicators:target-list")
    return render(
        request,
        "indicators/form.html",
        {"form": form, "title": _("设定目标"), "object": target},
        status=_refused(request),
    )


@role_required(Role.STAFF)
def import_values(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        f = form.cleaned_data["file"]
        try:
            report = services.values_import(
                actor=request.user,
                data=f.read(),
                filename=f.name,
                dry_run=form.cleaned_data["dry_run"],
                edition=form.cleaned_data["edition"],
                region_set=form.cleaned_data["region_set"],
                publish_new=form.cleaned_data["publish"],
            )
        except ApplicationError as exc:
            form.add_error("file", exc.message)
        else:
            if report.committed:
                messages.success(request, _("已导入 %(n)d 个数值。") % {"n": report.created + report.updated})
    return render(
        request,
        "indicators/import.html",
        {"form": form, "report": report},
        status=400 if request.method == "POST" and form.errors else 200,
    )


@role_required(Role.STAFF)
def import_template(request):
    """The import page's template: the header row the importer reads and the indicators held."""
    return exports.import_template_xlsx(
        Indicator.objects.only("code", "name_zh", "name_en", "unit", "unit_en")
    )


def framework_list(request):
    return render(
        request,
        "indicators/framework_list.html",
        {
            "frameworks": selectors.framework_list(),
            "runs": selectors.index_run_list(user=request.user)[:20],
            "can_edit": permissions.can_edit_framework(request.user),
            # who ran an index: by name to staff only; to everyone else by the department (security.md §19)
            "show_runner": has_role(request.user, Role.STAFF),
        },
    )


def _flatten(nodes, depth=0):
    for node in nodes:
        yield {
            "node": node,
            "depth": depth,
            "is_leaf": "children" not in node and "collect" not in node,
            # the English name on English pages when the framework gives one (the EIS's, the CSTI's)
            "name": local_name(str(node.get("name") or ""), str(node.get("name_en") or "")),
            # its unit as English pages show units (core.units: the English given, the table's, the Chinese)
            "unit": local_unit(str(node.get("unit") or ""), str(node.get("unit_en") or "")),
        }
        yield from _flatten(node.get("children", []), depth + 1)


def framework_detail(request, pk, run_form=None, status=200, node_refused=None):
    framework = get_object_or_404(Framework, pk=pk)
    can_edit = permissions.can_edit_framework(request.user, framework)
    if run_form is None and permissions.can_run_index(request.user, framework):
        run_form = RunForm()
    rows = list(_flatten(framework.spec.get("nodes", [])))
    return render(
        request,
        "indicators/framework_detail.html",
        {
            "framework": framework,
            "rows": rows,
            "node_codes": [r["node"].get("code") for r in rows],
            "method": framework.spec.get("method", {}),
            # the performance groups by name in the reader's language (a framework's own words, `label_en` beside)
            "bands": [
                {"label": builder.band_label(b), "above": b.get("above")}
                for b in (framework.spec.get("method", {}).get("groups") or {}).get("bands", [])
            ],
            "method_words": builder.method_items(framework.spec.get("method", {}))
            + builder.leaf_method_items(framework.spec),
            "versions": framework.versions.order_by("-number").only(
                "number", "created_at", "note", "framework_id"
            ),
            "reference": formulas.reference_text(framework.spec.get("method", {})),
            "rounding": formulas.published_rounding(framework.spec.get("method", {})),
            "can_edit": can_edit,
            "run_form": run_form,
            "node_refused": node_refused or {},
            "runs": framework.runs.defer("inputs", "outputs")
            .select_related("framework_version")
            .order_by("-created_at")[:10],
        },
        status=status,
    )


@require_POST
@role_required(Role.STAFF)
def framework_node_update(request, pk):
    """A node's weight or standard value. Refused (a bad number, someone saved the framework meanwhile): the
    framework's page again with that row's figures and reason as typed and why beside them (400)."""
    framework = get_object_or_404(Framework, pk=pk)
    form = NodeForm(request.POST)
    error = ""
    if not form.is_valid():
        error = form_errors_text(form)
    else:
        d = form.cleaned_data
        try:
            services.framework_node_update(
                actor=request.user,
                framework=framework,
                node_code=d["node"],
                expected_version=posted_version(request),
                weight=d["weight"],
                standard=d["standard"],
                reason=d["reason"],
            )
        except ApplicationError as exc:
            error = error_text(exc)
        else:
            messages.success(request, _("节点 %(code)s 已更新。") % {"code": d["node"]})
            return redirect(framework)
    refused = {
        "node": request.POST.get("node", ""),
        "weight": request.POST.get("weight", ""),
        "standard": request.POST.get("standard", ""),
        "reason": request.POST.get("reason", ""),
        "error": error,
    }
    return framework_detail(request, pk, status=400, node_refused=refused)


@require_POST
@role_required(Role.STAFF)
def framework_run(request, pk):
    framework = get_object_or_404(Framework, pk=pk)
    form = RunForm(request.POST)
    if not form.is_valid():
        # Refused: the framework's page again, with what was chosen and the reason.
        return framework_detail(request, pk, run_form=form, status=400)
    job = job_submit(
        kind="indicators.index_run",
        params={"framework_id": framework.pk, **form.run_params()},
        actor=request.user,
        title=Message(gettext_noop("计算指数：%(name)s"), name=framework.name),
    )
    return redirect(job.get_absolute_url())


def run_detail(request, pk):
    """An index run: the ranking of one year, a radar of sub-indices and the index trend; exportable."""
    run = get_visible_or_404(selectors.index_run_get, user=request.user, pk=pk)
    years = charts.run_years(run.outputs)
    year_shown = year_filter(request, years, None if years else 0, label=_("年份"))
    ry = charts.run_year(run.outputs, year_shown.year)
    ry.names = run.node_names  # in the page's language (the run kept them in Chinese)
    ry.unit_names = {**ry.unit_names, **region_names(ry.unit_names)}
    if request.GET.get("format") == "xlsx":
        return exports.run_xlsx(run, ry)
    # the units the link names, only those of the run, once each: a value sent was drawn as a line named by
    # itself (words of the link's author in the department's chart) and looked up through every row (§26)
    units = charts.run_units(run.outputs)
    held = set(units)
    sent = list(dict.fromkeys(request.GET.getlist("unit")))
    # unchosen: the department's own province beside the year's three first (people34: the radar had drawn
    # Beijing, Jiangsu and Shaanxi for a Shanxi department, its own province unselected), as the analysis page
    # preselects it
    home = divisions.home_code()
    first = [r["unit"] for r in ry.rows[:3]]
    chosen = [u for u in sent if u in held] or first + ([home] if home in held and home not in first else [])
    return render(
        request,
        "indicators/run_detail.html",
        {
            "run": run,
            "years": years,
            "year": ry.year,
            "year_filter": year_shown,
            "rows": ry.rows,
            "units": units,
            "chosen": chosen,
            "units_dropped": sum(u not in held for u in sent),  # said beside the list, never silently
            "dims": ry.dims,
            "names": ry.names,
            "bands": ry.bands,
            "unit_names": ry.unit_names,
            "places": formulas.published_rounding(run.spec.get("method", {})).get("index", 3),
            "reference": run.reference or formulas.reference_text(run.spec.get("method", {})),
            "radar": charts.run_radar(ry, chosen),
            "can_analyse": permissions.can_analyse_run(request.user, run),
            "show_runner": has_role(request.user, Role.STAFF),
            "method_words": builder.method_items(run.spec.get("method", {}))
            + builder.leaf_method_items(run.spec),
            "trend": charts.run_trend(run.outputs, chosen, ry.unit_names),
            "renderer": _renderer(request),
        },
    )
