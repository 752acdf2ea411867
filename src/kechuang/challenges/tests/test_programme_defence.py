"""A challenge list whose programme version has a second expert review stage after the letter review (答辩,
issue #18): the first review round is scored on the first review stage's form; staff shortlist by its ranking
and open a second round (the review app's, with its conflict-of-interest rules) on the 答辩 stage's own form;
the decision proposes only applications with a defence score and sees both rankings. A version with one
review stage: unchanged (the app's other tests)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from kechuang.accounts.tests.factories import UnitFactory, UserFactory
from kechuang.challenges import programme, services
from kechuang.challenges.models import Application
from kechuang.challenges.tests.factories import ApplicationFactory, ChallengeFactory
from kechuang.challenges.tests.test_programme_stages import publish, variant
from kechuang.core.exceptions import ApplicationError, InvalidTransition
from kechuang.core.models import AuditEvent
from kechuang.core.roles import Role
from kechuang.programmes import services as pservices
from kechuang.review import services as rv
from kechuang.review.tests.factories import ExpertProfileFactory

pytestmark = pytest.mark.django_db


def defence_sheet(staff):
    """The 答辩 stage's own review form: one scored field (答辩表现, out of 50) and an opinion."""
    form = pservices.form_create(actor=staff, name="揭榜挂帅答辩评审表", purpose="review_form")
    pservices.form_field_save(
        actor=staff,
        version=form,
        spec={"kind": "number", "label": "答辩表现", "required": True, "min": "0", "max": "50"},
    )
    pservices.form_field_save(actor=staff, version=form, spec={"kind": "long_text", "label": "答辩意见"})
    return pservices.form_version_publish(actor=staff, version=form)


def with_defence(staff):
    """The seeded stages with a 函评 (on the seeded review form) before the 会评/答辩 stage (its own form)."""
    stages = variant()
    at = next(i for i, s in enumerate(stages) if s["kind"] == "panel_review")
    letter = {**stages[at], "key": "s30", "kind": "letter_review", "name": "函评"}
    stages[at] = {**stages[at], "name": "答辩", "form": defence_sheet(staff).pk}
    stages.insert(at, letter)
    return stages


@pytest.fixture
def defended(staff):
    """A closed list on a version with 函评 then 答辩, three applications under review with their letter
    review scores recorded."""
    version = publish(staff, with_defence(staff))
    ch = ChallengeFactory(closed=True, programme_version=version, max_winners=1)
    apps = [
        ApplicationFactory(challenge=ch, unit=UnitFactory(), status="formal_passed", title=f"申请{i}")
        for i in (1, 2, 3)
    ]
    rnd = services.review_round_start(actor=staff, challenge=ch, k=1, experts=None)
    services.review_scores_record(
        actor=staff, challenge=ch, scores={apps[0].pk: 90, apps[1].pk: 85, apps[2].pk: 70}
    )
    for a in apps:
        a.refresh_from_db()
    return ch, apps, rnd


def test_a_third_review_stage_is_refused_in_words_and_two_are_published(staff):
    stages = with_defence(staff)
    assert publish(staff, stages).stages  # 函评 then 答辩 runs
    third = {**next(s for s in stages if s["kind"] == "letter_review"), "key": "s31", "kind": "panel_review"}
    at = next(i for i, s in enumerate(stages) if s["kind"] == "panel_review")
    with pytest.raises(ApplicationError, match="最多两轮专家评审"):
        publish(staff, [*stages[: at + 1], third, *stages[at + 1 :]])


def test_the_two_rounds_have_their_own_sheets_and_the_decision_rests_on_the_defence(staff, defended):
    ch, (a1, a2, a3), rnd = defended
    assert ch.has_defence
    version = ch.programme_version
    assert rnd.sheet == programme.review_form(version) != programme.defence_form(version)
    assert [f["label"] for f in programme.defence_form(version).fields] == ["答辩表现", "答辩意见"]
    # the decision cannot come before the defence
    with pytest.raises(InvalidTransition, match="只有经答辩评审并登记答辩得分的申请才能拟立项"):
        services.decision_publish(actor=staff, challenge=ch, winners=[a1], days=5)
    with pytest.raises(ApplicationError, match="请先创建答辩评审轮次"):
        services.defence_scores_record(actor=staff, challenge=ch, scores={a1.pk: 40})
    with pytest.raises(ApplicationError, match="答辩名单"):
        services.defence_round_start(actor=staff, challenge=ch, applications=[])
    defence = services.defence_round_start(actor=staff, challenge=ch, applications=[a1, a2], k=1)
    assert defence.sheet == programme.defence_form(version) and ch.defence_round_id == defence.pk
    assert services.review_round_of(ch) == rnd  # the first round is kept
    # conflicts of interest stay the review app's: an expert of a shortlisted unit is refused
    conflicted = ExpertProfileFactory(user=UserFactory(roles=[Role.EXPERT], unit=a1.unit)).user
    with pytest.raises(ApplicationError):
        rv.assignment_create_manual(actor=staff, round=defence, subject=a1, expert=conflicted, reason="x")
    with pytest.raises(ApplicationError, match="不在答辩名单中"):
        services.defence_scores_record(actor=staff, challenge=ch, scores={a3.pk: 45})
    services.defence_scores_record(actor=staff, challenge=ch, scores={a1.pk: 38, a2.pk: 46})
    a2.refresh_from_db()
    assert (a2.defence_score, a2.defence_rank, a2.review_rank) == (Decimal("46.00"), 1, 2)
    with pytest.raises(InvalidTransition, match="答辩"):  # not shortlisted: no defence score
        services.decision_publish(actor=staff, challenge=ch, winners=[a3], days=5)
    services.decision_publish(actor=staff, challenge=ch, winners=[a2], days=5)
    got = {a.pk: (a.status, a.decision_note) for a in Application.objects.filter(challenge=ch)}
    assert got[a2.pk][0] == "proposed"
    trail = {
        a.pk: list(
            AuditEvent.objects.for_object(a)
            .filter(action="application.reject")
            .values_list("reason", flat=True)
        )
        for a in (a1, a3)
    }
    assert trail == {a1.pk: ["经答辩评审未入选。"], a3.pk: ["未入围答辩。"]}


def test_a_list_without_a_defence_stage_refuses_the_defence_round(staff):
    ch = ChallengeFactory(closed=True, programme_version=programme.seed())
    ApplicationFactory(challenge=ch, status="under_review", review_score=Decimal("80"))
    assert not ch.has_defence
    with pytest.raises(ApplicationError, match="没有答辩环节"):
        services.defence_round_start(actor=staff, challenge=ch, applications=list(ch.applications.all()))


def test_the_pages_and_the_api_show_both_rankings(staff, client_for, defended):
    ch, (a1, a2, a3), _rnd = defended
    web = client_for(staff)
    url = reverse("challenges:challenge-review", args=[ch.pk])
    page = web.get(url).content.decode()
    assert "答辩名单" in page and "答辩名单确定后不能更改" in page
    # the candidates in the order of the review ranking (a1 first, a3 last)
    assert page.index(f'value="{a1.pk}"') < page.index(f'value="{a2.pk}"') < page.index(f'value="{a3.pk}"')
    r = web.post(url, {"mode": "defence_round", "shortlist": [a1.pk, a2.pk], "k": 1})  # not confirmed
    body = r.content.decode()  # the page again (400), the shortlist still ticked and why inside its form
    assert r.status_code == 400 and 'id="refused-defence_round"' in body
    assert f'value="{a1.pk}" checked' in body and f'value="{a3.pk}" checked' not in body
    ch.refresh_from_db()
    assert not ch.defence_round_id
    web.post(url, {"mode": "defence_round", "shortlist": [a1.pk, a2.pk], "k": 1, "confirm": "1"})
    ch.refresh_from_db()
    assert ch.defence_round_id
    api = reverse("api:challenges-challenge-review", args=[ch.pk])
    r = client_for(staff).post(
        api,
        {"mode": "defence_scores", "scores": {str(a1.pk): 41, str(a2.pk): 39}},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["defence_round"] == ch.defence_round_id
    ranks = {row["application"]: (row["review_rank"], row["defence_rank"]) for row in r.json()["ranking"]}
    assert ranks[a1.pk] == (1, 1) and ranks[a2.pk] == (2, 2)
    page = web.get(reverse("challenges:challenge-decision", args=[ch.pk])).content.decode()
    assert "答辩排名" in page and "答辩得分" in page
    # a3 was not shortlisted (no defence score): its box is disabled and the page says why
    assert "只有经答辩评审并登记答辩得分的申请才能拟立项" in page
    assert f'id="w{a3.pk}" disabled' in page and f'id="w{a1.pk}" disabled' not in page
