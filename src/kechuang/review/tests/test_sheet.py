"""The scoring sheet rendered from a review form version (review/sheet.py, issue #18): every field kind is
asked and checked by programmes' renderer; criteria, the recommendation, drafts, submission, stale saves
and the stored version."""

import re

import pytest
from django.urls import reverse

from kechuang.core.formkinds import rows_post
from kechuang.programmes.models import FormDefinition, FormVersion
from kechuang.review import services, sheet
from kechuang.review.models import Review

from .conftest import first_assignment
from .factories import ExpertProfileFactory, ExternalSubjectFactory, ReviewFormFactory

pytestmark = pytest.mark.django_db

FIELDS = [
    {"key": "tech", "kind": "number", "label": "技术先进性", "required": True, "min": "0", "max": "40"},
    {"key": "f2", "kind": "short_text", "label": "一句话结论", "required": True, "max_length": 20},
    {"key": "f3", "kind": "number", "label": "预计产值", "min": "0", "max": "1000", "unit": "亿元"},
    {"key": "f4", "kind": "money", "label": "建议资助额", "max": "500"},
    {"key": "f5", "kind": "date", "label": "建议现场考察日期"},
    {"key": "f6", "kind": "choice", "label": "推荐意见", "required": True, "options": ["推荐", "不推荐"]},
    {
        "key": "f7",
        "kind": "long_text",
        "label": "不推荐的理由",
        "required": True,
        "show_if": {"field": "f6", "equals": "不推荐"},
    },
    {"key": "f8", "kind": "multi_choice", "label": "主要风险", "options": ["技术", "市场", "团队"]},
    {
        "key": "f9",
        "kind": "table",
        "label": "对比产品",
        "columns": [
            {"key": "c1", "label": "产品", "kind": "text"},
            {"key": "c2", "label": "价格", "kind": "money"},
        ],
    },
    {"key": "f10", "kind": "team", "label": "建议补充的成员"},
    {"key": "f11", "kind": "indicators", "label": "建议考核指标"},
    {"key": "f12", "kind": "milestones", "label": "建议里程碑"},
    {"key": "f13", "kind": "budget", "label": "建议预算"},
    {"key": "f14", "kind": "file", "label": "评审附件", "file_kinds": ["pdf"]},
]


def _version(fields=FIELDS, number=1):
    definition = FormDefinition.objects.create(name=f"评审表{number}", purpose="review_form")
    return FormVersion.objects.create(
        definition=definition, number=number, status="published", fields=fields, next_key=20
    )


@pytest.fixture
def sheet_review(staff, client_for):
    """An opened review on a round whose sheet has every field kind; criteria tech (in the form) and team
    (not in it)."""
    version = _version()
    form = ReviewFormFactory(criteria=[("tech", "技术", "0.6", 40), ("team", "团队能力", "0.4", 30)])
    expert = ExpertProfileFactory()
    rnd = services.round_create(
        actor=staff,
        title="评审表轮次",
        subjects=[ExternalSubjectFactory()],
        form=form,
        k=1,
        max_load=1,
        sheet=version,
        experts=type(expert).objects.filter(pk=expert.pk),
    )
    rnd = services.round_assign(actor=staff, round=rnd)
    services.round_transition(actor=staff, round=rnd, action="start")
    a = first_assignment(rnd)
    c = client_for(a.expert)
    assert (
        c.post(reverse("review:review-action", args=[a.review.pk, "open"]), {"confirm": "1"}).status_code
        == 302
    )
    review = Review.objects.get(pk=a.review.pk)
    assert review.form_version == version
    return c, review, version


def _html_version(html: str) -> str:
    return re.search(r'name="version" value="(\d+)"', html).group(1)


def test_the_specs_bound_criteria_and_find_the_recommendation():
    version = _version()
    form = ReviewFormFactory(criteria=[("tech", "技术", "0.6", 40), ("team", "团队能力", "0.4", 30)])
    specs = sheet.sheet_specs(version, list(form.criteria.all()))
    keys = [s["key"] for s in specs]
    assert keys[:2] == ["tech", "team"]  # the criterion the form lacks follows the form's criteria
    assert "f14" in keys  # a file field is asked (test_sheet_files.py)
    tech = specs[0]
    assert tech["criterion"] and tech["label"] == "技术先进性" and tech["max"] == "40" and tech["required"]
    assert sheet.recommendation_key(specs) == "f6"
    assert sheet.recommendation_of(specs, {"f6": "不推荐"}) == "reject"
    assert sheet.missing(specs, {}) == ["技术先进性", "团队能力", "一句话结论", "推荐意见"]
    # a condition met makes its field asked (and required)
    assert "不推荐的理由" in sheet.missing(specs, {"f6": "不推荐"})
    clean, errors = sheet.check_values(
        specs, {"tech": "41", "f5": "不是日期", "f6": "也许", "f8": ["技术", "天气"], "f2": "好", "x": 1}
    )
    assert set(errors) == {"tech", "f5", "f6", "f8", "x"} and clean == {"f2": "好"}
    # no review form version: the code's own sheet
    assert sheet.sheet_specs(None, list(form.criteria.all()))[0]["key"] == "tech"


def test_every_field_kind_renders_and_is_checked_on_the_page(sheet_review):
    c, review, _version_obj = sheet_review
    page = c.get(review.get_absolute_url()).content.decode()
    for spec in FIELDS:
        assert spec["label"] in page, spec["label"]
    assert 'type="file" name="f14"' in page and 'enctype="multipart/form-data"' in page
    assert 'name="recommendation"' not in page  # f6 is the recommendation
    assert 'data-show-if-field="f6"' in page and "conditions.js" in page
    bad = {
        "tech": "45",
        "f2": "这一句话结论实在是太长了超过了二十个字的限制呀",
        "f3": "abc",
        "f5": "2027-13-40",
        "f6": "也许",
        "f8": ["天气"],
        "comments": "我的意见",
        "version": review.version,
        **rows_post("f9", [{"c1": "甲产品", "c2": "不是金额"}]),
    }
    r = c.post(review.get_absolute_url(), bad)
    assert r.status_code == 400
    html = r.content.decode()
    assert "我的意见" in html and "甲产品" in html  # nothing typed is lost
    for key in ("tech", "f2", "f3", "f5", "f6", "f8", "f9"):
        assert f'id="id_{key}_error"' in html or f"id_{key}" in html
    review.refresh_from_db()
    assert review.sheet_values == {} and review.version == 1


def test_a_partial_draft_is_saved_by_key_and_submission_asks_for_the_rest(sheet_review):
    c, review, version = sheet_review
    draft = {
        "tech": "36",
        "f3": "12.5",
        "f4": "80",
        "f5": "2027-05-01",
        "f6": "不推荐",
        "f8": ["技术", "市场"],
        "comments": "总体可行",
        "opinion": "建议补充市场分析",
        "version": review.version,
        **rows_post("f9", [{"c1": "甲产品", "c2": "12.5"}]),
        **rows_post("f13", [{"line": "equipment", "amount": "100", "note": "中试线"}]),
    }
    r = c.post(review.get_absolute_url(), draft)
    assert r.status_code == 302, r.content.decode()[:3000]
    review.refresh_from_db()
    assert review.sheet_values == {
        "tech": "36",
        "f3": "12.5",
        "f4": "80",
        "f5": "2027-05-01",
        "f6": "不推荐",
        "f8": ["技术", "市场"],
        "f9": [{"c1": "甲产品", "c2": "12.5"}],
        "f13": [{"line": "equipment", "amount": "100", "note": "中试线"}],
    }
    assert review.recommendation == "reject" and review.scores.get().score == 36
    # the page shows the draft again, typed values in place
    page = c.get(review.get_absolute_url()).content.decode()
    # (a date input's value is ISO whatever the language, or the browser shows it empty)
    assert 'value="36' in page and "甲产品" in page and 'value="2027-05-01"' in page
    # submitting asks for what is required and missing: the criterion team, the conclusion, the reason
    r = c.post(review.get_absolute_url(), {**draft, "version": review.version, "submit": "1", "confirm": "1"})
    assert r.status_code == 400
    html = r.content.decode()
    assert "还有评分指标未打分" in html
    review.refresh_from_db()
    r = c.post(
        review.get_absolute_url(),
        {**draft, "team": "24", "version": review.version, "submit": "1", "confirm": "1"},
    )
    assert (
        r.status_code == 400 and "一句话结论" in r.content.decode() and "不推荐的理由" in r.content.decode()
    )
    review.refresh_from_db()
    # choosing 推荐 drops the reason (its condition no longer holds) and the review goes through
    done = {
        **draft,
        "team": "24",
        "f2": "可行",
        "f6": "推荐",
        "f7": "不该保存",
        "submit": "1",
        "confirm": "1",
    }
    r = c.post(review.get_absolute_url(), {**done, "version": review.version})
    assert r.status_code == 302, r.content.decode()[:3000]
    review.refresh_from_db()
    assert review.status == "submitted" and "f7" not in review.sheet_values
    assert review.recommendation == "support"
    # the total comes from the criteria: 0.6 * 36/40 + 0.4 * 24/30 = 0.86
    assert float(review.total) == 86.0
    # shown with its own version, for ever: a later change of the round's sheet does not change it
    later = _version([{"key": "zz", "kind": "short_text", "label": "后来的字段"}], number=2)
    type(review.assignment.round).objects.filter(pk=review.assignment.round_id).update(sheet=later)
    page = c.get(review.get_absolute_url()).content.decode()
    assert "一句话结论" in page and "可行" in page and "后来的字段" not in page and str(version) in page
    assert "甲产品" in page and "设备费" in page  # rows shown as tables, budget lines by name


def test_a_stale_save_on_a_sheet_shows_both_versions_side_by_side(sheet_review):
    c, review, _v = sheet_review
    read = review.version
    services.review_save(
        actor=review.assignment.expert,
        review=review,
        expected_version=read,
        values={"tech": "20", "f2": "旧结论"},
        comments="旧意见",
    )
    typed = {"tech": "35", "f2": "新结论", "comments": "新意见", "version": read}
    page = c.post(review.get_absolute_url(), typed)
    assert page.status_code == 400
    html = page.content.decode()
    assert "有人先保存了新的内容" in html
    table = html.split('id="stale-title"')[1].split("</table>")[0]
    assert "新结论" in table and "旧结论" in table and "35" in table and "20" in table
    assert 'value="新结论"' in html
    again = c.post(review.get_absolute_url(), {**typed, "version": _html_version(html)})
    assert again.status_code == 302
    review.refresh_from_db()
    assert review.sheet_values["f2"] == "新结论" and review.comments == "新意见"
