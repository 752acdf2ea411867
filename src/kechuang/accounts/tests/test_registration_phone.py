"""A registering unit's phones (the unit's contact phone, the registrant's own) must be phone numbers: a
mobile, or a landline with its area code and an optional extension. "12345" is refused beside its field,
with the form as typed; the demo unit's phone passes the same rule."""

import pytest

from kechuang.accounts.demo import REGISTRATION
from kechuang.accounts.models import Unit
from kechuang.accounts.validators import is_valid_phone

from .test_registration import _form, endorser  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

GOOD = [
    "0354-1234567",
    "010-12345678",
    "(0354)1234567",
    "0354 123 4567",
    "0354-1234567-8001",
    "0354-1234567转8001",
    "13812345678",
    "138-1234-5678",
    "+86 138 1234 5678",
    "400-123-4567",
]
BAD = ["12345", "1234567", "0354-123", "23812345678", "1381234567", "12345678901", "电话", "0354-1234567转"]


@pytest.mark.parametrize("value", GOOD)
def test_phones_people_write_are_accepted(value):
    assert is_valid_phone(value)


@pytest.mark.parametrize("value", BAD)
def test_what_is_no_phone_is_refused(value):
    assert not is_valid_phone(value)


def test_the_demo_registrations_phone_passes():
    assert is_valid_phone(REGISTRATION["unit_fields"]["contact_phone"])


@pytest.mark.parametrize("field", ["contact_phone", "phone"])
def test_registration_refuses_a_bad_phone_beside_its_field_with_the_input_kept(client, endorser, field):  # noqa: F811
    response = client.post("/accounts/register/", _form(endorser, **{field: "12345"}))
    assert response.status_code == 400
    form = response.context["form"]
    assert list(form.errors) == [field] and "联系电话格式不正确" in form.errors[field][0]
    assert form[field].value() == "12345" and form["name"].value() == "晋中智能传感科技有限公司"
    assert not Unit.objects.filter(name="晋中智能传感科技有限公司").exists()


def test_registration_takes_a_mobile_and_a_landline_with_an_extension(client, endorser):  # noqa: F811
    data = _form(endorser, contact_phone="0354-1234567转8001", phone="138 1234 5678")
    response = client.post("/accounts/register/", data)
    assert response.status_code == 200, response.context["form"].errors
    unit = Unit.objects.get(name="晋中智能传感科技有限公司")
    assert unit.contact_phone == "0354-1234567转8001" and unit.users.get().phone == "138 1234 5678"
