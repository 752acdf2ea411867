"""Lodging an objection during the publicity says before its button what will happen: it cannot be changed
or withdrawn, and once answered its text and the answer are public, without who lodged it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from kechuang.challenges.models import Application, Publicity
from kechuang.core.roles import Role

from ..factories import ApplicationFactory


@pytest.mark.django_db
def test_the_objection_form_says_it_cannot_be_withdrawn_and_becomes_public(client_for, make_user):
    app = ApplicationFactory(submitted=True)
    Application.objects.filter(pk=app.pk).update(status="proposed")
    today = timezone.localdate()
    Publicity.objects.create(
        challenge=app.challenge,
        starts_on=today - datetime.timedelta(days=1),
        ends_on=today + datetime.timedelta(days=5),
    )
    html = client_for(make_user(Role.APPLICANT)).get(reverse("challenges:publicity", args=[app.challenge.pk]))
    body = html.content.decode()
    form = body[body.index('name="text"') : body.index("提交异议</button>")]
    assert "不能修改或撤回" in form and "不显示提出人和联系方式" in form
