"""factflag2 (session 26): migration 0007's data step self-contained (a frozen copy of parsers/doubt.py as it was),
a fact whose place, period or subject a redaction or a gap may have taken flagged with its own reason, and the
bulk accepts (the queue's and the API's) in a number of queries that does not grow with the facts chosen."""

import ast
from importlib import import_module
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from kechuang.core.exceptions import ApplicationError
from kechuang.core.models import AuditEvent
from kechuang.ingest import services
from kechuang.ingest.models import Change, Fact
from kechuang.ingest.parsers import doubt, extract_facts

from .factories import DocumentFactory, FactFactory

MIGRATION = "kechuang.ingest.migrations.0007_fact_uncertain"

# ----------------------------------------------------------------------------- migration 0007, frozen


def test_migration_0007_imports_no_live_code_of_the_project():
    module = import_module(MIGRATION)
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    imported = [
        n.module if isinstance(n, ast.ImportFrom) else a.name
        for n in ast.walk(tree)
        if isinstance(n, ast.Import | ast.ImportFrom)
        for a in n.names
    ]
    assert imported and not [m for m in imported if m and m.startswith("kechuang")]


# text, the uncertain change's span in it, the fact (start, end, unit, place), what the migration must set
# (parts, spans in the quote): the flags the live parser gave when the migration was written (187cdaeb)
CASES = [
    ("全省建成X2个重点实验室，引进人才300名。", (4, 5), (4, 7, "个", ""), (["value"], [[4, 5]])),
    ("全省建成X2个重点实验室，引进人才300名。", (4, 5), (17, 21, "名", ""), ([], [])),
    ("20X3年，全省建成重点实验室12个。", (2, 3), (15, 18, "个", ""), (["period"], [[2, 3]])),
    (
        "全省新增高新技术企业318家，同比增长12%。",
        (13, 14),
        (10, 14, "家", ""),
        (["value", "unit"], [[13, 14]]),
    ),
    ("我市技术合同成交额达到1X亿元。", (12, 13), (11, 15, "元", ""), (["value"], [[12, 13]])),
    (
        "岚江省组团参展，岱X省科学技术厅带来成果146项。",
        (9, 10),
        (21, 25, "项", "岱沄省"),
        (["place"], [[9, 10]]),
    ),
    ("2023年，全省建成重点实验室12个。", (2, 3), (15, 18, "个", ""), (["period"], [[2, 3]])),
]


@pytest.mark.django_db
@pytest.mark.parametrize("text, span, fact, expected", CASES)
def test_migration_0007_flags_stored_facts_as_the_parser_did_then(text, span, fact, expected):
    from django.apps import apps

    start, end, unit, place = fact
    document = DocumentFactory(original_text=text, repaired_text=text)
    Change.objects.create(
        document=document,
        seq=0,
        step="mojibake",
        orig_start=span[0],
        orig_end=span[1],
        rep_start=span[0],
        rep_end=span[1],
        before="X",
        after="X",
        uncertain=True,
    )
    stored = FactFactory(document=document, quote=text, start=start, end=end, unit=unit, place=place)
    import_module(MIGRATION).flag_stored_facts(apps, None)
    stored.refresh_from_db()
    assert (stored.uncertain_parts, stored.uncertain_spans) == expected
    assert stored.uncertain is bool(expected[0])


# ----------------------------------------------------------------------------- a redaction or a gap before it

REDACTED = "2023年，〔隐去〕市技术合同成交额达到12亿元，同比增长8%。全省建成重点实验室12个。"


@pytest.mark.parametrize(
    "text, flagged",
    [
        (REDACTED, {"12亿元": True, "8%": True, "12个": False}),
        # a redacted name that is no place (高新区, a unit) takes nothing the fact says: not flagged
        ("全省建成重点实验室12个，〔隐去〕高新区新增企业30家。", {"12个": False, "30家": False}),
        # a gap the repair marked before the figure: the sentence's subject or year may be in it
        ("2023年，全省技术合同成交额达到〔缺失120字〕，新增高新技术企业318家。", {"318家": True}),
        # after the figure only: the figure's place and year are before it
        ("全省新增高新技术企业318家，其中〔隐去〕市45家。", {"318家": False, "45家": True}),
    ],
)
def test_a_fact_after_a_redacted_place_or_a_gap_in_its_sentence_is_flagged(text, flagged):
    facts = extract_facts(text, year=2023)
    assert {text[f.start : f.end]: f.redacted_near for f in facts} == flagged
    assert all(f.uncertain_parts == () for f in facts)  # no uncertain repair: its own reason
    assert all(f.as_json()["redacted_near"] is f.redacted_near for f in facts)


def test_the_redactions_before_a_fact_are_placed_in_the_text():
    (fact, *_rest) = extract_facts(REDACTED, year=2023)
    assert [REDACTED[s:e] for s, e in doubt.redactions_before(REDACTED, fact)] == ["〔隐去〕"]


@pytest.mark.django_db
def test_an_ingested_report_stores_the_redaction_flag_as_a_careful_look(staff):
    document, _created = services.document_ingest(
        actor=staff, data=REDACTED.encode("utf-8"), filename="r.txt", year=2023
    )
    money = document.facts.get(kind=Fact.Kind.MONEY)
    assert money.uncertain and money.redacted_near and money.uncertain_parts == []
    assert str(money.doubt_words) == "附近有隐去的内容"
    assert not document.facts.get(kind=Fact.Kind.COUNT).uncertain


@pytest.mark.django_db
def test_migration_0008_flags_stored_facts_after_a_redacted_place():
    from django.apps import apps

    document = DocumentFactory(original_text=REDACTED, repaired_text=REDACTED)
    quote = REDACTED[: REDACTED.index("。") + 1]
    start = REDACTED.index("12亿元")
    after = FactFactory(document=document, quote=quote, start=start, end=start + 5, money=True)
    plain_at = REDACTED.index("12个")
    plain = FactFactory(document=document, quote="全省建成重点实验室12个。", start=plain_at, end=plain_at + 3)
    import_module("kechuang.ingest.migrations.0008_fact_redacted_near").flag_redacted_facts(apps, None)
    after.refresh_from_db()
    plain.refresh_from_db()
    assert after.redacted_near and after.uncertain
    assert not plain.redacted_near and not plain.uncertain


@pytest.fixture
def redacted(db):
    return FactFactory(uncertain=True, redacted_near=True, quote="〔隐去〕市建成12个国家重点实验室。")


def test_a_fact_after_a_redaction_is_accepted_checked_or_with_its_place_period_or_subject_corrected(
    staff, redacted
):
    with pytest.raises(ApplicationError) as refused:
        services.fact_accept(actor=staff, fact=redacted)
    assert refused.value.code == "uncertain_unchecked" and "隐去或缺失" in str(refused.value.message)
    with pytest.raises(ApplicationError):  # the value corrected: not what a redaction takes
        services.fact_edit(actor=staff, fact=redacted, expected_version=redacted.version, value=13)
    fact = services.fact_edit(actor=staff, fact=redacted, expected_version=redacted.version, period="2022")
    assert fact.status == Fact.Status.EDITED
    event = AuditEvent.objects.for_object(fact).get(action="fact.correct")
    assert event.after["redacted_near"] is True and event.after["uncertain_parts"] == []
    other = FactFactory(uncertain=True, redacted_near=True)
    services.fact_accept(actor=staff, fact=other, checked=True)
    assert AuditEvent.objects.for_object(other).get(action="fact.check").after["redacted_near"] is True


def test_bulk_accepts_leave_a_fact_after_a_redaction(staff, redacted):
    done = services.fact_accept_many(actor=staff, facts=[redacted])
    assert done.uncertain == [redacted] and not done.accepted
    with pytest.raises(ApplicationError) as refused:
        services.fact_accept_many(actor=staff, facts=[redacted], strict=True)
    assert refused.value.code == "uncertain_facts" and "附近有隐去的内容" in str(refused.value.message)


@pytest.mark.django_db
def test_the_reason_is_shown_to_the_reviewer_in_both_languages(client_for, staff, redacted, english):
    client = client_for(staff)
    page = client.get(reverse("ingest:fact-queue")).content.decode()
    assert "需仔细核对：附近有隐去的内容" in page and "读自存疑处</span>" not in page
    assert f'href="{redacted.get_absolute_url()}#check"' in page
    detail = client.get(redacted.get_absolute_url()).content.decode()
    assert "地区、期间或对象可能随之丢失" in detail and "我已对照原文核对，地区、期间和对象无误" in detail
    en = english(client)
    page = en.get(reverse("ingest:fact-queue")).content.decode()
    assert "Check carefully: text near it was redacted" in page
    detail = en.get(redacted.get_absolute_url()).content.decode()
    assert "this fact's region, period or subject may have been lost with it" in detail
    r = en.post(reverse("ingest:fact-accept-many"), {"fact": [redacted.pk], "confirm": "1"})
    said = [str(m) for m in get_messages(r.wsgi_request)]
    assert any("text redacted or missing before its figure" in m for m in said), said


@pytest.mark.django_db
def test_the_api_and_the_export_say_it(api_for, client_for, staff, redacted):
    from io import BytesIO

    from openpyxl import load_workbook

    got = api_for(staff).get(reverse("api:ingest-fact-list") + "?uncertain=true").json()
    (row,) = got["results"] if isinstance(got, dict) else got
    assert row["redacted_near"] is True and row["uncertain"] is True
    r = client_for(staff).get(reverse("ingest:fact-queue") + "?export=xlsx")
    rows = list(load_workbook(BytesIO(b"".join(r.streaming_content))).active.values)
    assert rows[1][rows[0].index("读自存疑处")] == "附近有隐去的内容"


# ----------------------------------------------------------------------------- bulk accepts, audited row by row


@pytest.mark.django_db
def test_a_bulk_accept_audits_each_fact_as_one_accept_does_and_keeps_the_chain(staff):
    from kechuang.core.auditchain import chain_verify
    from kechuang.ingest.models import Event

    one, many = FactFactory(subject="订单"), FactFactory.create_batch(3, subject="订单")
    services.fact_accept(actor=staff, fact=one)
    done = services.fact_accept_many(actor=staff, facts=many, reason="批量")
    assert [f.pk for f in done.accepted] == sorted(f.pk for f in many)

    def trail(fact):
        return [
            (e.action, sorted(e.before or {}), sorted(e.after or {}), e.actor_id)
            for e in AuditEvent.objects.for_object(fact).order_by("seq")
        ]

    assert all(trail(f) == trail(one) for f in many)
    for fact in many:
        fact.refresh_from_db()
        assert (fact.status, fact.record_status, fact.reviewed_by_id) == ("accepted", "recorded", staff.pk)
        assert fact.record_ref == f"ingest.event:{Event.objects.get(fact=fact).pk}"
    assert AuditEvent.objects.filter(action="fact.accept", reason="批量").count() == 3
    assert chain_verify().ok
