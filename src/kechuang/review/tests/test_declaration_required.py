"""The expert's no-conflict declaration is required by the server, not only by the page's box (`required` in the
browser): a post to open the review without `confirm` — a script, an API client, a page whose box was taken out —
opened it and recorded the declaration (docs/security.md §40). Now the page answers 400 with why beside the box
(the decline form and its reason untouched), the API 400 naming `confirm`; nothing is recorded or audited."""

import pytest
from django.urls import reverse

from kechuang.core.models import AuditEvent
from kechuang.review.models import Review

from .conftest import first_assignment

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("posted", [{}, {"confirm": ""}, {"confirm": "0"}, {"confirm": "yes please"}])
def test_the_page_refuses_to_open_without_the_declaration(client_for, reviewing_round, posted):
    rnd, _, _ = reviewing_round
    a = first_assignment(rnd)
    c = client_for(a.expert)
    before = AuditEvent.objects.count()
    page = c.post(reverse("review:review-action", args=[a.review.pk, "open"]), posted)
    assert page.status_code == 400
    html = page.content.decode()
    assert "请先勾选声明与该评审对象无利益冲突" in html and 'id="refused-declare"' in html
    assert 'aria-invalid="true" aria-describedby="refused-declare"' in html
    assert "利益冲突声明" in html and 'name="reason"' in html  # the page again, both choices still there
    review = Review.objects.get(pk=a.review.pk)
    assert review.status == "pending" and review.declared_no_conflict_at is None
    assert AuditEvent.objects.count() == before

    ticked = c.post(reverse("review:review-action", args=[a.review.pk, "open"]), {"confirm": "1"})
    assert ticked.status_code == 302
    review.refresh_from_db()
    assert review.status == "opened" and review.declared_no_conflict_at is not None


def test_the_page_in_english(english_client_for, reviewing_round):
    rnd, _, _ = reviewing_round
    a = first_assignment(rnd)
    page = english_client_for(a.expert).post(reverse("review:review-action", args=[a.review.pk, "open"]))
    assert page.status_code == 400
    assert "conflict of interest" in page.content.decode()


@pytest.mark.parametrize(
    "body", [{}, {"confirm": False}, {"confirm": "0"}, {"confirm": [1]}, {"reason": "x"}]
)
def test_the_api_refuses_to_open_without_the_declaration(api_for, reviewing_round, body):
    rnd, _, _ = reviewing_round
    a = first_assignment(rnd)
    api = api_for(a.expert)
    before = AuditEvent.objects.count()
    r = api.post(f"/api/review/reviews/{a.review.pk}/open/", body, format="json")
    assert r.status_code == 400
    error = r.json()["error"]
    assert error["code"] == "confirm" and "利益冲突" in error["fields"]["confirm"][0]
    assert Review.objects.get(pk=a.review.pk).status == "pending"
    assert AuditEvent.objects.count() == before
    ok = api.post(f"/api/review/reviews/{a.review.pk}/open/", {"confirm": True}, format="json")
    assert ok.status_code == 200 and ok.json()["status"] == "opened"


def test_someone_else_is_refused_for_who_they_are_not_for_the_box(
    client_for, api_for, staff, reviewing_round
):
    rnd, _, _ = reviewing_round
    a = first_assignment(rnd)
    assert (
        client_for(staff).post(reverse("review:review-action", args=[a.review.pk, "open"])).status_code == 403
    )
    assert (
        api_for(staff).post(f"/api/review/reviews/{a.review.pk}/open/", {}, format="json").status_code == 403
    )
