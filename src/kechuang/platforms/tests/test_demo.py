"""The demo province reproduces every figure of the two reports, and loading twice changes nothing."""

import datetime
import io
import re

import pytest

from kechuang.platforms import demo, selectors
from kechuang.platforms.models import Membership, Platform, Reorganisation

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The whole demo province as `kechuang demo` loads it, platforms' part in its place (dbtemplate.demo_load:
    the run's demo template, else the command run here); taken away after the module. Each test loaded
    accounts' and platforms' parts itself (10-19 s of CPU apiece a pass, the two tests read what they find); the
    first test's second load, in its transaction, is rolled back with it."""
    from kechuang.core import dbtemplate

    with django_db_blocker.unblock():
        yield dbtemplate.demo_load()
        dbtemplate.demo_unload()


def test_demo_reproduces_report_figures_and_is_idempotent(loaded, client_for, english_client_for):
    figures = selectors.report_figures()
    wrong = [f for f in figures if not f["ok"]]
    assert wrong == []
    by_label = {f["label"]: f["value"] for f in figures}
    assert by_label["2021上半年揭牌省实验室"] == 10
    assert by_label["2021上半年揭牌省重点实验室"] == 37
    assert by_label["同日成立的产业联盟成员单位"] == 42
    assert by_label["优化整合前的省级创新基地"] == 82
    assert by_label["优化整合后的省级创新基地"] == 42
    assert by_label["联合体成员单位（≥250）"] == 253
    assert (by_label["进口替代技术"], by_label["国际国内领先技术"], by_label["解决产业重大需求"]) == (
        74,
        89,
        71,
    )

    alliance = Platform.objects.get(code="SX-ALL-01")
    assert selectors.members_as_of(platform=alliance, date=datetime.date(2021, 5, 23)).count() == 0
    assert selectors.members_as_of(platform=alliance, date=datetime.date(2022, 3, 1)).count() == 43
    assert selectors.members_as_of(platform=alliance, date=datetime.date(2023, 1, 1)).count() == 42

    stats = client_for(None).get("/platforms/statistics/", {"as_of": "2021-12-31"})
    body = stats.content.decode()
    assert stats.status_code == 200 and body.count("一致") == 18 and "不一致" not in body
    # In English every figure is named in English (walked: the figures' names stayed Chinese).
    english = english_client_for(None)
    figures = english.get("/platforms/statistics/", {"as_of": "2021-12-31"}).context["figures"]
    assert [f["label"] for f in figures if re.search("[\u4e00-\u9fff]", f["label"])] == []
    assert "Consortium member units (≥250)" in [f["label"] for f in figures]
    assert all(f["ok"] for f in figures)
    graph = client_for(None).get("/platforms/lineage/", {"batch": "82→42"}).context["graph"]
    assert len(graph["nodes"]) == 124 and len(graph["links"]) == 82
    counts = (Platform.objects.count(), Membership.objects.count(), Reorganisation.objects.count())
    demo.load(stdout=io.StringIO())
    assert (Platform.objects.count(), Membership.objects.count(), Reorganisation.objects.count()) == counts


def test_demo_home_province_has_consortia_of_its_own(loaded, settings, staff):
    """The department's own province (山西, the demo's KECHUANG_HOME_REGION) showed 0 consortia: all 11 were
    甘肃's. Its own five count on the dashboard card, the other province's beside them."""
    from django.core.cache import cache
    from django.utils import translation

    from kechuang.platforms import dashboard

    settings.KECHUANG_HOME_REGION = "140000"
    cache.clear()
    home = Platform.objects.filter(kind="consortium", province="140000")
    assert home.count() == 5
    assert all(p.memberships.count() >= 10 and p.achievements.exists() and p.name_en for p in home)
    with translation.override("zh-hans"):
        _live, consortia = dashboard.cards_for(staff)
    assert (consortia.title, consortia.value, consortia.note) == (
        "山西省 · 企业创新联合体",
        "5",
        "不含外省 11 个",
    )
