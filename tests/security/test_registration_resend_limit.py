"""Staff's resend of a pending registration's own link within the per-address mail limit (docs/security.md
§32; §30 left it).

The kept-apart registrations' resend (§30) counted against the address's mail limit (§22); the pending
registration's own resend did not: staff pressing it mailed the address whatever it had had this window. The
address's owner asked for no more mail because staff pressed, so both resends count now: past the limit
nothing is sent, the page says in how many minutes it may be (400 beside the button, the page's other input
kept), audited `user.registration_mail_held` by the staff member."""

import pytest
from django.core import mail
from django.core.cache import cache

from kechuang.accounts.models import User
from kechuang.core.models import AuditEvent

from .registering import VICTIM
from .test_account_enumeration import PASSWORD, _form
from .test_registration_address import _link

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_counters", "one_window")]


def _resend(person):
    return f"/accounts/users/registrations/{person.pk}/resend/"


@pytest.fixture
def spent(settings, endorser, register):
    """V registered, her link mailed: the address's one mail this window (the limit is one here)."""
    settings.KECHUANG_MAIL_TO_ADDRESS_MAX = 1
    register(_form(endorser, VICTIM, 1))
    (first,) = mail.outbox
    mail.outbox.clear()
    return User.objects.get(email_key=VICTIM), first


def test_staff_resend_of_a_pending_link_respects_the_mail_limit_and_says_when(
    client, client_for, staff, spent, django_capture_on_commit_callbacks
):
    person, _first = spent
    sent_at = person.email_confirm_sent_at
    staff_client = client_for(staff)
    with django_capture_on_commit_callbacks(execute=True):
        refused = staff_client.post(_resend(person))
    assert refused.status_code == 400 and not mail.outbox
    text = refused.content.decode()
    beside = text[text.index(f'id="registration-{person.pk}"') :]
    assert "确认邮件没有发出" in beside and "分钟后再重新发送" in beside
    person.refresh_from_db()
    assert person.email_confirm_sent_at == sent_at  # the lifetime not renewed by a mail never sent
    event = AuditEvent.objects.get(action="user.registration_mail_held", object_id=str(person.pk))
    assert event.actor_id == staff.pk and event.after["retry_after"] > 0
    assert not AuditEvent.objects.filter(action="user.registration_resend").exists()

    cache.clear()  # the address's window passed
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        done = staff_client.post(_resend(person))
    assert done.status_code == 302
    (again,) = mail.outbox
    assert again.to == [VICTIM]
    assert AuditEvent.objects.filter(action="user.registration_resend", actor_id=staff.pk).count() == 1
    assert client.post(_link(again), {"password": PASSWORD}).status_code == 200


def test_the_refusal_reads_in_english(staff, spent, english_client_for):
    person, _first = spent
    staff_client = english_client_for(staff)
    refused = staff_client.post(_resend(person))
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "确认邮件没有发出" not in text and "minute" in text


def test_a_refused_withdrawal_keeps_the_reason_beside_a_held_resend(client_for, staff, spent):
    """The page refused for one step keeps what was typed into the other (the withdrawal's reason)."""
    person, _first = spent
    staff_client = client_for(staff)
    refused = staff_client.post(
        f"/accounts/users/registrations/{person.pk}/withdraw/", {"reason": "不是本人"}
    )
    assert refused.status_code == 400 and 'value="不是本人"' in refused.content.decode()
    assert staff_client.post(_resend(person)).status_code == 400
