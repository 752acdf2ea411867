"""Each sign-in door answers a wrong password for a known address as for an unknown one, and an inactive
account's right password as a wrong one (docs/security.md §17: tried, held)."""

import re

import pytest
from rest_framework.test import APIClient

from kechuang.core.roles import Role

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_counters")]
PASSWORD = "correct-horse-battery"  # pragma: allowlist secret
WRONG = "wrong-guess-2"  # pragma: allowlist secret


def _page(body: bytes, typed: str) -> str:
    text = body.decode().replace(typed, "TYPED")
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", text)


@pytest.mark.parametrize("door", ["/accounts/login/", "/admin/login/?next=/admin/"])
def test_the_pages_answer_alike(client, make_user, door):
    make_user(Role.APPLICANT, username="door_a", email="known.a@example.cn")
    make_user(Role.APPLICANT, username="door_b", email="gone.b@example.cn", is_active=False)
    answers = []
    for i, (typed, password) in enumerate(
        [("known.a@example.cn", WRONG), ("nobody.c@example.cn", WRONG), ("gone.b@example.cn", PASSWORD)]
    ):
        r = client.post(door, {"username": typed, "password": password}, REMOTE_ADDR=f"10.4.4.{i}")
        answers.append((r.status_code, _page(r.content, typed)))
    assert answers[0] == answers[1] == answers[2]


def test_the_token_endpoint_answers_alike(make_user):
    make_user(Role.APPLICANT, username="door_d", email="known.d@example.cn")
    make_user(Role.APPLICANT, username="door_e", email="gone.e@example.cn", is_active=False)
    answers = []
    for i, (typed, password) in enumerate(
        [("known.d@example.cn", WRONG), ("nobody.f@example.cn", WRONG), ("gone.e@example.cn", PASSWORD)]
    ):
        r = APIClient(REMOTE_ADDR=f"10.4.5.{i}").post(
            "/api/auth/token/", {"username": typed, "password": password}
        )
        answers.append((r.status_code, r.content))
    assert answers[0] == answers[1] == answers[2]


def test_a_token_issued_between_the_setup_page_and_its_confirmation_is_revoked(make_user, client_for):
    """The setup page shown (its key waiting in the session), a token asked with the password alone (no code is
    owed yet: the device is not confirmed), then the code confirming the device: that token goes too."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from kechuang.accounts.second_factor import SETUP_KEY

    user = make_user(Role.APPLICANT, email="mid.setup@example.cn")
    c = client_for(user)
    assert c.get("/accounts/2fa/setup/").status_code == 200
    r = APIClient(REMOTE_ADDR="10.4.6.1").post(
        "/api/auth/token/", {"username": "mid.setup@example.cn", "password": PASSWORD}
    )
    assert r.status_code == 200
    key = r.json()["token"]
    device = TOTPDevice(key=c.session[SETUP_KEY])
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    assert c.post("/accounts/2fa/setup/", {"code": code}).status_code == 302
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/me/").status_code == 401
