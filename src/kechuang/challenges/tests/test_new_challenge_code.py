"""A new challenge's code is proposed, not made up (people38): the form fills in the next free code of the year
in the series of the latest challenge, says so, and refuses a taken code naming its challenge and the next
free one, the typed code kept."""

import pytest
from django.urls import reverse
from django.utils import timezone

from kechuang.challenges import selectors

from .factories import ChallengeFactory

pytestmark = pytest.mark.django_db


def test_the_next_code_follows_the_latest_challenges_series():
    year = timezone.localdate().year
    assert selectors.next_challenge_code(year) == f"JB-{year}-001"
    ChallengeFactory(code=f"SX-JB-{year - 1}-07", year=year - 1)
    assert selectors.next_challenge_code(year) == f"SX-JB-{year}-01"
    ChallengeFactory(code=f"SX-JB-{year}-09", year=year)
    assert selectors.next_challenge_code(year) == f"SX-JB-{year}-10"


def test_the_form_proposes_the_code_and_refuses_a_taken_one_naming_the_next(client_for, staff):
    year = timezone.localdate().year
    taken = ChallengeFactory(code=f"JB-{year}-041", year=year, title="已有的榜单")
    page = client_for(staff).get(reverse("challenges:challenge-create")).content.decode()
    assert f'value="JB-{year}-042"' in page and "已按本年度的编号顺序填好下一个未用的编号" in page
    r = client_for(staff).post(reverse("challenges:challenge-create"), {"code": taken.code, "year": year})
    html = r.content.decode()
    assert r.status_code == 400
    assert f"编号 JB-{year}-041 已是榜单“已有的榜单”的编号；下一个未用的编号是 JB-{year}-042。" in html
    assert f'value="JB-{year}-041"' in html
