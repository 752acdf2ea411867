"""An index run's page and its analysis name the framework and its sub-indices in the page's language: the run
keeps the names in Chinese (outputs' node_names), its framework snapshot gives the English beside them
(walked, session 21: the English run page read "Index run: 综合科技创新水平指数" over columns 科技人力资源 …)."""

import copy

import pytest
from django.urls import reverse

from kechuang.indicators import services
from kechuang.indicators.tests.factories import FrameworkFactory, IndicatorFactory, RegionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(staff):
    fw = FrameworkFactory()
    spec = copy.deepcopy(fw.spec)
    spec["name_en"] = "Test framework"
    spec["nodes"][0]["name"], spec["nodes"][0]["name_en"] = "科技投入", "S&T input"  # 乙 has no English name
    fw.spec = spec
    fw.save()
    for code in ("A.x", "A.y", "B.z"):
        IndicatorFactory(code=code, public=True)
    for unit, v in (("U1", 3.0), ("U2", 5.0)):
        RegionFactory(code=unit)
        for code in ("A.x", "A.y", "B.z"):
            services.value_record(actor=staff, indicator_code=code, region=unit, year=2023, value=v)
    return services.index_run_create(actor=staff, framework=fw)


def test_the_run_page_names_the_framework_and_its_nodes_in_the_pages_language(
    client_for, staff, run, english
):
    client = client_for(staff)
    url = reverse("indicators:run-detail", args=[run.pk])
    html = client.get(url).content.decode()
    assert "测试框架" in html and ">科技投入</th>" in html and ">乙</th>" in html
    english(client)
    html = client.get(url).content.decode()
    assert "<h1>Index run: Test framework (" in html
    assert ">S&amp;T input</th>" in html and "科技投入" not in html
    assert ">乙</th>" in html  # no English name: the Chinese one
    html = client.get(reverse("indicators:run-analysis", args=[run.pk])).content.decode()
    assert "Test framework" in html and "S&amp;T input" in html and "科技投入" not in html
