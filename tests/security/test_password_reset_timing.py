"""The password reset answers before it looks the address up or sends anything (docs/security.md §51).

The page's words were the same for a known and an unknown address (§14), but its answer was not as quick:
for an address with an account the link's e-mail was written and handed to the mail server (SMTP, in
production) before the answer, for any other address nothing was — so how long the answer took told whoever
asked whether the address had an account. Now the look-up and the e-mail run once the answer is written
(when the server closes the response), so the answer is the same work whatever the address."""

import time

import pytest
from django.core import mail
from django.test import RequestFactory

from kechuang.accounts.views import PasswordResetView
from kechuang.core.roles import Role

pytestmark = pytest.mark.django_db


def _post(email: str):
    request = RequestFactory().post("/accounts/password/reset/", {"email": email}, REMOTE_ADDR="10.9.8.7")
    request._dont_enforce_csrf_checks = True
    return PasswordResetView.as_view()(request)


def test_the_reset_mail_is_sent_after_the_answer(make_user):
    make_user(Role.APPLICANT, email="known@example.cn")
    response = _post("known@example.cn")
    assert response.status_code == 302
    assert mail.outbox == []  # nothing sent while the answer was made
    response.close()  # the server has written the answer
    (message,) = mail.outbox
    assert message.to == ["known@example.cn"] and "/accounts/password/reset/" in message.body


def test_an_unknown_address_is_answered_the_same_and_sends_nothing(make_user):
    response = _post("nobody@example.cn")
    assert response.status_code == 302
    assert response["Location"] == _post("known@example.cn")["Location"]
    response.close()
    assert mail.outbox == []


class SlowBackend:
    """A mail server that takes its time, as SMTP across a network does; it notes when it was reached."""

    reached: list[float] = []

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        SlowBackend.reached.append(time.monotonic())
        time.sleep(0.2)
        mail.outbox.extend(messages)
        return len(messages)


def test_a_slow_mail_server_is_reached_only_after_the_answer(make_user, settings):
    settings.EMAIL_BACKEND = f"{__name__}.SlowBackend"
    SlowBackend.reached.clear()
    make_user(Role.APPLICANT, email="known@example.cn")
    response = _post("known@example.cn")
    answered = time.monotonic()
    assert SlowBackend.reached == []
    response.close()
    assert len(SlowBackend.reached) == 1 and SlowBackend.reached[0] >= answered
    assert len(mail.outbox) == 1


def test_the_page_through_the_client_still_sends_the_link(client, make_user):
    make_user(Role.APPLICANT, email="known@example.cn")
    response = client.post("/accounts/password/reset/", {"email": "known@example.cn"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1


def test_a_failing_mail_server_does_not_break_the_answer(client, make_user, settings):
    settings.EMAIL_BACKEND = f"{__name__}.BrokenBackend"
    make_user(Role.APPLICANT, email="known@example.cn")
    response = client.post("/accounts/password/reset/", {"email": "known@example.cn"})
    assert response.status_code == 302


class BrokenBackend(SlowBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server is down")
