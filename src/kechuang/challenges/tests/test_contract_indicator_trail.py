"""A project's page shows staff its indicators' English names and units in its audit trail (usable15), as the
challenge's page does (usable14): they are audited on the contract indicator rows (followed from the list by
services.challenge_english_set), so the project's trail had not shown them; selectors.contract_indicator_trail
reads them in one query, each line naming its indicator in the reader's language; no one else's trail."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kechuang.challenges import selectors, services

from .factories import ContractFactory
from .test_indicator_trail import _trail

pytestmark = pytest.mark.django_db


def _named(staff):
    contract = ContractFactory()
    ch = contract.challenge
    inch = ch.indicators.get(name="晶圆直径")
    services.challenge_english_set(
        actor=staff,
        challenge=ch,
        expected_version=ch.version,
        title_en="SiC substrates",
        indicators={inch.pk: {"name_en": "Wafer diameter", "unit_en": "in"}},
    )
    return contract


def test_staffs_trail_of_the_project_names_each_indicators_english_edit(
    client_for, staff, english_client_for
):
    contract = _named(staff)
    joined = "\n".join(_trail(client_for(staff).get(contract.get_absolute_url()).content.decode()))
    assert "设置指标英文名称（晶圆直径）" in joined and "Wafer diameter" in joined
    assert "设置指标计量单位英文（晶圆直径）" in joined
    c = english_client_for(staff)
    joined = "\n".join(_trail(c.get(contract.get_absolute_url()).content.decode()))
    assert "Set the indicator's English name (Wafer diameter)" in joined and "晶圆直径" not in joined


def test_the_projects_unit_does_not_read_them(client_for, staff):
    contract = _named(staff)
    leader = contract.leader
    page = client_for(leader).get(contract.get_absolute_url())
    assert page.status_code == 200 and page.context["indicator_trail"] is None
    assert "（晶圆直径）" not in page.content.decode()


def test_one_query(staff):
    contract = _named(staff)
    contract = selectors.contract_get(pk=contract.pk, user=staff)
    with CaptureQueriesContext(connection) as queries:
        trail = selectors.contract_indicator_trail(contract)
    assert len(queries) == 1 and len(trail.rows) == 2 and len(trail.events) == 2
