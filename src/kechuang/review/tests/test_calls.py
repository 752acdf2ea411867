"""The expert review of a programme call's 函评 stage (issue #18): a round over the formal applications on the
stage's review form version, k experts each with conflicts and integrity restrictions excluded, experts
scoring, the stage refusing to close (in words) until every assignment is scored or released, the ranking
by the mean of the weighted totals on the call page, the award after it, and the audit trail."""

import json

import pytest
from django.urls import reverse

from kechuang.accounts.tests.factories import UnitFactory
from kechuang.core.exceptions import ApplicationError
from kechuang.core.models import AuditEvent
from kechuang.core.roles import Role
from kechuang.programmes import services as programmes
from kechuang.programmes import transfer
from kechuang.programmes.fieldkinds import build_form
from kechuang.programmes.models import FormVersion
from kechuang.review import services
from kechuang.review.models import Assignment, CallStageRound, Conflict, Review

from .factories import ExpertProfileFactory

DEFINITION = {
    "format": "kechuang-programme",
    "format_version": 1,
    "programme": {"name": "测试计划", "description": ""},
    "version": {"number": 1, "note": ""},
    "forms": [
        {
            "ref": "app",
            "name": "测试申报书",
            "purpose": "application",
            "fields": [
                {"key": "f1", "kind": "short_text", "label": "项目名称", "required": True},
                {"key": "f2", "kind": "long_text", "label": "研究内容", "required": False},
            ],
        },
        {
            "ref": "rev",
            "name": "测试评审表",
            "purpose": "review_form",
            "fields": [
                {"key": "f1", "kind": "number", "label": "创新性", "required": True, "min": "0", "max": "60"},
                {"key": "f2", "kind": "number", "label": "可行性", "required": True, "min": "0", "max": "40"},
                {"key": "f3", "kind": "long_text", "label": "评审意见", "required": True},
            ],
        },
    ],
    "stages": [
        {
            "key": "s1",
            "kind": "call",
            "name": "发布申报指南",
            "days": 0,
            "role": "staff",
            "form": None,
            "rules": {},
        },
        {
            "key": "s2",
            "kind": "application",
            "name": "正式申报",
            "days": 0,
            "role": "applicant",
            "form": "app",
            "rules": {},
        },
        {
            "key": "s3",
            "kind": "formal_check",
            "name": "形式审查",
            "days": 0,
            "role": "staff",
            "form": None,
            "rules": {},
        },
        {
            "key": "s4",
            "kind": "letter_review",
            "name": "函评",
            "days": 0,
            "role": "expert",
            "form": "rev",
            "rules": {},
        },
        {
            "key": "s5",
            "kind": "decision",
            "name": "立项",
            "days": 0,
            "role": "staff",
            "form": None,
            "rules": {"requires_publicity": False},
        },
    ],
}
TITLES = ["碳化硅单晶衬底", "重组胶原蛋白", "石墨烯散热膜"]


@pytest.fixture
def at_review(staff, make_user):
    """A call at its 函评 with three formal applications (three units), four experts; expert 0 works at the
    first applicant's unit (a conflict); expert 3 is barred from expert work by an integrity record."""
    from kechuang.integrity.tests.factories import RecordFactory

    version = transfer.import_programme(actor=staff, raw=json.dumps(DEFINITION, ensure_ascii=False).encode())
    call = programmes.call_open(actor=staff, version=version, title="2027 年度测试计划", year=2027)
    call = programmes.call_advance(actor=staff, call=call)
    app_form = FormVersion.objects.get(pk=call.stage["form"])
    applicants = [make_user(Role.APPLICANT, unit=UnitFactory()) for _ in TITLES]
    subs = []
    for user, title in zip(applicants, TITLES):
        form = build_form(app_form.fields, data={"f1": title, "f2": f"{title}的研究内容"})
        subs.append(programmes.submission_create(actor=user, version=app_form, form=form, call=call))
    call = programmes.call_advance(actor=staff, call=call)  # formal check
    programmes.formal_check_batch_pass(actor=staff, call=call)  # no rules: every one meets them
    call = programmes.call_advance(actor=staff, call=call)  # letter review
    experts = [ExpertProfileFactory() for _ in range(4)]
    e0 = experts[0].user
    e0.unit = applicants[0].unit
    e0.save()
    RecordFactory(person=experts[3].user, bars_applying=False, bars_expert_work=True)
    return call, subs, experts


def score_all(rnd, *, skip=()):
    for a in Assignment.objects.filter(round=rnd, status="active").select_related("review", "expert"):
        if a.pk in skip:
            continue
        review = services.review_open(actor=a.expert, review=a.review)
        review = services.review_save(
            actor=a.expert,
            review=review,
            expected_version=review.version,
            scores={"f1": 30 + a.subject.order * 10, "f2": 20},
            values={"f3": "创新性较好，方案可行。"},  # the form's required opinion field, asked on the sheet
            comments="创新性较好。",
            recommendation="support",
        )
        services.review_submit(actor=a.expert, review=review)


def test_a_letter_review_runs_end_to_end_and_gates_the_award(staff, at_review):
    call, subs, experts = at_review
    with pytest.raises(ApplicationError, match="尚未开启专家评审"):
        programmes.call_advance(actor=staff, call=call)
    rnd = services.call_review_open(actor=staff, call=call, k=2, max_load=3)
    link = CallStageRound.objects.get(round=rnd)
    assert (link.call_id, link.stage_key, link.form_version.definition.name) == (call.pk, "s4", "测试评审表")
    # the criteria are the review form version's scored fields, by key, weighted by their maxima
    assert [(c.code, c.name, c.max_score, float(c.weight)) for c in rnd.form.criteria.order_by("order")] == [
        ("f1", "创新性", 60, 0.6),
        ("f2", "可行性", 40, 0.4),
    ]
    assert rnd.status == "reviewing" and rnd.subjects.count() == 3
    active = list(Assignment.objects.filter(round=rnd, status="active"))
    assert len(active) == 6
    barred = experts[3].user_id
    assert barred not in {a.expert_id for a in active}  # integrity restriction on expert work
    conflicted = {(a.subject.object_id, a.expert_id) for a in active}
    assert (subs[0].pk, experts[0].user_id) not in conflicted  # same unit as the applicant
    assert Conflict.objects.filter(round=rnd, expert=experts[0].user, rule="same_unit").exists()

    # the stage refuses to close while reviews are owed, naming them
    with pytest.raises(ApplicationError, match="还有 6 份评审未提交也未免除"):
        programmes.call_advance(actor=staff, call=call)
    owed = active[0]
    score_all(rnd, skip={owed.pk})
    with pytest.raises(ApplicationError, match=f"{owed.expert}（{owed.subject.title}，待评审）"):
        programmes.call_advance(actor=staff, call=call)
    with pytest.raises(ApplicationError, match="请填写免除理由"):
        services.assignment_release(actor=staff, assignment=owed, reason=" ")
    services.assignment_release(actor=staff, assignment=owed, reason="专家因病无法参加。")
    call = programmes.call_advance(actor=staff, call=call)
    assert call.stage["kind"] == "decision"
    rnd.refresh_from_db()
    assert rnd.status == "closed"
    # each application decided, the ranking beside it (the last round's, by submission)
    from kechuang.programmes import reviews as programme_reviews
    from kechuang.programmes import selectors as programme_selectors

    ranking = programme_reviews.call_ranking(call=call)
    assert sorted(ranking) == sorted(s.pk for s in subs) and {r["rank"] for r in ranking.values()} == {
        1,
        2,
        3,
    }
    with pytest.raises(ApplicationError, match="还有 3 份申报未作立项决定"):
        programmes.call_award(actor=staff, call=call)
    for row in programme_selectors.award_rows(call, call.stage):
        programmes.award_decide(actor=staff, call=call, submission=row["submission"], action="award")
    call = programmes.call_award(actor=staff, call=call)
    assert call.awarded
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "review.call_review_open",
        "round.create",
        "round.assign_result",
        "programmes.call_award",
    } <= actions
    assert AuditEvent.objects.filter(object_id=str(owed.pk), reason="专家因病无法参加。").exists()


def test_a_subject_left_without_any_scored_review_keeps_the_stage_open(staff, at_review):
    call, subs, experts = at_review
    rnd = services.call_review_open(actor=staff, call=call, k=2, max_load=3)
    first = rnd.subjects.order_by("order").first()
    gone = Assignment.objects.filter(round=rnd, subject=first, status="active")
    for a in gone:
        services.assignment_release(actor=staff, assignment=a, reason="回避")
    score_all(rnd)
    with pytest.raises(ApplicationError, match=f"没有一份已提交的评审，须增派专家：{first.title}"):
        programmes.call_advance(actor=staff, call=call)


def test_the_ranking_is_by_the_mean_of_the_weighted_totals_and_shows_on_the_call_page(
    client, staff, at_review
):
    call, subs, experts = at_review
    rnd = services.call_review_open(actor=staff, call=call, k=2, max_load=3)
    score_all(rnd)
    totals = {}
    for r in Review.objects.filter(assignment__round=rnd).select_related("assignment__subject"):
        totals.setdefault(r.assignment.subject.title, []).append(float(r.total))
    from kechuang.review import selectors

    rows = selectors.mean_ranking(round=rnd)
    assert [r["subject"].title for r in rows] == list(reversed(TITLES))  # later subjects scored higher
    assert [r["rank"] for r in rows] == [1, 2, 3]
    for r in rows:
        assert r["mean"] == pytest.approx(sum(totals[r["subject"].title]) / 2)
    programmes.call_advance(actor=staff, call=call)
    client.force_login(staff)
    page = client.get(call.get_absolute_url()).content.decode()
    assert "“函评”排名" in page and page.index(TITLES[2]) < page.index(TITLES[0])
    assert "作出立项决定" in page and "立项决定请参考" in page


def test_open_is_refused_with_the_reason_and_only_at_a_review_stage(staff, at_review, make_user):
    call, subs, experts = at_review
    with pytest.raises(ApplicationError, match="没有可用的专家|无法完成分配"):
        services.call_review_open(actor=staff, call=call, k=2, experts=[experts[3].user])
    assert not CallStageRound.objects.exists()  # nothing kept of a refusal
    services.call_review_open(actor=staff, call=call, k=1, max_load=3)
    with pytest.raises(ApplicationError, match="已开启专家评审"):
        services.call_review_open(actor=staff, call=call, k=1)


def test_the_pages_open_release_and_answer_400_with_the_input_kept(client, staff, at_review, make_user):
    call, subs, experts = at_review
    url = reverse("review:call-review-open", args=[call.pk])
    client.force_login(make_user(Role.APPLICANT))
    assert client.get(url).status_code == 403
    client.force_login(experts[1].user)
    assert client.get(url).status_code == 403
    client.force_login(staff)
    page = client.get(call.get_absolute_url()).content.decode()
    assert "开启“函评”专家评审" in page
    assert client.get(url).status_code == 200
    refused = client.post(
        url, {"k": "2", "max_load": "3", "mode": "optimal", "experts": [experts[3].user_id]}
    )
    assert refused.status_code == 400 and 'value="3"' in refused.content.decode()
    done = client.post(url, {"k": "2", "max_load": "3", "mode": "optimal"})
    assert done.status_code == 302
    a = Assignment.objects.filter(status="active").select_related("review").first()
    release = reverse("review:assignment-release", args=[a.pk])
    assert "免除此评审" in client.get(call.get_absolute_url()).content.decode()
    kept = client.post(release, {"reason": "专家出差"})  # not confirmed
    assert kept.status_code == 400 and "专家出差" in kept.content.decode()
    assert client.post(release, {"reason": "专家出差", "confirm": "1"}).status_code == 302
    a.refresh_from_db()
    assert a.status == "released"
    # an expert sees their own assignments only; the call's review panel is staff's
    mine = Assignment.objects.filter(status="active", expert=experts[1].user).first()
    client.force_login(experts[1].user)
    if mine:
        assert client.get(mine.review.get_absolute_url()).status_code == 200
    other = Assignment.objects.filter(status="active").exclude(expert=experts[1].user).first()
    assert client.get(other.review.get_absolute_url()).status_code == 404
    client.force_login(subs[0].submitted_by)
    page = client.get(call.get_absolute_url())
    assert page.status_code == 200 and "专家评审" not in page.content.decode()


def test_the_experts_fill_the_stages_review_form_itself(staff, at_review):
    """The round is scored on the stage's review form version: its required opinion field is asked, and a
    review is refused without it, with the field named."""
    call, subs, experts = at_review
    rnd = services.call_review_open(actor=staff, call=call, k=1, max_load=3)
    assert rnd.sheet_id is not None
    a = Assignment.objects.filter(round=rnd, status="active").select_related("review", "expert").first()
    review = services.review_open(actor=a.expert, review=a.review)
    review = services.review_save(
        actor=a.expert,
        review=review,
        expected_version=review.version,
        scores={"f1": 40, "f2": 30},
        comments="方案可行。",
        recommendation="support",
    )
    with pytest.raises(Exception, match="评审意见"):
        services.review_submit(actor=a.expert, review=review)
    review.refresh_from_db()
    review = services.review_save(
        actor=a.expert,
        review=review,
        expected_version=review.version,
        scores={"f1": 40, "f2": 30},
        values={"f3": "方案可行。"},
        comments="方案可行。",
        recommendation="support",
    )
    services.review_submit(actor=a.expert, review=review)
    review.refresh_from_db()
    assert review.sheet_values.get("f3") == "方案可行。" and review.form_version_id == rnd.sheet_id


def test_a_defence_after_the_letter_review_reviews_only_its_shortlist(client, staff, at_review):
    """函评 → 答辩 (issue #18): the 答辩's round opens only once every application that passed is shortlisted
    or not, and assigns experts to the shortlisted only; the decision shows both rankings and decides only
    the shortlisted."""
    from kechuang.programmes import selectors as programme_selectors
    from kechuang.programmes.models import Call

    call, subs, _experts = at_review
    stages = call.version.stages
    defence = {**stages[3], "key": "s6", "kind": "panel_review", "name": "答辩"}
    version = call.version
    version.stages = [*stages[:4], defence, stages[4]]
    version.save(update_fields=["stages"])  # the same forms, a 答辩 inserted before the decision
    call = Call.objects.get(pk=call.pk)
    rnd = services.call_review_open(actor=staff, call=call, k=2, max_load=3)
    score_all(rnd)
    call = programmes.call_advance(actor=staff, call=call)
    assert call.stage["name"] == "答辩"
    rows = programme_selectors.shortlist_rows(call, call.stage)
    assert [r["rank"] for r in rows] == [1, 2, 3]  # the 函评 ranking
    with pytest.raises(ApplicationError, match="还有 3 份申报未确定是否入围"):
        services.call_review_open(actor=staff, call=call, k=2, max_load=3)
    with pytest.raises(ApplicationError, match="未确定是否入围"):
        programmes.call_advance(actor=staff, call=call)
    client.force_login(staff)
    page = client.get(reverse("review:call-review-open", args=[call.pk])).content.decode()
    assert "未确定是否入围" in page and "分配专家并开始评审" not in page  # no button, and why
    top, second, last = (r["submission"] for r in rows)
    programmes.shortlist_batch(
        actor=staff, call=call, shortlisted=[top.pk, second.pk], reason="函评排名未进入前两名"
    )
    page = client.get(reverse("review:call-review-open", args=[call.pk])).content.decode()
    assert "只为入围的申报分配专家" in page and last.title not in page
    defence_round = services.call_review_open(actor=staff, call=call, k=2, max_load=3)
    reviewed = {s.object_id for s in defence_round.subjects.all()}
    assert reviewed == {top.pk, second.pk}  # no expert assigned to the one left out
    assert last.pk not in set(
        Assignment.objects.filter(round=defence_round).values_list("subject__object_id", flat=True)
    )
    score_all(defence_round)
    call = programmes.call_advance(actor=staff, call=call)
    assert call.stage["kind"] == "decision"
    rows = programme_selectors.award_rows(call, call.stage)
    assert {r["submission"].pk for r in rows} == {top.pk, second.pk}
    assert [k["stage_name"] for k in rows[0]["rankings"]] == ["函评", "答辩"]
    with pytest.raises(ApplicationError, match="未入围答辩"):
        programmes.award_decide(actor=staff, call=call, submission=last, action="award")
    for row in rows:
        programmes.award_decide(actor=staff, call=call, submission=row["submission"], action="award")
    assert programmes.call_award(actor=staff, call=call).awarded
