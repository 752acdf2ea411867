"""The "someone registered with your address" e-mail offered a password reset, which does nothing for an
inactive account (the reset skips it). For an account waiting for its unit's verification, or deactivated,
the e-mail now says what to do instead; the registration page answers exactly as for a new address
(docs/security.md §20)."""

import pytest
from django.core import mail
from django.utils import timezone

from kechuang.accounts.models import Unit, User
from kechuang.accounts.tests.factories import UnitFactory
from kechuang.core.roles import Role

from .test_account_enumeration import _form, _main

pytestmark = pytest.mark.django_db

NAME = "晋中智能传感科技有限公司"


@pytest.mark.parametrize("state", ["deactivated", "waiting", "rejected"])
def test_an_inactive_owner_is_told_what_to_do_and_the_page_is_the_same(
    client, make_user, state, django_capture_on_commit_callbacks
):
    endorser = UnitFactory(name="晋中市科学技术局", kind=Unit.Kind.GOVERNMENT, credit_code="")
    owner = make_user(Role.APPLICANT, email="owner@example.cn", full_name="李娜")
    if state == "deactivated":
        User.objects.filter(pk=owner.pk).update(is_active=False, last_login=timezone.now())
    else:
        unit = UnitFactory(status="pending" if state == "waiting" else "rejected")
        User.objects.filter(pk=owner.pk).update(is_active=False, last_login=None, unit=unit)

    with django_capture_on_commit_callbacks(execute=True):
        new = client.post("/accounts/register/", _form(endorser, "new@example.cn", 1))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post("/accounts/register/", _form(endorser, "owner@example.cn", 2))
    assert known.status_code == new.status_code == 200
    assert _main(new, "new@example.cn", NAME + "1") == _main(known, "owner@example.cn", NAME + "2")

    (told,) = mail.outbox
    assert told.to == ["owner@example.cn"]
    assert "/accounts/password/reset/" not in told.body  # the reset would do nothing for this account
    if state == "waiting":
        assert "等待科技厅核验" in told.body and "/accounts/login/" in told.body
    else:
        assert "已停用" in told.body and "联系科技厅" in told.body


def test_an_active_owner_still_gets_the_sign_in_and_reset_links(
    client, make_user, django_capture_on_commit_callbacks
):
    endorser = UnitFactory(name="晋中市科学技术局", kind=Unit.Kind.GOVERNMENT, credit_code="")
    make_user(Role.APPLICANT, email="owner@example.cn", full_name="李娜")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/register/", _form(endorser, "owner@example.cn", 2))
    (told,) = mail.outbox
    assert "/accounts/password/reset/" in told.body and "联系科技厅" not in told.body
