"""The 形式审查 list judges every application's rules in bulk (`rules.answers_many`, the checkers' bulk
forms, `selectors.projects_in_flight_many`): the same answers as asking applicant by applicant, in a number
of queries that does not grow with the applications."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kechuang.accounts.models import Unit
from kechuang.accounts.tests.factories import UnitFactory
from kechuang.challenges.models import Contract
from kechuang.challenges.tests.factories import ContractFactory
from kechuang.core.roles import Role
from kechuang.integrity.models import Record
from kechuang.integrity.tests.factories import RecordFactory
from kechuang.programmes import rules, selectors, services, workflow
from kechuang.programmes.models import Call, Submission

from .test_rules import form, open_at_application, programme  # noqa: F401  (form: a fixture)

pytestmark = pytest.mark.django_db

ALL_RULES = sorted(workflow.ELIGIBILITY)


def _verified(**kw):
    return UnitFactory(status=Unit.Status.VERIFIED, **kw)


def _apply(call, user, version, title, *, with_file=False):
    file_key = next(f["key"] for f in version.fields if f["kind"] == "file")
    data = {"f1": title}
    if with_file:
        data[file_key] = {"name": "承诺书.pdf"}
    return Submission.objects.create(
        version=version, call=call, stage_key=call.stage_key, submitted_by=user, data=data
    )


@pytest.fixture
def mixed(staff, make_user, form):  # noqa: F811
    """A call at its 形式审查 whose applicants are barred (or not) for every kind of reason."""
    version = programme(
        staff,
        form,
        eligibility=ALL_RULES,
        max_concurrent=1,
        unit_kinds=["enterprise"],
        attachments=["单位承诺书"],
    )
    shared = _verified()
    people = {
        "clean": make_user(Role.APPLICANT, unit=_verified()),
        "record_by_account": make_user(Role.APPLICANT, unit=shared),
        "same_unit": make_user(Role.APPLICANT, unit=shared),
        "record_by_name": make_user(Role.APPLICANT, unit=_verified()),
        "unit_record": make_user(Role.APPLICANT, unit=_verified(university=True)),
        "unverified": make_user(Role.APPLICANT, unit=UnitFactory(status=Unit.Status.PENDING)),
        "no_unit": make_user(Role.APPLICANT, unit=None),
        "overdue_contract": make_user(Role.APPLICANT, unit=_verified()),
        "overdue_call": make_user(Role.APPLICANT, unit=_verified()),
        "in_flight": make_user(Role.APPLICANT, unit=_verified()),
    }
    RecordFactory(person=people["record_by_account"])
    RecordFactory(
        person=None,
        subject_kind="person",
        unit=people["record_by_name"].unit,
        person_name=str(people["record_by_name"]),
    )
    RecordFactory(unit=people["unit_record"].unit)
    RecordFactory(
        unit=people["clean"].unit, bars_applying=False, bars_awards=True
    )  # bars something else only
    past = timezone.localdate() - datetime.timedelta(days=30)
    ContractFactory(
        unit=people["overdue_contract"].unit,
        leader=people["overdue_contract"],
        status=Contract.Status.IN_PROGRESS,
        end_date=past,
    )
    ContractFactory(leader=people["in_flight"], status=Contract.Status.IN_PROGRESS)  # in flight, not late
    # an awarded call still running, its stage overdue, with an application from the unit
    old = open_at_application(staff, version, title="2026 年度")
    _apply(old, people["overdue_call"], form, "旧项目")
    Call.objects.filter(pk=old.pk).update(awarded=True, stage_closes_on=past)
    other = open_at_application(staff, version, title="另一批次")
    _apply(other, people["in_flight"], form, "在研")
    call = open_at_application(staff, version)
    for i, (_name, user) in enumerate(people.items()):
        _apply(call, user, form, f"项目{i}", with_file=i % 2 == 0)
    call = services.call_advance(actor=staff, call=call)
    assert call.stage["kind"] == "formal_check"
    return call, people


def test_bulk_answers_are_the_pair_by_pair_answers(mixed):
    call, people = mixed
    pairs = [(u, u.unit) for u in people.values()]
    bulk = rules.answers_many(ALL_RULES, pairs=pairs, call=call)
    assert bulk == [rules.answers(ALL_RULES, user=u, unit=n, call=call) for u, n in pairs]
    users = list(people.values())
    assert selectors.projects_in_flight_many(users, call=call) == [
        selectors.projects_in_flight(u, call=call) for u in users
    ]
    # the fixture is mixed: every rule bars someone and spares someone, someone is in flight
    for rule in ALL_RULES:
        assert any(row[rule] for row in bulk) and any(not row[rule] for row in bulk), rule
    by_name = dict(zip(people, bulk, strict=True))
    assert len(by_name["record_by_account"]["no_integrity_record"]) == 1
    assert by_name["same_unit"]["no_integrity_record"] == []
    assert by_name["record_by_name"]["no_integrity_record"] and by_name["unit_record"]["no_integrity_record"]
    assert by_name["overdue_contract"]["no_overdue_project"] and by_name["overdue_call"]["no_overdue_project"]
    assert by_name["unverified"]["unit_verified"] and by_name["no_unit"]["unit_verified"]
    assert by_name["clean"] == {r: [] for r in ALL_RULES}
    in_flight = dict(zip(people, selectors.projects_in_flight_many(users, call=call), strict=True))
    assert in_flight["in_flight"] == 2 and in_flight["clean"] == 0


def test_the_list_checklists_are_each_applications_own(mixed):
    call, _people = mixed
    subs = selectors.call_applications(call)
    assert selectors.stored_facts_many(call, subs) == [selectors.stored_facts(call, s) for s in subs]
    rows = selectors.formal_rows(call, call.stage)
    assert [r["checklist"] for r in rows] == [selectors.formal_checklist(call, s) for s in subs]
    assert not all(r["meets_all"] for r in rows)


def test_the_list_reads_as_many_queries_for_more_applicants(mixed, make_user, form):  # noqa: F811
    call, _people = mixed
    with CaptureQueriesContext(connection) as before:
        selectors.formal_rows(call, call.stage)
    stage_key = next(s["key"] for s in call.version.stages if s["kind"] == "application")
    for i in range(4):
        user = make_user(Role.APPLICANT, unit=_verified())
        RecordFactory(person=user)
        Submission.objects.create(
            version=form, call=call, stage_key=stage_key, submitted_by=user, data={"f1": f"更多{i}"}
        )
    with CaptureQueriesContext(connection) as after:
        rows = selectors.formal_rows(call, call.stage)
    assert len(rows) == 14
    assert len(after.captured_queries) == len(before.captured_queries)
    assert Record.objects.count() >= 7
