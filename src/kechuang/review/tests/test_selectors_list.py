"""The expert pool list sums credits and counts assignments per row, not by a GROUP BY over every row."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kechuang.review import selectors
from kechuang.review.models import ExpertCredit

pytestmark = pytest.mark.django_db


def test_expert_list_totals_per_row_and_a_plain_count(staff, reviewing_round):
    rnd, _subjects, experts = reviewing_round
    busy = experts[1]
    ExpertCredit.objects.create(profile=busy, kind="late", points=-2, note="迟交")
    ExpertCredit.objects.create(profile=busy, kind="late", points=-1, note="迟交")
    rows = {p.pk: p for p in selectors.expert_list()}
    assert rows[busy.pk].credit == -3
    assert rows[experts[2].pk].credit is None
    for p in experts:
        assert rows[p.pk].n_assign == p.user.review_assignments.count()
    assert sum(rows[p.pk].n_assign for p in experts) == rnd.assignments.count() > 0
    with CaptureQueriesContext(connection) as ctx:
        selectors.expert_list(q="用户").count()
    assert "GROUP BY" not in ctx.captured_queries[0]["sql"].upper()
