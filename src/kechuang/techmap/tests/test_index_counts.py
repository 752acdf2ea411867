"""The map's chain cards count in the reader's language: the big number is labelled (it counts the chain's key
technologies), and English counts agree with their nouns ("1 link · 1 bottleneck", "2 links · 0 bottlenecks"),
as the Chinese reads "1 个环节 · 1 项卡脖子"."""

import re

import pytest
from django.urls import reverse

from .factories import ChainFactory, LinkFactory, TechnologyFactory

pytestmark = pytest.mark.django_db


def card(body: str, name: str) -> str:
    """The text of the card of the chain named `name`, tags dropped and spaces folded."""
    start = body.index(name)
    end = body.index('<div class="card">', start) if '<div class="card">' in body[start:] else len(body)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body[start:end])).strip()


@pytest.fixture
def chains():
    one = ChainFactory(name="单环节链")
    TechnologyFactory(link=LinkFactory(chain=one), bottleneck=True)
    two = ChainFactory(name="双环节链")
    for _ in range(2):
        TechnologyFactory(link=LinkFactory(chain=two))
    return one, two


def test_english_cards_count_in_singular_and_plural(english_client_for, chains):
    body = english_client_for(None).get(reverse("techmap:index")).content.decode()
    one, two = card(body, "单环节链"), card(body, "双环节链")
    assert "1 key technology" in one and "1 link · 1 bottleneck" in one, one
    assert "links" not in one and "bottlenecks" not in one, one
    assert "2 key technologies" in two and "2 links · 0 bottlenecks" in two, two


def test_chinese_cards_name_what_the_big_number_counts(client_for, chains):
    body = client_for(None).get(reverse("techmap:index")).content.decode()
    assert "1 项关键技术" in card(body, "单环节链")
    assert "2 个环节 · 0 项卡脖子" in card(body, "双环节链")
