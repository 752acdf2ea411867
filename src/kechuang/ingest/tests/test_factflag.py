"""A fact read across a span the repair could not decide (issue #15, factflag): flagged by the extraction from
the repair's uncertain edits (which parts: value, unit, period, place), shown with a badge and the span marked
in the queue, never accepted by a bulk accept, accepted alone only once checked or corrected (audited)."""

from types import SimpleNamespace

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from kechuang.core.exceptions import ApplicationError
from kechuang.core.models import AuditEvent
from kechuang.ingest import selectors, services
from kechuang.ingest.models import Fact
from kechuang.ingest.parsers import doubt, extract_facts, repair
from kechuang.ingest.parsers.edits import Edit, OffsetMap, apply_edits
from kechuang.ingest.parsers.repair import RepairResult

from .factories import DocumentFactory, FactFactory

LOST_BEFORE = "2023年，全省技术合同成交额达到\ufffd21.5亿元，建成12个国家重点实验室。"


def _facts(text: str, year: int = 2023):
    result = repair(text)
    return result, extract_facts(result.text, year=year, result=result)


# ----------------------------------------------------------------------------- the extraction (pure)


def test_a_figure_right_after_an_unread_byte_is_flagged_in_its_value_and_the_span_placed_in_its_quote():
    result, facts = _facts(LOST_BEFORE)
    money, count = facts
    assert money.uncertain_parts == ("value",) and count.uncertain_parts == ()
    ((start, end),) = money.uncertain_spans
    assert money.quote[start:end] == "〔存疑：\ufffd〕"


def test_a_guess_without_a_mark_is_found_by_its_offsets_not_by_the_marker_text():
    # the mojibake step filled a lost digit from the dictionary: no 〔存疑〕 mark in the text, the edit says it
    original = "全省建成X2个重点实验室，引进人才300名。"
    edit = Edit("mojibake", 4, 5, "X", "1", note="GBK 字节错位", uncertain=True)
    text = apply_edits(original, [edit])
    result = RepairResult(original, text, [("mojibake", [edit], OffsetMap([edit]))])
    facts = extract_facts(text, year=2023, result=result)
    assert [f.uncertain_parts for f in facts] == [("value",), ()]
    assert doubt.uncertain_spans(None, text) == []  # the marker scan alone would have missed it


@pytest.mark.parametrize(
    "text, figure, parts",
    [
        ("2023年，全省研发投入\ufffd?12.5%，建成重点实验室12个。", "12.5%", ("value",)),
        ("20\ufffd3年，全省建成重点实验室12个。", "12个", ("period",)),
        ("全省建成重点实验室12个，新增高新技术企业318家。", "12个", ()),
    ],
)
def test_which_parts_the_span_touches(text, figure, parts):
    result, facts = _facts(text)
    (fact,) = [f for f in facts if result.text[f.start : f.end] == figure]
    assert fact.uncertain_parts == parts


def test_a_choice_the_repair_marked_is_read_and_flags_what_it_dates():
    # 〔存疑：去〕年: the extraction reads the mark's reading (去年 dates the figures), the flag says the period is
    # read across it, placed in the quote as it stands
    facts = extract_facts("〔存疑：去〕年，全省建成重点实验室12个。", year=2023)
    (fact,) = facts
    assert fact.period == "2022" and fact.uncertain_parts == ("period",)
    ((start, end),) = fact.uncertain_spans
    assert fact.quote[start:end] == "〔存疑：去〕"


def test_a_region_read_across_a_span_flags_the_place():
    text = "岚江省科技厅组团参展，岱\ufffd省科学技术厅带来成果146项。"
    spans = [(text.index("岱") + 1, text.index("岱") + 2)]
    fact = SimpleNamespace(
        start=text.index("146"), end=text.index("146") + 4, unit="项", place="", quote=text
    )
    fact.sentence_start = 0
    assert doubt.parts_of(text, fact, spans)[0] == ("place",)


def test_the_parts_come_in_a_fixed_order_and_the_json_holds_them():
    result, facts = _facts(LOST_BEFORE)
    assert facts[0].as_json()["uncertain_parts"] == ["value"] or facts[0].as_json()["uncertain_parts"] == (
        "value",
    )


# ----------------------------------------------------------------------------- storing, migration


@pytest.mark.django_db
def test_an_ingested_report_stores_the_flag_parts_and_spans(staff):
    document, _created = services.document_ingest(
        actor=staff, data=LOST_BEFORE.encode("utf-8"), filename="r.txt", year=2023
    )
    money = document.facts.get(kind=Fact.Kind.MONEY)
    count = document.facts.get(kind=Fact.Kind.COUNT)
    assert money.uncertain and money.uncertain_parts == ["value"] and count.uncertain is False
    assert ("〔存疑：\ufffd〕", True) in money.quote_marked
    assert "".join(piece for piece, _marked in money.quote_marked) == money.quote
    assert str(money.uncertain_words) == "数值"


@pytest.mark.django_db
def test_the_migration_flags_facts_stored_before_from_their_uncertain_changes():
    from importlib import import_module

    from django.apps import apps

    from kechuang.ingest.models import Change

    text = "全省建成X2个重点实验室，引进人才300名。"
    document = DocumentFactory(original_text=text, repaired_text=text)
    Change.objects.create(
        document=document,
        seq=0,
        step="mojibake",
        orig_start=4,
        orig_end=5,
        rep_start=4,
        rep_end=5,
        before="X",
        after="X",
        uncertain=True,
    )
    guessed = FactFactory(document=document, quote=text, start=4, end=7)
    sure = FactFactory(
        document=document, quote=text, start=17, end=21, value=300, value_text="300", unit="名"
    )
    import_module("kechuang.ingest.migrations.0007_fact_uncertain").flag_stored_facts(apps, None)
    guessed.refresh_from_db()
    sure.refresh_from_db()
    assert guessed.uncertain and guessed.uncertain_parts == ["value"] and guessed.uncertain_spans == [[4, 5]]
    assert not sure.uncertain


# ----------------------------------------------------------------------------- services


@pytest.fixture
def flagged(db):
    return FactFactory(uncertain=True, uncertain_parts=["value"], uncertain_spans=[[2, 3]])


def test_accepting_a_flagged_fact_unchecked_is_refused_and_checked_is_audited(staff, flagged):
    with pytest.raises(ApplicationError) as refused:
        services.fact_accept(actor=staff, fact=flagged)
    assert refused.value.code == "uncertain_unchecked" and "存疑处" in str(refused.value.message)
    flagged.refresh_from_db()
    assert flagged.status == Fact.Status.PROPOSED
    fact = services.fact_accept(actor=staff, fact=flagged, checked=True)
    assert fact.status == Fact.Status.ACCEPTED
    check = AuditEvent.objects.for_object(fact).get(action="fact.check")
    assert check.after["uncertain_parts"] == ["value"]


def test_a_correction_of_the_flagged_part_accepts_and_is_audited_as_one(staff, flagged):
    fact = services.fact_edit(actor=staff, fact=flagged, expected_version=flagged.version, value=13)
    assert fact.status == Fact.Status.EDITED and fact.value == 13
    event = AuditEvent.objects.for_object(fact).get(action="fact.correct")
    assert event.before["value"] != event.after["value"]


def test_an_edit_leaving_the_flagged_part_as_read_needs_the_check(staff, flagged):
    with pytest.raises(ApplicationError) as refused:
        services.fact_edit(
            actor=staff, fact=flagged, expected_version=flagged.version, value=12, subject="别的"
        )
    assert refused.value.code == "uncertain_unchecked"
    flagged.refresh_from_db()
    assert flagged.subject == "国家重点实验室" and flagged.status == Fact.Status.PROPOSED


def test_accepting_many_leaves_the_flagged_and_the_decided(staff, flagged):
    plain = FactFactory(document=flagged.document)
    done_before = FactFactory(document=flagged.document, accepted=True)
    done = services.fact_accept_many(actor=staff, facts=[flagged, plain, done_before])
    assert [f.pk for f in done.accepted] == [plain.pk]
    assert [f.pk for f in done.uncertain] == [flagged.pk] and [f.pk for f in done.decided] == [done_before.pk]
    flagged.refresh_from_db()
    assert flagged.status == Fact.Status.PROPOSED


def test_accepting_many_strictly_refuses_the_whole_request(staff, flagged):
    plain = FactFactory(document=flagged.document)
    with pytest.raises(ApplicationError) as refused:
        services.fact_accept_many(actor=staff, facts=[flagged, plain], strict=True)
    assert refused.value.code == "uncertain_facts" and str(flagged.pk) in str(refused.value.message)
    plain.refresh_from_db()
    assert plain.status == Fact.Status.PROPOSED


# ----------------------------------------------------------------------------- selectors


@pytest.mark.django_db
def test_the_queue_puts_a_careful_look_first_and_filters_by_it(staff):
    document = DocumentFactory()
    first = FactFactory(document=document, start=0, end=3)
    later = FactFactory(document=document, start=50, end=53, uncertain=True, uncertain_parts=["unit"])
    assert [f.pk for f in selectors.fact_queue(user=staff)] == [later.pk, first.pk]
    assert [f.pk for f in selectors.fact_queue(user=staff, order="reading")] == [first.pk, later.pk]
    assert [f.pk for f in selectors.fact_queue(user=staff, uncertain=True)] == [later.pk]
    assert [f.pk for f in selectors.fact_queue(user=staff, uncertain=False)] == [first.pk]


# ----------------------------------------------------------------------------- pages


@pytest.mark.django_db
def test_the_queue_shows_the_badge_and_marks_the_span_in_both_languages(client_for, staff, flagged, english):
    client = client_for(staff)
    page = client.get(reverse("ingest:fact-queue")).content.decode()
    assert "需仔细核对：数值读自存疑处" in page and '<mark class="uncertain"' in page
    assert f'href="{flagged.get_absolute_url()}#check"' in page  # no plain accept button for it
    assert reverse("ingest:fact-action", args=[flagged.pk, "accept"]) not in page
    page = english(client).get(reverse("ingest:fact-queue") + "?uncertain=yes").content.decode()
    assert "Check carefully: value read across an uncertain span" in page
    assert "Check, then accept" in page and "Check carefully first" in page


@pytest.mark.django_db
def test_bulk_accept_on_the_page_skips_the_flagged_and_says_why(client_for, staff, flagged, english):
    plain = FactFactory(document=flagged.document)
    client = client_for(staff)
    r = client.post(
        reverse("ingest:fact-accept-many"), {"all": "1", "page_fact": [flagged.pk, plain.pk], "confirm": "1"}
    )
    assert r.status_code == 302
    said = [str(m) for m in get_messages(r.wsgi_request)]
    assert "已采纳 1 条事实。" in said
    assert any(m.startswith("1 条事实读自修复时无法确定的文字（存疑处），未批量采纳") for m in said)
    flagged.refresh_from_db()
    plain.refresh_from_db()
    assert flagged.status == Fact.Status.PROPOSED and plain.status == Fact.Status.ACCEPTED
    other = FactFactory(document=flagged.document)
    r = english(client).post(
        reverse("ingest:fact-accept-many"), {"fact": [flagged.pk, other.pk], "confirm": "1"}
    )
    said = [str(m) for m in get_messages(r.wsgi_request)]
    assert "Accepted 1 fact." in said
    assert any("not accepted in bulk" in m for m in said)


@pytest.mark.django_db
def test_bulk_accept_with_nothing_ticked_says_so(client_for, staff):
    r = client_for(staff).post(reverse("ingest:fact-accept-many"), {})
    assert [str(m) for m in get_messages(r.wsgi_request)] == ["没有勾选事实：请先勾选要采纳的事实。"]


@pytest.mark.django_db
def test_a_plain_accept_of_a_flagged_fact_is_refused_with_why(client_for, staff, flagged):
    r = client_for(staff).post(reverse("ingest:fact-action", args=[flagged.pk, "accept"]))
    assert r.status_code == 400 and "请对照原文核对后勾选确认" in r.content.decode()


@pytest.mark.django_db
def test_the_check_form_refused_keeps_the_value_typed(client_for, staff, flagged, english):
    client = client_for(staff)
    page = client.get(flagged.get_absolute_url()).content.decode()
    assert 'id="check"' in page and '<mark class="uncertain"' in page
    url = reverse("ingest:fact-check", args=[flagged.pk])
    r = client.post(url, {"value": "12", "unit": "个", "period": "", "version": flagged.version})
    assert r.status_code == 400 and "请对照原文核对后勾选确认" in r.content.decode()
    r = client.post(url, {"value": "abc", "unit": "个", "period": "", "version": flagged.version})
    assert r.status_code == 400 and 'value="abc"' in r.content.decode()
    r = english(client).post(url, {"value": "12", "unit": "个", "period": "", "version": flagged.version})
    assert r.status_code == 400 and "check it against the original" in r.content.decode()


@pytest.mark.django_db
def test_the_check_form_confirms_or_corrects(client_for, staff, flagged):
    client = client_for(staff)
    url = reverse("ingest:fact-check", args=[flagged.pk])
    r = client.post(
        url, {"value": "12", "unit": "个", "period": "", "checked": "on", "version": flagged.version}
    )
    assert r.status_code == 302
    flagged.refresh_from_db()
    assert flagged.status == Fact.Status.ACCEPTED
    assert AuditEvent.objects.for_object(flagged).filter(action="fact.check").exists()
    other = FactFactory(uncertain=True, uncertain_parts=["value"], uncertain_spans=[[2, 3]])
    url = reverse("ingest:fact-check", args=[other.pk])
    r = client.post(url, {"value": "21", "unit": "个", "period": "", "version": other.version})
    assert r.status_code == 302
    other.refresh_from_db()
    assert other.status == Fact.Status.EDITED and other.value == 21
    page = client.get(other.get_absolute_url()).content.decode()
    assert "更正存疑数值" in page  # the trail says it was a correction


@pytest.mark.django_db
def test_the_edit_form_of_a_flagged_fact_asks_for_the_check(client_for, staff, flagged):
    client = client_for(staff)
    posted = {
        "subject": "别的实验室",
        "predicate": "建成",
        "value": "12",
        "unit": "个",
        "qualifier": "",
        "period": "",
        "place": "",
        "version": flagged.version,
    }
    r = client.post(flagged.get_absolute_url(), posted)
    assert r.status_code == 400 and 'value="别的实验室"' in r.content.decode()
    r = client.post(flagged.get_absolute_url(), {**posted, "checked": "on"})
    assert r.status_code == 302
    flagged.refresh_from_db()
    assert flagged.status == Fact.Status.EDITED and flagged.subject == "别的实验室"


@pytest.mark.django_db
def test_the_export_says_which_parts_were_read_across_an_uncertain_span(client_for, staff, flagged):
    from io import BytesIO

    from openpyxl import load_workbook

    r = client_for(staff).get(reverse("ingest:fact-queue") + "?export=xlsx")
    rows = list(load_workbook(BytesIO(b"".join(r.streaming_content))).active.values)
    column = rows[0].index("读自存疑处")
    assert rows[1][column] == "数值"


@pytest.mark.django_db
def test_the_document_page_counts_the_flagged_facts(client_for, staff, flagged, english):
    FactFactory(document=flagged.document, uncertain=True, uncertain_parts=["period"], accepted=True)
    client = client_for(staff)
    page = client.get(flagged.document.get_absolute_url()).content.decode()
    assert "2 条事实需仔细核对" in page and "1 条待核对" in page
    page = english(client).get(flagged.document.get_absolute_url()).content.decode()
    assert "2 facts to check carefully" in page and "1 to check" in page


# ----------------------------------------------------------------------------- API


@pytest.mark.django_db
def test_the_api_shows_the_flag_and_filters_by_it(api_for, staff, flagged):
    FactFactory(document=flagged.document)
    api = api_for(staff)
    rows = api.get(reverse("api:ingest-fact-list") + "?uncertain=true").json()["results"]
    assert [(r["id"], r["uncertain"], r["uncertain_parts"], r["uncertain_spans"]) for r in rows] == [
        (flagged.pk, True, ["value"], [[2, 3]])
    ]


@pytest.mark.django_db
def test_the_api_accepts_a_flagged_fact_only_checked(api_for, staff, flagged):
    api = api_for(staff)
    url = reverse("api:ingest-fact-action", args=[flagged.pk, "accept"])
    r = api.post(url, {}, format="json")
    assert r.status_code == 400 and r.json()["error"]["code"] == "uncertain_unchecked"
    r = api.post(url, {"checked": True}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "accepted"


@pytest.mark.django_db
def test_the_api_refuses_a_bulk_accept_holding_a_flagged_fact(api_for, staff, flagged):
    plain = FactFactory(document=flagged.document)
    api = api_for(staff)
    url = reverse("api:ingest-fact-accept-many")
    r = api.post(url, {"ids": [flagged.pk, plain.pk]}, format="json")
    assert r.status_code == 400 and r.json()["error"]["code"] == "uncertain_facts"
    plain.refresh_from_db()
    assert plain.status == Fact.Status.PROPOSED  # nothing accepted
    r = api.post(url, {"ids": [plain.pk]}, format="json")
    assert r.status_code == 200 and [f["id"] for f in r.json()["accepted"]] == [plain.pk]
    r = api.post(url, {"ids": [999999]}, format="json")
    assert r.status_code == 400 and r.json()["error"]["code"] == "unknown_facts"


@pytest.mark.django_db
def test_the_schema_describes_the_flag_and_the_bulk_accept(api_for, staff):
    schema = api_for(staff).get(reverse("schema") + "?format=json").json()
    fact = schema["components"]["schemas"]["Fact"]["properties"]
    assert {"uncertain", "uncertain_parts", "uncertain_spans"} <= set(fact)
    assert "/api/ingest/facts/accept/" in schema["paths"]
