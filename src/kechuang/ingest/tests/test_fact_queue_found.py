"""The facts review queue finds a fact by words of its subject, its sentence or its report's title, with the
status and kind chosen kept, across the pager and in the export; an empty result says so and how to widen it
(walk-through of session 29: the queue grows with every report)."""

import pytest
from django.urls import reverse

from kechuang.ingest.models import Fact
from kechuang.ingest.tests.factories import DocumentFactory, FactFactory

pytestmark = pytest.mark.django_db


def test_a_fact_is_found_by_subject_sentence_or_report_title(staff, client_for, english_client_for):
    report = DocumentFactory(title="2024年太原市科技工作总结")
    other = DocumentFactory(title="2024年大同市科技工作总结")
    a = FactFactory(
        document=report, subject="高新技术企业", quote="全市高新技术企业达到1200家。", start=0, end=5
    )
    b = FactFactory(
        document=other, subject="技术合同成交额", quote="技术合同成交额增长二成。", start=0, end=5
    )
    FactFactory(
        document=other, subject="高新技术企业", quote="高企达到300家。", start=9, end=12, kind="money"
    )
    c = client_for(staff)
    url = reverse("ingest:fact-queue")
    for q, found in (("太原市", {a.pk}), ("增长二成", {b.pk}), ("技术合同", {b.pk})):
        assert {f.pk for f in c.get(url, {"q": q}).context["page"]} == found, q
    # the kind chosen is kept with the words
    assert {f.pk for f in c.get(url, {"q": "高新技术", "kind": "count"}).context["page"]} == {a.pk}
    body = c.get(url, {"q": "量子", "kind": "count"}).content.decode()
    assert "在所选的状态、类型下，没有对象、原句或报告标题含“量子”的事实。" in body
    assert '<a href="?kind=count">清除查找</a>' in body
    body = english_client_for(staff).get(url, {"q": "量子"}).content.decode()
    assert (
        "No fact of the status and type chosen has “量子” in its subject, its sentence or its report’s title."
        in body
    )


def test_the_words_are_kept_across_the_pager_and_in_the_export(staff, client_for):
    from io import BytesIO

    from openpyxl import load_workbook

    report = DocumentFactory(title="检索测试报告")
    Fact.objects.bulk_create(
        FactFactory.build(document=report, subject=f"专利{i:02}", quote="专利授权量。", start=i, end=i + 1)
        for i in range(55)
    )
    FactFactory(document=DocumentFactory(title="另一份报告"), subject="论文", quote="论文发表。")
    c = client_for(staff)
    url = reverse("ingest:fact-queue")
    body = c.get(url, {"q": "专利"}).content.decode()
    assert "q=%E4%B8%93%E5%88%A9&amp;page=2" in body
    assert len(c.get(url, {"q": "专利", "page": 2}).context["page"]) == 5
    r = c.get(url, {"q": "论文", "export": "xlsx"})
    rows = list(load_workbook(BytesIO(b"".join(r.streaming_content))).active.values)
    assert [row[3] for row in rows[1:]] == ["论文"]
