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


@pytest.mark.django_db
def test_a_fragment_version_is_never_handed_out_twice_even_after_its_row_goes_back():
    """A restored backup (or a rolled-back test database) puts the version row back; the cache keeps what it
    had. The next step must not land on a number a fragment was cached under before."""
    import time

    from kechuang.core import counters
    from kechuang.core.models import Counter

    c = counters.registered()["platforms.version"]
    counters._next_version(c)
    first = Counter.objects.get(name=c.name, scope="").value
    counters._next_version(c)
    second = Counter.objects.get(name=c.name, scope="").value
    assert second > first
    Counter.objects.filter(name=c.name, scope="").update(value=first - 1)  # the row goes back
    time.sleep(0.002)
    counters._next_version(c)
    assert Counter.objects.get(name=c.name, scope="").value > second
