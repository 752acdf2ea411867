"""A token request racing the second factor's confirmation (docs/security.md §17 left it, §19 closes it): the
request checks for a device, then inserts its token; the confirmation revokes the password-only tokens it
finds. Both now take the person's row first (services.tokens.lock_person), so whichever holds it second sees
what the first committed. The two orders are played here one after the other, deterministically."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from kechuang.accounts import second_factor, services
from kechuang.accounts.models import ApiToken
from kechuang.accounts.second_factor import SETUP_KEY
from kechuang.core.roles import Role

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # pragma: allowlist secret


def _turn_on(c):
    c.get("/accounts/2fa/setup/")
    device = TOTPDevice(key=c.session[SETUP_KEY])
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    assert c.post("/accounts/2fa/setup/", {"code": code}).status_code == 302


def test_a_confirmation_between_the_code_check_and_the_insert_refuses_the_token(
    make_user, client_for, monkeypatch
):
    """The confirmation commits after the token request's device check and before it takes the row: the
    request, holding the row, finds the confirmed device and issues nothing."""
    user = make_user(Role.APPLICANT)
    session = client_for(user)
    checked = second_factor.check_api_code

    def check_then_confirm(*args, **kwargs):
        with_code = checked(*args, **kwargs)  # no device yet: a password-only request may go on
        _turn_on(session)  # the other request, in between
        return with_code

    monkeypatch.setattr(second_factor, "check_api_code", check_then_confirm)
    r = APIClient().post("/api/auth/token/", {"username": user.email, "password": PASSWORD}, format="json")
    assert r.status_code == 400, r.content
    assert r.json()["error"]["code"] == "otp_required"
    assert not ApiToken.objects.filter(user=user, revoked_at__isnull=True).exists()


def test_the_token_page_racing_a_confirmation_in_another_session_says_so(make_user, client_for, monkeypatch):
    user = make_user(Role.APPLICANT)
    page, other = client_for(user), client_for(user)
    issue = services.token_issue

    def confirm_first(**kwargs):
        _turn_on(other)
        return issue(**kwargs)

    monkeypatch.setattr(services, "token_issue", confirm_first)
    r = page.post("/accounts/tokens/new/", {"password": PASSWORD, "access": "read", "name": "脚本"})
    assert r.status_code == 400
    assert "刚刚启用了双因素认证" in r.content.decode()
    assert not ApiToken.objects.filter(user=user).exists()


def test_a_token_committed_before_the_confirmation_is_revoked_by_it(make_user, client_for):
    """The other order: the token request holds the row first and commits; the confirmation then revokes it."""
    user = make_user(Role.APPLICANT)
    _token, key = services.token_issue(actor=user, user=user, access="read", second_factor=False)
    _turn_on(client_for(user))
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert c.get("/api/me/").status_code == 401


def test_both_take_the_persons_row_before_reading_the_device(make_user, client_for, monkeypatch):
    """The order inside each transaction: the lock first, then the device read (reading it before the lock
    would let the race back in whatever the lock)."""
    from kechuang.accounts.services import tokens

    user = make_user(Role.APPLICANT)
    steps = []
    lock, device_of = tokens.lock_person, second_factor.device_of

    def locking(u):
        steps.append("lock")
        return lock(u)

    def reading(u, *args, **kwargs):
        steps.append("device")
        return device_of(u, *args, **kwargs)

    confirm = second_factor.confirm

    def confirming(*args, **kwargs):
        steps.append("confirm")
        return confirm(*args, **kwargs)

    monkeypatch.setattr(tokens, "lock_person", locking)
    monkeypatch.setattr(second_factor, "device_of", reading)
    monkeypatch.setattr(second_factor, "confirm", confirming)
    services.token_issue(actor=user, user=user, access="read", second_factor=False)
    assert steps[:2] == ["lock", "device"]
    _turn_on(client_for(user))
    assert steps[steps.index("confirm") + 1 : steps.index("confirm") + 3] == ["lock", "device"]


def test_the_lock_is_a_row_lock_on_postgresql(make_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "postgresql":
        pytest.skip("SQLite takes the database's write lock at BEGIN IMMEDIATE (settings.base)")
    user = make_user(Role.APPLICANT)
    with CaptureQueriesContext(connection) as queries:
        services.token_issue(actor=user, user=user, access="read", second_factor=False)
    assert any("FOR UPDATE" in q["sql"] and "accounts_user" in q["sql"] for q in queries)
