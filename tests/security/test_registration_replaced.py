"""A pre-account takeover through an unconfirmed registration (docs/security.md §24): A registers a unit with
V's address and A's own password; A cannot confirm it (no mailbox). When V later registered with her address,
the page answered as for a new registration but the e-mail carried a link that confirmed A's registration —
V, expecting a confirmation, pressed it, staff verified A's unit, and an account with V's address and A's
password opened. Now V's registration is kept apart beside the unconfirmed one (§28) and the link V gets
confirms what V typed; confirming it withdraws A's (audited, its links dead, its unit's name and credit code
freed)."""

import pytest
from django.core import mail

from kechuang.accounts import services
from kechuang.accounts.models import Unit, User
from kechuang.core.models import AuditEvent

from .test_account_enumeration import PASSWORD, _form, _main
from .test_registration_address import _link

pytestmark = pytest.mark.django_db

VICTIM = "wang.min@example.cn"
ATTACKER_PASSWORD = "Attacker-Knows-This-9!"


def _post(client, data, capture):
    with capture(execute=True):
        r = client.post("/accounts/register/", data)
    assert r.status_code == 200, r.context["form"].errors
    return r


def test_the_victims_registration_does_not_confirm_the_attackers(
    client, staff, endorser, django_capture_on_commit_callbacks
):
    attacker = _form(endorser, VICTIM, 1) | {"password1": ATTACKER_PASSWORD, "password2": ATTACKER_PASSWORD}
    _post(client, attacker, django_capture_on_commit_callbacks)
    squatter = User.objects.get(email=VICTIM)
    (attackers_mail,) = mail.outbox  # to V's mailbox: A never reads it
    mail.outbox.clear()
    # V registers her own unit with her address and her password, and presses the link she is mailed
    page = _post(client, _form(endorser, "Wang.Min@example.cn", 2), django_capture_on_commit_callbacks)
    (victims_mail,) = mail.outbox
    assert (
        "晋中智能传感科技有限公司2" in victims_mail.body
        and "晋中智能传感科技有限公司1" not in victims_mail.body
    )
    assert client.post(_link(victims_mail), {"password": PASSWORD}).status_code == 200
    for unit in Unit.objects.filter(status=Unit.Status.PENDING):
        services.unit_verify(actor=staff, unit=unit)
    # the address signs in with V's password only; A's password opens nothing, A's first link is dead
    holder = User.objects.get(email_key=VICTIM)
    assert holder.pk != squatter.pk and holder.is_active and holder.unit.name == "晋中智能传感科技有限公司2"
    assert holder.check_password(PASSWORD) and not holder.check_password(ATTACKER_PASSWORD)
    assert (
        client.post("/accounts/login/", {"username": VICTIM, "password": ATTACKER_PASSWORD}).status_code
        != 302
    )
    assert client.post(_link(attackers_mail), {"password": ATTACKER_PASSWORD}).status_code == 400
    squatter.refresh_from_db()
    assert squatter.email == "" and not squatter.is_active and not squatter.has_usable_password()
    event = AuditEvent.objects.get(action="user.registration_withdraw", object_id=str(squatter.pk))
    assert event.actor_id is None and "确认了用它提交的另一次注册" in event.reason
    # A's unit was sent back and its name freed: V could register under the same name
    assert squatter.unit.status == Unit.Status.REJECTED and "注册已撤回" in squatter.unit.name
    # the page V saw is the one any new registration gets
    fresh = _post(client, _form(endorser, "li.na@example.cn", 3), django_capture_on_commit_callbacks)
    name = "晋中智能传感科技有限公司"
    assert _main(page, "Wang.Min@example.cn", "wang.min@example.cn", name + "2") == _main(
        fresh, "li.na@example.cn", name + "3"
    )


def test_the_squatted_unit_name_and_address_register_in_one_go(
    client, endorser, django_capture_on_commit_callbacks
):
    """A registered V's address and V's unit's name and credit code: V's registration of her unit is not
    refused for them, and confirming it takes both."""
    attacker = _form(endorser, VICTIM, 1) | {"password1": ATTACKER_PASSWORD, "password2": ATTACKER_PASSWORD}
    _post(client, attacker, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    _post(client, _form(endorser, VICTIM, 1), django_capture_on_commit_callbacks)
    assert client.post(_link(mail.outbox[0]), {"password": PASSWORD}).status_code == 200
    holder = User.objects.get(email_key=VICTIM)
    assert holder.check_password(PASSWORD) and holder.unit.name == "晋中智能传感科技有限公司1"
    assert "晋中智能传感科技有限公司1" in mail.outbox[0].body


def test_a_known_active_address_is_still_not_replaced(
    client, endorser, make_user, django_capture_on_commit_callbacks
):
    owner = make_user(email=VICTIM)
    _post(client, _form(endorser, VICTIM, 1), django_capture_on_commit_callbacks)
    owner.refresh_from_db()
    assert owner.email == VICTIM and owner.is_active
    assert User.objects.filter(email_key=VICTIM).count() == 1
