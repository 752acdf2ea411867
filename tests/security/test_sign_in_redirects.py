"""`next` is followed only within the site on every sign-in, sign-out, second-factor and language path.

Pinned (sound at session 14): Django's LoginView and LogoutView and `set_language` check `next` against the
request's host; the second-factor pages use `accounts.views.signin._safe_next`."""

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from kechuang.core.roles import Role

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # pragma: allowlist secret (the test factory's)
FOREIGN = [
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "https:evil.example",
    "\\\\evil.example",
]


def _stays(response) -> bool:
    location = response.get("Location", "")
    return response.status_code in (301, 302) and "evil.example" not in location


@pytest.mark.parametrize("target", FOREIGN)
def test_sign_in(make_user, target):
    user = make_user(Role.APPLICANT)
    r = Client().post(f"/accounts/login/?next={target}", {"username": user.username, "password": PASSWORD})
    assert _stays(r)
    r = Client().post("/accounts/login/", {"username": user.username, "password": PASSWORD, "next": target})
    assert _stays(r)


@pytest.mark.parametrize("target", FOREIGN)
def test_sign_out_and_language(client_for, make_user, target):
    c = client_for(make_user(Role.APPLICANT))
    assert _stays(c.post("/i18n/setlang/", {"language": "en", "next": target}))
    assert _stays(c.post(f"/accounts/logout/?next={target}"))
    assert _stays(c.post("/accounts/logout/", {"next": target}))


@pytest.mark.parametrize("target", FOREIGN)
def test_second_factor(make_user, target):
    user = make_user(Role.APPLICANT)
    device = TOTPDevice.objects.create(user=user, name="TOTP", confirmed=True)
    c = Client()
    c.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0):06d}"
    assert _stays(c.post(f"/accounts/2fa/?next={target}", {"code": code}))
