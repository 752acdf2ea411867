"""Regions in the reader's language, a region's set picked by name, and values, targets and indicators read as
names (never "12 5 2022: 1.29" or "KJJBGXL 科技进步贡献率"), on the pages, in Chinese and in English."""

import html
import re

import pytest
from django.conf import settings
from django.urls import reverse

from kechuang.core.models import AuditEvent
from kechuang.indicators import services
from kechuang.indicators.models import Region, Target, Value
from kechuang.indicators.tests.factories import IndicatorFactory, RegionFactory, ValueFactory

pytestmark = pytest.mark.django_db


def _in(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _options(page: str, name: str) -> dict[str, str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S).group(1)
    return {
        v: html.unescape(t) for v, t in re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select)
    }


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_region_set_is_picked_by_name_and_a_new_one_is_kept(client_for, staff, language):
    RegionFactory(code="620000", name="甘肃省", region_set="cn")
    c = _in(client_for(staff), language)
    url = reverse("indicators:region-list")
    page = c.get(url).content.decode()
    sets = _options(page, "region_set")
    assert sets["cn"] == (
        "中国各省（自治区、直辖市）"
        if language == "zh-hans"
        else "Chinese provinces (autonomous regions, municipalities)"
    )
    assert "eis" in sets and sets[""] == (
        "（不属于任何地区集）" if language == "zh-hans" else "(in no region set)"
    )
    assert '<input type="text" name="region_set"' not in page
    parents = _options(page, "parent")
    assert parents[""] == ("（无上级）" if language == "zh-hans" else "(no parent)")
    assert "---------" not in page
    # a new set's name typed into the list's search box: refused input (a duplicate code) keeps it
    body = {"code": "620000", "name": "甘肃", "level": "province", "region_set": "西北五省"}
    again = c.post(url, body)
    assert (
        again.status_code == 400 and _options(again.content.decode(), "region_set")["西北五省"] == "西北五省"
    )
    body["code"] = "630000"
    assert c.post(url, body).status_code == 302
    assert Region.objects.get(code="630000").region_set == "西北五省"


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_regions_read_in_the_pages_language_with_their_official_english_name(client_for, staff, language):
    c = _in(client_for(staff), language)
    url = reverse("indicators:region-list")
    # divisions picked from the list (by code as the list submits, or by name); a region that is no
    # division by its name alone, its code made from the name's pinyin (never typed)
    for code, name in (("620000", "甘肃省"), ("兰州市", ""), ("", "某某新区")):
        assert (
            c.post(url, {"code": code, "name": name, "level": "province", "region_set": "cn"}).status_code
            == 302
        )
    assert dict(Region.objects.values_list("code", "name_en")) == {
        "620000": "Gansu",
        "620100": "Lanzhou",
        "moumouxinqu": "",  # not put into English by guess: shown as typed
    }
    assert Region.objects.get(code="620100").level == "city"
    typed = {"code": "", "name": "示范区", "name_en": "Demo Zone", "level": "city", "region_set": "cn"}
    assert c.post(url, typed).status_code == 302
    page = c.get(url).content.decode()
    if language == "en":
        assert "<td>Gansu</td>" in page and "<td>Lanzhou</td>" in page and "<td>Demo Zone</td>" in page
        assert "<td>某某新区</td>" in page and "<td>甘肃省</td>" not in page
        assert "<td>Chinese provinces (autonomous regions, municipalities)</td>" in page
    else:
        assert "<td>甘肃省</td>" in page and "<td>示范区</td>" in page and "<td>Gansu</td>" not in page
        assert "<td>中国各省（自治区、直辖市）</td>" in page
    assert "<td>cn</td>" not in page


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_an_indicators_page_names_its_regions_in_the_pages_language(client, language):
    ind = IndicatorFactory(code="PUB", name_zh="研发强度", name_en="R&D intensity", public=True)
    gs = RegionFactory(code="620000", name="甘肃省", name_en="Gansu")
    ValueFactory(indicator=ind, region=gs, year=2022, value="1.29")
    page = _in(client, language).get(reverse("indicators:indicator-detail", args=["PUB"])).content.decode()
    assert ("<td>Gansu</td>" if language == "en" else "<td>甘肃省</td>") in page


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_values_and_targets_read_as_names_in_the_audit_trail(client_for, staff, language):
    IndicatorFactory(code="KJJBGXL", name_zh="科技进步贡献率", name_en="S&T progress contribution rate")
    gs = RegionFactory(code="620000", name="甘肃省", name_en="Gansu")
    c = _in(client_for(staff), language)
    page = c.get(reverse("indicators:value-create")).content.decode()
    assert _options(page, "indicator")[""] == ("（请选择）" if language == "zh-hans" else "(choose)")
    assert "KJJBGXL" not in _options(page, "indicator").values()
    body = {"indicator": "KJJBGXL", "region": gs.pk, "year": 2022, "value": "60.5"}
    assert c.post(reverse("indicators:value-create"), body).status_code == 302
    body = {"indicator": "KJJBGXL", "region": gs.pk, "year": 2025, "comparator": ">=", "value": "65"}
    assert c.post(reverse("indicators:target-create"), body).status_code == 302
    value, target = Value.objects.get(), Target.objects.get()
    shown = {
        e.action: e.object_repr
        for e in AuditEvent.objects.filter(action__in=["value.create", "target.create"])
    }
    if language == "en":
        assert shown["value.create"] == "S&T progress contribution rate · Gansu · 2022: 60.5"
        assert shown["target.create"] == "Gansu · S&T progress contribution rate ≥ 65% (2025)"
    else:
        assert shown["value.create"] == "科技进步贡献率 · 甘肃省 · 2022年：60.5"
        assert shown["target.create"] == "甘肃省 · 科技进步贡献率 ≥ 65%（2025）"
    audit = c.get(reverse("core:audit-log")).content.decode()
    assert html.escape(shown["value.create"]) in audit
    for text in (shown["value.create"], shown["target.create"]):
        assert f" {value.pk} " not in text and f" {target.pk} " not in text and "KJJBGXL" not in text


def test_the_demo_and_an_eis_import_store_english_region_names(staff):
    from kechuang.indicators.demo import REGIONS
    from kechuang.indicators.specs import EIS_DATA

    for code, name, level, _parent in REGIONS:
        services.region_ensure(actor=staff, code=code, name=name, level=level, region_set="cn")
    english = dict(Region.objects.values_list("code", "name_en"))
    assert english["CN"] == "China" and english["620000"] == "Gansu" and english["640000"] == "Ningxia"
    assert all(english[code] for code, *_rest in REGIONS)
    report = services.values_import(
        actor=staff, data=EIS_DATA.read_bytes(), filename=EIS_DATA.name, dry_run=False
    )
    assert report.committed
    assert Region.objects.get(code="SE").name_en == "Sweden"
