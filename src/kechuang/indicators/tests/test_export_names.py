"""The indicator and ranking workbooks name the regions, never only by code (a person reads 甘肃省, not 620000):
the region by its name in the reader's language, its code kept in a column of its own headed 地区代码 for a
program; an index run's ranking names its units and groups as the page does."""

import io

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from kechuang.indicators.tests.factories import IndicatorFactory, RegionFactory, ValueFactory

pytestmark = pytest.mark.django_db


def _rows(response, sheet=0):
    assert response.status_code == 200
    data = b"".join(response.streaming_content) if response.streaming else response.content
    return [list(r) for r in load_workbook(io.BytesIO(data)).worksheets[sheet].iter_rows(values_only=True)]


@pytest.mark.parametrize("lang, name", [("zh-hans", "甘肃省"), ("en", "Gansu")])
def test_the_table_and_the_ranking_name_the_regions_and_keep_the_code_apart(client, lang, name):
    pub = IndicatorFactory(code="PUB", public=True)
    gs = RegionFactory(code="620000", name="甘肃省", name_en="Gansu")
    for y, v in [(2022, "1.29"), (2023, "1.33")]:
        ValueFactory(indicator=pub, region=gs, year=y, value=v)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    url = reverse("indicators:indicator-detail", args=["PUB"])
    table = _rows(client.get(url + "?format=table.xlsx"))
    assert table[1][0] == name and table[1][-1] == "620000" and table[0][-1] in ("地区代码", "Region code")
    ranking = _rows(client.get(url + "?format=ranking.xlsx&year=2023"))
    assert ranking[1][:2] == [1, name] and ranking[1][-1] == "620000"
    assert "620000" not in [c for row in ranking[1:] for c in row[:-1]]  # the code only in its own column


def test_an_index_runs_ranking_names_its_units(client, staff, framework_run):
    run = framework_run(staff)
    ranking = _rows(client.get(reverse("indicators:run-detail", args=[run.pk]) + "?format=xlsx"))
    assert ranking[0][1] == "单位" and ranking[0][-1] == "地区代码"
    assert ranking[1][1] == "甲省" and ranking[1][-1] == "U"
