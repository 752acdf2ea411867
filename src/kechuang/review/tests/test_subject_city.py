"""An externally entered review subject's city is a division, as experts', units' and platforms' are: stored as
its Chinese name (太原, Taiyuan, 140100 → 太原市), a name two provinces share read within its unit's province;
one naming no division refused; the rows from before mapped by review.0010 and the rest kept, flagged."""

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from kechuang.accounts.tests.factories import UnitFactory
from kechuang.core import divisions
from kechuang.review import services
from kechuang.review.models import ExternalSubject
from kechuang.review.tests.factories import ExternalSubjectFactory

pytestmark = pytest.mark.django_db


def test_a_subject_city_is_stored_as_the_division_it_names(staff):
    unit = UnitFactory()
    for typed in ("太原", "Taiyuan", "140100", " 太原市 "):
        s = services.external_subject_create(actor=staff, title=f"课题{typed}", unit=unit, city=typed)
        assert ExternalSubject.objects.get(pk=s.pk).city == "太原市", typed
    with pytest.raises(ValidationError) as caught:
        services.external_subject_create(actor=staff, title="课题火星", unit=unit, city="火星基地")
    assert "city" in caught.value.message_dict
    assert not ExternalSubject.objects.filter(title="课题火星").exists()


def test_the_migration_maps_known_names_and_keeps_the_others_flagged():
    known = ExternalSubjectFactory(city="大同")
    english = ExternalSubjectFactory(city="Jinzhong")
    unknown = ExternalSubjectFactory(city="城南片区")
    migration = importlib.import_module("kechuang.review.migrations.0010_external_subject_city_names")
    migration.to_names(apps, None)
    for row in (known, english, unknown):
        row.refresh_from_db()
    assert (known.city, english.city) == ("大同市", "晋中市")
    assert unknown.city == "城南片区" and divisions.city_is_flagged(unknown.city)
