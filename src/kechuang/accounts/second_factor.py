"""The optional second factor: TOTP devices of django-otp (ADR 0010). Setup, use and removal are audited.

Whether a signed-in session still owes its code is decided once, at sign-in (`on_login`), and kept in the
session, so that pages pay no query for it: `PENDING` — the person has a device and must enter a code;
`SETUP` — a staff member without a device while `KECHUANG_OTP_REQUIRED_FOR_STAFF` is on (production).
`SecondFactorMiddleware` lets such a session reach only the code page, the setup page and sign-out.
"""

import base64
import io

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from kechuang.core.audit import audit_record
from kechuang.core.exceptions import ApplicationError, PermissionDenied
from kechuang.core.messages import Message
from kechuang.core.ratelimit import client_ip

from . import permissions

SESSION_KEY = "kechuang_second_factor"
SETUP_KEY = "kechuang_second_factor_setup_key"  # the key the setup page shows, until confirmed
PENDING, SETUP = "pending", "setup"

WRONG_CODE = gettext_lazy("动态验证码不正确或已过期，请重新输入。")
TOO_MANY = gettext_lazy("验证码错误次数过多，请稍后再试。")
TOO_MANY_WAIT = gettext_lazy("验证码错误次数过多，请 %(s)d 秒后再试。")
OWED_MESSAGE = gettext_lazy("请先完成双因素认证。")
SETUP_FIRST = gettext_lazy("此账号必须启用双因素认证：请先在网页上登录并完成设置，再申请令牌。")
ALREADY_ON = gettext_lazy(
    "双因素认证已启用：如需更换手机，请先用当前的动态验证码关闭，或请科技厅工作人员重置。"
)
OTP_REQUIRED = gettext_lazy("此账号已启用双因素认证：请在 otp 字段提供动态验证码。")
REQUIRED_FOR_STAFF = gettext_lazy("科技厅工作人员必须启用双因素认证，不能关闭。")


def required_for(user) -> bool:
    """Department staff, and anyone who may open the Django admin (`is_staff`, which is not the staff role: an
    admin account given a few model permissions held no role and signed in to /admin/ with a password only)."""
    return bool(getattr(settings, "KECHUANG_OTP_REQUIRED_FOR_STAFF", False)) and (
        permissions.is_staff_member(user) or bool(getattr(user, "is_staff", False))
    )


def device_of(user, confirmed: bool | None = True) -> TOTPDevice | None:
    qs = TOTPDevice.objects.filter(user=user)
    if confirmed is not None:
        qs = qs.filter(confirmed=confirmed)
    return qs.order_by("pk").first()


def on_login(request, user) -> None:
    """Record in the session what this sign-in still owes (called on every sign-in, whatever the form).
    A sign-in that owes no code has succeeded: axes' failures for this name and address are cleared (axes
    itself does not clear them on the password step, AXES_RESET_ON_SUCCESS being off)."""
    if device_of(user) is not None:
        request.session[SESSION_KEY] = PENDING
        return
    if required_for(user):
        request.session[SESSION_KEY] = SETUP
    else:
        request.session.pop(SESSION_KEY, None)
    _signed_in(request, user)


def may_owe(request) -> bool:
    """Cheap first test for `step_up`: only while the second factor is required of some roles."""
    return bool(getattr(settings, "KECHUANG_OTP_REQUIRED_FOR_STAFF", False)) and bool(
        getattr(getattr(request, "user", None), "is_authenticated", False)
    )


def step_up(request) -> str | None:
    """What a signed-in session owes now that it did not owe at sign-in: a role that requires the second factor
    (the staff role, Django's `is_staff`) given while the person was signed in with the password alone. The
    session then owes its code (or the setup) from its next request on, as at sign-in, and the trail records
    it once (`user.otp_step_up`). Asked only of sessions not verified by a code; the roles are read once per
    request and kept on the user (core.roles), so the pages pay nothing more."""
    user = request.user
    if not getattr(user, "is_authenticated", False) or not required_for(user):
        return None
    is_verified = getattr(user, "is_verified", None)
    if is_verified is not None and is_verified():
        return None
    owed = PENDING if device_of(user) is not None else SETUP
    request.session[SESSION_KEY] = owed
    audit_record(actor=user, action="user.otp_step_up", obj=user, after={"owed": owed})
    return owed


def _signed_in(request, user) -> None:
    from axes.utils import reset

    reset(ip=client_ip(request), username=user.get_username())


def _count_cap(device: TOTPDevice) -> int:
    """The failure count whose wait (factor × 2^(count−1) s) is the last doubling not above
    KECHUANG_OTP_MAX_WAIT_SECONDS: django-otp doubles without end (a century at most), so someone who has only
    the password could keep the real person from their second factor for days by typing wrong codes."""
    factor = device.get_throttle_factor()
    cap = int(getattr(settings, "KECHUANG_OTP_MAX_WAIT_SECONDS", 300))
    if factor <= 0:
        return 0
    count = 1
    while factor * 2**count <= cap:
        count += 1
    return count


def _clamp(device: TOTPDevice) -> None:
    cap = _count_cap(device)
    if cap and device.throttling_failure_count > cap:
        device.throttling_failure_count = cap
        device.save(update_fields=["throttling_failure_count"])


def _failed(device: TOTPDevice, failures: int, request) -> None:
    """A wrong code: the person is told (and the trail records it) when they reach
    KECHUANG_OTP_ALERT_FAILURES in a row — someone may hold their password; the code counts as a failed
    sign-in for axes (name and address), whose lockout then ends this session and refuses the password step."""
    from kechuang.core.notifications import notify

    user = device.user
    alert = int(getattr(settings, "KECHUANG_OTP_ALERT_FAILURES", 5))
    if failures == min(alert, _count_cap(device) or alert):  # the count stops at the cap: reached once a run
        audit_record(
            actor=user,
            action="user.otp_failures",
            obj=user,
            after={"failures": failures},
            reason="wrong second-factor codes in a row",
        )
        notify(
            recipients=[user],
            title=Message(gettext_noop("您的账号连续 %(n)d 次输入了错误的动态验证码"), n=failures),
            body=Message(
                gettext_noop(
                    "密码已通过，但动态验证码连续出错。如果不是您本人在登录，说明有人知道您的密码：请立即修改密码。"
                )
            ),
            url=reverse("accounts:password-change"),
            kind="accounts.otp_failures",
        )
    if request is not None:
        user_login_failed.send(
            sender=__name__, credentials={"username": user.get_username()}, request=request
        )


def _check(device: TOTPDevice, code: str, request=None) -> None:
    """Refuse a wrong code, or any code while the device makes the person wait. django-otp counts each
    failure on the device and doubles the wait (1, 2, 4 … s, capped: `_count_cap`): that count is committed
    here, before the refusal is raised, so call this outside any transaction of the caller's (raised inside
    one, the count was rolled back with it and six digits could be tried as fast as the server answered).
    With the request (the code page, the token endpoint) a wrong code is also a failed sign-in for axes."""
    with transaction.atomic():
        _clamp(device)
        allowed, info = device.verify_is_allowed()
        verified = allowed and device.verify_token((code or "").strip().replace(" ", ""))
        if allowed and not verified and device.pk:
            failures = device.throttling_failure_count  # before the cut back to the cap: 1, 2 … cap, cap + 1
            _clamp(device)
            _failed(device, failures, request)
    if not allowed:
        until = (info or {}).get("locked_until")
        if until is not None:
            from django.utils import timezone

            seconds = max(1, int((until - timezone.now()).total_seconds() + 0.999))
            raise ApplicationError(TOO_MANY_WAIT % {"s": seconds}, code="otp_throttled", status=429)
        raise ApplicationError(TOO_MANY, code="otp_throttled", status=429)
    if not verified:
        raise ApplicationError(WRONG_CODE, code="otp_invalid")


def verify(request, *, code: str) -> TOTPDevice:
    """Check the signed-in person's code; the session is then verified (django-otp) and owes nothing."""
    from axes.handlers.proxy import AxesProxyHandler

    user = request.user
    device = device_of(user)
    if device is None:
        raise ApplicationError(WRONG_CODE, code="otp_invalid")
    credentials = {"username": user.get_username()}
    if AxesProxyHandler.is_locked(request, credentials):
        logout(request)  # locked out (wrong passwords or codes from here): start again at the password
        raise Locked()
    try:
        _check(device, code, request)
    except ApplicationError:
        if getattr(request, "axes_locked_out", False):
            logout(request)
            raise Locked() from None
        raise
    otp_login(request, device)
    request.session.pop(SESSION_KEY, None)
    request.session.cycle_key()  # a session that gained the second factor is a new one (security §39)
    _signed_in(request, user)
    return device


class Locked(Exception):
    """Axes has locked this name at this address: the session was ended (the page shows axes' lockout)."""


def setup_device(request) -> TOTPDevice:
    """The device the setup page offers, not saved: its key waits in the session until the first code
    confirms it, so showing the page writes nothing (it made a device row on every first GET, which a link
    or an image on another site could do in the person's name)."""
    key = request.session.get(SETUP_KEY)
    if not key:
        key = request.session[SETUP_KEY] = default_key()
    return TOTPDevice(user=request.user, name="TOTP", key=key, confirmed=False)


def otpauth_qr(device: TOTPDevice) -> tuple[str, str]:
    """(an SVG data URI of the otpauth:// QR code, the key in base32 for typing)."""
    import qrcode
    import qrcode.image.svg

    buf = io.BytesIO()
    qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage).save(buf)
    uri = "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode()
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return uri, secret


@transaction.atomic
def confirm(request, *, code: str) -> TOTPDevice:
    """The first code from the authenticator app confirms the device; the session is verified with it.
    The person's live API tokens issued with the password alone are revoked (one `token.revoke`, reason
    `otp_enable`, after `user.otp_enable`): whoever knows the password could have issued them, and a person
    who turns the second factor on because they fear that should not keep a way round it for 30 days. Their
    number is on the device (`revoked_tokens`) for the page to say; the setup page says so beforehand.
    A person who has a confirmed device already is refused: replacing it would take no current code, where
    turning it off takes one (a session left open would let anyone move the second factor to their phone).
    (A wrong code here is not counted: rolled back with this transaction; the setup page shows this
    unconfirmed device's key to whoever holds the session, so counting guesses would protect nothing.)
    The person's row is locked first, as `token_issue` does: a token request racing this confirmation is
    either revoked by it or refused after it (services.tokens.lock_person)."""
    from .services.tokens import lock_person, tokens_revoke_all

    user = request.user
    lock_person(user)
    if device_of(user) is not None:
        raise ApplicationError(ALREADY_ON, code="otp_already_enabled")
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()  # keys offered before this session's
    device = setup_device(request)
    device.save()  # django-otp records a check on a saved device; a wrong code rolls this back
    _check(device, code)
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(actor=user, action="user.otp_enable", obj=user)
    device.revoked_tokens = tokens_revoke_all(actor=user, user=user, reason="otp_enable", password_only=True)
    otp_login(request, device)
    request.session.pop(SESSION_KEY, None)
    request.session.pop(SETUP_KEY, None)
    request.session.cycle_key()  # a session that gained the second factor is a new one (security §39)
    return device


def disable(*, actor, user, code: str = "", request=None) -> None:
    """The person turns the second factor off with a current code; staff reset another person's (lost phone).
    Staff cannot turn off their own while it is required for them. With the request (the profile's off
    button) a wrong code is a failed sign-in for axes, as on the code page."""
    if actor.pk == user.pk:
        if required_for(user):
            raise PermissionDenied(REQUIRED_FOR_STAFF)
        device = device_of(user)
        if device is None:
            return
        _check(device, code, request)
        reason = "owner"
    else:
        if not permissions.is_staff_member(actor):
            raise PermissionDenied(_("只有科技厅工作人员可以重置他人的双因素认证。"))
        reason = "staff_reset"
    with transaction.atomic():
        deleted, _per_model = TOTPDevice.objects.filter(user=user).delete()
        if deleted:
            audit_record(actor=actor, action="user.otp_disable", obj=user, reason=reason)


def check_api_code(user, code: str, request=None) -> bool:
    """A token request from a person with a device must carry a current code (`otp`); a person who must have
    a second factor and has none yet gets no token (the password alone would otherwise open the API for
    API_TOKEN_DAYS days, bypassing the setup every page asks for). True when a code was checked."""
    device = device_of(user)
    if device is None:
        if required_for(user):
            raise ApplicationError(SETUP_FIRST, code="otp_setup_required")
        return False
    if not code:
        raise ApplicationError(OTP_REQUIRED, code="otp_required")
    _check(device, code, request)
    return True
