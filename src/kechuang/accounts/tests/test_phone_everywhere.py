"""A phone is checked wherever one is entered, as the registration checks it (validators.validate_phone): staff's
invitation and person page, a unit's edit page (staff's and the unit's own), the unit and expert imports (the
bad row's line and column). A phone stored before the check is shown and kept: a form saving other fields is
not refused for it, nor a file that carries it back unchanged; changing it to another bad one is refused."""

import pytest

from kechuang.accounts import importer
from kechuang.accounts.models import User
from kechuang.accounts.tests.factories import UnitFactory
from kechuang.core.models import AuditEvent
from kechuang.core.roles import Role
from kechuang.review import services as review_services

pytestmark = pytest.mark.django_db

REFUSED = "联系电话格式不正确"


def test_an_invitation_with_no_phone_number_is_refused_with_the_input_kept(staff, client_for):
    r = client_for(staff).post(
        "/accounts/users/invite/", {"email": "new@example.org", "full_name": "新同事", "phone": "12345"}
    )
    body = r.content.decode()
    assert r.status_code == 400 and REFUSED in body and 'value="12345"' in body and 'value="新同事"' in body
    assert not User.objects.filter(email="new@example.org").exists()


def _person_post(person, **changes):
    return {"full_name": person.full_name, "email": person.email, "phone": person.phone, **changes}


def test_staff_changing_a_persons_phone_is_checked_and_an_old_one_kept(staff, client_for, make_user):
    person = make_user(Role.EXPERT, phone="分机 8001")  # stored before the check
    c = client_for(staff)
    page = c.get(f"/accounts/users/{person.pk}/").content.decode()
    assert 'value="分机 8001"' in page  # shown as stored
    r = c.post(f"/accounts/users/{person.pk}/", _person_post(person, full_name="改名后"))
    assert r.status_code == 302  # the old phone does not stop the other change
    person.refresh_from_db()
    assert person.full_name == "改名后" and person.phone == "分机 8001"
    r = c.post(f"/accounts/users/{person.pk}/", _person_post(person, phone="12345"))
    body = r.content.decode()
    assert r.status_code == 400 and REFUSED in body and 'value="12345"' in body
    person.refresh_from_db()
    assert person.phone == "分机 8001"
    r = c.post(f"/accounts/users/{person.pk}/", _person_post(person, phone="0351-7654321"))
    assert r.status_code == 302
    person.refresh_from_db()
    assert person.phone == "0351-7654321"
    event = AuditEvent.objects.filter(action="user.update", object_id=str(person.pk)).latest("pk")
    assert event.before["phone"] == "分机 8001" and event.after["phone"] == "0351-7654321"


def _unit_post(unit, **changes):
    return {
        "name": unit.name,
        "kind": unit.kind,
        "credit_code": unit.credit_code,
        "province": unit.province,
        "city": unit.city,
        "region_code": unit.region_code,
        "parent": unit.parent.name if unit.parent_id else "",
        "endorser": unit.endorser_id or "",
        "contact_name": unit.contact_name,
        "contact_phone": unit.contact_phone,
        **changes,
    }


@pytest.mark.parametrize("who", ["staff", "own"])
def test_a_units_phone_is_checked_on_its_edit_page_and_an_old_one_kept(who, staff, make_user, client_for):
    unit = UnitFactory(name="晋中测试研究院", kind="institute", credit_code="", contact_phone="待补充")
    user = staff if who == "staff" else make_user(Role.APPLICANT, unit=unit)
    c = client_for(user)
    assert "待补充" in c.get(f"/accounts/units/{unit.pk}/edit/").content.decode()
    assert (
        c.post(f"/accounts/units/{unit.pk}/edit/", _unit_post(unit, address="太原路1号")).status_code == 302
    )
    unit.refresh_from_db()
    assert unit.address == "太原路1号" and unit.contact_phone == "待补充"
    r = c.post(f"/accounts/units/{unit.pk}/edit/", _unit_post(unit, contact_phone="1234"))
    body = r.content.decode()
    assert r.status_code == 400 and REFUSED in body and 'value="1234"' in body
    unit.refresh_from_db()
    assert unit.contact_phone == "待补充"
    r = c.post(f"/accounts/units/{unit.pk}/edit/", _unit_post(unit, contact_phone="13812345678"))
    assert r.status_code == 302, (r.context["form"].errors, r.context["form"].non_field_errors())
    unit.refresh_from_db()
    assert unit.contact_phone == "13812345678"
    assert AuditEvent.objects.filter(action="unit.update", object_id=str(unit.pk)).exists()
    assert not unit.change_requests.exists()  # free fields: changed at once


UNIT_HEADER = "单位名称,单位类型,统一社会信用代码,省份,城市,联系电话\n"


def test_the_unit_import_refuses_a_bad_phone_with_its_line_and_reads_an_old_one_back(staff):
    UnitFactory(name="旧数据研究院", kind="institute", credit_code="", contact_phone="见官网")
    data = (
        UNIT_HEADER
        + "新研究院甲,科研院所,,山西,太原,12345\n"
        + "新研究院乙,科研院所,,山西,太原,0351-1234567\n"
        + "旧数据研究院,科研院所,,山西,太原,见官网\n"  # as exported: kept
    ).encode()
    report = importer.unit_import(actor=staff, data=data, filename="u.csv", dry_run=False)
    assert not report.committed
    assert [(e.line, e.field) for e in report.errors] == [(2, "联系电话")]
    assert REFUSED in str(report.errors[0].message)
    fixed = data.decode().replace("12345\n", "13812345678\n").encode()
    report = importer.unit_import(actor=staff, data=fixed, filename="u.csv", dry_run=False)
    assert report.committed, report.errors
    bad_change = (UNIT_HEADER + "旧数据研究院,科研院所,,山西,太原,见网站\n").encode()
    report = importer.unit_import(actor=staff, data=bad_change, filename="u.csv")
    assert [(e.line, e.field) for e in report.errors] == [(2, "联系电话")]


def test_the_expert_import_refuses_a_bad_phone_with_its_line_and_finds_a_person_by_an_old_one(
    staff, make_user
):
    UnitFactory(name="山西大学", kind="university", credit_code="")
    make_user(Role.EXPERT, phone="内线 2233", full_name="老专家")
    header = "姓名,单位,邮箱,联系电话,关键词\n"
    data = (
        header
        + "新专家,山西大学,new@sxu.cn,12345,碳化硅\n"
        + "老专家,山西大学,,内线 2233,碳化硅\n"  # found by the phone they hold: not refused
        + "另一位,山西大学,other@sxu.cn,0351-7010000,碳化硅\n"
    ).encode()
    report = review_services.expert_import(actor=staff, data=data, filename="e.csv")
    assert [(e.line, e.field) for e in report.errors] == [(2, "联系电话")]
    assert REFUSED in str(report.errors[0].message)
