"""The API's bulk accept writes its reason into every fact's audit event: bounded (docs/security.md §35).

`POST /api/ingest/facts/accept/` takes up to 500 ids and a reason, and the reason goes into the `fact.accept`
event of each fact accepted (`core.audit.audit_record_many`: one event a fact, each hashed into the chain). The
reason had no bound but the request body's (5 MB, Django's DATA_UPLOAD_MAX_MEMORY_SIZE): one staff call — or
one staff token's — could write 500 copies of it into the trail, gigabytes. Now it is at most 500 characters: longer is refused (400, the field's words) and nothing is
accepted."""

import pytest
from django.urls import reverse

from kechuang.core.models import AuditEvent
from kechuang.ingest.models import Fact
from kechuang.ingest.tests.factories import FactFactory

pytestmark = pytest.mark.django_db


def test_a_bulk_accepts_reason_longer_than_500_is_refused_and_nothing_accepted(api_for, staff):
    facts = [FactFactory(), FactFactory()]
    api = api_for(staff)
    url = reverse("api:ingest-fact-accept-many")
    r = api.post(url, {"ids": [f.pk for f in facts], "reason": "理" * 501}, format="json")
    assert r.status_code == 400, r.content
    assert "reason" in r.json()["error"]["fields"]
    assert not Fact.objects.exclude(status=Fact.Status.PROPOSED).exists()
    assert not AuditEvent.objects.filter(action="fact.accept").exists()

    r = api.post(url, {"ids": [f.pk for f in facts], "reason": "理" * 500}, format="json")
    assert r.status_code == 200, r.content
    events = AuditEvent.objects.filter(action="fact.accept")
    assert events.count() == 2 and {e.reason for e in events} == {"理" * 500}
