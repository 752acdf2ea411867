"""Amounts in the challenge and need lists as people write them (walked, session 14): the lists showed
"3000.00" under "经费上限（万元）", in English "3000.00" under "(CNY 10,000)"; the detail pages already wrote
3000 万元 / CNY 30 million."""

from decimal import Decimal

import pytest

from kechuang.core.roles import Role

from .factories import ChallengeFactory, NeedFactory

pytestmark = pytest.mark.django_db


def test_the_lists_write_amounts_as_money(make_user, client_for, english):
    ChallengeFactory(published=True, budget_ceiling=Decimal("3000"))
    NeedFactory(cofund_budget=Decimal("1200"))
    c = client_for(make_user(Role.STAFF))
    challenges = c.get("/challenges/").content.decode()
    needs = c.get("/challenges/needs/").content.decode()
    assert "3000 万元" in challenges and "3000.00" not in challenges
    assert "1200 万元" in needs and "1200.00" not in needs
    english(c)
    assert "CNY 30 million" in c.get("/challenges/").content.decode()
    assert "CNY 12 million" in c.get("/challenges/needs/").content.decode()


def test_a_milestones_stage_targets_read_as_words(client_for):
    """The application page wrote a milestone's stage targets as 发酵表达量=12 (a key=value line)."""
    from .factories import ApplicationFactory

    app = ApplicationFactory()
    app.milestones.create(
        seq=9, title="中试线建成", month=12, tranche=Decimal("0"), targets={"发酵表达量": "12"}
    )
    page = client_for(app.leader).get(app.get_absolute_url()).content.decode()
    assert "发酵表达量：12" in page and "发酵表达量=12" not in page
