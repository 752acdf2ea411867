"""A signed-in person's dashboard is read from the cache between two audited changes (issue #19): any
service's write gives the next visit fresh figures, other people never see one's own tasks, a new day
counts afresh, and the page says when a cached figure was counted."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kechuang.challenges.tests.factories import ChallengeFactory
from kechuang.core.audit import audit_record

pytestmark = pytest.mark.django_db


def _visit(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/dashboard/")
    assert response.status_code == 200
    return response, len(ctx.captured_queries)


def _open(response) -> str:
    return next(c.value for c in response.context["cards"] if str(c.title) == "正在发榜")


@pytest.fixture
def cached(settings):
    settings.KECHUANG_DASHBOARD_SECONDS = 600
    cache.clear()
    yield
    cache.clear()


def test_a_second_visit_is_one_cache_read_and_says_when_it_was_counted(cached, client_for, staff):
    ChallengeFactory(status="published")
    client = client_for(staff)
    first, n_first = _visit(client)
    assert first.context["counted_at"] is None and "统计于" not in first.content.decode()
    second, n_second = _visit(client)
    assert n_second < n_first
    assert n_second <= 6, n_second  # session, user, roles, unread notices, the audit trail's newest event
    assert second.context["counted_at"] is not None
    assert "统计于" in second.content.decode()
    assert [str(t.title) for t in second.context["tasks"]] == [str(t.title) for t in first.context["tasks"]]
    assert _open(second) == _open(first) == "1"


def test_any_audited_change_counts_afresh(cached, client_for, staff):
    ChallengeFactory(status="published")
    client = client_for(staff)
    assert _open(_visit(client)[0]) == "1"
    made = ChallengeFactory(status="published")
    # A factory writes no audit event, as no service would: the cached figure stands (the page says when)...
    response = _visit(client)[0]
    assert _open(response) == "1" and response.context["counted_at"] is not None
    # ...and the audit event a service writes with its change makes the next visit count afresh.
    audit_record(actor=staff, action="challenge.publish", obj=made)
    response = _visit(client)[0]
    assert _open(response) == "2" and response.context["counted_at"] is None


def test_each_person_has_their_own(cached, client_for, staff, applicant):
    ChallengeFactory(status="published")
    staff_client, applicant_client = client_for(staff), client_for(applicant)  # (signing in is audited)
    _visit(staff_client)
    assert _visit(staff_client)[0].context["counted_at"] is not None
    response = _visit(applicant_client)[0]
    assert response.context["counted_at"] is None  # not the staff member's cached copy
    keys = list(cache._cache)  # the tests' local-memory cache
    assert any(f"web:dashboard:{applicant.pk}:" in k for k in keys)
    assert any(f"web:dashboard:{staff.pk}:" in k for k in keys)


def test_a_new_day_counts_afresh(cached, client_for, staff, monkeypatch):
    client = client_for(staff)
    _visit(client)
    assert _visit(client)[0].context["counted_at"] is not None
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: tomorrow)
    assert _visit(client)[0].context["counted_at"] is None


def test_off_when_zero(settings, client_for, staff):
    settings.KECHUANG_DASHBOARD_SECONDS = 0
    client = client_for(staff)
    _visit(client)
    assert _visit(client)[0].context["counted_at"] is None
