"""Who ran an index (docs/security.md §19): staff read the runner's name; an anonymous visitor or anyone else
reads the department (the runner's unit), never a staff member's name."""

import pytest
from django.urls import reverse

from kechuang.accounts.tests.factories import UnitFactory
from kechuang.core.roles import Role
from kechuang.indicators import services
from kechuang.indicators.tests.factories import FrameworkFactory, IndicatorFactory, RegionFactory

pytestmark = pytest.mark.django_db


def test_a_public_run_names_the_department_to_visitors_and_the_runner_to_staff(
    client, client_for, make_user, django_capture_on_commit_callbacks
):
    runner = make_user(Role.STAFF, full_name="周慧敏", unit=UnitFactory(name="山西省科学技术厅"))
    fw = FrameworkFactory()
    for code in ("A.x", "A.y", "B.z"):
        IndicatorFactory(code=code, public=True)
    RegionFactory(code="U", name="甲省")
    services.value_record(actor=runner, indicator_code="A.x", region="U", year=2020, value=5)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(runner).post(
            reverse("indicators:framework-run", args=[fw.pk]),
            {"reference_unit": "", "reference_year": "", "region_set": ""},
        )
    run = fw.runs.get()
    assert run.public and run.started_by == runner
    for url in (reverse("indicators:run-detail", args=[run.pk]), reverse("indicators:framework-list")):
        seen = client.get(url).content.decode()
        assert "周慧敏" not in seen and "山西省科学技术厅" in seen, url
        assert "周慧敏" in client_for(runner).get(url).content.decode(), url
