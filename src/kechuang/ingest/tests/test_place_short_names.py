"""A report's region and its facts' places read in the reader's language when written by a province's short
name (walked, session 34, people35: the English document page read "Year / region: — / 甘肃" — the report
wrote 甘肃, the regions list holds 甘肃省 with its English name)."""

import pytest
from django.utils import translation

from kechuang.indicators.tests.factories import RegionFactory
from kechuang.ingest.selectors import places_shown

from .factories import DocumentFactory

pytestmark = pytest.mark.django_db


def test_a_short_province_name_reads_in_english(staff, client_for, english_client_for):
    RegionFactory(name="甘肃省", name_en="Gansu", code="620000")
    document = DocumentFactory(region="甘肃")
    en = english_client_for(staff).get(document.get_absolute_url()).content.decode()
    assert "/ Gansu</dd>" in en and "/ 甘肃</dd>" not in en
    assert "/ 甘肃</dd>" in client_for(staff).get(document.get_absolute_url()).content.decode()
    with translation.override("en"):
        # a province the regions list does not hold: the divisions' English name; a made-up place as written
        assert places_shown(["甘肃、陕西", "甲省"]) == {"甘肃、陕西": "Gansu, Shaanxi", "甲省": "甲省"}
    with translation.override("zh-hans"):
        assert places_shown(["甘肃"]) == {"甘肃": "甘肃"}
