"""A fact's qualifier (余, 以上, 近, 约 …) is shown in the reader's language and where that language puts it:
1200余家 / over 1,200 organisations, 6级以上 / level 6 or above, 近100家 / nearly 100 organisations: on the report's
page, the review queue, a fact's page, the queue's export, the record an accepted fact becomes, an edit in its audit
trail, and the API. A fact of the kind 等级 (a level on a scale, as its unit 级) reads "Level" in English, not the
"Grade" of an evaluation."""

import re
from io import BytesIO

import pytest
from django.conf import settings
from django.urls import reverse

from kechuang.accounts.models import Role
from kechuang.ingest.figures import figure_words, qualifier_words
from kechuang.ingest.models import Fact


@pytest.mark.parametrize(
    ("number", "unit", "unit_en", "qualifier", "zh", "en"),
    [
        ("1200", "家", "organisations", "余", "1200余家", "over 1,200 organisations"),
        ("6", "级", "level", "以上", "6级以上", "level 6 or above"),
        ("3", "级", "level", "以下", "3级以下", "level 3 or below"),
        ("100", "项", "items", "近", "近100项", "nearly 100 items"),
        ("1200", "家", "organisations", "以上", "1200家以上", "1,200 organisations or more"),
        ("30", "%", "%", "左右", "30%左右", "about 30%"),
        ("30", "亿元", "100 million yuan", "约", "约30亿元", "about CNY 3 billion"),
        ("50", "人", "persons", "超过", "超过50人", "over 50 persons"),
        ("3", "小时", "hours", "多", "3个多小时", "over 3 hours"),
        ("3", "斤", "", "多", "3斤多", "over 3斤"),
        ("10", "个", "items", "来", "10来个", "about 10 items"),
        ("6", "级", "level", "", "6级", "level 6"),
        ("0.26", "百分点", "percentage points", "", "0.26百分点", "0.26 percentage points"),
        # a word a person typed, the table not knowing it: as written, before the figure
        ("5", "家", "organisations", "不少于", "不少于5家", "不少于 5 organisations"),
    ],
)
def test_the_figure_reads_in_each_languages_word_order(number, unit, unit_en, qualifier, zh, en):
    assert figure_words(number, unit, qualifier, english=False, unit_local=unit) == zh
    assert figure_words(number, unit, qualifier, english=True, unit_local=unit_en or unit) == en


def test_the_qualifier_alone_in_each_language():
    assert [qualifier_words(q, english=False) for q in ("余", "以上", "近")] == ["余", "以上", "近"]
    assert [qualifier_words(q, english=True) for q in ("余", "以上", "以下", "近", "约", "")] == [
        "over",
        "or more",
        "or less",
        "nearly",
        "about",
        "",
    ]
    assert qualifier_words("以上", english=True, ranked=True) == "or above"


def test_a_year_is_not_grouped():
    assert figure_words("2024", "年", "", english=True, unit_local="2024", group=False).startswith("2024")


TEXT = "2024年全省科技工作总结\n2024年，全省高新技术企业达到1200余家，技术就绪度达到6级以上。\n"


@pytest.fixture
def uploaded(make_user):
    from kechuang.ingest.services import document_ingest

    staff = make_user(Role.STAFF)
    document, _created = document_ingest(actor=staff, data=TEXT.encode(), filename="r.txt")
    facts = {f.kind: f for f in Fact.objects.filter(document=document)}
    assert (facts["count"].qualifier, facts["level"].qualifier) == ("余", "以上")
    return staff, document, facts


@pytest.mark.django_db
def test_the_pages_show_the_qualifier_in_each_language(uploaded, client_for, english_client_for):
    staff, document, facts = uploaded
    zh, en = client_for(staff), english_client_for(staff)
    queue = reverse("ingest:fact-queue")
    for url in (document.get_absolute_url(), queue):
        body = zh.get(url).content.decode()
        assert "<td>1200余家" in body and "<td>6级以上" in body, url
        body = en.get(url).content.decode()
        assert "<td>over 1,200 organisations" in body and "<td>level 6 or above" in body, url
        assert "余" not in body.split("<tbody>", 1)[1].split("原句")[0].replace("1200余家", "")
    body = zh.get(facts["level"].get_absolute_url()).content.decode()
    assert "<dt>数值</dt><dd>6级以上" in body and "以上 6" not in body
    body = en.get(facts["level"].get_absolute_url()).content.decode()
    assert "<dt>Value</dt><dd>level 6 or above" in body and "以上 6" not in body
    body = en.get(document.get_absolute_url()).content.decode()
    assert "<td>Level</td>" in body and "<td>Grade</td>" not in body


@pytest.mark.django_db
def test_the_export_and_the_api_say_the_qualifier_in_each_language(
    uploaded, client_for, english_client_for, api_for
):
    from openpyxl import load_workbook

    staff, document, facts = uploaded
    url = reverse("ingest:fact-queue") + "?export=xlsx"

    def rows(c):
        r = c.get(url)
        sheet = list(load_workbook(BytesIO(b"".join(r.streaming_content))).active.values)
        return [dict(zip(sheet[0], row, strict=True)) for row in sheet[1:]]

    zh = {r["类型"]: r for r in rows(client_for(staff))}
    assert (zh["等级"]["限定"], zh["等级"]["数值与限定"]) == ("以上", "6级以上")
    assert (zh["数量"]["限定"], zh["数量"]["数值与限定"]) == ("余", "1200余家")
    en = {r["Type"]: r for r in rows(english_client_for(staff))}
    assert (en["Level"]["Qualifier"], en["Level"]["Figure with qualifier"]) == (
        "or above",
        "level 6 or above",
    )
    assert (en["Count"]["Qualifier"], en["Count"]["Figure with qualifier"]) == (
        "over",
        "over 1,200 organisations",
    )
    api = api_for(staff)
    api_url = reverse("api:ingest-fact-list")
    (row,) = api.get(api_url, {"kind": "level", "document": document.pk}).json()["results"]
    assert (row["qualifier"], row["qualifier_label"], row["figure"]) == ("以上", "以上", "6级以上")
    api.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the language switch's choice (core.middleware)
    (row,) = api.get(api_url, {"kind": "level", "document": document.pk}).json()["results"]
    assert (row["qualifier"], row["qualifier_label"], row["figure"]) == (
        "以上",
        "or above",
        "level 6 or above",
    )


@pytest.mark.django_db
def test_the_record_an_accepted_fact_becomes_names_it_with_its_qualifier(
    uploaded, client_for, english_client_for
):
    from kechuang.ingest.services import fact_accept

    staff, _document, facts = uploaded
    fact = fact_accept(actor=staff, fact=facts["level"])
    assert fact.record_kind == "event"
    assert "6级以上" in client_for(staff).get(fact.get_absolute_url()).content.decode()
    body = english_client_for(staff).get(fact.get_absolute_url()).content.decode()
    assert "Event record · " in body and " level 6 or above" in body


@pytest.mark.django_db
def test_an_edited_qualifier_reads_in_the_readers_language_in_the_facts_trail(
    uploaded, client_for, english_client_for
):
    from kechuang.ingest.services import fact_edit

    staff, _document, facts = uploaded
    fact = facts["level"]
    fact_edit(actor=staff, fact=fact, expected_version=fact.version, reason="原文为以下", qualifier="以下")
    zh = client_for(staff).get(fact.get_absolute_url()).content.decode()
    assert "<dt>数值</dt><dd>6级以下" in zh
    en = english_client_for(staff).get(fact.get_absolute_url()).content.decode()
    assert "<dt>Value</dt><dd>level 6 or below" in en
    words = " ".join(re.sub(r"<[^>]+>", " ", en.split("<dt>Value</dt>", 1)[1]).split())
    assert "Qualifier: or above → or below" in words and "Unit: level → level" in words
    words = " ".join(re.sub(r"<[^>]+>", " ", zh.split("<dt>数值</dt>", 1)[1]).split())
    assert "限定： 以上 → 以下" in words, words[-800:]
