"""An e-mail's subject is one line, whatever the words it names (docs/security.md §37, security29).

A notice's subject names what a person typed — an application's or a submission's title, a unit's name, a
campaign's name — and a typed one-line field keeps a line break posted inside it (Django's and DRF's text fields
strip only the ends). Django's mail refuses a header holding a line break (BadHeaderError: no header can be
injected), so such a message was never sent: each attempt failed, the notice ended 发送失败, and a unit sent
back at registration was never told (that mail fails silently). The subject is now made one line where it is
written (`core.notifications.mail_subject`), and a subject stored before is made so when it is sent."""

import pytest
from django.core import mail

from kechuang.accounts.models import Unit
from kechuang.accounts.services import units as unit_services
from kechuang.accounts.tests.factories import UnitFactory, UserFactory
from kechuang.core.messages import Message
from kechuang.core.models import OutboundEmail
from kechuang.core.notifications import email_deliver, mail_subject, notify

pytestmark = pytest.mark.django_db

BREAKS = [
    ("a\nBcc: x@evil.example", "a Bcc: x@evil.example"),
    ("a\r\nb", "a b"),
    ("a\rb", "a b"),
    ("a\u2028b", "a b"),
    ("a \n \n b", "a b"),
]


@pytest.mark.parametrize(("typed", "shown"), BREAKS)
def test_a_notice_naming_text_with_a_line_break_is_sent_on_one_line(
    typed, shown, django_capture_on_commit_callbacks
):
    person = UserFactory(email="reader@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            recipients=[person],
            title=Message("新的揭榜申请：%(t)s", t=typed),
            body="正文",
            kind="application.x",
        )
    sent = OutboundEmail.objects.get()
    assert sent.status == OutboundEmail.Status.SENT, sent.last_error
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "新的揭榜申请：" + shown
    assert mail.outbox[0].to == ["reader@example.com"] and not mail.outbox[0].bcc


def test_a_subject_stored_with_a_line_break_is_sent():
    person = UserFactory(email="reader@example.com")
    stored = OutboundEmail.objects.create(
        recipient=person, address=person.email, subject="旧\n主题", body="正文"
    )
    assert email_deliver(stored.pk).status == OutboundEmail.Status.SENT
    assert mail.outbox[0].subject == "旧 主题"


def test_a_unit_sent_back_at_registration_is_told_whatever_its_name(
    staff, django_capture_on_commit_callbacks
):
    unit = UnitFactory(name="某某\n科技有限公司", status=Unit.Status.PENDING)
    UserFactory(unit=unit, email="registrant@example.com", is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        unit_services.unit_reject(actor=staff, unit=unit, reason="材料不全")
    assert [m.to for m in mail.outbox] == [["registrant@example.com"]]
    assert "\n" not in mail.outbox[0].subject and "某某 科技有限公司" in mail.outbox[0].subject


@pytest.mark.parametrize("text", ["榜单已发布", "Two  spaces kept", ""])
def test_a_one_line_subject_is_left_as_it_is(text):
    assert mail_subject(text) == text
