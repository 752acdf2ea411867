"""English list pages name their lists in the plural, where the Chinese word is shared with one object
(课题 is "Topic" on a topic's page, "Topics" over the list); a count column is named by what it counts
("Challenges", not "Challenge"). The applicant's list of applications names each challenge (not only its
number) and says where an application is started."""

import re

import pytest
from django.urls import reverse

from kechuang.core.ui import nav_items_for, nav_menus_for

from .factories import ApplicationFactory, ChallengeFactory

pytestmark = pytest.mark.django_db


def h1(body: str) -> str:
    return re.sub(r"<[^>]+>", "", re.search(r"<h1>(.*?)</h1>", body, re.S)[1]).strip()


def test_staff_list_pages_and_menu_in_english(english_client_for, staff):
    c = english_client_for(staff)
    for name, title in [
        ("challenges:topic-list", "Topics"),
        ("challenges:need-list", "Technology needs"),
        ("challenges:application-list", "Challenge applications"),
        ("review:round-list", "Review rounds"),
        ("accounts:unit-list", "Units"),
    ]:
        body = c.get(reverse(name)).content.decode()
        assert h1(body) == title, (name, h1(body))
        assert f"<title>{title}" in body, name
    from django.utils import translation

    with translation.override("en"):
        labels = {str(i["label"]) for i in nav_items_for(staff)}
    assert {"Topics", "Technology needs", "Challenge applications", "Review rounds", "Units"} <= labels
    assert not labels & {"Topic", "Technology need", "Challenge application", "Review round", "Unit"}
    with translation.override("en"):
        menus = {str(m["label"]) for m in nav_menus_for(staff)}
    assert "Reports" in menus and "Report" not in menus  # the menu over the report import and its facts


def test_chinese_list_pages_keep_their_words(client_for, staff):
    assert h1(client_for(staff).get(reverse("challenges:topic-list")).content.decode()) == "课题"


def test_topic_list_count_columns_are_plural(english_client_for, staff):
    ChallengeFactory()
    body = english_client_for(staff).get(reverse("challenges:topic-list")).content.decode()
    assert '<th class="num">Challenges</th>' in body and '<th class="num">Technology needs</th>' in body


def test_applicant_list_names_the_challenge_and_points_to_the_open_ones(english_client_for, client_for):
    app = ApplicationFactory(
        challenge=ChallengeFactory(published=True, title="碳化硅衬底", title_en="SiC wafers")
    )
    body = english_client_for(app.leader).get(reverse("challenges:application-list")).content.decode()
    assert "SiC wafers" in body and app.challenge.code in body
    assert (
        "An application is made from a challenge&#x27;s page" in body
        or "An application is made from a challenge's page" in body
    )
    assert reverse("challenges:challenge-list") + "?status=published" in body
    zh = client_for(app.leader).get(reverse("challenges:application-list")).content.decode()
    assert "碳化硅衬底" in zh and "查看已发榜的榜单" in zh


def test_printable_lists_heading_with_a_year_is_one_sentence(english_client_for, client_for):
    ChallengeFactory(published=True, year=2026)
    for name in ("challenges:export-list-print", "challenges:export-awards-print"):
        en = h1(english_client_for(None).get(reverse(name), {"year": 2026}).content.decode())
        assert en.endswith(", 2026") and "2026Year" not in en, en
        zh = h1(client_for(None).get(reverse(name), {"year": 2026}).content.decode())
        assert zh.startswith("2026年度"), zh


def test_a_dashboard_task_is_due_not_closing(english_client_for):
    app = ApplicationFactory()  # a draft: "finish and submit" by the challenge's deadline
    body = english_client_for(app.leader).get(reverse("web:dashboard")).content.decode()
    assert app.title in body and '<span class="meta">Due ' in body, body[body.find("tasks") :][:1500]
