"""The sign-in page says the session expired when a page sent a person there after it timed out, and says
nothing on a first visit or after signing out (session 14, walker4)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

ZH = "登录已过期，请重新登录。"
EN = "Your session has expired; please sign in again."


def _sent_to_sign_in(client):
    r = client.get(reverse("ingest:document-list"), follow=True)
    assert r.redirect_chain and reverse("accounts:login") in r.redirect_chain[-1][0]
    return r.content.decode()


@pytest.mark.parametrize(("language", "words"), [("zh-hans", ZH), ("en", EN)])
def test_a_timed_out_session_is_told_on_the_sign_in_page(client_for, staff, language, words):
    c = client_for(staff)
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    assert c.get(reverse("ingest:document-list")).status_code == 200
    Session.objects.update(expire_date=timezone.now() - timedelta(minutes=1))  # 8 hours later
    assert words in _sent_to_sign_in(c)


def test_a_first_visit_and_a_signed_out_person_are_told_nothing(client_for, staff):
    assert ZH not in _sent_to_sign_in(Client())
    c = client_for(staff)
    c.post(reverse("accounts:logout"))
    assert ZH not in _sent_to_sign_in(c)
