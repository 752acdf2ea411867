"""Large tables (issue #19): searches by a person's or unit's name go through the bigram index (core.bigram)
and find what `icontains` found; a list page's queries do not grow with the rows it shows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kechuang.accounts.tests.factories import UnitFactory, UserFactory
from kechuang.challenges.tests.factories import ApplicationFactory, ChallengeFactory, ContractFactory
from kechuang.core import bigram
from kechuang.core.audit import audit_record
from kechuang.core.roles import Role

pytestmark = pytest.mark.django_db


def _uses_the_index(sql: str, word: str) -> bool:
    pattern = " & ".join(bigram.query_words(word))
    return (
        ("to_tsvector" in sql and pattern in sql)
        if connection.vendor == "postgresql"
        else (f"% {bigram.query_words(word)[0]} %" in sql)
    )


def test_the_audit_log_finds_an_actor_by_two_characters_of_their_name_through_the_index(staff, client_for):
    actor = UserFactory(full_name="欧阳明远", roles=[Role.STAFF])
    other = UserFactory(full_name="李明", roles=[Role.STAFF])
    unit = UnitFactory(name="日志单位")
    audit_record(actor=actor, action="unit.update", obj=unit, after={"kind": "other"})
    audit_record(actor=other, action="unit.delete_test", obj=unit)
    with CaptureQueriesContext(connection) as ctx:
        page = client_for(staff).get("/jobs/audit/", {"actor": "明远"}).content.decode()
    assert "欧阳明远" in page and "李明" not in page
    assert any(_uses_the_index(q["sql"], "明远") for q in ctx.captured_queries)
    assert "欧阳明远" not in client_for(staff).get("/jobs/audit/", {"actor": "明近"}).content.decode()


def test_the_project_picker_finds_a_project_by_two_characters_of_its_units_name(staff, client_for):
    contract = ContractFactory(running=True)
    contract.unit.name = "晋城光伏材料有限公司"
    contract.unit.save()
    ContractFactory(running=True)  # another unit's project
    with CaptureQueriesContext(connection) as ctx:
        rows = client_for(staff).get(reverse("web:pick-projects"), {"q": "光伏"}).json()["results"]
    assert [r["value"] for r in rows] == [str(contract.pk)]
    assert any(_uses_the_index(q["sql"], "光伏") for q in ctx.captured_queries)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_challenge_list_costs_the_same_queries_for_two_rows_and_a_full_page(client, staff, client_for):
    """The list's application counts are counter rows in the list's own query (core.counters), not one count
    per row; its page holds 30."""
    for _ in range(2):
        ApplicationFactory(submitted=True)
    few = {
        "anonymous": _queries(client, "/challenges/"),
        "staff": _queries(client_for(staff), "/challenges/"),
    }
    for _ in range(28):
        ch = ChallengeFactory(published=True)
        ApplicationFactory(challenge=ch, submitted=True)
    page = client.get("/challenges/").content.decode()
    assert page.count("<tr") >= 30
    full = {
        "anonymous": _queries(client, "/challenges/"),
        "staff": _queries(client_for(staff), "/challenges/"),
    }
    assert full == few
