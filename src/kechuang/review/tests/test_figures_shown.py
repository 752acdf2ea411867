"""What a round's match says and an expert's title, in words (walked, people36): the rounds list showed the
solver's raw sum ("Total match score 17.6765"), the expert pool titles in Chinese on English pages."""

import pytest

from kechuang.core.titles import title_text

from .factories import ExpertProfileFactory

pytestmark = pytest.mark.django_db


def test_standard_titles_read_in_english_and_others_as_typed():
    assert title_text("教授", english=True) == "Professor"
    assert title_text("高级工程师", english=True) == "Senior Engineer"
    assert title_text(" 研究员 ", english=True) == "Research Professor"
    assert title_text("首席科学家", english=True) == "首席科学家"
    assert title_text("教授", english=False) == "教授"


def test_the_expert_pool_writes_titles_in_the_readers_language(client_for, english_client_for, staff):
    ExpertProfileFactory(title="高级工程师")
    en = english_client_for(staff).get("/review/experts/").content.decode()
    assert "<td>Senior Engineer</td>" in en and "高级工程师" not in en
    zh = client_for(staff).get("/review/experts/").content.decode()
    assert "<td>高级工程师</td>" in zh


def test_the_rounds_list_shows_the_mean_match_as_a_percentage(
    client_for, english_client_for, staff, small_round
):
    from kechuang.review.models import Assignment, Review, Round, RoundSubject

    rnd, _subjects, experts = small_round
    subject = RoundSubject.objects.filter(round=rnd).first()
    for profile, match in ((experts[1], 0.7), (experts[2], 0.8666)):
        a = Assignment.objects.create(
            round=rnd, subject=subject, expert=profile.user, affinity=match, source="solver"
        )
        Review.objects.create(assignment=a)
    Round.objects.filter(pk=rnd.pk).update(objective=1.5666)
    zh = client_for(staff).get("/review/rounds/").content.decode()
    assert '<td class="num">78%</td>' in zh and "平均匹配度" in zh and "1.5666" not in zh
    en = english_client_for(staff).get("/review/rounds/").content.decode()
    assert "Mean match</th>" in en and "100% is a perfect fit" in en
    page = english_client_for(staff).get(rnd.get_absolute_url()).content.decode()
    assert "<dd>78% / 70%" in page and '<td class="num">87%</td>' in page
