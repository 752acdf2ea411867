"""What a newcomer walking the demo saw on an English call page (session 12, helper walker)."""

import re
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.utils import translation

from kechuang.programmes import definitions, permissions, services, transfer


@pytest.fixture(autouse=True)
def _chinese_after():
    yield
    translation.activate(settings.LANGUAGE_CODE)


def test_why_a_stage_is_not_filled_names_the_stage_in_the_readers_language():
    call = SimpleNamespace(
        status="running", stage={"form": "f", "role": "expert", "name": "答辩", "name_en": "Defence"}
    )
    with translation.override("en"):
        assert "“Defence”" in permissions.why_not_fill(None, call)
    assert "“答辩”" in permissions.why_not_fill(None, call)


@pytest.mark.django_db
def test_the_english_stage_list_has_no_chinese_comma(client, staff, english):
    version = transfer.import_programme(actor=staff, raw=definitions.read("provincial_rd.json"))
    call = services.call_open(actor=staff, version=version, title="2027", year=2027)
    client.force_login(staff)
    english(client)
    page = client.get(call.get_absolute_url()).content.decode()
    stages = re.search(r'<ol class="stages">.*?</ol>', page, re.S).group(0)
    assert "days" in stages and "，" not in stages


def test_a_stage_deadline_reads_as_every_page_writes_dates():
    import datetime

    from kechuang.programmes.workflow import date_words

    with translation.override("en"):
        assert date_words(datetime.date(2026, 12, 15)) == "15 Dec 2026"
    assert date_words(datetime.date(2026, 12, 15)) == "2026年12月15日"
