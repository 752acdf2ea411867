"""The Django admin's person and unit forms check a phone as every other form of the site does
(validators.validate_phone through accounts.forms.PhoneField); a phone stored before the check is kept
unchanged when other fields are saved, and refused only when changed to another bad one."""

import pytest

from kechuang.accounts.models import Unit
from kechuang.accounts.tests.factories import UnitFactory

from .test_admin_audit import _form_data

pytestmark = pytest.mark.django_db

REFUSED = "联系电话格式不正确"


def test_the_admin_person_form_checks_a_changed_phone_and_keeps_an_old_one(admin_client, make_user):
    person = make_user(phone="分机 8001")  # stored before the check
    url = f"/admin/accounts/user/{person.pk}/change/"
    data = _form_data(admin_client.get(url))
    r = admin_client.post(url, data | {"full_name": "改名后"})
    assert r.status_code == 302, r.context["adminform"].form.errors
    person.refresh_from_db()
    assert person.full_name == "改名后" and person.phone == "分机 8001"
    r = admin_client.post(url, data | {"phone": "12345"})
    assert r.status_code == 200 and REFUSED in r.content.decode()
    person.refresh_from_db()
    assert person.phone == "分机 8001"
    r = admin_client.post(url, data | {"phone": "13912345678"})
    assert r.status_code == 302
    person.refresh_from_db()
    assert person.phone == "13912345678"


def test_the_admin_unit_form_checks_a_changed_phone_and_keeps_an_old_one(admin_client):
    unit = UnitFactory(contact_phone="见官网")
    url = f"/admin/accounts/unit/{unit.pk}/change/"
    data = _form_data(admin_client.get(url))
    r = admin_client.post(url, data | {"short_name": "简称"})
    assert r.status_code == 302, r.context["adminform"].form.errors
    unit.refresh_from_db()
    assert unit.short_name == "简称" and unit.contact_phone == "见官网"
    r = admin_client.post(url, data | {"contact_phone": "0354-12"})
    assert r.status_code == 200 and REFUSED in r.content.decode()
    assert Unit.objects.get(pk=unit.pk).contact_phone == "见官网"
    r = admin_client.post(url, data | {"contact_phone": "0354-1234567"})
    assert r.status_code == 302
    assert Unit.objects.get(pk=unit.pk).contact_phone == "0354-1234567"
