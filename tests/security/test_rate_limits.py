"""Rate limits: axes locks a user name after repeated failures from one address; one address may post the
sign-in form only so often; the API throttles anonymous callers, users, the token endpoint and uploads.

Test settings turn the limits off (the suite signs in often from one address); these tests turn them on.
"""

import pytest
import time_machine
from django.test import override_settings
from django.utils.module_loading import import_string
from rest_framework.test import APIClient

from kechuang.core.roles import Role

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_counters")]
PASSWORD = "correct-horse-battery"


def _login(client, username, password, ip="10.1.1.1"):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_axes_locks_a_user_name_after_five_failures_from_one_address(client, make_user):
    make_user(None, username="victim")
    for _ in range(4):
        assert _login(client, "victim", "wrong-password").status_code == 200
    locked = _login(client, "victim", "wrong-password")
    assert locked.status_code == 429 and "锁定" in locked.content.decode()
    # Locked even with the right password, from that address, for the cool-off time...
    assert _login(client, "victim", PASSWORD).status_code == 429
    # ...while the same user from another address and other users from this one still sign in.
    assert _login(client, "victim", PASSWORD, ip="10.2.2.2").status_code == 302
    make_user(None, username="bystander")
    assert _login(client, "bystander", PASSWORD).status_code == 302


def test_the_lockout_ends_after_the_cool_off(client, make_user, settings):
    make_user(None, username="patient")
    with time_machine.travel("2026-03-02 09:00 +0800", tick=False) as clock:
        for _ in range(5):
            _login(client, "patient", "wrong-password")
        assert _login(client, "patient", PASSWORD).status_code == 429
        clock.shift(settings.AXES_COOLOFF_TIME * 3600 + 60)
        assert _login(client, "patient", PASSWORD).status_code == 302


def test_the_token_endpoint_is_locked_too(make_user):
    make_user(None, username="apiuser")
    api = APIClient(REMOTE_ADDR="10.3.3.3")
    for _ in range(5):
        assert api.post("/api/auth/token/", {"username": "apiuser", "password": "nope"}).status_code == 400
    response = api.post("/api/auth/token/", {"username": "apiuser", "password": PASSWORD})
    assert response.status_code == 400 and "token" not in response.json()  # the right password, locked out
    elsewhere = APIClient(REMOTE_ADDR="10.3.3.4").post(
        "/api/auth/token/", {"username": "apiuser", "password": PASSWORD}
    )
    assert elsewhere.status_code == 200 and elsewhere.json()["token"]


@override_settings(LOGIN_IP_MAX_ATTEMPTS=6, LOGIN_IP_WINDOW=300)
def test_one_address_may_post_the_sign_in_form_only_so_often_whatever_the_user_names(
    client, make_user, one_window
):
    make_user(None, username="real")
    for i in range(6):  # six different user names: axes alone would lock none of them
        assert _login(client, f"guess{i}", "wrong-password").status_code == 200
    refused = _login(client, "real", PASSWORD)
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 300
    assert "过于频繁" in refused.content.decode()
    assert (
        _login(client, "real", PASSWORD, ip="10.9.9.9").status_code == 302
    )  # another address is not counted


@override_settings(LOGIN_IP_MAX_ATTEMPTS=2, LOGIN_IP_WINDOW=60)
def test_the_address_limit_resets_with_the_window(client, make_user):
    make_user(None, username="later")
    with time_machine.travel("2026-03-02 09:00:05 +0800", tick=False) as clock:
        _login(client, "x", "y")
        _login(client, "x", "y")
        assert _login(client, "later", PASSWORD).status_code == 429
        clock.shift(60)
        assert _login(client, "later", PASSWORD).status_code == 302


@override_settings(KECHUANG_TRUSTED_PROXIES=["127.0.0.1/32"], LOGIN_IP_MAX_ATTEMPTS=2)
def test_behind_the_proxy_the_client_address_counts_not_the_proxys(client, one_window):
    def post(forwarded):
        return client.post(
            "/accounts/login/",
            {"username": "a", "password": "b"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=forwarded,
        )

    assert post("203.0.113.7").status_code == 200
    assert post("203.0.113.7").status_code == 200
    assert post("203.0.113.7").status_code == 429
    assert post("198.51.100.4").status_code == 200  # another client behind the same proxy


@override_settings(KECHUANG_TRUSTED_PROXIES=["127.0.0.1/32"], LOGIN_IP_MAX_ATTEMPTS=2, LOGIN_IP_WINDOW=300)
@pytest.mark.parametrize("forwarded", ["not-an-address", "<script>", "999.1.1.1", "", " , "])
def test_a_forged_or_missing_address_never_reaches_the_ip_column(client, make_user, forwarded):
    """axes stores the address in an IP-address column (PostgreSQL checks it): a forged X-Forwarded-For or a
    request with no REMOTE_ADDR (Django's force_login, some WSGI servers) falls back, never a 500."""
    from axes.models import AccessAttempt

    from kechuang.core.ratelimit import client_ip

    make_user(None, username="someone")
    meta = {"HTTP_X_FORWARDED_FOR": forwarded, "REMOTE_ADDR": ""}
    response = client.post("/accounts/login/", {"username": "someone", "password": "wrong"}, **meta)
    assert response.status_code == 200
    assert AccessAttempt.objects.filter(ip_address__isnull=True).count() == 1
    request = type("R", (), {"META": {"HTTP_X_FORWARDED_FOR": forwarded, "REMOTE_ADDR": "10.0.0.9"}})()
    assert client_ip(request) == "10.0.0.9"


def test_force_login_then_a_page_works(client, make_user):
    client.force_login(make_user(None, username="forced"))
    assert client.get("/").status_code == 200


@pytest.fixture
def throttles(monkeypatch, settings):
    """The production throttle classes and scopes (settings/base.py), at rates a test can reach.

    DRF reads DEFAULT_THROTTLE_CLASSES and the rates into class attributes when it is imported (the test
    settings have none), so they are put back here as base.py has them."""
    from rest_framework.throttling import SimpleRateThrottle
    from rest_framework.views import APIView

    from kechuang.settings import base

    classes = [import_string(path) for path in base.REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"]]
    monkeypatch.setattr(APIView, "throttle_classes", classes)
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_CLASSES": base.REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"],
    }

    def rates(**overrides):
        monkeypatch.setattr(
            SimpleRateThrottle,
            "THROTTLE_RATES",
            {**base.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], **overrides},
        )

    return rates


def test_base_settings_throttle_anonymous_users_and_the_two_scopes():
    from kechuang.settings import base

    assert {p.rsplit(".", 1)[1] for p in base.REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"]} == {
        "AnonRateThrottle",
        "UserRateThrottle",
        "ScopedRateThrottle",
    }
    assert set(base.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]) == {"anon", "user", "auth", "expensive"}
    assert base.LOGIN_IP_MAX_ATTEMPTS > base.AXES_FAILURE_LIMIT


def _assert_429(response):
    assert response.status_code == 429
    body = response.json()
    assert body["error"]["code"] == "throttled" and body["error"]["message"]
    assert int(response["Retry-After"]) >= 1


def test_api_throttles_anonymous_callers_per_address(throttles):
    throttles(anon="3/min")
    api = APIClient(REMOTE_ADDR="10.4.4.4")
    for _ in range(3):
        assert api.get("/api/platforms/").status_code == 200
    _assert_429(api.get("/api/platforms/"))
    assert APIClient(REMOTE_ADDR="10.5.5.5").get("/api/platforms/").status_code == 200


def test_api_throttles_each_user(make_user, throttles):
    throttles(user="2/min")
    first, second = APIClient(), APIClient()
    first.force_authenticate(make_user(Role.STAFF))
    second.force_authenticate(make_user(Role.STAFF))
    assert first.get("/api/me/").status_code == 200
    assert first.get("/api/me/").status_code == 200
    _assert_429(first.get("/api/me/"))
    assert second.get("/api/me/").status_code == 200


def test_the_token_endpoint_has_its_own_stricter_scope(make_user, throttles):
    make_user(None, username="tokens")
    throttles(auth="2/min")
    api = APIClient(REMOTE_ADDR="10.6.6.6")
    assert api.post("/api/auth/token/", {"username": "tokens", "password": PASSWORD}).status_code == 200
    assert api.post("/api/auth/token/", {"username": "tokens", "password": PASSWORD}).status_code == 200
    _assert_429(api.post("/api/auth/token/", {"username": "tokens", "password": PASSWORD}))
    assert APIClient(REMOTE_ADDR="10.6.6.6").get("/api/platforms/").status_code == 200  # other calls go on


def test_uploads_and_imports_share_the_expensive_scope(make_user, throttles):
    from django.core.files.uploadedfile import SimpleUploadedFile

    staff = make_user(Role.STAFF)
    throttles(expensive="1/min")
    api = APIClient()
    api.force_authenticate(staff)
    csv = "名称,类型\n".encode()
    first = api.post("/api/platforms/import/", {"file": SimpleUploadedFile("p.csv", csv)}, format="multipart")
    assert first.status_code in (200, 400)  # checked (the rows may be refused), not throttled
    _assert_429(
        api.post(
            "/api/ingest/documents/upload/",
            {"file": SimpleUploadedFile("r.txt", "报告".encode())},
            format="multipart",
        )
    )
    assert api.get("/api/me/").status_code == 200
