"""A step refused after its confirmation page (issue #13.4): the page answers 400 again, with the reason and
what the person typed, and nothing changes."""

import pytest
from django.urls import reverse

from kechuang.challenges import services
from kechuang.challenges.models import Application, Challenge
from kechuang.challenges.tests.factories import ApplicationFactory, ChallengeFactory
from kechuang.core.exceptions import ApplicationError

pytestmark = pytest.mark.django_db


def test_a_refused_cancel_keeps_the_reason_typed(staff, client_for, monkeypatch):
    ch = ChallengeFactory(published=True)

    def refuse(**kwargs):
        raise ApplicationError("另一位工作人员刚刚修改了榜单，请核对后重试。")

    monkeypatch.setattr(services, "challenge_cancel", refuse)
    r = client_for(staff).post(
        reverse("challenges:challenge-action", args=[ch.pk, "cancel"]), {"reason": "企业需求已由他途解决"}
    )
    html = r.content.decode()
    assert r.status_code == 400
    assert "另一位工作人员刚刚修改了榜单" in html and ">企业需求已由他途解决</textarea>" in html
    ch.refresh_from_db()
    assert ch.status == Challenge.Status.PUBLISHED


def test_a_refused_decision_keeps_the_chosen_applications(staff, client_for):
    ch = ChallengeFactory(closed=True)
    apps = [ApplicationFactory(challenge=ch, status="under_review") for _ in range(3)]
    url = reverse("challenges:challenge-decision", args=[ch.pk])
    c = client_for(staff)
    # 公示天数 too short: refused, and the application chosen (not the one ranked first) stays chosen
    r = c.post(url, {"winner": [apps[2].pk], "days": 2, "notice": "请各方监督"})
    html = r.content.decode()
    assert r.status_code == 400 and "请各方监督" in html
    assert f'value="{apps[2].pk}" id="w{apps[2].pk}" checked' in html
    assert f'value="{apps[0].pk}" id="w{apps[0].pk}" >' in html
    # 返回修改 on the confirmation page: the choice again, not refused (200)
    back = c.post(url, {"winner": [apps[1].pk], "days": 9, "step": "edit"})
    assert back.status_code == 200 and f'id="w{apps[1].pk}" checked' in back.content.decode()
    assert 'value="9"' in back.content.decode()
    assert not Application.objects.filter(challenge=ch, status="proposed").exists()
