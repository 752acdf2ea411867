"""A platform's city is picked like a unit's (core.pickers.CityField): from the prefecture-level divisions of
its province, stored as the division's Chinese name, shown in the reader's language; the migration maps the
usual forms."""

import importlib
import re

import pytest
from django.apps import apps
from django.urls import reverse

from kechuang.platforms.models import Platform
from kechuang.platforms.tests.factories import PlatformFactory

pytestmark = pytest.mark.django_db


def test_the_platform_form_picks_the_city_and_the_pages_name_it(client_for, staff, english):
    p = PlatformFactory(province="620000", city="兰州")
    c = client_for(staff)
    page = c.get(reverse("platforms:edit", args=[p.pk])).content.decode()
    select = re.search(r'<select name="city"([^>]*)>(.*?)</select>', page, re.S)
    assert 'data-narrow-by="province"' in select.group(1) and '<optgroup label="甘肃省">' in select.group(2)
    english(c)
    assert "Gansu Lanzhou" in c.get(p.get_absolute_url()).content.decode()


def test_the_migration_maps_the_usual_forms_and_keeps_the_rest():
    migration = importlib.import_module("kechuang.platforms.migrations.0007_platform_city_names")
    p1, p2 = PlatformFactory(), PlatformFactory()
    Platform.objects.filter(pk=p1.pk).update(province="140000", city="太原")
    Platform.objects.filter(pk=p2.pk).update(province="140000", city="某园区")
    migration.to_names(apps, None)
    assert Platform.objects.get(pk=p1.pk).city == "太原市" and Platform.objects.get(pk=p2.pk).city == "某园区"


def test_the_list_filters_by_a_list_of_the_cities_that_occur(client, staff):
    """The list's city filter was a text box: it is a searchable list of the cities that occur, by name,
    grouped by province and narrowed by the province chosen; an old link's typed city still filters."""
    taiyuan = PlatformFactory(province="140000", city="太原市", published=True)
    lanzhou = PlatformFactory(province="620000", city="兰州市", published=True)
    odd = PlatformFactory(province="140000", city="太原市", published=True)
    Platform.objects.filter(pk=odd.pk).update(city="某开发区")  # from before the list
    client.force_login(staff)
    page = client.get(reverse("platforms:list")).content.decode()
    select = re.search(r'<select name="city"([^>]*)>(.*?)</select>', page, re.S)
    assert 'data-narrow-by="province"' in select.group(1)
    options = select.group(2)
    assert '<optgroup label="山西省">' in options and '<option value="兰州市">兰州市</option>' in options
    assert "晋中市" not in options and "某开发区（未识别的城市，请更正）" in options
    for city in ("兰州市", "Lanzhou", "兰州"):
        r = client.get(reverse("platforms:list"), {"city": city})
        body = r.content.decode()
        assert r.status_code == 200 and '<option value="兰州市" selected>' in body
        assert lanzhou.name in body and taiyuan.name not in body and odd.name not in body


def test_the_city_filter_offers_only_the_cities_of_platforms_the_visitor_may_see(client, staff):
    """An anonymous visitor's city list named the cities of platforms not yet published (walker7, session 17):
    it is made of the platforms the person may see."""
    PlatformFactory(province="140000", city="太原市", published=True)
    PlatformFactory(province="620000", city="兰州市", published=False)

    def cities():
        page = client.get(reverse("platforms:list")).content.decode()
        return re.search(r'<select name="city"([^>]*)>(.*?)</select>', page, re.S).group(2)

    anonymous = cities()
    assert "太原市" in anonymous and "兰州市" not in anonymous
    client.force_login(staff)
    assert "兰州市" in cities()
