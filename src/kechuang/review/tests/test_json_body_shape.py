"""A JSON body that is not an object is a malformed request (400 with a reason), not a server error: the
review actions read `request.data.get("reason")`, and a list posted to one was an AttributeError and a 500
(testtime5's API fuzz, session 22). `core.api.JSONParser` refuses it for every view that does not say it
takes a list."""

import pytest

from kechuang.review.tests.conftest import first_assignment


@pytest.mark.parametrize("body", ["[]", '["reason"]', '"x"', "3", "null"])
def test_a_review_action_refuses_a_body_that_is_not_an_object(api_for, reviewing_round, body):
    rnd, _, _ = reviewing_round
    a = first_assignment(rnd)
    api = api_for(a.expert)
    api.raise_request_exception = False
    r = api.post(f"/api/review/reviews/{a.review.pk}/open/", body, content_type="application/json")
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "parse_error"
    assert "JSON" in r.json()["error"]["message"]
    a.review.refresh_from_db()
    assert a.review.status != "open"  # nothing happened


def test_an_object_body_still_opens_the_review(api_for, reviewing_round):
    rnd, _, _ = reviewing_round
    a = first_assignment(rnd)
    r = api_for(a.expert).post(f"/api/review/reviews/{a.review.pk}/open/", {"confirm": True}, format="json")
    assert r.status_code == 200


def test_a_view_that_takes_a_list_still_gets_it():
    from io import BytesIO

    from rest_framework.exceptions import ParseError

    from kechuang.core.api import JSONParser
    from kechuang.funds.api import ApplicationBudget

    parse = JSONParser().parse
    lines = b'[{"category": "equipment", "amount": "1"}]'
    assert parse(BytesIO(lines), parser_context={"view": ApplicationBudget()}) == [
        {"category": "equipment", "amount": "1"}
    ]
    with pytest.raises(ParseError):
        parse(BytesIO(b'"x"'), parser_context={"view": ApplicationBudget()})
    with pytest.raises(ParseError):
        parse(BytesIO(lines), parser_context={"view": object()})
