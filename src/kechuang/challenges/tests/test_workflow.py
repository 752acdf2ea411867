"""The whole transition table, walked without a database: every state × action × role, and each guard."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from kechuang.challenges import workflow as wf
from kechuang.core.dates import date_text
from kechuang.core.exceptions import InvalidTransition
from kechuang.core.roles import ALL_ROLES

NOW = datetime.datetime(2026, 6, 1, 12, 0, tzinfo=datetime.UTC)


def _challenge(**kw):
    base = dict(
        deadline=NOW + datetime.timedelta(days=10),
        criteria=[{"weight": 0.5}, {"weight": 0.5}],
        budget_ceiling=Decimal("100"),
        max_winners=1,
    )
    return SimpleNamespace(**{**base, **kw})


# Facts that make every guard of every transition pass, per machine.
PASSING = {
    "challenge": (
        _challenge(deadline=NOW + datetime.timedelta(days=10)),
        {
            "now": NOW,
            "indicator_count": 2,
            "publicity_ends": NOW.date() - datetime.timedelta(days=1),
            "open_objections": 0,
            "proposed_count": 1,
            "open_contracts": 0,
            "reason": "理由",
        },
    ),
    "application": (
        SimpleNamespace(plan="方案"),
        {
            "now": NOW,
            "deadline": NOW + datetime.timedelta(days=1),
            "challenge_status": "published",
            "milestone_count": 1,
            "eligibility": [],
            "publicity_ends": NOW.date() - datetime.timedelta(days=1),
            "open_objections": 0,
            "reason": "理由",
        },
    ),
    "contract": (
        SimpleNamespace(commissioner_id=7),
        {
            "milestone_count": 2,
            "unverified_milestones": 0,
            "verdict": "passed",
            "racing": True,
            "reason": "理由",
        },
    ),
    "pre_application": (
        SimpleNamespace(),
        {
            "now": NOW,
            "deadline": NOW + datetime.timedelta(days=10),
            "pre_closes_on": NOW.date(),
            "challenge_status": "published",
            "eligibility": [],
            "form_problems": [],
            "reason": "理由",
        },
    ),
    "milestone": (
        SimpleNamespace(),
        {"contract_status": "in_progress", "missing_values": 0, "reason": "理由"},
    ),
    "performance": (
        SimpleNamespace(grade="good"),
        {"has_stage": True, "contract_status": "finished", "form_problems": [], "reason": "理由"},
    ),
}
# close needs a passed deadline, fail_acceptance a failed verdict: facts per action where they differ.
OVERRIDES = {
    ("challenge", "close"): (_challenge(deadline=NOW - datetime.timedelta(days=1)), {}),
    ("contract", "fail_acceptance"): (None, {"verdict": "failed"}),
}


def _facts(machine, action):
    obj, ctx = PASSING[machine.name]
    o_obj, o_ctx = OVERRIDES.get((machine.name, action), (None, {}))
    return (o_obj or obj), {**ctx, **o_ctx}


CASES = [(m, t) for m in wf.MACHINES.values() for t in m.transitions.values()]


@pytest.mark.parametrize(("machine", "t"), CASES, ids=[f"{m.name}.{t.name}" for m, t in CASES])
def test_every_state_role_pair(machine, t):
    obj, ctx = _facts(machine, t.name)
    for state in machine.states.values:
        for role in sorted(ALL_ROLES | {"system"}):
            reasons = machine.reasons_refused(state, t.name, [role], obj=obj, ctx=ctx)
            allowed = state in t.sources and role in t.roles
            if allowed:
                assert reasons == [], (state, role, reasons)
                assert machine.check(state, t.name, [role], obj=obj, ctx=ctx).target == t.target
            else:
                assert reasons, (state, role)
                with pytest.raises(InvalidTransition) as exc:
                    machine.check(state, t.name, [role], obj=obj, ctx=ctx)
                assert str(exc.value.message).strip()


def test_refusal_names_state_and_action():
    with pytest.raises(InvalidTransition) as exc:
        wf.CHALLENGE.check("finished", "publish", ["staff"], obj=_challenge(), ctx={"now": NOW})
    assert "已结束" in str(exc.value) and "发榜" in str(exc.value)


def test_reason_required_where_declared():
    obj, ctx = _facts(wf.CHALLENGE, "cancel")
    reasons = wf.CHALLENGE.reasons_refused("draft", "cancel", ["staff"], obj=obj, ctx={**ctx, "reason": "  "})
    assert any("理由" in r for r in reasons)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"deadline": NOW - datetime.timedelta(minutes=1)}, wf.MSG_DEADLINE_IN_PAST),
        ({"criteria": [{"weight": 0.5}, {"weight": 0.4}]}, wf.MSG_BAD_WEIGHTS),
        ({"criteria": []}, wf.MSG_BAD_WEIGHTS),
        ({"budget_ceiling": Decimal("0")}, wf.MSG_NO_BUDGET),
    ],
)
def test_publish_guards(change, message):
    obj, ctx = _facts(wf.CHALLENGE, "publish")
    reasons = wf.CHALLENGE.reasons_refused("draft", "publish", ["staff"], obj=_challenge(**change), ctx=ctx)
    assert reasons == [str(message)]


def test_publish_needs_indicators():
    obj, ctx = _facts(wf.CHALLENGE, "publish")
    assert wf.CHALLENGE.reasons_refused(
        "draft", "publish", ["staff"], obj=obj, ctx={**ctx, "indicator_count": 0}
    ) == [str(wf.MSG_NO_INDICATORS)]


def test_close_refused_before_deadline():
    obj, ctx = _facts(wf.CHALLENGE, "publish")  # deadline in the future
    [reason] = wf.CHALLENGE.reasons_refused("published", "close", ["staff"], obj=obj, ctx=ctx)
    assert reason.startswith(str(wf.MSG_DEADLINE_NOT_PASSED))
    assert reason.endswith(str(wf.MSG_DEADLINE_UNLOCKS) % {"date": wf._when(obj.deadline)})  # says when


@pytest.mark.parametrize(
    ("ctx_change", "message"),
    [
        ({"publicity_ends": None}, wf.MSG_NO_PUBLICITY),
        ({"publicity_ends": NOW.date()}, wf.MSG_PUBLICITY_OPEN),  # the last day of publicity is still open
        ({"open_objections": 1}, wf.MSG_OPEN_OBJECTIONS),
        ({"proposed_count": 0}, wf.MSG_NO_PROPOSED),
        ({"proposed_count": 2}, wf.MSG_TOO_MANY_WINNERS),
    ],
)
def test_award_guards(ctx_change, message):
    obj, ctx = _facts(wf.CHALLENGE, "award")
    [reason] = wf.CHALLENGE.reasons_refused("closed", "award", ["staff"], obj=obj, ctx={**ctx, **ctx_change})
    assert reason.startswith(str(message))
    if message == wf.MSG_PUBLICITY_OPEN:  # and says until when
        assert date_text(NOW.date()) in reason


def test_racing_allows_two_winners():
    obj, ctx = _facts(wf.CHALLENGE, "award")
    assert (
        wf.CHALLENGE.reasons_refused(
            "closed", "award", ["staff"], obj=_challenge(max_winners=2), ctx={**ctx, "proposed_count": 2}
        )
        == []
    )


def test_finish_needs_closed_contracts():
    obj, ctx = _facts(wf.CHALLENGE, "finish")
    assert wf.CHALLENGE.reasons_refused(
        "awarded", "finish", ["staff"], obj=obj, ctx={**ctx, "open_contracts": 1}
    ) == [str(wf.MSG_CONTRACTS_OPEN)]


@pytest.mark.parametrize(
    ("ctx_change", "obj", "message"),
    [
        ({"now": NOW + datetime.timedelta(days=2)}, None, wf.MSG_DEADLINE_PASSED),
        ({"now": NOW + datetime.timedelta(days=1)}, None, wf.MSG_DEADLINE_PASSED),  # at the deadline: closed
        ({"challenge_status": "closed"}, None, wf.MSG_NOT_PUBLISHED),
        ({"milestone_count": 0}, None, wf.MSG_NO_MILESTONES),
        ({}, SimpleNamespace(plan="  "), wf.MSG_NO_PLAN),
        ({"eligibility": ["挂帅人已主持 2 项在研项目"]}, None, "挂帅人已主持 2 项在研项目"),
    ],
)
def test_submit_guards(ctx_change, obj, message):
    o, ctx = _facts(wf.APPLICATION, "submit")
    [reason] = wf.APPLICATION.reasons_refused(
        "draft", "submit", ["applicant"], obj=obj or o, ctx={**ctx, **ctx_change}
    )
    assert reason.startswith(str(message))


def test_withdraw_after_deadline_refused():
    o, ctx = _facts(wf.APPLICATION, "withdraw")
    [reason] = wf.APPLICATION.reasons_refused(
        "submitted", "withdraw", ["applicant"], obj=o, ctx={**ctx, "now": NOW + datetime.timedelta(days=3)}
    )
    assert reason.startswith(str(wf.MSG_DEADLINE_PASSED))


@pytest.mark.parametrize(
    ("action", "state", "ctx_change", "obj", "message"),
    [
        ("sign", "draft", {}, SimpleNamespace(commissioner_id=None), wf.MSG_NO_COMMISSIONER),
        ("sign", "draft", {"milestone_count": 0}, None, wf.MSG_NO_CONTRACT_MILESTONES),
        (
            "request_acceptance",
            "in_progress",
            {"unverified_milestones": 1},
            None,
            wf.MSG_MILESTONES_UNVERIFIED,
        ),
        ("pass_acceptance", "acceptance", {"verdict": None}, None, wf.MSG_NO_ACCEPTANCE),
        ("pass_acceptance", "acceptance", {"verdict": "failed"}, None, wf.MSG_ACCEPTANCE_FAILED),
        ("fail_acceptance", "acceptance", {"verdict": "conditional"}, None, wf.MSG_ACCEPTANCE_PASSED),
        ("stop", "in_progress", {"racing": False}, None, wf.MSG_NOT_RACING),
        ("merge", "in_progress", {"racing": False}, None, wf.MSG_NOT_RACING),
    ],
)
def test_contract_guards(action, state, ctx_change, obj, message):
    o, ctx = _facts(wf.CONTRACT, action)
    assert wf.CONTRACT.reasons_refused(
        state, action, ["staff", "applicant"], obj=obj or o, ctx={**ctx, **ctx_change}
    ) == [str(message)]


def test_milestone_guards():
    o, ctx = _facts(wf.MILESTONE, "report")
    assert wf.MILESTONE.reasons_refused(
        "target", "report", ["applicant"], obj=o, ctx={**ctx, "missing_values": 1}
    ) == [str(wf.MSG_NO_VALUES)]
    assert wf.MILESTONE.reasons_refused(
        "reported", "verify", ["commissioner"], obj=o, ctx={**ctx, "contract_status": "stopped"}
    )


def test_available_lists_only_permitted_buttons():
    o, ctx = _facts(wf.APPLICATION, "submit")
    names = {t.name for t in wf.APPLICATION.available("submitted", ["applicant"], obj=o, ctx=ctx)}
    assert names == {"withdraw"}
    staff = {t.name for t in wf.APPLICATION.available("submitted", ["staff"], obj=o, ctx=ctx)}
    assert staff == {"return", "pass_formal", "reject"}


def test_every_state_reachable_or_initial():
    for machine in wf.MACHINES.values():
        initial = machine.states.values[0]
        reached = {initial} | {t.target for t in machine.transitions.values()}
        assert reached == set(machine.states.values), machine.name


def test_timezone_default_now_used_when_missing():
    obj = _challenge(deadline=timezone.now() - datetime.timedelta(seconds=1))
    assert wf.g_deadline_passed(obj, {}) is None


# The pre-application (预申报, issue #18) ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"challenge_status": "closed"}, "未处于发榜状态"),
        ({"pre_closes_on": NOW.date() - datetime.timedelta(days=1)}, "预申报已于2026年5月31日截止"),
        ({"pre_closes_on": None, "deadline": NOW}, "揭榜截止时间已过"),
        ({"form_problems": ["“项目简介”：必填。"]}, "项目简介"),
        ({"eligibility": ["揭榜单位尚未通过科技厅核验。"]}, "核验"),
    ],
)
def test_a_pre_application_is_submitted_only_while_its_stage_is_open_and_complete(change, why):
    obj, ctx = _facts(wf.PRE_APPLICATION, "submit")
    reasons = wf.PRE_APPLICATION.reasons_refused(
        "draft", "submit", ["applicant"], obj=obj, ctx={**ctx, **change}
    )
    assert reasons and why in " ".join(str(r) for r in reasons), reasons


def test_a_declined_pre_application_needs_a_reason_and_is_final():
    obj, ctx = _facts(wf.PRE_APPLICATION, "decline")
    assert wf.PRE_APPLICATION.reasons_refused(
        "submitted", "decline", ["staff"], obj=obj, ctx={**ctx, "reason": ""}
    )
    for action in ("invite", "decline"):
        assert wf.PRE_APPLICATION.reasons_refused("declined", action, ["staff"], obj=obj, ctx=ctx)
        assert wf.PRE_APPLICATION.reasons_refused("invited", action, ["staff"], obj=obj, ctx=ctx)


def test_only_an_invited_unit_submits_the_formal_application_when_the_list_pre_applies():
    obj, ctx = _facts(wf.APPLICATION, "submit")
    refused = wf.APPLICATION.reasons_refused(
        "draft", "submit", ["applicant"], obj=obj, ctx={**ctx, "pre_application": True, "invited": False}
    )
    assert refused == [str(wf.MSG_NOT_INVITED)] and "未获邀请正式申报" in refused[0]
    ok = {**ctx, "pre_application": True, "invited": True}
    assert wf.APPLICATION.reasons_refused("draft", "submit", ["applicant"], obj=obj, ctx=ok) == []
    # a list without a pre-application stage: unchanged
    assert wf.APPLICATION.reasons_refused("draft", "submit", ["applicant"], obj=obj, ctx=ctx) == []


def test_a_list_with_a_defence_stage_proposes_only_a_defended_application():
    obj, ctx = _facts(wf.APPLICATION, "propose")
    undefended = SimpleNamespace(plan="方案", defence_score=None)
    refused = wf.APPLICATION.reasons_refused(
        "under_review", "propose", ["staff"], obj=undefended, ctx={**ctx, "defence_required": True}
    )
    assert refused == [str(wf.MSG_NO_DEFENCE)]
    defended = SimpleNamespace(plan="方案", defence_score=Decimal("42"))
    ok = {**ctx, "defence_required": True}
    assert wf.APPLICATION.reasons_refused("under_review", "propose", ["staff"], obj=defended, ctx=ok) == []
    # no defence stage: unchanged
    assert wf.APPLICATION.reasons_refused("under_review", "propose", ["staff"], obj=undefended, ctx=ctx) == []


@pytest.mark.parametrize("status", wf.ContractStatus.values)
def test_no_performance_evaluation_before_acceptance(status):
    """绩效评价 (#18): submitted and confirmed only once the acceptance closed the project (finished or
    failed), only on a version with the stage, only with a grade, whoever asks."""
    obj, ctx = _facts(wf.PERFORMANCE, "submit")
    for action, source in (("submit", "draft"), ("confirm", "submitted")):
        reasons = wf.PERFORMANCE.reasons_refused(
            source, action, ["staff"], obj=obj, ctx={**ctx, "contract_status": status}
        )
        assert (reasons == []) == (status in ("finished", "failed")), (action, status, reasons)
        assert wf.PERFORMANCE.reasons_refused(
            source, action, ["staff"], obj=obj, ctx={**ctx, "contract_status": status, "has_stage": False}
        )
    assert wf.PERFORMANCE.reasons_refused(
        "draft", "submit", ["staff"], obj=SimpleNamespace(grade=""), ctx=ctx
    )
