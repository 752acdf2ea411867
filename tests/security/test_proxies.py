"""One setting names the trusted proxies (issue #14.8): the audit trail, axes' lockout and the API throttles
use the address those proxies vouch for, never a header a client forges; the request id is the server's."""

import re

import pytest
from django.test import RequestFactory, override_settings

from kechuang.core.models import AuditEvent
from kechuang.core.ratelimit import client_ip

PASSWORD = "correct-horse-battery"
PROXIES = ["127.0.0.1/32", "10.0.0.0/8"]


def _request(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


@pytest.mark.parametrize(
    ("trusted", "remote", "forwarded", "expected"),
    [
        ([], "203.0.113.5", "1.2.3.4", "203.0.113.5"),  # no proxy named: the header is never read
        (PROXIES, "203.0.113.5", "1.2.3.4", "203.0.113.5"),  # straight from a client: its header is ignored
        (PROXIES, "127.0.0.1", "198.51.100.7", "198.51.100.7"),  # through the proxy
        (PROXIES, "127.0.0.1", "6.6.6.6, 198.51.100.7", "198.51.100.7"),  # a forged hop left of the real one
        (PROXIES, "127.0.0.1", "198.51.100.7, 10.0.0.3", "198.51.100.7"),  # two proxies of ours
        (PROXIES, "127.0.0.1", "not-an-ip", "127.0.0.1"),  # garbage: the proxy itself stands
        (PROXIES, "127.0.0.1", "6.6.6.6, junk, 10.0.0.3", "10.0.0.3"),
        (PROXIES, "127.0.0.1", "", "127.0.0.1"),
        (["::1/128"], "::1", "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_address_is_the_right_most_hop_not_vouched_for(
    settings, trusted, remote, forwarded, expected
):
    settings.KECHUANG_TRUSTED_PROXIES = trusted
    assert client_ip(_request(remote, forwarded)) == expected


def test_throttles_count_the_same_address(settings):
    from kechuang.core.throttling import AnonRateThrottle, ScopedRateThrottle, UserRateThrottle
    from kechuang.settings import base

    assert all(
        p.startswith("kechuang.core.throttling.") for p in base.REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"]
    )
    settings.KECHUANG_TRUSTED_PROXIES = PROXIES
    forged = _request("203.0.113.5", "1.2.3.4")
    for cls in (AnonRateThrottle, UserRateThrottle, ScopedRateThrottle):
        assert cls().get_ident(forged) == "203.0.113.5"
    assert AnonRateThrottle().get_ident(_request("127.0.0.1", "198.51.100.7")) == "198.51.100.7"


def _login(client, username, password, **meta):
    return client.post("/accounts/login/", {"username": username, "password": password}, **meta)


@pytest.mark.django_db
@override_settings(KECHUANG_TRUSTED_PROXIES=PROXIES)
def test_the_audit_trail_records_the_vouched_address_and_the_servers_request_id(client, make_user):
    user = make_user(None, username="proxied")
    response = _login(
        client,
        "proxied",
        PASSWORD,
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7",
        HTTP_X_REQUEST_ID="forged-request-id",
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="auth.login", actor=user)
    assert event.ip_address == "198.51.100.7"
    assert event.request_id != "forged-request-id" and re.fullmatch(r"[0-9a-f]{32}", event.request_id)
    assert response["X-Request-ID"] == event.request_id


@pytest.mark.django_db
@override_settings(KECHUANG_TRUSTED_PROXIES=PROXIES)
def test_a_client_reaching_the_app_directly_cannot_forge_its_address(client, make_user):
    user = make_user(None, username="direct")
    _login(client, "direct", PASSWORD, REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert AuditEvent.objects.get(action="auth.login", actor=user).ip_address == "203.0.113.5"


@pytest.mark.django_db
@override_settings(KECHUANG_TRUSTED_PROXIES=PROXIES, AXES_FAILURE_LIMIT=2)
def test_the_lockout_counts_the_vouched_address_and_a_forged_header_does_not_escape_it(client, make_user):
    from axes.models import AccessAttempt

    make_user(None, username="target")
    # A client straight at the app changes X-Forwarded-For on every try: still one address, locked.
    for forged in ("1.1.1.1", "2.2.2.2"):
        _login(client, "target", "wrong", REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR=forged)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}
    locked = _login(client, "target", PASSWORD, REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="3.3.3.3")
    assert locked.status_code == 429
    # Through the proxy, the client's own address is what counts.
    _login(client, "target", "wrong", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert AccessAttempt.objects.filter(ip_address="198.51.100.7").exists()
