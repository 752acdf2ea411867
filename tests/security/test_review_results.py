"""Applicants see their review score and rank only once the results are released (issue #14.9): not on
the application page nor through the API while the application is under review; staff always."""

import pytest

from kechuang.core.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(make_user):
    from decimal import Decimal

    from kechuang.challenges.tests.factories import ApplicationFactory

    app = ApplicationFactory(status="under_review")
    type(app).objects.filter(pk=app.pk).update(review_score=Decimal("87.25"), review_rank=2)
    app.refresh_from_db()
    return app


def _page(client, app):
    return client.get(f"/challenges/applications/{app.pk}/").content.decode()


def test_under_review_the_applicant_sees_no_score_or_rank(scored, client_for, api_for):
    applicant = scored.leader
    assert "87.25" not in _page(client_for(applicant), scored)
    body = api_for(applicant).get(f"/api/challenges/applications/{scored.pk}/").json()
    assert body["review_score"] is None and body["review_rank"] is None
    listed = api_for(applicant).get("/api/challenges/applications/").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert all(r["review_score"] is None and r["review_rank"] is None for r in rows)


def test_staff_see_them_under_review(scored, client_for, api_for, make_user):
    staff = make_user(Role.STAFF, username="scorestaff")
    assert "87.25" in _page(client_for(staff), scored)
    body = api_for(staff).get(f"/api/challenges/applications/{scored.pk}/").json()
    assert body["review_score"] == "87.25" and body["review_rank"] == 2


@pytest.mark.parametrize("status", ["proposed", "awarded", "rejected"])
def test_once_released_the_applicant_sees_them(scored, client_for, api_for, status):
    type(scored).objects.filter(pk=scored.pk).update(status=status)
    applicant = scored.leader
    assert "87.25" in _page(client_for(applicant), scored)
    body = api_for(applicant).get(f"/api/challenges/applications/{scored.pk}/").json()
    assert body["review_score"] == "87.25" and body["review_rank"] == 2
