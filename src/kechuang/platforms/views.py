"""Pages of the platform registry. Thin: reads through selectors, writes through services."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kechuang.core import ui
from kechuang.core.excel import xlsx_response
from kechuang.core.exceptions import ApplicationError, error_text
from kechuang.core.exports import wants_export
from kechuang.core.permissions import role_required
from kechuang.core.roles import Role, roles_of
from kechuang.core.uploads import uploaded_file_response

from . import exports, importer, permissions, selectors, services
from .forms import (
    AchievementForm,
    FilterForm,
    HostChangeForm,
    ImportForm,
    MembershipEndForm,
    MembershipForm,
    MergeAcceptForm,
    MergeDismissForm,
    OperatorForm,
    PlatformForm,
    ReasonForm,
    ReorganisationForm,
    ReportCreateForm,
    ReportForm,
    TransitionForm,
)
from .models import Membership, Platform, Reorganisation, YearlyReport
from .workflow import PLATFORM_MACHINE, REPORT_MACHINE

STAFF = Role.STAFF


def _date_param(request, name="as_of") -> datetime.date:
    raw = request.GET.get(name, "").strip()
    if raw:
        try:
            return datetime.date.fromisoformat(raw)
        except ValueError:
            messages.error(request, _("日期格式应为 YYYY-MM-DD，已按今天计算。"))
    return timezone.localdate()


def _version(request) -> int:
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else 0


def _visible_platform(request, pk) -> Platform:
    try:
        platform = selectors.platform_get(pk=pk)
    except Platform.DoesNotExist:
        raise Http404
    if not permissions.can_view_platform(request.user, platform):
        raise Http404
    return platform


# --- registry ----------------------------------------------------------------------------------------


def platform_list(request):
    form = FilterForm(request.GET or None)
    qs = selectors.platform_list(user=request.user, filters=form.filters() if request.GET else {})
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            "platforms.xlsx", importer.EXPORT_HEADERS, importer.export_rows(qs), sheet_title="平台"
        )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "platforms/list.html",
        {
            "form": form,
            "page": page,
            "total": page.paginator.count,
            "query": query.urlencode(),
            "can_edit": permissions.can_edit_platform(request.user),
        },
    )


def platform_detail(request, pk):
    platform = _visible_platform(request, pk)
    internal = permissions.can_view_internal(request.user)
    as_of = _date_param(request)
    ctx = {
        "platform": platform,
        "internal": internal,
        "can_edit": permissions.can_edit_platform(request.user, platform),
        "as_of": as_of,
        "members_now": selectors.members_as_of(platform=platform, date=as_of) if platform.has_members else [],
        "memberships": selectors.memberships(platform=platform) if platform.has_members and internal else [],
        "achievements": platform.achievements.all()[:200],
        "lineage": selectors.lineage(platform=platform),
        "transitions": PLATFORM_MACHINE.available(
            platform.status, {Role.STAFF} if permissions.can_edit_platform(request.user) else set()
        ),
        # What is not possible now, and why (issue #13.5).
        "blocked": PLATFORM_MACHINE.unavailable(
            platform.status, {Role.STAFF} if permissions.can_edit_platform(request.user) else set()
        ),
        "transition_form": TransitionForm(initial={"on": timezone.localdate()}),
        "member_form": MembershipForm(initial={"joined": timezone.localdate()}),
        "host_form": HostChangeForm(initial={"on": timezone.localdate()}),
        "member_end_form": MembershipEndForm(initial={"left": timezone.localdate()}),
        "achievement_form": AchievementForm(initial={"year": timezone.localdate().year}),
        "operator_form": OperatorForm(),
        "reports": selectors.reports_for(user=request.user, filters={"platform": platform.pk})
        if internal or permissions.operates(request.user, platform)
        else [],
        "can_file": permissions.can_file_report(request.user, platform),
        "panels": ui.panels_for("platforms.detail", platform=platform, user=request.user),
    }
    return render(request, "platforms/detail.html", ctx)


@role_required(STAFF)
def platform_create(request):
    form = PlatformForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            platform = services.platform_create(actor=request.user, **data)
        except (ApplicationError, ValidationError) as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, _("已登记平台。"))
            return redirect(platform)
    return render(request, "platforms/form.html", {"form": form, "title": _("登记平台")})


@role_required(STAFF)
def platform_edit(request, pk):
    platform = get_object_or_404(Platform, pk=pk)
    form = PlatformForm(request.POST or None, instance=Platform.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("code", "host")}
        try:
            services.platform_update(
                actor=request.user,
                platform=platform,
                expected_version=_version(request),
                **data,
            )
        except (ApplicationError, ValidationError) as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, _("已保存。"))
            return redirect(platform)
    return render(
        request,
        "platforms/form.html",
        {"form": form, "title": _("修改平台"), "version": platform.version, "object": platform},
    )


@role_required(STAFF)
@require_POST
def platform_transition(request, pk):
    platform = get_object_or_404(Platform, pk=pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写有效的生效日期。"))
        return redirect(platform)
    try:
        services.platform_transition(
            actor=request.user,
            platform=platform,
            action=form.cleaned_data["action"],
            on=form.cleaned_data["on"],
            reason=form.cleaned_data["reason"],
        )
    except ApplicationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("状态已变更。"))
    return redirect(platform)


@role_required(STAFF)
@require_POST
def platform_host_change(request, pk):
    """Staff move a platform to a new host unit from a date (the old host link ends that day)."""
    platform = get_object_or_404(Platform, pk=pk)
    form = HostChangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择新的依托单位并填写有效的生效日期。"))
        return redirect(platform)
    try:
        services.platform_host_change(actor=request.user, platform=platform, **form.cleaned_data)
    except (ApplicationError, ValidationError) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("依托单位已变更。"))
    return redirect(platform)


@role_required(STAFF)
@require_POST
def membership_add(request, pk):
    platform = get_object_or_404(Platform, pk=pk)
    form = MembershipForm(request.POST)
    if form.is_valid():
        try:
            services.membership_add(actor=request.user, platform=platform, **form.cleaned_data)
            messages.success(request, _("已添加成员单位。"))
        except (ApplicationError, ValidationError) as exc:
            messages.error(request, error_text(exc))
    else:
        messages.error(request, _("请检查成员单位和日期。"))
    return redirect(platform)


@role_required(STAFF)
@require_POST
def membership_end(request, pk, membership_pk):
    membership = get_object_or_404(Membership, pk=membership_pk, platform_id=pk)
    form = MembershipEndForm(request.POST)
    if form.is_valid():
        try:
            services.membership_end(actor=request.user, membership=membership, **form.cleaned_data)
            messages.success(request, _("已办理退出。"))
        except ApplicationError as exc:
            messages.error(request, error_text(exc))
    else:
        messages.error(request, _("请填写有效的退出日期。"))
    return redirect(membership.platform)


@role_required(STAFF)
@require_POST
def achievement_add(request, pk):
    platform = get_object_or_404(Platform, pk=pk)
    form = AchievementForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.achievement_create(actor=request.user, platform=platform, **form.cleaned_data)
            messages.success(request, _("已添加成果。"))
        except (ApplicationError, ValidationError) as exc:
            messages.error(request, error_text(exc))
    else:
        messages.error(request, "；".join(f"{k}: {v[0]}" for k, v in form.errors.items()))
    return redirect(platform)


def achievement_evidence(request, pk):
    """An achievement's evidence file, to those who see its platform: always a download, never shown inline."""
    from .models import Achievement

    achievement = get_object_or_404(Achievement, pk=pk)
    _visible_platform(request, achievement.platform_id)
    if not achievement.evidence_file:
        raise Http404
    return uploaded_file_response(achievement.evidence_file, achievement.evidence_file.name)


@role_required(STAFF)
@require_POST
def operator_assign(request, pk):
    platform = get_object_or_404(Platform, pk=pk)
    form = OperatorForm(request.POST)
    if form.is_valid():
        try:
            services.operator_assign(actor=request.user, platform=platform, user=form.cleaned_data["user"])
            messages.success(request, _("已指定运营人员。"))
        except ApplicationError as exc:
            messages.error(request, error_text(exc))
    return redirect(platform)


def statistics(request):
    as_of = _date_param(request)
    province = request.GET.get("province", "")
    stats = selectors.statistics(date=as_of, province=province)
    charts = {
        "kind": [{"name": label, "value": n} for _k, label, n in stats["kind"]],
        "status": [{"name": label, "value": n} for _k, label, n in stats["status"]],
        "city": {
            "names": [label for _k, label, _n in stats["city"]],
            "values": [n for *_x, n in stats["city"]],
        },
        "years": stats["years"],
    }
    return render(
        request,
        "platforms/statistics.html",
        {
            "stats": stats,
            "charts": charts,
            "as_of": as_of,
            "province": province,
            "provinces": selectors.provinces(),
            "figures": selectors.report_figures(),
        },
    )


@role_required(STAFF)
def import_view(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = importer.platform_import(
                actor=request.user,
                data=upload.read(),
                filename=upload.name,
                dry_run=not form.cleaned_data["commit"],
            )
        except ApplicationError as exc:
            form.add_error("file", error_text(exc))
        else:
            if report.committed:
                messages.success(
                    request,
                    _("已导入：新增 %(c)d，更新 %(u)d。") % {"c": report.created, "u": report.updated},
                )
    return render(
        request, "platforms/import.html", {"form": form, "report": report, "columns": importer.COLUMNS}
    )


# --- yearly reports ----------------------------------------------------------------------------------


@role_required(Role.STAFF, Role.COMMISSIONER, Role.OPERATOR)
def report_list(request):
    filters = {k: request.GET.get(k, "") for k in ("year", "status")}
    qs = selectors.reports_for(user=request.user, filters=filters)
    if request.GET.get("export") == "xlsx":
        headers = [
            "平台编号",
            "平台",
            "年度",
            "状态",
            "固定人员数",
            "博士人数",
            "经费（万元）",
            "承担项目数",
            "论文数",
            "专利数",
            "成果转化数",
            "仪器设备开放共享机时",
        ]
        rows = [
            [
                r.platform.code,
                r.platform.name,
                r.year,
                r.get_status_display(),
                r.staff,
                r.doctorates,
                float(r.funding),
                r.projects,
                r.papers,
                r.patents,
                r.transferred,
                r.shared_hours,
            ]
            for r in qs
        ]
        return xlsx_response("yearly-reports.xlsx", headers, rows, sheet_title="年度报告")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "platforms/reports.html",
        {
            "page": page,
            "filters": filters,
            "statuses": YearlyReport.Status.choices,
            "can_create": request.user.operated_platforms.exists(),
        },
    )


@role_required(Role.OPERATOR)
def report_create(request):
    platforms = Platform.objects.filter(operators__user=request.user).order_by("code")
    initial = {"year": timezone.localdate().year - 1, "platform": request.GET.get("platform")}
    form = ReportCreateForm(request.POST or None, platforms=platforms, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            report = services.report_create(actor=request.user, **data)
        except (ApplicationError, ValidationError) as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, _("已保存草稿。"))
            return redirect(report)
    return render(request, "platforms/form.html", {"form": form, "title": _("填报年度报告")})


def _visible_report(request, pk) -> YearlyReport:
    report = get_object_or_404(
        YearlyReport.objects.select_related("platform", "platform__host", "submitted_by"), pk=pk
    )
    if not permissions.can_view_report(request.user, report):
        raise Http404
    return report


@role_required(Role.STAFF, Role.COMMISSIONER, Role.OPERATOR)
def report_detail(request, pk):
    report = _visible_report(request, pk)

    roles = set(roles_of(request.user))
    if not permissions.operates(request.user, report.platform):
        roles.discard(Role.OPERATOR)
    return render(
        request,
        "platforms/report_detail.html",
        {
            "report": report,
            "can_edit": permissions.can_edit_report(request.user, report),
            "transitions": REPORT_MACHINE.available(report.status, roles, obj=report),
            "blocked": REPORT_MACHINE.unavailable(report.status, roles, obj=report),
            "reason_form": ReasonForm(),
        },
    )


@role_required(Role.OPERATOR)
def report_edit(request, pk):
    report = _visible_report(request, pk)
    if not permissions.can_edit_report(request.user, report):
        raise Http404
    form = ReportForm(request.POST or None, instance=YearlyReport.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.report_update(
                actor=request.user,
                report=report,
                expected_version=_version(request),
                **form.cleaned_data,
            )
        except (ApplicationError, ValidationError) as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, _("已保存。"))
            return redirect(report)
    return render(
        request,
        "platforms/form.html",
        {"form": form, "title": _("修改年度报告"), "version": report.version, "object": report},
    )


@role_required(Role.STAFF, Role.OPERATOR)
@require_POST
def report_transition(request, pk):
    report = _visible_report(request, pk)
    try:
        services.report_transition(
            actor=request.user,
            report=report,
            action=request.POST.get("action", ""),
            reason=request.POST.get("reason", ""),
        )
    except ApplicationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("操作已完成。"))
    return redirect(report)


# --- reorganisation ----------------------------------------------------------------------------------


def reorganisation_list(request):
    qs = Reorganisation.objects.prefetch_related("sources", "targets").order_by("-date", "pk")
    if not permissions.can_view_internal(request.user):
        qs = qs.filter(sources__published=True).distinct()
    if wants_export(request):
        return exports.reorganisations_xlsx(qs)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "platforms/reorganisations.html",
        {"page": page, "can_edit": permissions.can_edit_platform(request.user)},
    )


def reorganisation_detail(request, pk):
    reorg = get_object_or_404(
        Reorganisation.objects.prefetch_related("sources__host", "targets__host"), pk=pk
    )
    if not permissions.can_view_internal(request.user) and not reorg.sources.filter(published=True).exists():
        raise Http404
    return render(request, "platforms/reorganisation_detail.html", {"reorg": reorg})


@role_required(STAFF)
def reorganisation_create(request):
    form = ReorganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reorg = services.reorganisation_create(actor=request.user, **form.cleaned_data)
        except (ApplicationError, ValidationError) as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, _("已记录重组。"))
            return redirect(reorg)
    return render(request, "platforms/form.html", {"form": form, "title": _("记录优化重组")})


def lineage(request):
    batch = request.GET.get("batch", "")
    platform = None
    if request.GET.get("platform", "").isdigit():
        platform = _visible_platform(request, int(request.GET["platform"]))
    graph = selectors.lineage(platform=platform, batch=batch)
    internal = permissions.can_view_internal(request.user)
    retired = {e["source"] for e in graph["edges"]}
    nodes = [
        {
            "id": str(pk),
            "name": p.short_name or p.name,
            "full": p.name,
            "status": p.get_status_display(),
            "category": 0 if pk in retired else 1,
        }
        for pk, p in graph["nodes"].items()
        if internal or p.published
    ]
    ids = {n["id"] for n in nodes}
    edges = [
        {"source": str(e["source"]), "target": str(e["target"]), "label": e["kind"], "date": e["date"]}
        for e in graph["edges"]
        if e["target"] is not None and str(e["source"]) in ids and str(e["target"]) in ids
    ]
    batches = Reorganisation.objects.exclude(batch="").values_list("batch", flat=True).distinct()
    return render(
        request,
        "platforms/lineage.html",
        {
            "graph": {"nodes": nodes, "links": edges},
            "platform": platform,
            "batch": batch,
            "batches": batches,
            "height": max(500, 14 * len(nodes)),
        },
    )


@role_required(STAFF)
def overlap(request):
    try:
        min_score = min(1.0, max(0.0, float(request.GET.get("min", "") or 0.35)))
    except ValueError:
        min_score = 0.35
    candidates = selectors.merge_candidates(min_score=min_score)
    return render(
        request, "platforms/overlap.html", {"candidates": candidates[:100], "today": timezone.localdate()}
    )


@role_required(STAFF)
@require_POST
def overlap_decide(request):
    decision = request.POST.get("decision")
    form = (MergeAcceptForm if decision == "accept" else MergeDismissForm)(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(f"{k}: {v[0]}" for k, v in form.errors.items()))
        return redirect("platforms:overlap")
    data = form.cleaned_data
    a = get_object_or_404(Platform, pk=data["a"])
    b = get_object_or_404(Platform, pk=data["b"])
    try:
        if decision == "accept":
            reorg = services.merge_candidate_accept(
                actor=request.user,
                a=a,
                b=b,
                code=data["code"],
                name=data["name"],
                date=data["date"],
                reason=data["reason"],
            )
            messages.success(request, _("已合并，并记录重组。"))
            return redirect(reorg)
        services.merge_candidate_dismiss(actor=request.user, a=a, b=b, reason=data["reason"])
        messages.success(request, _("已记录不合并的决定。"))
    except (ApplicationError, ValidationError) as exc:
        messages.error(request, error_text(exc))
    return redirect("platforms:overlap")
