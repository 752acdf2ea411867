"""An address staff changed for a person took effect at once, unconfirmed: a typo (or a stranger's address)
became the account's sign-in and the place its password resets go (docs/adr/0017). A new address for someone
who has signed in now waits for the person to confirm it, signed in, from a link mailed to it; the old address
is told and keeps working until then (docs/security.md §20)."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from kechuang.accounts.models import User
from kechuang.core.models import AuditEvent
from kechuang.core.roles import Role

pytestmark = pytest.mark.django_db

PASSWORD = "Zhineng-chuangan-2026!"  # pragma: allowlist secret


@pytest.fixture
def person(make_user):
    user = make_user(Role.APPLICANT, email="old@example.cn", full_name="王敏")
    user.set_password(PASSWORD)
    user.last_login = timezone.now()
    user.save()
    return user


def _change(client_for, staff, person, email, capture):
    data = {"full_name": person.full_name, "email": email, "roles": ["applicant"], "reason": "本人来电"}
    with capture(execute=True):
        r = client_for(staff).post(f"/accounts/users/{person.pk}/", data)
    return r


def _signs_in(client, email) -> bool:
    return client.post("/accounts/login/", {"username": email, "password": PASSWORD}).status_code == 302


def _link(message) -> str:
    (path,) = re.findall(r"http://testserver(/accounts/email/confirm/[^/\s]+/)", message.body)
    return path


def test_the_new_address_waits_for_the_person_and_the_old_one_is_told(
    client, client_for, staff, person, django_capture_on_commit_callbacks
):
    r = _change(client_for, staff, person, "new@example.cn", django_capture_on_commit_callbacks)
    assert r.status_code == 302
    person.refresh_from_db()
    assert person.email == "old@example.cn" and person.email_new == "new@example.cn"
    to_new, to_old = sorted(mail.outbox, key=lambda m: m.to != ["new@example.cn"])
    assert to_new.to == ["new@example.cn"] and to_old.to == ["old@example.cn"]
    assert "new@example.cn" in to_old.body and "/accounts/email/confirm/" not in to_old.body
    event = AuditEvent.objects.get(action="user.update", object_id=str(person.pk))
    assert event.after["email_new"] == "new@example.cn" and "email" not in event.after
    page = client_for(staff).get(f"/accounts/users/{person.pk}/").content.decode()
    assert "待确认的新电子邮箱" in page and "new@example.cn" in page

    # the old address still signs in; the new one does not yet
    assert not _signs_in(client, "new@example.cn") and _signs_in(client, "old@example.cn")

    link = _link(to_new)
    assert client.get(link).status_code == 200  # opening confirms nothing
    person.refresh_from_db()
    assert person.email == "old@example.cn"
    done = client.post(link)
    assert done.status_code == 200 and "new@example.cn" in done.content.decode()
    person.refresh_from_db()
    assert person.email == "new@example.cn" and person.email_new == ""
    event = AuditEvent.objects.get(action="user.email_change_confirm")
    assert event.before == {"email": "old@example.cn"} and event.actor_id == person.pk
    client.logout()
    assert _signs_in(client, "new@example.cn") and not _signs_in(Client(), "old@example.cn")
    assert client.post(link).status_code == 400  # spent


def test_the_link_works_only_for_the_person_signed_in(
    client, client_for, staff, person, make_user, django_capture_on_commit_callbacks
):
    _change(client_for, staff, person, "typo@example.cn", django_capture_on_commit_callbacks)
    link = _link(next(m for m in mail.outbox if m.to == ["typo@example.cn"]))
    # whoever reads the mistyped mailbox: not signed in, sent to sign in; signed in as someone else, refused
    assert client.post(link).status_code == 302
    stranger = make_user(Role.APPLICANT, email="stranger@example.cn")
    refused = client_for(stranger).post(link)
    assert refused.status_code == 400
    forged = client_for(person).post(link[:-3] + "xx/")
    assert forged.status_code == 400 and forged.content.decode().count(
        "无效"
    ) == refused.content.decode().count("无效")
    person.refresh_from_db()
    assert person.email == "old@example.cn"


def test_staff_cancel_by_giving_the_old_address_again_and_accounts_never_signed_in_change_at_once(
    client_for, staff, person, make_user, django_capture_on_commit_callbacks
):
    _change(client_for, staff, person, "new@example.cn", django_capture_on_commit_callbacks)
    link = _link(next(m for m in mail.outbox if m.to == ["new@example.cn"]))
    _change(client_for, staff, person, "old@example.cn", django_capture_on_commit_callbacks)
    person.refresh_from_db()
    assert person.email_new == ""
    assert client_for(person).post(link).status_code == 400  # the withdrawn change's link is dead

    invited = make_user(Role.APPLICANT, email="invited@example.cn", full_name="李娜")
    mail.outbox.clear()
    _change(client_for, staff, invited, "right@example.cn", django_capture_on_commit_callbacks)
    invited.refresh_from_db()
    assert invited.email == "right@example.cn" and invited.email_new == "" and mail.outbox == []


def test_an_address_another_account_has_is_refused_on_the_page(
    client_for, staff, person, make_user, django_capture_on_commit_callbacks
):
    make_user(Role.APPLICANT, email="taken@example.cn")
    r = _change(client_for, staff, person, "Taken@example.cn", django_capture_on_commit_callbacks)
    assert r.status_code == 400 and "已有用户使用此电子邮箱" in r.content.decode()
    person.refresh_from_db()
    assert person.email_new == "" and User.objects.filter(email_key="taken@example.cn").count() == 1
