"""core.counts.count_many gives each queryset's own count in one query, filters and joins included."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kechuang.accounts.models import Unit, User
from kechuang.accounts.tests.factories import UnitFactory
from kechuang.core.counts import count_many

pytestmark = pytest.mark.django_db


def test_count_many_matches_count_in_one_query(make_user):
    a = UnitFactory(name="甲单位", city="测试市甲")
    UnitFactory(name="乙单位", city="测试市乙")
    make_user(username="u1", unit=a)
    make_user(username="u2")
    querysets = {
        "units": Unit.objects.all(),
        "taiyuan": Unit.objects.filter(city="测试市甲"),
        "joined": User.objects.filter(unit__city="测试市甲"),
        "none": Unit.objects.filter(name="无"),
        "sliced_order": Unit.objects.order_by("-name"),
    }
    expected = {k: qs.count() for k, qs in querysets.items()}
    with CaptureQueriesContext(connection) as ctx:
        got = count_many(**querysets)
    assert got == expected and len(ctx.captured_queries) == 1, ctx.captured_queries
    assert expected["taiyuan"] == 1 and expected["joined"] == 1 and expected["none"] == 0
    assert count_many() == {}
