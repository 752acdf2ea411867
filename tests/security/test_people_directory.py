"""Who works where is not a public directory: the people of a unit are listed to staff, commissioners and
the unit's own users, not to every signed-in account (an expert, another unit's applicant), who could
otherwise read every unit's staff by walking /accounts/units/<id>/ — the names the staff-only people
picker (web:pick-users) keeps to staff."""

import pytest

from kechuang.core.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit_with_people(make_user):
    member = make_user(Role.APPLICANT, full_name="甲单位联络员张三")
    return member.unit, member


@pytest.mark.parametrize("role", [Role.EXPERT, Role.APPLICANT, Role.OPERATOR])
def test_others_do_not_see_the_units_people(unit_with_people, make_user, client_for, role):
    unit, member = unit_with_people
    outsider = make_user(role)  # of another unit (the factory makes one per user)
    assert outsider.unit_id != unit.pk
    page = client_for(outsider).get(f"/accounts/units/{unit.pk}/")
    assert page.status_code == 200  # the unit's page itself stays open to anyone signed in
    assert unit.name in page.content.decode()
    assert member.full_name not in page.content.decode()


@pytest.mark.parametrize("role", [Role.STAFF, Role.COMMISSIONER])
def test_staff_and_commissioners_see_them(unit_with_people, make_user, client_for, role):
    unit, member = unit_with_people
    assert member.full_name in client_for(make_user(role)).get(f"/accounts/units/{unit.pk}/").content.decode()


def test_the_units_own_users_see_them(unit_with_people, make_user, client_for):
    unit, member = unit_with_people
    colleague = make_user(Role.APPLICANT, unit=unit)
    assert member.full_name in client_for(colleague).get(f"/accounts/units/{unit.pk}/").content.decode()
