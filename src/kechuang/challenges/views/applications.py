"""Application pages: apply, edit team/plan/milestones, attach files, submit/withdraw, formal check."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kechuang.accounts.models import other_name_heading
from kechuang.core import ui
from kechuang.core.exports import wants_export
from kechuang.core.limits import text_checked
from kechuang.core.permissions import get_visible_or_404, refuse_unless
from kechuang.core.roles import Role, has_role, roles_of
from kechuang.core.services import NO_VERSION, posted_version
from kechuang.core.uploads import uploaded_file_response
from kechuang.programmes import fieldkinds
from kechuang.review import selectors as review_selectors

from .. import exports, permissions, programme, selectors, services
from ..forms import ApplicationForm, AttachmentForm
from ..models import Attachment
from ..services.applications import MSG_NOT_YOURS
from ..workflow import APPLICATION, ApplicationStatus
from ._util import attempt, done, refused_reason, step
from .dedup import pairs_of

REVIEWED = (
    ApplicationStatus.UNDER_REVIEW,
    ApplicationStatus.PROPOSED,
    ApplicationStatus.AWARDED,
    ApplicationStatus.REJECTED,
)


@login_required
def application_list(request):
    if not has_role(request.user, Role.STAFF, Role.APPLICANT, Role.COMMISSIONER):
        raise PermissionDenied(_("揭榜申请只对科技厅工作人员、项目专员和单位用户开放。"))
    qs = selectors.application_list(user=request.user, status=request.GET.get("status", ""))
    if wants_export(request):
        return exports.applications_xlsx(qs, user=request.user)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "challenges/application_list.html",
        {
            "page": page,
            "statuses": ApplicationStatus.choices,
            # applications are made from a challenge's page: an applicant is told so and shown the open lists
            "is_applicant": has_role(request.user, Role.APPLICANT),
        },
    )


# The statuses an application can hold objections in: lodged while it is proposed (拟立项, in publicity), kept
# once it is awarded or rejected; before that it has none and its page does not look.
OBJECTED_STATUSES = frozenset(
    {ApplicationStatus.PROPOSED, ApplicationStatus.AWARDED, ApplicationStatus.REJECTED}
)


def _save(request, form, app, expected_version: int):
    d = form.cleaned_data
    with transaction.atomic():
        services.application_update(
            actor=request.user,
            application=app,
            expected_version=expected_version,
            **{
                k: d[k]
                for k in (
                    "title",
                    "plan",
                    "keywords",
                    "disciplines",
                    "budget_requested",
                    "budget_self",
                    "avoid_names",
                    "avoid_units",
                )
            },
            extra=form.extra_values(),
        )
        # Partners and team in one call: a member may belong to a partner added with this very form.
        services.application_partners_set(
            actor=request.user, application=app, partners=d["partners_text"], members=d["team_text"]
        )
        services.application_milestones_set(
            actor=request.user, application=app, milestones=d["milestones_text"]
        )
        # The staff-added file fields: each new file checked for the field's kinds and size and stored as
        # a private attachment of the application; a cleared (or hidden) field loses its file.
        for key, upload in form.extra_files().items():
            services.application_field_file_set(
                actor=request.user,
                application=app,
                key=key,
                data=None if upload is None else _read(upload),
                filename="" if upload is None else upload.name,
            )


@login_required
def application_create(request, challenge_pk):
    ch = get_visible_or_404(selectors.challenge_get, pk=challenge_pk, user=request.user)
    if not permissions.can_apply(request.user, ch):
        raise PermissionDenied(_("只有所属单位已登记的单位用户，在榜单发布期间，才能揭榜申请。"))
    existing = ch.applications.filter(unit_id=request.user.unit_id).first()
    if existing:
        return redirect(existing)
    if programme.runs_pre_application(ch):  # 预申报 first: the pre-application page says where it stands
        not_invited = services.preapplications.why_not_invited(ch, request.user.unit_id)
        if not_invited:
            messages.error(request, not_invited)
            return redirect("challenges:pre-apply", pk=ch.pk)
    form = ApplicationForm(
        request.POST or None,
        request.FILES or None,
        challenge=ch,
        lead_unit=request.user.unit,
        leader=request.user,
        extra_specs=programme.extra_fields(programme.stage_form(ch.programme_version, "application")),
    )
    if request.method == "POST" and form.is_valid():
        holder = {}

        def do():
            with transaction.atomic():
                holder["app"] = services.application_create(
                    actor=request.user, challenge=ch, title=form.cleaned_data["title"]
                )
                holder["app"].refresh_from_db()
                _save(request, form, holder["app"], holder["app"].version)

        if attempt(request, do, success=_("揭榜申请已保存为草稿，核对后请提交。"), form=form):
            return redirect(holder["app"])
    # A refused submit shows everything as typed, with the reasons, and says so to the client (400).
    return render(
        request,
        "challenges/application_form.html",
        {"form": form, "challenge": ch},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def application_edit(request, pk):
    app = get_visible_or_404(selectors.application_get, pk=pk, user=request.user)
    if not permissions.can_edit_application(request.user, app):
        raise PermissionDenied(_("只有牵头单位的用户可以修改申请，且仅限草稿、已撤回或被退回的申请。"))
    form = ApplicationForm(
        request.POST or None,
        request.FILES or None,
        initial=ApplicationForm.initial_for(app),
        challenge=app.challenge,
        lead_unit=app.unit,
        leader=app.leader,
        partners=app.partners.all(),
        extra_specs=programme.extra_fields(app.form_version),
    )
    saved = request.method == "POST" and form.is_valid()
    if saved and posted_version(request) == NO_VERSION:
        # An edit must say which version it was made on, or it could silently overwrite another's save.
        form.add_error(None, _("表单缺少版本号，请刷新页面后重新填写。"))
        saved = False
    if saved and attempt(
        request,
        lambda: _save(request, form, app, posted_version(request)),
        success=_("已保存。"),
        form=form,
    ):
        return redirect(app)
    return render(
        request,
        "challenges/application_form.html",
        {"form": form, "challenge": app.challenge, "application": app},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def application_detail(request, pk):
    return _detail_page(request, pk)


def _detail_page(
    request,
    pk,
    *,
    step_refused: dict | None = None,
    attachment_refused: dict | None = None,
    attach_form=None,
    status: int = 200,
):
    """The application's page; after a refused step (`step_refused`: its action, the reason typed, why) or a
    refused removal of an attachment (`attachment_refused`: its pk and why) or upload (`attach_form`, bound),
    that reason beside it (400)."""
    # not the list's indicators: only the eligibility check of a draft reads them (one query then)
    app = get_visible_or_404(selectors.application_get, pk=pk, user=request.user, indicators=False)
    roles = roles_of(request.user)
    actions, blocked = [], []
    if permissions.can_act_on_application(request.user, app):
        from django.utils import timezone

        ctx = {
            "deadline": app.challenge.deadline,
            "challenge_status": app.challenge.status,
            "milestone_count": len(app.milestones.all()),
            "eligibility": [],
            "now": timezone.now(),
            # a list with a pre-application stage: the page says "未获邀请正式申报" when not invited
            "pre_application": programme.runs_pre_application(app.challenge),
        }
        if ctx["pre_application"]:
            ctx["invited"] = services.preapplications.invited(app.challenge, app.unit_id)
        shown = ("submit", "withdraw", "pass_formal", "return", "reject")
        actions = [t for t in APPLICATION.available(app.status, roles, obj=app, ctx=ctx) if t.name in shown]
        blocked = [
            (t, why)
            for t, why in APPLICATION.unavailable(app.status, roles, obj=app, ctx=ctx)
            if t.name in shown
        ]
    problems = selectors.eligibility_problems(app) if app.status in ("draft", "withdrawn", "returned") else []
    opinions = []
    if app.status in REVIEWED:  # the experts' opinions staff released, anonymous (kechuang.review)
        opinions = review_selectors.released_opinions(subject=app)
    return render(
        request,
        "challenges/application_detail.html",
        {
            "application": app,
            # each milestone's stage targets with the indicators' names and units in the reader's language
            "milestone_targets": selectors.milestone_targets_shown(app),
            "extra_rows": programme.extra_rows(
                app.form_version,
                app.extra,
                file_url=lambda v: reverse("challenges:attachment-download", args=[v["attachment"]]),
            ),
            # the attachments, each with the label of the form's file field it answers (not removable here)
            "attachments": _with_field_labels(app),
            # sections of higher apps (funds: the budget by line)
            "panels": ui.panels_for("challenges.application_detail", application=app, user=request.user),
            "actions": actions,
            "blocked": blocked,
            "problems": problems,
            "can_edit": permissions.can_edit_application(request.user, app),
            # A partner unit's user reads a joint application; the page says who changes and submits it.
            # beside each unit of a joint application its name in the other language (Unit.other_name)
            "other_name_heading": other_name_heading(),
            "is_partner": bool(request.user.unit_id)
            and request.user.unit_id != app.unit_id
            and any(p.unit_id == request.user.unit_id for p in app.partners.all()),
            "show_review_result": permissions.can_see_review_result(request.user, app),
            "attach_form": attach_form or AttachmentForm(),
            "opinions": opinions,
            # The duplicate check's pairs, for staff at the formal check (kechuang.challenges.dedup).
            "duplicates": pairs_of(app) if has_role(request.user, Role.STAFF) else [],
            # lodged only against a proposed award (services.objection_lodge): none to read before one
            "objections": (
                app.objections.exclude(status="open")
                if not has_role(request.user, Role.STAFF)
                else app.objections.all()
            )
            if app.status in OBJECTED_STATUSES
            else [],
            "step_refused": dict(step_refused, apart=step_refused["action"] not in {t.name for t in actions})
            if step_refused
            else {},
            "attachment_refused": attachment_refused or {},
        },
        status=status,
    )


def _read(upload) -> bytes:
    upload.seek(0)
    return upload.read(fieldkinds.MAX_MB * 1024 * 1024 + 1)  # the service checks kinds and size


def _with_field_labels(app) -> list:
    labels = programme.field_attachments(app)
    atts = list(app.attachments.all())
    for a in atts:
        a.field_label = labels.get(a.pk)
    return atts


@require_POST
@login_required
def application_action(request, pk, action):
    app = get_visible_or_404(selectors.application_get, pk=pk, user=request.user)
    reason = request.POST.get("reason", "")
    roles = roles_of(request.user)
    calls = {
        "submit": lambda: services.application_submit(actor=request.user, application=app),
        "withdraw": lambda: services.application_withdraw(actor=request.user, application=app, reason=reason),
        "pass_formal": lambda: services.formal_check(
            actor=request.user, application=app, passed=True, reasons=reason
        ),
        "return": lambda: services.formal_check(
            actor=request.user, application=app, passed=False, reasons=reason
        ),
        "reject": lambda: services.formal_check(
            actor=request.user, application=app, passed=False, reasons=reason, final=True
        ),
    }
    if action not in calls:
        raise Http404
    # Refused (returned without a reason, missing materials): the application's page again, the reason typed
    # and why beside the step (400; it was a message after a redirect); taken meanwhile: by whom and when.
    answer = step(
        request,
        text_checked(request, calls[action], label=_("理由")),
        machine=APPLICATION,
        obj=app,
        action=action,
        may=permissions.can_act_on_application(request.user, app)
        and bool(APPLICATION.transitions[action].roles & set(roles)),
        typed={_("理由"): reason},
        back_url=app.get_absolute_url(),
        success=done(APPLICATION, action),
    )
    if answer is None:
        return redirect(app)
    if not isinstance(answer, str):
        return answer
    return _detail_page(
        request, pk, step_refused={"action": action, "text": reason, "error": answer}, status=400
    )


@require_POST
@login_required
def attachment_upload(request, pk):
    app = get_visible_or_404(selectors.application_get, pk=pk, user=request.user)
    refuse_unless(permissions.can_edit_application(request.user, app), MSG_NOT_YOURS)
    form = AttachmentForm(request.POST, request.FILES)
    # Refused (no file, a kind or size not taken): the application's page again, the kind as chosen and why
    # beside the file (400; it was a message after a redirect). A browser never refills a file field.
    if form.is_valid():
        f = form.cleaned_data["file"]
        data = f.read(services_max() + 1)
        if attempt(
            request,
            lambda: services.attachment_add(
                actor=request.user,
                application=app,
                data=data,
                filename=f.name,
                kind=form.cleaned_data["kind"],
            ),
            success=_("附件已上传。"),
            form=form,
        ):
            return redirect(app)
    return _detail_page(request, pk, attach_form=form, status=400)


def services_max() -> int:
    from ..files import max_bytes

    return max_bytes()


@login_required
def attachment_download(request, pk):

    att = get_object_or_404(Attachment.objects.select_related("application"), pk=pk)
    if not (
        permissions.can_view_application(request.user, att.application)
        or review_selectors.expert_may_read(user=request.user, subject=att.application)
    ):
        raise Http404  # an expert reads the files of what they review, never once they declared a conflict
    return uploaded_file_response(att.file, att.original_name)


@require_POST
@login_required
def attachment_delete(request, pk):
    att = get_object_or_404(Attachment.objects.select_related("application"), pk=pk)
    if not permissions.can_view_application(request.user, att.application):
        raise Http404
    if not permissions.can_edit_application(request.user, att.application):
        # refused before the confirmation is asked for: a person who may not remove it is told so, not asked
        raise PermissionDenied(_("只有牵头单位的用户可以修改申请，且仅限草稿、已撤回或被退回的申请。"))
    # Irreversible: the page asks first (删除 opens 确认删除“...”); a post without that answer removes nothing,
    # and the page comes back with the question open and why beside the file (400; it was a message after a
    # redirect). Refused by the service (the application submitted meanwhile): why, beside the file.
    if request.POST.get("confirm") != "1":
        error = _("附件没有删除：请在“删除”下确认。")
    else:
        error = refused_reason(
            request,
            lambda: services.attachment_remove(actor=request.user, attachment=att),
            success=_("附件已删除。"),
        )
    if error is None:
        return redirect(att.application)
    return _detail_page(
        request, att.application_id, attachment_refused={"pk": att.pk, "error": error}, status=400
    )
