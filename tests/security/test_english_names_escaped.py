"""The English names session 23 added are escaped wherever an English page draws them (docs/security.md §31,
checked sound): in HTML, in the JSON a chart reads (json_script) and in a script's string (escapejs).

Staff write them (core.services.english_name_set), but a name is data: one holding markup or closing the
script it is drawn in must come out as text."""

import json

import pytest
from django.urls import reverse

from kechuang.challenges.tests.factories import ChallengeFactory
from kechuang.evaluation.tests.factories import CampaignFactory
from kechuang.indicators.tests.factories import IndicatorFactory, RegionFactory, ValueFactory

pytestmark = pytest.mark.django_db

MARKUP = '<img src=x onerror="alert(1)">'
CLOSER = "</script><script>alert(1)</script>\"';"


def _clean(page, *payloads):
    assert page.status_code == 200
    text = page.content.decode()
    for payload in payloads:
        assert payload not in text, payload
    return text


def test_a_challenges_english_title_is_text_on_its_list_and_page(staff, english_client_for):
    ch = ChallengeFactory(published=True, title_en=MARKUP + CLOSER)
    client = english_client_for(staff)
    for url in (reverse("challenges:challenge-list"), ch.get_absolute_url()):
        text = _clean(client.get(url), MARKUP, "</script><script>")
        assert "&lt;img src=x" in text


def test_a_campaigns_english_name_is_text(staff, english_client_for):
    campaign = CampaignFactory(name_en=MARKUP + CLOSER)
    text = _clean(english_client_for(staff).get(reverse("evaluation:detail", args=[campaign.pk])), MARKUP)
    assert "&lt;img src=x" in text


def test_an_indicators_english_name_and_unit_are_text_in_its_chart(staff, english_client_for):
    indicator = IndicatorFactory(public=True, name_en=MARKUP, unit_en=CLOSER[:40])
    region = RegionFactory()
    for year in (2023, 2024):
        ValueFactory(indicator=indicator, region=region, year=year)
    page = english_client_for(staff).get(reverse("indicators:indicator-detail", args=[indicator.code]))
    text = _clean(page, MARKUP, "</script><script>")
    # the trend's data reads back as the names were stored
    start = text.index('id="trend-data"')
    data = text[text.index(">", start) + 1 : text.index("</script>", start)]
    json.loads(data)
