"""A fact's place (the other region it is about) is corrected on the fact's page and through the API alike
(issue #15: a fact's subject links to the report's own region only when it is its): picked from the registered
regions, never typed free; "" is the report's own; the edit is audited; staff only, on a fact they may see."""

import pytest

from kechuang.core.models import AuditEvent
from kechuang.indicators.tests.factories import RegionFactory
from kechuang.ingest.models import Fact

from .factories import DocumentFactory, FactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def fact():
    RegionFactory(name="澄岭省", name_en="Chengling")
    RegionFactory(name="湄汀省", name_en="Meiting")
    document = DocumentFactory(region="澄岭省")
    return FactFactory(document=document, kind="count", value=146, unit="项", subject="带来成果")


def _edit(api, fact, **fields):
    return api.post(f"/api/ingest/facts/{fact.pk}/edit/", {"version": fact.version, **fields}, format="json")


def test_the_api_takes_a_registered_region_as_the_facts_place_and_audits_it(api_for, staff, fact):
    r = _edit(api_for(staff), fact, place="Meiting", reason="主语为湄汀省科技厅")
    assert r.status_code == 200, r.json()
    assert r.json()["place"] == "湄汀省" and r.json()["status"] == "edited"
    fact.refresh_from_db()
    assert fact.place == "湄汀省" and fact.other_place == "湄汀省"
    event = AuditEvent.objects.filter(action="fact.update", object_id=str(fact.pk)).get()
    assert event.before["place"] == "" and event.after["place"] == "湄汀省"


def test_the_reports_own_region_picked_is_the_reports_own(api_for, staff, fact):
    Fact.objects.filter(pk=fact.pk).update(place="湄汀省")
    fact.refresh_from_db()
    r = _edit(api_for(staff), fact, place="澄岭省")
    assert r.status_code == 200 and r.json()["place"] == ""
    fact.refresh_from_db()
    assert fact.place == "" and fact.other_place == ""


def test_the_api_refuses_a_region_the_registry_does_not_hold_and_changes_nothing(api_for, staff, fact):
    r = _edit(api_for(staff), fact, place="火星省", subject="别的")
    assert r.status_code == 400
    assert "place" in r.json()["error"]["fields"]
    fact.refresh_from_db()
    assert fact.place == "" and fact.subject == "带来成果" and fact.status == "proposed"
    assert not AuditEvent.objects.filter(action="fact.update").exists()


@pytest.mark.parametrize("role", ["applicant", "expert", "commissioner", "operator", None])
def test_the_api_refuses_a_place_edit_to_other_roles(request, api_for, role, fact):
    api = api_for(request.getfixturevalue(role) if role else None)
    assert _edit(api, fact, place="湄汀省").status_code in (401, 403)
    fact.refresh_from_db()
    assert fact.place == ""


def test_the_api_answers_404_for_a_fact_it_does_not_know(api_for, staff, fact):
    r = api_for(staff).post(
        "/api/ingest/facts/999999/edit/", {"version": 1, "place": "湄汀省"}, format="json"
    )
    assert r.status_code == 404


def test_the_page_offers_the_registered_regions_and_saves_the_picked_one(client_for, staff, fact):
    c = client_for(staff)
    page = c.get(fact.get_absolute_url()).content.decode()
    assert '<select name="place"' in page and '<option value="湄汀省">' in page
    r = c.post(
        fact.get_absolute_url(),
        {
            "subject": "带来成果",
            "predicate": "",
            "value": "146",
            "unit": "项",
            "qualifier": "",
            "period": "2025",
            "place": "湄汀省",
            "version": fact.version,
        },
    )
    assert r.status_code == 302
    fact.refresh_from_db()
    assert fact.place == "湄汀省" and fact.status == "edited"
    assert "属于湄汀省" in c.get(fact.get_absolute_url()).content.decode()
    # a name not offered is refused with the form, nothing saved
    r = c.post(
        fact.get_absolute_url(),
        {"subject": "带来成果", "value": "146", "unit": "项", "place": "火星省", "version": fact.version},
    )
    assert r.status_code == 400
    fact.refresh_from_db()
    assert fact.place == "湄汀省"


def test_a_place_the_extraction_gave_stays_choosable_when_the_fact_is_edited(client_for, staff, fact):
    Fact.objects.filter(pk=fact.pk).update(place="岱沄省、翡岭省")
    fact.refresh_from_db()
    page = client_for(staff).get(fact.get_absolute_url()).content.decode()
    assert '<option value="岱沄省、翡岭省" selected>' in page


def test_the_other_place_is_named_in_the_readers_language(client_for, english_client_for, staff, fact):
    """On English pages the other region reads by its English name (it read "Belongs to 湄汀省"), on the fact's
    page and in the document's list of facts; a place of several each, a redacted province in words, a place the
    regions list does not hold (a city) as the report wrote it (people34)."""
    Fact.objects.filter(pk=fact.pk).update(place="湄汀省")
    for url in (fact.get_absolute_url(), fact.document.get_absolute_url()):
        en = english_client_for(staff).get(url).content.decode()
        assert "Belongs to Meiting;" in en and "Belongs to 湄汀省" not in en
        assert "属于湄汀省，" in client_for(staff).get(url).content.decode()
    from django.utils import translation

    from kechuang.ingest.selectors import places_shown

    with translation.override("en"):
        shown = places_shown(["湄汀省、澄岭省", "〔隐去〕省", "嶓江市", ""])
    assert shown == {
        "湄汀省、澄岭省": "Meiting, Chengling",
        "〔隐去〕省": "another province, its name redacted",
        "嶓江市": "嶓江市",
    }
