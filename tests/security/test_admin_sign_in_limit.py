"""The admin's sign-in form is limited as the site's is (session 15's attacker review): one address may post
the site's sign-in form LOGIN_IP_MAX_ATTEMPTS times per LOGIN_IP_WINDOW whatever the user names (§4), but
`/admin/login/` is Django's own view, which only axes watched (five failures per user name and address), so
one address could try a password against every user name there, without end. Both forms now count against
the one per-address limit."""

import pytest
from django.test import override_settings

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_counters")]
PASSWORD = "correct-horse-battery"  # pragma: allowlist secret (the factories' test password)


def _admin_login(client, username, password, ip="10.4.4.4"):
    return client.post(
        "/admin/login/?next=/admin/", {"username": username, "password": password}, REMOTE_ADDR=ip
    )


@override_settings(LOGIN_IP_MAX_ATTEMPTS=6, LOGIN_IP_WINDOW=300)
def test_one_address_may_post_the_admin_sign_in_only_so_often_whatever_the_user_names(
    client, make_user, one_window
):
    make_user(None, username="boss", is_staff=True)
    for i in range(6):  # six user names: axes alone locks none of them
        assert _admin_login(client, f"guess{i}", "wrong-password").status_code == 200
    refused = _admin_login(client, "boss", PASSWORD)
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 300
    assert "过于频繁" in refused.content.decode()
    assert "_auth_user_id" not in client.session  # not signed in, even with the right password
    assert _admin_login(client, "boss", PASSWORD, ip="10.9.9.8").status_code == 302  # another address


@override_settings(LOGIN_IP_MAX_ATTEMPTS=6, LOGIN_IP_WINDOW=300)
def test_the_two_sign_in_forms_share_the_count(client, make_user, one_window):
    make_user(None, username="someone")
    for i in range(3):
        client.post("/accounts/login/", {"username": f"a{i}", "password": "x"}, REMOTE_ADDR="10.5.5.5")
        _admin_login(client, f"b{i}", "x", ip="10.5.5.5")
    assert _admin_login(client, "someone", PASSWORD, ip="10.5.5.5").status_code == 429
    assert (
        client.post(
            "/accounts/login/", {"username": "someone", "password": PASSWORD}, REMOTE_ADDR="10.5.5.5"
        ).status_code
        == 429
    )


def test_the_admin_sign_in_page_still_opens(client):
    assert client.get("/admin/login/").status_code == 200
