"""A unit's city is picked by name from the prefecture-level divisions of its province (GB/T 2260, core.divisions),
never typed: the form offers them grouped by province (narrowed to the chosen province on the page, a plain
select without JavaScript), stores the division's Chinese name as records held it, refuses a city of another
province naming both, and shows it in the reader's language; a value from before the list is kept, flagged; the
migration maps the usual forms."""

import importlib
import re

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from kechuang.accounts.forms import UnitForm
from kechuang.accounts.models import Unit
from kechuang.accounts.tests.factories import UnitFactory
from kechuang.core import divisions

pytestmark = pytest.mark.django_db


def test_the_city_is_stored_as_the_divisions_chinese_name_and_read_in_the_readers_language():
    assert divisions.city_normalise("太原") == divisions.city_normalise("Taiyuan") == "太原市"
    assert divisions.city_normalise("140100") == "太原市" and divisions.city_normalise("北京") == "北京市"
    assert (
        divisions.city_normalise("Taizhou", "江苏省") == "泰州市"
        and divisions.city_normalise("某镇") == "某镇"
    )
    assert not divisions.city_in_province("太原市", "620000") and divisions.city_in_province("兰州", "甘肃")
    with translation.override("en"):
        assert divisions.city_label("太原市") == "Taiyuan" and divisions.city_label("北京市") == "Beijing"
        assert "某镇" in divisions.city_label("某镇") and divisions.city_is_flagged("某镇")


def test_the_unit_form_offers_the_cities_by_province_and_stores_the_name(client_for, staff):
    unit = UnitFactory(province="140000", city="")
    c = client_for(staff)
    page = c.get(reverse("accounts:unit-edit", args=[unit.pk])).content.decode()
    select = re.search(r'<select name="city"([^>]*)>(.*?)</select>', page, re.S)
    assert 'data-narrow-by="province"' in select.group(1) and "data-search" in select.group(1)
    assert '<optgroup label="山西省">' in select.group(
        2
    ) and '<option value="太原市">太原市</option>' in select.group(2)
    assert '<option value="北京市">北京市</option>' in select.group(2)  # a municipality is its own city
    data = {"name": unit.name, "kind": unit.kind, "credit_code": unit.credit_code, "province": "140000"}
    form = UnitForm(instance=unit, data={**data, "city": "Jinzhong"})
    assert form.is_valid(), form.errors
    assert form.save().city == "晋中市"
    form = UnitForm(instance=unit, data={**data, "city": "兰州市"})
    assert not form.is_valid() and "兰州市不在山西省" in str(form.errors["city"])
    form = UnitForm(instance=unit, data={**data, "city": "某镇"})
    assert not form.is_valid() and "某镇" in str(form.errors["city"])


def test_a_city_from_before_the_list_is_kept_and_shown_flagged(client_for, staff):
    unit = UnitFactory(province="140000", city="某开发区")
    form = UnitForm(instance=unit)
    assert ("某开发区", "某开发区（未识别的城市，请更正）") in form.fields["city"].choices
    page = client_for(staff).get(unit.get_absolute_url()).content.decode()
    assert 'class="badge warn"' in page and "某开发区" in page


def test_the_unit_page_names_the_city_in_the_readers_language(staff, english_client_for):
    unit = UnitFactory(province="620000", city="临夏回族自治州")
    c = english_client_for(staff)
    page = c.get(unit.get_absolute_url()).content.decode()
    assert "Gansu Linxia Hui Autonomous Prefecture" in page


def test_the_migration_maps_the_usual_forms_and_keeps_the_rest():
    migration = importlib.import_module("kechuang.accounts.migrations.0012_unit_city_names")
    rows = {
        ("140000", "太原"): "太原市",
        ("140000", "Jinzhong"): "晋中市",
        ("620000", "兰州市"): "兰州市",
        ("330000", "台州"): "台州市",
        ("110000", "北京"): "北京市",
        ("", "大同"): "大同市",
        ("140000", "某开发区"): "某开发区",
        ("620000", "太原"): "太原",  # not a city of the record's province: kept, for staff to look at
    }
    made = {}
    for (province, city), _want in rows.items():
        u = UnitFactory()
        Unit.objects.filter(pk=u.pk).update(province=province, city=city)
        made[(province, city)] = u.pk
    migration.to_names(apps, None)
    assert {k: Unit.objects.get(pk=pk).city for k, pk in made.items()} == rows


def test_the_import_takes_a_city_by_name_and_refuses_one_of_no_or_another_province(staff):
    from kechuang.accounts import importer

    header = "单位名称,单位类型,省份,城市\n"
    data = (
        header + "甲大学,高等院校,山西,Taiyuan\n乙大学,高等院校,山西,兰州\n丙大学,高等院校,山西,火星城\n"
    ).encode()
    report = importer.unit_import(actor=staff, data=data, filename="u.csv")
    assert [(e.line, e.field) for e in report.errors] == [(3, "城市"), (4, "城市")]
    with translation.override("en"):
        said = [e.text for e in report.errors]
    assert "兰州 is not in Shanxi" in said[0] and "火星城" in said[1]
    ok = importer.unit_import(
        actor=staff,
        data=(header + "甲大学,高等院校,山西,Taiyuan\n").encode(),
        filename="u.csv",
        dry_run=False,
    )
    assert ok.committed and Unit.objects.get(name="甲大学").city == "太原市"


def test_an_audit_line_names_a_stored_division_code():
    from kechuang.core.display import _value

    assert _value(Unit, "region_code", "140700", {}) == "山西省晋中市"
    assert _value(Unit, "province", "620000", {}) == "甘肃省"
