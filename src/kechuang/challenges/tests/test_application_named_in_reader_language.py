"""An application's and an integrity record's name with their unit: （…） and the Chinese name on Chinese pages,
( … ) and the English name on English pages (the unit as ADR 0018 names it)."""

import pytest
from django.utils import translation

from kechuang.accounts.tests.factories import UnitFactory
from kechuang.integrity.tests.factories import RecordFactory

from .factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def test_an_application_with_its_unit_in_each_language():
    unit = UnitFactory(name="瀚海精密仪器有限公司", name_en="Hanhai Precision Instruments")
    app = ApplicationFactory(unit=unit, title="高纯碳化硅衬底")
    with translation.override("zh-hans"):
        assert str(app) == "高纯碳化硅衬底（瀚海精密仪器有限公司）"
    with translation.override("en"):
        assert str(app) == "高纯碳化硅衬底 (Hanhai Precision Instruments)"


def test_a_person_record_with_its_unit_in_each_language():
    unit = UnitFactory(name="瀚海精密仪器有限公司", name_en="Hanhai Precision Instruments")
    record = RecordFactory(unit=unit, subject_kind="person", person_name="张明")
    with translation.override("zh-hans"):
        assert record.subject_label == "张明（瀚海精密仪器有限公司）"
    with translation.override("en"):
        assert record.subject_label == "张明 (Hanhai Precision Instruments)"


def test_an_applications_partner_with_its_role_in_each_language():
    unit = UnitFactory(name="太原理工大学", name_en="Taiyuan University of Technology")
    partner = ApplicationFactory().partners.create(seq=1, unit=unit, role="participant", budget=0)
    with translation.override("zh-hans"):
        assert str(partner) == f"太原理工大学（{partner.get_role_display()}）"
    with translation.override("en"):
        assert str(partner) == f"Taiyuan University of Technology ({partner.get_role_display()})"
