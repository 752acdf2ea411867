"""The optional TOTP second factor (django-otp), required of staff when KECHUANG_OTP_REQUIRED_FOR_STAFF is on."""

import re
from pathlib import Path

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from kechuang.core.models import AuditEvent
from kechuang.core.roles import Role

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def _code(device: TOTPDevice, offset: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


def _device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="TOTP", confirmed=True)


def _waited(device: TOTPDevice) -> None:
    """As if the wait after a wrong code had passed."""
    import datetime

    device.refresh_from_db()
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=device.throttling_failure_timestamp - datetime.timedelta(minutes=1)
    )


def _offered(c: Client) -> TOTPDevice:
    """The device the setup page offered (its key is in the session until the first code confirms it)."""
    from kechuang.accounts.second_factor import SETUP_KEY

    return TOTPDevice(key=c.session[SETUP_KEY])


def _sign_in(user) -> Client:
    c = Client()
    r = c.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert r.status_code == 302
    return c


def test_setup_shows_a_qr_code_and_the_first_code_confirms_it(make_user, client_for):
    user = make_user(Role.APPLICANT)
    c = client_for(user)
    page = c.get("/accounts/2fa/setup/").content.decode()
    assert 'src="data:image/svg+xml;base64,' in page
    assert not TOTPDevice.objects.filter(user=user).exists()  # showing the key writes nothing
    device = _offered(c)
    wrong = c.post("/accounts/2fa/setup/", {"code": "000000" if _code(device) != "000000" else "111111"})
    assert "动态验证码不正确" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    r = c.post("/accounts/2fa/setup/", {"code": _code(device)})
    assert r.status_code == 302
    assert TOTPDevice.objects.get(user=user, confirmed=True).key == device.key
    assert AuditEvent.objects.filter(action="user.otp_enable", object_id=str(user.pk)).exists()


def test_a_person_with_a_device_must_enter_the_code_after_the_password(make_user):
    user = make_user(Role.APPLICANT)
    device = _device(user)
    c = _sign_in(user)
    r = c.get("/accounts/profile/")
    assert r.status_code == 302 and r["Location"].startswith("/accounts/2fa/?next=")
    assert c.get("/api/me/").status_code == 403  # the session API too
    bad = c.post("/accounts/2fa/", {"code": "12345x", "next": "/accounts/profile/"})
    assert bad.status_code == 200 and "动态验证码不正确" in bad.content.decode()
    _waited(device)
    good = c.post("/accounts/2fa/", {"code": _code(device), "next": "/accounts/profile/"})
    assert good.status_code == 302 and good["Location"] == "/accounts/profile/"
    assert c.get("/accounts/profile/").status_code == 200


def test_the_admin_sign_in_is_gated_too(make_user):
    user = make_user(Role.STAFF, is_staff=True, is_superuser=True)
    _device(user)
    c = Client()
    c.post("/admin/login/", {"username": user.username, "password": PASSWORD})
    r = c.get("/admin/")
    assert r.status_code == 302 and r["Location"].startswith("/accounts/2fa/")


def test_staff_must_set_one_up_when_required(make_user, settings):
    settings.KECHUANG_OTP_REQUIRED_FOR_STAFF = True
    staff, applicant = make_user(Role.STAFF), make_user(Role.APPLICANT)
    c = _sign_in(staff)
    r = c.get("/accounts/units/")
    assert r.status_code == 302 and r["Location"].startswith("/accounts/2fa/setup/")
    assert _sign_in(applicant).get("/accounts/profile/").status_code == 200
    c.get("/accounts/2fa/setup/")
    device = _offered(c)
    c.post("/accounts/2fa/setup/", {"code": _code(device)})
    device = TOTPDevice.objects.get(user=staff)
    assert c.get("/accounts/units/").status_code == 200
    # ... and cannot turn it off.
    c.post("/accounts/2fa/disable/", {"code": _code(device)})
    assert TOTPDevice.objects.filter(user=staff, confirmed=True).exists()


def test_prod_settings_require_it_for_staff():
    # prod.py refuses to import without a real secret, so its text is read.
    text = (Path(__file__).parents[2] / "settings" / "prod.py").read_text(encoding="utf-8")
    assert re.search(
        r'KECHUANG_OTP_REQUIRED_FOR_STAFF = env.bool\("KECHUANG_OTP_REQUIRED_FOR_STAFF", default=True\)', text
    )


def test_owner_turns_it_off_with_a_code_and_staff_reset_a_lost_one(make_user, client_for, staff):
    user = make_user(Role.APPLICANT)
    c = client_for(user)
    device = _device(user)  # set up in this session (a session still owing its code is sent to the code page)
    wrong = "000000" if _code(device) != "000000" else "111111"
    r = c.post("/accounts/2fa/disable/", {"code": wrong})
    assert TOTPDevice.objects.filter(user=user).exists()
    # refused: the profile again, the code as typed and why beside it (it was a message after a redirect)
    page = r.content.decode()
    assert r.status_code == 400 and f'value="{wrong}"' in page and 'id="id_code_error"' in page
    _waited(device)  # a wrong code makes the next wait (tests/security/test_second_factor_throttle.py)
    c.post("/accounts/2fa/disable/", {"code": _code(device)})
    assert not TOTPDevice.objects.filter(user=user).exists()
    other = make_user(Role.EXPERT)
    _device(other)
    assert client_for(user).post(f"/accounts/users/{other.pk}/2fa-reset/").status_code == 403
    # not undone by a click: the page asks first, and a post without that answer changes nothing
    page = client_for(staff).get(f"/accounts/users/{other.pk}/").content.decode()
    assert "确认重置" in page and 'name="confirm" value="1"' in page
    client_for(staff).post(f"/accounts/users/{other.pk}/2fa-reset/")
    assert TOTPDevice.objects.filter(user=other).exists()
    client_for(staff).post(f"/accounts/users/{other.pk}/2fa-reset/", {"confirm": "1"})
    assert not TOTPDevice.objects.filter(user=other).exists()
    assert AuditEvent.objects.filter(
        action="user.otp_disable", object_id=str(other.pk), reason="staff_reset"
    ).exists()


def test_token_request_needs_the_code_when_a_device_exists(make_user):
    user = make_user(Role.APPLICANT)
    device = _device(user)
    c = APIClient()
    r = c.post("/api/auth/token/", {"username": user.username, "password": PASSWORD})
    assert r.status_code == 400 and r.json()["error"]["code"] == "otp_required"
    r = c.post("/api/auth/token/", {"username": user.username, "password": PASSWORD, "otp": _code(device)})
    assert r.status_code == 200
