"""A session that still owes its second-factor code reaches the code page and nothing that changes the second
factor (docs/security.md §16).

The pages a session owing its code may reach were every path under /accounts/2fa/, so the page that turns the
second factor off was one of them: someone holding only the password signed in, and there tried codes that
axes never counted (no lockout of their address, no session ended), and a right guess deleted the person's
device, after which the setup page let them pair their own phone with the account."""

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from kechuang.accounts import second_factor
from kechuang.core.models import AuditEvent
from kechuang.core.roles import Role

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # pragma: allowlist secret (the test factory's)
HERE = "10.9.9.9"


def _right(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0):06d}"


def _wrong(device: TOTPDevice) -> str:
    right = {f"{totp(device.bin_key, step=device.step, t0=device.t0, drift=d):06d}" for d in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in right)


@pytest.fixture
def person(make_user):
    user = make_user(Role.APPLICANT)
    device = TOTPDevice.objects.create(user=user, name="TOTP", confirmed=True)
    return user, device


def _password_only(user) -> Client:
    c = Client(REMOTE_ADDR=HERE)
    r = c.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert r.status_code == 302
    assert c.session.get(second_factor.SESSION_KEY) == second_factor.PENDING
    return c


def test_a_session_owing_its_code_cannot_turn_the_second_factor_off_even_with_the_code(person):
    user, device = person
    c = _password_only(user)
    r = c.post("/accounts/2fa/disable/", {"code": _right(device)})
    assert r.status_code == 302
    assert r["Location"].startswith("/accounts/2fa/?")  # sent to the code page
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    assert not AuditEvent.objects.filter(action="user.otp_disable").exists()


def test_a_session_owing_its_code_cannot_guess_codes_on_the_off_page(person):
    user, device = person
    c = _password_only(user)
    for _ in range(3):
        c.post("/accounts/2fa/disable/", {"code": _wrong(device)})
    device.refresh_from_db()
    assert device.throttling_failure_count == 0  # never checked there


def test_the_pages_that_settle_the_code_stay_open(person):
    user, device = person
    c = _password_only(user)
    assert c.get("/accounts/2fa/").status_code == 200
    assert c.get("/accounts/2fa/setup/")["Location"].startswith("/accounts/2fa/")  # the code is owed first
    r = c.post("/accounts/2fa/", {"code": _right(device)})
    assert r.status_code == 302
    assert c.get("/accounts/profile/").status_code == 200


def test_a_wrong_code_on_the_off_page_is_a_failed_sign_in(person, settings):
    """Signed in with both factors, the off page asks for a code again: a wrong one counts for axes as on the
    code page (it was only counted on the device)."""
    user, device = person
    c = _password_only(user)
    assert c.post("/accounts/2fa/", {"code": _right(device)}).status_code == 302
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.save()
    c.post("/accounts/2fa/disable/", {"code": _wrong(device)})
    attempt = AccessAttempt.objects.get(username=user.username, ip_address=HERE)
    assert attempt.failures_since_start == 1
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
