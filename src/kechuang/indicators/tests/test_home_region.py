"""The department's own province (KECHUANG_HOME_REGION): the indicators' home region and the province whose
platforms the dashboard counts. Read at each use (a test's override holds; it was a copy made at import,
620000 甘肃 while the demo's department is 山西's), never silently another region when it is unset or unknown."""

import datetime

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import translation

from kechuang.core import divisions
from kechuang.core.roles import Role
from kechuang.indicators import demo
from kechuang.indicators.dashboard import cards_for
from kechuang.indicators.tests.factories import IndicatorFactory, RegionFactory, TargetFactory, ValueFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_provinces():
    gs = RegionFactory(code="620000", name="甘肃省", name_en="Gansu")
    sx = RegionFactory(code="140000", name="山西省", name_en="Shanxi")
    ind = IndicatorFactory(code="KJJBGXL", name_zh="科技进步贡献率", unit="%", public=True)
    for region, value in ((gs, "58.3"), (sx, "57.1")):
        ValueFactory(indicator=ind, region=region, year=2023, value=value)
        TargetFactory(indicator=ind, region=region, year=2025, value=65)
    return gs, sx


def test_the_default_home_is_the_departments_province_and_the_demos():
    # unset, the registering office's province: 山西 (140000), the demo department's (山西省科学技术厅)
    assert django_settings.KECHUANG_HOME_REGION == django_settings.KECHUANG_REGION_CODE
    assert divisions.home_code() == demo.HOME == "140000"


def test_the_dashboard_and_its_cards_show_the_home_province(client, two_provinces, settings, make_user):
    staff = make_user(Role.STAFF)
    r = client.get(reverse("indicators:dashboard"))
    assert r.context["region"].code == "140000" and r.context["home_missing"] is None
    with translation.override("zh-hans"):
        assert [c.title for c in cards_for(staff)] == ["山西省 · 科技进步贡献率"]
        # the figure with its unit, as the target under it ("57.1" read bare above "目标 ≥ 65%", people34)
        assert [(c.value, c.note) for c in cards_for(staff)] == [("57.1%", "目标 ≥ 65%（2025） · 存在风险")]
    # a deployment names its province by code or by name; read at each request, never frozen at import
    settings.KECHUANG_HOME_REGION = "甘肃省"
    assert client.get(reverse("indicators:dashboard")).context["region"].code == "620000"
    with translation.override("zh-hans"):
        assert [c.title for c in cards_for(make_user(Role.STAFF))] == ["甘肃省 · 科技进步贡献率"]


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("650000", "本厅所在省份新疆维吾尔自治区（部署设置 KECHUANG_HOME_REGION 为“650000”）不在地区列表中"),
        ("", "本厅所在省份未设置（部署设置 KECHUANG_HOME_REGION 为空）"),
    ],
)
def test_an_unknown_or_unset_home_is_said_never_another_region(client, two_provinces, settings, value, said):
    settings.KECHUANG_HOME_REGION = value
    with translation.override("zh-hans"):
        r = client.get(reverse("indicators:dashboard"))
    html = r.content.decode()
    # it had opened on the first region of the list (甘肃省 here) as if it were the department's
    assert r.context["region"] is None and r.context["rows"] == []
    assert said in html and said in r.context["home_missing"]
    assert cards_for(None) == []
    # a province picked by name is still shown
    r = client.get(reverse("indicators:dashboard") + "?region=甘肃省")
    assert r.context["region"].code == "620000" and len(r.context["rows"]) == 1


def test_the_platform_card_counts_the_home_province(settings, make_user):
    from django.core.cache import cache

    from kechuang.platforms import dashboard
    from kechuang.platforms.tests.factories import PlatformFactory

    cache.clear()
    PlatformFactory(province="140000", level="national", established=datetime.date(2020, 1, 1))
    PlatformFactory(province="140000", established=datetime.date(2020, 1, 1))
    PlatformFactory(province="620000", kind="consortium", established=datetime.date(2020, 1, 1))
    staff = make_user(Role.STAFF)
    with translation.override("zh-hans"):
        live, consortia = dashboard.cards_for(staff)
        # it counted every province's platforms as the department's (3 here)
        # the title names whose the big number is (the note had named the province under a title naming none)
        assert (live.title, live.value, live.note) == (
            "山西省 · 在运行创新平台",
            "2",
            "国家级 1 · 省级 1 · 不含外省 1 个",
        )
        assert live.url.endswith("&province=140000")
        assert (consortia.title, consortia.value, consortia.note) == (
            "山西省 · 企业创新联合体",
            "0",
            "不含外省 1 个",
        )
        settings.KECHUANG_HOME_REGION = "620000"
        live, consortia = dashboard.cards_for(staff)
        assert (live.value, consortia.value) == ("1", "1") and live.title.startswith("甘肃省 · ")
        settings.KECHUANG_HOME_REGION = ""
        live, _consortia = dashboard.cards_for(staff)
        assert live.value == "3" and live.note.startswith("全部省份（未设置本厅所在省份）")
