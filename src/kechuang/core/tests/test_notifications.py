"""Notification e-mails (issue #13 part 8): absolute links on the configured site, sent by the background job
with retries, failures recorded and shown to staff, and each person's choice of the notices they get."""

import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse

from kechuang.core.models import AuditEvent, NoticeOptOut, Notification, OutboundEmail
from kechuang.core.notifications import notify

pytestmark = pytest.mark.django_db

SENDS = {"calls": 0}


class FailingBackend(BaseEmailBackend):
    """An SMTP server that refuses every message."""

    def send_messages(self, messages):
        SENDS["calls"] += 1
        raise smtplib.SMTPServerDisconnected("服务器断开连接")


class FlakyBackend(BaseEmailBackend):
    """Refuses the first message, then delivers to the locmem outbox."""

    def send_messages(self, messages):
        SENDS["calls"] += 1
        if SENDS["calls"] == 1:
            raise smtplib.SMTPServerDisconnected("暂时不可用")
        mail.outbox.extend(messages)
        return len(messages)


@pytest.fixture(autouse=True)
def _count():
    SENDS["calls"] = 0


def _notify(users, kind="application.submitted", url="/challenges/applications/7/"):
    return notify(recipients=users, title="申请已提交", body="请进行形式审查。", url=url, kind=kind)


def test_the_mail_carries_an_absolute_link_on_the_configured_site(
    applicant, settings, django_capture_on_commit_callbacks
):
    settings.KECHUANG_SITE_URL = "https://kc.example.org/"
    with django_capture_on_commit_callbacks(execute=True):
        _notify([applicant])
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "https://kc.example.org/challenges/applications/7/" in body
    assert "https://kc.example.org/notifications/settings/" in body  # where to turn it off
    sent = OutboundEmail.objects.get()
    assert sent.status == OutboundEmail.Status.SENT and sent.attempts == 1 and sent.sent_at


def test_nothing_is_sent_before_the_transaction_commits(applicant, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _notify([applicant])
    assert mail.outbox == [] and len(callbacks) == 1
    assert OutboundEmail.objects.get().status == OutboundEmail.Status.PENDING


def test_a_failure_is_retried_then_recorded(applicant, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "kechuang.core.tests.test_notifications.FailingBackend"
    settings.KECHUANG_EMAIL_RETRIES = 2
    with django_capture_on_commit_callbacks(execute=True):
        notes = _notify([applicant])
    failed = OutboundEmail.objects.get()
    assert SENDS["calls"] == 3  # the first attempt and two retries
    assert failed.status == OutboundEmail.Status.FAILED and failed.attempts == 3
    assert "服务器断开连接" in failed.last_error
    assert len(notes) == 1 and Notification.objects.filter(recipient=applicant).exists()  # in-app stays


def test_a_retry_that_succeeds_sends_once(applicant, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "kechuang.core.tests.test_notifications.FlakyBackend"
    with django_capture_on_commit_callbacks(execute=True):
        _notify([applicant])
    sent = OutboundEmail.objects.get()
    assert sent.status == OutboundEmail.Status.SENT and sent.attempts == 2 and sent.last_error == ""
    assert len(mail.outbox) == 1


def test_failures_are_shown_to_staff_who_send_them_again(
    staff, applicant, settings, client_for, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "kechuang.core.tests.test_notifications.FailingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        _notify([applicant])
    failed = OutboundEmail.objects.get()
    c = client_for(staff)
    dashboard = c.get(reverse("web:dashboard")).content.decode()
    assert "1 封通知邮件发送失败" in dashboard
    page = c.get(reverse("web:email-list"), {"status": "failed"}).content.decode()
    assert "服务器断开连接" in page and applicant.email in page and "发送失败" in page
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(reverse("web:email-resend", args=[failed.pk]))
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == OutboundEmail.Status.SENT and len(mail.outbox) == 1
    assert AuditEvent.objects.filter(action="email.resend", actor=staff).exists()
    assert "通知邮件发送失败" not in c.get(reverse("web:dashboard")).content.decode()


def test_only_staff_see_and_resend_the_mails(applicant, client_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _notify([applicant])
    c = client_for(applicant)
    assert c.get(reverse("web:email-list")).status_code == 403
    pk = OutboundEmail.objects.get().pk
    assert c.post(reverse("web:email-resend", args=[pk])).status_code == 403


def test_a_sent_mail_is_not_sent_again(staff, applicant, client_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _notify([applicant])
    sent = OutboundEmail.objects.get()
    # a stale tab's second send: a page saying it went and when (409; it was a message after a redirect)
    response = client_for(staff).post(reverse("web:email-resend", args=[sent.pk]))
    assert response.status_code == 409 and len(mail.outbox) == 1
    main = response.content.decode().split("<main", 1)[1]
    assert "已经处理" in main and "已发送" in main, main


def test_each_person_chooses_the_notices_they_get_by_mail(
    applicant, client_for, django_capture_on_commit_callbacks
):
    c = client_for(applicant)
    page = c.get(reverse("web:notice-settings")).content.decode()
    assert 'type="checkbox"' in page and "揭榜申请" in page
    everything_but_applications = [
        "challenge",
        "project",
        "review",
        "platforms",
        "accounts",
        "system",
        "other",
    ]
    response = c.post(reverse("web:notice-settings"), {"email_groups": everything_but_applications})
    assert response.status_code == 302
    assert list(NoticeOptOut.objects.filter(user=applicant).values_list("group", flat=True)) == [
        "application"
    ]
    event = AuditEvent.objects.get(action="notice.set")
    assert event.actor == applicant
    with django_capture_on_commit_callbacks(execute=True):
        _notify([applicant], kind="application.formal_check")
        _notify([applicant], kind="contract.signed", url="/challenges/projects/1/")
    assert [m.subject for m in mail.outbox] == ["申请已提交"] and "/projects/1/" in mail.outbox[0].body
    assert Notification.objects.filter(recipient=applicant).count() == 2  # both stay in the app
    page = c.get(reverse("web:notice-settings")).content.decode()
    assert 'value="application"' in page and 'value="application" checked' not in page.replace("\n", "")


def test_a_person_without_an_address_gets_no_mail_and_is_told(make_user, client_for):
    from kechuang.core.roles import Role

    nobody = make_user(Role.APPLICANT, email="")
    _notify([nobody])
    assert not OutboundEmail.objects.exists()
    assert "还没有邮箱" in client_for(nobody).get(reverse("web:notice-settings")).content.decode()
