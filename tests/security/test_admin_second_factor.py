"""Whoever may open the Django admin must have a second factor where staff must (session 11's attacker
review): the requirement followed the department-staff role, and a Django `is_staff` account holding no
role (an administrator given a few model permissions) signed in to /admin/ with its password only; and
the API token endpoint gave a token to a person who must set up a second factor and had not yet."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from kechuang.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


@pytest.fixture
def admin_without_role():
    user = UserFactory(roles=[], is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_group"))
    return user


def test_an_admin_account_without_the_staff_role_must_set_up_a_second_factor(settings, admin_without_role):
    settings.KECHUANG_OTP_REQUIRED_FOR_STAFF = True
    c = Client()
    c.post("/admin/login/", {"username": admin_without_role.username, "password": PASSWORD})
    r = c.get("/admin/auth/group/")
    assert r.status_code == 302 and r["Location"].startswith("/accounts/2fa/setup/")


def test_without_the_requirement_the_admin_opens(settings, admin_without_role):
    settings.KECHUANG_OTP_REQUIRED_FOR_STAFF = False
    c = Client()
    c.post("/admin/login/", {"username": admin_without_role.username, "password": PASSWORD})
    assert c.get("/admin/auth/group/").status_code == 200


def test_no_api_token_for_a_person_who_must_set_up_a_second_factor_first(settings, make_user):
    """The token endpoint asked for a code only when a device existed: staff who had not set one up yet (a
    stolen password, say) got a 30-day token with the password alone, while every page sent them to set up."""
    from rest_framework.test import APIClient

    from kechuang.accounts.models import ApiToken
    from kechuang.core.roles import Role

    settings.KECHUANG_OTP_REQUIRED_FOR_STAFF = True
    staff, applicant = make_user(Role.STAFF), make_user(Role.APPLICANT)
    r = APIClient().post(
        "/api/auth/token/", {"username": staff.username, "password": PASSWORD}, format="json"
    )
    assert r.status_code == 400 and r.json()["error"]["code"] == "otp_setup_required"
    assert not ApiToken.objects.filter(user=staff).exists()
    r = APIClient().post(
        "/api/auth/token/", {"username": applicant.username, "password": PASSWORD}, format="json"
    )
    assert r.status_code == 200  # no second factor required of an applicant
