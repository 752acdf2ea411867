"""How long a mailed link works: a password-reset link 2 hours (PASSWORD_RESET_HOURS), an invitation 72 hours
(KECHUANG_INVITATION_HOURS); the page and the e-mail say how long, in the reader's language."""

import datetime
import re

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.utils import timezone

from kechuang.accounts.tests.factories import UnitFactory
from kechuang.core.roles import Role

pytestmark = pytest.mark.django_db


def _link_path(body: str) -> str:
    link = re.search(r"https?://\S+/accounts/password/reset/\S+/", body).group(0)
    return link.split("testserver", 1)[1]


def _opens(client, path: str) -> bool:
    return "new_password1" in client.get(path, follow=True).content.decode()


def test_a_reset_link_lasts_two_hours_and_the_page_and_mail_say_so(client, make_user):
    assert settings.PASSWORD_RESET_TIMEOUT == 2 * 3600
    make_user(Role.EXPERT, email="reader@example.org")
    assert "2\xa0小时内有效" in client.get("/accounts/password/reset/").content.decode()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        r = client.post("/accounts/password/reset/", {"email": "reader@example.org"}, follow=True)
    assert "2\xa0小时内有效" in r.content.decode()
    (message,) = mail.outbox
    assert "2\xa0小时内有效" in message.body
    path = _link_path(message.body)
    with time_machine.travel(start + datetime.timedelta(hours=1, minutes=50), tick=False):
        assert _opens(client.__class__(), path)
    with time_machine.travel(start + datetime.timedelta(hours=2, minutes=10), tick=False):
        assert not _opens(client.__class__(), path)


def test_the_reset_mail_says_how_long_in_the_readers_language(client, make_user):
    person = make_user(Role.EXPERT, email="en@example.org")
    person.language = "en"
    person.save(update_fields=["language"])
    client.post("/accounts/password/reset/", {"email": "en@example.org"})
    (message,) = mail.outbox
    assert "for 2\xa0hours" in message.body and "小时" not in message.body


def test_an_invitation_still_works_after_two_days(staff, client_for, django_capture_on_commit_callbacks):
    unit = UnitFactory(name="邀请测试大学", credit_code="")
    start = timezone.now()
    with time_machine.travel(start, tick=False), django_capture_on_commit_callbacks(execute=True):
        client_for(staff).post(
            "/accounts/users/invite/",
            {"email": "late@example.org", "full_name": "晚到者", "roles": ["expert"], "unit": unit.name},
        )
    (message,) = mail.outbox
    assert "72 小时内" in message.body
    path = _link_path(message.body)
    from django.test import Client

    with time_machine.travel(start + datetime.timedelta(days=2), tick=False):
        assert _opens(Client(), path)
    with time_machine.travel(start + datetime.timedelta(hours=73), tick=False):
        assert not _opens(Client(), path)
