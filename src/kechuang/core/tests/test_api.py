"""Every 4xx from the API has one body: {"error": {"code", "message", "fields"}}."""

import pytest

from kechuang.core.roles import Role

pytestmark = pytest.mark.django_db


def _assert_error_body(response, status, code=None):
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["message"]
    if code:
        assert body["error"]["code"] == code
    return body["error"]


def test_unauthenticated(api_for):
    err = _assert_error_body(api_for(None).get("/api/me/"), 401, "not_authenticated")
    assert err["fields"] == {}


def test_validation_error_names_fields(api_for, staff):
    err = _assert_error_body(
        api_for(staff).post("/api/units/", {"name": "", "kind": "spaceship"}, format="json"),
        400,
        "validation_error",
    )
    assert "name" in err["fields"] and "kind" in err["fields"]


def test_model_validation_error_from_service(api_for, staff):
    err = _assert_error_body(
        api_for(staff).post("/api/units/", {"name": "某企业", "kind": "enterprise"}, format="json"),
        400,
        "validation_error",
    )
    assert "credit_code" in err["fields"]


def test_permission_denied_from_service(api_for, make_user):
    err = _assert_error_body(
        api_for(make_user(Role.APPLICANT)).post(
            "/api/units/", {"name": "某大学", "kind": "university"}, format="json"
        ),
        403,
        "permission_denied",
    )
    assert "工作人员" in err["message"]


def test_not_found_and_unknown_url(api_for, staff):
    _assert_error_body(api_for(staff).get("/api/units/999999/"), 404, "not_found")
    _assert_error_body(api_for(staff).get("/api/no-such-endpoint/"), 404, "not_found")


def test_malformed_json(api_for, staff):
    response = api_for(staff).generic("POST", "/api/units/", "{not json", content_type="application/json")
    _assert_error_body(response, 400, "parse_error")


def test_method_not_allowed(api_for, staff):
    _assert_error_body(api_for(staff).delete("/api/me/"), 405, "method_not_allowed")


def test_token_auth(make_user):
    from rest_framework.test import APIClient

    from kechuang.accounts.services import token_issue

    user = make_user(Role.STAFF)
    key = token_issue(actor=user, user=user, access="write")[1]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/me/").json()["roles"] == ["staff"]


def test_obtain_token_endpoint(client, make_user):
    make_user(Role.EXPERT, username="tokenuser")
    response = client.post("/api/auth/token/", {"username": "tokenuser", "password": "correct-horse-battery"})
    assert response.status_code == 200 and len(response.json()["token"]) == 40
    bad = client.post("/api/auth/token/", {"username": "tokenuser", "password": "nope"})
    _assert_error_body(bad, 400, "validation_error")


def test_pagination_and_filtering(api_for, staff):
    from kechuang.accounts.tests.factories import UnitFactory

    UnitFactory.create_batch(3, city="大同")
    UnitFactory.create_batch(2, city="太原")
    data = api_for(staff).get("/api/units/", {"city": "大同", "page_size": 2}).json()
    assert data["count"] == 3 and len(data["results"]) == 2 and data["next"]


def test_schema_and_docs_are_served(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200 and b"openapi: 3" in schema.content
    assert client.get("/api/docs/").status_code == 200
