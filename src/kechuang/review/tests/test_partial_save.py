"""A save carries only what it changes (issue #19): an autosave of one field (HTMX, or the API's PATCH) keeps
every other field as stored, the page's whole form still empties what it leaves empty, nothing typed is lost
on a stale autosave, and an unchanged score is not written again."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kechuang.core.formkinds import rows_post
from kechuang.review import services
from kechuang.review.models import Review

from .conftest import first_assignment
from .test_sheet import sheet_review  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


def _opened(client_for, rnd):
    a = first_assignment(rnd)
    c = client_for(a.expert)
    assert (
        c.post(reverse("review:review-action", args=[a.review.pk, "open"]), {"confirm": "1"}).status_code
        == 302
    )
    return c, Review.objects.get(pk=a.review.pk)


def _saved(review: Review) -> Review:
    return services.review_save(
        actor=review.assignment.expert,
        review=review,
        expected_version=review.version,
        scores={"tech": 80, "team": 30},
        comments="方案扎实",
        opinion="建议补充市场分析",
        recommendation="support",
    )


def _state(review: Review) -> tuple:
    review.refresh_from_db()
    scores = {s.criterion.code: float(s.score) for s in review.scores.select_related("criterion")}
    return scores, review.comments, review.opinion, review.recommendation


def test_an_autosave_of_one_field_blanks_no_other(client_for, reviewing_round):
    rnd, _, _ = reviewing_round
    c, review = _opened(client_for, rnd)
    review = _saved(review)
    r = c.post(review.get_absolute_url(), {"comments": "改过的意见", "version": review.version}, **HX)
    assert r.status_code == 302
    assert _state(review) == ({"tech": 80, "team": 30}, "改过的意见", "建议补充市场分析", "support")
    r = c.post(review.get_absolute_url(), {"c_tech": "70", "version": review.version}, **HX)
    assert r.status_code == 302
    assert _state(review) == ({"tech": 70, "team": 30}, "改过的意见", "建议补充市场分析", "support")


def test_the_whole_form_empties_what_it_leaves_empty(client_for, reviewing_round):
    rnd, _, _ = reviewing_round
    c, review = _opened(client_for, rnd)
    review = _saved(review)
    page = c.get(review.get_absolute_url()).content.decode()
    assert 'name="whole_form" value="1"' in page  # the page's form says it sends every field
    whole = {
        "whole_form": "1",
        "c_tech": "80",
        "c_team": "30",
        "comments": "方案扎实",
        "version": review.version,
    }
    assert c.post(review.get_absolute_url(), whole).status_code == 302
    assert _state(review) == ({"tech": 80, "team": 30}, "方案扎实", "", "")


def test_a_stale_autosave_keeps_what_was_typed_and_shows_the_whole_sheet(client_for, reviewing_round):
    rnd, _, _ = reviewing_round
    c, review = _opened(client_for, rnd)
    read = _saved(review).version
    services.review_save(  # another tab saved meanwhile
        actor=review.assignment.expert, review=review, expected_version=read, comments="另一页的意见"
    )
    r = c.post(review.get_absolute_url(), {"opinion": "我刚打的公开意见", "version": read}, **HX)
    assert r.status_code == 400
    html = r.content.decode()
    assert "有人先保存了新的内容" in html and "我刚打的公开意见" in html  # nothing typed is lost
    # the fields the autosave did not carry show their stored values, not blanks
    assert 'value="80' in html and "另一页的意见" in html
    version = re.search(r'name="version" value="(\d+)"', html).group(1)
    assert (
        c.post(review.get_absolute_url(), {"opinion": "我刚打的公开意见", "version": version}).status_code
        == 302
    )
    assert _state(review) == ({"tech": 80, "team": 30}, "另一页的意见", "我刚打的公开意见", "support")


def test_the_service_and_the_api_keep_what_they_are_not_given(client_for, reviewing_round):
    rnd, _, _ = reviewing_round
    c, review = _opened(client_for, rnd)
    review = _saved(review)
    review = services.review_save(
        actor=review.assignment.expert, review=review, expected_version=review.version, scores={"team": 20}
    )
    assert _state(review) == ({"tech": 80, "team": 20}, "方案扎实", "建议补充市场分析", "support")
    r = c.patch(
        reverse("api:review-review-detail", args=[review.pk]),
        {"version": review.version, "opinion": "只改公开意见"},
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    assert _state(review) == ({"tech": 80, "team": 20}, "方案扎实", "只改公开意见", "support")


def test_an_unchanged_score_is_not_written_and_changed_ones_in_one_update(reviewing_round):
    rnd, _, _ = reviewing_round
    review = first_assignment(rnd).review
    services.review_open(actor=review.assignment.expert, review=review)
    review = _saved(Review.objects.get(pk=review.pk))

    def save(**scores):
        with CaptureQueriesContext(connection) as ctx:
            services.review_save(
                actor=review.assignment.expert, review=review, expected_version=review.version, scores=scores
            )
        review.refresh_from_db()
        return [q["sql"] for q in ctx.captured_queries if "criterionscore" in q["sql"].lower()]

    same = save(tech=80, team=30)
    assert not [q for q in same if not q.startswith("SELECT")]  # nothing written
    both = save(tech=60, team=10)
    assert len([q for q in both if q.startswith("UPDATE")]) == 1
    assert _state(review)[0] == {"tech": 60, "team": 10}


def test_an_autosave_on_a_sheet_keeps_the_rest_and_judges_conditions_on_the_stored_sheet(sheet_review):  # noqa: F811
    c, review, _v = sheet_review
    draft = {
        "tech": "36",
        "f2": "可行",
        "f6": "不推荐",
        "f8": ["技术", "市场"],
        "comments": "总体可行",
        "version": review.version,
        **rows_post("f9", [{"c1": "甲产品", "c2": "12.5"}]),
    }
    assert c.post(review.get_absolute_url(), draft).status_code == 302
    review.refresh_from_db()
    stored = dict(review.sheet_values)
    # f7 is asked only when f6 is 不推荐: the autosave sends f7 alone, the stored f6 makes it asked
    r = c.post(review.get_absolute_url(), {"f7": "市场分析不足", "version": review.version}, **HX)
    assert r.status_code == 302
    review.refresh_from_db()
    assert review.sheet_values == {**stored, "f7": "市场分析不足"}
    assert review.comments == "总体可行" and review.recommendation == "reject"
    # the page's whole form without a box ticked empties the multiple choice
    whole = {**draft, "whole_form": "1", "f7": "市场分析不足", "version": review.version}
    del whole["f8"]
    assert c.post(review.get_absolute_url(), whole).status_code == 302
    review.refresh_from_db()
    assert "f8" not in review.sheet_values and review.sheet_values["f9"] == [{"c1": "甲产品", "c2": "12.5"}]
