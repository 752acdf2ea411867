"""The yearly report pages: list, filing, the report, its edit and its status changes."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kechuang.core.attempts import attempt
from kechuang.core.decided import decided_page, moved_on
from kechuang.core.excel import xlsx_response
from kechuang.core.exceptions import ApplicationError, error_text
from kechuang.core.exceptions import PermissionDenied as ServiceRefused
from kechuang.core.limits import posted_text
from kechuang.core.permissions import get_visible_or_404, role_required
from kechuang.core.roles import Role, has_role, roles_of
from kechuang.core.services import posted_version
from kechuang.core.workflow import done

from .. import permissions, selectors, services
from ..forms import (
    ReasonForm,
    ReportCreateForm,
    ReportForm,
)
from ..models import Platform, YearlyReport
from ..workflow import REPORT_MACHINE


@role_required(Role.STAFF, Role.COMMISSIONER, Role.OPERATOR)
def report_list(request):
    filters = {k: request.GET.get(k, "") for k in ("year", "status")}
    qs = selectors.reports_for(user=request.user, filters=filters)
    if request.GET.get("export") == "xlsx":
        headers = [
            _("平台编号"),
            _("平台"),
            _("年度"),
            _("状态"),
            _("固定人员数"),
            _("博士人数"),
            _("经费（万元）"),
            _("承担项目数"),
            _("论文数"),
            _("专利数"),
            _("成果转化数"),
            _("仪器设备开放共享机时"),
        ]
        rows = [
            [
                r.platform.code,
                # a list export: the platform in the reader's language (ADR 0019), as on the page
                str(r.platform),
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
        return xlsx_response("yearly-reports.xlsx", headers, rows, sheet_title=_("年度报告"))
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


@role_required(Role.OPERATOR, Role.STAFF)
def report_create(request):
    if not has_role(request.user, Role.OPERATOR):
        # staff come here from a platform's page: say who files and what they do instead (was a bare 403)
        raise PermissionDenied(
            _(
                "年度报告由平台的运营人员填报，工作人员不能代为填报。"
                "您可以在平台页面指定运营人员，并在报告提交后受理或退回。"
            )
        )
    platforms = Platform.objects.filter(operators__user=request.user).order_by("code")
    # an operator of one platform files for it without choosing it (people38: a list of one behind （请选择）)
    only = platforms[0].pk if len(platforms) == 1 else None
    initial = {"year": timezone.localdate().year - 1, "platform": request.GET.get("platform") or only}
    form = ReportCreateForm(request.POST or None, platforms=platforms, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        report = attempt(
            request,
            lambda: services.report_create(actor=request.user, **data),
            success=_("已保存草稿。"),
            form=form,
        )
        if report:
            return redirect(report)
    return render(
        request,
        "platforms/form.html",
        {"form": form, "title": _("填报年度报告")},
        status=400 if form.errors else 200,
    )


_REPORTS = YearlyReport.objects.select_related("platform", "platform__host", "submitted_by")


@role_required(Role.STAFF, Role.COMMISSIONER, Role.OPERATOR)
def report_detail(request, pk, *, refused: dict | None = None, status: int = 200):
    """A yearly report; `refused`: a step refused (its name, the reason as typed, why), shown again (400)."""
    report = get_visible_or_404(_REPORTS, user=request.user, visible=permissions.can_view_report, pk=pk)

    roles = set(roles_of(request.user))
    if not permissions.operates(request.user, report.platform):
        roles.discard(Role.OPERATOR)
    return render(
        request,
        "platforms/report_detail.html",
        {
            "report": report,
            "can_edit": permissions.can_edit_report(request.user, report),
            "transitions": (transitions := REPORT_MACHINE.available(report.status, roles, obj=report)),
            "transition_names": [t.name for t in transitions],
            "final_steps": REPORT_MACHINE.irreversible(),  # asked first: a box to tick
            "blocked": REPORT_MACHINE.unavailable(report.status, roles, obj=report),
            "reason_form": ReasonForm(),
            "refused": refused or {},
        },
        status=status,
    )


@role_required(Role.OPERATOR)
def report_edit(request, pk):
    report = get_visible_or_404(_REPORTS, user=request.user, visible=permissions.can_view_report, pk=pk)
    if not permissions.can_edit_report(request.user, report):
        raise Http404
    form = ReportForm(request.POST or None, instance=YearlyReport.objects.get(pk=pk))
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            request,
            lambda: services.report_update(
                actor=request.user,
                report=report,
                expected_version=posted_version(request),
                **form.cleaned_data,
            ),
            success=_("已保存。"),
            form=form,
        )
    ):
        return redirect(report)
    return render(
        request,
        "platforms/form.html",
        {"form": form, "title": _("修改年度报告"), "version": report.version, "object": report},
        status=400 if form.errors else 200,  # refused: the form again with what was typed
    )


@role_required(Role.STAFF, Role.OPERATOR)
@require_POST
def report_transition(request, pk):
    """A yearly report's step (submit, return, accept, reopen). Refused for a business reason: the report's
    page again with the reason as typed and why (400; it was a message after a redirect, the reason lost);
    already taken by someone whose role may take it (a second click, a stale tab): by whom and when (409)."""
    report = get_visible_or_404(_REPORTS, user=request.user, visible=permissions.can_view_report, pk=pk)
    action = request.POST.get("action", "")
    reason = request.POST.get("reason", "")
    t = REPORT_MACHINE.transitions.get(action)
    may = t is not None and bool(set(roles_of(request.user)) & t.roles)
    if may and moved_on(REPORT_MACHINE, report, action):
        return decided_page(
            request, obj=report, back_url=report.get_absolute_url(), typed={_("理由"): reason}
        )
    ticked = request.POST.get("confirm") == "1"
    try:
        posted_text(request, label=_("理由"))  # bounded before anything is written
        # a step not taken back (REPORT_MACHINE.irreversible()): asked first, the box ticked
        if may and action in REPORT_MACHINE.irreversible() and not ticked:
            raise ApplicationError(_("请先勾选确认：这一步之后不能撤回。"), code="unconfirmed")
        services.report_transition(actor=request.user, report=report, action=action, reason=reason)
    except ServiceRefused as exc:
        raise PermissionDenied(error_text(exc)) from exc
    except ApplicationError as exc:
        if may and moved_on(REPORT_MACHINE, report, action):
            return decided_page(
                request, obj=report, back_url=report.get_absolute_url(), typed={_("理由"): reason}
            )
        refused = {"action": action, "reason": reason, "error": error_text(exc), "confirm": ticked}
        return report_detail(request, pk, refused=refused, status=400)
    messages.success(request, done(REPORT_MACHINE, action))
    return redirect(report)
