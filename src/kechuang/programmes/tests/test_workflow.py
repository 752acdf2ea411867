"""The stage kinds' rules: the orders the code refuses, a call's progression, the migration check, the diff;
and (issue #18.4) a property over random definitions: no configuration reaches an award without the checks
its stages promise."""

import contextlib
import datetime
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


def step(run):
    """Close the current stage as staff would: at a review stage, once its reviews are complete (at a 答辩
    after a 函评, every candidate shortlisted first); at the formal check, once every formal application is
    passed."""
    if run.current["key"] in workflow.shortlist_stage_keys(run.stages):
        for n in run.candidates(run.index):
            if n not in run.shortlists.get(run.current["key"], {}):
                run.shortlist(n, "shortlist")
    if run.current["kind"] in workflow.REVIEW_KINDS:
        run.complete_review()
    if run.current is workflow.invitation_stage(run.stages):
        for who in run.pre_applicants():
            if who not in run.invitation:
                run.invitation_decide(who, "invite")
        run.complete_invitation()
    if run.current["kind"] == "formal_check":
        for n in run.formal_applications():
            if run.formal.get(n, "pending") == "pending":
                run.check_application(n, "pass")
        run.complete_formal_check()
    return run.advance()


def test_a_basic_definition_runs_to_an_award_with_every_check():
    run = Run.start(stages(*BASIC))
    while run.current["kind"] != "decision":
        assert run.award_refusals()
        step(run)
    assert run.award_refusals() == []
    run.award()
    assert run.done >= AWARD_NEEDS | {workflow.PUBLICITY}
    assert run.advance() is None and run.finished


def test_a_review_stage_closes_only_with_its_reviews_complete_and_says_why():
    run = Run.start(stages(*BASIC))
    while run.current["kind"] != "letter_review":
        step(run)
    assert "专家评审尚未完成" in run.advance_refusals()[0]
    run.waiting = ["还有 2 份评审未提交也未免除"]
    with pytest.raises(DefinitionError) as refused:
        run.advance()
    assert refused.value.problems == ["还有 2 份评审未提交也未免除"]
    assert run.current["kind"] == "letter_review" and workflow.EXPERT not in run.done
    run.complete_review()
    assert run.advance()["kind"] == "publicity"
    with pytest.raises(DefinitionError):
        run.complete_review()  # not a review stage
    # a call standing after its review stage had them complete
    assert workflow.run_at(stages(*BASIC), "s5").reviewed == {"s4"}


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
        step(run)
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
        step(run)
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
@given(
    definitions_st(),
    st.lists(st.sampled_from(["advance", "award", "complete_review", "complete_formal_check"]), max_size=40),
)
def test_no_valid_definition_reaches_an_award_without_the_checks_its_stages_promise(stages_, actions):
    if problems(stages_):
        with pytest.raises(DefinitionError):
            Run.start(stages_)
        return
    run = Run.start(stages_)
    for action in actions:
        before = (run.index, run.awarded, set(run.reviewed), set(run.checked))
        closing = run.current
        try:
            getattr(run, action)()
        except DefinitionError:
            # a refusal changes nothing
            assert (run.index, run.awarded, run.reviewed, run.checked) == before
            continue
        if action == "advance" and closing["kind"] in workflow.REVIEW_KINDS:
            # a review stage closes only with its expert reviews complete
            assert closing["key"] in before[2]
        if action == "advance" and closing["kind"] == "formal_check":
            # a formal check closes only with every application passed or failed
            assert closing["key"] in before[3]
        if action == "award":
            decision = run.current
            assert decision["kind"] == "decision"
            # every check the award rests on, and every check the stages before it promise, are done
            needed = workflow.award_needs(decision) | workflow.promised_before(stages_, run.index)
            assert needed <= run.done, (stages_, run.done)
            assert run.done >= workflow.AWARD_NEEDS
            # every review stage before the decision had its expert reviews completed
            for s in stages_[: run.index]:
                if s["kind"] in workflow.REVIEW_KINDS:
                    assert s["key"] in run.reviewed
                if s["kind"] == "formal_check":
                    assert s["key"] in run.checked
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
        step(run)
    assert run.awarded == any(s["kind"] == "decision" for s in stages_)


def test_the_shipped_definitions_are_valid():
    for name in definitions.FILES:
        doc = json.loads(definitions.read(name))
        assert problems(doc["stages"]) == [], name


# --- the property with stage rules (issue #18.1, 18.4) --------------------------------------------------------

ATTACHMENTS = ("单位承诺书", "可行性研究报告")
UNIT_KINDS = ("enterprise", "university", "government")


@st.composite
def ruled_definitions_st(draw):
    """Random definitions whose stages carry random rules (anywhere: problems() refuses rules where no
    applicant submits) and, at the application kinds, often a form."""
    if draw(st.integers(0, 3)):  # mostly runnable: the known order, each optional kind in or out
        optional = {"pre_application", "letter_review", "panel_review", "contract", "mid_term", "acceptance"}
        kinds = [
            k
            for k in ("call", "pre_application", "application", "formal_check", "letter_review")
            + ("panel_review", "publicity", "decision", "contract", "mid_term", "acceptance")
            if k not in optional or draw(st.booleans())
        ]
        if not {"letter_review", "panel_review"} & set(kinds):
            kinds.insert(kinds.index("formal_check") + 1, "letter_review")
        if (
            "acceptance" in kinds
            and "contract" not in kinds
            or "mid_term" in kinds
            and "contract" not in kinds
        ):
            kinds.insert(kinds.index("decision") + 1, "contract")
        base = [{"key": f"s{i}", "kind": k, "rules": {}} for i, k in enumerate(kinds, 1)]
    else:
        base = draw(definitions_st())
    out = []
    for stage in base:
        rules = dict(stage["rules"])
        form = 1 if workflow.STAGE_KINDS[stage["kind"]].form_purpose and draw(st.booleans()) else None
        # rules mostly where applicants submit, now and then where none does (a definition to refuse)
        if draw(st.integers(0, 9)) < (
            6 if form and stage["kind"] in ("pre_application", "application") else 1
        ):
            rules["unit_kinds"] = draw(st.lists(st.sampled_from(UNIT_KINDS), unique=True, max_size=2))
            if draw(st.booleans()):
                rules["unit_kinds"] = sorted({*rules["unit_kinds"], "enterprise"})
            rules["eligibility"] = draw(st.lists(st.sampled_from(sorted(workflow.ELIGIBILITY)), unique=True))
            rules["max_concurrent"] = draw(st.none() | st.integers(1, 3))
            rules["attachments"] = draw(st.lists(st.sampled_from(ATTACHMENTS), unique=True))
        out.append({**stage, "form": form, "rules": rules})
    return out


DAY = workflow.datetime.date(2027, 3, 1)


@st.composite
def facts_st(draw):
    """Random facts of a submission: an applicant who meets everything, or one with a single defect (each
    rule's own), or anything."""
    perfect = {
        "unit_kind": "enterprise",
        "eligibility": {r: [] for r in workflow.ELIGIBILITY},
        "in_flight": 0,
        "attachments": frozenset(ATTACHMENTS),
        "today": DAY,
        "closes_on": DAY,
    }
    perfect["applicant"] = draw(st.integers(0, 2))  # the 预申报 invitation's key
    shape = draw(st.sampled_from(["perfect", "one defect", "one defect", "anything"]))
    if shape == "perfect":
        return workflow.Facts(**perfect)
    if shape == "one defect":
        rule = draw(st.sampled_from(sorted(workflow.ELIGIBILITY)))
        defect = draw(
            st.sampled_from(
                [
                    {"unit_kind": draw(st.sampled_from(("", "university", "government")))},
                    {"eligibility": {**perfect["eligibility"], rule: ["在查的记录"]}},
                    {"eligibility": {r: [] for r in workflow.ELIGIBILITY if r != rule}},
                    {"in_flight": draw(st.integers(1, 3))},
                    {"attachments": frozenset()},
                    {"closes_on": DAY - workflow.datetime.timedelta(days=1)},
                ]
            )
        )
        return workflow.Facts(**{**perfect, **defect})
    return workflow.Facts(
        applicant=perfect["applicant"],
        unit_kind=draw(st.sampled_from(("", *UNIT_KINDS))),
        eligibility={
            r: draw(st.sampled_from([[], ["在查的记录"]]))
            for r in sorted(workflow.ELIGIBILITY)
            if draw(st.booleans())
        },
        in_flight=draw(st.integers(0, 3)),
        attachments=draw(st.frozensets(st.sampled_from(ATTACHMENTS))),
        today=DAY,
        closes_on=draw(st.sampled_from([None, DAY, DAY - workflow.datetime.timedelta(days=1)])),
    )


def admissible(stage, facts) -> bool:
    """The oracle, written apart from rule_refusals: what a stage's deadline and rules promise."""
    rules = stage.get("rules") or {}
    return (
        not (facts.closes_on and facts.today > facts.closes_on)
        and (not rules.get("unit_kinds") or facts.unit_kind in rules["unit_kinds"])
        and all(facts.eligibility.get(r, None) == [] for r in rules.get("eligibility") or [])
        and (not rules.get("max_concurrent") or facts.in_flight < rules["max_concurrent"])
        and set(rules.get("attachments") or []) <= facts.attachments
    )


def invited(run, stage, facts) -> bool:
    """The oracle of the 预申报 invitation, written apart from invitation_refusals: at a 正式申报 stage of a
    definition whose 预申报 takes a form, only an applicant staff invited submits."""
    pre = next((s for s in run.stages if s["kind"] == "pre_application" and s.get("form")), None)
    return pre is None or stage["kind"] != "application" or run.invitation.get(facts.applicant) == "invited"


formal_action_st = st.tuples(
    st.integers(0, 5), st.sampled_from(["pass", "return", "fail", "resubmit"]), st.booleans()
)
invitation_action_st = st.tuples(
    st.just("invitation"), st.integers(0, 2), st.sampled_from(["invite", "decline"]), st.booleans()
)
decide_action_st = st.tuples(
    st.just("decide"), st.integers(0, 5), st.sampled_from(["award", "reject"]), st.booleans()
)
shortlist_action_st = st.tuples(
    st.just("shortlist"), st.integers(0, 5), st.sampled_from(["shortlist", "exclude"]), st.booleans()
)
lodge_action_st = st.tuples(st.just("lodge"), st.integers(0, 5))
answer_action_st = st.tuples(
    st.just("answer"), st.integers(0, 3), st.sampled_from(["uphold", "dismiss"]), st.booleans()
)
action_st = st.one_of(
    lodge_action_st,
    answer_action_st,
    answer_action_st,
    st.just("advance"),
    st.just("advance"),
    st.just("award"),
    st.just("complete_formal_check"),
    st.just("complete_review"),
    shortlist_action_st,
    shortlist_action_st,
    facts_st(),
    facts_st(),
    formal_action_st,
    formal_action_st,
    decide_action_st,
    decide_action_st,
    invitation_action_st,
    invitation_action_st,
    st.just("complete_invitation"),
)
DAY = datetime.date(2027, 3, 1)


@settings(max_examples=400, deadline=None)
@given(ruled_definitions_st(), st.lists(action_st, max_size=60))
def test_no_definition_with_rules_reaches_an_award_past_a_submission_its_rules_refuse(stages_, actions):
    """Random definitions with rules and random sequences of advance, award and submissions with random
    facts: every submission admitted is one its stage's rules admit, every one they admit is admitted (at a
    stage where applicants submit), a refusal changes nothing, and an award rests on admitted submissions
    only."""
    if problems(stages_):
        # a rule where no applicant submits is refused, never stored as a promise nobody checks
        return
    for s in stages_:
        if workflow.has_rules(s):
            assert workflow.takes_submissions(s)
    run = Run.start(stages_)
    for action in actions:
        if isinstance(action, workflow.Facts):
            stage, before = run.current, list(run.admitted)
            try:
                run.submit(action)
            except DefinitionError as refused:
                assert run.admitted == before
                assert (
                    stage is None
                    or not workflow.takes_submissions(stage)
                    or not admissible(stage, action)
                    or not invited(run, stage, action)
                )
                assert refused.problems
                continue
            assert workflow.takes_submissions(stage) and admissible(stage, action)
            assert invited(run, stage, action)  # an uninvited applicant never submits formally
            continue
        if isinstance(action, tuple) and action[0] == "invitation":
            # a 预申报 invitation decision on a random applicant, with or without a reason
            _s, who, verb, full = action
            before = dict(run.invitation)
            try:
                run.invitation_decide(who, verb, **({"reason": "理由"} if full else {}))
            except DefinitionError:
                assert run.invitation == before
                continue
            # only at the inviting 预申报, on one who pre-applied, once (final), a decline with a reason
            assert run.current is workflow.invitation_stage(stages_)
            assert who in run.pre_applicants() and who not in before
            if verb == "decline":
                assert full
            continue
        if isinstance(action, tuple) and action[0] == "shortlist":
            # a 函评 → 答辩 shortlist decision on a random application, with or without a reason
            _s, n, verb, full = action
            before = {k: dict(v) for k, v in run.shortlists.items()}
            try:
                run.shortlist(n, verb, **({"reason": "理由"} if full else {}))
            except DefinitionError:
                assert {k: v for k, v in run.shortlists.items() if v} == {
                    k: v for k, v in before.items() if v
                }
                continue
            # only at a 答辩 after a 函评, before its review completes, on an application still in the running
            stage = run.current
            assert stage["kind"] == "panel_review" and stage["key"] not in run.reviewed
            assert any(s["kind"] == "letter_review" for s in stages_[: run.index])
            assert n in run.candidates(run.index) and n not in before.get(stage["key"], {})  # final
            if verb == "exclude":
                assert full
            continue
        if isinstance(action, tuple) and action[0] == "lodge":
            # an objection (异议) against a random application
            before = [list(o) for o in run.objections]
            try:
                run.lodge(action[1])
            except DefinitionError:
                assert run.objections == before
                continue
            # only during the publicity, only against a listed application not already refused
            assert run.current["kind"] == "publicity" and action[1] in run.candidates(run.index)
            assert run.decisions.get(action[1]) != "rejected"
            continue
        if isinstance(action, tuple) and action[0] == "answer":
            _a, i, verb, full = action
            before, decided = [list(o) for o in run.objections], dict(run.decisions)
            try:
                run.answer(i, verb, **({"reason": "理由"} if full else {}))
            except DefinitionError:
                assert (run.objections, run.decisions) == (before, decided)
                continue
            # answered once, at the publicity, with a reason; upheld: the application is refused
            assert run.current["kind"] == "publicity" and full and before[i][1] == "open"
            n = before[i][0]
            assert run.decisions.get(n) == ("rejected" if verb == "uphold" else decided.get(n))
            continue
        if isinstance(action, tuple) and action[0] == "decide":
            # a decision (立项) on a random application, with or without a reason
            _d, n, verb, full = action
            before = dict(run.decisions)
            try:
                run.decide(n, verb, **({"reason": "理由"} if full else {}))
            except DefinitionError:
                assert run.decisions == before
                continue
            # only at the decision, before the call's decision, on an application that passed every check
            assert run.current["kind"] == "decision" and not run.awarded
            assert n in run.passed_applications() and n not in before  # final: never decided twice
            # never over an objection still open or upheld (公示异议)
            assert not any(m == n and st_ in ("open", "upheld") for m, st_ in run.objections)
            # never an application left out of a 答辩's shortlist before the decision
            for key in workflow.shortlist_stage_keys(stages_[: run.index]):
                assert run.shortlists[key][n] == "shortlisted"
            if any(s["kind"] == "formal_check" for s in stages_):
                assert run.formal.get(n) == "passed"
            if verb == "reject":
                assert full
            continue
        if isinstance(action, tuple):
            # a formal check outcome on a random application, with or without a reason and a deadline
            n, verb, full = action
            ctx = {"reason": "理由", "correct_by": DAY, "today": DAY} if full else {"today": DAY}
            before = dict(run.formal)
            try:
                run.check_application(n, verb, **ctx)
            except DefinitionError:
                assert run.formal == before
                continue
            assert run.current["kind"] == "formal_check" and n in run.formal_applications()
            if verb in ("return", "fail"):
                assert full  # never without a reason (and a deadline for 补正)
            continue
        reviewing = run.current
        closing = run.current
        try:
            getattr(run, action)()
        except DefinitionError:
            continue
        if action == "advance" and reviewing["kind"] == "publicity":
            # a publicity stage never closes over an objection still open
            assert not run.open_objections()
        if action == "complete_review" and reviewing["key"] in workflow.shortlist_stage_keys(stages_):
            # a 答辩 after a 函评 reviews only its shortlist, once every candidate is decided
            mine = run.shortlists.get(reviewing["key"], {})
            assert all(mine.get(n) in ("shortlisted", "not_shortlisted") for n in run.candidates(run.index))
            assert all(mine.get(n) == "shortlisted" for n in run.reviewed_apps[reviewing["key"]])
        if action == "advance" and closing is workflow.invitation_stage(stages_):
            # the 预申报 never closes with a pre-application undecided
            assert all(who in run.invitation for who in run.pre_applicants())
        if action == "award":
            # no application is awarded with an objection open or upheld against it
            for n, outcome in run.decisions.items():
                if outcome == "awarded":
                    assert not any(m == n and st_ in ("open", "upheld") for m, st_ in run.objections)
            assert not run.open_objections()
            assert all(admissible(stages_[i], facts) for i, facts in run.admitted)
            assert all(workflow.STAGE_KINDS[stages_[i]["kind"]].rank < 6 for i, _f in run.admitted)
            # the award rests only on formal applications the formal check passed, none left unchecked
            for n in run.formal_applications():
                assert run.formal.get(n) in workflow.FORMAL_FINAL
            assert all(run.formal[n] == "passed" for n in run.passed_applications())
            # every application that went through the checks and shortlists is decided, and only those
            assert set(run.decisions) == set(run.award_candidates())
            for key in workflow.shortlist_stage_keys(stages_[: run.index]):
                assert all(run.shortlists[key][n] == "shortlisted" for n in run.decisions)
                assert set(run.reviewed_apps[key]) >= set(run.decisions)  # the 答辩 reviewed each
            # a decided application was a formal one its stage's rules admitted, by an applicant the
            # 预申报 invitation invited (when the definition has one); one awarded passed the formal check
            for n, outcome in run.decisions.items():
                i, facts = run.admitted[n]
                assert stages_[i]["kind"] == "application" and admissible(stages_[i], facts)
                assert invited(run, stages_[i], facts)
                if outcome == "awarded" and any(s["kind"] == "formal_check" for s in stages_):
                    assert run.formal[n] == "passed"


@settings(max_examples=300, deadline=None)
@given(ruled_definitions_st(), st.lists(st.lists(facts_st(), max_size=4), min_size=12, max_size=12))
def test_a_walk_to_the_award_admits_exactly_what_the_rules_promise(stages_, at_each):
    """Walk a random definition with rules from its call to its end, submitting random applicants at each
    stage: at the award, the submissions it rests on are exactly those the stages' rules admit."""
    if problems(stages_):
        return
    run = Run.start(stages_)
    expected = []
    while not run.finished:
        for facts in at_each[run.index % len(at_each)]:
            ok = (
                workflow.takes_submissions(run.current)
                and admissible(run.current, facts)
                and invited(run, run.current, facts)
            )
            try:
                run.submit(facts)
                assert ok
                expected.append((run.index, facts))
            except DefinitionError:
                assert not ok
        if run.current["kind"] == "decision":
            for n in run.award_candidates():
                run.decide(n, "award")
            run.award()
            assert run.admitted == expected
            assert all(admissible(stages_[i], f) for i, f in run.admitted)
        step(run)


def test_an_eligibility_rule_without_an_answer_refuses():
    stage = {"key": "s2", "kind": "application", "form": 1, "rules": {"eligibility": ["no_integrity_record"]}}
    assert "无法核验" in workflow.rule_refusals(stage, workflow.Facts())[0]
    assert workflow.rule_refusals(stage, workflow.Facts(eligibility={"no_integrity_record": []})) == []


@settings(max_examples=150, deadline=None)
@given(
    ruled_definitions_st(),
    st.integers(1, 4),
    st.lists(st.one_of(lodge_action_st, answer_action_st), max_size=12),
    st.lists(st.sampled_from(["uphold", "dismiss"]), min_size=16, max_size=16),
)
def test_no_walk_awards_an_application_with_an_objection_open_or_upheld(stages_, n_apps, acts, answers):
    """Walk a random definition to its end with `n_apps` perfect applicants, random objections lodged and
    answered during its publicity (公示), the rest answered at random before it closes: the publicity never
    closes over an open objection, an upheld objection leaves its application rejected, and no application
    is awarded with an objection open or upheld against it."""
    if problems(stages_):
        return
    run = Run.start(stages_)
    perfect = workflow.Facts(
        unit_kind="enterprise",
        eligibility={r: [] for r in workflow.ELIGIBILITY},
        attachments=frozenset(ATTACHMENTS),
    )
    while not run.finished:
        kind = run.current["kind"]
        if kind == "application" and workflow.takes_submissions(run.current):
            for _n in range(n_apps):
                # a stage for other unit kinds refuses the perfect enterprise: fewer applications
                with contextlib.suppress(DefinitionError):
                    run.submit(perfect)
        if kind == "publicity":
            for act in acts:
                with contextlib.suppress(DefinitionError):
                    run.lodge(act[1]) if act[0] == "lodge" else run.answer(act[1], act[2], reason="理由")
            if run.open_objections():
                with pytest.raises(DefinitionError, match="异议未处理"):
                    run.advance()
            for i, (_n, status) in enumerate(run.objections):
                if status == "open":
                    run.answer(i, answers[i % len(answers)], reason="理由")
        if kind == "decision":
            for n in run.award_candidates():
                if n not in run.decisions:
                    run.decide(n, "award")
            run.award()
            for n, status in run.objections:
                assert status != "open"
                if status == "upheld":
                    assert run.decisions[n] == "rejected"
            awarded = {n for n, d in run.decisions.items() if d == "awarded"}
            assert not awarded & {n for n, status in run.objections if status == "upheld"}
        step(run)
    if not any(s["kind"] == "publicity" for s in stages_):
        assert run.objections == []
