"""Indicators by their English names on English pages (walked, session 31, people28): the run analysis's tables
and charts named every indicator in Chinese, and the framework editor offered them in Chinese, on the English
pages, though each had an English name."""

import pytest
from django.utils import translation

from kechuang.core.roles import Role
from kechuang.indicators import selectors
from kechuang.indicators.tests.factories import FrameworkFactory, IndicatorFactory

pytestmark = pytest.mark.django_db


def test_the_analysis_names_indicators_in_the_readers_language():
    IndicatorFactory(code="A.x", name_zh="万人发明专利拥有量", name_en="Invention patents per 10,000 people")
    IndicatorFactory(code="A.y", name_zh="技术合同成交额", name_en="")
    with translation.override("zh-hans"):
        assert selectors.indicator_names(["A.x", "A.y"]) == {
            "A.x": "万人发明专利拥有量",
            "A.y": "技术合同成交额",
        }
    with translation.override("en"):
        assert selectors.indicator_names(["A.x", "A.y"]) == {
            "A.x": "Invention patents per 10,000 people",
            "A.y": "技术合同成交额",  # no English name: the Chinese, as entered
        }


def test_the_framework_editor_offers_indicators_by_their_english_names(make_user, client_for, english):
    fw = FrameworkFactory()
    IndicatorFactory(code="A.x", name_zh="万人发明专利拥有量", name_en="Invention patents per 10,000 people")
    client = client_for(make_user(Role.STAFF))
    page = client.get(f"/indicators/frameworks/{fw.pk}/edit/").content.decode()
    assert ">万人发明专利拥有量</option>" in page
    english(client)
    page = client.get(f"/indicators/frameworks/{fw.pk}/edit/").content.decode()
    assert ">Invention patents per 10,000 people</option>" in page and ">万人发明专利拥有量<" not in page
