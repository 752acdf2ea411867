"""A verified unit's short and English names changed at its user's word (docs/security.md §27): the short name is
what the ingest links reports' mentions to (ingest.services.registry_snapshot) and what pickers find a unit by,
the English name is the unit's name in the open data. A unit's user could give its unit the short name 省科技厅,
or another unit's name, and have mentions of the department or of that unit linked to it. Both now change only
through a change request staff approve, and a short name must name its unit alone."""

import pytest
from django.urls import reverse

from kechuang.accounts.models import Unit, UnitChangeRequest
from kechuang.accounts.services import unit_change_request_decide
from kechuang.accounts.tests.factories import UnitFactory
from kechuang.core.models import AuditEvent
from kechuang.core.roles import Role
from kechuang.ingest.services.analysis import registry_snapshot

pytestmark = pytest.mark.django_db

NEW = {"short_name": "晋中传感", "name_en": "Jinzhong Sensing Co., Ltd."}
LABELS = {"short_name": "简称", "name_en": "英文名称"}


@pytest.fixture
def unit_user(make_user):
    unit = UnitFactory(
        name="晋中智能传感科技有限公司", short_name="智能传感", name_en="Jinzhong Smart Sensing"
    )
    return make_user(Role.APPLICANT, unit=unit)


def _edit_post(unit, **changes):
    return {
        "name": unit.name,
        "name_en": unit.name_en,
        "short_name": unit.short_name,
        "kind": unit.kind,
        "credit_code": unit.credit_code,
        "province": unit.province,
        "city": unit.city,
        "region_code": unit.region_code,
        "parent": "",
        "endorser": "",
        "contact_name": unit.contact_name,
        "contact_phone": unit.contact_phone,
        **changes,
    }


@pytest.mark.parametrize("field", sorted(NEW))
def test_a_unit_users_patch_of_a_name_makes_a_change_request_that_staff_approve(
    field, unit_user, api_for, staff
):
    unit = unit_user.unit
    old = getattr(unit, field)
    r = api_for(unit_user).patch(f"/api/units/{unit.pk}/", {field: NEW[field]}, format="json")
    assert r.status_code == 202, r.content
    unit.refresh_from_db()
    assert getattr(unit, field) == old
    cr = UnitChangeRequest.objects.get(unit=unit)
    assert cr.changes == {field: NEW[field]} and cr.before == {field: old}
    assert not AuditEvent.objects.filter(action="unit.update", object_id=str(unit.pk)).exists()
    # staff approve it, and the unit takes it (audited)
    unit_change_request_decide(actor=staff, change_request=cr, approve=True, note="核实无误")
    unit.refresh_from_db()
    assert getattr(unit, field) == NEW[field]
    event = AuditEvent.objects.get(action="unit.update", object_id=str(unit.pk))
    assert event.before[field] == old and event.after[field] == NEW[field]


def test_the_edit_page_sends_both_names_as_a_request_shown_by_their_labels(unit_user, client_for, staff):
    unit = unit_user.unit
    c = client_for(unit_user)
    hint = c.get(f"/accounts/units/{unit.pk}/edit/").content.decode()
    assert "名称、英文名称、简称" in hint
    r = c.post(f"/accounts/units/{unit.pk}/edit/", _edit_post(unit, address="榆次区1号", **NEW))
    assert r.status_code == 302
    unit.refresh_from_db()
    assert unit.address == "榆次区1号"  # the address is still the unit's own to change
    assert (unit.short_name, unit.name_en) == ("智能传感", "Jinzhong Smart Sensing")
    cr = UnitChangeRequest.objects.get(unit=unit)
    assert cr.changes == NEW
    body = client_for(staff).get(reverse("accounts:change-request-detail", args=[cr.pk])).content.decode()
    for field, label in LABELS.items():
        assert label in body and NEW[field] in body
    r = client_for(staff).post(
        reverse("accounts:change-request-detail", args=[cr.pk]),
        {"decision": "approve", "note": "", "confirm": "1"},
    )
    assert r.status_code == 302
    unit.refresh_from_db()
    assert (unit.short_name, unit.name_en) == (NEW["short_name"], NEW["name_en"])


def test_an_unverified_units_user_and_staff_change_them_at_once(make_user, api_for, staff):
    pending = UnitFactory(name="待核验科技有限公司", status=Unit.Status.PENDING)
    user = make_user(Role.APPLICANT, unit=pending)
    r = api_for(user).patch(f"/api/units/{pending.pk}/", {"short_name": "待核验科技"}, format="json")
    assert r.status_code == 200 and r.json()["short_name"] == "待核验科技"
    verified = UnitFactory(name="山西某研究院", kind="institute", credit_code="")
    r = api_for(staff).patch(f"/api/units/{verified.pk}/", NEW, format="json")
    assert r.status_code == 200 and r.json()["name_en"] == NEW["name_en"]
    assert not UnitChangeRequest.objects.exists()


@pytest.mark.parametrize(
    "short, words",
    [
        ("晋", "至少要有2个字"),
        ("省科技厅", "泛指的机关称谓"),
        ("科技厅", "泛指的机关称谓"),
        ("市科技局", "泛指的机关称谓"),
        ("人民政府", "泛指的机关称谓"),
        ("山西大学", "已是另一个单位的名称或简称"),
        ("山大", "已是另一个单位的名称或简称"),
    ],
)
def test_a_short_name_that_names_no_unit_alone_is_refused(short, words, unit_user, api_for, client_for):
    UnitFactory(name="山西大学", short_name="山大", kind="university", credit_code="")
    unit = unit_user.unit
    r = api_for(unit_user).patch(f"/api/units/{unit.pk}/", {"short_name": short}, format="json")
    assert r.status_code == 400 and words in r.content.decode()
    r = client_for(unit_user).post(f"/accounts/units/{unit.pk}/edit/", _edit_post(unit, short_name=short))
    assert r.status_code == 400 and words in r.content.decode()
    assert not UnitChangeRequest.objects.exists()
    unit.refresh_from_db()
    assert unit.short_name == "智能传感"


def test_staff_may_name_the_department_by_its_title_but_not_take_another_units_names(staff, api_for):
    UnitFactory(
        name="山西大学", short_name="山大", name_en="Shanxi University", kind="university", credit_code=""
    )
    dept = UnitFactory(name="山西省科学技术厅", kind=Unit.Kind.GOVERNMENT, credit_code="")
    c = api_for(staff)
    assert c.patch(f"/api/units/{dept.pk}/", {"short_name": "省科技厅"}, format="json").status_code == 200
    r = c.patch(f"/api/units/{dept.pk}/", {"short_name": "山大"}, format="json")
    assert r.status_code == 400 and "另一个单位" in r.content.decode()
    r = c.patch(f"/api/units/{dept.pk}/", {"name_en": "shanxi  university"}, format="json")
    assert r.status_code == 400 and "英文名称" in r.content.decode()


def test_a_registration_cannot_take_the_departments_title(client):
    from .test_account_enumeration import _form

    endorser = UnitFactory(name="晋中市科学技术局", kind=Unit.Kind.GOVERNMENT, credit_code="")
    form = _form(endorser, "reg@example.cn", 1) | {"short_name": "市科技局"}
    r = client.post("/accounts/register/", form)
    assert "泛指的机关称谓" in r.content.decode()
    assert not Unit.objects.filter(name=form["name"]).exists()


def test_only_verified_units_link_reports_mentions():
    verified = UnitFactory(name="太原理工大学", short_name="太理工", kind="university", credit_code="")
    UnitFactory(name="省科技厅", kind=Unit.Kind.OTHER, credit_code="", status=Unit.Status.PENDING)
    units = registry_snapshot()["unit"]
    assert [(pk, name) for pk, name, _aliases in units] == [(verified.pk, "太原理工大学")]
    assert units[0][2] == ["太理工"]
