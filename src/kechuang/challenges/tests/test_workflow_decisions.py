"""The objection and change-request machines: one decision each, by staff, audited as that decision."""

import pytest

from kechuang.challenges import workflow as wf
from kechuang.core.roles import ALL_ROLES

CASES = [(wf.OBJECTION, "open", {"uphold", "dismiss"}), (wf.CHANGE_REQUEST, "pending", {"approve", "reject"})]


@pytest.mark.parametrize(("machine", "initial", "actions"), CASES, ids=["objection", "change_request"])
def test_only_staff_decide_and_only_once(machine, initial, actions):
    assert set(machine.transitions) == actions
    for action in actions:
        for state in machine.states.values:
            for role in sorted(ALL_ROLES | {"system"}):
                refused = machine.reasons_refused(state, action, [role], ctx={"reason": "理由"})
                assert (not refused) == (state == initial and role == "staff"), (action, state, role)


def test_the_outcomes_are_recorded_as_one_decision():
    assert {t.event for t in wf.OBJECTION.transitions.values()} == {"answer"}
    assert {t.event for t in wf.CHANGE_REQUEST.transitions.values()} == {"decide"}
    assert wf.OBJECTION.get("uphold").target == "upheld" and wf.OBJECTION.get("dismiss").target == "dismissed"


def test_rejecting_a_change_needs_a_reason_approving_does_not():
    assert wf.CHANGE_REQUEST.reasons_refused("pending", "reject", ["staff"], ctx={"reason": ""})
    assert not wf.CHANGE_REQUEST.reasons_refused("pending", "approve", ["staff"], ctx={"reason": ""})
