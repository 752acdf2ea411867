import pytest

from kechuang.accounts.tests.factories import UnitFactory
from kechuang.review import services
from kechuang.review.models import Assignment
from kechuang.review.tests.factories import ExpertProfileFactory, ExternalSubjectFactory, ReviewFormFactory


@pytest.fixture
def review_form(db):
    return ReviewFormFactory()


@pytest.fixture
def small_round(staff, review_form):
    """4 subjects, 6 experts, k=2, max load 2; expert 0 works at subject 0's unit (a conflict)."""
    experts = [ExpertProfileFactory() for _ in range(6)]
    subjects = [ExternalSubjectFactory(unit=UnitFactory()) for _ in range(4)]
    e0 = experts[0].user
    e0.unit = subjects[0].unit
    e0.save()
    rnd = services.round_create(
        actor=staff, title="测试轮次", subjects=subjects, form=review_form, k=2, max_load=2
    )
    return rnd, subjects, experts


@pytest.fixture
def reviewing_round(staff, small_round):
    rnd, subjects, experts = small_round
    rnd = services.round_assign(actor=staff, round=rnd)
    services.round_transition(actor=staff, round=rnd, action="start")
    rnd.refresh_from_db()
    return rnd, subjects, experts


def first_assignment(rnd):
    return (
        Assignment.objects.filter(round=rnd, status="active")
        .select_related("review", "expert")
        .order_by("pk")
        .first()
    )
