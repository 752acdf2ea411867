"""Turning the second factor on revokes the person's API tokens issued with the password alone (docs/security.md
§16: they outlived the setup for up to 30 days); the other security events of an account, checked for the same
gap: turning it off, a staff reset, an e-mail address changed, deactivation."""

import pytest
from django.contrib.messages import get_messages
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from kechuang.accounts import services
from kechuang.accounts.models import ApiToken
from kechuang.accounts.second_factor import SETUP_KEY
from kechuang.core.models import AuditEvent
from kechuang.core.roles import Role

pytestmark = pytest.mark.django_db


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _issue(user, *, second_factor: bool) -> str:
    _token, key = services.token_issue(
        actor=user, user=user, access="read", name="脚本", second_factor=second_factor
    )
    return key


def _works(key: str) -> bool:
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return c.get("/api/me/").status_code == 200


def _turn_on(c) -> object:
    c.get("/accounts/2fa/setup/")
    return c.post("/accounts/2fa/setup/", {"code": _code(TOTPDevice(key=c.session[SETUP_KEY]))}, follow=True)


def test_turning_the_second_factor_on_revokes_password_only_tokens_and_says_so(make_user, client_for):
    user = make_user(Role.APPLICANT)
    old, kept = _issue(user, second_factor=False), _issue(user, second_factor=True)
    c = client_for(user)
    setup = c.get("/accounts/2fa/setup/").content.decode()
    assert "仅凭密码签发的 1 个 API 令牌将被撤销" in setup  # said before, on the setup page
    page = _turn_on(c)
    assert page.status_code == 200
    text = page.content.decode()
    assert "仅凭密码签发的 1 个 API 令牌已撤销" in text and "签发令牌" in text
    assert not _works(old) and _works(kept)
    revoked = ApiToken.objects.get(user=user, second_factor=False)
    assert revoked.revoke_reason == "otp_enable"
    enable = AuditEvent.objects.get(action="user.otp_enable", object_id=str(user.pk))
    revoke = AuditEvent.objects.get(action="token.revoke", object_id=str(user.pk))
    assert revoke.reason == "otp_enable" and revoke.after["tokens"] == [revoked.prefix]
    assert revoke.seq > enable.seq
    # A new token, issued in this session (verified by the code), works.
    r = c.post("/accounts/tokens/new/", {"password": "correct-horse-battery", "access": "read", "name": "新"})
    assert r.status_code == 200 and ApiToken.objects.get(user=user, name="新").second_factor


def test_no_tokens_no_word_about_them(make_user, client_for):
    user = make_user(Role.APPLICANT)
    c = client_for(user)
    assert "API 令牌将被撤销" not in c.get("/accounts/2fa/setup/").content.decode()
    page = _turn_on(c).content.decode()
    assert "双因素认证已启用" in page and "令牌已撤销" not in page
    assert not AuditEvent.objects.filter(action="token.revoke").exists()


def test_the_other_account_events(make_user, client_for, staff):
    """Turning it off (with a current code) or a staff reset (a lost phone) proves no password known to someone
    else and makes no token weaker than one the person could issue now: tokens stay. A changed e-mail address
    is not a credential (reset links mailed to the old one stop: Django hashes the address into them). A
    deactivation revokes them all (test_tokens.py)."""
    user = make_user(Role.APPLICANT)
    c = client_for(user)
    _turn_on(c)
    key = _issue(user, second_factor=True)
    device = TOTPDevice.objects.get(user=user)
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    device.refresh_from_db()
    c.post("/accounts/2fa/disable/", {"code": _code(device)})
    assert not TOTPDevice.objects.filter(user=user).exists() and _works(key)
    services.user_update(actor=staff, user=user, email="new-address@example.cn")
    assert _works(key)
    from kechuang.accounts.links import set_password_tokens

    user.refresh_from_db()
    link = set_password_tokens.make_token(user)
    services.user_update(actor=staff, user=user, email="third-address@example.cn")
    user.refresh_from_db()
    # a signed-in person's new address waits for their confirmation (docs/security.md §20): the old one, and
    # the links mailed to it, work until then
    assert set_password_tokens.check_token(user, link)
    services.address_change_confirm(user=user)
    user.refresh_from_db()
    assert not set_password_tokens.check_token(user, link)
    services.user_set_active(actor=staff, user=user, active=False)
    assert not _works(key)


def test_messages_are_in_words(make_user, client_for):
    user = make_user(Role.APPLICANT)
    _issue(user, second_factor=False)
    c = client_for(user)
    c.get("/accounts/2fa/setup/")
    r = c.post("/accounts/2fa/setup/", {"code": _code(TOTPDevice(key=c.session[SETUP_KEY]))})
    assert r.status_code == 302
    assert any("令牌已撤销" in str(m) for m in get_messages(r.wsgi_request))
