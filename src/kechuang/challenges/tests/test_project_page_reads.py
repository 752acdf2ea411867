"""The project page reads what contract_get loaded (issue #19): the indicators' progress from the prefetched
milestones and values, and the panels' visibility test from the loaded row, with the answers of the queries
they replace."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kechuang.challenges import permissions, selectors
from kechuang.challenges.models import Contract, Milestone, MilestoneValue
from kechuang.core.roles import Role

from .factories import ContractFactory

pytestmark = pytest.mark.django_db


def test_progress_from_the_loaded_milestones_is_the_queried_progress(staff):
    c = ContractFactory(running=True)
    m1, m2 = Milestone.objects.filter(contract=c).order_by("seq")
    # both verified, the later one reports a newer value of the first indicator; one value not reported
    MilestoneValue.objects.filter(milestone=m1).update(reported=5)
    MilestoneValue.objects.filter(milestone=m2, indicator__seq=1).update(reported=7)
    Milestone.objects.filter(pk__in=[m1.pk, m2.pk]).update(status="verified")
    m3 = Milestone.objects.create(
        contract=c, seq=3, title="推广", due_date=datetime.date(2027, 6, 30), tranche=0
    )
    MilestoneValue.objects.create(milestone=m3, indicator=c.indicators.get(seq=1), target=8, reported=6)
    Milestone.objects.filter(pk=m3.pk).update(status="verified")  # due before m2: m2's 7 is the latest

    queried = selectors.indicator_progress(Contract.objects.get(pk=c.pk))
    loaded = selectors.contract_get(pk=c.pk, user=staff)
    with CaptureQueriesContext(connection) as ctx:
        from_loaded = selectors.indicator_progress(loaded)
    assert len(ctx.captured_queries) == 0
    assert [(r["indicator"].pk, r["value"], r["progress"]) for r in from_loaded] == [
        (r["indicator"].pk, r["value"], r["progress"]) for r in queried
    ]
    assert [r["value"] for r in from_loaded] == [7, None]


def test_can_view_contract_is_contracts_visible_to(make_user, staff, applicant):
    c = ContractFactory()
    other = ContractFactory()
    same_unit = make_user(Role.APPLICANT, unit=c.unit)
    people = [staff, applicant, same_unit, c.commissioner, other.commissioner, make_user(None)]
    people[-1].is_active = False
    from django.contrib.auth.models import AnonymousUser

    for user in [*people, AnonymousUser()]:
        for contract in (c, other):
            expected = permissions.contracts_visible_to(user).filter(pk=contract.pk).exists()
            with CaptureQueriesContext(connection) as ctx:
                assert permissions.can_view_contract(user, contract) == expected, (user, contract)
            assert not ctx.captured_queries
    assert permissions.can_view_contract(same_unit, c) and permissions.can_view_contract(c.commissioner, c)
    assert not permissions.can_view_contract(applicant, c)


def test_can_view_application_is_applications_visible_to(make_user, staff, applicant):
    from django.contrib.auth.models import AnonymousUser

    from kechuang.challenges.models import ApplicationPartner

    from .factories import ApplicationFactory

    app = ApplicationFactory()
    partner_unit = ApplicationFactory().unit
    ApplicationPartner.objects.create(application=app, unit=partner_unit, seq=1, role="participant")
    contract = ContractFactory(application=app, challenge=app.challenge, unit=app.unit, leader=app.leader)
    lead = make_user(Role.APPLICANT, unit=app.unit)
    partner = make_user(Role.APPLICANT, unit=partner_unit)
    people = [staff, applicant, lead, partner, contract.commissioner, make_user(Role.COMMISSIONER)]
    for user in [*people, AnonymousUser()]:
        expected = permissions.applications_visible_to(user).filter(pk=app.pk).exists()
        assert permissions.can_view_application(user, app) == expected, user
    with CaptureQueriesContext(connection) as ctx:  # staff and the lead unit: from the row
        assert permissions.can_view_application(staff, app) and permissions.can_view_application(lead, app)
    assert not ctx.captured_queries
    assert permissions.can_view_application(partner, app) and permissions.can_view_application(
        contract.commissioner, app
    )


def test_the_detail_queries_are_built_once_and_keep_who_sees_what(
    staff, applicant, commissioner, monkeypatch
):
    """contract_get and application_get run SQL Django built once per process (core.queries.CompiledOne,
    #19): each call gets its own row with its joined and prefetched objects, and someone who may not see
    the row gets DoesNotExist (the page's 404), as from the filtered querysets before."""
    from django.db.models.sql.compiler import SQLCompiler

    from kechuang.challenges.models import Application

    a, b = ContractFactory(), ContractFactory()
    a.commissioner = commissioner
    a.save(update_fields=["commissioner"])
    selectors.contract_get(pk=a.pk, user=staff)
    selectors.application_get(pk=a.application_id, user=staff)
    built = []
    original = SQLCompiler.as_sql
    main_tables = ('FROM "challenges_contract"', 'FROM "challenges_application"')

    def spy(self, *args, **kwargs):
        sql, params = original(self, *args, **kwargs)
        built.extend(t for t in main_tables if t in sql and "JOIN" in sql)
        return sql, params

    monkeypatch.setattr(SQLCompiler, "as_sql", spy)
    for c in (a, b):
        got = selectors.contract_get(pk=c.pk, user=staff)
        assert (got.pk, got.unit.pk, got.leader.pk, got.challenge.pk) == (
            c.pk,
            c.unit_id,
            c.leader_id,
            c.challenge_id,
        )
        assert [m.pk for m in got.milestones.all()] == list(
            c.milestones.order_by("seq", "pk").values_list("pk", flat=True)
        )
        app = selectors.application_get(pk=c.application_id, user=staff)
        assert (app.pk, app.contract.pk, app.unit_id) == (c.application_id, c.pk, c.unit_id)
    assert built == []
    assert selectors.contract_get(pk=a.pk, user=commissioner).pk == a.pk
    for user, pk in ((commissioner, b.pk), (applicant, a.pk), (staff, 10**9)):
        with pytest.raises(Contract.DoesNotExist):
            selectors.contract_get(pk=pk, user=user)
    with pytest.raises(Application.DoesNotExist):
        selectors.application_get(pk=b.application_id, user=applicant)
    with pytest.raises(Application.DoesNotExist):
        selectors.application_get(pk="x", user=staff)
