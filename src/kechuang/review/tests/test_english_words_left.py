"""What session 29 left in Chinese for English readers of a review round (people24, docs/adr/0019): the API
gives a subject's English title beside its Chinese one (`subject_title_en`, the ranking's `title_en`, a
round's `title_en`) whatever the request's language; the ranking's Excel and the expert pool's Excel join
their lists as the reader's language does ("; " in English, "；" in Chinese)."""

import io

import openpyxl
import pytest
from django.urls import reverse

from kechuang.review import services
from kechuang.review.models import Assignment, Review, RoundSubject

pytestmark = pytest.mark.django_db

ZH, EN = (
    "山西省碳基新材料重点实验室（2022年度评估）",
    "Shanxi Key Laboratory of Carbon-based Materials (2022)",
)


def _named(rnd):
    """The round's first subject given an English title as the system makes one (an evaluation entry's)."""
    subject = RoundSubject.objects.filter(round=rnd).order_by("pk").first()
    RoundSubject.objects.filter(pk=subject.pk).update(title=ZH, title_en=EN)
    return subject


def test_the_api_gives_a_subjects_title_in_both_languages_whatever_the_request_asks(
    api_for, staff, reviewing_round
):
    rnd, _subjects, _experts = reviewing_round
    subject = _named(rnd)
    api = api_for(staff)
    for language in ("en", "zh-hans"):
        rows = api.get(f"/api/review/rounds/{rnd.pk}/assignments/", HTTP_ACCEPT_LANGUAGE=language).json()
        rows = rows.get("results", rows)
        named = [r for r in rows if r["subject"] == subject.pk]
        assert named and {(r["subject_title"], r["subject_title_en"]) for r in named} == {(ZH, EN)}
        bare = [r for r in rows if r["subject"] != subject.pk]
        assert bare and all(r["subject_title_en"] == "" and r["subject_title"] for r in bare)  # typed: none
        body = api.get(f"/api/review/rounds/{rnd.pk}/", HTTP_ACCEPT_LANGUAGE=language).json()
        assert (body["title"], body["title_en"]) == ("测试轮次", "")


def test_the_schema_documents_the_english_titles(api_for, staff):
    schema = api_for(staff).get("/api/schema/", HTTP_ACCEPT="application/json").json()
    props = schema["components"]["schemas"]["Assignment"]["properties"]
    assert props["subject_title_en"]["readOnly"] and "English" in props["subject_title_en"]["description"]
    assert "title_en" in schema["components"]["schemas"]["Round"]["properties"]


def _scored(staff, rnd, recommendations):
    for a, rec in zip(
        Assignment.objects.filter(round=rnd, status="active").select_related("review").order_by("pk"),
        recommendations,
        strict=False,
    ):
        r = services.review_open(actor=a.expert, review=a.review)
        r = services.review_save(
            actor=a.expert,
            review=r,
            expected_version=r.version,
            scores={"tech": 70, "team": 40},
            comments="意见",
            recommendation=rec,
        )
        services.review_submit(actor=a.expert, review=r)
    services.round_transition(actor=staff, round=rnd, action="panel")


def _sheet(response):
    data = b"".join(response.streaming_content) if response.streaming else response.content
    return list(openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))


def test_the_ranking_excel_names_and_joins_in_the_readers_language(
    client_for, english_client_for, staff, reviewing_round
):
    rnd, _subjects, _experts = reviewing_round
    subject = _named(rnd)
    # the named subject's two experts: one supports, one rejects
    order = list(
        Assignment.objects.filter(round=rnd, status="active").order_by("pk").values_list("subject", flat=True)
    )
    recs = []
    seen = 0
    for sid in order:
        if sid == subject.pk:
            recs.append(("support", "reject")[seen])
            seen += 1
        else:
            recs.append("support")
    _scored(staff, rnd, recs)
    url = reverse("review:round-panel", args=[rnd.pk]) + "?format=xlsx"
    en = {r[1]: r for r in _sheet(english_client_for(staff).get(url))[1:]}
    zh = {r[1]: r for r in _sheet(client_for(staff).get(url))[1:]}
    assert EN in en and ZH in zh
    assert set(en[EN][-1].split("; ")) == {"Recommend 1", "Do not recommend 1"}, en[EN][-1]
    assert "；" not in en[EN][-1]
    assert set(zh[ZH][-1].split("；")) == {"推荐 1", "不推荐 1"}
    assert Review.objects.filter(assignment__subject=subject, status="submitted").count() == 2


def test_the_expert_pools_excel_joins_its_lists_in_the_readers_language(
    client_for, english_client_for, staff
):
    from kechuang.review.tests.factories import ExpertProfileFactory

    ExpertProfileFactory(disciplines=["110", "120"], keywords=["量子", "密钥分发"])
    url = reverse("review:expert-list") + "?export=xlsx"
    en, zh = _sheet(english_client_for(staff).get(url)), _sheet(client_for(staff).get(url))
    col = {h: i for i, h in enumerate(en[0])}
    row = en[1]
    assert "; " in row[col["Discipline"]] and "；" not in row[col["Discipline"]]
    assert row[col["Research keywords"]] == "量子, 密钥分发"
    zcol = {h: i for i, h in enumerate(zh[0])}
    assert zh[1][zcol["研究方向关键词"]] == "量子、密钥分发" and "；" in zh[1][zcol["学科"]]


def test_the_round_page_joins_its_conflict_rules_in_the_readers_language(
    client_for, english_client_for, staff, small_round
):
    from kechuang.review.models import Round

    rnd, _subjects, _experts = small_round
    Round.objects.filter(pk=rnd.pk).update(same_city_rule=True)
    en = english_client_for(staff).get(rnd.get_absolute_url()).content.decode()
    assert "，" not in en and "within 5 years, Same-city recusal" in en
    assert "年内回避，同城回避" in client_for(staff).get(rnd.get_absolute_url()).content.decode()
