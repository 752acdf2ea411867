"""Who ran an index (docs/security.md §19): staff read the runner's name; an anonymous visitor or anyone else
reads the department (the runner's unit), never a staff member's name."""

import pytest
from django.urls import reverse

from kechuang.accounts.tests.factories import UnitFactory
from kechuang.core.roles import Role

pytestmark = pytest.mark.django_db


def test_a_public_run_names_the_department_to_visitors_and_the_runner_to_staff(
    client, client_for, make_user, framework_run
):
    runner = make_user(Role.STAFF, full_name="周慧敏", unit=UnitFactory(name="山西省科学技术厅"))
    run = framework_run(runner)
    assert run.public and run.started_by == runner
    for url in (reverse("indicators:run-detail", args=[run.pk]), reverse("indicators:framework-list")):
        seen = client.get(url).content.decode()
        assert "周慧敏" not in seen and "山西省科学技术厅" in seen, url
        assert "周慧敏" in client_for(runner).get(url).content.decode(), url
