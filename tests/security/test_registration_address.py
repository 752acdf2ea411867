"""Registering a unit takes no proof that the address typed is the registrant's: someone could register with
an address that belongs to another person (one on a unit's contact, a colleague's) and, once staff verified the
unit, sign in with it. The account now stays unusable until the link mailed to that address is opened
(docs/security.md §19); an address already held by an account answers as a new one (no enumeration) and its
owner is told (test_account_enumeration.py)."""

import re

import pytest
from django.core import mail

from kechuang.accounts import services
from kechuang.accounts.models import Unit, User
from kechuang.accounts.tests.factories import UnitFactory
from kechuang.core.models import AuditEvent

from .test_account_enumeration import PASSWORD, _form, _main

pytestmark = pytest.mark.django_db


def _register(client, endorser, email, n, capture):
    with capture(execute=True):
        r = client.post("/accounts/register/", _form(endorser, email, n))
    assert r.status_code == 200, r.context["form"].errors
    return r


def _link(message) -> str:
    (path,) = re.findall(r"http://testserver(/accounts/register/confirm/[^/\s]+/)", message.body)
    return path


def _signs_in(client, email) -> bool:
    r = client.post("/accounts/login/", {"username": email, "password": PASSWORD})
    return r.status_code == 302


def test_staff_verifying_the_unit_does_not_open_an_account_whose_address_is_unconfirmed(
    client, staff, django_capture_on_commit_callbacks
):
    endorser = UnitFactory(name="晋中市科学技术局", kind=Unit.Kind.GOVERNMENT, credit_code="")
    _register(client, endorser, "someone.else@example.cn", 1, django_capture_on_commit_callbacks)
    registrant = User.objects.get(email="someone.else@example.cn")
    assert registrant.email_unconfirmed and not registrant.is_active
    services.unit_verify(actor=staff, unit=registrant.unit)
    registrant.refresh_from_db()
    assert not registrant.is_active
    assert not _signs_in(client, "someone.else@example.cn")
    event = AuditEvent.objects.get(action="unit.verify")
    assert event.after["activated_users"] == []


def test_the_mailed_link_confirms_the_address_and_then_the_account_opens(
    client, staff, endorser, django_capture_on_commit_callbacks
):
    _register(client, endorser, "wang.min@example.cn", 1, django_capture_on_commit_callbacks)
    (welcome,) = mail.outbox
    link = _link(welcome)
    assert "3\xa0日内有效" in welcome.body  # how long it works (KECHUANG_INVITATION_HOURS)
    registrant = User.objects.get(email="wang.min@example.cn")

    page = client.get(link)  # opening the link (a mail scanner does) confirms nothing
    assert page.status_code == 200 and "wang.min@example.cn" in page.content.decode()
    registrant.refresh_from_db()
    assert registrant.email_unconfirmed

    done = client.post(link, {"password": PASSWORD})
    assert done.status_code == 200 and "已确认" in done.content.decode()
    registrant.refresh_from_db()
    assert not registrant.email_unconfirmed and not registrant.is_active  # the unit is not verified yet
    assert "核验" in done.content.decode()
    assert not _signs_in(client, "wang.min@example.cn")
    assert AuditEvent.objects.filter(action="user.email_confirm", object_id=str(registrant.pk)).count() == 1

    services.unit_verify(actor=staff, unit=registrant.unit)
    registrant.refresh_from_db()
    assert registrant.is_active and _signs_in(client, "wang.min@example.cn")


def test_confirming_after_the_unit_was_verified_opens_the_account_at_once(
    client, staff, endorser, django_capture_on_commit_callbacks
):
    _register(client, endorser, "late@example.cn", 1, django_capture_on_commit_callbacks)
    registrant = User.objects.get(email="late@example.cn")
    services.unit_verify(actor=staff, unit=registrant.unit)
    page = client.post(_link(mail.outbox[0]), {"password": PASSWORD})
    assert "现在可以用此电子邮箱" in page.content.decode()
    registrant.refresh_from_db()
    assert registrant.is_active and _signs_in(client, "late@example.cn")
    spent = client.post(_link(mail.outbox[0]), {"password": PASSWORD})
    assert spent.status_code == 400  # signed in since: the link is spent
    assert AuditEvent.objects.filter(action="user.email_confirm").count() == 1


def test_a_forged_or_outdated_link_is_refused(client, staff, endorser, django_capture_on_commit_callbacks):
    _register(client, endorser, "wang.min@example.cn", 1, django_capture_on_commit_callbacks)
    link = _link(mail.outbox[0])
    assert client.post(link.replace("/confirm/", "/confirm/x"), {"password": PASSWORD}).status_code == 400
    registrant = User.objects.get(email="wang.min@example.cn")
    User.objects.filter(pk=registrant.pk).update(email="other@example.cn")  # staff corrected the address
    r = client.post(link, {"password": PASSWORD})
    assert r.status_code == 400 and "无效或已过期" in r.content.decode()
    registrant.refresh_from_db()
    assert registrant.email_unconfirmed


def test_registering_again_with_an_unconfirmed_address_answers_the_same_and_confirms_the_new_one(
    client, endorser, django_capture_on_commit_callbacks
):
    """The address's owner, who did not open the first mail (or whose address a stranger took first),
    registers again: the page says what it says to a new registration, and the new registration is kept apart
    beside the unconfirmed one (§28) — its link confirms what was typed now, and once it is pressed the first
    registration is withdrawn and its link dead (§24's outcome, without a post ending anyone's)."""
    first = _register(client, endorser, "wang.min@example.cn", 1, django_capture_on_commit_callbacks)
    old_link = _link(mail.outbox[0])
    mail.outbox.clear()
    again = _register(client, endorser, "Wang.Min@example.cn", 2, django_capture_on_commit_callbacks)
    assert User.objects.filter(email_key="wang.min@example.cn").count() == 1
    name = "晋中智能传感科技有限公司"
    assert _main(first, "wang.min@example.cn", name + "1") == _main(
        again, "wang.min@example.cn", "Wang.Min@example.cn", name + "2"
    )
    (told,) = mail.outbox
    assert told.to == ["Wang.Min@example.cn".lower()] and name + "2" in told.body
    assert client.get(old_link).status_code == 200  # kept until the address's owner chooses
    client.post(_link(told), {"password": PASSWORD})
    assert client.post(old_link, {"password": PASSWORD}).status_code == 400
    confirmed = User.objects.get(email_key="wang.min@example.cn")
    assert not confirmed.email_unconfirmed and confirmed.unit.name == name + "2"
