"""Keyset pages of the audit trail: every event exactly once, in order, forwards and back, with ties."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kechuang.core.models import AuditEvent
from kechuang.core.pagination import keyset_page

pytestmark = pytest.mark.django_db


def _events(n: int) -> list[int]:
    """n events whose timestamps tie in threes (bulk loads and one-transaction services write equal `at`)."""
    base = timezone.now()
    AuditEvent.objects.bulk_create(
        AuditEvent(action=f"test.e{i}", at=base - datetime.timedelta(seconds=i // 3)) for i in range(n)
    )
    return list(AuditEvent.objects.order_by("-at", "-id").values_list("pk", flat=True))


def test_walking_forwards_and_back_visits_every_event_once_in_order():
    expected = _events(47)
    seen, pages, after = [], [], None
    while True:
        page = keyset_page(AuditEvent.objects.all(), field="at", size=10, after=after)
        pages.append(page)
        seen += [e.pk for e in page]
        if not page.has_next:
            break
        after = page.next_cursor
    assert seen == expected
    assert [len(p) for p in pages] == [10, 10, 10, 10, 7]
    assert not pages[0].has_previous and pages[-1].has_previous

    back, before = [], pages[-1].previous_cursor
    while before:
        page = keyset_page(AuditEvent.objects.all(), field="at", size=10, before=before)
        back = [e.pk for e in page] + back
        before = page.previous_cursor if page.has_previous else None
    assert back == expected[:40]


def test_a_page_reads_a_bounded_range_without_counting():
    ids = _events(30)
    with CaptureQueriesContext(connection) as ctx:
        page = keyset_page(AuditEvent.objects.all(), field="at", size=10, after=ids[9])
        assert [e.pk for e in page] == ids[10:20]
    sql = " ".join(q["sql"].upper() for q in ctx.captured_queries)
    assert len(ctx.captured_queries) == 2  # the cursor row, the page
    assert "COUNT(" not in sql and "OFFSET" not in sql and "LIMIT 11" in sql


@pytest.mark.parametrize("cursor", ["", "abc", "-5", "99999999", "9" * 40])
def test_a_bad_or_unknown_cursor_gives_the_first_page(cursor):
    ids = _events(15)
    for kw in ({"after": cursor}, {"before": cursor}):
        page = keyset_page(AuditEvent.objects.all(), field="at", size=10, **kw)
        assert [e.pk for e in page] == ids[:10] and page.has_next and not page.has_previous


def test_audit_log_page_links_follow_the_cursor(client_for, staff):
    ids = _events(250)
    client = client_for(staff)
    first = client.get("/jobs/audit/?action=test")
    assert first.status_code == 200
    assert f"after={ids[99]}" in first.content.decode() and "before=" not in first.content.decode()
    second = client.get(f"/jobs/audit/?action=test&after={ids[99]}")
    body = second.content.decode()
    assert f"test.e{0}" not in body
    assert f"after={ids[199]}" in body and f"before={ids[100]}" in body
    assert client.get("/jobs/audit/?after=junk").status_code == 200


def test_api_audit_list_pages_by_cursor(api_for, staff):
    ids = _events(120)
    api = api_for(staff)
    seen, url = [], "/api/audit/?action=&page_size=50"
    while url:
        data = api.get(url).json()
        assert "count" not in data
        seen += [row["id"] for row in data["results"]]
        url = data["next"]
    assert seen == ids
