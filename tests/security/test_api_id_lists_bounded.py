"""A list of ids an API call sends is bounded (docs/security.md §39): at most `core.limits.IDS_MAX` (10,000).

Each list went into one `pk__in` query as sent, bounded only by the 1 MB body (about 170,000 distinct ids): past the
bound variables SQLite takes (32,766 as SQLite builds by default; 250,000 in Debian's build) the query failed — a
500 and a logged traceback for any signed-in person marking notifications read, and on staff's decision,
shortlist, invitation and evaluation calls. Now a
longer list is a 400 naming the field, in the caller's language, before anything is read or written; the walker
fails on any future writable list of ids without a bound."""

import json

import pytest
from django.urls import reverse
from rest_framework import serializers

from kechuang.core.limits import IDS_MAX
from kechuang.core.models import AuditEvent
from kechuang.core.roles import Role

from .test_api_serializers_bounded import _constructed_serializers, _request_serializers

TOO_MANY = list(range(1, 40_001))  # distinct (Django drops repeated values from an IN list): 230 KB of JSON


@pytest.fixture
def sqlite_default_bound(db):
    """SQLite as built by default takes 32,766 bound variables; Debian's build here takes 250,000, more than the
    distinct ids a 1 MB body can carry. The test holds its connection at SQLite's own default."""
    import sqlite3

    from django.db import connection

    if connection.vendor != "sqlite":
        yield
        return
    connection.ensure_connection()
    raw = connection.connection
    before = raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    raw.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 32_766)
    yield
    raw.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, before)


def _id_lists(field, path, out):
    if getattr(field, "read_only", False):
        return
    if isinstance(field, serializers.ListField):
        if isinstance(field.child, serializers.IntegerField) and field.max_length is None:
            out.append(path)
        _id_lists(field.child, f"{path}[]", out)
    elif isinstance(field, serializers.Serializer):
        for name, sub in field.fields.items():
            _id_lists(sub, f"{path}.{name}", out)


def test_every_writable_list_of_ids_is_bounded():
    out: list[str] = []
    for name, ser, _where in [*_request_serializers(), *_constructed_serializers()]:
        _id_lists(ser, name, out)
    assert not sorted(set(out)), "lists of ids without max_length (core.api.id_list)"


@pytest.mark.django_db
def test_marking_notifications_read_refuses_too_many_ids(client_for, make_user, sqlite_default_bound):
    from kechuang.core.models import Notification

    user = make_user(Role.APPLICANT)
    note = Notification.objects.create(recipient=user, title="通知", body="正文")
    c = client_for(user)
    url = reverse("api:notification-read")
    r = c.post(url, json.dumps({"ids": TOO_MANY}), content_type="application/json")
    assert r.status_code == 400, r.status_code
    assert str(IDS_MAX) in r.json()["error"]["fields"]["ids"][0]
    note.refresh_from_db()
    assert note.read_at is None
    ok = c.post(url, json.dumps({"ids": [note.pk]}), content_type="application/json")
    assert ok.status_code == 200 and ok.json() == {"marked": 1}


@pytest.mark.django_db
def test_a_staff_call_refuses_too_many_ids(client_for, staff, sqlite_default_bound):
    from kechuang.challenges.tests.factories import ChallengeFactory

    ch = ChallengeFactory()
    c = client_for(staff)  # signing in is audited: counted after it
    events = AuditEvent.objects.count()
    r = c.post(
        reverse("api:challenges-challenge-decision", args=[ch.pk]),
        json.dumps({"winners": TOO_MANY}),
        content_type="application/json",
    )
    assert r.status_code == 400, r.status_code
    assert "winners" in r.json()["error"]["fields"]
    assert AuditEvent.objects.count() == events
