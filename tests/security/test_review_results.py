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


def _exported(client) -> list[list]:
    """The rows of the applications' Excel export, as values."""
    import io

    from openpyxl import load_workbook

    response = client.get("/challenges/applications/?export=xlsx")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(io.BytesIO(body), read_only=True).active
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def test_under_review_the_export_holds_no_score_or_rank_for_the_applicant(scored, client_for):
    """The list's Excel export follows the page: the applicant's own rows carry no score or rank yet."""
    rows = _exported(client_for(scored.leader))
    assert any(scored.title in map(str, row) for row in rows), "the applicant's own row is exported"
    assert not any(v in (87.25, "87.25") for row in rows for v in row)
    header = next(r for r in rows if "评审排名" in r)
    mine = next(r for r in rows if scored.title in map(str, r))
    mine += (None,) * (len(header) - len(mine))  # a read-only sheet leaves a row's empty tail out
    assert mine[header.index("评审得分")] is None and mine[header.index("评审排名")] is None


def test_staff_export_holds_the_score_under_review(scored, client_for, make_user):
    rows = _exported(client_for(make_user(Role.STAFF, username="exportstaff")))
    assert any(v in (87.25, "87.25") for row in rows for v in row)


@pytest.mark.parametrize("status", ["proposed", "awarded"])
def test_once_released_the_export_holds_the_applicants_score(scored, client_for, status):
    type(scored).objects.filter(pk=scored.pk).update(status=status)
    rows = _exported(client_for(scored.leader))
    assert any(v in (87.25, "87.25") for row in rows for v in row)
