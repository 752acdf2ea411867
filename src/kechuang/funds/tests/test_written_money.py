"""Money on the dashboard and the summary as the funds pages write it: 10 万元 / CNY 100,000 in a task's line
(not "10 ×10k yuan"), "1 tranche" / "2 tranches"; the summary's total row counts the projects."""

import pytest
from django.urls import reverse
from django.utils import translation

from kechuang.core import ui
from kechuang.funds import services

from .conftest import verify

pytestmark = pytest.mark.django_db


def lines(user, language: str) -> list[str]:
    with translation.override(language):
        fresh = type(user).objects.get(pk=user.pk)  # the payable tranches are read once per request (user)
        return [str(t.title) for t in ui.tasks_for(fresh)] + [
            f"{c.title}={c.value} ({c.note})" for c in ui.cards_for(fresh)
        ]


def test_dashboard_money_is_written_in_each_language(signed, staff):
    verify(signed)
    services.adjustment_request(
        actor=signed.leader,
        contract=signed,
        source="business",
        target="labour",
        amount_yuan="100000",
        reason="人员增加",
    )
    zh, en = lines(staff, "zh-hans"), lines(staff, "en")
    assert any(f"预算调整待审批：{signed.code}（业务费 → 劳务费，10 万元）" in t for t in zh), zh
    assert any(
        f"Budget adjustment to approve: {signed.code} (Operating costs → Labour, CNY 100,000)" in t
        for t in en
    ), en
    assert any(t.startswith("1 tranche has become payable (CNY 3 million)") for t in en), en
    assert "Money payable=CNY 3 million (1 tranche)" in en, en
    assert not any("×10k" in t or "tranches" in t for t in en), en


def test_summary_total_row_counts_the_projects(signed, staff, client):
    client.force_login(staff)
    for by in ("programme", "unit", "project"):
        page = client.get(reverse("funds:overview"), {"by": by}).content.decode()
        foot = page[page.index("<tfoot>") : page.index("</tfoot>")]
        assert '<th>合计</th><td class="num">1</td>' in foot, foot  # was an empty cell
