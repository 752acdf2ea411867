"""Revoking an API token on the profile page is confirmed with what will happen (scripts stop at once, no
undo) before the button that does it: a person does not revoke a token with one stray click."""

import re

import pytest
from django.urls import reverse

from kechuang.accounts import services
from kechuang.accounts.models import ApiToken
from kechuang.core.roles import Role

pytestmark = pytest.mark.django_db


def test_the_revoke_button_sits_behind_what_will_happen(make_user, client_for):
    user = make_user(Role.APPLICANT)
    token, _key = services.token_issue(actor=user, user=user, access="read", areas=[], name="夜间同步")
    c = client_for(user)
    html = c.get(reverse("accounts:profile")).content.decode()
    revoke = reverse("accounts:token-revoke", args=[token.pk])
    block = re.search(r'<details class="token-revoke">(.*?)</details>', html, re.S)
    assert block and f'action="{revoke}"' in block.group(1)
    assert "立即不能再调用 API" in block.group(1) and "不能撤回" in block.group(1)
    assert html.count(f'action="{revoke}"') == 1  # no second, unconfirmed button
    c.post(revoke)
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
