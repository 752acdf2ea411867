"""A failed sign-in answers alike whether or not the address has an account, even when the failures are spread
over spellings that fold together only under Unicode case folding (docs/security.md §17): `ß` folds to `ss` in
Python's casefold, which counted the failures of an unknown address, while the database's case-insensitive
match does not take `ß` for `ss`. Five failures spread over `jess@…` and `jeß@…` locked an unknown address
(one name) and not a known one (the account's name and the look-alike's): the fifth answer told them apart."""

import pytest
from rest_framework.test import APIClient

from kechuang.core.roles import Role

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_counters")]
WRONG = "wrong-guess-1"  # pragma: allowlist secret
PASSWORD = "correct-horse-battery"  # pragma: allowlist secret


def _spread(address, post):
    look_alike = address.replace("ss", "ß")
    return [post(t) for t in [address, address, address, look_alike, look_alike, address]]


def test_the_sign_in_page_does_not_tell_a_known_address_by_its_lockout(client, make_user):
    make_user(Role.APPLICANT, username="jess_login", email="jess.wu@example.cn")

    def post(ip):
        return lambda typed: (
            client.post(
                "/accounts/login/", {"username": typed, "password": WRONG}, REMOTE_ADDR=ip
            ).status_code
        )

    known = _spread("jess.wu@example.cn", post("10.5.5.1"))
    unknown = _spread("ross.wu@example.cn", post("10.5.5.2"))
    assert known == unknown, (known, unknown)


def test_the_token_endpoint_folds_the_address_as_the_sign_in_page(make_user):
    """The page's form folds what was typed (NFKC: Django's UsernameField), the token endpoint did not: one rule
    finds the account (docs/adr/0017), whichever door."""
    make_user(Role.APPLICANT, username="kim_login", email="kim.wu@example.cn")
    api = APIClient(REMOTE_ADDR="10.5.5.3")
    typed = "\uff4bim.wu\uff20example.cn"  # full-width k and @, as some input methods type them
    r = api.post("/api/auth/token/", {"username": typed, "password": PASSWORD})
    assert r.status_code == 200, r.content
