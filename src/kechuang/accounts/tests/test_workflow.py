"""accounts.workflow: a unit's verification and a change request's decision go through pure machines; the
services take the target state from them and refuse what they refuse, with the reason."""

import pytest

from kechuang.accounts import services
from kechuang.accounts.models import Unit, UnitChangeRequest
from kechuang.accounts.tests.factories import UnitFactory
from kechuang.accounts.workflow import CHANGE_REQUEST, UNIT, ChangeRequestStatus, UnitStatus
from kechuang.core.exceptions import InvalidTransition
from kechuang.core.models import AuditEvent
from kechuang.core.roles import Role

STAFF = {Role.STAFF.value}


def test_the_models_states_are_the_machines():
    assert Unit.Status is UnitStatus and UnitChangeRequest.Status is ChangeRequestStatus


@pytest.mark.parametrize(
    ("current", "action", "target"),
    [
        ("pending", "verify", "verified"),
        ("rejected", "verify", "verified"),
        ("pending", "reject", "rejected"),
    ],
)
def test_unit_machine_allows_staff(current, action, target):
    assert UNIT.check(current, action, STAFF, ctx={"reason": "材料不全"}).target == target


def test_unit_machine_refuses_wrong_state_role_and_missing_reason():
    assert UNIT.reasons_refused("verified", "verify", STAFF)
    assert UNIT.reasons_refused("rejected", "reject", STAFF, ctx={"reason": "x"})
    assert any("角色" in r for r in UNIT.reasons_refused("pending", "verify", {Role.APPLICANT.value}))
    assert any("理由" in r for r in UNIT.reasons_refused("pending", "reject", STAFF, ctx={"reason": " "}))


def test_change_request_machine_decides_once():
    assert CHANGE_REQUEST.check("pending", "approve", STAFF).target == "approved"
    assert CHANGE_REQUEST.check("pending", "reject", STAFF, ctx={"reason": "无证明"}).target == "rejected"
    for decided in ("approved", "rejected"):
        for action in ("approve", "reject"):
            assert CHANGE_REQUEST.reasons_refused(decided, action, STAFF, ctx={"reason": "x"})
    assert CHANGE_REQUEST.reasons_refused("pending", "approve", {Role.APPLICANT.value})


@pytest.mark.django_db
def test_a_rejected_unit_is_verified_later_and_a_verified_one_is_refused(staff):
    unit = UnitFactory(status=Unit.Status.PENDING)
    services.unit_reject(actor=staff, unit=unit, reason="营业执照不清晰")
    unit.refresh_from_db()
    assert unit.status == "rejected"
    with pytest.raises(InvalidTransition, match="只能退回待核验的单位"):
        services.unit_reject(actor=staff, unit=unit, reason="再次退回")
    services.unit_verify(actor=staff, unit=unit)
    unit.refresh_from_db()
    assert unit.status == "verified" and unit.verified_by == staff
    with pytest.raises(InvalidTransition, match="只能核验待核验或未通过核验的单位"):
        services.unit_verify(actor=staff, unit=unit)
    actions = list(AuditEvent.objects.filter(object_id=str(unit.pk)).values_list("action", flat=True))
    assert actions.count("unit.reject") == 1 and actions.count("unit.verify") == 1
