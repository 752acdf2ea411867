"""Ordering a list by a value the caller may not read tells them that value's order: the applications API
blanks the review score and rank for an applicant under review (#14.9), so `?ordering=review_score` must not
sort by them either (DRF's OrderingFilter otherwise accepts every field of the serializer)."""

from decimal import Decimal

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_scored(make_user):
    from kechuang.challenges.tests.factories import ApplicationFactory

    low = ApplicationFactory(status="under_review")
    high = ApplicationFactory(status="under_review", unit=low.unit, leader=low.leader)
    Application = type(low)
    # ids in one order, scores in the other, so an order by score differs from the default one by id
    Application.objects.filter(pk=low.pk).update(review_score=Decimal("90.00"), review_rank=1)
    Application.objects.filter(pk=high.pk).update(review_score=Decimal("60.00"), review_rank=2)
    return low, high


def _ids(api, query: str) -> list[int]:
    body = api.get(f"/api/challenges/applications/{query}").json()
    return [r["id"] for r in (body["results"] if isinstance(body, dict) else body)]


@pytest.mark.parametrize("field", ["review_score", "-review_score", "review_rank", "-review_rank"])
def test_an_applicant_cannot_sort_by_the_hidden_score(two_scored, api_for, field):
    low, _high = two_scored
    api = api_for(low.leader)
    assert _ids(api, f"?ordering={field}") == _ids(api, "")


def test_staff_may_still_sort_by_the_fields_they_read(two_scored, api_for, make_user):
    from kechuang.core.roles import Role

    low, high = two_scored
    api = api_for(make_user(Role.STAFF))
    assert [i for i in _ids(api, "?ordering=title") if i in (low.pk, high.pk)] == sorted(
        (low.pk, high.pk), key=lambda pk: type(low).objects.get(pk=pk).title
    )


@pytest.mark.parametrize("view_path", ["ChainList", "TechnologyList"])
def test_internal_notes_are_no_sort_key(view_path):
    """techmap drops its internal notes for readers outside the department (anonymous on published chains)."""
    from kechuang.core.api import OrderingFilter
    from kechuang.techmap import api

    view = getattr(api, view_path)()
    model = view.serializer_class.Meta.model
    fields = {
        name for name, _label in OrderingFilter().get_default_valid_fields(model.objects.none(), view, {})
    }
    assert "internal_note" not in fields and "name" in fields
