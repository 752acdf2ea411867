"""A challenge's optional English name (title_en): given on the draft's form, on the challenge page at any
status (a rendering, not a change of the published terms), through the API; English pages show it and fall back
to the Chinese title; Chinese pages always show the Chinese; the list's Excel export carries it beside the
Chinese title (usable9)."""

import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from kechuang.challenges.models import Challenge
from kechuang.core.models import AuditEvent

from .factories import ChallengeFactory

pytestmark = pytest.mark.django_db


def test_the_title_follows_the_language_and_falls_back_to_the_chinese():
    named = ChallengeFactory(code="JB-2026-101", title="碳化硅衬底", title_en="SiC substrates")
    bare = ChallengeFactory(code="JB-2026-102", title="胶原蛋白")
    assert (str(named), bare.local_title) == ("JB-2026-101 碳化硅衬底", "胶原蛋白")
    with translation.override("en"):
        assert (str(named), bare.local_title) == ("JB-2026-101 SiC substrates", "胶原蛋白")


def test_english_pages_show_the_english_title_in_the_list_and_the_heading(client, english):
    ch = ChallengeFactory(title="碳化硅衬底", title_en="SiC substrates", status="published")
    zh = client.get(reverse("challenges:challenge-list")).content.decode()
    assert ">碳化硅衬底</a>" in zh and "SiC substrates" not in zh
    en = english(client).get(reverse("challenges:challenge-list")).content.decode()
    assert ">SiC substrates</a>" in en and ">碳化硅衬底</a>" not in en
    page = client.get(ch.get_absolute_url()).content.decode()
    assert "<h1>SiC substrates " in page and "<title>SiC substrates" in page
    assert "<dt>Chinese name</dt><dd>碳化硅衬底</dd>" in page


def test_staff_give_the_english_name_on_the_draft_form_and_at_any_status(client_for, staff):
    from kechuang.challenges.forms import ChallengeForm

    assert "title_en" in ChallengeForm.base_fields
    ch = ChallengeFactory(title="碳化硅衬底", status="published")
    c = client_for(staff)
    page = c.get(ch.get_absolute_url()).content.decode()
    assert 'name="title_en"' in page and reverse("challenges:challenge-name-en", args=[ch.pk]) in page
    r = c.post(reverse("challenges:challenge-name-en", args=[ch.pk]), {"title_en": " SiC substrates "})
    assert r.status_code == 302
    ch.refresh_from_db()
    assert ch.title_en == "SiC substrates" and ch.status == "published"
    event = AuditEvent.objects.get(action="challenge.name_translate")
    assert (event.before, event.after) == ({"title_en": ""}, {"title_en": "SiC substrates"})
    # refused (too long): the page again, the name as typed and why, nothing saved
    typed = "x" * 301
    r = c.post(reverse("challenges:challenge-name-en", args=[ch.pk]), {"title_en": typed})
    assert r.status_code == 400 and f'value="{typed}"' in r.content.decode()
    assert Challenge.objects.get(pk=ch.pk).title_en == "SiC substrates"


def test_others_may_not_name_it(client_for, applicant):
    ch = ChallengeFactory(status="published")
    r = client_for(applicant).post(reverse("challenges:challenge-name-en", args=[ch.pk]), {"title_en": "x"})
    assert r.status_code == 403 and Challenge.objects.get(pk=ch.pk).title_en == ""


def test_the_api_reads_the_english_name_and_the_export_carries_it(api_for, staff, client):
    ch = ChallengeFactory(title="碳化硅衬底", title_en="SiC substrates", status="published", year=2026)
    r = api_for(staff).get(f"/api/challenges/{ch.pk}/")
    assert r.status_code == 200 and r.json()["title_en"] == "SiC substrates"
    x = client.get(reverse("challenges:export-list-xlsx") + "?year=2026")
    rows = list(load_workbook(io.BytesIO(x.content)).active.iter_rows(values_only=True))
    head = list(rows[0])
    assert (
        rows[1][head.index("榜单名称")] == "碳化硅衬底"
        and rows[1][head.index("英文名称")] == "SiC substrates"
    )
