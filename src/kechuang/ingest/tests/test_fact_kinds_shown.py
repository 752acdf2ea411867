"""The three kinds of fact added at the end of session 29 (points, level, quantity; ingest 0009) are shown with
their values and units in the reader's language wherever facts are shown: the report's page, the review queue
(filtered by kind), a fact's page, the queue's Excel export, the record an accepted fact becomes, and the API
(codes and stored units, as for every kind). The model's check constraint is built from the enum's one list."""

from io import BytesIO

import pytest
from django.urls import reverse

from kechuang.accounts.models import Role
from kechuang.ingest.models import Fact, FactKind

TEXT = "2024年全省科技工作总结\n全省研发投入强度提高0.26个百分点，技术就绪度达到6级以上，发电量120千瓦时。\n"


def test_the_kind_constraint_allows_exactly_the_enums_kinds():
    (constraint,) = [c for c in Fact._meta.constraints if c.name == "ingest_fact_kind_valid"]
    assert constraint.condition.children == [("kind__in", FactKind.values)]
    assert Fact.Kind is FactKind and {"points", "level", "quantity"} <= set(FactKind.values)


@pytest.fixture
def uploaded(make_user):
    from kechuang.ingest.services import document_ingest

    staff = make_user(Role.STAFF)
    document, _created = document_ingest(actor=staff, data=TEXT.encode(), filename="r.txt")
    facts = {f.kind: f for f in Fact.objects.filter(document=document)}
    assert {"points", "level", "quantity"} <= set(facts)
    return staff, document, facts


@pytest.mark.django_db
def test_the_report_page_and_the_queue_show_the_three_kinds_in_each_language(
    uploaded, client_for, english_client_for
):
    staff, document, facts = uploaded
    zh, en = client_for(staff), english_client_for(staff)
    body = zh.get(document.get_absolute_url()).content.decode()
    for words in ("<td>百分点</td>", "<td>等级</td>", "<td>物理量</td>", "<td>6级以上", "<td>120千瓦时"):
        assert words in body, words
    body = en.get(document.get_absolute_url()).content.decode()
    for words in (
        "<td>Percentage points</td>",
        "<td>0.26 percentage points",
        "<td>level 6 or above",
        "<td>120 kWh",
    ):
        assert words in body, words
    assert "<td>百分点</td>" not in body and "<td>千瓦时</td>" not in body
    queue = reverse("ingest:fact-queue")
    for kind, zh_figure, en_figure in (
        ("points", "0.26百分点", "0.26 percentage points"),
        ("level", "6级以上", "level 6 or above"),
        ("quantity", "120千瓦时", "120 kWh"),
    ):
        body = zh.get(queue, {"kind": kind}).content.decode()
        assert f"<td>{zh_figure}</td>" in body, kind
        assert [f.kind for f in zh.get(queue, {"kind": kind}).context["page"]] == [kind]
        body = en.get(queue, {"kind": kind}).content.decode()
        assert f"<td>{en_figure}</td>" in body and f"<td>{zh_figure}" not in body, kind


@pytest.mark.django_db
def test_a_facts_page_shows_its_figure_in_each_language(uploaded, client_for, english_client_for):
    staff, _document, facts = uploaded
    fact = facts["points"]
    body = client_for(staff).get(fact.get_absolute_url()).content.decode()
    assert "<dt>数值</dt><dd>0.26百分点</dd>" in body and "全省研发投入强度提高 0.26百分点 ·" in body
    body = english_client_for(staff).get(fact.get_absolute_url()).content.decode()
    assert "<dt>Value</dt><dd>0.26 percentage points</dd>" in body
    assert "全省研发投入强度提高 0.26 percentage points ·" in body and "百分点" not in body.split("<body")[0]


@pytest.mark.django_db
def test_the_export_names_the_kinds_and_units_in_each_language(uploaded, client_for, english_client_for):
    from openpyxl import load_workbook

    staff, _document, _facts = uploaded
    url = reverse("ingest:fact-queue") + "?export=xlsx"

    def rows(c):
        r = c.get(url)
        sheet = list(load_workbook(BytesIO(b"".join(r.streaming_content))).active.values)
        return [dict(zip(sheet[0], row, strict=True)) for row in sheet[1:]]

    zh = {r["类型"]: r for r in rows(client_for(staff))}
    assert (zh["百分点"]["数值"], zh["百分点"]["单位"]) == ("0.26", "百分点")
    assert (zh["等级"]["单位"], zh["等级"]["限定"], zh["物理量"]["单位"]) == ("级", "以上", "千瓦时")
    en = {r["Type"]: r for r in rows(english_client_for(staff))}
    # the kind 等级 a level, as its unit 级 (not an evaluation's "Grade")
    assert set(en) >= {"Percentage points", "Level", "Quantity"}
    assert en["Percentage points"]["Unit"] == "percentage points"
    assert (en["Level"]["Unit"], en["Quantity"]["Unit"], en["Quantity"]["Value"]) == ("level", "kWh", "120")


@pytest.mark.django_db
def test_an_accepted_fact_of_each_kind_is_recorded_and_named_in_each_language(
    uploaded, client_for, english_client_for
):
    from kechuang.ingest.models import Event
    from kechuang.ingest.services import fact_accept

    staff, _document, facts = uploaded
    for kind in ("points", "level", "quantity"):
        fact = fact_accept(actor=staff, fact=facts[kind])
        assert fact.record_status == "recorded" and fact.record_kind == "event", kind
        event = Event.objects.get(fact=fact)
        assert (event.kind, event.unit, event.value) == (kind, fact.unit, fact.value)
    fact = facts["quantity"]
    body = client_for(staff).get(fact.get_absolute_url()).content.decode()
    assert "事件记录 · 发电量 120千瓦时" in body
    body = english_client_for(staff).get(fact.get_absolute_url()).content.decode()
    assert "Event record · 发电量 120 kWh" in body


@pytest.mark.django_db
def test_the_api_lists_and_filters_the_three_kinds(uploaded, api_for):
    staff, document, facts = uploaded
    api = api_for(staff)
    for kind in ("points", "level", "quantity"):
        rows = api.get(reverse("api:ingest-fact-list"), {"kind": kind, "document": document.pk}).json()[
            "results"
        ]
        assert [(r["kind"], r["unit"], r["shown_value"]) for r in rows] == [
            (kind, facts[kind].unit, facts[kind].shown_value)
        ]
    assert api.get(reverse("api:ingest-fact-list"), {"kind": "nonsense"}).status_code == 400
