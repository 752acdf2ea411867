"""English pages show a call review's criteria, its round's title and its scoring form's name in English (the
review form's English labels, the stage's English name), and fall back to the Chinese where staff gave none;
whoever opens the review, the stored Chinese names are the same."""

import copy
import io
import json

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from kechuang.review import services
from kechuang.review.models import Criterion

from . import test_calls
from .test_calls import at_review  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def english_definition(monkeypatch):
    definition = copy.deepcopy(test_calls.DEFINITION)
    definition["forms"][1]["fields"][0]["label_en"] = "Innovation"
    definition["stages"][3]["name_en"] = "Letter review"
    monkeypatch.setattr(test_calls, "DEFINITION", definition)
    return definition


def test_a_call_reviews_names_follow_the_page_language(
    english_definition,
    staff,
    at_review,  # noqa: F811
    english_client_for,
):
    call, _subs, _experts = at_review
    with translation.override("en"):  # who opens it does not change what is stored
        rnd = services.call_review_open(actor=staff, call=call, k=2, max_load=3)
    assert rnd.title == "2027 年度测试计划 · 函评"
    assert rnd.title_en == "2027 年度测试计划 · Letter review"
    assert rnd.form.name == "测试评审表（第1版）"
    crits = {c.code: c for c in Criterion.objects.filter(form=rnd.form)}
    assert (crits["f1"].name, crits["f1"].name_en) == ("创新性", "Innovation")
    with translation.override("en"):
        assert str(crits["f1"]) == "Innovation"
        assert str(crits["f2"]) == "可行性"  # no English form given: the Chinese
        assert str(rnd) == "2027 年度测试计划 · Letter review"
    assert str(crits["f1"]) == "创新性" and str(rnd) == "2027 年度测试计划 · 函评"

    client = english_client_for(staff)
    page = client.get(rnd.get_absolute_url()).content.decode()
    assert "2027 年度测试计划 · Letter review" in page
    r = client.get(reverse("review:round-panel", args=[rnd.pk]) + "?format=reviews")
    ws = openpyxl.load_workbook(
        io.BytesIO(b"".join(r.streaming_content) if r.streaming else r.content)
    ).active
    headers = next(ws.iter_rows(values_only=True))
    assert "Innovation" in headers and "可行性" in headers
    assert not any("[f1]" in str(h) for h in headers)  # no key shown where the name tells the column


def test_the_missing_attachment_refusal_names_the_file_in_the_page_language():
    from kechuang.programmes import workflow

    stage = {
        "key": "s2",
        "kind": "application",
        "form": 1,
        "rules": {"attachments": ["可行性研究报告", "预算表"]},
    }
    facts = workflow.Facts(
        file_specs={
            "可行性研究报告": {"kind": "file", "label": "可行性研究报告", "label_en": "Feasibility study"},
            "预算表": {"kind": "file", "label": "预算表"},
        }
    )
    assert workflow.rule_refusals(stage, facts) == ["须上传附件：可行性研究报告、预算表。"]
    with translation.override("en"):
        (refusal,) = workflow.rule_refusals(stage, facts)
    assert "Feasibility study, 预算表" in refusal and "可行性研究报告" not in refusal
    assert json.dumps(stage)  # the stage itself is unchanged (names are a rendering)


def test_a_call_reviews_english_title_takes_the_calls_english_name(english_definition, staff, at_review):  # noqa: F811
    """A round named from a call carries the call's English name where it has one (it kept the Chinese title in
    English; usable10); the Chinese title is the Chinese."""
    call, _subs, _experts = at_review
    call.title_en = "2027 test programme"
    call.save(update_fields=["title_en"])
    rnd = services.call_review_open(actor=staff, call=call, k=2, max_load=3)
    assert (rnd.title, rnd.title_en) == ("2027 年度测试计划 · 函评", "2027 test programme · Letter review")
