"""An accepted fact's page says where it was recorded in words, in the reader's language: the kind of record
by its label and the record by its name (linked to its page), never the stored key ("ingest.event:1") or the
code of its kind ("event") — on the page and in its audit trail."""

import re

import pytest
from django.utils import translation

from kechuang.ingest import services

from .golden import SAMPLE

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(staff):
    return services.document_ingest(
        actor=staff, data=SAMPLE.read_bytes(), filename=SAMPLE.name, region="甘肃", year=2023
    )[0]


def _page(client_for, staff, fact, lang):
    c = client_for(staff)
    c.cookies["django_language"] = lang
    return c.get(fact.get_absolute_url()).content.decode()


def test_an_event_record_is_named_not_keyed(client_for, staff, document):
    fact = services.fact_accept(actor=staff, fact=document.facts.get(kind="count", unit="台"))
    assert fact.record_ref.startswith("ingest.event:")
    for lang, words in (("zh-hans", "事件记录"), ("en", "Event record")):
        page = _page(client_for, staff, fact, lang)
        assert fact.record_ref not in page, lang
        assert ">event<" not in page and " event " not in page, lang
        assert words in page and "装置订单" in page, lang


def test_an_indicator_record_links_to_its_indicator(client_for, staff, document):
    from kechuang.indicators import services as indicator_services

    indicator_services.region_ensure(actor=staff, code="620000", name="甘肃")
    indicator = indicator_services.indicator_create(
        actor=staff, code="LOCAL_SUPPLY", name_zh="新能源电池材料本地供给率", unit="%"
    )
    fact = services.fact_accept(actor=staff, fact=document.facts.get(kind="percent"))
    assert fact.record_ref.startswith("indicators.value:")
    page = _page(client_for, staff, fact, "zh-hans")
    assert fact.record_ref not in page and "LOCAL_SUPPLY 620000" not in page
    assert f'href="{indicator.get_absolute_url()}"' in page
    assert "新能源电池材料本地供给率 · 甘肃 · 2023 年" in page


def test_a_fact_not_yet_recorded_says_so_in_english(client_for, staff, document):
    page = _page(client_for, staff, document.facts.first(), "en")
    assert "Not stored yet" in page and "Store</dt>" not in page


def test_the_audit_trail_names_the_record(staff, document):
    from kechuang.core.display import audit_lines
    from kechuang.core.models import AuditEvent

    fact = services.fact_accept(actor=staff, fact=document.facts.get(kind="count", unit="台"))
    with translation.override("en"):
        lines = audit_lines(AuditEvent.objects.for_object(fact))
        shown = [(c.label, c.new) for line in lines for c in line.changes]
    assert ("Stored as", "Event record") in shown
    assert not any("ingest.event" in new for _label, new in shown)
    assert any("装置订单" in new for _label, new in shown)


def test_stored_amounts_and_file_sizes_read_as_numbers(client_for, staff, document):
    """The base-unit amount under 4.2 亿元 is a number as the reader groups it (420,000,000 yuan in English, not
    420000000.0000 or 420000000), and the file's size is a size (7.1 KB, not 7292 字节)."""
    fact = document.facts.get(kind="money", value=420_000_000)
    c = client_for(staff)
    for lang, amount in (("zh-hans", "存储值 420000000 元"), ("en", "Stored as 420,000,000 yuan")):
        c.cookies["django_language"] = lang
        for url in (fact.get_absolute_url(), document.get_absolute_url()):
            assert amount in c.get(url).content.decode(), (lang, url)
        page = c.get(document.get_absolute_url()).content.decode()
        # the page's words, not its markup: a link or form may carry an id holding the same digits (CI3 of
        # session 30 on PostgreSQL: /changes/27292/revert/)
        words = re.sub(r"<[^>]+>", " ", page)
        assert not re.search(r"(?<!\d)7292(?!\d)", words) and "7.1\xa0KB" in page, lang
