"""A list of the editions or region sets held names each once, however many values or regions hold it.

`values_list(...).distinct()` on a model with a default ordering selects the ordering's columns too, so
the database returned one row per value: the import page offered "EIS2023" as many times as the
edition has values (14,700 options on the demo)."""

import pytest

from kechuang.indicators.forms import ImportForm, RegionForm
from kechuang.indicators.tests.factories import IndicatorFactory, RegionFactory, ValueFactory

pytestmark = pytest.mark.django_db


def _world():
    regions = [RegionFactory(region_set="eis") for _ in range(3)]
    for region in regions:
        for indicator in (IndicatorFactory(), IndicatorFactory()):
            ValueFactory(indicator=indicator, region=region, edition="EIS2023")
            ValueFactory(indicator=indicator, region=region, edition="EIS2023", year=2021)


def test_import_form_lists_each_edition_and_region_set_once():
    _world()
    form = ImportForm()
    editions = [value for value, _label in form.fields["edition"].widget.choices]
    sets = [value for value, _label in form.fields["region_set"].widget.choices]
    assert editions.count("EIS2023") == 1
    assert sets.count("eis") == 1
    assert len(editions) == len(set(editions)) and len(sets) == len(set(sets))


def test_region_form_lists_each_region_set_once():
    _world()
    sets = [value for value, _label in RegionForm().fields["region_set"].widget.choices]
    assert sets.count("eis") == 1
