"""An application whose budget lines are not filled in says so (people37): no table of 0s with a total of
0 beside a request of 600 万元, but the request and who fills the lines in."""

from decimal import Decimal

import pytest

from kechuang.challenges.tests.factories import ApplicationFactory
from kechuang.core.display import money

pytestmark = pytest.mark.django_db


def test_an_unfilled_budget_says_who_fills_it_in(client_for, english_client_for):
    app = ApplicationFactory(budget_requested=Decimal("2800"))
    html = client_for(app.leader).get(app.get_absolute_url()).content.decode()
    assert f"申报财政经费 {money(Decimal('2800'))}，还没有分科目填写预算" in html
    assert "合计" not in html.split("经费预算", 1)[1].split("</section>", 1)[0]
    assert "填写经费预算" in html  # the applicant may fill it in now
    en = english_client_for(app.leader).get(app.get_absolute_url()).content.decode()
    panel = en.split("<h2>Budget", 1)[1].split("</section>", 1)[0]
    assert "CNY 0" not in panel and "28 million" in panel


def test_budget_lines_without_own_funding_say_it_is_not_stated(client, english_client_for):
    """people38: the lines' own funding column read CNY 0 on every line and in the total where nobody gave any;
    the column is left out and a line says own funding is not stated. A line with some keeps the column."""
    from django.urls import reverse

    from .test_views import rows

    app = ApplicationFactory(budget_requested=Decimal("600"))
    client.force_login(app.leader)
    url = reverse("funds:application-budget", args=[app.pk])
    assert (
        client.post(url, rows(equipment="200", business="250", labour="50", indirect="100")).status_code
        == 302
    )
    panel = (
        client.get(app.get_absolute_url())
        .content.decode()
        .split("<h2>经费预算</h2>", 1)[1]
        .split("</section>", 1)[0]
    )
    assert (
        "自筹经费未说明：各科目都没有填写自筹经费。" in panel and '<th class="num">自筹经费</th>' not in panel
    )
    en = english_client_for(app.leader).get(app.get_absolute_url()).content.decode()
    assert (
        "Self-raised funding not stated" in en
        and "CNY 0" not in en.split("<h2>Budget", 1)[1].split("</section>", 1)[0]
    )
    body = rows(equipment="200", business="250", labour="50", indirect="100")
    body["budget-0-self_raised"] = "30"
    assert client.post(url, body).status_code == 302
    panel = (
        client.get(app.get_absolute_url())
        .content.decode()
        .split("<h2>经费预算</h2>", 1)[1]
        .split("</section>", 1)[0]
    )
    assert '<th class="num">自筹经费</th>' in panel and "未说明" not in panel
