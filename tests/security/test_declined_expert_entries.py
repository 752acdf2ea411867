"""An expert who declared a conflict with an evaluation entry no longer opens it: the entry page (and the
campaign it belongs to, while unpublished) was open to every expert assigned to it, the one who declined
included, where a challenge application closes to them once they decline (review.selectors.expert_may_read,
review.permissions.can_view_review)."""

import pytest

from kechuang.evaluation import permissions, services
from kechuang.evaluation.tests.test_projects import accepted, project_campaign  # noqa: F401 (fixture)
from kechuang.review import services as review_services
from kechuang.review.models import Assignment, ExpertProfile
from kechuang.review.tests.factories import ExpertProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def assigned(staff, accepted):  # noqa: F811 (the fixture imported above)
    a, b = accepted
    c = project_campaign(staff)
    services.tree_add_default(actor=staff, campaign=c)
    services.contracts_set(actor=staff, campaign=c, contracts=[a, b])
    services.campaign_transition(actor=staff, campaign=c, action="open")
    pool = ExpertProfile.objects.filter(pk__in=[ExpertProfileFactory().pk for _ in range(3)])
    rnd = services.campaign_review_start(actor=staff, campaign=c, k=2, experts=pool)
    review_services.round_assign(actor=staff, round=rnd)
    review_services.round_transition(actor=staff, round=rnd, action="start")
    return Assignment.objects.filter(round=rnd, status="active").select_related("review", "expert").first()


def test_an_assigned_expert_opens_the_entry(assigned, client_for):
    from kechuang.evaluation.models import Entry

    entry = Entry.objects.get(pk=assigned.subject.object_id)
    assert permissions.can_view_entry(assigned.expert, entry)
    assert client_for(assigned.expert).get(entry.get_absolute_url()).status_code == 200


def test_once_they_declare_a_conflict_it_is_closed_to_them(assigned, client_for):
    from kechuang.evaluation.models import Entry

    entry = Entry.objects.get(pk=assigned.subject.object_id)
    review_services.review_decline(actor=assigned.expert, review=assigned.review, reason="曾在该单位任职")
    assert not permissions.can_view_entry(assigned.expert, entry)
    assert client_for(assigned.expert).get(entry.get_absolute_url()).status_code == 404
