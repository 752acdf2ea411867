"""Signing in and out, passwords (Django's own views, ADR 0010, each change audited and revoking API tokens), the second factor (django-otp TOTP), one's own profile and API tokens."""

import logging

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from kechuang.core import ratelimit
from kechuang.core.exceptions import ApplicationError, error_text

from .. import second_factor, selectors, services
from ..forms import (
    LanguageForm,
    OrcidForm,
    OTPCodeForm,
    PasswordResetForm,
    SignInForm,
    TokenIssueForm,
)
from ..links import reset_link_lifetime_words, set_password_tokens
from ..models import ApiToken

logger = logging.getLogger(__name__)


class LoginView(auth_views.LoginView):
    """Sign-in. Besides axes' lockout of one user name from one address, one address may post the form at
    most LOGIN_IP_MAX_ATTEMPTS times per LOGIN_IP_WINDOW seconds (any user names): 429 with Retry-After."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True
    form_class = SignInForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["session_lapsed"] = _session_lapsed(self.request)
        return context

    def post(self, request, *args, **kwargs):
        wait = sign_in_wait(request)
        if wait is not None:
            return _throttled(request, self.get_form(), wait)
        return super().post(request, *args, **kwargs)


def sign_in_wait(request) -> int | None:
    """Counts one post of a sign-in form (this site's or the admin's, one count) against its address: the
    seconds to wait once LOGIN_IP_MAX_ATTEMPTS posts came within LOGIN_IP_WINDOW, else None."""
    from django.conf import settings

    return ratelimit.hit(
        "login",
        ratelimit.client_ip(request) or "unknown",
        limit=int(getattr(settings, "LOGIN_IP_MAX_ATTEMPTS", 0)),
        window=int(getattr(settings, "LOGIN_IP_WINDOW", 300)),
    )


def _throttled(request, form, wait: int):
    response = render(
        request,
        "accounts/login.html",
        {"form": form, "throttled": _("登录尝试过于频繁，请 %(s)d 秒后再试。") % {"s": wait}},
        status=429,
    )
    response["Retry-After"] = str(wait)
    return response


def limited_admin_login(login):
    """The admin's sign-in view (`admin.site.login`, installed by AccountsConfig.ready) under the same
    per-address limit as the sign-in page: Django's view is watched by axes alone (five failures per user
    name and address), so one address could try a password against every user name there without end
    (docs/security.md §14). A refused post is the sign-in page's 429, with the wait."""
    import functools

    from ..forms import AdminSignInForm

    @functools.wraps(login)
    def view(request, extra_context=None):
        if request.method == "POST":
            wait = sign_in_wait(request)
            if wait is not None:
                return _throttled(request, AdminSignInForm(request), wait)
        return login(request, extra_context)

    return view


def _session_lapsed(request) -> bool:
    """Sent here from a page (`next`) because the session timed out: accounts.middleware.SessionLapsedMiddleware
    marks that redirect (`lapsed=1`). A first visit or a signed-out person is not marked and told nothing; the
    mark says nothing about anyone, so a hand-made link with it shows only the notice."""
    return request.method == "GET" and bool(request.GET.get("next")) and request.GET.get("lapsed") == "1"


class LogoutView(auth_views.LogoutView):
    """Ends the session. API tokens are not tied to a session and stay (docs/accounts.md, "API tokens")."""


class PasswordChangeView(auth_views.PasswordChangeView):
    """Changing one's password asks for the current one, so that a session left open (or taken) cannot make
    the account its own: a wrong current password is a failed sign-in for axes, as on the token page, and once
    axes locks this name at this address the page answers with the lockout (docs/security.md §16). Django's
    form checks the old password without a word to axes, so it could be guessed there without end."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def _credentials(self):
        return {"username": self.request.user.get_username()}

    def _lockout(self):
        from axes.helpers import get_lockout_response

        return get_lockout_response(self.request, None, self._credentials())

    def post(self, request, *args, **kwargs):
        from axes.handlers.proxy import AxesProxyHandler

        if AxesProxyHandler.is_locked(request, self._credentials()):
            return self._lockout()
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        from django.contrib.auth.signals import user_login_failed

        if form.has_error("old_password", code="password_incorrect"):
            user_login_failed.send(sender=__name__, credentials=self._credentials(), request=self.request)
            if getattr(self.request, "axes_locked_out", False):
                return self._lockout()
        return super().form_invalid(form)

    def form_valid(self, form):
        response = super().form_valid(form)  # saves, and keeps this session signed in
        services.password_changed(actor=self.request.user, user=self.request.user, how="change")
        messages.success(self.request, _("密码已修改。您的 API 令牌已全部撤销。"))
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Asks for an e-mail address and mails a link (valid PASSWORD_RESET_TIMEOUT seconds, single use; the
    page and the e-mail say how long). The answer is the same whether or not the address is known. Posts
    count against the sign-in rate limit."""

    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-done")
    form_class = PasswordResetForm
    extra_context = {"lifetime": reset_link_lifetime_words}
    extra_email_context = {"lifetime": reset_link_lifetime_words}

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

    def form_valid(self, form):
        """The answer first; the address looked up and the link mailed once it is written (docs/security.md
        §51). Sent before it, the mail made an address with an account answer later than one without (an
        SMTP exchange against nothing), which told the address apart whatever the page said. The response's
        closers run when the server has written it (Django's own WSGI and ASGI handlers, the test client)."""
        deferred = []
        save = form.save
        form.save = lambda **opts: deferred.append(opts)
        response = super().form_valid(form)

        def send():
            for opts in deferred:
                try:
                    save(**opts)
                except Exception:  # the answer is gone: a failure is the operator's to read, as Django's own
                    logger.exception("Password reset e-mail not sent")

        response._resource_closers.append(send)
        return response


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"
    extra_context = {"lifetime": reset_link_lifetime_words}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")
    token_generator = set_password_tokens  # a reset link's or an invitation's (accounts.links)

    def get_user(self, uidb64):
        # the account's id only in the form the link was mailed with: Django's decoding also takes it padded
        # (=MQ, MQ==), which names the same account (tests/security/test_token_shapes.py)
        from django.utils.encoding import force_bytes
        from django.utils.http import urlsafe_base64_encode

        user = super().get_user(uidb64)
        if user is not None and urlsafe_base64_encode(force_bytes(user.pk)) != uidb64:
            return None
        return user

    def render_to_response(self, context, **kwargs):
        # A forged, spent or expired link is refused (400; Django answers 200), with the one page that says so
        # whatever was wrong with it (docs/security.md §20, tests/security/test_token_shapes.py).
        response = super().render_to_response(context, **kwargs)
        if not context.get("validlink"):
            response.status_code = 400
        return response

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_changed(actor=form.user, user=form.user, how="reset")
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


@login_required
def profile(request, orcid_form=None, language_form=None, status=200, otp_form=None):
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
            "otp_form": otp_form or OTPCodeForm(),
            "orcid_form": orcid_form or OrcidForm(initial={"orcid": request.user.orcid}),
            "language_form": language_form or LanguageForm(initial={"language": request.user.language}),
        },
        status=status,
    )


@login_required
def profile_orcid(request):
    """The person gives, changes or clears their own ORCID iD (validated; refused input kept, 400)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = OrcidForm(request.POST)
    if not form.is_valid():
        return profile(request, orcid_form=form, status=400)
    services.user_set_orcid(actor=request.user, user=request.user, orcid=form.cleaned_data["orcid"])
    messages.success(request, _("ORCID 已保存。") if form.cleaned_data["orcid"] else _("ORCID 已清除。"))
    return redirect("accounts:profile")


@login_required
def profile_language(request):
    """The person chooses the language of their e-mails and of the pages when they sign in; the pages of
    this visit switch to it too (refused input kept, 400)."""
    from django.utils import translation

    from kechuang.core.middleware import set_language_cookie

    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = LanguageForm(request.POST)
    if not form.is_valid():
        return profile(request, language_form=form, status=400)
    language = form.cleaned_data["language"]
    services.user_set_language(actor=request.user, user=request.user, language=language)
    with translation.override(language):
        messages.success(request, _("语言设置已保存。"))
    response = redirect("accounts:profile")
    set_language_cookie(response, language)
    return response


TOKEN_NEEDS_CODE = gettext_lazy("此账号刚刚启用了双因素认证：请退出后重新登录，输入动态验证码，再签发令牌。")


@login_required
def token_issue(request):
    """The person issues themselves an API token with its scope (read only or read and write; the areas),
    after giving their password again (wrong passwords count for axes as on the sign-in page). The key is
    shown on this answer only (not cached); the token is then listed on the profile page."""
    from django.conf import settings
    from django.contrib.auth import authenticate

    form = TokenIssueForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            user = authenticate(
                request, username=request.user.get_username(), password=form.cleaned_data["password"]
            )
            if getattr(request, "axes_locked_out", False):
                from axes.helpers import get_lockout_response

                return get_lockout_response(request, None, {"username": request.user.get_username()})
            if user is None or user.pk != request.user.pk:
                form.add_error("password", _("密码不正确。"))
            else:
                is_verified = getattr(request.user, "is_verified", None)
                try:
                    token, key = services.token_issue(
                        actor=request.user,
                        user=request.user,
                        access=form.cleaned_data["access"],
                        areas=form.cleaned_data["areas"],
                        name=form.cleaned_data["name"],
                        second_factor=bool(is_verified and is_verified()),
                    )
                except ApplicationError:  # the second factor was turned on in another session meanwhile
                    form.add_error(None, TOKEN_NEEDS_CODE)
                else:
                    response = render(request, "accounts/token_issued.html", {"token": token, "key": key})
                    response["Cache-Control"] = "no-store"
                    return response
    return render(
        request,
        "accounts/token_issue.html",
        {"form": form, "token_days": settings.API_TOKEN_DAYS},
        status=status,
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
    username = request.user.get_username()
    if request.method == "POST" and form.is_valid():
        try:
            second_factor.verify(request, code=form.cleaned_data["code"])
        except second_factor.Locked:
            from axes.helpers import get_lockout_response

            return get_lockout_response(request, None, {"username": username})
        except ApplicationError as exc:
            form.add_error("code", error_text(exc))
            status = exc.status if exc.status == 429 else 200
        else:
            return redirect(_safe_next(request))
    return render(
        request, "accounts/otp_verify.html", {"form": form, "next": _safe_next(request)}, status=status
    )


TOKENS_REVOKED_ON_OTP = gettext_lazy(
    "您仅凭密码签发的 %(n)d 个 API 令牌已撤销：知道密码的人也能签发这样的令牌。"
    "如需继续使用，请在本页“签发令牌”重新签发（登录时已验证动态验证码）。"
)


@login_required
def otp_setup(request):
    """Scan the QR code (or type the key), then confirm with the first code."""
    # Set up already: the code is owed, or the device is replaced only by turning it off (with a code) first.
    if second_factor.device_of(request.user) is not None:
        if request.session.get(second_factor.SESSION_KEY):
            return redirect("accounts:otp-verify")
        messages.info(request, second_factor.ALREADY_ON)
        return redirect("accounts:profile")
    device = second_factor.setup_device(request)
    form = OTPCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = second_factor.confirm(request, code=form.cleaned_data["code"])
        except ApplicationError as exc:
            form.add_error("code", error_text(exc))
        else:
            messages.success(request, _("双因素认证已启用。"))
            if device.revoked_tokens:
                messages.warning(request, TOKENS_REVOKED_ON_OTP % {"n": device.revoked_tokens})
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
            "password_only_tokens": services.password_only_tokens(request.user).count(),
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
            second_factor.disable(
                actor=request.user, user=request.user, code=form.cleaned_data["code"], request=request
            )
        except ApplicationError as exc:
            form.add_error("code", error_text(exc))
    # refused: the profile again, the code's reason beside it (400; it was a message after a redirect)
    if form.errors:
        return profile(request, otp_form=form, status=400)
    messages.success(request, _("双因素认证已关闭。"))
    return redirect("accounts:profile")


@never_cache  # opened without signing in: the page names the registrant's address and unit (§22)
def register_confirm(request, token):
    """The link mailed to a registrant: the page names the address and the unit and asks for the password chosen
    at registration, then one press (a POST: mail scanners open links, and opening must not confirm). Only the
    person who registered knows it: a stranger's registration with this address mailed here is not confirmed
    by the address's owner pressing in good faith (docs/security.md §25). A wrong password is refused (400, the
    reason; the link keeps working), audited and counted as a failed sign-in of the account (axes: five from
    one address lock it, 429) and against the address's sign-in limit. Confirmed, the account is usable once
    staff have verified the unit (§19). A forged, expired or outdated link is 400 and says so."""
    from axes.handlers.proxy import AxesProxyHandler
    from axes.helpers import get_lockout_response

    from ..forms import RegistrationConfirmForm

    user = services.registrant_for_token(token)
    claim = None if user is not None else services.claim_for_token(token)
    if user is None and claim is None:
        return render(request, "accounts/register_confirm.html", {"invalid": True}, status=400)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    page = "accounts/register_confirm.html"
    if (
        claim is not None
    ):  # a registration kept apart beside another for this address (§28): as one of its own
        from types import SimpleNamespace

        from kechuang.core.language import local_name

        fields = claim.unit_fields
        named = str(fields.get("name", ""))  # the page names the unit as a Unit's local_name would
        unit = SimpleNamespace(name=named, local_name=local_name(named, str(fields.get("name_en") or "")))
        user = SimpleNamespace(email=claim.email, unit=unit, is_active=False, email_unconfirmed=True)
    if not user.email_unconfirmed:  # confirmed already: nothing to ask
        return render(request, page, {"registrant": user, "confirmed": True})
    form = RegistrationConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "GET":
        return render(request, page, {"registrant": user, "form": form})
    wait = sign_in_wait(request)  # a password tried: the sign-in page's count for this address
    if wait is not None:
        form.add_error(None, _("尝试过于频繁，请 %(s)d 秒后再试。") % {"s": wait})
        response = render(request, page, {"registrant": user, "form": form}, status=429)
        response["Retry-After"] = str(wait)
        return response
    credentials = {"username": claim.email if claim is not None else user.get_username()}
    if AxesProxyHandler.is_locked(request, credentials):  # the sign-in page's lockout page (429)
        return get_lockout_response(request, None, credentials)
    if form.is_valid():
        password = form.cleaned_data["password"]
        try:
            if claim is not None:
                user = services.registration_claim_confirm(claim=claim, password=password, request=request)
            else:
                user = services.registration_address_confirm(user=user, password=password, request=request)
        except (ApplicationError, ValidationError) as exc:
            if getattr(request, "axes_locked_out", False):  # this one locked it
                return get_lockout_response(request, None, credentials)
            form.add_error("password", error_text(exc))
        else:
            return render(request, page, {"registrant": user, "confirmed": True})
    return render(request, page, {"registrant": user, "form": form}, status=400)
