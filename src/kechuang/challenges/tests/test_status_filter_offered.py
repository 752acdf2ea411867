"""The challenge list's status filter offers only the statuses the viewer can see: 草稿 to staff alone
(usable11); a draft asked for by an applicant is said beside the list, never shown."""

import pytest
from django.urls import reverse

from kechuang.challenges.workflow import ChallengeStatus

from .factories import ChallengeFactory

pytestmark = pytest.mark.django_db


def test_draft_is_offered_to_staff_only(client, client_for, staff, applicant):
    ChallengeFactory(code="JB-2026-901", title="草稿中的榜单", status=ChallengeStatus.DRAFT)
    url = reverse("challenges:challenge-list")
    for who, offered in ((client_for(staff), True), (client_for(applicant), False), (client, False)):
        r = who.get(url)
        values = [v for v, _text in r.context["filters"]["status"].options]
        assert ("draft" in values) is offered
        assert "published" in values and "cancelled" in values
    r = client_for(applicant).get(url, {"status": "draft"})
    assert r.status_code == 200 and r.context["filters"]["status"].error
    assert "草稿中的榜单" not in r.content.decode()
    r = client_for(staff).get(url, {"status": "draft"})
    assert not r.context["filters"]["status"].error and "草稿中的榜单" in r.content.decode()
