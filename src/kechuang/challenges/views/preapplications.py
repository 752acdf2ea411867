"""Pre-application pages (预申报, issue #18): a unit's pre-application to a list whose version has the stage
(the form of that version, then its status and staff's reason), and staff's shortlist of a list's
pre-applications (invite to the formal application, or decline with a reason)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kechuang.core.limits import text_checked
from kechuang.core.permissions import get_visible_or_404, role_required
from kechuang.core.roles import Role, has_role
from kechuang.programmes import fieldkinds, workflow

from .. import permissions, programme, selectors, services
from ..models import PreApplication
from ..workflow import ChallengeStatus
from ._util import attempt, refused_reason


def why_not_pre_apply(user, ch) -> str:
    """Why this unit user cannot pre-apply now, in words ("" when they can)."""
    if ch.status != ChallengeStatus.PUBLISHED:
        return _("本榜单%(s)s，不再接受预申报。") % {"s": ch.get_status_display()}
    closes = programme.pre_closes_on(ch)
    if closes is not None and timezone.localdate() > closes:
        return _("预申报已于%(date)s截止。") % {"date": workflow.date_words(closes)}
    if timezone.now() >= ch.deadline:
        return _("揭榜已截止，不再接受预申报。")
    return ""


@login_required
def pre_apply(request, pk):
    """The unit's pre-application: the form of the list's pre-application stage while none is submitted, then
    what was submitted, its status and (declined) staff's reason. Staff are sent to the shortlist."""
    ch = get_visible_or_404(selectors.challenge_get, pk=pk, user=request.user)
    if not programme.runs_pre_application(ch):
        raise PermissionDenied(_("该榜单不设预申报环节。"))
    if has_role(request.user, Role.STAFF):
        return redirect("challenges:pre-application-list", pk=ch.pk)
    if not (has_role(request.user, Role.APPLICANT) and request.user.unit_id):
        raise PermissionDenied(_("只有所属单位已登记的单位用户可以预申报。"))
    pre = selectors.pre_application_of(ch, request.user.unit_id)
    version = programme.pre_form(ch)
    form = None
    why = ""
    if pre is None:
        why = why_not_pre_apply(request.user, ch)
        if not why:
            form = fieldkinds.build_form(version.fields if version else [], data=request.POST or None)
            if (
                request.method == "POST"
                and form.is_valid()
                and attempt(
                    request,
                    lambda: services.pre_application_submit(
                        actor=request.user, challenge=ch, values=form.json_values()
                    ),
                    success=_("预申报已提交，请等待科技厅遴选。"),
                    form=form,
                )
            ):
                return redirect("challenges:pre-apply", pk=ch.pk)
    elif request.method == "POST":
        raise PermissionDenied(_("本单位的预申报已经提交，不能再次提交。"))
    closes = programme.pre_closes_on(ch) or timezone.localdate(ch.deadline)
    return render(
        request,
        "challenges/pre_apply.html",
        {
            "challenge": ch,
            "pre": pre,
            "rows": programme.pre_application_rows(pre) if pre else [],
            "form": form,
            "version": version,
            "why": why,
            "closes": workflow.date_words(closes),
            "why_not_apply": services.preapplications.why_not_invited(ch, request.user.unit_id),
        },
        status=400 if form is not None and request.method == "POST" else 200,
    )


@role_required(Role.STAFF)
def pre_application_list(request, pk):
    """Staff's shortlist: the list's submitted pre-applications with their answers, each to invite or decline
    (with a reason)."""
    ch = get_visible_or_404(selectors.challenge_get, pk=pk, user=request.user)
    return _shortlist_page(request, ch)


def _shortlist_page(request, ch, *, refused=None):
    """The shortlist page; `refused`: (pre-application id, why, the reason typed) of a refused decision, shown
    on that pre-application with what was typed kept (400)."""
    if not programme.runs_pre_application(ch):
        raise PermissionDenied(_("该榜单不设预申报环节。"))
    pres = [(p, programme.pre_application_rows(p)) for p in selectors.pre_applications(ch)]
    return render(
        request,
        "challenges/pre_application_list.html",
        {
            "challenge": ch,
            "pres": pres,
            "can_shortlist": permissions.can_shortlist(request.user, ch),
            "refused_pk": refused[0] if refused else None,
            "refused_why": refused[1] if refused else "",
            "kept_reason": refused[2] if refused else "",
        },
        status=400 if refused else 200,
    )


@require_POST
@role_required(Role.STAFF)
def pre_application_shortlist(request, pk):
    """Invite (`action=invite`) or decline (`action=decline`, with `reason`) one pre-application; decided once,
    so the person ticks a confirmation. A refused decision shows the list again with its reason and what was
    typed (400)."""
    pre = get_object_or_404(PreApplication.objects.select_related("challenge", "leader"), pk=pk)
    action = request.POST.get("action", "")
    if action not in ("invite", "decline"):
        raise PermissionDenied(_("只能邀请或不邀请一份预申报。"))
    reason = request.POST.get("reason", "")
    if not request.POST.get("confirm"):
        why = _("请勾选确认：遴选决定作出后不能更改。")
    else:
        why = refused_reason(
            request,
            text_checked(
                request,
                lambda: services.pre_application_shortlist(
                    actor=request.user, pre_application=pre, invite=action == "invite", reason=reason
                ),
                label=_("理由"),
            ),
            success=_("已邀请正式申报。") if action == "invite" else _("已不予邀请，理由已告知申报单位。"),
        )
    if why:
        ch = get_visible_or_404(selectors.challenge_get, pk=pre.challenge_id, user=request.user)
        return _shortlist_page(request, ch, refused=(pre.pk, why, reason))
    return redirect("challenges:pre-application-list", pk=pre.challenge_id)
