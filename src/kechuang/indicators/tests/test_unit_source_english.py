"""An indicator's unit and source in the reader's language (Indicator.unit_en / source_en): staff give them beside
the Chinese ones; English pages show them and fall back to the Chinese; Chinese pages always show the Chinese;
the demo's indicators carry them (they showed 亿元 and 省统计局 in the English interface; usable10)."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from kechuang.core.models import AuditEvent
from kechuang.indicators.models import Indicator
from kechuang.indicators.tests.factories import IndicatorFactory

pytestmark = pytest.mark.django_db


def _in(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def test_the_unit_and_the_source_follow_the_language():
    gdp = IndicatorFactory(
        unit="亿元", unit_en="100 million yuan", source="省统计局", source_en="Statistics bureau"
    )
    bare = IndicatorFactory(unit="件", source="自行统计")
    odd = IndicatorFactory(unit="当量单位")
    with translation.override("en"):
        assert (gdp.local_unit, gdp.source_text) == ("100 million yuan", "Statistics bureau")
        # no English typed: the shared table's (core.units), else the Chinese
        assert (bare.local_unit, bare.source_text) == ("items", "自行统计")
        assert odd.local_unit == "当量单位"
    with translation.override("zh-hans"):
        assert (gdp.local_unit, gdp.source_text) == ("亿元", "省统计局")


@pytest.mark.parametrize(
    ("language", "unit", "source"),
    [("zh-hans", "亿元", "省统计局"), ("en", "100 million yuan", "Statistics bureau")],
)
def test_the_list_and_the_page_show_them_in_the_readers_language(client_for, staff, language, unit, source):
    gdp = IndicatorFactory(
        code="GDP", unit="亿元", unit_en="100 million yuan", source="省统计局", source_en="Statistics bureau"
    )
    client = _in(client_for(staff), language)
    listed = client.get(reverse("indicators:indicator-list")).content.decode()
    assert f"<td>{unit}</td>" in listed and f"<td>{source}</td>" in listed
    page = client.get(gdp.get_absolute_url()).content.decode()
    assert f"<dd>{unit}</dd>" in page and f"<dd>{source}</dd>" in page


def test_staff_give_them_on_the_indicators_form(client_for, staff):
    ind = IndicatorFactory(code="GDP", name_zh="地区生产总值", unit="亿元", source="省统计局")
    client = client_for(staff)
    url = reverse("indicators:indicator-edit", args=[ind.code])
    page = client.get(url).content.decode()
    assert 'name="unit_en"' in page and 'name="source_en"' in page
    r = client.post(
        url,
        {
            "name_zh": "地区生产总值",
            "unit": "亿元",
            "unit_en": "100 million yuan",
            "direction": "higher",
            "source": "省统计局",
            "source_en": "Provincial statistics bureau",
            "version": ind.version,
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    ind = Indicator.objects.get(pk=ind.pk)
    assert (ind.unit_en, ind.source_en) == ("100 million yuan", "Provincial statistics bureau")
    event = AuditEvent.objects.filter(action="indicator.update").latest("id")
    assert event.after == {"unit_en": "100 million yuan", "source_en": "Provincial statistics bureau"}


def test_the_demos_headline_and_framework_indicators_have_english_units_and_sources():
    from kechuang.indicators import demo, specs

    units = {unit for _code, _name, _en, unit, _direction, _source in demo.HEADLINE}
    leaves = []

    def walk(nodes):
        for n in nodes:
            if "children" in n:
                walk(n["children"])
            else:
                leaves.append(n)

    walk(specs.shipped_spec("cn-csti")["nodes"])
    units |= {n.get("unit", "") for n in leaves}
    assert not [u for u in units if u and u not in demo.UNITS_EN]
    longest = Indicator._meta.get_field("unit_en").max_length
    assert not [u for u in demo.UNITS_EN.values() if len(u) > longest]
    assert not [h[5] for h in demo.HEADLINE if h[5] not in demo.SOURCES_EN]
