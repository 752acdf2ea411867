"""A wrong second-factor code must count: django-otp doubles the wait after each failure (1, 2, 4 … seconds),
which is all that stands between a stolen password and guessing the six digits. The failure is recorded by
the device itself and must survive the refusal (it was rolled back with the refusal's transaction, so the
count stayed 0 and codes could be tried as fast as the server answered)."""

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from kechuang.core.roles import Role

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # pragma: allowlist secret (the test factory's)


def _wrong(device: TOTPDevice) -> str:
    right = {f"{totp(device.bin_key, step=device.step, t0=device.t0, drift=d):06d}" for d in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in right)


@pytest.fixture
def owing(make_user):
    """A person with a device, signed in with the password, owing the code."""
    user = make_user(Role.APPLICANT)
    device = TOTPDevice.objects.create(user=user, name="TOTP", confirmed=True)
    c = Client()
    assert c.post("/accounts/login/", {"username": user.username, "password": PASSWORD}).status_code == 302
    return user, device, c


def test_a_wrong_code_on_the_page_is_counted_and_the_next_try_must_wait(owing):
    _user, device, c = owing
    first = c.post("/accounts/2fa/", {"code": _wrong(device)})
    assert "动态验证码不正确" in first.content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    again = c.post("/accounts/2fa/", {"code": _wrong(device)})  # at once: inside the 1 s wait
    assert again.status_code == 429
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # a refused try is not a guess


def test_a_right_code_during_the_wait_is_refused_too(owing):
    _user, device, c = owing
    c.post("/accounts/2fa/", {"code": _wrong(device)})
    right = f"{totp(device.bin_key, step=device.step, t0=device.t0):06d}"
    assert c.post("/accounts/2fa/", {"code": right}).status_code == 429
    assert c.get("/accounts/profile/").status_code == 302  # still owing


def test_a_wrong_code_for_a_token_is_counted(owing, client):
    user, device, _c = owing
    r = client.post(
        "/api/auth/token/",
        {"username": user.username, "password": PASSWORD, "otp": _wrong(device)},
        content_type="application/json",
    )
    assert r.status_code == 400
    device.refresh_from_db()
    assert device.throttling_failure_count == 1


def test_a_device_is_not_replaced_without_a_current_code(make_user, client_for):
    """An open session could otherwise move the second factor to another phone by the setup page, with no
    code, where turning it off takes one (and staff cannot turn theirs off at all)."""
    user = make_user(Role.APPLICANT)
    c = client_for(user)  # a session that owes nothing (signed in before the device was set up)
    device = TOTPDevice.objects.create(user=user, name="TOTP", confirmed=True)
    page = c.get("/accounts/2fa/setup/")
    assert page.status_code == 302 and page["Location"] == "/accounts/profile/"
    assert not TOTPDevice.objects.filter(user=user, confirmed=False).exists()  # no new key was made
    # A key made before (an unconfirmed device) and its right code are refused too.
    spare = TOTPDevice.objects.create(user=user, name="TOTP", confirmed=False)
    c.post("/accounts/2fa/setup/", {"code": f"{totp(spare.bin_key, step=spare.step, t0=spare.t0):06d}"})
    assert list(TOTPDevice.objects.filter(user=user, confirmed=True)) == [device]
