"""The stage kinds' rules: the orders the code refuses, a call's progression, the migration check, the diff;
and (issue #18.4) a property over random definitions: no configuration reaches an award without the checks
its stages promise."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kechuang.programmes import definitions, workflow
from kechuang.programmes.workflow import AWARD_NEEDS, STAGE_KINDS, DefinitionError, Run, problems


def stages(*kinds, **rules):
    return [
        {"key": f"s{i}", "kind": k, "rules": dict(rules) if k == "decision" else {}}
        for i, k in enumerate(kinds, 1)
    ]


BASIC = ("call", "application", "formal_check", "letter_review", "publicity", "decision")


def test_a_basic_definition_runs_to_an_award_with_every_check():
    run = Run.start(stages(*BASIC))
    while run.current["kind"] != "decision":
        assert run.award_refusals()
        run.advance()
    assert run.award_refusals() == []
    run.award()
    assert run.done >= AWARD_NEEDS | {workflow.PUBLICITY}
    assert run.advance() is None and run.finished


@pytest.mark.parametrize(
    "kinds, why",
    [
        (("application", "call", "formal_check", "letter_review", "publicity", "decision"), "第一个环节"),
        (("call", "application", "formal_check", "decision", "letter_review", "publicity"), "之前须有"),
        (("call", "application", "letter_review", "formal_check", "publicity", "decision"), "之前须有"),
        (("call", "application", "formal_check", "letter_review", "decision"), "要求先公示"),
        (("call", "application", "formal_check", "letter_review", "decision", "publicity"), "不能排在"),
        (
            ("call", "application", "formal_check", "letter_review", "publicity", "decision", "acceptance"),
            "之前须有",
        ),
        (
            ("call", "application", "application", "formal_check", "letter_review", "publicity", "decision"),
            "只能有一个",
        ),
        (("call", "formal_check"), "之前须有"),
        (("call", "pre_application", "formal_check"), "之前须有"),
        (
            ("call", "application", "formal_check", "letter_review", "publicity", "decision", "racing"),
            "之前须有",
        ),
        (("call", "unknown"), "未知"),
    ],
)
def test_impossible_orders_are_refused_with_the_reason(kinds, why):
    found = problems(stages(*kinds))
    assert found and any(why in p for p in found), found
    with pytest.raises(DefinitionError):
        Run.start(stages(*kinds))


def test_a_decision_may_waive_publicity_only_by_saying_so():
    kinds = ("call", "application", "formal_check", "panel_review", "decision")
    assert problems(stages(*kinds)) and problems(stages(*kinds, requires_publicity=True))
    assert problems(stages(*kinds, requires_publicity=False)) == []


def test_a_run_never_awards_before_the_decision_nor_passes_a_decision_unawarded():
    run = Run.start(stages(*BASIC, "contract"))
    with pytest.raises(DefinitionError):
        run.award()
    while run.current["kind"] != "decision":
        run.advance()
    with pytest.raises(DefinitionError):
        run.advance()
    run.award()
    assert run.advance()["kind"] == "contract"


def test_every_stage_kind_has_a_label_rank_and_role():
    assert set(STAGE_KINDS) == {
        "call",
        "pre_application",
        "application",
        "formal_check",
        "letter_review",
        "panel_review",
        "publicity",
        "decision",
        "contract",
        "mid_term",
        "racing",
        "acceptance",
        "performance",
    }
    for kind in STAGE_KINDS.values():
        assert not str(kind.label).isascii() and kind.role


@pytest.mark.parametrize("kind", list(STAGE_KINDS))
def test_every_stage_kind_has_a_place_in_some_valid_definition(kind):
    full = [
        "call",
        "pre_application",
        "application",
        "formal_check",
        "letter_review",
        "panel_review",
        "publicity",
        "decision",
        "contract",
        "mid_term",
        "racing",
        "acceptance",
        "performance",
    ]
    assert kind in full
    assert problems(stages(*full)) == []
    run = Run.start(stages(*full))
    seen = []
    while not run.finished:
        seen.append(run.current["kind"])
        if run.current["kind"] == "decision":
            run.award()
        run.advance()
    assert seen == full


# --- migration -------------------------------------------------------------------------------------------

OLD = stages("call", "application", "formal_check", "letter_review", "publicity", "decision")
NEW = [*OLD[:4], {"key": "s7", "kind": "panel_review", "rules": {}}, *OLD[4:]]
SAME = {s["key"]: s["key"] for s in OLD}


def test_migration_that_keeps_every_stage_is_allowed():
    assert workflow.migration_problems(OLD, NEW, SAME, "s3") == []
    # the call sits at the letter review; the new panel review comes after it: nothing is skipped
    assert workflow.migration_problems(OLD, NEW, SAME, "s4") == []


def test_migration_that_would_skip_a_new_stage_is_refused():
    found = workflow.migration_problems(OLD, NEW, SAME, "s5")  # at publicity: the new panel review is behind
    assert any("跳过" in p for p in found), found


def test_migration_refuses_an_unmapped_current_stage_and_a_reversed_mapping():
    assert workflow.migration_problems(OLD, NEW, {"s1": "s1"}, "s3")
    crossed = {**SAME, "s2": "s3", "s3": "s2"}
    assert workflow.migration_problems(OLD, NEW, crossed, "s4")
    assert workflow.migration_problems(OLD, stages("application"), SAME, "s2")  # the new one cannot run


# --- the diff -------------------------------------------------------------------------------------------


def test_the_diff_matches_by_key_and_shows_added_changed_removed_in_place():
    new = [dict(s) for s in NEW if s["key"] != "s2"]
    new[0]["days"] = 10
    rows = workflow.diff(OLD, new)
    assert [(r.change, (r.left or r.right)["key"]) for r in rows] == [
        ("changed", "s1"),
        ("removed", "s2"),
        ("same", "s3"),
        ("same", "s4"),
        ("added", "s7"),
        ("same", "s5"),
        ("same", "s6"),
    ]
    assert rows[0].attrs == ("days",)


# --- the property (issue #18.4) ---------------------------------------------------------------------------

kind_st = st.sampled_from(sorted(STAGE_KINDS))


@st.composite
def definitions_st(draw):
    """Random definitions: often close to valid (a shuffled or thinned known order), sometimes anything."""
    order = [
        "call",
        "pre_application",
        "application",
        "formal_check",
        "letter_review",
        "panel_review",
        "publicity",
        "decision",
        "contract",
        "mid_term",
        "racing",
        "acceptance",
        "performance",
    ]
    if draw(st.booleans()):
        kinds = [k for k in order if draw(st.booleans()) or k in ("call", "decision")]
        if draw(st.booleans()) and len(kinds) > 2:
            i = draw(st.integers(0, len(kinds) - 2))
            kinds[i], kinds[i + 1] = kinds[i + 1], kinds[i]
    else:
        kinds = draw(st.lists(kind_st, min_size=1, max_size=12))
    out = []
    for i, k in enumerate(kinds, 1):
        rules = {"requires_publicity": draw(st.booleans())} if k == "decision" else {}
        out.append({"key": f"s{i}", "kind": k, "rules": rules})
    return out


@settings(max_examples=400, deadline=None)
@given(definitions_st(), st.lists(st.sampled_from(["advance", "award"]), max_size=40))
def test_no_valid_definition_reaches_an_award_without_the_checks_its_stages_promise(stages_, actions):
    if problems(stages_):
        with pytest.raises(DefinitionError):
            Run.start(stages_)
        return
    run = Run.start(stages_)
    for action in actions:
        before = (run.index, run.awarded)
        try:
            getattr(run, action)()
        except DefinitionError:
            assert (run.index, run.awarded) == before  # a refusal changes nothing
            continue
        if action == "award":
            decision = run.current
            assert decision["kind"] == "decision"
            # every check the award rests on, and every check the stages before it promise, are done
            needed = workflow.award_needs(decision) | workflow.promised_before(stages_, run.index)
            assert needed <= run.done, (stages_, run.done)
            assert run.done >= workflow.AWARD_NEEDS
    # and a stage after a decision is reached only through an award
    if any(s["kind"] == "decision" for s in stages_[: run.index]):
        assert run.awarded


@settings(max_examples=200, deadline=None)
@given(definitions_st())
def test_every_valid_definition_can_reach_its_award(stages_):
    if problems(stages_):
        return
    run = Run.start(stages_)
    while not run.finished:
        if run.current["kind"] == "decision":
            run.award()
        run.advance()
    assert run.awarded == any(s["kind"] == "decision" for s in stages_)


def test_the_shipped_definitions_are_valid():
    for name in definitions.FILES:
        doc = json.loads(definitions.read(name))
        assert problems(doc["stages"]) == [], name
