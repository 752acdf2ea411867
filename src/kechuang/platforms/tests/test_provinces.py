"""A platform's province is picked from the 34 provincial-level divisions and stored as its GB/T 2260 code:
the form offers the list by name in the reader's language; the import and the API take a name (Chinese or
English) or the code and refuse anything else, naming it; pages show the name in the reader's language; a
value from before the list is kept, flagged for staff, not lost; the data migration maps the usual forms."""

import datetime
import importlib
import re

import pytest
from django.apps import apps
from django.urls import reverse

from kechuang.accounts.tests.factories import UnitFactory
from kechuang.platforms import importer
from kechuang.platforms.forms import PlatformForm
from kechuang.platforms.models import Platform
from kechuang.platforms.tests.factories import PlatformFactory

pytestmark = pytest.mark.django_db


def _options(page: str, name: str) -> dict[str, str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S).group(1)
    return dict(re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select))


def test_the_form_offers_the_34_divisions_by_name_and_takes_a_name_or_refuses(staff, english_client_for):
    page = english_client_for(staff).get(reverse("platforms:create")).content.decode()
    options = _options(page, "province")
    assert len(options) == 35 and options["140000"] == "Shanxi" and options["620000"] == "Gansu"
    assert 'name="province"' in page and '<input type="text" name="province"' not in page
    host = UnitFactory()
    base = {
        "code": "F1",
        "name": "甲",
        "kind": "alliance",
        "host": host.pk,
        "established": "2021-05-24",
        "status": "operating",
    }
    form = PlatformForm(data={**base, "province": "甘肃"})
    assert form.is_valid(), form.errors
    by_name = PlatformForm(data={**base, "province": "Gansu"})
    assert by_name.is_valid() and by_name.cleaned_data["province"] == "620000"
    refused = PlatformForm(data={**base, "province": "火星省"})
    assert not refused.is_valid() and "火星省" in refused.errors["province"][0]


def test_english_statistics_page_names_provinces_in_english(client_for, staff, english_client_for):
    PlatformFactory(province="140000")
    PlatformFactory(province="620000")
    page = english_client_for(staff).get(reverse("platforms:statistics")).content.decode()
    provinces = _options(page, "province")
    assert provinces == {"": "All", "140000": "Shanxi", "620000": "Gansu"}
    checked = page.split("platform-stats")[0]
    assert "<td>Shanxi</td>" in checked and "<td>Gansu</td>" in checked
    assert "山西" not in checked and "甘肃" not in checked
    # an older link by name still filters
    assert client_for(staff).get(reverse("platforms:statistics"), {"province": "山西"}).status_code == 200


def test_import_takes_names_or_codes_and_refuses_unknown_provinces(staff):
    UnitFactory(name="山西大学")
    header = "编号,名称,类型,依托单位,成立日期,省份\n"
    rows = [
        "P1,甲实验室,省实验室,山西大学,2021-01-18,山西",
        "P2,乙实验室,省实验室,山西大学,2021-01-18,Gansu",
        "P3,丙实验室,省实验室,山西大学,2021-01-18,620000",
        "P4,丁实验室,省实验室,山西大学,2021-01-18,火星省",
    ]
    bad = importer.platform_import(actor=staff, data=(header + "\n".join(rows)).encode(), filename="p.csv")
    assert [(e.line, e.field) for e in bad.errors] == [(5, "省份")] and "火星省" in str(bad.errors[0].message)
    data = (header + "\n".join(rows[:3])).encode()
    assert importer.platform_import(actor=staff, data=data, filename="p.csv", dry_run=False).committed
    assert dict(Platform.objects.values_list("code", "province")) == {
        "P1": "140000",
        "P2": "620000",
        "P3": "620000",
    }


def test_api_takes_a_name_or_code_and_answers_400_naming_an_unknown_province(api_for, staff, english):
    host = UnitFactory()
    api = api_for(staff)
    body = {"code": "A1", "name": "甲", "kind": "alliance", "host": host.pk, "established": "2021-05-24"}
    created = api.post("/api/platforms/", {**body, "province": "Shanxi"}, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["province"] == "山西省" and created.json()["province_code"] == "140000"
    refused = api.post("/api/platforms/", {**body, "code": "A2", "province": "火星省"}, format="json")
    assert refused.status_code == 400 and "火星省" in refused.json()["error"]["fields"]["province"][0]
    pk = created.json()["id"]
    r = api.patch(f"/api/platforms/{pk}/", {"province": "甘肃", "version": 1}, format="json")
    assert r.status_code == 200 and r.json()["province_code"] == "620000"
    english(api)
    assert api.get(f"/api/platforms/{pk}/").json()["province"] == "Gansu"
    assert [p["code"] for p in api.get("/api/platforms/", {"province": "Gansu"}).json()["results"]] == ["A1"]
    nowhere = api.get("/api/platforms/", {"province": "火星省"})
    assert nowhere.status_code == 400 and "火星省" in nowhere.json()["error"]["fields"]["province"][0]
    counts = api.get("/api/platforms/counts/", {"by": "province", "province": "甘肃"})
    assert counts.status_code == 200 and counts.json()["counts"] == {"620000": 1}


def test_a_value_from_before_the_list_is_kept_and_flagged(client_for, api_for, staff):
    p = PlatformFactory(province="晋中")  # typed into the province box before the list
    page = client_for(staff).get(p.get_absolute_url()).content.decode()
    assert 'class="badge warn"' in page and "晋中（未识别的省份，请更正）" in page
    edit = client_for(staff).get(reverse("platforms:edit", args=[p.pk])).content.decode()
    assert _options(edit, "province")["晋中"] == "晋中（未识别的省份，请更正）"
    # sent back unchanged it stays; staff pick the province to fix it
    api = api_for(staff)
    kept = api.patch(f"/api/platforms/{p.pk}/", {"province": "晋中", "version": 1}, format="json")
    assert kept.status_code == 200 and kept.json()["province_code"] == ""
    p.refresh_from_db()
    assert p.province == "晋中"


def test_the_migration_maps_the_usual_forms_and_keeps_the_rest():
    migration = importlib.import_module("kechuang.platforms.migrations.0006_platform_province_codes")
    forms = ["山西", "山西省", "Shanxi", "甘肃", "Gansu Province", "140000", "晋中", ""]
    made = [PlatformFactory() for _ in forms]
    for p, value in zip(made, forms, strict=True):
        Platform.objects.filter(pk=p.pk).update(province=value)
    migration.to_codes(apps, None)
    after = dict(Platform.objects.values_list("pk", "province"))
    assert [after[p.pk] for p in made] == [
        "140000",
        "140000",
        "140000",
        "620000",
        "620000",
        "140000",
        "晋中",
        "",
    ]
    migration.to_names(apps, None)
    assert Platform.objects.get(pk=made[0].pk).province == "山西省"


def test_report_figures_count_by_province_code():
    from kechuang.platforms import selectors

    PlatformFactory(
        province="140000", kind="national_key_lab", co_built=True, established=datetime.date(2021, 3, 1)
    )
    figures = selectors.report_figures()
    assert figures[0]["province"] == "140000" and figures[0]["value"] == 1


def test_report_figures_ask_once_for_the_statuses_of_a_provinces_national_key_labs():
    """The trial labs of 甘肃 (620000) are counted in one query, not one per lab (session 21: 16 queries of the
    demo's statistics page), and counted as status_on counts them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kechuang.platforms import selectors

    def figures():
        with CaptureQueriesContext(connection) as queries:
            rows = selectors.report_figures()
        trial = next(r for r in rows if r["label"] == "通过评审试运行的全国重点实验室")
        return len(queries), trial["value"]

    made = [PlatformFactory(province="620000", kind="national_key_lab", trial=True)]
    made.append(PlatformFactory(province="620000", kind="national_key_lab"))
    few = figures()
    made += [PlatformFactory(province="620000", kind="national_key_lab", trial=True) for _ in range(4)]
    many = figures()
    assert few[0] == many[0]
    assert (few[1], many[1]) == (1, 5)
    end_2021 = datetime.date(2021, 12, 31)
    assert many[1] == sum(1 for p in made if selectors.status_on(platform=p, date=end_2021) == "trial")
