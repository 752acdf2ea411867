"""The dashboard's platform cards count what their links list (walked, session 34, people35: the card read 58
live platforms — building, trial and operating — and its link listed the 57 operating ones)."""

import re

import pytest
from django.test import override_settings

from kechuang.core.roles import Role

from .factories import PlatformFactory

pytestmark = pytest.mark.django_db


@override_settings(KECHUANG_HOME_REGION="140000")
def test_each_card_and_its_list_count_the_same_platforms(make_user, client_for, english):
    PlatformFactory()
    PlatformFactory(building=True)
    PlatformFactory(trial=True)
    PlatformFactory(status="retired")
    PlatformFactory(kind="consortium")
    PlatformFactory(kind="consortium", status="retired")
    c = client_for(make_user(Role.STAFF))
    page = c.get("/dashboard/").content.decode()
    cards = re.findall(r'<div class="value"><a href="(/platforms/[^"]+)">(\d+)</a>', page)
    assert len(cards) == 2
    for url, value in cards:
        listed = c.get(url.replace("&amp;", "&")).content.decode()
        assert len(re.findall(r'href="/platforms/\d+/"', listed)) == int(value), url
    assert cards[0][1] == "4" and cards[1][1] == "1"
    # the list's status filter names what the card counts, in both languages
    listed = c.get(cards[0][0].replace("&amp;", "&")).content.decode()
    assert "在运行（建设中、试运行、运行中）" in listed
    english(c)
    listed = c.get(cards[0][0].replace("&amp;", "&")).content.decode()
    assert "In operation (under construction, trial operation or running)" in listed
