"""An indicator's values written with one precision on its page, the dashboard and the targets (walked,
people36: "52.500 54 55.600" in one row), and its name once per language in the catalogue."""

import re
from decimal import Decimal

import pytest

from kechuang.core.display import fixed, places_of

from .factories import IndicatorFactory, RegionFactory, TargetFactory, ValueFactory

pytestmark = pytest.mark.django_db


def test_places_are_what_the_figures_need_alike():
    assert places_of([52.5, 54, 55.6, 57, 58.3]) == 1
    assert [fixed(v, 1) for v in (52.5, 54, 58.3)] == ["52.5", "54.0", "58.3"]
    assert places_of([101.621, 58.3]) == 3 and places_of([54, 57]) == 0 and places_of([0.1234567]) == 3
    assert places_of([None, ""]) == 0 and fixed(None, 2) == "—"


def test_an_indicators_table_and_ranking_write_its_values_alike(client_for, english_client_for, staff):
    ind = IndicatorFactory(
        code="C9.9", name_zh="测试投入强度", name_en="Test input intensity", published=True
    )
    region = RegionFactory(name="甲省")
    other = RegionFactory(name="乙省")
    for year, v in ((2019, "52.5"), (2020, "54"), (2021, "55.6"), (2022, "57"), (2023, "58.3")):
        ValueFactory(indicator=ind, region=region, year=year, value=Decimal(v))
    ValueFactory(indicator=ind, region=other, year=2023, value=Decimal("62.4"))
    TargetFactory(indicator=ind, region=region, value=Decimal("65"))
    page = client_for(staff).get("/indicators/i/C9.9/").content.decode()
    row = (
        '<td class="num">52.5</td><td class="num">54.0</td><td class="num">55.6</td><td class="num">57.0</td>'
    )
    assert row in page and '<td class="num">62.4</td>' in page and '<td class="num">58.3</td>' in page
    assert "52.500" not in page and "58.300" not in page
    assert "≥ 65%" in page or "65%（2025）" in page
    en = english_client_for(staff).get("/indicators/i/C9.9/").content.decode()
    assert row in en and "65.000" not in en


def test_the_catalogue_names_an_indicator_once_in_english(client_for, english_client_for, staff):
    IndicatorFactory(name_zh="研发投入强度", name_en="R&amp;D intensity", published=True)
    IndicatorFactory(name_zh="Summary Innovation Index", name_en="Summary Innovation Index", published=True)
    en = english_client_for(staff).get("/indicators/list/").content.decode()
    assert en.count("Summary Innovation Index") == 1 and "研发投入强度" not in en
    zh = client_for(staff).get("/indicators/list/").content.decode()
    assert zh.count("Summary Innovation Index") == 1
    assert '研发投入强度</a><div class="meta" lang="en">R&amp;amp;D intensity</div>' in zh


def test_one_precision_per_indicator_on_every_page(client_for, staff):
    """people37: one region's figures with one decimal (60.1 … 65.8) and another's with three (98.661): the
    indicator's page, the targets list and the dashboard write them with the indicator's one precision — not
    65.8 on the targets list beside 43.374 for the other region, and 65.800 on the indicator's page."""
    from kechuang.indicators import selectors

    ind = IndicatorFactory(code="C8.8", name_zh="测试比重", published=True)
    region, other = RegionFactory(name="甲省"), RegionFactory(name="乙省")
    for year, v in ((2022, "60.1"), (2023, "65.8")):
        ValueFactory(indicator=ind, region=region, year=year, value=Decimal(v))
    ValueFactory(indicator=ind, region=other, year=2023, value=Decimal("98.661"))
    TargetFactory(indicator=ind, region=region, value=Decimal("70"))
    TargetFactory(indicator=ind, region=other, value=Decimal("99"))
    assert selectors.places_by_indicator([ind.pk]) == {ind.pk: 3}
    c = client_for(staff)
    page = c.get("/indicators/i/C8.8/").content.decode()
    targets = c.get("/indicators/targets/").content.decode()
    assert '<td class="num">65.800</td>' in page and "98.661" in page
    assert "65.800" in targets and "98.661" in targets
    assert not re.search(r"(?<![\d.])65\.8(?!\d)", targets)
