"""The 函评 → 答辩 shortlist of a generic call (issue #18): the state machine (pure, final, a reason to leave
one out), a run whose 答辩 neither reviews nor closes with an undecided application and awards only the
shortlisted, the services (one by one, the confirmed batch from a suggested cut, only at the 答辩, only the
applications through the checks before it), the pages with their confirmation and export, the decision with
both rankings, the applicant's outcome and reason, and the API."""

import pytest
from django.urls import reverse

from kechuang.accounts.tests.factories import UnitFactory
from kechuang.core.exceptions import ApplicationError, PermissionDenied
from kechuang.core.models import AuditEvent
from kechuang.core.roles import Role
from kechuang.programmes import reviews, selectors, services, workflow
from kechuang.programmes.models import ShortlistDecision
from kechuang.programmes.workflow import SHORTLIST, DefinitionError, Facts, Run

from .conftest import _ReviewsComplete
from .test_rules import form, open_at_application, submit  # noqa: F401 (form: a fixture)

STAFF = [Role.STAFF]
KINDS = ("call", "application", "formal_check", "letter_review", "panel_review", "decision")


def test_the_shortlist_machine_takes_or_leaves_out_with_a_reason_and_is_final():
    assert SHORTLIST.reasons_refused("pending", "shortlist", STAFF) == []
    assert "理由" in " ".join(SHORTLIST.reasons_refused("pending", "exclude", STAFF, ctx={"reason": ""}))
    assert SHORTLIST.reasons_refused("pending", "exclude", STAFF, ctx={"reason": "排名靠后"}) == []
    for done in ("shortlisted", "not_shortlisted"):
        for action in ("shortlist", "exclude"):
            assert SHORTLIST.reasons_refused(done, action, STAFF, ctx={"reason": "x"})
    assert SHORTLIST.reasons_refused("pending", "shortlist", [Role.APPLICANT])


def test_only_a_panel_review_after_a_letter_review_shortlists():
    def keys(*kinds):
        return workflow.shortlist_stage_keys([{"key": f"s{i}", "kind": k} for i, k in enumerate(kinds, 1)])

    assert keys(*KINDS) == ["s5"]
    assert keys("call", "application", "formal_check", "panel_review", "decision") == []
    assert keys("call", "application", "formal_check", "letter_review", "decision") == []
    assert keys("call", "application", "letter_review", "panel_review", "panel_review") == ["s4", "s5"]


def test_a_suggested_cut_by_rank_and_by_score():
    rows = [(1, 1, 90), (2, 2, 85), (3, 3, 70), (4, None, None)]
    assert workflow.suggest_shortlist(rows, top_n=2) == {1, 2}
    assert workflow.suggest_shortlist(rows, min_mean=80) == {1, 2}
    assert workflow.suggest_shortlist(rows, top_n=3, min_mean=80) == {1, 2}
    assert workflow.suggest_shortlist(rows, top_n=10) == {1, 2, 3}  # never the unranked
    assert workflow.suggest_shortlist(rows) == set()


def test_a_run_reviews_and_awards_only_the_shortlist():
    stages = [
        {"key": f"s{i}", "kind": k, "rules": {"requires_publicity": False} if k == "decision" else {}}
        for i, k in enumerate(KINDS, 1)
    ]
    stages[1]["form"] = 1
    run = Run.start(stages)
    run.advance()
    for _n in range(3):
        run.submit(Facts())
    run.advance()
    for n in range(3):
        run.check_application(n, "pass")
    run.complete_formal_check()
    run.advance()
    with pytest.raises(DefinitionError, match="不需要确定入围名单"):
        run.shortlist(0, "shortlist")
    run.complete_review()
    run.advance()  # at the 答辩
    run.shortlist(0, "shortlist")
    with pytest.raises(DefinitionError, match="理由"):
        run.shortlist(1, "exclude")
    with pytest.raises(DefinitionError, match="还有 2 份申报未确定是否入围"):
        run.complete_review()
    assert "未确定是否入围" in run.advance_refusals()[0]
    run.shortlist(1, "exclude", reason="函评排名靠后")
    run.shortlist(2, "shortlist")
    with pytest.raises(DefinitionError):
        run.shortlist(1, "shortlist")  # final
    run.complete_review()
    assert run.reviewed_apps["s5"] == [0, 2]
    with pytest.raises(DefinitionError, match="评审已完成"):
        run.shortlist(1, "shortlist")
    run.advance()
    assert run.award_candidates() == [0, 2]
    with pytest.raises(DefinitionError, match="未通过此前各环节"):
        run.decide(1, "award")
    run.decide(0, "award")
    run.decide(2, "reject", reason="经费有限")
    run.award()


# --- services ------------------------------------------------------------------------------------------------------


class _Ranked(_ReviewsComplete):
    """Reviews complete, with each stage's ranking (set by the test)."""

    def __init__(self):
        self.rankings = {}

    def call_rankings(self, **kwargs):
        return self.rankings


def defence_programme(staff, form, *, name="省重点研发计划（答辩）"):  # noqa: F811
    v = services.programme_create(actor=staff, name=name)
    services.stage_save(actor=staff, version=v, spec={"kind": "call"})
    services.stage_save(
        actor=staff,
        version=v,
        spec={"kind": "application", "role": Role.APPLICANT, "form": form.pk, "days": 20},
    )
    for kind, label in (("formal_check", "形式审查"), ("letter_review", "函评"), ("panel_review", "答辩")):
        services.stage_save(actor=staff, version=v, spec={"kind": kind, "name": label})
    services.stage_save(
        actor=staff,
        version=v,
        spec={"kind": "decision", "name": "立项", "rules": {"requires_publicity": False}},
    )
    return services.programme_version_publish(actor=staff, version=v)


@pytest.fixture
def at_defence(staff, make_user, form, monkeypatch):  # noqa: F811
    """A call at its 答辩 with four applications: three passed the formal check (the 函评 ranks 固态电池,
    高熵合金, 氢能储运), one failed it."""
    ranked = _Ranked()
    monkeypatch.setattr(reviews, "_PROVIDERS", [ranked])
    call = open_at_application(staff, defence_programme(staff, form))
    users = [make_user(Role.APPLICANT, unit=UnitFactory()) for _ in range(4)]
    subs = [submit(u, call, title=t) for u, t in zip(users, ("高熵合金", "固态电池", "氢能储运", "量子传感"))]
    call = services.call_advance(actor=staff, call=call)
    for sub in subs[:3]:
        services.formal_check_record(actor=staff, call=call, submission=sub, action="pass")
    services.formal_check_record(actor=staff, call=call, submission=subs[3], action="fail", reason="缺材料")
    call = services.call_advance(actor=staff, call=call)  # 函评
    letter = call.stage_key
    call = services.call_advance(actor=staff, call=call)  # 答辩
    ranked.rankings = {
        letter: {
            subs[1].pk: {"rank": 1, "mean": 88.5, "n": 3},
            subs[0].pk: {"rank": 2, "mean": 80.0, "n": 3},
            subs[2].pk: {"rank": 3, "mean": 61.0, "n": 3},
        }
    }
    return call, subs, users, ranked


def test_the_call_page_shows_no_confirmation_while_the_defence_cannot_close(client, staff, at_defence):
    call, _subs, _users, _ranked = at_defence
    client.force_login(staff)
    page = client.get(call.get_absolute_url()).content.decode()
    assert "未确定是否入围" in page  # the reason
    assert 'value="advance"' not in page and 'name="confirm"' not in page and "环节结束后不能退回" not in page


def test_the_defence_waits_for_every_shortlist_decision_and_reviews_only_the_shortlisted(staff, at_defence):
    call, subs, users, ranked = at_defence
    stage = call.stage
    rows = selectors.shortlist_rows(call, stage)
    assert [(r["submission"].title, r["rank"], r["status"]) for r in rows] == [
        ("固态电池", 1, "pending"),
        ("高熵合金", 2, "pending"),
        ("氢能储运", 3, "pending"),
    ]  # the failed one is not there; the 函评 ranking beside
    with pytest.raises(ApplicationError, match="还有 3 份申报未确定是否入围"):
        services.call_advance(actor=staff, call=call)
    with pytest.raises(ApplicationError, match="未通过此前各环节"):
        services.shortlist_record(actor=staff, call=call, submission=subs[3], action="shortlist")
    with pytest.raises(ApplicationError, match="不入围须填写理由"):
        services.shortlist_record(actor=staff, call=call, submission=subs[2], action="exclude", reason=" ")
    with pytest.raises(PermissionDenied):
        services.shortlist_record(actor=users[0], call=call, submission=subs[0], action="shortlist")
    services.shortlist_record(actor=staff, call=call, submission=subs[1], action="shortlist")
    with pytest.raises(ApplicationError):
        services.shortlist_record(
            actor=staff, call=call, submission=subs[1], action="exclude", reason="改主意"
        )
    # the batch: the rest at once, those not chosen left out with the reason
    with pytest.raises(ApplicationError, match="未入围的申报须填写理由"):
        services.shortlist_batch(actor=staff, call=call, shortlisted=[subs[0].pk], reason="")
    with pytest.raises(ApplicationError, match="不在待确定的名单中"):
        services.shortlist_batch(actor=staff, call=call, shortlisted=[subs[1].pk], reason="x")
    services.shortlist_batch(
        actor=staff, call=call, shortlisted=[subs[0].pk], reason="函评排名第三，未进入前两名"
    )
    d = ShortlistDecision.objects.get(applicant=users[2])
    assert (d.status, d.reason, d.decided_by) == ("not_shortlisted", "函评排名第三，未进入前两名", staff)
    assert AuditEvent.objects.filter(action="shortlist.shortlist").count() == 2
    assert AuditEvent.objects.get(action="shortlist.exclude").reason == "函评排名第三，未进入前两名"
    batch = AuditEvent.objects.get(action="programmes.shortlist_batch")
    assert batch.after["not_shortlisted"] == [subs[2].pk]
    assert users[2].notifications.filter(title__contains="未入围").exists()
    # the review app is asked for the 答辩's subjects: the shortlist only
    assert [s.pk for s in selectors.review_subjects(call, stage)] == [subs[0].pk, subs[1].pk]
    assert selectors.shortlist_close_refusals(call, stage) == []
    call = services.call_advance(actor=staff, call=call)  # the reviews complete (the stand-in)
    assert call.stage["kind"] == "decision"
    # the decision: the shortlisted only, with both rankings beside
    ranked.rankings["s5"] = {
        subs[0].pk: {"rank": 1, "mean": 90.0, "n": 5},
        subs[1].pk: {"rank": 2, "mean": 84.0, "n": 5},
    }
    rows = selectors.award_rows(call, call.stage)
    assert [r["submission"].title for r in rows] == ["高熵合金", "固态电池"]
    assert [[(k["stage_name"], k["rank"]) for k in r["rankings"]] for r in rows][1] == [
        ("函评", 1),
        ("答辩", 2),
    ]
    with pytest.raises(ApplicationError, match="未入围答辩"):
        services.award_decide(actor=staff, call=call, submission=subs[2], action="award")
    services.award_decide(actor=staff, call=call, submission=subs[0], action="award")
    services.award_decide(actor=staff, call=call, submission=subs[1], action="reject", reason="经费有限")
    assert services.call_award(actor=staff, call=call).awarded
    # the one left out sees the outcome and the reason, and why no decision
    mine = selectors.applicant_shortlist(call, users[2])
    assert (mine["status"], mine["decision"].reason) == ("not_shortlisted", "函评排名第三，未进入前两名")
    assert "未入围答辩" in selectors.applicant_award(call, users[2])["why"]


def test_the_shortlist_is_refused_outside_its_stage(staff, make_user, form, monkeypatch):  # noqa: F811
    monkeypatch.setattr(reviews, "_PROVIDERS", [_Ranked()])
    call = open_at_application(staff, defence_programme(staff, form))
    user = make_user(Role.APPLICANT, unit=UnitFactory())
    sub = submit(user, call)
    with pytest.raises(ApplicationError, match="不在需确定入围名单"):
        services.shortlist_record(actor=staff, call=call, submission=sub, action="shortlist")
    with pytest.raises(ApplicationError, match="不在需确定入围名单"):
        services.shortlist_batch(actor=staff, call=call, shortlisted=[sub.pk], reason="")
    assert selectors.applicant_shortlist(call, user) is None  # before the stage: nothing to tell
    assert not ShortlistDecision.objects.exists()


def test_staff_shortlist_on_the_pages_with_a_suggestion_and_a_confirmation(client, staff, at_defence):
    call, subs, users, _ranked = at_defence
    client.force_login(staff)
    page = client.get(reverse("programmes:call", args=[call.pk])).content.decode()
    assert reverse("programmes:shortlist-list", args=[call.pk]) in page and "待确定 3" in page
    assert "未确定是否入围" in page  # why the stage cannot close
    url = reverse("programmes:shortlist-list", args=[call.pk])
    listing = client.get(url).content.decode()
    assert listing.index("固态电池") < listing.index("高熵合金") < listing.index("氢能储运")
    assert "量子传感" not in listing and "88.50" in listing
    suggested = client.get(url, {"top_n": 2}).content.decode()
    assert suggested.count("建议入围") == 3  # the heading and two rows
    assert f'value="{subs[1].pk}" checked' in suggested.replace("\n", "") or suggested.count("checked") >= 2
    r = client.post(url, {"chosen": [subs[1].pk, subs[0].pk], "reason": "未进入前两名"})  # not confirmed
    assert r.status_code == 400 and "未进入前两名" in r.content.decode()  # the input kept
    r = client.post(url, {"chosen": [subs[1].pk, subs[0].pk], "confirm": "1"})
    assert r.status_code == 400 and "未入围的申报须填写理由" in r.content.decode()
    assert not ShortlistDecision.objects.exists()
    r = client.post(url, {"chosen": [subs[1].pk, subs[0].pk], "reason": "未进入前两名", "confirm": "1"})
    assert r.status_code == 302
    assert "每份申报都已确定是否入围" in client.get(url).content.decode()
    one = reverse("programmes:shortlist-decide", args=[call.pk, subs[2].pk])
    assert "本申报已确定是否入围，不能更改" in client.get(one).content.decode()
    export = client.get(url, {"export": "xlsx"})
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxml")
    assert client.get(reverse("programmes:shortlist-decide", args=[call.pk, subs[3].pk])).status_code == 404
    # the applicants: the outcome and its reason
    client.force_login(users[2])
    page = client.get(reverse("programmes:call", args=[call.pk])).content.decode()
    assert "未入围" in page and "未进入前两名" in page
    client.force_login(users[1])
    assert "入围" in client.get(reverse("programmes:call", args=[call.pk])).content.decode()
    assert client.get(url).status_code == 403


def test_one_application_on_its_page_and_the_api(client, staff, at_defence):
    call, subs, users, _ranked = at_defence
    client.force_login(staff)
    one = reverse("programmes:shortlist-decide", args=[call.pk, subs[2].pk])
    page = client.get(one).content.decode()
    assert "“函评”排名" in page and "88.50" in page and "61.00" in page
    r = client.post(one, {"action": "exclude", "reason": " ", "confirm": "1"})
    assert r.status_code == 400 and "不入围须填写理由" in r.content.decode()
    assert client.post(one, {"action": "exclude", "reason": "排名靠后", "confirm": "1"}).status_code == 302
    base = f"/api/programmes/calls/{call.pk}/shortlist/"
    rows = client.get(base).json()
    assert [(r["title"], r["rank"], r["status"]) for r in rows] == [
        ("固态电池", 1, "pending"),
        ("高熵合金", 2, "pending"),
        ("氢能储运", 3, "not_shortlisted"),
    ]
    r = client.post(
        f"{base}{subs[1].pk}/", {"action": "shortlist", "confirm": False}, content_type="application/json"
    )
    assert r.status_code == 400
    r = client.post(
        f"{base}{subs[1].pk}/", {"action": "shortlist", "confirm": True}, content_type="application/json"
    )
    assert r.status_code == 200 and r.json()["status"] == "shortlisted"
    r = client.post(
        base, {"shortlisted": [], "reason": "名额已满", "confirm": True}, content_type="application/json"
    )
    assert r.status_code == 200 and [x["status"] for x in r.json()][1] == "not_shortlisted"
    client.force_login(users[2])
    mine = client.get(f"{base}mine/").json()
    assert (mine["status"], mine["reason"], mine["stage"]) == ("not_shortlisted", "排名靠后", "答辩")
    assert client.get(base).status_code == 403
    client.force_login(users[3])  # failed the formal check: nothing to tell here
    assert client.get(f"{base}mine/").status_code == 404


def test_a_second_decision_on_the_page_names_who_and_when(client, staff, at_defence):
    """A shortlist decided already (a second click, a stale tab): who decided it and when, the reason typed
    kept (409), not a bare refusal (it was 400)."""
    call, subs, _users, _ranked = at_defence
    client.force_login(staff)
    one = reverse("programmes:shortlist-decide", args=[call.pk, subs[2].pk])
    assert client.post(one, {"action": "exclude", "reason": "排名靠后", "confirm": "1"}).status_code == 302
    r = client.post(one, {"action": "shortlist", "reason": "再议一次", "confirm": "1"})
    body = r.content.decode()
    assert r.status_code == 409 and str(staff) in body and "再议一次" in body and "不入围" in body
