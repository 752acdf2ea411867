"""The public's dashboard cards (anonymous home page) are read once per KECHUANG_PUBLIC_CARDS_SECONDS and
language; signed-in users' cards are always fresh."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kechuang.challenges.tests.factories import ChallengeFactory

pytestmark = pytest.mark.django_db


def _queries(client, url="/"):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _open(response) -> str:
    return next(
        c.value
        for c in response.context["cards"]
        if str(c.title) in ("正在发榜", "Challenges currently open")
    )


def test_public_cards_are_cached_and_signed_in_cards_are_not(client, client_for, staff, settings):
    settings.KECHUANG_PUBLIC_CARDS_SECONDS = 60
    cache.clear()
    ChallengeFactory(status="published")
    first = _queries(client)
    second = _queries(client)
    assert second < first  # the cards' counts come from the cache
    ChallengeFactory(status="published")
    assert _open(client.get("/")) == "1"  # at most a minute old, by design
    staff_client = client_for(staff)
    # Never stale: their counts are counter rows the writes keep, their fragments (the platforms' cards) are
    # cached under a version the writes step (core.counters, #19), never for a time.
    first_visit = _queries(staff_client, "/dashboard/")
    assert _queries(staff_client, "/dashboard/") <= first_visit
    assert _open(staff_client.get("/dashboard/")) == "2"
    ChallengeFactory(status="published")
    assert _open(staff_client.get("/dashboard/")) == "3"
    # kept per language
    from django.utils import translation

    from kechuang.core.ui import cards_for

    with translation.override("en"):
        assert "Challenges currently open" in [str(c.title) for c in cards_for(None)]
    assert cache.get("web:public-cards:zh-hans") is not None and cache.get("web:public-cards:en") is not None
    settings.KECHUANG_PUBLIC_CARDS_SECONDS = 0
    assert _open(client.get("/")) == "3"
    cache.clear()
