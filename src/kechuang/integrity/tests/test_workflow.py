"""The record's lifecycle as a pure machine: each transition, each refusal with its reason."""

import pytest

from kechuang.core.exceptions import InvalidTransition
from kechuang.integrity.workflow import RECORD, AppealOutcome

STAFF = {"staff"}


class Obj:
    def __init__(self, outcome=""):
        self.appeal_outcome = outcome


@pytest.mark.parametrize(
    "current,action,target",
    [
        ("in_force", "appeal", "appealed"),
        ("appealed", "dismiss", "in_force"),
        ("appealed", "grant", "revoked"),
        ("in_force", "revoke", "revoked"),
    ],
)
def test_each_transition(current, action, target):
    assert RECORD.check(current, action, STAFF, Obj(), {"reason": "理由"}).target == target


@pytest.mark.parametrize("role", ["applicant", "expert", "commissioner", "operator"])
def test_only_staff_act(role):
    with pytest.raises(InvalidTransition, match="您的角色无权执行"):
        RECORD.check("in_force", "appeal", {role}, Obj(), {"reason": "理由"})


def test_an_appeal_needs_its_grounds():
    with pytest.raises(InvalidTransition, match="需要填写理由"):
        RECORD.check("in_force", "appeal", STAFF, Obj(), {"reason": " "})


def test_a_second_appeal_is_refused_with_the_reason():
    with pytest.raises(InvalidTransition, match="已经申诉过一次"):
        RECORD.check("in_force", "appeal", STAFF, Obj(AppealOutcome.DISMISSED), {"reason": "再申诉"})


@pytest.mark.parametrize("action", ["dismiss", "grant"])
def test_no_outcome_without_an_appeal(action):
    with pytest.raises(InvalidTransition, match="不能执行"):
        RECORD.check("in_force", action, STAFF, Obj(), {"reason": "意见"})


def test_a_revoked_record_is_final():
    assert RECORD.targets("revoked") == set()
