"""The demo evaluation runs on the whole demo province (accounts, platforms, review) and publishes
results that reproduce from their stored inputs."""

import io

import pytest

from kechuang.accounts import demo as accounts_demo
from kechuang.evaluation import demo, selectors, services
from kechuang.evaluation.models import Campaign, Score
from kechuang.platforms import demo as platforms_demo
from kechuang.review import demo as review_demo

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_demo_campaign_published_with_expert_scores():
    out = io.StringIO()
    accounts_demo.load()
    platforms_demo.load(stdout=out)
    review_demo.load(stdout=out)
    demo.load(stdout=out)
    c = Campaign.objects.get(name=demo.NAME)
    assert c.status == "published"
    results = list(selectors.results(campaign=c))
    assert len(results) == 10 and results[0].rank == 1
    assert not Score.objects.filter(entry__campaign=c, source="missing").exists(), out.getvalue()
    assert services.computation_verify(computation=selectors.latest_computation(campaign=c))
    demo.load(stdout=out)
    assert Campaign.objects.filter(name=demo.NAME).count() == 1
