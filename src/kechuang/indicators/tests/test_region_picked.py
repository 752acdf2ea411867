"""Regions are picked by name, never by a typed GB/T 2260 code: the regions page offers the divisions by
name (provinces and the known cities under them); a division sent by name (Chinese or English) finds its
code; a region that is no division is registered by name alone. The values API gives the region's name in
the caller's language and both names as stored; the ingest upload API takes a region by name and refuses one
that is not registered, naming it."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kechuang.indicators.models import Region
from kechuang.indicators.tests.factories import IndicatorFactory, RegionFactory, ValueFactory
from kechuang.ingest.models import Document

pytestmark = pytest.mark.django_db


def test_the_regions_page_picks_a_division_by_name(staff, english_client_for):
    c = english_client_for(staff)
    url = reverse("indicators:region-list")
    page = c.get(url).content.decode()
    select = re.search(r'<select name="code"([^>]*)>(.*?)</select>', page, re.S)
    assert select and "data-search" in select.group(1) and '<input type="text" name="code"' not in page
    assert 'value="620000">Gansu' in select.group(2) and 'value="620100">Lanzhou' in select.group(2)
    assert c.post(url, {"code": "Gansu", "name": "", "level": "city", "region_set": "cn"}).status_code == 302
    gansu = Region.objects.get(code="620000")
    assert (gansu.name, gansu.name_en, gansu.level) == ("甘肃省", "Gansu", "province")
    refused = c.post(url, {"code": "990001", "name": "某区", "level": "city", "region_set": "cn"})
    assert refused.status_code == 400 and "990001" in refused.content.decode()
    nameless = c.post(url, {"code": "", "name": "", "level": "group", "region_set": ""})
    assert nameless.status_code == 400 and not Region.objects.exclude(code="620000").exists()
    assert c.post(url, {"code": "", "name": "欧盟", "name_en": "EU", "level": "group"}).status_code == 302
    assert Region.objects.get(name="欧盟").code == "eu"


def test_values_api_names_the_region_in_the_callers_language(api_for, staff, english):
    ValueFactory(
        indicator=IndicatorFactory(code="RD", public=True),
        region=RegionFactory(code="620000", name="甘肃省", name_en="Gansu"),
    )
    api = api_for(staff)
    row = api.get("/api/indicators/values/", {"indicator": "RD"}).json()["results"][0]
    assert (row["region_name"], row["region_name_zh"], row["region_name_en"]) == ("甘肃省", "甘肃省", "Gansu")
    english(api)
    row = api.get("/api/indicators/values/", {"indicator": "RD"}).json()["results"][0]
    assert (row["region_name"], row["region_name_zh"], row["region_name_en"]) == ("Gansu", "甘肃省", "Gansu")


def test_ingest_upload_takes_a_region_by_name_and_refuses_an_unknown_one(api_for, staff):
    gansu = RegionFactory(code="620000", name="甘肃省", name_en="Gansu")
    api = api_for(staff)

    def upload(name, region):
        text = f"{name}：建成6个研究中心。".encode()
        return api.post(
            "/api/ingest/documents/upload/",
            {"file": SimpleUploadedFile(f"{name}.txt", text), "region": region},
            format="multipart",
        )

    for i, region in enumerate(("Gansu", "甘肃", "620000", str(gansu.pk))):
        r = upload(f"r{i}", region)
        assert r.status_code == 201 and r.json()["region"] == "甘肃省", region
    refused = upload("bad", "火星省")
    assert refused.status_code == 400
    assert "火星省" in refused.json()["error"]["fields"]["region"][0]
    assert Document.objects.count() == 4


def test_the_values_api_filters_by_the_regions_name_or_code_and_names_an_unknown_one(api_for, staff):
    rd = IndicatorFactory(code="RD", public=True)
    ValueFactory(indicator=rd, region=RegionFactory(code="620000", name="甘肃省", name_en="Gansu"), year=2023)
    ValueFactory(
        indicator=rd, region=RegionFactory(code="140000", name="山西省", name_en="Shanxi"), year=2023
    )
    api = api_for(staff)
    for region in ("甘肃省", "Gansu", "gansu", "620000"):
        rows = api.get("/api/indicators/values/", {"region": region}).json()["results"]
        assert [r["region_name_zh"] for r in rows] == ["甘肃省"], region
    r = api.get("/api/indicators/values/", {"region": "某某省"})
    assert r.status_code == 400 and "某某省" in str(r.json()["error"]["fields"]["region"])


def test_the_dashboard_picks_its_region_by_name_and_never_sends_a_code(client):
    RegionFactory(code="620000", name="甘肃省", name_en="Gansu", level="province")
    RegionFactory(code="140000", name="山西省", name_en="Shanxi", level="province")
    page = client.get(reverse("indicators:dashboard")).content.decode()
    select = re.search(r'<select name="region"[^>]*>(.*?)</select>', page, re.S).group(1)
    assert 'value="山西省"' in select and "620000" not in select and "140000" not in select
    page = client.get(reverse("indicators:dashboard"), {"region": "山西省"}).content.decode()
    assert "科技指标看板 · 山西省" in page
    assert (
        "科技指标看板 · 山西省"
        in client.get(reverse("indicators:dashboard"), {"region": "140000"}).content.decode()
    )
