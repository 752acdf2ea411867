"""揭榜挂帅 as one programme type among several (issue #18.1): its definition file's stages, in order, are the
challenges app's existing workflow. Each stage kind is realised by named transitions of challenges' machines;
walking the definition's stages through those transitions, from every machine's initial state, must be
possible in exactly that order, and every transition of those machines is either on that path or named below
as a side step. The challenges workflow is not changed: this test reads it."""

import json

import pytest

from kechuang.challenges import workflow as ch
from kechuang.programmes import definitions, workflow

# stage kind -> the transitions of challenges' machines that realise it, in order; (machine, name, branch)
# A branch transition (the racing down-select) ends some records; the others carry on from where they were.
REALISED_BY = {
    "call": [(ch.CHALLENGE, "publish", False)],
    "application": [(ch.APPLICATION, "submit", False), (ch.CHALLENGE, "close", False)],
    "formal_check": [(ch.APPLICATION, "pass_formal", False)],
    "panel_review": [(ch.APPLICATION, "start_review", False)],
    "publicity": [(ch.APPLICATION, "propose", False)],
    "decision": [(ch.APPLICATION, "award", False), (ch.CHALLENGE, "award", False)],
    "contract": [(ch.CONTRACT, "sign", False)],
    "mid_term": [(ch.MILESTONE, "report", False), (ch.MILESTONE, "verify", False)],
    "racing": [(ch.CONTRACT, "stop", True), (ch.CONTRACT, "merge", True)],
    "acceptance": [
        (ch.CONTRACT, "request_acceptance", False),
        (ch.CONTRACT, "pass_acceptance", False),
        (ch.CHALLENGE, "finish", False),
    ],
}
# Steps off the main path: withdrawals, returns, refusals, cancellations, failures.
SIDE_STEPS = {
    ("challenge", "cancel"),
    ("application", "withdraw"),
    ("application", "return"),
    ("application", "reject"),
    ("contract", "fail_acceptance"),
    ("contract", "terminate"),
    ("milestone", "send_back"),
}
INITIAL = {"challenge": "draft", "application": "draft", "contract": "draft", "milestone": "target"}


def jiebang():
    return json.loads(definitions.read("jiebang.json"))


def walk(stage_kinds):
    """Run the transitions realising each stage, in order; the first one whose source state is not where its
    machine stands is returned (None when the whole order runs)."""
    at = dict(INITIAL)
    for kind in stage_kinds:
        for machine, name, branch in REALISED_BY[kind]:
            t = machine.get(name)
            if at[machine.name] not in t.sources:
                return (kind, machine.name, name, at[machine.name])
            if not branch:
                at[machine.name] = t.target
    return None


def test_the_definition_order_is_the_existing_workflow_order():
    kinds = [s["kind"] for s in jiebang()["stages"]]
    assert kinds == list(REALISED_BY)
    assert walk(kinds) is None
    assert workflow.problems(jiebang()["stages"]) == []


@pytest.mark.parametrize("i", range(len(REALISED_BY) - 1))
def test_any_two_stages_swapped_do_not_run_on_the_existing_machines(i):
    kinds = list(REALISED_BY)
    if {kinds[i], kinds[i + 1]} == {"mid_term", "racing"}:
        pytest.skip("a down-select and a milestone check happen in either order while the project runs")
    kinds[i], kinds[i + 1] = kinds[i + 1], kinds[i]
    assert walk(kinds) is not None or workflow.problems(
        [{"key": f"s{n}", "kind": k, "rules": {}} for n, k in enumerate(kinds, 1)]
    )


def test_every_transition_of_the_machines_is_on_the_path_or_a_named_side_step():
    used = {(m.name, name) for steps in REALISED_BY.values() for m, name, _b in steps}
    every = {
        (m.name, t) for m in (ch.CHALLENGE, ch.APPLICATION, ch.CONTRACT, ch.MILESTONE) for t in m.transitions
    }
    assert every == used | SIDE_STEPS


def test_the_decision_promises_publicity_as_the_award_guard_does():
    decision = next(s for s in jiebang()["stages"] if s["kind"] == "decision")
    guarded = ch.g_app_publicity_over in ch.APPLICATION.get("award").guards
    assert workflow.requires_publicity(decision) is guarded is True


def test_the_review_stage_acts_as_experts_and_the_application_as_applicants():
    roles = {s["kind"]: s["role"] for s in jiebang()["stages"]}
    assert roles["application"] in ch.APPLICATION.get("submit").roles
    assert roles["formal_check"] in ch.APPLICATION.get("pass_formal").roles
    assert roles["decision"] in ch.APPLICATION.get("award").roles
