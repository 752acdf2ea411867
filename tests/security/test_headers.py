"""Production settings pass `check --deploy`; every response carries the security headers and a strict CSP."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[2]
PROD_ENV = {
    "DJANGO_SETTINGS_MODULE": "kechuang.settings.prod",
    "SECRET_KEY": "x7#kq2-prod-like-secret-for-the-deploy-check-only-9f3a1c5e8b2d4f6a0c7e",
    "DATABASE_URL": "sqlite:///:memory:",
    "ALLOWED_HOSTS": "kechuang.example.org",
    "KECHUANG_SITE_URL": "https://kechuang.example.org",
    "PYTHONPATH": str(ROOT / "src"),
}


def _base_env() -> dict:
    """This process's environment without what the test run sets for itself (the browser tests set
    DJANGO_ALLOW_ASYNC_UNSAFE, which the deploy check rightly refuses)."""
    drop = ("DJANGO_SETTINGS_MODULE", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE", "DEBUG", "DJANGO_DEBUG")
    return {k: v for k, v in os.environ.items() if k not in drop}


def _manage(*args, **env):
    base = _base_env()
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env={**base, **PROD_ENV, **env},
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings():
    proc = _manage("check", "--deploy", "--fail-level", "WARNING")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "System check identified no issues" in proc.stdout


@pytest.mark.parametrize("key", [None, "", "too-short-a-secret"])
def test_production_settings_refuse_to_start_without_a_real_secret_key(key, monkeypatch):
    if key is None:  # not in the environment at all
        monkeypatch.delitem(PROD_ENV, "SECRET_KEY")
        proc = _manage("check")
    else:
        proc = _manage("check", SECRET_KEY=key)
    assert proc.returncode != 0
    assert "SECRET_KEY must be set" in proc.stderr


def test_production_settings_values():
    """The values behind the deploy check, read from the prod module in a fresh interpreter."""
    code = (
        "from kechuang.settings import prod as s; import json; print(json.dumps({k: getattr(s, k) for k in ["
        "'DEBUG','SECURE_SSL_REDIRECT','SECURE_PROXY_SSL_HEADER','SECURE_HSTS_SECONDS',"
        "'SECURE_HSTS_INCLUDE_SUBDOMAINS','SECURE_HSTS_PRELOAD','SESSION_COOKIE_SECURE','SESSION_COOKIE_HTTPONLY',"
        "'SESSION_COOKIE_SAMESITE','CSRF_COOKIE_SECURE','CSRF_COOKIE_SAMESITE','X_FRAME_OPTIONS',"
        "'SECURE_CONTENT_TYPE_NOSNIFF','SECURE_REFERRER_POLICY']}))"
    )
    base = _base_env()
    out = subprocess.run(
        [sys.executable, "-c", code], env={**base, **PROD_ENV}, capture_output=True, text=True, check=True
    ).stdout
    import json

    s = json.loads(out)
    assert s["DEBUG"] is False
    assert s["SECURE_SSL_REDIRECT"] is True
    assert s["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert s["SECURE_HSTS_SECONDS"] >= 31536000
    assert s["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert s["SESSION_COOKIE_SECURE"] and s["CSRF_COOKIE_SECURE"] and s["SESSION_COOKIE_HTTPONLY"]
    assert s["SESSION_COOKIE_SAMESITE"] == "Lax" and s["CSRF_COOKIE_SAMESITE"] == "Lax"
    assert s["X_FRAME_OPTIONS"] == "DENY" and s["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert s["SECURE_REFERRER_POLICY"] == "same-origin"
    assert s["SECURE_HSTS_PRELOAD"] is True


def test_hsts_preload_can_be_turned_off_and_the_deploy_check_then_says_so():
    # Django's security checks only (W021 is one): the whole check, URLs and templates with it, is the test above's;
    # this one needs no second import of every view (half of the subprocess's CPU)
    proc = _manage("check", "--deploy", "--tag", "security", SECURE_HSTS_PRELOAD="0")
    assert "security.W021" in proc.stderr + proc.stdout


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in (p.strip() for p in header.split(";")) if d}


@pytest.mark.django_db
def test_every_page_has_a_strict_csp_and_the_security_headers(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    policy = _policy(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    for directive in ("script-src", "style-src"):
        assert "'unsafe-inline'" not in policy[directive] and "'unsafe-eval'" not in policy[directive]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_inline_scripts_carry_the_nonce_of_the_header(client, make_user):
    from kechuang.core.roles import Role

    client.force_login(make_user(Role.STAFF))
    response = client.get("/api/docs/")
    nonce = next(s for s in _policy(response)["script-src"] if s.startswith("'nonce-"))[7:-1]
    body = response.content.decode()
    assert f'<script nonce="{nonce}">' in body
    # The docs UI sets styles from script: only there style-src allows inline styles.
    assert "'unsafe-inline'" in _policy(response)["style-src"]


@pytest.mark.django_db
@override_settings(SECURE_SSL_REDIRECT=True, SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"))
def test_plain_http_is_redirected_unless_the_proxy_says_https(client):
    assert client.get("/accounts/login/").status_code == 301
    response = client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200


@pytest.mark.django_db
@override_settings(
    SECURE_HSTS_SECONDS=31536000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True, SESSION_COOKIE_SECURE=True
)
def test_hsts_and_secure_session_cookie_over_https(client, make_user):
    response = client.get("/accounts/login/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    user = make_user(username="cookie-user")
    client.post(
        "/accounts/login/", {"username": user.username, "password": "correct-horse-battery"}, secure=True
    )
    cookie = client.cookies["sessionid"]
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"


@pytest.mark.django_db
def test_permissions_policy_refuses_the_features_no_page_uses(client, make_user):
    """camera, microphone, geolocation, payment, usb, ... are refused to every page, the API and the static
    files, signed in or not (core.middleware.PermissionsPolicyMiddleware)."""
    from django.conf import settings

    from kechuang.core.roles import Role

    anonymous = client.get("/accounts/login/")
    client.force_login(make_user(Role.STAFF))
    answers = [anonymous, client.get("/"), client.get("/api/me/"), client.get("/no-such-page/")]
    for response in answers:
        policy = dict(p.strip().split("=", 1) for p in response["Permissions-Policy"].split(","))
        for feature in ("camera", "microphone", "geolocation", "payment", "usb", "display-capture"):
            assert policy[feature] == "()", (response.status_code, feature)
        assert set(policy) == set(settings.KECHUANG_PERMISSIONS_POLICY)


def test_permissions_policy_names_only_features_chromium_knows():
    """An unknown feature makes Chromium log a console error on every page (which the browser tests fail on):
    the policy names only features from this list, the ones Chromium has recognised for years."""
    from django.conf import settings

    known = {
        "accelerometer", "ambient-light-sensor", "autoplay", "bluetooth", "camera", "clipboard-read",
        "clipboard-write", "display-capture", "encrypted-media", "fullscreen", "geolocation", "gyroscope", "hid",
        "idle-detection", "magnetometer", "microphone", "midi", "payment", "picture-in-picture",
        "publickey-credentials-get", "screen-wake-lock", "serial", "sync-xhr", "usb", "xr-spatial-tracking",
    }  # fmt: skip
    assert set(settings.KECHUANG_PERMISSIONS_POLICY) <= known
    assert all(allowed == [] for allowed in settings.KECHUANG_PERMISSIONS_POLICY.values())
