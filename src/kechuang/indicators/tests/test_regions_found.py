"""The regions page finds a region by its Chinese or English name or its code, keeps the words in the box and
across pages, bounds them, and says so when nothing matches (found walking the demo: 47 regions, no way to
find one)."""

import pytest
from django.urls import reverse

from kechuang.indicators.models import Region
from kechuang.indicators.tests.factories import RegionFactory

pytestmark = pytest.mark.django_db


def test_a_region_is_found_by_its_name_english_name_or_code(client_for, staff):
    RegionFactory(code="zone-a1", name="甲试验区", name_en="Alpha zone")
    RegionFactory(code="zone-b2", name="乙试验区", name_en="Beta zone")
    c = client_for(staff)
    url = reverse("indicators:region-list")
    for q in ("甲试验", "alpha", "a1"):
        body = c.get(url, {"q": q}).content.decode()
        assert "<td>甲试验区</td>" in body and "<td>乙试验区</td>" not in body, q
        assert f'name="q" value="{q}"' in body
    body = c.get(url, {"q": "丙"}).content.decode()
    assert "没有名称或代码含“丙”的地区。" in body and "<td>甲试验区</td>" not in body
    assert "<td>乙试验区</td>" in c.get(url).content.decode()
    assert c.get(url, {"q": "甘" * 500}).context["q"] == "甘" * 100


def test_the_words_are_kept_in_the_pager_links(client_for, staff):
    Region.objects.bulk_create(Region(code=f"c{i:03}", name=f"测试市{i:03}", level="city") for i in range(55))
    body = client_for(staff).get(reverse("indicators:region-list"), {"q": "测试市"}).content.decode()
    assert "q=%E6%B5%8B%E8%AF%95%E5%B8%82&amp;page=2" in body
