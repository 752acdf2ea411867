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
