"""core.queries.one: .get()'s answers without its LIMIT (the planner's fast-start search on wide joins, #19)."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kechuang.core.models import Job
from kechuang.core.queries import one


@pytest.fixture
def jobs(db):
    return [Job.objects.create(kind="core.selftest", title=t) for t in ("自检", "自检")]


def test_one_row_without_a_limit(jobs):
    with CaptureQueriesContext(connection) as ctx:
        assert one(Job.objects.filter(pk=jobs[0].pk)) == jobs[0]
    assert len(ctx.captured_queries) == 1 and "LIMIT" not in ctx.captured_queries[0]["sql"].upper()


def test_none_or_several_as_get_says_them(jobs):
    with pytest.raises(Job.DoesNotExist):
        one(Job.objects.filter(pk=uuid.uuid4()))
    with pytest.raises(Job.MultipleObjectsReturned):
        one(Job.objects.filter(title="自检"))


def test_compiled_rows_are_the_querysets_rows_for_each_value(db, django_user_model):
    """CompiledRows/CompiledOne (#19): the SQL built once, run with each value; the same rows, order,
    joined objects and annotations as the queryset; one()'s answers."""
    from django.db.models import F
    from django.db.models.sql.compiler import SQLCompiler

    from kechuang.core.models import Notification
    from kechuang.core.queries import CompiledOne, CompiledRows

    a, b = (django_user_model.objects.create(username=n, full_name=n) for n in ("甲", "乙"))
    for user, titles in ((a, ("一", "二", "三")), (b, ("四",))):
        for t in titles:
            Notification.objects.create(recipient=user, title=t, body="")

    def build(pk):
        return (
            Notification.objects.filter(recipient_id=pk)
            .select_related("recipient")
            .annotate(who=F("recipient__full_name"))
            .order_by("-title")
        )

    rows = CompiledRows(build)
    assert rows.rows(a.pk)  # compiled
    built = []
    original = SQLCompiler.as_sql
    SQLCompiler.as_sql = lambda self, *args, **kw: built.append(1) or original(self, *args, **kw)
    try:
        got = {u.pk: rows.rows(u.pk) for u in (a, b)}
    finally:
        SQLCompiler.as_sql = original
    assert built == []
    for u in (a, b):
        want = list(build(u.pk))
        assert [(n.pk, n.title, n.recipient.username, n.who) for n in got[u.pk]] == [
            (n.pk, n.title, n.recipient.username, n.who) for n in want
        ]
    only = CompiledOne(lambda pk: Notification.objects.select_related("recipient").filter(recipient_id=pk))
    assert only.get(b.pk).recipient == b
    with pytest.raises(Notification.MultipleObjectsReturned):
        only.get(a.pk)
    with pytest.raises(Notification.DoesNotExist):
        only.get(10**9)
