"""Every multi-row create through the API is one transaction (issue #14.7): a 4xx leaves nothing behind."""

import pytest

from kechuang.core.roles import Role

pytestmark = pytest.mark.django_db


def test_a_bad_milestone_answers_400_and_leaves_no_draft_so_the_retry_works(api_for, make_user):
    from kechuang.accounts.tests.factories import UnitFactory
    from kechuang.challenges.models import Application, ApplicationMilestone
    from kechuang.challenges.tests.factories import ChallengeFactory
    from kechuang.core.models import AuditEvent

    challenge = ChallengeFactory(published=True)
    applicant = make_user(Role.APPLICANT, unit=UnitFactory())
    client = api_for(applicant)
    body = {
        "challenge": challenge.pk,
        "title": "一次揭榜",
        "plan": "方案",
        "budget_requested": "100",
        "milestones": [
            {"title": "后", "month": 12, "tranche": "10", "targets": {}},
            {"title": "先", "month": 6, "tranche": "10", "targets": {}},  # out of order: refused
        ],
    }
    refused = client.post("/api/challenges/applications/", body, format="json")
    assert refused.status_code == 400, refused.content
    assert refused.json()["error"]["code"] == "milestone_order"
    assert not Application.objects.exists() and not ApplicationMilestone.objects.exists()
    assert not AuditEvent.objects.filter(action="application.create").exists()

    body["milestones"].reverse()
    created = client.post("/api/challenges/applications/", body, format="json")
    assert created.status_code == 201, created.content
    app = Application.objects.get()
    assert list(app.milestones.order_by("seq").values_list("title", flat=True)) == ["先", "后"]
    assert [m["title"] for m in created.json()["milestones"]] == ["先", "后"]


def test_a_bad_target_value_also_leaves_nothing(api_for, make_user):
    from kechuang.accounts.tests.factories import UnitFactory
    from kechuang.challenges.models import Application
    from kechuang.challenges.tests.factories import ChallengeFactory

    challenge = ChallengeFactory(published=True)
    client = api_for(make_user(Role.APPLICANT, unit=UnitFactory()))
    body = {
        "challenge": challenge.pk,
        "title": "二次揭榜",
        "plan": "方案",
        "budget_requested": "100",
        "milestones": [{"title": "一", "month": 6, "tranche": "10", "targets": {"良率": "很多"}}],
    }
    assert client.post("/api/challenges/applications/", body, format="json").status_code == 400
    assert not Application.objects.exists()
