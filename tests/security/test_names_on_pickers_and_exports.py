"""The session-18 leftovers of the public-name rule (docs/security.md §19): the staff people picker names a
nameless account's unit once; the unit export names each unit's division in words, the code in a last column
headed as a code (the import reads it back by that header)."""

import pytest
from django.urls import reverse

from kechuang.accounts import importer
from kechuang.accounts.tests.factories import UnitFactory
from kechuang.core.roles import Role

pytestmark = pytest.mark.django_db


def test_the_people_picker_names_a_nameless_accounts_unit_once(make_user, client_for, staff):
    unit = UnitFactory(name="晋中智能传感研究院")
    make_user(Role.EXPERT, full_name="", unit=unit)
    make_user(Role.APPLICANT, full_name="王敏", unit=unit)
    found = client_for(staff).get(reverse("web:pick-users"), {"q": "晋中智能"}).json()["results"]
    texts = sorted(r["text"] for r in found)
    assert texts == ["晋中智能传感研究院 · 评审专家", "王敏 · 晋中智能传感研究院"], texts


def test_the_unit_export_names_the_division_and_keeps_the_code_last():
    unit = UnitFactory(name="太原某公司", credit_code="", region_code="140100")
    headers = importer.EXPORT_HEADERS
    row = dict(zip(headers, importer.export_row(unit), strict=True))
    assert headers[-1] == "行政区划代码" and headers.count("行政区划代码") == 1
    assert row["所在地区"] == "山西省太原市" and row["行政区划代码"] == "140100"
    assert "140100" not in importer.export_row(unit)[:-1]
