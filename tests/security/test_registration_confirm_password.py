"""The reverse-order registration takeover (docs/security.md §24, left; closed in §25): V registers, and before
V confirms, A registers with V's address and A's own password. A's registration replaces V's, and V's mailbox
gets the confirmation e-mail of A's registration. Pressing its link confirmed A's registration: once staff
verified A's unit, A signed in with V's address. Now the link's page asks for the password chosen at
registration, which V does not know: V's own is refused (400, the reason, the link kept, audited, counted
like a failed sign-in), and A's registration never opens. The e-mail says which unit it is for and to ignore
it if one did not register that unit. A refused registration post no longer replaces anything; since §28 a
valid one does not either (A's registration is kept apart, V's stays)."""

import pytest
from django.core import mail

from kechuang.accounts import services
from kechuang.accounts.models import RegistrationClaim, Unit, User
from kechuang.core.models import AuditEvent

from .registering import ATTACKER_PASSWORD, VICTIM, attacker_form
from .test_account_enumeration import PASSWORD, _form
from .test_registration_address import _link

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_counters")]

WRONG = "Not-This-Registration-7?"  # pragma: allowlist secret
VICTIMS_UNIT = "晋中智能传感科技有限公司1"
ATTACKERS_UNIT = "晋中智能传感科技有限公司2"


def _signs_in(client, password) -> bool:
    return client.post("/accounts/login/", {"username": VICTIM, "password": password}).status_code == 302


def test_the_victim_pressing_the_attackers_confirmation_does_not_confirm_it(
    client, staff, endorser, register
):
    # V registers her unit; before she confirms, A registers with her address and A's password
    register(_form(endorser, VICTIM, 1))
    (victims_first,) = mail.outbox
    mail.outbox.clear()
    register(attacker_form(endorser))
    (attackers_mail,) = mail.outbox  # to V's mailbox
    assert attackers_mail.to == [VICTIM]
    assert client.get(_link(victims_first)).status_code == 200  # V's registration is kept (§28)

    # V opens the link: the page names A's unit and asks for the registration's password
    link = _link(attackers_mail)
    page = client.get(link)
    text = page.content.decode()
    assert page.status_code == 200 and ATTACKERS_UNIT in text

    # a press with no password, or with V's own, confirms nothing: 400 and why, the link still live
    assert client.post(link).status_code == 400
    assert 'type="password"' in text and 'autocomplete="current-password"' in text
    refused = client.post(link, {"password": PASSWORD})
    assert refused.status_code == 400
    assert "密码与这次注册设置的密码不符，电子邮箱没有确认" in refused.content.decode()
    claim = RegistrationClaim.objects.get(email_key=VICTIM)  # A's, kept apart (§28)
    event = AuditEvent.objects.get(action="user.email_confirm_refused", object_id=str(claim.pk))
    assert event.after == {"email": VICTIM} and event.actor_id is None and "密码" in event.reason
    assert client.get(link).status_code == 200  # not consumed
    assert not Unit.objects.filter(name=ATTACKERS_UNIT).exists()  # nothing of A's is made

    # the e-mail names the unit it is for and tells whoever did not register it to ignore it
    body = attackers_mail.body
    assert ATTACKERS_UNIT in body and VICTIMS_UNIT not in body
    assert f"如果您没有注册“{ATTACKERS_UNIT}”：请忽略本邮件" in body and "输入注册时设置的密码" in body

    # V confirms her own registration with her password: A's link dies, A's password opens nothing
    done = client.post(_link(victims_first), {"password": PASSWORD})
    assert done.status_code == 200 and "已确认" in done.content.decode()
    assert client.post(link, {"password": ATTACKER_PASSWORD}).status_code == 400
    holder = User.objects.get(email_key=VICTIM)
    assert (
        not holder.email_unconfirmed and holder.check_password(PASSWORD) and holder.unit.name == VICTIMS_UNIT
    )
    services.unit_verify(actor=staff, unit=holder.unit)
    assert not _signs_in(client, ATTACKER_PASSWORD) and _signs_in(client, PASSWORD)


def test_a_wrong_password_keeps_the_link_and_the_right_one_confirms(client, endorser, register):
    register(_form(endorser, VICTIM, 1))
    link = _link(mail.outbox[0])
    assert client.post(link, {"password": PASSWORD + "x"}).status_code == 400
    registrant = User.objects.get(email_key=VICTIM)
    assert registrant.email_unconfirmed
    done = client.post(link, {"password": PASSWORD})
    assert done.status_code == 200 and "已确认" in done.content.decode()
    registrant.refresh_from_db()
    assert not registrant.email_unconfirmed
    assert AuditEvent.objects.filter(action="user.email_confirm", object_id=str(registrant.pk)).count() == 1
    assert (
        AuditEvent.objects.filter(action="user.email_confirm_refused", object_id=str(registrant.pk)).count()
        == 1
    )


def test_five_wrong_passwords_lock_the_confirmation_from_that_address(client, endorser, settings, register):
    """The attempts are those of the sign-in page: axes counts each wrong password as a failed sign-in of the
    account from the client's address, and five lock it there — the right password included — for the
    cool-off (the sign-in page for that account too); another address is not locked."""
    register(_form(endorser, VICTIM, 1))
    link = _link(mail.outbox[0])
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(link, {"password": f"guess-{n}"}, REMOTE_ADDR="10.9.9.9").status_code == 400
    last = client.post(link, {"password": WRONG}, REMOTE_ADDR="10.9.9.9")
    assert last.status_code == 429 and "暂时锁定" in last.content.decode()  # the sign-in lockout page
    locked = client.post(link, {"password": PASSWORD}, REMOTE_ADDR="10.9.9.9")
    assert locked.status_code == 429 and "暂时锁定" in locked.content.decode()
    registrant = User.objects.get(email_key=VICTIM)
    assert registrant.email_unconfirmed
    refused = AuditEvent.objects.filter(action="user.email_confirm_refused", object_id=str(registrant.pk))
    assert refused.count() == settings.AXES_FAILURE_LIMIT  # each wrong one; the locked press tried nothing
    assert client.post(link, {"password": PASSWORD}, REMOTE_ADDR="10.9.9.8").status_code == 200


def test_the_confirmation_counts_against_the_addresss_sign_in_limit(
    client, endorser, settings, register, one_window
):
    register(_form(endorser, VICTIM, 1))
    link = _link(mail.outbox[0])
    settings.LOGIN_IP_MAX_ATTEMPTS = 2
    for _ in range(2):
        assert client.post(link, {"password": WRONG}, REMOTE_ADDR="10.9.9.7").status_code == 400
    r = client.post(link, {"password": PASSWORD}, REMOTE_ADDR="10.9.9.7")
    assert r.status_code == 429 and r["Retry-After"]
    assert User.objects.get(email_key=VICTIM).email_unconfirmed


def test_a_refused_registration_post_replaces_nothing(client, endorser, register):
    """A post is checked with the registrations holding its address set aside (a name or credit code they
    hold is then free), but that is rolled back: an empty form naming V's address withdraws nothing (§25),
    and since §28 a valid one does not either."""
    register(_form(endorser, VICTIM, 1))
    (victims_mail,) = mail.outbox
    mail.outbox.clear()
    refused = register({"email": VICTIM}, status=400)
    assert refused.context["form"].errors
    registrant = User.objects.get(email_key=VICTIM)
    assert registrant.email == VICTIM and registrant.unit.name == VICTIMS_UNIT
    assert not AuditEvent.objects.filter(action="user.registration_withdraw").exists()
    assert mail.outbox == []
    assert client.post(_link(victims_mail), {"password": PASSWORD}).status_code == 200


def test_a_valid_post_still_takes_the_squatted_name(client, endorser, register):
    """What setting the holders aside before the form is for: A's pending registration with V's address and
    V's unit's name and credit code; V's own registration of that unit is kept apart and her link confirms it."""
    squat = _form(endorser, VICTIM, 1) | {"password1": ATTACKER_PASSWORD, "password2": ATTACKER_PASSWORD}
    register(squat)
    mail.outbox.clear()
    register(_form(endorser, VICTIM, 1))
    assert client.post(_link(mail.outbox[0]), {"password": PASSWORD}).status_code == 200
    holder = User.objects.get(email_key=VICTIM)
    assert holder.unit.name == VICTIMS_UNIT and not holder.email_unconfirmed
