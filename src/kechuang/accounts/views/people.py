"""Staff manage people: the list, invitations, a person's page, deactivation, resetting a second factor."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kechuang.core import ui
from kechuang.core.decided import decided_page
from kechuang.core.exceptions import ApplicationError, error_text
from kechuang.core.limits import posted_text, search_words
from kechuang.core.models import AuditEvent
from kechuang.core.permissions import role_required
from kechuang.core.roles import Role

from .. import second_factor, selectors, services
from ..forms import (
    UserEditForm,
    UserInviteForm,
)
from ..models import User


@role_required(Role.STAFF)
def user_list(request):
    qs = selectors.user_search(
        q=search_words(request),
        role=request.GET.get("role", ""),
        active=request.GET.get("active", "1"),
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    labels = dict(Role.choices)
    for person in page:
        person.role_labels = [str(labels[g.name]) for g in person.groups.all() if g.name in labels]
    return render(request, "accounts/user_list.html", {"page": page, "roles": Role.choices})


@role_required(Role.STAFF)
def user_invite(request):
    """Staff invite a person by e-mail with their roles and unit; the e-mail holds a link to set a password."""
    form = UserInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_invite(
                actor=request.user,
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                phone=form.cleaned_data["phone"],
                roles=form.cleaned_data["roles"],
                unit=form.cleaned_data["unit"],
                language=form.cleaned_data["language"],
                base_url=request.build_absolute_uri("/"),
            )
        except (ValidationError, ApplicationError) as exc:
            _refused(form, exc)
        else:
            messages.success(
                request,
                # The invitee signs in with this address (docs/adr/0017): no login name to pass on.
                _("已向 %(email)s 发出邀请：邮件中有设置密码的链接，此人用这个电子邮箱登录。")
                % {"email": user.email},
            )
            return redirect("accounts:user-detail", pk=user.pk)
    return render(request, "accounts/user_invite.html", {"form": form}, status=400 if form.errors else 200)


def _refused(form, exc) -> None:
    """A refused service call on the form: each field's reason beside its field (an address another account
    has, by the e-mail), the rest above the form."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for name, reasons in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, _("；").join(reasons))
    else:
        form.add_error(None, error_text(exc))


@role_required(Role.STAFF)
def user_detail(request, pk):
    """One person: name, contact, unit and roles (a form), and deactivation."""
    person = get_object_or_404(User.objects.select_related("unit"), pk=pk)
    roles = sorted(person.groups.values_list("name", flat=True))
    initial = {
        "full_name": person.full_name,
        "email": person.email,
        "phone": person.phone,
        "roles": roles,
        "unit": person.unit,
    }
    form = UserEditForm(request.POST or None, user=person, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.user_update(
                actor=request.user,
                user=person,
                roles=data["roles"],
                unit=data["unit"],
                reason=data["reason"],
                full_name=data["full_name"],
                email=data["email"],
                phone=data["phone"],
                base_url=request.build_absolute_uri("/"),
            )
        except (ValidationError, ApplicationError) as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("用户信息已保存。"))
            person.refresh_from_db()
            if person.email_new and person.email_new == data["email"]:
                messages.info(
                    request,
                    _(
                        "新电子邮箱 %(new)s 须由本人确认：确认链接已发到新邮箱，原邮箱已收到通知，确认前仍用原邮箱登录。"
                    )
                    % {"new": person.email_new},
                )
            return redirect("accounts:user-detail", pk=person.pk)
    return _person_page(request, person, form, status=400 if form.errors else 200)


def _person_page(request, person, form=None, *, refused: dict | None = None, status: int = 200):
    """A person's page; `refused`: a refused step on it (`active`: deactivation, with the reason typed;
    `otp`: the reset not confirmed) with why beside its button (400)."""
    if form is None:
        initial = {
            "full_name": person.full_name,
            "email": person.email,
            "phone": person.phone,
            "roles": sorted(person.groups.values_list("name", flat=True)),
            "unit": person.unit,
        }
        form = UserEditForm(user=person, initial=initial)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "person": person,
            "form": form,
            "is_self": person.pk == request.user.pk,
            "has_otp": second_factor.device_of(person) is not None,
            "refused": refused or {},
            "panels": ui.panels_for("accounts.user_detail", person=person, user=request.user),
        },
        status=status,
    )


def _already(request, person, *, actions: tuple[str, ...], now: str, typed: dict | None = None):
    """The 409 page of a step on a person that someone already took: by whom and when (the person's trail)."""
    return decided_page(
        request,
        obj=person,
        back_url=reverse("accounts:user-detail", args=[person.pk]),
        typed=typed,
        trail=AuditEvent.objects.for_object(person).filter(action__in=actions),
        now=now,
    )


@role_required(Role.STAFF)
def user_set_active(request, pk):
    """Staff deactivate a person (their API tokens are revoked for good: the box ticked first) or reactivate
    them. Refused (not ticked, oneself): the person's page again with the reason as typed and why beside the
    button (400; it was a message after a redirect); done meanwhile (a second click, another staff member's
    tab): a page saying by whom and when (409)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    person = get_object_or_404(User.objects.select_related("unit"), pk=pk)
    active = request.POST.get("active") == "1"
    reason = request.POST.get("reason", "")
    if person.is_active == active:
        return _already(
            request,
            person,
            actions=("user.activate", "user.deactivate"),
            now=_("此账号现已启用。") if active else _("此账号现已停用。"),
            typed={_("理由"): reason},
        )
    error = ""
    if not active and request.POST.get("confirm") != "1":
        error = _("账号没有停用：请勾选确认（停用后此人的 API 令牌全部撤销，不能恢复）。")
    else:
        try:
            posted_text(request, label=_("理由"))  # bounded before anything is written
            services.user_set_active(actor=request.user, user=person, active=active, reason=reason)
        except ApplicationError as exc:
            error = error_text(exc)
    if error:
        refused = {"step": "active", "reason": reason, "error": error}
        return _person_page(request, person, refused=refused, status=400)
    messages.success(request, _("账号已启用。") if active else _("账号已停用，其 API 令牌已撤销。"))
    return redirect("accounts:user-detail", pk=person.pk)


@role_required(Role.STAFF)
def user_otp_reset(request, pk):
    """Staff remove a person's second factor (a lost phone); the person sets it up again."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    person = get_object_or_404(User.objects.select_related("unit"), pk=pk)
    # already reset (a second click, another staff member's tab): by whom and when (409)
    if second_factor.device_of(person) is None:
        return _already(request, person, actions=("user.otp_disable",), now=_("此人现在没有启用双因素认证。"))
    # Not undone by a click: the person must set up their phone again. The page asks first (重置双因素认证…
    # opens 确认重置); a post without that answer changes nothing and comes back with the question open and
    # why (400; it was a message after a redirect).
    if request.POST.get("confirm") != "1":
        error = _("双因素认证没有重置：请在“重置双因素认证…”下确认。")
    else:
        try:
            second_factor.disable(actor=request.user, user=person)
        except ApplicationError as exc:
            error = error_text(exc)
        else:
            messages.success(request, _("已重置此人的双因素认证。"))
            return redirect("accounts:user-detail", pk=person.pk)
    return _person_page(request, person, refused={"step": "otp", "error": error}, status=400)
