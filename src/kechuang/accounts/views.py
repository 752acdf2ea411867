from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kechuang.core import ratelimit, ui
from kechuang.core.exceptions import ApplicationError, error_text
from kechuang.core.permissions import role_required
from kechuang.core.roles import Role

from . import importer, permissions, second_factor, selectors, services
from .forms import (
    DecisionForm,
    OTPCodeForm,
    PasswordResetForm,
    RejectForm,
    UnitForm,
    UnitImportForm,
    UnitRegisterForm,
    UserEditForm,
    UserInviteForm,
)
from .models import ApiToken, Unit, UnitChangeRequest, User


class LoginView(auth_views.LoginView):
    """Sign-in. Besides axes' lockout of one user name from one address, one address may post the form at
    most LOGIN_IP_MAX_ATTEMPTS times per LOGIN_IP_WINDOW seconds (any user names): 429 with Retry-After."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        from django.conf import settings

        wait = ratelimit.hit(
            "login",
            ratelimit.client_ip(request) or "unknown",
            limit=int(getattr(settings, "LOGIN_IP_MAX_ATTEMPTS", 0)),
            window=int(getattr(settings, "LOGIN_IP_WINDOW", 300)),
        )
        if wait is not None:
            response = render(
                request,
                "accounts/login.html",
                {
                    "form": self.get_form(),
                    "throttled": _("登录尝试过于频繁，请 %(s)d 秒后再试。") % {"s": wait},
                },
                status=429,
            )
            response["Retry-After"] = str(wait)
            return response
        return super().post(request, *args, **kwargs)


class LogoutView(auth_views.LogoutView):
    """Ends the session. API tokens are not tied to a session and stay (docs/accounts.md, "API tokens")."""


# --- passwords: Django's own views (ADR 0010), each change audited and revoking API tokens -------------


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        response = super().form_valid(form)  # saves, and keeps this session signed in
        services.password_changed(actor=self.request.user, user=self.request.user, how="change")
        messages.success(self.request, _("密码已修改。您的 API 令牌已全部撤销。"))
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Asks for an e-mail address and mails a link (valid PASSWORD_RESET_TIMEOUT seconds, single use). The
    answer is the same whether or not the address is known. Posts count against the sign-in rate limit."""

    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-done")
    form_class = PasswordResetForm

    def post(self, request, *args, **kwargs):
        from django.conf import settings

        wait = ratelimit.hit(
            "password-reset",
            ratelimit.client_ip(request) or "unknown",
            limit=int(getattr(settings, "LOGIN_IP_MAX_ATTEMPTS", 0)),
            window=int(getattr(settings, "LOGIN_IP_WINDOW", 300)),
        )
        if wait is not None:
            form = self.get_form()
            form.is_valid()
            form.add_error(None, _("提交过于频繁，请 %(s)d 秒后再试。") % {"s": wait})
            response = self.render_to_response(self.get_context_data(form=form), status=429)
            response["Retry-After"] = str(wait)
            return response
        return super().post(request, *args, **kwargs)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_changed(actor=form.user, user=form.user, how="reset")
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


@role_required(Role.STAFF, Role.COMMISSIONER)
def unit_list(request):
    qs = selectors.unit_list(
        kind=request.GET.get("kind", ""),
        city=request.GET.get("city", ""),
        q=request.GET.get("q", "").strip(),
        status=request.GET.get("status", ""),
    )
    if request.GET.get("export") == "xlsx" and permissions.is_staff_member(request.user):  # holds contacts
        from kechuang.core.exports import export_response

        return export_response(
            "单位.xlsx",
            importer.EXPORT_COLUMNS,
            qs.select_related("endorser", "parent"),
            sheet_title=_("单位"),
        )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/unit_list.html",
        {
            "page": page,
            "kinds": Unit.Kind.choices,
            "statuses": Unit.Status.choices,
            "pending": selectors.unit_pending_count(),
            "pending_changes": selectors.change_request_pending_count(),
            "perms_staff": permissions.is_staff_member(request.user),
        },
    )


@login_required
def unit_detail(request, pk):
    unit = get_object_or_404(Unit.objects.select_related("parent", "endorser", "verified_by"), pk=pk)
    if not permissions.can_view_unit(request.user, unit):
        raise Http404
    return _unit_detail_page(request, unit)


def _unit_detail_page(request, unit, reject_form=None, status=200):
    is_staff = permissions.is_staff_member(request.user)
    own = permissions.belongs_to_unit(request.user, unit)
    return render(
        request,
        "accounts/unit_detail.html",
        {
            "unit": unit,
            "can_edit": permissions.can_edit_unit(request.user, unit),
            "can_verify": is_staff and unit.status != Unit.Status.VERIFIED,
            "can_reject": is_staff and unit.status == Unit.Status.PENDING,
            "reject_form": reject_form or RejectForm(),
            "show_contact": is_staff or own,
            "change_requests": selectors.change_requests_of(unit) if (is_staff or own) else [],
            "members": unit.users.filter(is_active=True).order_by("username")[:100],
            # Panels of apps above (the integrity records, for staff): core.ui, no upward import.
            "panels": ui.panels_for("accounts.unit_detail", unit=unit, user=request.user),
        },
        status=status,
    )


@login_required
def unit_edit(request, pk):
    """Staff change a unit at once; a unit user's change to a verified field becomes a change request."""
    unit = get_object_or_404(Unit, pk=pk)
    if not permissions.can_edit_unit(request.user, unit):
        raise Http404
    form = UnitForm(request.POST or None, instance=Unit.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            unit, cr = services.unit_update_or_request(
                actor=request.user,
                unit=unit,
                reason=request.POST.get("reason", ""),
                fields={f: form.cleaned_data[f] for f in form.changed_data},
            )
        except (ValidationError, ApplicationError) as exc:
            form.add_error(
                None, getattr(exc, "message", None) or "; ".join(getattr(exc, "messages", [str(exc)]))
            )
        else:
            if cr is not None:
                messages.success(request, _("已核验信息的修改已作为变更申请提交，科技厅审核通过后生效。"))
            else:
                messages.success(request, _("单位信息已保存。"))
            return redirect(unit)
    return render(
        request,
        "accounts/unit_form.html",
        {
            "form": form,
            "unit": unit,
            "needs_request": unit.is_verified and not permissions.is_staff_member(request.user),
        },
    )


@login_required
def profile(request):
    from django.conf import settings

    tokens = selectors.tokens_of(request.user)
    for t in tokens:
        t.live = services.token_is_live(t)
    return render(
        request,
        "accounts/profile.html",
        {
            "tokens": tokens,
            "token_days": settings.API_TOKEN_DAYS,
            "otp_device": second_factor.device_of(request.user),
            "otp_required": second_factor.required_for(request.user),
            "otp_form": OTPCodeForm(),
        },
    )


@login_required
def token_revoke(request, pk):
    """The owner revokes one of their API tokens (another's is 404)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.token_revoke(actor=request.user, token=token, reason="owner")
    messages.success(request, _("令牌已撤销。"))
    return redirect("accounts:profile")


# --- change requests -------------------------------------------------------------------------------


@role_required(Role.STAFF)
def change_request_list(request):
    status = request.GET.get("status", UnitChangeRequest.Status.PENDING)
    qs = selectors.change_request_list(status=status)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/change_request_list.html",
        {"page": page, "status": status, "statuses": UnitChangeRequest.Status.choices},
    )


@login_required
def change_request_detail(request, pk):
    """The request beside the unit's current values; staff approve or reject it here."""
    cr = get_object_or_404(selectors.change_requests_visible_to(request.user), pk=pk)
    is_staff = permissions.is_staff_member(request.user)
    form = DecisionForm(request.POST or None)
    if request.method == "POST":
        if not is_staff:
            raise PermissionDenied("role")
        if form.is_valid():
            try:
                services.unit_change_request_decide(
                    actor=request.user,
                    change_request=cr,
                    approve=request.POST.get("decision") == "approve",
                    note=form.cleaned_data["note"],
                )
            except (ValidationError, ApplicationError) as exc:
                form.add_error(None, error_text(exc))
            else:
                messages.success(request, _("变更申请已审核。"))
                return redirect(cr.unit)
    return render(
        request,
        "accounts/change_request_detail.html",
        {
            "cr": cr,
            "rows": selectors.change_request_rows(cr),
            "form": form,
            "can_decide": is_staff and cr.is_pending,
        },
    )


# --- registration and verification -------------------------------------------------------------------


def unit_register(request):
    """A unit registers itself with its first user; staff verify it before anyone of it can sign in."""
    from django.conf import settings

    form = UnitRegisterForm(request.POST or None)
    if request.method == "POST":
        wait = ratelimit.hit(
            "register",
            ratelimit.client_ip(request) or "unknown",
            limit=int(getattr(settings, "LOGIN_IP_MAX_ATTEMPTS", 0)),
            window=int(getattr(settings, "LOGIN_IP_WINDOW", 300)),
        )
        if wait is not None:
            form.add_error(None, _("提交过于频繁，请 %(s)d 秒后再试。") % {"s": wait})
            response = render(request, "accounts/unit_register.html", {"form": form}, status=429)
            response["Retry-After"] = str(wait)
            return response
        if form.is_valid():
            try:
                unit, user = services.unit_register(
                    unit_fields=form.unit_fields(),
                    full_name=form.cleaned_data["full_name"],
                    email=form.cleaned_data["email"],
                    phone=form.cleaned_data["phone"],
                    password=form.cleaned_data["password1"],
                )
            except (ValidationError, ApplicationError) as exc:
                form.add_error(None, error_text(exc))
            else:
                return render(request, "accounts/unit_register_done.html", {"unit": unit, "account": user})
    return render(request, "accounts/unit_register.html", {"form": form})


@require_GET
def register_units(request):
    """The registration page's parent-unit search, for anyone: verified, active units by name (at least two
    characters; names only, no credit codes or contacts; at most 20)."""
    from kechuang.core.pickers import picker_response, search_text

    q = search_text(request)
    if len(q) < 2:
        return picker_response([])
    rows = selectors.verified_units_named(q)
    return picker_response(
        (u.pk, " · ".join(str(p) for p in (u.name, u.get_kind_display(), u.city) if p)) for u in rows
    )


@role_required(Role.STAFF)
def unit_verify(request, pk):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    unit = get_object_or_404(Unit, pk=pk)
    try:
        services.unit_verify(actor=request.user, unit=unit, note=request.POST.get("note", ""))
    except (ValidationError, ApplicationError) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("单位已核验。"))
    return redirect(unit)


@role_required(Role.STAFF)
def unit_reject(request, pk):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    unit = get_object_or_404(Unit, pk=pk)
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            services.unit_reject(actor=request.user, unit=unit, reason=form.cleaned_data["reason"])
        except (ValidationError, ApplicationError) as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, _("已退回单位注册。"))
            return redirect(unit)
    # Refused: the unit's page again, with the reason typed and why it was refused.
    return _unit_detail_page(request, unit, reject_form=form, status=400)


@login_required
def unit_search(request):
    """Suggestions for a unit field (HTMX fills a <datalist>): at most 20 units whose name matches."""
    # The picker sends its own field (parent, unit...) by name; any one non-empty value is the search text.
    q = next((v.strip() for v in request.GET.values() if v.strip()), "")
    units = selectors.unit_search(q) if q else []
    return render(request, "accounts/_unit_options.html", {"units": units})


# --- staff manage people -----------------------------------------------------------------------------


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
                base_url=request.build_absolute_uri("/"),
            )
        except (ValidationError, ApplicationError) as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(
                request,
                _("已向 %(email)s 发出邀请，登录用户名：%(username)s。")
                % {"email": user.email, "username": user.username},
            )
            return redirect("accounts:user-detail", pk=user.pk)
    return render(request, "accounts/user_invite.html", {"form": form})


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
            form.add_error(None, error_text(exc))
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


# --- second factor (django-otp TOTP) -----------------------------------------------------------------


def _safe_next(request, default="web:dashboard"):
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse(default)


@login_required
def otp_verify(request):
    """After the password: the code of the person's authenticator app."""
    if second_factor.device_of(request.user) is None:
        return redirect("accounts:otp-setup")
    form = OTPCodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            second_factor.verify(request, code=form.cleaned_data["code"])
        except ApplicationError as exc:
            form.add_error("code", error_text(exc))
            status = exc.status if exc.status == 429 else 200
        else:
            return redirect(_safe_next(request))
    return render(
        request, "accounts/otp_verify.html", {"form": form, "next": _safe_next(request)}, status=status
    )


@login_required
def otp_setup(request):
    """Scan the QR code (or type the key), then confirm with the first code."""
    if second_factor.device_of(request.user) is not None and request.session.get(second_factor.SESSION_KEY):
        return redirect("accounts:otp-verify")
    device = second_factor.setup_device(request.user)
    form = OTPCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            second_factor.confirm(request, code=form.cleaned_data["code"])
        except ApplicationError as exc:
            form.add_error("code", error_text(exc))
        else:
            messages.success(request, _("双因素认证已启用。"))
            return redirect(_safe_next(request, "accounts:profile"))
    qr, secret = second_factor.otpauth_qr(device)
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "form": form,
            "qr": qr,
            "secret": secret,
            "required": second_factor.required_for(request.user),
            "next": _safe_next(request, "accounts:profile"),
        },
    )


@login_required
def otp_disable(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = OTPCodeForm(request.POST)
    if form.is_valid():
        try:
            second_factor.disable(actor=request.user, user=request.user, code=form.cleaned_data["code"])
        except ApplicationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("双因素认证已关闭。"))
    else:
        messages.error(request, _("请输入当前的动态验证码。"))
    return redirect("accounts:profile")


@role_required(Role.STAFF)
def user_otp_reset(request, pk):
    """Staff remove a person's second factor (a lost phone); the person sets it up again."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    person = get_object_or_404(User, pk=pk)
    try:
        second_factor.disable(actor=request.user, user=person)
    except ApplicationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("已重置此人的双因素认证。"))
    return redirect("accounts:user-detail", pk=person.pk)


@role_required(Role.STAFF)
def unit_import(request):
    """Excel/CSV import of units: a dry run lists every bad row with its line; a clean file is written."""
    form = UnitImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = importer.unit_import(
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
        request, "accounts/unit_import.html", {"form": form, "report": report, "columns": importer.COLUMNS}
    )
