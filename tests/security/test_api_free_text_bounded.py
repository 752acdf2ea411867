"""The API's free text (a reason, a note, comments) is bounded as the page's form field is, not only by the
5 MB body (docs/security.md §36, people17; §35 capped the bulk accept's reason first).

Each of these went into a row and the append-only audit trail as sent: one call could store megabytes. Now a
text longer than its bound is refused with a 400 that names the field (the words a serializer's field uses),
and nothing is changed or audited; a text at the bound is taken. The bound is the web form's `max_length`
where it has one (300 for a review's reasons, 500 for a fact's, 300 for a score's note), else
`core.api.REASON_MAX` (2,000, the programmes' reason fields), `TEXT_MAX` (20,000) for a report or comments."""

import pytest
from django.urls import reverse

from kechuang.core.api import REASON_MAX, TEXT_MAX, free_text
from kechuang.core.models import AuditEvent

pytestmark = pytest.mark.django_db

LONG = "理" * (REASON_MAX + 1)


def _refused(r, field):
    assert r.status_code == 400, r.content
    assert field in r.json()["error"]["fields"], r.json()


def test_free_text_takes_a_string_up_to_its_bound_and_names_the_field_otherwise():
    from rest_framework.exceptions import ValidationError

    assert free_text({"reason": "理" * 10}, "reason", 10) == "理" * 10
    assert free_text({"reason": " 留空格 "}, "reason") == " 留空格 "  # as sent, as before
    assert free_text({}, "reason") == "" and free_text({"reason": None}, "reason") == ""
    assert free_text({"reason": 12}, "reason") == "12"
    for bad in ("理" * 11, {"x": 1}, ["x"]):
        with pytest.raises(ValidationError) as exc:
            free_text({"reason": bad}, "reason", 10)
        assert "reason" in exc.value.detail
    assert free_text(["not a mapping"], "reason") == ""


def test_challenges_a_cancel_reason(api_for, staff):
    from kechuang.challenges.tests.factories import ChallengeFactory

    ch = ChallengeFactory(status="published")
    url = reverse("api:challenges-challenge-transition", args=[ch.pk])
    _refused(
        api_for(staff).post(url, {"action": "cancel", "reason": LONG, "confirm": True}, format="json"),
        "reason",
    )
    ch.refresh_from_db()
    assert (
        ch.status == "published" and not AuditEvent.objects.filter(action__startswith="challenge.").exists()
    )


def test_challenges_serializers():
    from kechuang.challenges.api.dedup import DecideSerializer
    from kechuang.challenges.api.lifecycle import ContractEditSerializer
    from kechuang.challenges.api.performance import PerformanceWriteSerializer

    for ser in (
        DecideSerializer(data={"action": "dismiss", "note": LONG}),
        ContractEditSerializer(data={"version": 1, "reason": LONG}),
        PerformanceWriteSerializer(data={"action": "save", "reason": LONG}),
    ):
        assert not ser.is_valid()
        assert set(ser.errors) & {"note", "reason"}, ser.errors


def test_platforms_a_transition_and_a_reports_reason(api_for, staff):
    from kechuang.platforms.tests.factories import PlatformFactory, YearlyReportFactory

    p = PlatformFactory()
    api = api_for(staff)
    on = "2025-06-30"
    url = reverse("api:platforms-transition", args=[p.pk])
    _refused(
        api.post(url, {"action": "retire", "on": on, "reason": LONG, "confirm": True}, format="json"),
        "reason",
    )
    report = YearlyReportFactory(platform=p, status="submitted")
    url = reverse("api:platforms-report-transition", args=[report.pk])
    _refused(api.post(url, {"action": "return", "reason": LONG}, format="json"), "reason")
    p.refresh_from_db()
    report.refresh_from_db()
    assert p.status != "retired" and report.status == "submitted"
    assert not AuditEvent.objects.filter(action__contains="transition").exists()
    # at the bound: taken
    r = api.post(url, {"action": "return", "reason": "理" * REASON_MAX}, format="json")
    assert r.status_code == 200, r.content
    report.refresh_from_db()
    assert report.return_reason == "理" * REASON_MAX


def test_integrity_a_records_reason(api_for, staff):
    from kechuang.integrity.tests.factories import RecordFactory

    record = RecordFactory()
    url = reverse("api:integrity-record-transition", args=[record.pk])
    _refused(api_for(staff).post(url, {"action": "appeal", "reason": LONG}, format="json"), "reason")


def test_evaluation_a_campaigns_reason_and_a_scores_note(api_for, staff):
    from kechuang.evaluation.api import ScoreInSerializer
    from kechuang.evaluation.tests.factories import CampaignFactory

    c = CampaignFactory()
    url = reverse("api:evaluation-action", args=[c.pk])
    _refused(
        api_for(staff).post(url, {"action": "publish", "reason": LONG, "confirm": True}, format="json"),
        "reason",
    )
    ser = ScoreInSerializer(data={"entry": 1, "node": "A", "value": "1", "note": "理" * 301})
    assert not ser.is_valid() and "note" in ser.errors


def test_ingest_a_facts_reason(api_for, staff):
    from kechuang.ingest.models import Fact
    from kechuang.ingest.tests.factories import FactFactory

    fact = FactFactory()
    url = reverse("api:ingest-fact-action", args=[fact.pk, "reject"])
    _refused(api_for(staff).post(url, {"reason": "理" * 501}, format="json"), "reason")
    fact.refresh_from_db()
    assert fact.status == Fact.Status.PROPOSED


def test_techmap_a_coverages_end_reason(api_for, staff):
    from kechuang.platforms.tests.factories import PlatformFactory
    from kechuang.techmap.tests.factories import CoverageFactory

    cov = CoverageFactory(target=PlatformFactory())
    url = reverse("api:techmap-coverage-detail", args=[cov.pk])
    r = api_for(staff).patch(url, {"until": "2024-12-31", "reason": LONG}, format="json")
    _refused(r, "reason")
    cov.refresh_from_db()
    assert cov.until is None


def test_funds_programmes_review_and_platform_serializers():
    from kechuang.funds import api as funds
    from kechuang.platforms.api.reorganisation import ReorganisationSerializer
    from kechuang.programmes import api as programmes
    from kechuang.review.api import ReviewSaveSerializer

    cases = [
        (funds.PaymentActionIn, {"action": "approve", "reason": LONG}),
        (funds.SpendingIn, {"year": 2025, "quarter": 1, "lines": {"equipment": "1"}, "note": LONG}),
        (funds.AdjustmentIn, {"source": "equipment", "target": "materials", "amount": "1", "reason": LONG}),
        (funds.DecideIn, {"approve": True, "note": LONG}),
        (funds.FinalAccountIn, {"handling": "return", "note": LONG}),
        (funds.FinalActionIn, {"action": "submit", "reason": LONG}),
        (programmes.FormalIn, {"action": "fail", "reason": LONG}),
        (programmes.AwardIn, {"action": "reject", "reason": LONG, "confirm": True}),
        (programmes.ShortlistIn, {"action": "exclude", "reason": LONG, "confirm": True}),
        (programmes.ShortlistBatchIn, {"shortlisted": [], "reason": LONG, "confirm": True}),
        (programmes.InvitationIn, {"action": "decline", "reason": LONG, "confirm": True}),
        (ReviewSaveSerializer, {"version": 1, "comments": "理" * (TEXT_MAX + 1)}),
        (ReorganisationSerializer, {"kind": "retire", "date": "2024-01-01", "sources": [], "note": LONG}),
    ]
    for cls, data in cases:
        ser = cls(data=data)
        assert not ser.is_valid(), cls
        assert set(ser.errors) & {"note", "reason", "comments"}, (cls, ser.errors)
