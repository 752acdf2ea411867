"""The API's challenge list is cached per query string under the challenges' version (issue #19): a second
request reads one counter row instead of the lists, and every write of a challenge, its indicators or its
topic shows at once; staff (drafts included) and everyone else have their own copies."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kechuang.challenges import services
from kechuang.challenges.models import ChallengeIndicator
from kechuang.challenges.services.needs import topic_update

from ..factories import ChallengeFactory

pytestmark = pytest.mark.django_db


def _titles(client, query=""):
    r = client.get("/api/challenges/" + query)
    assert r.status_code == 200, r.content
    return [c["title"] for c in r.json()["results"]]


def test_a_repeated_list_is_served_from_the_cache(api_for):
    ChallengeFactory(published=True, title="碳化硅单晶")
    anonymous = api_for(None)
    first = anonymous.get("/api/challenges/").json()
    with CaptureQueriesContext(connection) as ctx:
        again = anonymous.get("/api/challenges/").json()
    assert again == first and [c["title"] for c in first["results"]] == ["碳化硅单晶"]
    assert len(ctx.captured_queries) == 1, [q["sql"] for q in ctx.captured_queries]  # the counter row


def test_every_write_shows_at_once(api_for, staff):
    ch = ChallengeFactory(published=True, title="碳化硅单晶")
    anonymous = api_for(None)
    assert _titles(anonymous) == ["碳化硅单晶"]
    assert _titles(anonymous, "?status=published") == ["碳化硅单晶"]

    # a draft: staff see it, the public list does not change (their own copies)
    draft = services.challenge_create(
        actor=staff,
        code="JB-2026-900",
        year=2026,
        topic=ch.topic,
        title="量子精密测量",
        problem="问题",
        budget_ceiling=100,
        duration_months=12,
        max_active_per_leader=1,
        deadline=ch.deadline,
        criteria=ch.criteria,
        indicators=[{"name": "灵敏度", "unit": "pT", "baseline": 10, "target": 1}],
    )
    assert sorted(_titles(api_for(staff))) == ["碳化硅单晶", "量子精密测量"]
    assert _titles(anonymous) == ["碳化硅单晶"]

    # published through the service: in the public list (and its filtered copy) at once
    services.challenge_publish(actor=staff, challenge=draft)
    assert sorted(_titles(anonymous)) == ["碳化硅单晶", "量子精密测量"]
    assert sorted(_titles(anonymous, "?status=published")) == ["碳化硅单晶", "量子精密测量"]

    # an indicator and the topic (topic_title, track) are in the rows too
    ind = ChallengeIndicator.objects.filter(challenge=ch).order_by("seq", "pk").first()
    ind.name = "晶圆直径（新）"
    ind.save()
    row = next(c for c in anonymous.get("/api/challenges/").json()["results"] if c["id"] == ch.pk)
    assert "晶圆直径（新）" in [i["name"] for i in row["indicators"]]
    topic_update(actor=staff, topic=ch.topic, title="第三代半导体")
    row = next(c for c in anonymous.get("/api/challenges/").json()["results"] if c["id"] == ch.pk)
    assert row["topic_title"] == "第三代半导体"


def test_a_bad_filter_is_refused_every_time(api_for):
    ChallengeFactory(published=True)
    anonymous = api_for(None)
    for _ in range(2):
        assert anonymous.get("/api/challenges/?status=nonsense").status_code == 400
        assert anonymous.get("/api/challenges/?page=99").status_code == 404
