"""API tokens (finding: tokens never expired, survived a password change and a logout, and their issue was
not audited). Tokens are not tied to a session: logout ends the session only (docs/accounts.md)."""

import datetime

import pytest
import time_machine
from django.utils import timezone
from rest_framework.test import APIClient

from kechuang.accounts import services
from kechuang.accounts.models import ApiToken
from kechuang.core.models import AuditEvent
from kechuang.core.roles import Role

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def _client(key: str | None = None) -> APIClient:
    c = APIClient()
    if key:
        c.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return c


def _obtain(user) -> str:
    r = _client().post(
        "/api/auth/token/",
        {"username": user.username, "password": PASSWORD, "name": "脚本", "access": "write"},
    )
    assert r.status_code == 200, r.content
    return r.json()["token"]


def test_issue_is_audited_and_only_the_digest_is_stored(make_user):
    user = make_user(Role.APPLICANT)
    key = _obtain(user)
    token = ApiToken.objects.get(user=user)
    assert key not in (token.digest, token.prefix) and key.startswith(token.prefix)
    assert _client(key).get("/api/me/").status_code == 200
    event = AuditEvent.objects.get(action="token.issue", object_id=str(user.pk))
    assert event.actor == user and event.after["token"] == token.prefix


def test_expired_token_is_refused(make_user, settings):
    settings.API_TOKEN_DAYS = 7
    user = make_user(Role.APPLICANT)
    key = _obtain(user)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=7, seconds=1)):
        r = _client(key).get("/api/me/")
    assert r.status_code == 401 and "过期" in r.json()["error"]["message"]
    with time_machine.travel(timezone.now() + datetime.timedelta(days=6)):
        assert _client(key).get("/api/me/").status_code == 200


def test_password_change_revokes_tokens(make_user, client_for):
    user = make_user(Role.APPLICANT)
    key = _obtain(user)
    r = client_for(user).post(
        "/accounts/password/change/",
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-long-passphrase",
            "new_password2": "a-new-long-passphrase",
        },
    )
    assert r.status_code == 302
    assert _client(key).get("/api/me/").status_code == 401
    token = ApiToken.objects.get(user=user)
    assert token.revoked_at is not None and token.revoke_reason == "password_change"
    assert AuditEvent.objects.filter(action="token.revoke", object_id=str(user.pk)).exists()
    assert AuditEvent.objects.filter(action="user.password_change", object_id=str(user.pk)).exists()


def test_a_password_set_any_other_way_also_stops_old_tokens(make_user):
    # The admin's form or `changepassword` call set_password without our service: the token's auth hash differs.
    user = make_user(Role.APPLICANT)
    key = _obtain(user)
    user.set_password("another-long-passphrase")
    user.save()
    r = _client(key).get("/api/me/")
    assert r.status_code == 401 and "密码已更改" in r.json()["error"]["message"]


def test_deactivation_revokes_tokens(make_user, staff):
    user = make_user(Role.APPLICANT)
    key = _obtain(user)
    services.user_set_active(actor=staff, user=user, active=False, reason="离职")
    assert _client(key).get("/api/me/").status_code == 401
    assert ApiToken.objects.get(user=user).revoke_reason == "deactivation"
    # Reactivated, the old token stays revoked.
    services.user_set_active(actor=staff, user=user, active=True)
    assert _client(key).get("/api/me/").status_code == 401


def test_owner_lists_and_revokes_own_tokens_only(make_user):
    user, other = make_user(Role.APPLICANT), make_user(Role.APPLICANT)
    key1, key2 = _obtain(user), _obtain(user)
    other_key = _obtain(other)
    listed = _client(key1).get("/api/auth/tokens/").json()["results"]
    assert len(listed) == 2 and all(t["live"] for t in listed) and "digest" not in listed[0]
    other_token = ApiToken.objects.get(user=other)
    assert _client(key1).delete(f"/api/auth/tokens/{other_token.pk}/").status_code == 404
    assert _client(other_key).get("/api/me/").status_code == 200
    second = ApiToken.objects.get(prefix=key2[:8])
    assert _client(key1).delete(f"/api/auth/tokens/{second.pk}/").status_code == 204
    assert _client(key2).get("/api/me/").status_code == 401
    assert _client(key1).get("/api/me/").status_code == 200
    event = AuditEvent.objects.filter(action="token.revoke", object_id=str(user.pk)).get()
    assert event.actor == user and event.reason == "owner"
    assert event.after == {"token": second.prefix, "access": "write", "areas": []}


def test_logout_ends_the_session_and_leaves_tokens(make_user, client_for):
    # Decided: tokens are issued for scripts, not per session, so signing out of the site keeps them.
    user = make_user(Role.APPLICANT)
    key = _obtain(user)
    c = client_for(user)
    c.post("/accounts/logout/")
    assert c.get("/api/me/").status_code in (401, 403)
    assert _client(key).get("/api/me/").status_code == 200


def test_unknown_token_and_inactive_user_refused(make_user):
    assert _client("0" * 40).get("/api/me/").status_code == 401
    user = make_user(Role.APPLICANT)
    key = _obtain(user)
    type(user).objects.filter(pk=user.pk).update(is_active=False)
    assert _client(key).get("/api/me/").status_code == 401
