"""A pending registration is never replaced by another person's post (docs/security.md §28; §25 left it).

V registered and has not confirmed yet. A registering a unit with V's address (a valid form, A's own password)
replaced V's registration (§24): V's link died, her unit was sent back — with a mail to V naming A's unit, or,
past the per-address mail limit, silently. Now A's registration is kept apart: V's registration, link and unit
stay as they were, A is told nothing a new registration is not told, and V's mailbox gets A's confirmation,
which only A's password confirms. The reverse order (§24: A first, V after, with V's own unit name and credit
code) still works: V's registration is kept apart with its own link, and V confirming it with her password
withdraws A's and makes hers."""

import pytest
from django.core import mail

from kechuang.accounts.models import RegistrationClaim, Unit, User
from kechuang.core.models import AuditEvent

from .registering import ATTACKER_PASSWORD, VICTIM, attacker_form
from .test_account_enumeration import PASSWORD, _form, _main
from .test_registration_address import _link

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_counters")]

UNIT = "晋中智能传感科技有限公司"


def _victim_intact(pk):
    victim = User.objects.get(pk=pk)
    assert victim.email == VICTIM and victim.email_unconfirmed and victim.unit.name == UNIT + "1"
    assert victim.unit.status == Unit.Status.PENDING and victim.unit.credit_code
    assert not AuditEvent.objects.filter(action="user.registration_withdraw").exists()
    return victim


def test_a_strangers_registration_with_the_address_leaves_the_pending_one_alone(
    client, staff, endorser, register
):
    register(_form(endorser, VICTIM, 1))
    (victims_mail,) = mail.outbox
    victim = User.objects.get(email_key=VICTIM)
    mail.outbox.clear()

    page = register(attacker_form(endorser))
    _victim_intact(victim.pk)
    assert not Unit.objects.filter(name=UNIT + "2").exists()  # nothing of A's is made yet
    # A's registration went to V's mailbox with its own link, naming A's unit (as every registration's mail)
    (attackers_mail,) = mail.outbox
    assert attackers_mail.to == [VICTIM] and UNIT + "2" in attackers_mail.body
    claim = RegistrationClaim.objects.get(email_key=VICTIM)
    event = AuditEvent.objects.get(action="user.registration_claim", object_id=str(claim.pk))
    assert event.after["unit"] == UNIT + "2" and event.actor_id is None
    # the page A saw is the one a registration with a fresh address gets
    fresh = register(_form(endorser, "li.na@example.cn", 3))
    assert _main(page, VICTIM, UNIT + "2") == _main(fresh, "li.na@example.cn", UNIT + "3")

    # V's own link still confirms her registration with her password; A's link then confirms nothing
    a_link = _link(attackers_mail)
    assert client.post(a_link, {"password": PASSWORD}).status_code == 400  # V pressing A's: refused
    assert client.post(_link(victims_mail), {"password": PASSWORD}).status_code == 200
    victim.refresh_from_db()
    assert not victim.email_unconfirmed and victim.unit.name == UNIT + "1"
    assert client.post(a_link, {"password": ATTACKER_PASSWORD}).status_code == 400
    assert not RegistrationClaim.objects.exists()
    assert AuditEvent.objects.filter(action="user.registration_claim_void").count() == 1
    assert User.objects.filter(email_key=VICTIM).count() == 1


def test_past_the_mail_limit_the_pending_registration_is_still_left_alone(
    client, settings, endorser, register, one_window
):
    """Where main replaced it with no e-mail at all: the per-address mail limit spent by A's posts."""
    settings.KECHUANG_MAIL_TO_ADDRESS_MAX = 2
    register(_form(endorser, VICTIM, 1))
    (victims_mail,) = mail.outbox
    victim = User.objects.get(email_key=VICTIM)
    for n in range(2, 6):
        register(attacker_form(endorser, n))
    assert len(mail.outbox) == 2  # the limit: V's own and one of A's
    _victim_intact(victim.pk)
    assert client.post(_link(victims_mail), {"password": PASSWORD}).status_code == 200


def test_the_owner_registering_after_a_squatter_confirms_her_own_with_the_squatted_name(
    client, staff, endorser, register
):
    """§24's order: A registered V's unit (its name and credit code) with V's address. V's registration of
    her unit is kept apart (not refused for the name), and her link, with her password, withdraws A's and
    makes hers; A's password opens nothing."""
    register(attacker_form(endorser, 1))
    squatter = User.objects.get(email_key=VICTIM)
    (attackers_mail,) = mail.outbox
    mail.outbox.clear()
    register(_form(endorser, "Wang.Min@example.cn", 1))
    (victims_mail,) = mail.outbox
    assert client.post(_link(victims_mail), {"password": ATTACKER_PASSWORD}).status_code == 400
    done = client.post(_link(victims_mail), {"password": PASSWORD})
    assert done.status_code == 200 and "已确认" in done.content.decode()
    holder = User.objects.get(email_key=VICTIM)
    assert holder.pk != squatter.pk and not holder.email_unconfirmed and holder.check_password(PASSWORD)
    assert holder.unit.name == UNIT + "1" and holder.unit.status == Unit.Status.PENDING
    squatter.refresh_from_db()
    assert squatter.email == "" and "注册已撤回" in squatter.unit.name
    withdrawn = AuditEvent.objects.get(action="user.registration_withdraw", object_id=str(squatter.pk))
    assert "确认了用它提交的另一次注册" in withdrawn.reason
    assert client.post(_link(attackers_mail), {"password": ATTACKER_PASSWORD}).status_code == 400
    assert AuditEvent.objects.filter(action="user.email_confirm", object_id=str(holder.pk)).count() == 1
    # staff verify the unit: V signs in with her password, A's opens nothing
    from kechuang.accounts import services

    services.unit_verify(actor=staff, unit=holder.unit)
    assert client.post("/accounts/login/", {"username": VICTIM, "password": PASSWORD}).status_code == 302


def test_a_wrong_password_at_a_kept_apart_link_is_refused_and_counted(client, settings, endorser, register):
    register(_form(endorser, VICTIM, 1))
    mail.outbox.clear()
    register(attacker_form(endorser))
    link = _link(mail.outbox[0])
    page = client.get(link)
    assert page.status_code == 200 and UNIT + "2" in page.content.decode()
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(link, {"password": f"guess-{n}"}, REMOTE_ADDR="10.9.9.9").status_code == 400
    assert client.post(link, {"password": "x"}, REMOTE_ADDR="10.9.9.9").status_code == 429
    assert (
        AuditEvent.objects.filter(action="user.email_confirm_refused").count() == settings.AXES_FAILURE_LIMIT
    )
    assert RegistrationClaim.objects.count() == 1 and not Unit.objects.filter(name=UNIT + "2").exists()
    # A's right password (from elsewhere) confirms A's registration: V's is withdrawn, as A holds the mailbox
    done = client.post(link, {"password": ATTACKER_PASSWORD}, REMOTE_ADDR="10.9.9.8")
    assert done.status_code == 200
    assert User.objects.get(email_key=VICTIM).unit.name == UNIT + "2"


def test_a_refused_post_keeps_nothing_apart(client, endorser, register):
    register(_form(endorser, VICTIM, 1))
    mail.outbox.clear()
    register(attacker_form(endorser) | {"credit_code": "X"}, status=400)
    assert not RegistrationClaim.objects.exists() and mail.outbox == []
    _victim_intact(User.objects.get(email_key=VICTIM).pk)
