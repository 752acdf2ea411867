"""The registry pages: the platform list and page, its edits and status, members, achievements, operators, statistics and the import."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied as Refused
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kechuang.core import divisions, ui
from kechuang.core.attempts import attempt, form_errors_text
from kechuang.core.dates import date_text
from kechuang.core.decided import decided_page, moved_on
from kechuang.core.display import choice_labels, pk_url
from kechuang.core.excel import xlsx_response
from kechuang.core.exceptions import ApplicationError, PermissionDenied, error_text
from kechuang.core.importpage import dry_run_import_page
from kechuang.core.pagination import NarrowPaginator
from kechuang.core.permissions import get_visible_or_404, role_required
from kechuang.core.roles import Role
from kechuang.core.services import posted_version
from kechuang.core.uploads import uploaded_file_response

from .. import importer, permissions, selectors, services
from ..forms import (
    AchievementForm,
    FilterForm,
    HostChangeForm,
    ImportForm,
    MembershipEndForm,
    MembershipForm,
    OperatorForm,
    PlatformForm,
    TransitionForm,
)
from ..models import LIVE_STATUSES, Kind, Level, Membership, Platform, Status
from ..workflow import PLATFORM_MACHINE
from ._common import STAFF, _date_param

LIST_FIELDS = (
    "code",
    "name",
    "name_en",
    "is_demo",
    "kind",
    "co_built",
    "level",
    "host__name",
    "host__name_en",
    "city",
    "established",
    "status",
)


def platform_list(request):
    form = FilterForm(request.GET or None, user=request.user)
    filters = form.filters() if request.GET else {}
    qs = selectors.platform_list(user=request.user, filters=filters)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            "platforms.xlsx", importer.export_headers(), importer.export_rows(qs), sheet_title=_("平台")
        )
    # A ranked search sorts every match: its page is cut on the keys, then its 50 rows loaded (issue #19);
    # the list by code reads its page from the index. Only the columns the table shows; the rows' labels
    # and links computed once per list, not per row.
    if (filters.get("q") or "").strip():
        rows = Platform.objects.select_related("host").only(*LIST_FIELDS)
        page = NarrowPaginator(qs, 50, rows=rows).get_page(request.GET.get("page"))
    else:
        page = Paginator(qs.only(*LIST_FIELDS), 50).get_page(request.GET.get("page"))
    kinds, levels, statuses = choice_labels(Kind), choice_labels(Level), choice_labels(Status)
    url = pk_url("platforms:detail")
    rows = [
        {
            "code": p.code,
            "url": url(p.pk),
            "name": p.local_name,
            "is_demo": p.is_demo,
            "kind": kinds.get(p.kind, p.kind),
            "co_built": p.co_built,
            "level": levels.get(p.level, p.level),
            "host": p.host.local_name,
            "city": p.city,
            "established": p.established,
            "active": p.status in LIVE_STATUSES,
            "status": statuses.get(p.status, p.status),
        }
        for p in page
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "platforms/list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "total": page.paginator.count,
            "query": query.urlencode(),
            "can_edit": permissions.can_edit_platform(request.user),
        },
    )


# The member and host-change forms on one page both choose a unit: ids of their own, so that no two fields
# share an id (a label that focuses the other form's picker).
MEMBER_IDS, HOST_IDS = "member_%s", "host_%s"


def platform_detail(
    request,
    pk,
    *,
    achievement_form=None,
    host_form=None,
    member_form=None,
    operator_form=None,
    transition_refused: dict | None = None,
    member_end_refused: dict | None = None,
    status: int = 200,
):
    """A platform's page; after a refused achievement, host change or member, its form again with the input
    and why (400); `member_end_refused`: a member's refused exit (its pk, the date and reason as typed, why)."""
    platform = get_visible_or_404(
        selectors.platform_get, user=request.user, visible=permissions.can_view_platform, pk=pk
    )
    internal = permissions.can_view_internal(request.user)
    as_of_filter = _date_param(request)
    as_of = as_of_filter.date
    ctx = {
        "as_of_filter": as_of_filter,
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
        "transition_refused": transition_refused or {},
        "member_form": member_form
        or MembershipForm(initial={"joined": timezone.localdate()}, auto_id=MEMBER_IDS),
        "host_form": host_form or HostChangeForm(initial={"on": timezone.localdate()}, auto_id=HOST_IDS),
        "member_end_form": MembershipEndForm(initial={"left": timezone.localdate()}),
        "member_end_refused": member_end_refused or {},
        "achievement_form": achievement_form or AchievementForm(initial={"year": timezone.localdate().year}),
        "operator_form": operator_form or OperatorForm(),
        "reports": selectors.reports_for(user=request.user, filters={"platform": platform.pk})
        if internal or permissions.operates(request.user, platform)
        else [],
        "can_file": permissions.can_file_report(request.user, platform),
        "panels": ui.panels_for("platforms.detail", platform=platform, user=request.user),
    }
    return render(request, "platforms/detail.html", ctx, status=status)


@role_required(STAFF)
def platform_create(request):
    form = PlatformForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        platform = attempt(
            request,
            lambda: services.platform_create(actor=request.user, **data),
            success=_("已登记平台。"),
            form=form,
        )
        if platform:
            return redirect(platform)
    return render(
        request,
        "platforms/form.html",
        {"form": form, "title": _("登记平台")},
        status=400 if form.errors else 200,
    )


@role_required(STAFF)
def platform_edit(request, pk):
    platform = get_object_or_404(Platform, pk=pk)
    form = PlatformForm(request.POST or None, instance=Platform.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("code", "host")}
        if attempt(
            request,
            lambda: services.platform_update(
                actor=request.user, platform=platform, expected_version=posted_version(request), **data
            ),
            success=_("已保存。"),
            form=form,
        ):
            return redirect(platform)
    return render(
        request,
        "platforms/form.html",
        {"form": form, "title": _("修改平台"), "version": platform.version, "object": platform},
        status=400 if form.errors else 200,
    )


@role_required(STAFF)
@require_POST
def platform_transition(request, pk):
    """A platform's status step. Refused (no valid date, a reason missing): the platform's page again with the
    date and reason as typed and why (400; it was a message after a redirect); already taken (a second click,
    a stale tab): by whom and when (409)."""
    platform = get_object_or_404(Platform, pk=pk)
    form = TransitionForm(request.POST)
    action = request.POST.get("action", "")
    typed = {_("理由"): request.POST.get("reason", "")}
    if action in PLATFORM_MACHINE.transitions and moved_on(PLATFORM_MACHINE, platform, action):
        return decided_page(request, obj=platform, back_url=platform.get_absolute_url(), typed=typed)
    error = None
    if not form.is_valid():
        # each field's own reason by its label (an over-long reason is not a bad date)
        error = form_errors_text(form)
    else:
        try:
            services.platform_transition(
                actor=request.user,
                platform=platform,
                action=form.cleaned_data["action"],
                on=form.cleaned_data["on"],
                reason=form.cleaned_data["reason"],
            )
        except PermissionDenied as exc:
            raise Refused(error_text(exc)) from exc
        except ApplicationError as exc:
            if moved_on(PLATFORM_MACHINE, platform, action):
                return decided_page(request, obj=platform, back_url=platform.get_absolute_url(), typed=typed)
            error = error_text(exc)
    if error is None:
        messages.success(request, _("状态已变更。"))
        return redirect(platform)
    refused = {
        "action": action,
        "on": request.POST.get("on", ""),
        "reason": request.POST.get("reason", ""),
        "error": error,
    }
    return platform_detail(request, pk, transition_refused=refused, status=400)


@role_required(STAFF)
@require_POST
def platform_host_change(request, pk):
    """Staff move a platform to a new host unit from a date (the old host link ends that day). Refused: the
    platform's page again with the unit, date and reason as typed and why (400; it was a message after a
    redirect, and what was typed was lost)."""
    platform = get_object_or_404(Platform, pk=pk)
    form = HostChangeForm(request.POST, auto_id=HOST_IDS)
    if form.is_valid() and attempt(
        request,
        lambda: services.platform_host_change(actor=request.user, platform=platform, **form.cleaned_data),
        success=_("依托单位已变更。"),
        form=form,
    ):
        return redirect(platform)
    if not form.non_field_errors() and not any(form.errors.get(f) for f in ("unit", "on")):
        form.add_error(None, _("请选择新的依托单位并填写有效的生效日期。"))
    return platform_detail(request, pk, host_form=form, status=400)


@role_required(STAFF)
@require_POST
def membership_add(request, pk):
    platform = get_object_or_404(Platform, pk=pk)
    form = MembershipForm(request.POST, auto_id=MEMBER_IDS)
    if form.is_valid() and attempt(
        request,
        lambda: services.membership_add(actor=request.user, platform=platform, **form.cleaned_data),
        success=_("已添加成员单位。"),
        form=form,
    ):
        return redirect(platform)
    # Refused: the page again with the unit, role and date as chosen and why beside them (400).
    return platform_detail(request, pk, member_form=form, status=400)


@role_required(STAFF)
@require_POST
def membership_end(request, pk, membership_pk):
    """A member unit leaves the platform from a date (cannot be undone: the box ticked first). Refused (no
    valid date, not ticked, a date before it joined): the platform's page again with the date and reason as
    typed and why beside that member's form (400; it was a message after a redirect); already left (a
    second click, a stale tab): a page saying by whom and when (409)."""
    membership = get_object_or_404(
        Membership.objects.select_related("platform", "unit"), pk=membership_pk, platform_id=pk
    )
    form = MembershipEndForm(request.POST)
    typed = {_("退出日期"): request.POST.get("left", ""), _("理由"): request.POST.get("reason", "")}
    if Membership.objects.filter(pk=membership.pk, left__isnull=False).exists():
        return _member_left_page(request, membership, typed)
    error = None
    if not form.is_valid():
        error = form_errors_text(form)
    else:
        data = {k: v for k, v in form.cleaned_data.items() if k != "confirm"}
        try:
            services.membership_end(actor=request.user, membership=membership, **data)
        except PermissionDenied as exc:
            raise Refused(error_text(exc)) from exc
        except ApplicationError as exc:
            if Membership.objects.filter(pk=membership.pk, left__isnull=False).exists():
                return _member_left_page(request, membership, typed)
            error = error_text(exc)
    if error is None:
        messages.success(request, _("已办理退出。"))
        return redirect(membership.platform)
    refused = {
        "pk": membership.pk,
        "left": request.POST.get("left", ""),
        "reason": request.POST.get("reason", ""),
        "confirm": request.POST.get("confirm") == "1",
        "error": error,
    }
    return platform_detail(request, pk, member_end_refused=refused, status=400)


def _member_left_page(request, membership, typed):
    """The 409 page of a member that has already left: when, by whom (the platform's trail of its exit)."""
    from kechuang.core.models import AuditEvent

    membership.refresh_from_db(fields=["left"])
    platform = membership.platform
    return decided_page(
        request,
        obj=platform,
        back_url=platform.get_absolute_url(),
        typed=typed,
        trail=AuditEvent.objects.for_object(platform).filter(
            action="membership.end", after__unit=membership.unit_id
        ),
        now=_("%(unit)s已于%(date)s退出。") % {"unit": membership.unit, "date": date_text(membership.left)},
    )


@role_required(STAFF)
@require_POST
def achievement_add(request, pk):
    platform = get_object_or_404(Platform, pk=pk)
    form = AchievementForm(request.POST, request.FILES)
    if form.is_valid() and attempt(
        request,
        lambda: services.achievement_create(actor=request.user, platform=platform, **form.cleaned_data),
        success=_("已添加成果。"),
        form=form,
    ):
        return redirect(platform)
    # Refused: the page again with what was typed and why (a file chosen must be chosen again: browsers
    # never refill a file field, so the form says so)
    return platform_detail(request, platform.pk, achievement_form=form, status=400)


def achievement_evidence(request, pk):
    """An achievement's evidence file, to those who see its platform: always a download, never shown inline."""
    from ..models import Achievement

    achievement = get_object_or_404(Achievement, pk=pk)
    get_visible_or_404(
        selectors.platform_get,
        user=request.user,
        visible=permissions.can_view_platform,
        pk=achievement.platform_id,
    )
    if not achievement.evidence_file:
        raise Http404
    return uploaded_file_response(achievement.evidence_file, achievement.evidence_file.name)


@role_required(STAFF)
@require_POST
def operator_assign(request, pk):
    platform = get_object_or_404(Platform, pk=pk)
    form = OperatorForm(request.POST)
    if form.is_valid() and attempt(
        request,
        lambda: services.operator_assign(
            actor=request.user, platform=platform, user=form.cleaned_data["user"]
        ),
        success=_("已指定运营人员。"),
        form=form,
    ):
        return redirect(platform)
    # Refused (nobody chosen: the page said nothing): the page again with why (400).
    return platform_detail(request, pk, operator_form=form, status=400)


def statistics(request):
    as_of_filter = _date_param(request)
    as_of = as_of_filter.date
    # the code the list submits; a name from an older link (?province=山西) finds the same division
    province = divisions.normalise(request.GET.get("province", ""))
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
            "as_of_filter": as_of_filter,
            "province": province,
            "provinces": selectors.provinces(),
            "figures": selectors.report_figures(),
        },
    )


@role_required(STAFF)
def import_view(request):
    if request.method == "GET" and request.GET.get("template") == "xlsx":
        # the empty template, headed in the reader's language (the platform list's Excel is the same format)
        return importer.HEADINGS.template(_("平台导入模板") + ".xlsx", sheet_title=str(_("平台")))
    return dry_run_import_page(
        request,
        form=ImportForm(request.POST or None, request.FILES or None),
        run=importer.platform_import,
        template="platforms/import.html",
        context={"columns": importer.headings()},
    )
