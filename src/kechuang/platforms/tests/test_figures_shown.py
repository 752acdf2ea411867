"""A platform's yearly funding in the reports list and on its page as money, and its disciplines and industries in
the reader's language on the overlap page and its own (walked, people36: "1500.00" under "经费（万元）", and
"化学工程, 材料科学" on an English page)."""

import pytest

from kechuang.core import disciplines, industries

from .factories import PlatformFactory, YearlyReportFactory

pytestmark = pytest.mark.django_db


def test_the_reports_list_writes_funding_as_money(client_for, english_client_for, staff):
    report = YearlyReportFactory(funding="1500.00")
    zh = client_for(staff).get("/platforms/reports/").content.decode()
    assert '<td class="num">1500 万元</td>' in zh and "1500.00" not in zh
    en = english_client_for(staff).get("/platforms/reports/").content.decode()
    assert '<td class="num">CNY 15 million</td>' in en
    page = client_for(staff).get(report.platform.get_absolute_url()).content.decode()
    assert '<td class="num">1500 万元</td>' in page


def test_disciplines_and_industries_typed_in_chinese_read_in_english():
    assert disciplines.names_shown(["化学工程", "材料科学", "能源科学"], english=True) == [
        "Chemical Engineering",
        "Materials Science",
        "Energy Science and Technology",
    ]
    assert disciplines.names_shown(["化学工程", "某新学科"], english=False) == ["化学工程", "某新学科"]
    assert disciplines.name_shown("某新学科", english=True) == "某新学科"  # no English name: as typed
    assert industries.shown_list(["新材料", "煤化工", "化工"], english=True) == ["New materials", "Chemicals"]
    assert industries.shown_list(["新材料", "煤化工"], english=False) == ["新材料", "煤化工"]


def test_a_platforms_page_names_its_disciplines_in_the_readers_language(
    client_for, english_client_for, staff
):
    p = PlatformFactory(disciplines=["化学工程", "材料科学"], industries=["新材料", "煤化工"])
    en = english_client_for(staff).get(p.get_absolute_url()).content.decode()
    assert "<dd>Chemical Engineering, Materials Science</dd>" in en
    assert "<dd>New materials, Chemicals</dd>" in en
    zh = client_for(staff).get(p.get_absolute_url()).content.decode()
    assert "<dd>化学工程、材料科学</dd>" in zh and "<dd>新材料、煤化工</dd>" in zh


def test_the_overlap_page_names_shared_disciplines_in_english_and_scores_as_percentages(
    client_for, english_client_for, staff
):
    from kechuang.accounts.tests.factories import UnitFactory

    kw = {
        "host": UnitFactory(),
        "disciplines": ["化学工程", "材料科学"],
        "industries": ["新材料", "煤化工"],
        "mission": "煤基石墨烯材料制备与应用。",
    }
    PlatformFactory(**kw), PlatformFactory(**kw)
    en = english_client_for(staff).get("/platforms/overlap/").content.decode()
    assert "Disciplines overlap 100%: Chemical Engineering, Materials Science" in en
    assert "Industries served overlap 100%: New materials, Chemicals" in en
    assert '<span class="badge warn">100%</span>' in en and "Similarity of missions: 100%" in en
    zh = client_for(staff).get("/platforms/overlap/").content.decode()
    assert "学科重叠 100%：化学工程、材料科学" in zh and "服务产业重叠 100%：新材料、煤化工" in zh
