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
