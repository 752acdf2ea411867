"""A chain's page says what its technologies' readiness figures are, and names its own diagram buttons by the
chain (walked, session 34, people35: each technology read "TRL 5 → 8" unexplained, and under the tabs 关系图 /
树状图 / 技术清单 (the whole map) stood three buttons with the same labels for this chain)."""

import pytest

from .factories import TechnologyFactory

pytestmark = pytest.mark.django_db


def test_a_chain_says_current_and_target_readiness_in_words_in_both_languages(staff, client_for, english):
    t = TechnologyFactory()  # TRL 5 now, 8 the target
    chain = t.link.chain
    c = client_for(staff)
    page = c.get(chain.get_absolute_url()).content.decode()
    assert "技术成熟度（TRL）：当前 5 级 → 目标 8 级" in page and "TRL 5 → 8" not in page
    assert "本产业链的关系图" in page and "本产业链的树状图" in page and "本产业链的技术清单" in page
    english(c)
    page = c.get(chain.get_absolute_url()).content.decode()
    assert "Technology readiness level (TRL): now 5, target 8" in page
    assert "This chain&#x27;s network diagram" in page or "This chain's network diagram" in page


def test_a_link_without_technologies_shows_the_shared_empty_state(staff, client_for):
    from .factories import LinkFactory

    link = LinkFactory()
    page = client_for(staff).get(link.chain.get_absolute_url()).content.decode()
    assert '<div class="empty-state" role="status"><p class="empty">这条产业链还没有关键技术：' in page
    assert '<li class="empty">' not in page
