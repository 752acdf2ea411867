"""Shared set-ups of the indicator tests."""

import pytest
from django.urls import reverse

from kechuang.indicators import services
from kechuang.indicators.tests.factories import FrameworkFactory, IndicatorFactory, RegionFactory


@pytest.fixture
def framework_run(client_for, django_capture_on_commit_callbacks):
    """framework_run(runner) -> an index run of a framework over three public indicators (A.x, A.y, B.z) and
    one region (U, 甲省) with one value, started by `runner` from the framework's page and run to its end
    (the job at commit, eager in tests)."""

    def run(runner):
        fw = FrameworkFactory()
        for code in ("A.x", "A.y", "B.z"):
            IndicatorFactory(code=code, public=True)
        RegionFactory(code="U", name="甲省")
        services.value_record(actor=runner, indicator_code="A.x", region="U", year=2020, value=5)
        with django_capture_on_commit_callbacks(execute=True):
            response = client_for(runner).post(
                reverse("indicators:framework-run", args=[fw.pk]),
                {"reference_unit": "", "reference_year": "", "region_set": ""},
            )
        assert response.status_code == 302
        return fw.runs.get()

    return run
