from decimal import Decimal

import pytest

from kechuang.core.exceptions import ApplicationError, Conflict, InvalidTransition, PermissionDenied
from kechuang.core.models import AuditEvent
from kechuang.ingest import services
from kechuang.ingest.models import Change, Document, Event, Fact, Mention

from .factories import FactFactory
from .golden import SAMPLE

pytestmark = pytest.mark.django_db


def actions(obj):
    return list(AuditEvent.objects.for_object(obj).values_list("action", flat=True))


@pytest.fixture
def sample_doc(staff):
    document, created = services.document_ingest(
        actor=staff, data=SAMPLE.read_bytes(), filename=SAMPLE.name, region="甘肃", year=2023
    )
    assert created
    return document


def test_ingest_keeps_bytes_and_stores_changes_facts_mentions(sample_doc):
    d = Document.objects.get(pk=sample_doc.pk)
    assert bytes(d.original) == SAMPLE.read_bytes()
    assert d.encoding == "utf-8" and d.format == "txt"
    assert d.title == "强科技行动总结"
    assert d.repaired_text.startswith("强科技行动总结\n省科技厅")
    assert d.changes.count() == sum(d.stats["changes"].values()) > 600
    assert d.facts.count() == 30
    assert d.facts.filter(kind="money", value=Decimal(420_000_000)).exists()
    assert d.mentions.filter(kind="place", text="天水").exists()
    assert actions(d) == ["document.ingest"]


def test_reingesting_the_same_bytes_creates_nothing(sample_doc, staff):
    counts = (Document.objects.count(), Change.objects.count(), Fact.objects.count(), Mention.objects.count())
    again, created = services.document_ingest(actor=staff, data=SAMPLE.read_bytes(), filename="renamed.txt")
    assert not created and again.pk == sample_doc.pk
    assert (
        Document.objects.count(),
        Change.objects.count(),
        Fact.objects.count(),
        Mention.objects.count(),
    ) == counts


@pytest.mark.parametrize("role", ["applicant", "expert", "commissioner", "operator"])
def test_only_staff_ingest(request, role):
    user = request.getfixturevalue(role)
    with pytest.raises(PermissionDenied):
        services.document_ingest(actor=user, data=b"abc", filename="a.txt")
    assert Document.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "name", "code"), [(b"", "a.txt", "empty_document"), (b"x" * 10, "a.xls", "unsupported_document")]
)
def test_bad_files_are_refused_and_nothing_is_written(staff, data, name, code):
    with pytest.raises(ApplicationError) as exc:
        services.document_ingest(actor=staff, data=data, filename=name)
    assert exc.value.code == code
    assert Document.objects.count() == 0 and AuditEvent.objects.filter(action="document.ingest").count() == 0


def test_oversized_file_is_refused(staff, settings):
    settings.KECHUANG_MAX_UPLOAD_BYTES = 10
    with pytest.raises(ApplicationError, match="过大"):
        services.document_ingest(actor=staff, data=b"x" * 11, filename="a.txt")


def test_accepting_an_event_fact_records_an_event_with_provenance(sample_doc, staff):
    fact = sample_doc.facts.get(kind="count", unit="台")  # 7台装置订单: no app keeps order counts
    fact = services.fact_accept(actor=staff, fact=fact)
    assert fact.status == "accepted" and fact.reviewed_by == staff
    assert fact.record_status == "recorded" and fact.record_kind == "event"
    event = Event.objects.get(fact=fact)
    assert event.value == 7 and event.subject == "装置订单"
    assert event.provenance == {
        "document": sample_doc.pk,
        "start": fact.start,
        "end": fact.end,
        "quote": fact.quote,
    }
    assert actions(fact) == ["fact.record", "fact.accept"]


def test_accepting_a_platform_count_waits_for_the_platforms_service(sample_doc, staff):
    fact = sample_doc.facts.get(kind="count", value=11)  # 11家企业创新联合体
    assert services.record_target(fact) == "achievement"
    fact = services.fact_accept(actor=staff, fact=fact)
    try:
        from kechuang.platforms.services import achievement_count_record  # noqa: F401
    except ImportError:
        assert fact.record_status == "pending"
        assert "achievement_count_record" in fact.record_note
    else:
        assert fact.record_status == "recorded"
    assert not Event.objects.filter(fact=fact).exists()


def test_accepting_an_indicator_fact_records_a_value(sample_doc, staff):
    from kechuang.indicators import services as indicator_services
    from kechuang.indicators.models import Value

    indicator_services.region_ensure(actor=staff, code="620000", name="甘肃")
    indicator_services.indicator_create(
        actor=staff, code="LOCAL_SUPPLY", name_zh="新能源电池材料本地供给率", unit="%"
    )
    fact = sample_doc.facts.get(kind="percent")
    assert services.record_target(fact) == "indicator"
    fact = services.fact_accept(actor=staff, fact=fact)
    assert fact.record_status == "recorded", fact.record_note
    value = Value.objects.get(indicator__code="LOCAL_SUPPLY", year=2023)
    assert value.value == 77 and value.source == "report"
    assert value.provenance["document"] == sample_doc.pk and "77%" in value.provenance["quote"]


def test_indicator_fact_without_region_stays_pending(staff):
    from kechuang.indicators import services as indicator_services

    indicator_services.indicator_create(actor=staff, code="LOCAL_SUPPLY", name_zh="本地供给率", unit="%")
    fact = FactFactory(kind="percent", subject="本地供给率", value=77, unit="%")
    fact = services.fact_accept(actor=staff, fact=fact)
    assert fact.status == "accepted" and fact.record_status == "pending"
    assert "地区" in fact.record_note


def test_a_fact_of_another_province_is_never_recorded_against_the_reports_region(staff):
    """Issue #15 item 4: a fact whose place is another province (岱沄省…带来成果) is an event saying that
    province, not an indicator value of the report's own region; the report's own province named is its own."""
    from kechuang.indicators import services as indicator_services
    from kechuang.indicators.models import Value

    indicator_services.region_ensure(actor=staff, code="990000", name="瑀泽省")
    indicator_services.indicator_create(actor=staff, code="LOCAL_SUPPLY", name_zh="本地供给率", unit="%")
    fact = FactFactory(kind="percent", subject="本地供给率", value=77, unit="%", place="岱沄省")
    fact.document.region = "瑀泽省"
    fact.document.save(update_fields=["region"])
    assert fact.other_place == "岱沄省" and services.record_target(fact) == "event"
    fact = services.fact_accept(actor=staff, fact=fact)
    assert fact.record_status == "recorded" and fact.record_kind == "event"
    assert Event.objects.get(fact=fact).subject == "岱沄省：本地供给率"
    assert not Value.objects.filter(indicator__code="LOCAL_SUPPLY").exists()
    own = FactFactory(
        document=fact.document, kind="percent", subject="本地供给率", value=78, unit="%", place="瑀泽省"
    )
    assert own.other_place == "" and services.record_target(own) == "indicator"


def test_edit_is_optimistically_locked_and_audited(staff, make_user):
    fact = FactFactory()
    other = make_user("staff")
    services.fact_edit(actor=other, fact=fact, expected_version=1, subject="国家重点实验室（含省部共建）")
    with pytest.raises(Conflict):
        services.fact_edit(
            actor=staff, fact=Fact.objects.get(pk=fact.pk), expected_version=1, value=Decimal(13)
        )
    fact.refresh_from_db()
    assert fact.subject == "国家重点实验室（含省部共建）" and fact.value == 12 and fact.status == "edited"
    assert "fact.update" in actions(fact) and "fact.edit" in actions(fact)


def test_edit_refuses_unknown_fields(staff):
    with pytest.raises(ApplicationError):
        services.fact_edit(actor=staff, fact=FactFactory(), expected_version=1, status="accepted")


def test_reject_and_reopen_need_staff_and_reopen_needs_a_reason(staff, applicant):
    fact = FactFactory()
    with pytest.raises(PermissionDenied):
        services.fact_reject(actor=applicant, fact=fact)
    fact = services.fact_reject(actor=staff, fact=fact, reason="误读")
    assert fact.status == "rejected"
    with pytest.raises(InvalidTransition, match="理由"):
        services.fact_reopen(actor=staff, fact=fact, reason="")
    fact = services.fact_reopen(actor=staff, fact=fact, reason="再看看")
    assert fact.status == "proposed"
    assert actions(fact) == ["fact.reopen", "fact.reject"]


def test_a_rejected_fact_cannot_be_accepted(staff):
    with pytest.raises(InvalidTransition):
        services.fact_accept(actor=staff, fact=FactFactory(rejected=True))


def test_document_finish_waits_for_every_fact(staff):
    fact = FactFactory()
    with pytest.raises(InvalidTransition, match="待审核"):
        services.document_finish(actor=staff, document=fact.document)
    services.fact_reject(actor=staff, fact=fact)
    services.document_finish(actor=staff, document=fact.document)
    fact.document.refresh_from_db()
    assert fact.document.status == "reviewed"
    assert "document.finish" in actions(fact.document)


def test_reverting_a_change_repairs_again_without_it(sample_doc, staff):
    change = sample_doc.changes.get(step="redactions", orig_start=27)
    accepted = services.fact_accept(actor=staff, fact=sample_doc.facts.get(kind="count", unit="台"))
    document = services.change_revert(actor=staff, change=change, reason="保留原样")
    assert "习近平总书记对**重要讲话" in document.repaired_text
    assert document.changes.filter(reverted=True, step="redactions", orig_start=27).count() == 1
    assert not document.changes.filter(reverted=False, step="redactions", orig_start=27).exists()
    assert Fact.objects.get(pk=accepted.pk).status == "accepted"  # decided facts are kept
    assert document.facts.count() == 30
    assert actions(document)[0] == "change.revert"
    with pytest.raises(ApplicationError):
        services.change_revert(actor=staff, change=document.changes.get(reverted=True), reason="")


def test_document_update_redates_proposed_facts(sample_doc, staff):
    services.document_update(actor=staff, document=sample_doc, title="乙省报告", year=2024, region="甘肃")
    assert set(sample_doc.facts.exclude(kind="target").values_list("period", flat=True)) == {"2024"}
    assert "document.update" in actions(sample_doc)


def test_accepting_a_target_sets_the_indicator_target(sample_doc, staff):
    from kechuang.indicators import services as indicator_services
    from kechuang.indicators.models import Target

    indicator_services.region_ensure(actor=staff, code="620000", name="甘肃")
    indicator_services.indicator_create(actor=staff, code="TECH_PROGRESS", name_zh="科技进步贡献率", unit="%")
    fact = sample_doc.facts.get(kind="target", subject="科技进步贡献率")
    fact = services.fact_accept(actor=staff, fact=fact)
    assert fact.record_status == "recorded", fact.record_note
    target = Target.objects.get(indicator__code="TECH_PROGRESS")
    assert (target.year, target.value, target.comparator) == (2025, 65, ">=")


def test_mentions_link_to_registry_names_by_fuzzy_match():
    from kechuang.ingest.parsers.entities import find_mentions

    registry = {"platform": [(7, "强流重离子加速器装置", []), (8, "钍基熔盐实验堆", [])]}
    found = {m.text: m for m in find_mentions("建成重离子加速器、钍基熔盐堆、12个国家重点实验室。", registry)}
    assert found["重离子加速器"].target_id == 7
    assert found["钍基熔盐堆"].target_id is None and found["钍基熔盐堆"].target_name == "钍基熔盐实验堆"
    assert "国家重点实验室" not in found  # a category, not a platform


def test_the_api_says_a_facts_place(staff, api_for):
    """A fact of another province carries its `place` on the API too ("" for the report's own region)."""
    other = FactFactory(kind="count", subject="成果", value=146, unit="项", place="岱沄省")
    own = FactFactory(document=other.document, kind="count", subject="成果", value=12, unit="项")
    rows = {f["id"]: f for f in api_for(staff).get("/api/ingest/facts/").json()["results"]}
    assert rows[other.pk]["place"] == "岱沄省" and rows[own.pk]["place"] == ""
