"""Whoever may open the Django admin must have a second factor where staff must (session 11's attacker
review): the requirement followed the department-staff role, and a Django `is_staff` account holding no
role (an administrator given a few model permissions) signed in to /admin/ with its password only."""

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
