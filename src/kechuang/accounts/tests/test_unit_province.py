"""A unit's province is picked from the 34 provincial-level divisions (stored as its GB/T 2260 code): the
unit form lists them by name; the import and the API take a name or code and refuse anything else, naming
it; a unit's own value from before the list reads back from its export; the migration maps the usual forms."""

import importlib
import re

import pytest
from django.apps import apps
from django.urls import reverse

from kechuang.accounts import importer
from kechuang.accounts.models import Unit
from kechuang.accounts.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def test_the_unit_form_lists_the_divisions_by_name(staff, english_client_for):
    unit = UnitFactory(province="140000")
    c = english_client_for(staff)
    page = c.get(reverse("accounts:unit-edit", args=[unit.pk])).content.decode()
    select = re.search(r'<select name="province"[^>]*>(.*?)</select>', page, re.S).group(1)
    assert 'value="140000" selected>Shanxi' in select and len(re.findall("<option", select)) == 35
    assert "Shanxi" in c.get(unit.get_absolute_url()).content.decode()


def test_import_takes_a_name_and_refuses_an_unknown_province(staff):
    header = "单位名称,单位类型,省份\n"
    data = (header + "甲大学,高等院校,Gansu\n乙研究院,科研院所,火星省\n").encode()
    report = importer.unit_import(actor=staff, data=data, filename="u.csv")
    assert [(e.line, e.field) for e in report.errors] == [(3, "省份")] and "火星省" in str(
        report.errors[0].message
    )
    ok = importer.unit_import(
        actor=staff, data=(header + "甲大学,高等院校,甘肃省\n").encode(), filename="u.csv", dry_run=False
    )
    assert ok.committed and Unit.objects.get(name="甲大学").province == "620000"


def test_api_refuses_an_unknown_province_naming_it(api_for, staff):
    unit = UnitFactory()
    api = api_for(staff)
    r = api.patch(f"/api/units/{unit.pk}/", {"province": "火星省"}, format="json")
    assert r.status_code == 400 and "火星省" in r.json()["error"]["fields"]["province"][0]
    r = api.patch(f"/api/units/{unit.pk}/", {"province": "Gansu"}, format="json")
    assert r.status_code == 200 and (r.json()["province"], r.json()["province_code"]) == ("甘肃省", "620000")


def test_the_migration_maps_the_usual_forms_and_keeps_the_rest():
    migration = importlib.import_module("kechuang.accounts.migrations.0010_unit_province_codes")
    forms = {"山西": "140000", "甘肃省": "620000", "Shaanxi": "610000", "晋中市": "晋中市", "": ""}
    made = {}
    for value in forms:
        u = UnitFactory()
        Unit.objects.filter(pk=u.pk).update(province=value)
        made[value] = u.pk
    migration.to_codes(apps, None)
    assert {v: Unit.objects.get(pk=pk).province for v, pk in made.items()} == forms
