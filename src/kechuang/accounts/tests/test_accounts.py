import pytest
from django.core.exceptions import ValidationError

from kechuang.accounts import services
from kechuang.accounts.models import Unit
from kechuang.accounts.tests.factories import UnitFactory
from kechuang.accounts.validators import credit_code_check_char, is_valid_credit_code
from kechuang.core.exceptions import PermissionDenied
from kechuang.core.models import AuditEvent
from kechuang.core.roles import Role, has_role, roles_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91110000802100433B", "91310000717866186P"])
def test_published_credit_codes_validate_and_any_other_check_char_fails(code):
    # Codes as printed on business licences (the first is GB 32100-2015's own example).
    assert is_valid_credit_code(code)
    assert credit_code_check_char(code[:17]) == code[17]
    others = [c for c in "0123456789ABCDEFGHJKLMNPQRTUWXY" if c != code[17]]
    assert not any(is_valid_credit_code(code[:17] + c) for c in others)


@pytest.mark.parametrize("bad", ["", "123", "91140100000000001I", "9114010000000000 1", "91ABCDEF0000000011"])
def test_credit_code_rejects_malformed(bad):
    assert not is_valid_credit_code(bad)


def test_enterprise_needs_credit_code(staff):
    with pytest.raises(ValidationError) as err:
        services.unit_create(actor=staff, name="无代码企业", kind=Unit.Kind.ENTERPRISE)
    assert "credit_code" in err.value.message_dict


def test_unit_create_is_audited(staff):
    unit = services.unit_create(actor=staff, name="新大学", kind=Unit.Kind.UNIVERSITY, city="太原")
    event = AuditEvent.objects.get(action="unit.create", object_id=str(unit.pk))
    assert event.after["name"] == "新大学" and event.actor == staff


def test_unit_user_edits_own_unit_only(make_user):
    own, other = UnitFactory(), UnitFactory()
    user = make_user(Role.APPLICANT, unit=own)
    services.unit_update(actor=user, unit=own, address="大同市新街1号", reason="moved")
    own.refresh_from_db()
    assert own.address == "大同市新街1号"
    event = AuditEvent.objects.get(action="unit.update", object_id=str(own.pk))
    assert event.before == {"address": ""} and event.after == {"address": "大同市新街1号"}
    assert event.reason == "moved"
    with pytest.raises(PermissionDenied):
        services.unit_update(actor=user, unit=other, address="大同")
    assert user.has_perm("accounts.change_unit", own) and not user.has_perm("accounts.change_unit", other)


def test_unit_edit_page_refuses_other_units(make_user, client_for):
    own, other = UnitFactory(), UnitFactory()
    client = client_for(make_user(Role.APPLICANT, unit=own))
    assert client.get(f"/accounts/units/{own.pk}/edit/").status_code == 200
    assert client.get(f"/accounts/units/{other.pk}/edit/").status_code == 404


def test_unit_edit_form_shows_field_errors_and_keeps_data(make_user, client_for):
    unit = UnitFactory()
    client = client_for(make_user(Role.STAFF))
    response = client.post(
        f"/accounts/units/{unit.pk}/edit/", {"name": "", "kind": "enterprise", "credit_code": "bad"}
    )
    assert response.status_code == 400  # refused: the form as typed and why
    body = response.content.decode()
    assert "errorlist" in body and "统一社会信用代码无效" in body
    unit.refresh_from_db()
    assert unit.name.startswith("测试单位")


def test_roles_and_superuser(make_user, admin_user):
    user = make_user(Role.EXPERT)
    assert roles_of(user) == {"expert"}
    assert has_role(admin_user, Role.STAFF)
    assert not has_role(user, Role.STAFF)


def test_set_roles_staff_only(make_user, staff):
    user = make_user(Role.EXPERT)
    with pytest.raises(PermissionDenied):
        services.user_set_roles(actor=user, user=user, roles=[Role.STAFF])
    services.user_set_roles(actor=staff, user=user, roles=[Role.EXPERT, Role.COMMISSIONER], reason="new duty")
    assert AuditEvent.objects.filter(action="user.set_roles", object_id=str(user.pk)).exists()


def test_passwords_are_hashed_with_argon2_in_production_settings():
    from kechuang.settings import base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_lockout_after_repeated_failures(client, make_user):
    make_user(None, username="locky")
    for _ in range(5):
        response = client.post("/accounts/login/", {"username": "locky", "password": "wrong-password"})
    response = client.post("/accounts/login/", {"username": "locky", "password": "correct-horse-battery"})
    assert response.status_code == 429
    assert "锁定" in response.content.decode()
