"""campaign_collect reads and writes in bulk: the same number of queries for 2 labs or 10, with 2
report indicators or 4, on first collection (scores created) and on re-collection (scores updated), with
the same values as collecting one entry at a time."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kechuang.accounts.tests.factories import UnitFactory, UserFactory
from kechuang.core.models import Notification
from kechuang.evaluation import services
from kechuang.evaluation.models import Score
from kechuang.platforms.models import Operator
from kechuang.platforms.tests.factories import PlatformFactory, YearlyReportFactory
from kechuang.review import services as review_services
from kechuang.review.models import Assignment, ExpertProfile
from kechuang.review.tests.factories import ExpertProfileFactory

pytestmark = pytest.mark.django_db

FIELDS = ["staff", "doctorates", "projects", "papers"]


def _campaign(staff, *, labs: int, report_leaves: int):
    platforms = [PlatformFactory(host=UnitFactory()) for _ in range(labs)]
    for p in platforms:
        Operator.objects.create(platform=p, user=UserFactory(unit=p.host))
    # Every other lab has its accepted report of the campaign's year; the rest have none (missing).
    for i, p in enumerate(platforms):
        if i % 2 == 0:
            YearlyReportFactory(platform=p, year=2022, staff=10 + i, doctorates=i, accepted=True)
    c = services.campaign_create(actor=staff, name=f"评估{labs}", year=2022)
    for field in FIELDS[:report_leaves]:
        services.node_add(
            actor=staff,
            campaign=c,
            code=field,
            name=field,
            weight=1,
            rule="linear",
            source=field,
            params={"min": 0, "max": 100},
        )
    services.node_add(
        actor=staff, campaign=c, code="expert", name="专家", weight=1, rule="expert", params={"max": 100}
    )
    services.entries_set(actor=staff, campaign=c, platforms=platforms)
    services.campaign_transition(actor=staff, campaign=c, action="open")
    experts = [ExpertProfileFactory() for _ in range(2)]
    pool = ExpertProfile.objects.filter(pk__in=[e.pk for e in experts])
    rnd = services.campaign_review_start(actor=staff, campaign=c, k=1, experts=pool)
    review_services.round_assign(actor=staff, round=rnd)
    review_services.round_transition(actor=staff, round=rnd, action="start")
    # The first lab's review stays unsubmitted: its expert value is missing.
    first = c.entries.order_by("pk").first()
    for a in Assignment.objects.filter(round=rnd, status="active").select_related("review", "subject"):
        if a.subject.object_id == first.pk:
            continue
        r = review_services.review_open(actor=a.expert, review=a.review)
        r = review_services.review_save(
            actor=a.expert,
            review=r,
            expected_version=r.version,
            scores={"expert": 50 + a.subject.object_id % 40},
            comments="意见",
            opinion="意见",
            recommendation="support",
        )
        review_services.review_submit(actor=a.expert, review=r)
    return c


def _collect_queries(staff, c) -> int:
    with CaptureQueriesContext(connection) as ctx:
        services.campaign_collect(actor=staff, campaign=c)
    return len(ctx.captured_queries)


def test_collect_query_count_does_not_grow_with_labs_or_indicators(staff):
    small = _campaign(staff, labs=2, report_leaves=2)
    big = _campaign(staff, labs=10, report_leaves=4)
    first = (_collect_queries(staff, small), _collect_queries(staff, big))
    again = (_collect_queries(staff, small), _collect_queries(staff, big))
    assert first[0] == first[1] and again[0] == again[1], (first, again)
    # 12 before the audit trail was hash-chained: each appended event now also reads and moves the chain's
    # head (2 queries on SQLite, 3 on PostgreSQL), and the guards read the campaign's facts once.
    assert max(*first, *again) <= 18, (first, again)
    assert Score.objects.filter(entry__campaign=big).count() == 10 * 5


def test_collect_stores_what_each_entry_reads(staff):
    c = _campaign(staff, labs=4, report_leaves=2)
    counts = services.campaign_collect(actor=staff, campaign=c)
    # 4 labs × 3 leaves: reports for labs 0 and 2 (2 leaves each), experts for labs 1–3.
    assert counts == {"report": 4, "expert": 3, "missing": 5}
    entries = list(c.entries.order_by("pk").select_related("platform"))
    got = {(s.entry_id, s.node.code): (s.value, s.source) for s in Score.objects.select_related("node")}
    for i, e in enumerate(entries):
        if i % 2 == 0:
            assert got[(e.pk, "staff")] == (10 + i, "report")
            assert got[(e.pk, "doctorates")] == (i, "report")
        else:
            assert got[(e.pk, "staff")] == (None, "missing")
        expected = (None, "missing") if i == 0 else (50 + e.pk % 40, "expert")
        assert got[(e.pk, "expert")] == expected
    # Re-collecting after a report is withdrawn updates the stored rows in place.
    entries[0].platform.reports.all().delete()
    services.campaign_collect(actor=staff, campaign=c)
    s = Score.objects.get(entry=entries[0], node__code="staff")
    assert (s.value, s.source, s.note) == (None, "missing", "2022 年度报告未接收")
    assert Score.objects.filter(entry__campaign=c).count() == 12


def test_compute_and_publish_query_counts_do_not_grow_with_labs(staff):
    counts = []
    for labs in (2, 6):
        c = _campaign(staff, labs=labs, report_leaves=1)
        services.campaign_collect(actor=staff, campaign=c)
        with CaptureQueriesContext(connection) as compute:
            services.campaign_compute(actor=staff, campaign=c)
        with CaptureQueriesContext(connection) as publish:  # the first lab has no report: graded on zero
            services.campaign_transition(
                actor=staff, campaign=c, action="publish", missing=services.MISSING_GRADE
            )
        counts.append((len(compute.captured_queries), len(publish.captured_queries)))
        # Every lab's operator is told.
        assert (
            Notification.objects.filter(kind="evaluation.published", url=c.get_absolute_url()).count() == labs
        )
    assert counts[0] == counts[1], counts
