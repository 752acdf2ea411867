"""The password change page asks for the current password so that a session left open, or taken, cannot make
the account its own; a wrong current password there is a failed sign-in for axes, as on the token page, and the
lockout stops the guessing (docs/security.md §16). Django's form checked it without a word to axes: the
current password could be guessed there without end."""

import pytest
from axes.models import AccessAttempt
from django.test import Client

from kechuang.core.roles import Role

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # pragma: allowlist secret (the test factory's)
NEW = "a-new-and-long-passphrase-42"  # pragma: allowlist secret (made up for this test)
SHORT = "short"  # pragma: allowlist secret (too short: the form refuses it)
HERE = "10.6.6.6"


def _signed_in(user) -> Client:
    c = Client(REMOTE_ADDR=HERE)
    assert c.post("/accounts/login/", {"username": user.username, "password": PASSWORD}).status_code == 302
    return c


def _change(c: Client, old: str):
    return c.post(
        "/accounts/password/change/", {"old_password": old, "new_password1": NEW, "new_password2": NEW}
    )


def test_wrong_current_passwords_count_and_lock_the_page(make_user, settings):
    user = make_user(Role.APPLICANT)
    c = _signed_in(user)
    for n in range(1, settings.AXES_FAILURE_LIMIT):
        assert _change(c, f"guess-number-{n}").status_code == 200  # the form again, with the error
        assert AccessAttempt.objects.get(username=user.username, ip_address=HERE).failures_since_start == n
    assert _change(c, "the-last-guess").status_code in (403, 429)  # the limit: locked out
    r = _change(c, PASSWORD)  # even the right one, while locked
    assert r.status_code in (403, 429)
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_the_right_current_password_changes_it(make_user):
    user = make_user(Role.APPLICANT)
    c = _signed_in(user)
    assert _change(c, "one-wrong-guess").status_code == 200
    r = _change(c, PASSWORD)
    assert r.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW)


def test_a_refusal_for_the_new_password_is_not_a_failed_sign_in(make_user):
    user = make_user(Role.APPLICANT)
    c = _signed_in(user)
    r = c.post(
        "/accounts/password/change/",
        {
            "old_password": PASSWORD,
            "new_password1": SHORT,
            "new_password2": SHORT,
        },
    )
    assert r.status_code == 200
    assert not AccessAttempt.objects.filter(username=user.username).exists()
