"""Staff manage people: the list, invitations, a person's page, deactivation, resetting a second factor."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from kechuang.core import ui
from kechuang.core.exceptions import ApplicationError, error_text
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
        q=request.GET.get("q", "").strip(),
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
            form.add_error(name if name in form.fields else None, "；".join(reasons))
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
            )
        except (ValidationError, ApplicationError) as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("用户信息已保存。"))
            return redirect("accounts:user-detail", pk=person.pk)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "person": person,
            "form": form,
            "is_self": person.pk == request.user.pk,
            "has_otp": second_factor.device_of(person) is not None,
            "panels": ui.panels_for("accounts.user_detail", person=person, user=request.user),
        },
        status=400 if form.errors else 200,
    )


@role_required(Role.STAFF)
def user_set_active(request, pk):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    person = get_object_or_404(User, pk=pk)
    active = request.POST.get("active") == "1"
    try:
        services.user_set_active(
            actor=request.user, user=person, active=active, reason=request.POST.get("reason", "")
        )
    except ApplicationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("账号已启用。") if active else _("账号已停用，其 API 令牌已撤销。"))
    return redirect("accounts:user-detail", pk=person.pk)


@role_required(Role.STAFF)
def user_otp_reset(request, pk):
    """Staff remove a person's second factor (a lost phone); the person sets it up again."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    person = get_object_or_404(User, pk=pk)
    # Not undone by a click: the person must set up their phone again. The page asks first (重置双因素认证…
    # opens 确认重置); a post without that answer changes nothing.
    if request.POST.get("confirm") != "1":
        messages.error(request, _("双因素认证没有重置：请在“重置双因素认证…”下确认。"))
        return redirect("accounts:user-detail", pk=person.pk)
    try:
        second_factor.disable(actor=request.user, user=person)
    except ApplicationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("已重置此人的双因素认证。"))
    return redirect("accounts:user-detail", pk=person.pk)
