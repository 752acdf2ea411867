"""An index run's page (public for a run of published indicators) draws its radar and trend for the units named
in the link (`?unit=`). The trend drew a line for every value sent, named by the value itself: a link to the
department's own page could put any words in its chart's legend and tooltip (content spoofing: "call this number
for your subsidy"), and each of up to a thousand values was looked up year by year through every row of the run
(docs/security.md §26). Only the run's own units are drawn now."""

import pytest
from django.urls import reverse

from kechuang.indicators.tests.conftest import framework_run  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

WORDS = "科技厅通知：补贴请致电 400-000-0000"


def test_a_link_puts_no_words_in_a_public_runs_charts(client, staff, framework_run):  # noqa: F811
    run = framework_run(staff)
    assert run.public  # computed from published indicators: anyone may open it
    url = reverse("indicators:run-detail", args=[run.pk])
    page = client.get(url, {"unit": ["U", WORDS]})
    assert page.status_code == 200
    assert WORDS not in page.content.decode()
    assert [s["name"] for s in page.context["trend"]["series"]] == ["甲省"]
    assert page.context["chosen"] == ["U"]
    assert "有 1 个不在本次计算中" in page.content.decode()  # said beside the list, not silently dropped


def test_only_the_runs_units_are_looked_up(client, staff, framework_run):  # noqa: F811
    run = framework_run(staff)
    url = reverse("indicators:run-detail", args=[run.pk])
    page = client.get(url, {"unit": [f"X{n}" for n in range(900)] + ["U", "U"]})
    assert page.status_code == 200
    assert [s["name"] for s in page.context["trend"]["series"]] == ["甲省"]
    # nothing of the run named: the page shows its first units, as with no choice
    none = client.get(url, {"unit": ["X1", "X2"]})
    assert none.context["chosen"] == ["U"]
