"""A refused objection is shown again with what was typed: the project chosen, the text, the contact."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from kechuang.challenges.models import Application, Publicity
from kechuang.core.roles import Role

from ..factories import ApplicationFactory


@pytest.mark.django_db
def test_a_refused_objection_keeps_its_text_choice_and_contact(client_for, make_user):
    app = ApplicationFactory(submitted=True)
    Application.objects.filter(pk=app.pk).update(status="proposed")
    other = ApplicationFactory(challenge=app.challenge, submitted=True)
    Application.objects.filter(pk=other.pk).update(status="proposed")
    today = timezone.localdate()
    Publicity.objects.create(
        challenge=app.challenge,
        starts_on=today - datetime.timedelta(days=1),
        ends_on=today + datetime.timedelta(days=5),
    )
    url = reverse("challenges:publicity", args=[app.challenge.pk])
    client = client_for(make_user(Role.APPLICANT))
    # no project chosen: refused, the text and the contact kept
    r = client.post(
        url, {"application": "", "text": "该团队挂帅人同时承担其他项目", "contact": "0351-1234567"}
    )
    assert r.status_code == 400
    body = r.content.decode()
    assert "该团队挂帅人同时承担其他项目</textarea>" in body and 'value="0351-1234567"' in body
    # a chosen project stays chosen
    r = client.post(url, {"application": str(other.pk), "text": "", "contact": "甲"})
    assert r.status_code == 400
    assert f'<option value="{other.pk}" selected>' in r.content.decode()
