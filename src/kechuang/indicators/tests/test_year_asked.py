"""A page's year asked for by `?year=` (the indicator page's ranking, an index run's page): one of the years
with data is shown; anything else — not a year, a year without data — is said beside the year list, naming
what was asked and the year shown instead, never silently another year. The values API answers 400 naming a
year that is not one (core.dates.year_filter, web/_choice_filter.html)."""

import re

import pytest
from django.urls import reverse

from kechuang.indicators import services
from kechuang.indicators.tests.factories import (
    FrameworkFactory,
    IndicatorFactory,
    RegionFactory,
    ValueFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def pub(db):
    ind = IndicatorFactory(code="PUB", name_zh="公开指标", public=True)
    gs, sx = RegionFactory(code="620000", name="甘肃省"), RegionFactory(code="140000", name="山西省")
    for y, v in [(2021, "1.26"), (2022, "1.29"), (2023, "1.33")]:
        ValueFactory(indicator=ind, region=gs, year=y, value=v)
    ValueFactory(indicator=ind, region=sx, year=2022, value="1.40")
    return ind


def _said(html: str) -> str:
    """The reason beside the year list ("" when none)."""
    m = re.search(r'<ul class="errorlist" role="alert" id="year-error"><li>(.*?)</li>', html)
    return m[1] if m else ""


def _selected(html: str) -> str:
    m = re.search(r'<select name="year"[^>]*>.*?<option value="\d+" selected>(\d+)</option>', html, re.S)
    return m[1] if m else ""


def test_the_indicator_page_shows_the_year_asked_or_says_why_not(client, pub, english):
    url = reverse("indicators:indicator-detail", args=["PUB"])
    r = client.get(url + "?year=2022")
    html = r.content.decode()
    assert r.context["year"] == 2022 and _said(html) == "" and _selected(html) == "2022"
    assert [x["region"].code for x in r.context["ranked"]] == ["140000", "620000"]
    # a year without data: the latest year shown, and the page says so beside the list, on a 200
    r = client.get(url + "?year=1990")
    html = r.content.decode()
    assert r.status_code == 200 and r.context["year"] == 2023 and _selected(html) == "2023"
    assert _said(html) == "1990年没有数据（有数据的年份为2021–2023年）；下面显示2023年。"
    assert 'aria-invalid="true" aria-describedby="year-error"' in html and "2023 年排名" in html
    # typed with a Chinese input method's full-width digits, a year is still that year
    assert client.get(url + "?year=２０２２").context["year"] == 2022
    for asked in ("abc", "2023.5", "23", "²０２２"):
        r = client.get(url + f"?year={asked}")
        assert r.context["year"] == 2023, asked
        assert _said(r.content.decode()) == f"“{asked}”不是年份，请在列表中选择；下面显示2023年。", asked
    english(client)
    html = client.get(url + "?year=1990").content.decode()
    assert (
        _said(html) == "There are no data for 1990 (the years with data are 2021–2023); showing 2023 instead."
    )
    # blank: the latest year, nothing said
    client.cookies["django_language"] = "zh-hans"
    r = client.get(url + "?year=")
    assert r.context["year"] == 2023 and _said(r.content.decode()) == ""


def test_an_indicator_without_values_says_so_for_any_year_asked(client):
    IndicatorFactory(code="NEW", public=True)
    r = client.get(reverse("indicators:indicator-detail", args=["NEW"]) + "?year=2020")
    assert r.status_code == 200 and _said(r.content.decode()) == "“2020”：这里还没有任何年份的数值。"


def test_an_index_runs_page_shows_the_year_asked_or_says_why_not(client, staff):
    fw = FrameworkFactory()
    for code in ("A.x", "A.y", "B.z"):
        IndicatorFactory(code=code, public=True)
    RegionFactory(code="U", name="甲省")
    for year in (2020, 2021):
        services.value_record(actor=staff, indicator_code="A.x", region="U", year=year, value=5 + year % 10)
    run = services.index_run_create(actor=staff, framework=fw)
    url = reverse("indicators:run-detail", args=[run.pk])
    r = client.get(url + "?year=2020")
    assert r.context["year"] == 2020 and _said(r.content.decode()) == ""
    r = client.get(url + "?year=1999")
    html = r.content.decode()
    assert r.status_code == 200 and r.context["year"] == 2021 and _selected(html) == "2021"
    assert _said(html) == "1999年没有数据（有数据的年份为2020–2021年）；下面显示2021年。"
    assert (
        _said(client.get(url + "?year=x").content.decode()) == "“x”不是年份，请在列表中选择；下面显示2021年。"
    )


def test_the_values_api_refuses_a_year_that_is_not_one(client, pub, english):
    assert [v["year"] for v in client.get("/api/indicators/values/?year=2022").json()["results"]] == [
        2022,
        2022,
    ]
    assert client.get("/api/indicators/values/?year=1990").json()["count"] == 0  # a year: none that year
    for asked in ("abc", "2023.5", "23", "99999999999999999999", "²０２２"):
        r = client.get(f"/api/indicators/values/?year={asked}")
        assert r.status_code == 400, asked
        assert r.json()["error"]["fields"]["year"] == [f"“{asked}”不是年份：请写四位数字的年份，如 2023。"]
    english(client)
    r = client.get("/api/indicators/values/?year=2023.5")
    assert r.json()["error"]["fields"]["year"] == [
        "“2023.5” is not a year: write the year in four digits, such as 2023."
    ]
