"""The state-machine helper, without a database."""

import pytest
from django.db import models

from kechuang.core.exceptions import InvalidTransition
from kechuang.core.workflow import StateMachine, Transition


class S(models.TextChoices):
    DRAFT = "draft", "草稿"
    OPEN = "open", "开放"
    CLOSED = "closed", "关闭"


def _not_empty(obj, ctx):
    return None if ctx.get("items") else "没有内容，不能发布。"


MACHINE = StateMachine(
    "thing",
    S,
    [
        Transition(
            "publish", frozenset({S.DRAFT}), S.OPEN, frozenset({"staff"}), "发布", guards=(_not_empty,)
        ),
        Transition(
            "close", frozenset({S.OPEN}), S.CLOSED, frozenset({"staff", "owner"}), "关闭", needs_reason=True
        ),
    ],
)


def test_allowed_transition_returns_target():
    assert MACHINE.check("draft", "publish", {"staff"}, ctx={"items": [1]}).target == "open"


def test_wrong_state_wrong_role_and_guard_each_give_a_reason():
    with pytest.raises(InvalidTransition) as err:
        MACHINE.check("closed", "publish", {"owner"}, ctx={"items": [1]})
    message = str(err.value)
    assert "关闭" in message and "不能执行" in message and "角色" in message
    with pytest.raises(InvalidTransition, match="没有内容"):
        MACHINE.check("draft", "publish", {"staff"}, ctx={})


def test_reason_required():
    with pytest.raises(InvalidTransition, match="需要填写理由"):
        MACHINE.check("open", "close", {"owner"}, ctx={"reason": "  "})
    assert MACHINE.check("open", "close", {"owner"}, ctx={"reason": "done"}).target == "closed"


def test_unknown_action():
    with pytest.raises(InvalidTransition) as err:
        MACHINE.check("draft", "explode", {"staff"})
    assert err.value.code == "unknown_action"


def test_available_respects_roles_and_guards():
    assert [t.name for t in MACHINE.available("draft", {"staff"}, ctx={"items": [1]})] == ["publish"]
    assert MACHINE.available("draft", {"staff"}, ctx={}) == []
    assert MACHINE.available("draft", {"owner"}, ctx={"items": [1]}) == []
    assert MACHINE.targets("open") == {"closed"}


def test_unavailable_says_why_and_what_unlocks_it():
    """A guard's reason where the state allows the transition; the step before it where one step leads
    there; nothing for transitions of other roles or far away."""
    assert [(t.name, r) for t, r in MACHINE.unavailable("draft", {"staff"}, ctx={})] == [
        ("publish", ["没有内容，不能发布。"]),
        ("close", ["须先“发布”（当前状态：草稿）。"]),
    ]
    assert MACHINE.unavailable("draft", {"staff"}, ctx={"items": [1]})[0][0].name == "close"
    assert MACHINE.unavailable("draft", {"owner"}, ctx={}) == [
        (MACHINE.get("close"), ["须先“发布”（当前状态：草稿）。"])
    ]
    assert MACHINE.unavailable("closed", {"staff"}) == []  # nothing leads anywhere from here


def test_two_steps_before_are_joined_in_the_readers_language():
    """Walked (session 23): in English an application's missing "submit" said `First “Withdraw”或“Return for
    revision (formal check)”`: the joiner of two steps stayed Chinese."""
    from django.utils import translation

    machine = StateMachine(
        "two",
        S,
        [
            Transition("a", frozenset({S.DRAFT}), S.OPEN, frozenset({"staff"}), "甲"),
            Transition("b", frozenset({S.DRAFT}), S.OPEN, frozenset({"staff"}), "乙"),
            Transition("c", frozenset({S.OPEN}), S.CLOSED, frozenset({"staff"}), "丙"),
        ],
    )
    assert machine.unavailable("draft", {"staff"})[0][1] == ["须先“甲”或“乙”（当前状态：草稿）。"]
    with translation.override("en"):
        (reason,) = machine.unavailable("draft", {"staff"})[0][1]
    assert "”或“" not in reason and "” or “" in reason


def test_table_is_validated():
    with pytest.raises(ValueError, match="unknown states"):
        StateMachine("bad", S, [Transition("x", frozenset({"nowhere"}), S.OPEN, frozenset({"staff"}), "x")])
    with pytest.raises(ValueError, match="duplicate"):
        t = Transition("x", frozenset({S.DRAFT}), S.OPEN, frozenset({"staff"}), "x")
        StateMachine("bad", S, [t, t])


@pytest.mark.django_db
def test_transition_apply_saves_and_audits(staff):
    """Runs a machine on a real row (a Job's state) through the shared service."""
    from kechuang.core.audit import audit_trail_for
    from kechuang.core.models import Job
    from kechuang.core.services import transition_apply

    machine = StateMachine(
        "job",
        Job.State,
        [Transition("start", frozenset({"queued"}), "running", frozenset({"staff"}), "开始")],
    )
    job = Job.objects.create(kind="core.selftest")
    transition_apply(
        obj=job, machine=machine, action="start", actor=staff, roles={"staff"}, field="state", reason="go"
    )
    job.refresh_from_db()
    assert job.state == "running"
    event = audit_trail_for(job).get(action="job.start")
    assert (
        event.before == {"state": "queued"} and event.after == {"state": "running"} and event.reason == "go"
    )
    with pytest.raises(InvalidTransition):
        transition_apply(
            obj=job, machine=machine, action="start", actor=staff, roles={"staff"}, field="state"
        )
    assert audit_trail_for(job).filter(action="job.start").count() == 1
