"""An index run's radar and trend, when the link names no unit, draw the department's own province beside the
year's three first (people34: a Shanxi department's radar drew Beijing, Jiangsu and Shaanxi, its own province
unselected), as the analysis page preselects it; units the link names are drawn as named."""

import pytest
from django.urls import reverse

from kechuang.indicators import services
from kechuang.indicators.tests.factories import FrameworkFactory, IndicatorFactory, RegionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(staff):
    fw = FrameworkFactory()
    for code in ("A.x", "A.y", "B.z"):
        IndicatorFactory(code=code, public=True)
    for unit, v in (("110000", 9.0), ("320000", 8.0), ("610000", 7.0), ("620000", 6.0), ("140000", 3.0)):
        RegionFactory(code=unit)
        for code in ("A.x", "A.y", "B.z"):
            services.value_record(actor=staff, indicator_code=code, region=unit, year=2023, value=v)
    return services.index_run_create(actor=staff, framework=fw)


def test_the_home_province_is_drawn_beside_the_first_three(client_for, staff, run, settings):
    settings.KECHUANG_HOME_REGION = "140000"
    url = reverse("indicators:run-detail", args=[run.pk])
    r = client_for(staff).get(url)
    assert r.context["chosen"] == ["110000", "320000", "610000", "140000"]
    r = client_for(staff).get(url + "?unit=620000")
    assert r.context["chosen"] == ["620000"]
    settings.KECHUANG_HOME_REGION = "110000"  # among the first three: drawn once
    assert client_for(staff).get(url).context["chosen"] == ["110000", "320000", "610000"]
