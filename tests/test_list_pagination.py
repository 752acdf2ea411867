"""Every list page shows a bounded page whatever the size of its table, and `?page_size=` cannot widen it.

Each list below had no pagination (or a fixed cap with no way to older rows) and rendered its whole table;
at national size the topic list held 2,400 rows, the round list 1,457 and a round's page 1.8 MB. Each case
makes one page and one row more, renders the first page as staff (also with `?page_size=100000`) and
counts the rows by a marker unique to this test's rows, then checks the last row is on the next page.
"""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from kechuang.challenges.models import Publicity
from kechuang.challenges.tests.factories import ChallengeFactory, TopicFactory
from kechuang.core.models import Job, Notification
from kechuang.core.roles import Role
from kechuang.evaluation.tests.factories import CampaignFactory
from kechuang.review.models import ExternalSubject, Round, RoundSubject
from kechuang.review.tests.factories import ReviewFormFactory

pytestmark = pytest.mark.django_db

MARK = "分页行"


def _topics(n, staff):
    for i in range(n):
        TopicFactory(title=f"{MARK}{i:03d}")
    return reverse("challenges:topic-list"), "page"


def _rounds(n, staff):
    form = ReviewFormFactory()
    ct = ContentType.objects.get_for_model(ExternalSubject)
    Round.objects.bulk_create([Round(title=f"{MARK}{i:03d}", form=form, subject_type=ct) for i in range(n)])
    return reverse("review:round-list"), "page"


def _round_subjects(n, staff):
    ct = ContentType.objects.get_for_model(ExternalSubject)
    rnd = Round.objects.create(title="轮次", form=ReviewFormFactory(), subject_type=ct)
    RoundSubject.objects.bulk_create(
        [
            RoundSubject(round=rnd, content_type=ct, object_id=i + 1, title=f"{MARK}{i:03d}", order=i)
            for i in range(n)
        ]
    )
    return rnd.get_absolute_url(), "page"


def _awards(n, staff):
    start = datetime.date(2026, 1, 1)
    for i in range(n):
        c = ChallengeFactory(title=f"{MARK}{i:03d}")
        Publicity.objects.create(challenge=c, starts_on=start, ends_on=start + datetime.timedelta(days=7))
    return reverse("challenges:awards"), "page"


def _campaigns(n, staff):
    for i in range(n):
        CampaignFactory(name=f"{MARK}{i:03d}")
    return reverse("evaluation:list"), "page"


def _jobs(n, staff):
    Job.objects.bulk_create([Job(kind="test", title=f"{MARK}{i:03d}", started_by=staff) for i in range(n)])
    return reverse("core:job-list"), "page"


def _notifications(n, staff):
    Notification.objects.bulk_create(
        [Notification(recipient=staff, title=f"{MARK}{i:03d}") for i in range(n)]
    )
    return reverse("web:notifications"), "after"


@pytest.mark.parametrize(
    "make,size",
    [
        (_topics, 50),
        (_rounds, 50),
        (_round_subjects, 50),
        (_awards, 30),
        (_campaigns, 50),
        (_jobs, 50),
        (_notifications, 50),
    ],
    ids=["topics", "rounds", "round-subjects", "awards", "campaigns", "jobs", "notifications"],
)
def test_list_page_is_bounded(make, size, make_user, client_for):
    staff = make_user(Role.STAFF)
    url, next_param = make(size + 1, staff)
    client = client_for(staff)
    for query in ("", "?page_size=100000"):
        r = client.get(url + query)
        assert r.status_code == 200
        assert r.content.decode().count(MARK) == size, query
    page = r.context["page"]
    assert page.has_next
    if next_param == "page":
        nxt = client.get(f"{url}?page=2")
    else:
        nxt = client.get(f"{url}?after={page.next_cursor}")
    assert nxt.content.decode().count(MARK) == 1
