"""A list's timeline promises only the stages it runs: the racing down-select (赛马制择优) is on a racing list's
timeline (several winners) and not on a single-winner list's, though both run on the seeded 揭榜挂帅 version that
has the stage (walker: a single-winner list read 赛马制择优 among its stages)."""

import pytest
from django.urls import reverse

from kechuang.challenges import programme
from kechuang.challenges.tests.factories import ChallengeFactory

pytestmark = pytest.mark.django_db


def test_only_a_racing_list_shows_the_racing_down_select(client):
    single = ChallengeFactory(status="published")
    racing = ChallengeFactory(status="published", racing=True)
    assert "racing" in single.stage_kinds and "racing" in racing.stage_kinds  # one version, with the stage
    assert "赛马制择优" not in [r["kind_label"] for r in programme.schedule_rows(single)]
    assert "赛马制择优" in [r["kind_label"] for r in programme.schedule_rows(racing)]
    assert (
        "赛马制择优"
        not in client.get(reverse("challenges:challenge-detail", args=[single.pk])).content.decode()
    )
    assert (
        "赛马制择优" in client.get(reverse("challenges:challenge-detail", args=[racing.pk])).content.decode()
    )
