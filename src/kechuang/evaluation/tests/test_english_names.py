"""An evaluation indicator's optional English name: staff give it beside the Chinese one (the node form, the API),
the standard trees carry one, English pages show it and fall back to the Chinese, and the expert scoring form a
campaign hands to review takes it as its criterion's English name."""

import pytest
from django.urls import reverse
from django.utils import translation

from kechuang.evaluation import services
from kechuang.evaluation.models import IndicatorNode
from kechuang.platforms.tests.factories import PlatformFactory
from kechuang.review.models import Criterion, ExpertProfile
from kechuang.review.tests.factories import ExpertProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(staff):
    c = services.campaign_create(actor=staff, name="2022年度省实验室评估", year=2022)
    services.tree_add_default(actor=staff, campaign=c)
    return c


def test_the_standard_tree_reads_in_either_language(campaign):
    patents = campaign.nodes.get(code="patents")
    assert (patents.name, patents.name_en, patents.local_name) == ("专利", "Patents", "专利")
    with translation.override("en"):
        assert patents.local_name == "Patents"
    assert not campaign.nodes.filter(name_en="").exists()


def test_the_campaign_page_names_indicators_in_the_page_language(client_for, staff, campaign, english):
    services.node_add(actor=staff, campaign=campaign, code="extra", name="自设指标", weight=1)
    client = client_for(staff)
    body = client.get(campaign.get_absolute_url()).content.decode()
    # the tree's rows (the audit trail below also lists each indicator's English name as it was given)
    assert "└ 专利<" in body and "└ Patents<" not in body
    english(client)
    body = client.get(campaign.get_absolute_url()).content.decode()
    assert "└ Patents<" in body and 'd0">Overall expert assessment<' in body
    assert 'd0">自设指标<' in body  # no English name given: the Chinese one


def test_staff_give_the_english_name_in_the_form_and_the_api(client_for, api_for, staff, campaign):
    r = client_for(staff).post(
        reverse("evaluation:node-add", args=[campaign.pk]),
        {"name": "平台运行", "name_en": "Operation", "weight": "5", "rule": "group"},
    )
    assert r.status_code == 302
    assert campaign.nodes.get(name="平台运行").name_en == "Operation"
    r = api_for(staff).post(
        f"/api/evaluation/campaigns/{campaign.pk}/nodes/",
        {"code": "open", "name": "开放", "name_en": "Openness", "weight": "1"},
        format="json",
    )
    assert r.status_code == 201 and (r.json()["name"], r.json()["name_en"]) == ("开放", "Openness")
    r = api_for(staff).post(
        f"/api/evaluation/campaigns/{campaign.pk}/nodes/",
        {"code": "plain", "name": "无英文", "weight": "1"},
        format="json",
    )
    assert r.status_code == 201 and r.json()["name_en"] == ""


def test_the_review_form_takes_the_indicators_english_name(staff, campaign):
    services.entries_set(actor=staff, campaign=campaign, platforms=[PlatformFactory()])
    services.campaign_transition(actor=staff, campaign=campaign, action="open")
    experts = [ExpertProfileFactory() for _ in range(2)]
    pool = ExpertProfile.objects.filter(pk__in=[e.pk for e in experts])
    rnd = services.campaign_review_start(actor=staff, campaign=campaign, k=1, experts=pool)
    criterion = Criterion.objects.get(form=rnd.form, code="expert")
    assert (criterion.name, criterion.name_en) == ("专家综合评价", "Overall expert assessment")


def test_the_migration_names_the_standard_nodes_of_older_campaigns(campaign):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("kechuang.evaluation.migrations.0005_node_english_name")
    IndicatorNode.objects.update(name_en="")
    migration.name_standard_nodes(apps, None)
    assert campaign.nodes.get(code="capacity").name_en == "Innovation capacity and team"
    assert not campaign.nodes.filter(name_en="").exists()
