"""A framework's version history names its sub-indices and indicators in the reader's language (walked,
session 31: the English page listed them in Chinese though each had an English name)."""

import pytest

from kechuang.core.roles import Role
from kechuang.indicators.tests.factories import FrameworkFactory, IndicatorFactory

pytestmark = pytest.mark.django_db


def test_the_version_page_names_the_tree_in_the_readers_language(make_user, client_for, english):
    fw = FrameworkFactory()
    fw.spec["nodes"][0]["name_en"] = "Part A"
    fw.versions.update(spec=fw.spec)
    IndicatorFactory(code="A.x", name_zh="万人发明专利拥有量", name_en="Invention patents per 10,000 people")
    client = client_for(make_user(Role.STAFF))
    url = f"/indicators/frameworks/{fw.pk}/versions/{fw.version}/"
    page = client.get(url).content.decode()
    assert "甲 › x" in page and "Part A" not in page
    english(client)
    page = client.get(url).content.decode()
    assert "Part A › Invention patents per 10,000 people" in page
    assert "Part A › y" in page  # not stored as an indicator: as the framework names it
    assert "甲 ›" not in page
