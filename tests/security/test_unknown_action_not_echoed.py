"""An unknown `action` sent to the API is refused with a fixed reason (people26): a plain, short name is named
back, anything else — megabytes of text, markup, a JSON structure — is not echoed, and a structure is refused as
unknown, never a 500 (it is unhashable: `action in calls` and a machine's table lookup raised TypeError).
core.workflow.unknown_action is the one reason, used by every machine (core.workflow.Machine.get) and the
ingest fact actions."""

import pytest

from kechuang.core.exceptions import InvalidTransition
from kechuang.core.workflow import ACTION_NAME, unknown_action
from kechuang.integrity.workflow import RECORD

pytestmark = pytest.mark.django_db

LONG = "x" * 5000
MARKUP = "<script>alert(1)</script>"


@pytest.mark.parametrize(
    ("sent", "named"),
    [("publishh", True), (LONG, False), (MARKUP, False), ({"a": 1}, False), (["publish"], False), (7, False)],
    ids=["name", "long", "markup", "dict", "list", "number"],
)
def test_an_unknown_action_is_refused_naming_only_a_plain_short_name(sent, named):
    with pytest.raises(InvalidTransition) as refused:
        RECORD.get(sent)  # any machine: the one lookup every lifecycle goes through
    text = str(refused.value.message)
    assert refused.value.code == "unknown_action" and text == unknown_action(sent)
    assert ("publishh" in text) is named
    assert len(text) < 60 and "<" not in text and "{" not in text and "[" not in text


def test_the_name_allowed_back_is_bounded():
    assert ACTION_NAME.fullmatch("a" * 40) and not ACTION_NAME.fullmatch("a" * 41)


@pytest.mark.parametrize(
    "sent", [LONG, MARKUP, {"a": 1}, ["publish"]], ids=["long", "markup", "dict", "list"]
)
def test_the_apis_refuse_an_unknown_action_without_echoing_it(api_for, staff, sent):
    from kechuang.challenges.tests.factories import ChallengeFactory
    from kechuang.evaluation.tests.factories import CampaignFactory

    client = api_for(staff)
    for url in (
        f"/api/evaluation/campaigns/{CampaignFactory().pk}/actions/",
        f"/api/challenges/{ChallengeFactory().pk}/transition/",
    ):
        response = client.post(url, {"action": sent}, format="json")
        assert 400 <= response.status_code < 500, (url, response.status_code)
        body = response.content.decode()
        assert response.json()["error"]["code"] in (
            "unknown_action",
            "validation_error",
            "invalid_transition",
        )
        assert "x" * 60 not in body and "script" not in body and "'a'" not in body, url


def test_the_ingest_fact_action_refuses_an_unknown_name_without_echoing_it(api_for, staff):
    response = api_for(staff).post(f"/api/ingest/facts/1/{'y' * 500}/", {}, format="json")
    assert response.status_code == 404
    assert "y" * 60 not in response.content.decode()
