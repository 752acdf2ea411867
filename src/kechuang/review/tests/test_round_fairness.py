"""A round's fair-mode depth (leximin levels): the form, the assignment service passing it to the solver,
the stored parameters, the round page saying the outcome in words, and infeasibility said in words."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from kechuang.core.exceptions import ApplicationError
from kechuang.core.models import Job
from kechuang.review import forms, services, solver, solver_words
from kechuang.review.models import ExternalSubject, Round
from kechuang.review.services.assignment import problem_from_input
from kechuang.review.tests.factories import ExpertProfileFactory, ExternalSubjectFactory

pytestmark = pytest.mark.django_db

# Affinities (k = 1, max load 1), rows subjects, columns experts:
#   s0 0.573 0.426 0     0
#   s1 0.404 0.361 0     0
#   s2 0.187 0.191 0     0.352
# The worst-off is s2 with e3 (0.352) either way. Held alone, the total then prefers s0–e0, s1–e1 (second
# worst 0.361); with two levels s1 gets e0 (second worst 0.404).
SUBJECT_KEYWORDS = [["碳化硅", "单晶", "外延"], ["碳化硅", "衬底"], ["氢能", "储运"]]
EXPERT_KEYWORDS = [["碳化硅", "单晶", "外延", "衬底"], ["碳化硅", "单晶"], ["光伏"], ["氢能"]]


def fair_round(staff, review_form, depth):
    experts = [ExpertProfileFactory(keywords=k, disciplines=[]) for k in EXPERT_KEYWORDS]
    subjects = [ExternalSubjectFactory(keywords=k, text="", disciplines=[]) for k in SUBJECT_KEYWORDS]
    return services.round_create(
        actor=staff,
        title=f"公平轮次{depth}",
        subjects=subjects,
        form=review_form,
        experts=type(experts[0]).objects.filter(pk__in=[e.pk for e in experts]),
        k=1,
        max_load=1,
        mode="fair",
        leximin_depth=depth,
    )


def form_data(review_form, **over):
    data = {
        "title": "轮次",
        "form": review_form.name,
        "subject_type": str(ContentType.objects.get_for_model(ExternalSubject).pk),
        "k": "1",
        "min_load": "0",
        "max_load": "2",
        "mode": "fair",
        "conflict_years": "5",
        "leximin_depth": "2",
    }
    data.update(over)
    return data


def round_form(data):
    ct = ContentType.objects.get_for_model(ExternalSubject)
    return forms.RoundForm(data, type_choices=[(str(ct.pk), "外部对象")])


def test_form_takes_the_depth_from_1_to_20_and_says_why_not(review_form):
    assert Round._meta.get_field("leximin_depth").default == 1
    ok = round_form(form_data(review_form, leximin_depth="20"))
    assert ok.is_valid(), ok.errors
    assert ok.cleaned_data["leximin_depth"] == 20
    for bad, words in (
        ("0", "至少为 1"),
        ("21", "最多为 20"),
        ("两层", "1 到 20 之间的整数"),
        ("", "不确定时填 1"),
    ):
        f = round_form(form_data(review_form, leximin_depth=bad))
        assert not f.is_valid()
        assert words in f.errors["leximin_depth"][0], (bad, f.errors)


def test_create_page_labels_the_depth_and_reshows_a_refusal(staff, client_for, review_form):
    ExternalSubjectFactory()
    c = client_for(staff)
    page = c.get(reverse("review:round-create")).content.decode()
    assert "公平优先层数" in page and "次低的一项" in page
    resp = c.post(
        reverse("review:round-create"), form_data(review_form, leximin_depth="21", title="拒绝的轮次")
    )
    assert resp.status_code == 400
    body = resp.content.decode()
    assert "最多为 20" in body and "拒绝的轮次" in body
    assert not Round.objects.filter(title="拒绝的轮次").exists()
    resp = c.post(reverse("review:round-create"), form_data(review_form, leximin_depth="3", title="三层"))
    assert resp.status_code == 302
    assert Round.objects.get(title="三层").leximin_depth == 3


def test_the_service_model_refuses_a_depth_out_of_range(staff, review_form):
    with pytest.raises(Exception, match="20"):
        services.round_create(
            actor=staff, title="x", subjects=[ExternalSubjectFactory()], form=review_form, leximin_depth=21
        )


def test_assignment_passes_the_depth_and_depth_2_raises_the_second_worst(staff, review_form, client_for):
    one = services.round_assign(actor=staff, round=fair_round(staff, review_form, 1))
    two = services.round_assign(actor=staff, round=fair_round(staff, review_form, 2))
    r1, r2 = one.solver_result, two.solver_result
    assert r1["parameters"]["leximin_depth"] == 1 and r2["parameters"]["leximin_depth"] == 2
    assert len(r2["stats"]["levels"]) == 2
    assert r1["worst_off"] == pytest.approx(r2["worst_off"])  # the worst-off is held
    assert r1["stats"]["second_worst"] == pytest.approx(0.361, abs=2e-3)
    assert r2["stats"]["second_worst"] == pytest.approx(0.404, abs=2e-3)
    # The stored parameters re-run to the same assignment, byte for byte.
    check = services.round_rerun_check(round=two)
    assert check["same_bytes"] and check["parameters"]["leximin_depth"] == 2
    again = solver.solve(
        problem_from_input(two.solver_input), mode="fair", seed=two.seed, options={"leximin_depth": 1}
    )
    assert again.assignment_digest() == r1["assignment_digest"] != r2["assignment_digest"]

    page = client_for(staff).get(two.get_absolute_url()).content.decode()
    assert "公平优先层数" in page
    assert "公平优先：得分最低的一项总匹配度 0.352" in page
    assert "已证明最优" in page
    assert "其次（公平优先层数 2）：保住前 1 项后，第 2 低的一项提到 0.404" in page
    assert "最后在此基础上使总匹配度最大" in page
    page1 = client_for(staff).get(one.get_absolute_url()).content.decode()
    assert "第 2 低的一项总匹配度 0.361（公平优先层数 1，未单独提高）" in page1


def test_other_roles_cannot_see_or_create_a_fair_round(
    staff, expert, applicant, operator, commissioner, client_for, review_form
):
    rnd = services.round_assign(actor=staff, round=fair_round(staff, review_form, 2))
    for user in (expert, applicant, operator, commissioner):
        c = client_for(user)
        assert c.get(rnd.get_absolute_url()).status_code == 403
        resp = c.post(reverse("review:round-create"), form_data(review_form, title="越权"))
        assert resp.status_code == 403
    assert not Round.objects.filter(title="越权").exists()
    assert client_for(None).get(rnd.get_absolute_url()).status_code == 302


def test_fair_words_give_the_bound_and_gap_when_not_proved():
    words = solver_words.fair_words(
        {
            "mode": "fair",
            "worst_off": 0.8,
            "objective": 12.5,
            "stats": {
                "levels": [0.8],
                "leximin_depth": 1,
                "maxmin_proved": False,
                "maxmin_certified_full": False,
                "maxmin_upper_bound_full": 0.804,
                "maxmin_gap": 0.004975,
                "second_worst": 0.9,
            },
        }
    )
    assert words[0] == "公平优先：得分最低的一项总匹配度 0.8（不可能高于 0.804，差距不超过 0.50%）"
    assert solver_words.fair_words({"mode": "optimal", "worst_off": 0.5}) == []


def test_infeasible_round_is_refused_in_words_and_the_round_page_says_why(
    staff, review_form, client_for, django_capture_on_commit_callbacks
):
    # Two experts, each taking one review, for two subjects that want two each.
    experts = [ExpertProfileFactory() for _ in range(2)]
    subjects = [ExternalSubjectFactory(title=f"缺专家的项目{i}") for i in range(2)]
    rnd = services.round_create(
        actor=staff,
        title="不可行",
        subjects=subjects,
        form=review_form,
        experts=type(experts[0]).objects.filter(pk__in=[e.pk for e in experts]),
        k=2,
        max_load=1,
        mode="fair",
    )
    with pytest.raises(ApplicationError) as exc:
        services.round_assign(actor=staff, round=rnd)
    text = str(exc.value.message)
    assert "缺专家的项目0" in text and "评审上限已满" in text and "还差 2 人次" in text
    assert "subject" not in text and "#" not in text
    c = client_for(staff)
    with django_capture_on_commit_callbacks(execute=True):
        c.post(reverse("review:round-assign", args=[rnd.pk]))  # the job runs (eagerly) and fails
    job = Job.objects.get(kind="review.assign", params__round_id=rnd.pk)
    assert job.state == Job.State.FAILED
    page = c.get(rnd.get_absolute_url()).content.decode()
    assert "上次分配未完成" in page and "缺专家的项目1" in page and "评审上限已满" in page
