"""A JSON body nested deeper than the decoder can follow is a malformed request (400 with the one error
body), not a server error (session 11's attacker review): DRF's parser catches only ValueError, so
100,000 "[" posted anonymously to the token endpoint answered 500 and logged a traceback each time; the
programme definition file's import the same for staff."""

import pytest

from kechuang.core.exceptions import ApplicationError
from kechuang.programmes import transfer

pytestmark = pytest.mark.django_db

DEEP = ["[" * 100_000, '{"a":' * 100_000]


@pytest.mark.parametrize("body", DEEP)
def test_the_token_endpoint_refuses_deep_json_as_malformed(client, body):
    client.raise_request_exception = False
    r = client.post("/api/auth/token/", body, content_type="application/json")
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "parse_error"


def test_a_signed_in_post_with_deep_json_is_refused_as_malformed(api_for, staff):
    client = api_for(staff)
    client.raise_request_exception = False
    r = client.post("/api/auth/token/", DEEP[0], content_type="application/json")
    assert r.status_code == 400


def test_ordinary_json_still_parses(client):
    r = client.post(
        "/api/auth/token/", {"username": "nobody", "password": "x"}, content_type="application/json"
    )
    assert r.status_code == 400 and r.json()["error"]["code"] != "parse_error"


@pytest.mark.parametrize("body", DEEP)
def test_a_programme_definition_nested_too_deep_is_refused(body):
    with pytest.raises(ApplicationError) as refused:
        transfer.parse(body.encode())
    assert refused.value.code == "not_json"


@pytest.mark.parametrize("body", ["[]", '[{"username": "a"}]', '"x"', "3", "null"])
def test_a_body_that_is_not_an_object_is_refused_as_malformed(client, body):
    client.raise_request_exception = False
    r = client.post("/api/auth/token/", body, content_type="application/json")
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "parse_error"
