"""撤销 / 已撤销 mean different things in different places, and English says each its own way: a change of the
report pipeline is undone (Undo / Undone), a platform is closed (its status Closed, the action Close, the
reorganisation kind Closure), an integrity record's handling and a registered result are revoked, and an API
token is revoked (Revoke / Revoked). One msgid had given "Undo"/"Undone" to all of them; the others now carry
a context (pgettext). Chinese pages keep the same words."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from kechuang.accounts import services as account_services
from kechuang.accounts.models import ApiToken
from kechuang.core.roles import Role
from kechuang.ingest.models import Change
from kechuang.integrity.workflow import RecordStatus
from kechuang.platforms.models import Reorganisation
from kechuang.platforms.workflow import PLATFORM_MACHINE, Status
from kechuang.registry.workflow import RegistrationStatus


def _labels():
    return {
        "platform status": str(Status.RETIRED.label),
        "platform action": str(PLATFORM_MACHINE.get("retire").label),
        "reorganisation kind": str(Reorganisation.Kind.RETIRE.label),
        "integrity record": str(RecordStatus.REVOKED.label),
        "registered result": str(RegistrationStatus.REVOKED.label),
        "pipeline change": str(Change._meta.get_field("reverted").verbose_name),
    }


def test_each_revocation_in_its_own_english_word():
    with translation.override("en"):
        assert _labels() == {
            "platform status": "Closed",
            "platform action": "Close",
            "reorganisation kind": "Closure",
            "integrity record": "Revoked",
            "registered result": "Revoked",
            "pipeline change": "Undone",
        }


def test_chinese_pages_keep_the_same_words():
    with translation.override("zh-hans"):
        labels = _labels()
    assert labels == {
        "platform status": "已撤销",
        "platform action": "撤销",
        "reorganisation kind": "撤销",
        "integrity record": "已撤销",
        "registered result": "已撤销",
        "pipeline change": "已撤销",
    }


@pytest.mark.django_db
def test_the_profile_page_revokes_a_token_in_english(make_user, english_client_for):
    user = make_user(Role.APPLICANT)
    _live, _key = account_services.token_issue(actor=user, user=user, name="脚本", access="read")
    gone, _key2 = account_services.token_issue(actor=user, user=user, name="旧脚本", access="read")
    ApiToken.objects.filter(pk=gone.pk).update(revoked_at=gone.created_at)
    c = english_client_for(user)
    page = c.get(reverse("accounts:profile")).content.decode()
    # the live token's step sits behind a disclosure that says what revoking does (people20, session 29)
    assert ">Revoke…</summary>" in page and ">Revoke this token</button>" in page and ">Revoked<" in page
    assert "Undo" not in page and "Undone" not in page
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    page = c.get(reverse("accounts:profile")).content.decode()
    assert ">撤销…</summary>" in page and ">确认撤销此令牌</button>" in page and ">已撤销<" in page
