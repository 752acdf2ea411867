"""A GET page's filter list never silently ignores a value it does not hold (core.filters.choice_filter,
web/_choice_filter.html): the page is shown for the default and says, beside the list, what was asked, why not
and what is shown instead; an API answers such a value 400 with the reason."""

import re

import pytest
from django.urls import reverse

from kechuang.indicators.tests.factories import IndicatorFactory, RegionFactory, ValueFactory
from kechuang.techmap.tests.factories import ChainFactory

pytestmark = pytest.mark.django_db


def _said(html: str, name: str) -> str:
    m = re.search(rf'<ul class="errorlist" role="alert" id="{name}-error"><li>(.*?)</li>', html)
    return m[1] if m else ""


def _selected(html: str, name: str) -> str:
    m = re.search(rf'<select name="{name}"[^>]*>.*?<option value="([^"]*)" selected>', html, re.S)
    return m[1] if m else ""


def test_the_funds_overview_says_a_year_or_grouping_it_does_not_list(client_for, staff):
    c = client_for(staff)
    url = reverse("funds:overview")
    r = c.get(url + "?year=abc&by=nonsense")
    html = r.content.decode()
    assert r.status_code == 200 and r.context["year"] is None and r.context["by"] == "programme"
    assert _said(html, "year") == "“abc”不在“年度”的列表中，请在列表中选择；下面显示全部。"
    assert _said(html, "by") == "“nonsense”不在“分组”的列表中，请在列表中选择；下面显示赛道。"
    assert 'aria-invalid="true" aria-describedby="year-error"' in html
    r = c.get(url + "?year=abc&export=xlsx")  # never the file of every year for a year not held
    assert r.status_code == 400 and _said(r.content.decode(), "year")
    # the lists' own values: nothing said
    html = c.get(url + "?by=unit").content.decode()
    assert _said(html, "by") == "" and _selected(html, "by") == "unit"


def test_the_dashboard_says_a_region_it_does_not_list(client, english, settings):
    settings.KECHUANG_HOME_REGION = "620000"  # the department's province (the default is 山西's)
    RegionFactory(code="620000", name="甘肃省", level="province")
    RegionFactory(code="140000", name="山西省", level="province")
    url = reverse("indicators:dashboard")
    r = client.get(url + "?region=山西省")
    assert r.context["region"].code == "140000" and _said(r.content.decode(), "region") == ""
    r = client.get(url + "?region=140000")  # a code in an old link still reads
    assert r.context["region"].code == "140000"
    r = client.get(url + "?region=火星省")
    html = r.content.decode()
    assert r.status_code == 200 and r.context["region"].code == "620000"
    assert _said(html, "region") == "“火星省”不在“地区”的列表中，请在列表中选择；下面显示甘肃省。"
    assert _selected(html, "region") == "甘肃省"
    english(client)
    html = client.get(url + "?region=Mars").content.decode()
    assert (
        _said(html, "region")
        == "“Mars” is not in the “Region” list; please choose from the list. Showing 甘肃省 instead."
    )


def test_the_indicator_page_says_an_edition_or_region_set_it_does_not_list(client):
    ind = IndicatorFactory(code="PUB", name_zh="公开指标", public=True)
    gs = RegionFactory(code="620000", name="甘肃省", region_set="cn")
    se = RegionFactory(code="SE", name="瑞典", region_set="eis", level="country")
    ValueFactory(indicator=ind, region=gs, year=2022)
    ValueFactory(indicator=ind, region=se, year=2022, edition="EIS2023")
    url = reverse("indicators:indicator-detail", args=["PUB"])
    r = client.get(url + "?edition=EIS2023")
    assert r.context["edition"] == "EIS2023" and _said(r.content.decode(), "edition") == ""
    r = client.get(url + "?edition=EIS1999&set=moon")
    html = r.content.decode()
    assert r.status_code == 200 and r.context["edition"] == "" and r.context["region_set"] == "cn"
    assert _said(html, "edition") == "“EIS1999”不在“数据版本”的列表中，请在列表中选择；下面显示本厅数据。"
    assert (
        _said(html, "set")
        == "“moon”不在“地区集”的列表中，请在列表中选择；下面显示中国各省（自治区、直辖市）。"
    )
    # the breadcrumb and the heading name the indicator, never its code
    assert "› 公开指标</p>" in html and "<h1>公开指标</h1>" in html and "PUB</small>" not in html


def test_the_challenge_list_and_the_technology_table_say_a_value_they_do_not_list(client, staff, client_for):
    r = client.get(reverse("challenges:challenge-list") + "?status=nope&year=２０x&track=zz")
    html = r.content.decode()
    assert r.status_code == 200
    assert _said(html, "status") == "“nope”不在“状态”的列表中，请在列表中选择；下面显示全部。"
    assert _said(html, "track") == "“zz”不在“赛道”的列表中，请在列表中选择；下面显示全部。"
    assert _said(html, "year").startswith("“２０x”不在“年度”的列表中")
    chain = ChainFactory(name="新能源")
    c = client_for(staff)
    html = c.get(reverse("techmap:technology-list") + f"?chain={chain.pk}&bottleneck=2").content.decode()
    assert _selected(html, "chain") == str(chain.pk) and _said(html, "chain") == ""
    assert _said(html, "bottleneck") == "“2”不在“卡脖子”的列表中，请在列表中选择；下面显示全部。"
    html = c.get(reverse("techmap:gaps") + "?chain=99999").content.decode()
    assert _said(html, "chain") == "“99999”不在“产业链”的列表中，请在列表中选择；下面显示全部。"


def test_the_apis_answer_a_value_they_do_not_hold_400_with_why(api_for, staff):
    ChainFactory(name="新能源")
    r = api_for(staff).get("/api/techmap/gaps/?chain=abc")
    assert r.status_code == 400 and "“abc”不在“产业链”可选的值中，可选：新能源。" in str(r.json())
    assert api_for(staff).get("/api/techmap/gaps/").status_code == 200
    ind = IndicatorFactory(code="PUB", public=True)
    ValueFactory(indicator=ind, region=RegionFactory(code="SE", name="瑞典"), year=2022, edition="EIS2023")
    r = api_for(staff).get("/api/indicators/values/?edition=EIS1999")
    assert r.status_code == 400 and "“EIS1999”不在“数据版本”可选的值中，可选：EIS2023。" in str(r.json())
    r = api_for(staff).get("/api/indicators/values/?edition=EIS2023")
    assert r.status_code == 200 and r.json()["count"] == 1


def test_the_challenge_exports_answer_a_year_they_do_not_hold_with_the_list_saying_why(client):
    from kechuang.challenges.tests.factories import ChallengeFactory

    ChallengeFactory(year=2025, status="published")
    for name in ("export-list-xlsx", "export-list-print", "export-awards-xlsx", "export-awards-print"):
        r = client.get(reverse(f"challenges:{name}") + "?year=abc")
        assert r.status_code == 400, name
        assert _said(r.content.decode(), "year").startswith("“abc”不在“年度”的列表中"), name
        r = client.get(reverse(f"challenges:{name}") + "?year=1999")
        assert r.status_code == 400 and _said(r.content.decode(), "year"), name
        assert client.get(reverse(f"challenges:{name}") + "?year=2025").status_code == 200, name
    r = client.get(reverse("challenges:export-list-xlsx") + "?year=2025")
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_duplicate_list_says_a_status_it_does_not_list(client_for, staff):
    c = client_for(staff)
    url = reverse("challenges:duplicate-list")
    html = c.get(url).content.decode()
    assert _selected(html, "status") == "open" and _said(html, "status") == ""
    html = c.get(url + "?status=all").content.decode()
    assert _selected(html, "status") == "all" and _said(html, "status") == ""
    r = c.get(url + "?status=nope")
    assert r.status_code == 200 and r.context["status_filter"].value == "open"
    assert _said(r.content.decode(), "status") == "“nope”不在“状态”的列表中，请在列表中选择；下面显示待核查。"


def test_the_report_lists_say_a_status_or_kind_they_do_not_list(client_for, staff, api_for):
    c = client_for(staff)
    html = c.get(reverse("ingest:document-list") + "?status=nope").content.decode()
    assert _said(html, "status") == "“nope”不在“状态”的列表中，请在列表中选择；下面显示全部。"
    url = reverse("ingest:fact-queue")
    html = c.get(url + "?status=nope&kind=zz").content.decode()
    assert _said(html, "status") == "“nope”不在“状态”的列表中，请在列表中选择；下面显示待审核。"
    assert _said(html, "kind") == "“zz”不在“类型”的列表中，请在列表中选择；下面显示全部。"
    assert _selected(html, "status") == "proposed"
    r = c.get(url + "?status=nope&export=xlsx")  # never the proposed facts' file for a status not held
    assert r.status_code == 400 and _said(r.content.decode(), "status")
    assert c.get(url + "?status=accepted&export=xlsx")["Content-Type"].startswith("application/vnd.openxml")
    for path in ("/api/ingest/documents/?status=nope", "/api/ingest/facts/?status=nope"):
        assert api_for(staff).get(path).status_code == 400, path


def test_the_filter_reads_naturally_in_both_languages(rf):
    from django.utils import translation

    from kechuang.core.filters import choice_filter

    request = rf.get("/?k=x")
    with translation.override("zh-hans"):
        assert choice_filter(request, "k", [("a", "甲")], label="类别").error == (
            "“x”不在“类别”的列表中，请在列表中选择。"
        )
    with translation.override("en"):
        assert choice_filter(request, "k", [("a", "A")], label="Kind").error == (
            "“x” is not in the “Kind” list; please choose from the list."
        )
        assert choice_filter(request, "k", [("a", "A")], label="Kind", everything=True).error == (
            "“x” is not in the “Kind” list; please choose from the list. Showing everything instead."
        )
        assert choice_filter(request, "k", [("a", "A")], "a", label="Kind").error == (
            "“x” is not in the “Kind” list; please choose from the list. Showing A instead."
        )
