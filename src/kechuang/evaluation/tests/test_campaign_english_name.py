"""A campaign's optional English name (name_en): given on the new-campaign form, on the campaign page at any
status, through the API; English pages show it and fall back to the Chinese name (usable9)."""

import pytest
from django.urls import reverse
from django.utils import translation

from kechuang.core.models import AuditEvent
from kechuang.evaluation.models import Campaign

from .factories import CampaignFactory

pytestmark = pytest.mark.django_db


def test_the_name_follows_the_language_and_falls_back_to_the_chinese():
    named = CampaignFactory(name="省实验室评估", name_en="Provincial laboratory evaluation")
    bare = CampaignFactory(name="平台评估")
    assert (str(named), str(bare)) == ("省实验室评估", "平台评估")
    with translation.override("en"):
        assert (str(named), str(bare)) == ("Provincial laboratory evaluation", "平台评估")


def test_english_pages_show_it_and_staff_give_it_at_any_status(client_for, staff, english):
    c = CampaignFactory(name="省实验室评估", published=True)
    client = client_for(staff)
    r = client.post(
        reverse("evaluation:name-en", args=[c.pk]), {"name_en": "Provincial laboratory evaluation"}
    )
    assert r.status_code == 302
    c.refresh_from_db()
    assert c.name_en == "Provincial laboratory evaluation" and c.status == "published"
    assert AuditEvent.objects.get(action="campaign.name_translate").after == {"name_en": c.name_en}
    listed = english(client).get(reverse("evaluation:list")).content.decode()
    assert ">Provincial laboratory evaluation</a>" in listed and "省实验室评估</a>" not in listed
    page = client.get(c.get_absolute_url()).content.decode()
    assert "<h1>Provincial laboratory evaluation " in page and "<dd>省实验室评估</dd>" in page
    typed = "x" * 301  # refused: the page again with what was typed (400), nothing saved
    r = client.post(reverse("evaluation:name-en", args=[c.pk]), {"name_en": typed})
    assert r.status_code == 400 and f'value="{typed}"' in r.content.decode()
    assert Campaign.objects.get(pk=c.pk).name_en == "Provincial laboratory evaluation"


def test_the_new_campaign_form_and_the_api_take_it(client_for, staff, api_for, expert):
    r = client_for(staff).post(
        reverse("evaluation:create"),
        {"name": "新评估", "name_en": "New evaluation", "year": 2024, "grading": "thresholds"},
    )
    assert r.status_code == 302 and Campaign.objects.get(name="新评估").name_en == "New evaluation"
    r = api_for(staff).post(
        "/api/evaluation/campaigns/",
        {"name": "接口评估", "name_en": "API evaluation", "year": 2024},
        format="json",
    )
    assert r.status_code == 201 and r.json()["name_en"] == "API evaluation"
    c = Campaign.objects.get(name="接口评估")
    r = client_for(expert).post(reverse("evaluation:name-en", args=[c.pk]), {"name_en": "x"})
    assert r.status_code == 403 and Campaign.objects.get(pk=c.pk).name_en == "API evaluation"
