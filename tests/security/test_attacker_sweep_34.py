"""The attacker's sweep of session 34 (security33; docs/security.md §44): mass assignment through the API's
request bodies, and a field set when a row was made sent again with another value."""

import pytest
from rest_framework import serializers

from kechuang.core.roles import Role

from .test_api_serializers_bounded import _request_serializers

# Fields a client never writes: the workflow's state (only a transition moves it, checked and audited), who made a
# row and when, a stored file's digest and quarantine, what a decision recorded.
PROTECTED = {
    "status",
    "state",
    "created_by",
    "uploaded_by",
    "registered_by",
    "decided_by",
    "owner",
    "created_at",
    "updated_at",
    "sha256",
    "quarantine",
    "return_reason",
    "accepted_on",
    "awarded_at",
}


# Input that names such a field but writes none: a document's digest to verify it against the register.
NOT_STORED = {("rest_framework.serializers.DocumentDigest", "sha256")}


def _writable(ser, path=""):
    for name, field in ser.fields.items():
        if getattr(field, "read_only", False):
            continue
        here = f"{path}.{name}" if path else name
        yield name, here
        child = getattr(field, "child", None)
        if isinstance(field, serializers.Serializer):
            yield from _writable(field, here)
        elif isinstance(child, serializers.Serializer):
            yield from _writable(child, f"{here}[]")


def test_no_request_body_of_the_api_writes_a_protected_field():
    """Every write operation's request serializer (drf-spectacular's walk of the API's URLs), nested ones too:
    none takes a status, an owner, a timestamp or a decision's record as input (mass assignment)."""
    found = []
    for name, ser, where in _request_serializers():
        if not isinstance(ser, serializers.Serializer):
            continue
        found += [
            f"{where} {name}: {path}"
            for field, path in _writable(ser)
            if field in PROTECTED and (name, field) not in NOT_STORED
        ]
    assert not found


@pytest.mark.django_db
def test_a_yearly_reports_platform_and_year_are_said_unchangeable(api_for, staff, make_user):
    """PATCH with another platform or year was answered 200 with the field dropped without a word (the report
    stayed where it was): now a 400 naming the field, nothing written; the report's own values sent back pass."""
    from kechuang.platforms import services
    from kechuang.platforms.models import YearlyReport
    from kechuang.platforms.tests.factories import PlatformFactory

    p, other = PlatformFactory(), PlatformFactory()
    op = make_user(Role.OPERATOR)
    services.operator_assign(actor=staff, platform=p, user=op)
    services.operator_assign(actor=staff, platform=other, user=op)
    api = api_for(op)
    r = api.post("/api/platforms/reports/", {"platform": p.pk, "year": 2023, "staff": 62}, format="json")
    assert r.status_code == 201, r.content
    rid = r.json()["id"]
    for change in ({"platform": other.pk}, {"year": 2022}):
        bad = api.patch(
            f"/api/platforms/reports/{rid}/", {"staff": 70, "version": 1, **change}, format="json"
        )
        assert bad.status_code == 400, bad.content
        assert set(bad.json()["error"]["fields"]) == set(change)
    report = YearlyReport.objects.get(pk=rid)
    assert (report.platform_id, report.year, report.staff) == (p.pk, 2023, 62)
    same = api.patch(
        f"/api/platforms/reports/{rid}/",
        {"staff": 70, "version": 1, "platform": p.pk, "year": 2023},
        format="json",
    )
    assert same.status_code == 200, same.content
    assert YearlyReport.objects.get(pk=rid).staff == 70
