"""The expert pool pages and an expert's own profile."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Refused
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kechuang.core import disciplines, divisions
from kechuang.core.decided import decided_page, moved_on
from kechuang.core.exceptions import ApplicationError, PermissionDenied, error_text
from kechuang.core.exports import wants_export
from kechuang.core.limits import REASON_MAX, posted_text, search_words
from kechuang.core.pagination import NarrowPaginator
from kechuang.core.permissions import get_visible_or_404, role_required
from kechuang.core.pickers import NewName, city_filter_choices
from kechuang.core.roles import Role, roles_of
from kechuang.core.services import posted_version
from kechuang.integrity import panels as integrity_panels

from .. import exports, forms, permissions, selectors, services, workflow
from ..models import REASON_LENGTH, ExpertProfile


@role_required(Role.STAFF)
def expert_list(request):
    typed = request.GET.get("discipline", "").strip()
    code = disciplines.resolve(typed) or typed  # chosen by name in the picker; a code still works
    # picked from the cities that occur; an old link's typed city (太原, Taiyuan) is read as the stored name
    city = divisions.city_normalise(request.GET.get("city", ""))
    qs = selectors.expert_list(
        q=search_words(request),
        status=request.GET.get("status", ""),
        discipline=code,
        city=city,
    )
    if wants_export(request):
        return exports.experts_xlsx(qs)
    if search_words(request):
        # A ranked search sorts every match: its keys counted and cut in one query, then the page's 50 rows
        # loaded by key with their credit and assignment totals (issue #19; was a COUNT and a page query,
        # each joining and testing every match).
        page = NarrowPaginator(qs, 50, rows=selectors.expert_rows()).get_page(request.GET.get("page"))
    else:
        page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "review/expert_list.html",
        {
            "page": page,
            "statuses": ExpertProfile.Status.choices,
            "discipline": (code, disciplines.label(code)) if code else None,
            "city": city,
            # the cities that occur, by name, grouped by province (after the empty choice)
            "city_groups": city_filter_choices(
                ExpertProfile.objects.exclude(city="").order_by().values_list("city", flat=True).distinct()
            )[1:],
        },
    )


@role_required(Role.STAFF)
def expert_import(request):
    if request.method == "GET" and request.GET.get("template") == "xlsx":
        return exports.expert_import_template()
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        f = form.cleaned_data["file"]
        try:
            report = services.expert_import(
                actor=request.user, data=f.read(), filename=f.name, dry_run=not form.cleaned_data["commit"]
            )
        except ApplicationError as exc:
            form.add_error("file", error_text(exc))
        else:
            if report.committed:
                messages.success(request, _("已导入%(n)d位专家。") % {"n": report.created + report.updated})
                return redirect("review:expert-list")
    return render(
        request,
        "review/expert_import.html",
        {"form": form, "report": report, "columns": services.expert_import_headings()},
    )


@login_required
def expert_detail(request, pk, *, credit_form=None, refused: dict | None = None, status: int = 200):
    """An expert's profile; after a refused credit record, its form again with the input and why (400);
    `refused`: a refused step (approve, reject …) with the reason as typed and why (400)."""
    profile = get_visible_or_404(
        ExpertProfile.objects.select_related("user"),
        pk=pk,
        user=request.user,
        visible=permissions.can_view_profile,
    )
    profile = selectors.expert_profile_get(pk=pk)
    ctx = {
        "profile": profile,
        "actions": (actions := workflow.PROFILE.available(profile.status, roles_of(request.user), profile)),
        "action_names": [t.name for t in actions],
        "credit_form": (credit_form or forms.CreditForm())
        if permissions.can_manage_pool(request.user)
        else None,
        "reason_form": forms.ReasonForm(),
        "refused": refused or {},
        "review_note_max": REASON_LENGTH,  # a rejection's reason, kept as the profile's review note
        "credit_total": sum(c.points for c in profile.credits.all()),
        # The credit record and the integrity records are for staff only, not for the expert themself.
        "staff_view": permissions.can_manage_pool(request.user),
    }
    if ctx["staff_view"]:
        ctx["integrity"] = integrity_panels.user_panel(user=request.user, person=profile.user)
    return render(request, "review/expert_detail.html", ctx, status=status)


@require_POST
@login_required
def expert_transition(request, pk, action):
    """A profile's step. Refused for a business reason: the profile's page again with the reason as typed and
    why (400; it was a message after a redirect); already taken by someone whose role may take it (a second
    click, a stale tab): by whom and when (409)."""
    profile = get_visible_or_404(
        ExpertProfile, pk=pk, user=request.user, visible=permissions.can_view_profile
    )
    reason = request.POST.get("reason", "")
    t = workflow.PROFILE.transitions.get(action)
    may = t is not None and bool(set(roles_of(request.user)) & t.roles)
    typed = {_("理由"): reason}
    if may and moved_on(workflow.PROFILE, profile, action):
        return decided_page(request, obj=profile, back_url=profile.get_absolute_url(), typed=typed)
    try:
        # bounded before anything is written: a rejection's as the review note it is kept as
        posted_text(request, label=_("理由"), max_length=REASON_LENGTH if action == "reject" else REASON_MAX)
        services.expert_profile_transition(actor=request.user, profile=profile, action=action, reason=reason)
    except PermissionDenied as exc:
        raise Refused(error_text(exc)) from exc
    except ApplicationError as exc:
        if may and moved_on(workflow.PROFILE, profile, action):
            return decided_page(request, obj=profile, back_url=profile.get_absolute_url(), typed=typed)
        refused = {"action": action, "reason": reason, "error": error_text(exc)}
        return expert_detail(request, profile.pk, refused=refused, status=400)
    messages.success(request, _("已完成。"))
    return redirect(profile)


@require_POST
@role_required(Role.STAFF)
def expert_credit(request, pk):
    profile = get_object_or_404(ExpertProfile, pk=pk)
    form = forms.CreditForm(request.POST)
    if form.is_valid():
        services.expert_credit_record(actor=request.user, profile=profile, **form.cleaned_data)
        messages.success(request, _("已记录。"))
        return redirect(profile)
    # Refused: the page again with what was typed and each field's reason
    return expert_detail(request, profile.pk, credit_form=form, status=400)


def _my_profile_new(request):
    """An expert without a profile: the page offers to create one; the POST creates it (a draft, in the
    city of the user's unit), so reading the page writes nothing."""
    if request.method == "POST":
        try:
            services.expert_profile_create(
                actor=request.user, user=request.user, city=getattr(request.user.unit, "city", "")
            )
        except (ApplicationError, ValidationError) as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("专家档案已建立，请填写后提交审核。"))
        return redirect("review:my-profile")
    return render(request, "review/my_profile_new.html")


# The profile page's side forms and the button each is sent by.
SIDE_BUTTONS = {"unit_form": "add_unit", "collab_form": "add_collab", "declare_form": "declare"}


@role_required(Role.EXPERT)
def my_profile(request):
    profile = ExpertProfile.objects.filter(user=request.user).first()
    if profile is None:
        return _my_profile_new(request)
    form = forms.ProfileForm.for_profile(
        profile, request.POST if request.method == "POST" and "save" in request.POST else None
    )
    side = {
        "unit_form": forms.PastUnitForm(prefix="u"),
        "collab_form": forms.CollaboratorForm(prefix="c"),
        "declare_form": forms.DeclaredConflictForm(prefix="d"),
    }
    if request.method == "POST":
        try:
            if "save" in request.POST and form.is_valid():
                data = form.profile_fields()
                services.expert_profile_update(
                    actor=request.user, profile=profile, expected_version=posted_version(request), **data
                )
                messages.success(request, _("档案已保存。"))
                return redirect("review:my-profile")
            if "add_unit" in request.POST:
                side["unit_form"] = f = forms.PastUnitForm(request.POST, prefix="u")
                if f.is_valid():
                    unit = f.cleaned_data["unit"]
                    new = isinstance(unit, NewName)  # not in the library: added, awaiting verification
                    services.expert_unit_add(
                        actor=request.user,
                        profile=profile,
                        unit=None if new else unit,
                        unit_name="" if new else unit.name,
                        new_unit=str(unit) if new else "",
                        start=f.cleaned_data["start"],
                        end=f.cleaned_data["end"],
                    )
                    return redirect("review:my-profile")
            if "add_collab" in request.POST:
                side["collab_form"] = f = forms.CollaboratorForm(request.POST, prefix="c")
                if f.is_valid():
                    services.collaborator_add(actor=request.user, profile=profile, **f.collaborator_fields())
                    return redirect("review:my-profile")
            if "declare" in request.POST:
                side["declare_form"] = f = forms.DeclaredConflictForm(request.POST, prefix="d")
                if f.is_valid():
                    services.declared_conflict_add(
                        actor=request.user,
                        profile=profile,
                        unit=f.cleaned_data["unit"],
                        person_name=f.cleaned_data["person_name"],
                        reason=f.cleaned_data["reason"],
                    )
                    return redirect("review:my-profile")
        except (ApplicationError, ValidationError) as exc:
            # why, above the form that was sent (its input kept), not a message apart from it
            posted = next(
                (
                    side[k]
                    for k, button in SIDE_BUTTONS.items()
                    if button in request.POST and side[k].is_bound
                ),
                form,
            )
            posted.add_error(None, error_text(exc))
    profile = selectors.expert_profile_get(pk=profile.pk)
    return render(
        request,
        "review/my_profile.html",
        {
            "profile": profile,
            "form": form,
            "actions": workflow.PROFILE.available(profile.status, roles_of(request.user), profile),
            **side,
        },
        status=400 if request.method == "POST" else 200,  # refused: the forms again with what was typed
    )
