"""The demo evaluation runs on the whole demo province (accounts, platforms, review) and publishes
results that reproduce from their stored inputs."""

import io

import pytest

from kechuang.core import dbtemplate
from kechuang.evaluation import demo, selectors, services
from kechuang.evaluation.models import Campaign, Score

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture(scope="module")
def demo_province(django_db_setup, django_db_blocker):
    """The whole demo province as `kechuang demo` loads it, evaluation's part in its place among the others
    (dbtemplate.demo_load: the run's demo template, else the command run here), and what the command printed;
    taken away after the module. This test loaded accounts', platforms', review's and evaluation's parts itself
    (about 25 s of CPU, every run) — the same loaders the template's load runs, in the same order, with
    challenges' and integrity's parts between them as on a real demonstration site."""
    with django_db_blocker.unblock():
        yield dbtemplate.demo_load()
        dbtemplate.demo_unload()


def test_demo_campaign_published_with_expert_scores(demo_province):
    c = Campaign.objects.get(name=demo.NAME)
    assert c.status == "published"
    results = list(selectors.results(campaign=c))
    assert len(results) == 10 and results[0].rank == 1
    assert not Score.objects.filter(entry__campaign=c, source="missing").exists(), demo_province
    assert services.computation_verify(computation=selectors.latest_computation(campaign=c))
    out = io.StringIO()
    demo.load(stdout=out)
    assert Campaign.objects.filter(name=demo.NAME).count() == 1, out.getvalue()
