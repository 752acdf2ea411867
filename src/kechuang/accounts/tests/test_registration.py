"""A unit registers itself with its parent unit chosen from verified units by name (issue #14.1): nothing
typed as an id, staff verify the parent with the rest, and afterwards the parent changes only through a
change request."""

import pytest

from kechuang.accounts import services
from kechuang.accounts.models import Unit, UnitChangeRequest
from kechuang.accounts.tests.factories import UnitFactory, _credit_code

pytestmark = pytest.mark.django_db

PASSWORD = "Zhineng-chuangan-2026!"  # pragma: allowlist secret


@pytest.fixture
def endorser():
    return UnitFactory(name="晋中市科学技术局", kind=Unit.Kind.GOVERNMENT, credit_code="")


def _form(endorser, **extra):
    return {
        "name": "晋中智能传感科技有限公司",
        "kind": "enterprise",
        "credit_code": _credit_code(9301),
        "province": "山西",
        "city": "晋中",
        "region_code": "140700",
        "address": "晋中市榆次区",
        "endorser": endorser.pk,
        "contact_name": "王敏",
        "contact_phone": "0354-1234567",
        "full_name": "王敏",
        "email": "wangmin@example.cn",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **extra,
    }


def test_the_parent_is_searched_by_name_among_verified_units_by_anyone(client):
    group = UnitFactory(name="晋能控股集团有限公司", city="大同")
    UnitFactory(name="晋能待核验子公司", status=Unit.Status.PENDING)
    found = client.get("/accounts/register/units/", {"q": "晋能"}).json()["results"]
    assert [r["value"] for r in found] == [str(group.pk)]
    assert "晋能控股集团有限公司" in found[0]["text"] and group.credit_code not in found[0]["text"]
    assert (
        client.get("/accounts/register/units/", {"q": "晋"}).json()["results"] == []
    )  # two characters at least
    page = client.get("/accounts/register/").content.decode()
    assert "/accounts/register/units/" in page and 'name="parent"' in page


def test_a_unit_registers_with_its_parent_and_staff_verify_it_with_the_rest(
    client, client_for, endorser, staff
):
    group = UnitFactory(name="晋能控股集团有限公司")
    response = client.post("/accounts/register/", _form(endorser, parent=group.pk))
    assert response.status_code == 200, response.context["form"].errors
    unit = Unit.objects.get(name="晋中智能传感科技有限公司")
    assert unit.status == Unit.Status.PENDING and unit.parent == group
    page = client_for(staff).get(unit.get_absolute_url()).content.decode()
    assert "晋能控股集团有限公司" in page  # staff see the parent they verify
    # the link mailed to the registrant
    services.registration_address_confirm(user=unit.users.get(), password=PASSWORD)
    services.unit_verify(actor=staff, unit=unit)
    unit.refresh_from_db()
    assert unit.is_verified and unit.parent == group

    # Verified: the unit's own user changes the parent only through a change request.
    other = UnitFactory(name="太原重型机械集团有限公司")
    user = unit.users.get()
    _unit, cr = services.unit_update_or_request(actor=user, unit=unit, fields={"parent": other})
    unit.refresh_from_db()
    assert unit.parent == group and cr is not None and cr.status == UnitChangeRequest.Status.PENDING
    services.unit_change_request_decide(actor=staff, change_request=cr, approve=True)
    unit.refresh_from_db()
    assert unit.parent == other


def test_an_unverified_parent_is_refused_and_the_form_comes_back_filled(client, endorser):
    pending = UnitFactory(name="晋能待核验子公司", status=Unit.Status.PENDING)
    response = client.post("/accounts/register/", _form(endorser, parent=pending.pk))
    assert response.status_code == 400  # refused, the form as typed
    form = response.context["form"]
    assert "parent" in form.errors and form["name"].value() == "晋中智能传感科技有限公司"
    assert not Unit.objects.filter(name="晋中智能传感科技有限公司").exists()


def test_registration_without_a_parent_still_works(client, endorser):
    response = client.post("/accounts/register/", _form(endorser))
    assert response.status_code == 200, response.context["form"].errors
    assert Unit.objects.get(name="晋中智能传感科技有限公司").parent is None
