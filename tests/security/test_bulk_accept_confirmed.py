"""The fact queue's bulk accept asks for a ticked confirmation (docs/security.md §34).

An accepted fact is recorded at once in the app that owns it (an indicator's value, an achievement, an event:
`ingest.services.fact_record`), and a recorded fact cannot be sent back to the queue (`fact_reopen` refuses:
该事实已入库，不能退回). The queue's 采纳本页全部 (session 25) accepted every fact of the page — up to 50 — with one
press and nothing asked, beside 采纳所选. As every step the site cannot undo, it now asks for a tick (the page's
box, `required`), and a post without it changes nothing and says why."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from kechuang.ingest.models import Fact
from kechuang.ingest.tests.factories import FactFactory

pytestmark = pytest.mark.django_db


def test_bulk_accept_without_the_tick_accepts_nothing_and_says_why(client_for, staff):
    facts = [FactFactory(), FactFactory()]
    client = client_for(staff)
    r = client.post(reverse("ingest:fact-accept-many"), {"all": "1", "page_fact": [f.pk for f in facts]})
    assert r.status_code == 302
    said = [str(m) for m in get_messages(r.wsgi_request)]
    assert any("不能退回" in m for m in said), said
    assert not Fact.objects.exclude(status=Fact.Status.PROPOSED).exists()
    r = client.post(reverse("ingest:fact-accept-many"), {"fact": [facts[0].pk]})
    assert not Fact.objects.exclude(status=Fact.Status.PROPOSED).exists()


def test_bulk_accept_with_the_tick_accepts(client_for, staff):
    facts = [FactFactory(), FactFactory()]
    r = client_for(staff).post(
        reverse("ingest:fact-accept-many"), {"all": "1", "page_fact": [f.pk for f in facts], "confirm": "1"}
    )
    assert r.status_code == 302
    assert Fact.objects.filter(status=Fact.Status.ACCEPTED).count() == 2


def test_the_queue_asks_for_the_tick_beside_the_bulk_buttons(client_for, staff):
    FactFactory()
    page = client_for(staff).get(reverse("ingest:fact-queue")).content.decode()
    form = page[page.index('id="bulk"') : page.index("</form>", page.index('id="bulk"'))]
    assert 'name="confirm" value="1" required' in form
