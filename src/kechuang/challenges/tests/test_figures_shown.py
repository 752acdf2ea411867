"""Money, shares and an unstated amount as people write them on the challenge pages (walked, people36): an
application's funding read "1000.00" on the publicity and the challenge's page, a co-funder's share "30.00%",
a need without matching funding "CNY 0"."""

import datetime
from decimal import Decimal

import pytest

from kechuang.accounts.tests.factories import UnitFactory
from kechuang.challenges.models import Publicity

from .factories import ApplicationFactory, ChallengeFactory, NeedFactory

pytestmark = pytest.mark.django_db


def test_a_cofunders_share_keeps_only_real_decimals(client_for, english_client_for, staff):
    whole = ChallengeFactory(
        published=True, cofunder=UnitFactory(name="山西碳化硅材料有限公司"), cofund_share="30"
    )
    half = ChallengeFactory(published=True, cofunder=UnitFactory(), cofund_share="12.5")
    zh = client_for(staff).get(whole.get_absolute_url()).content.decode()
    assert "山西碳化硅材料有限公司（30%）" in zh and "30.00" not in zh
    en = english_client_for(staff).get(half.get_absolute_url()).content.decode()
    assert "(12.5%)" in en and "12.50" not in en


def test_the_publicity_and_the_challenge_write_an_applications_funding_as_money(
    client_for, english_client_for, staff
):
    app = ApplicationFactory(status="proposed", budget_requested=Decimal("1000.00"))
    ch = app.challenge
    Publicity.objects.create(
        challenge=ch,
        starts_on=datetime.date(2026, 1, 5),
        ends_on=datetime.date(2026, 1, 9),
        published_by=staff,
    )
    url = f"/challenges/{ch.pk}/publicity/"
    zh = client_for(staff).get(url).content.decode()
    assert '<td class="num">1000 万元</td>' in zh and "1000.00" not in zh
    en = english_client_for(staff).get(url).content.decode()
    assert '<td class="num">CNY 10 million</td>' in en and "Government funding</th>" in en
    assert '<td class="num">1000 万元</td>' in client_for(staff).get(ch.get_absolute_url()).content.decode()


def test_a_need_without_matching_funding_says_so(client_for, english_client_for, staff):
    NeedFactory(title="无配套的需求", cofund_budget=Decimal("0"))
    NeedFactory(title="有配套的需求", cofund_budget=Decimal("200"))
    zh = client_for(staff).get("/challenges/needs/").content.decode()
    assert '<td class="num">未说明</td>' in zh and '<td class="num">200 万元</td>' in zh
    en = english_client_for(staff).get("/challenges/needs/").content.decode()
    assert '<td class="num">Not stated</td>' in en and "CNY 0<" not in en


def test_suspected_duplicates_show_their_similarity_as_percentages(client_for, english_client_for, staff):
    """The list read "0.87" and "1.00" under 文本相似度 and 人员重合度 (people36's crawl)."""
    from kechuang.challenges.models import DuplicatePair

    left, right = ApplicationFactory(status="submitted"), ApplicationFactory(status="submitted")
    DuplicatePair.objects.create(left=left, right=right, text_score=0.8666, people_score=1.0)
    zh = client_for(staff).get("/challenges/duplicates/").content.decode()
    assert "87%</a></td>" in zh and '<td class="num">100%</td>' in zh and "1.00" not in zh
    assert "不低于 60%" in zh
    en = english_client_for(staff).get("/challenges/duplicates/").content.decode()
    assert '<td class="num">100%</td>' in en
