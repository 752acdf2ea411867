"""Property: whatever integrity records exist — any restriction, period, state, matched by account or by
name — no person or unit a current restriction bars is ever assigned as an expert (solver, draw or by
hand), awarded, or accepted (submitted, passed the formal check)."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kechuang.accounts.tests.factories import UnitFactory
from kechuang.challenges import services as ch
from kechuang.challenges.tests.factories import ApplicationFactory, ChallengeFactory
from kechuang.core.exceptions import ApplicationError, InvalidTransition
from kechuang.integrity.models import Record
from kechuang.review import services as rv
from kechuang.review.models import Assignment
from kechuang.review.tests.factories import ExpertProfileFactory, ExternalSubjectFactory, ReviewFormFactory

from .factories import RecordFactory

PERIODS = {
    "current": (-100, 100),
    "indefinite": (-100, None),
    "over": (-400, -1),
    "future": (1, 300),
}

record_spec = st.none() | st.fixed_dictionaries(
    {
        "bars": st.sets(st.sampled_from(["apply", "expert", "award"]), min_size=1),
        "period": st.sampled_from(sorted(PERIODS)),
        "status": st.sampled_from(["in_force", "appealed", "revoked"]),
        "by_name": st.booleans(),
    }
)


class _Rollback(Exception):
    pass


def _record(spec, *, person=None, unit=None):
    """A record from the drawn spec (None: no record)."""
    if spec is None:
        return None
    today = timezone.localdate()
    start, end = PERIODS[spec["period"]]
    bars = set(spec["bars"]) if person is not None else set(spec["bars"]) - {"expert"} or {"apply"}
    fields = {
        "decided_on": today + datetime.timedelta(days=min(start, 0)),
        "starts_on": today + datetime.timedelta(days=start),
        "ends_on": None if end is None else today + datetime.timedelta(days=end),
        "status": spec["status"],
        "bars_applying": "apply" in bars,
        "bars_expert_work": "expert" in bars,
        "bars_awards": "award" in bars,
    }
    if person is not None:
        if spec["by_name"]:
            return RecordFactory(subject_kind="person", unit=person.unit, person_name=str(person), **fields)
        return RecordFactory(person=person, **fields)
    return RecordFactory(unit=unit, **fields)


def _bars(records, restriction) -> bool:
    today = timezone.localdate()
    return any(r is not None and r.binds_on(today, restriction) for r in records)


@pytest.mark.django_db
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    experts=st.lists(record_spec, min_size=4, max_size=4),
    mode=st.sampled_from(["optimal", "random"]),
    apps=st.lists(st.tuples(record_spec, record_spec, record_spec), min_size=2, max_size=2),
)
def test_no_barred_person_or_unit_is_assigned_awarded_or_accepted(staff, experts, mode, apps):
    try:
        with transaction.atomic():
            _check(staff, experts, mode, apps)
            raise _Rollback
    except _Rollback:
        pass


def _check(staff, expert_specs, mode, app_specs):
    # Experts: solver or draw, then every expert by hand.
    profiles = [ExpertProfileFactory() for _ in expert_specs]
    records = {p.user_id: _record(spec, person=p.user) for p, spec in zip(profiles, expert_specs)}
    barred = {uid for uid, r in records.items() if _bars([r], "expert")}
    subjects = [ExternalSubjectFactory(unit=UnitFactory()) for _ in range(2)]
    rnd = rv.round_create(
        actor=staff, title="性质测试", subjects=subjects, form=ReviewFormFactory(), k=1, max_load=2, mode=mode
    )
    try:
        rv.round_assign(actor=staff, round=rnd)
    except ApplicationError:
        assert len(barred) == len(profiles), "only a pool emptied by restrictions may fail"
    for p in profiles:
        try:
            rv.assignment_create_manual(
                actor=staff, round=rnd, subject=subjects[1], expert=p.user, reason="人工"
            )
        except ApplicationError as exc:
            if p.user_id in barred:
                assert exc.code == "integrity_restricted" and "科研诚信" in str(exc)
    assigned = set(Assignment.objects.filter(round=rnd, status="active").values_list("expert_id", flat=True))
    assert not assigned & barred

    # Applications: submitted and passed (accepted), proposed and awarded only when nothing bars them.
    for unit_spec, leader_spec, late_spec in app_specs:
        app = ApplicationFactory()
        unit_record = _record(unit_spec, unit=app.unit)
        leader_record = _record(leader_spec, person=app.leader)
        before = [unit_record, leader_record]
        try:
            ch.application_submit(actor=app.leader, application=app)
        except InvalidTransition as exc:
            assert "科研诚信" in str(exc)
        app.refresh_from_db()
        if _bars(before, "apply"):
            assert app.status == "draft"
        else:
            assert app.status == "submitted"
            late = _record(late_spec, unit=app.unit)
            try:
                ch.formal_check(actor=staff, application=app, passed=True)
            except ApplicationError as exc:
                assert exc.code == "integrity_restricted"
            app.refresh_from_db()
            assert (app.status == "formal_passed") == (not _bars([*before, late], "apply"))

        challenge = ChallengeFactory(closed=True)
        rival = ApplicationFactory(challenge=challenge, under_review=True)
        _record(unit_spec, unit=rival.unit)
        _record(leader_spec, person=rival.leader)
        rival_records = list(Record.objects.filter(unit=rival.unit))
        start = timezone.localdate() - datetime.timedelta(days=10)
        try:
            ch.decision_publish(actor=staff, challenge=challenge, winners=[rival], starts_on=start, days=7)
        except ApplicationError as exc:
            assert exc.code == "integrity_restricted"
        rival.refresh_from_db()
        assert (rival.status == "proposed") == (not _bars(rival_records, "award"))
        if rival.status == "proposed":
            _record(late_spec, person=rival.leader)
            rival_records = list(Record.objects.filter(unit=rival.unit))
            try:
                ch.award_confirm(actor=staff, challenge=challenge)
            except ApplicationError as exc:
                assert exc.code == "integrity_restricted"
            rival.refresh_from_db()
            assert (rival.status == "awarded") == (not _bars(rival_records, "award"))
