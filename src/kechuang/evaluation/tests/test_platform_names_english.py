"""An evaluation names its platforms in the reader's language (people19, docs/adr/0019): the campaign's lists and
results, an entry's page, the results' Excel, the expert's review of an entry (its title, made with both
names when the round is created) and the audit trail show the platform's English name on English pages where
one is recorded, else its approved Chinese name; Chinese pages exactly as before; the API gives the Chinese
name as `name` and both as `platform_name` / `platform_name_en`."""

import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from kechuang.core.messages import render_in
from kechuang.core.models import Notification
from kechuang.evaluation import services
from kechuang.platforms.tests.factories import PlatformFactory, YearlyReportFactory
from kechuang.review import services as review_services
from kechuang.review.models import Assignment, ExpertProfile, RoundSubject
from kechuang.review.tests.factories import ExpertProfileFactory

pytestmark = pytest.mark.django_db

ZH, EN = "山西省碳基新材料重点实验室", "Shanxi Key Laboratory of Carbon-based Materials"
BARE = "无英文名称中心"
CAMPAIGN_ZH, CAMPAIGN_EN = "2022年度省实验室评估", "2022 evaluation of provincial laboratories"


@pytest.fixture
def campaign(staff):
    c = services.campaign_create(actor=staff, name=CAMPAIGN_ZH, year=2022)
    services.campaign_translate(actor=staff, campaign=c, name_en=CAMPAIGN_EN)
    services.tree_add_default(actor=staff, campaign=c)
    named = PlatformFactory(name=ZH, name_en=EN, short_name="碳基实验室", kind="provincial_lab")
    bare = PlatformFactory(name=BARE, name_en="", kind="provincial_lab")
    for p, staff_count in ((named, 120), (bare, 20)):
        YearlyReportFactory(platform=p, year=2022, staff=staff_count, accepted=True)
    services.entries_set(actor=staff, campaign=c, platforms=[named, bare])
    c.refresh_from_db()
    return c


@pytest.fixture
def published(staff, campaign):
    for action in ("open",):
        services.campaign_transition(actor=staff, campaign=campaign, action=action)
    services.campaign_collect(actor=staff, campaign=campaign)
    services.campaign_compute(actor=staff, campaign=campaign)
    services.campaign_transition(actor=staff, campaign=campaign, action="publish", missing="grade")
    campaign.refresh_from_db()
    return campaign


def _cells(response) -> list[tuple]:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def test_an_entry_is_named_in_the_readers_language_the_api_and_payloads_keep_the_approved_name(campaign):
    named = campaign.entries.get(platform__name=ZH)
    with translation.override("zh-hans"):
        assert (named.subject_name, named.subject_short, str(named)) == (
            ZH,
            "碳基实验室",
            f"{ZH} · {CAMPAIGN_ZH}",
        )
    with translation.override("en"):
        assert (named.subject_name, named.subject_short, str(named)) == (EN, EN, f"{EN} · {CAMPAIGN_EN}")
        assert campaign.entries.get(platform__name=BARE).subject_name == BARE  # no English name: the Chinese
        assert named.subject_name_zh == ZH


def test_the_results_the_entry_page_and_the_export_in_each_language(
    client_for, english_client_for, published
):
    named = published.entries.get(platform__name=ZH)
    zh = client_for(None).get(published.get_absolute_url()).content.decode()
    assert f">{ZH}</a>" in zh and f">{BARE}</a>" in zh and EN not in zh
    en = english_client_for(None).get(published.get_absolute_url()).content.decode()
    assert f">{EN}</a>" in en and f">{BARE}</a>" in en and f">{ZH}</a>" not in en
    assert f"<h1>{EN}</h1>" in english_client_for(None).get(named.get_absolute_url()).content.decode()
    assert f"<h1>{ZH}</h1>" in client_for(None).get(named.get_absolute_url()).content.decode()

    zh_rows = _cells(client_for(None).get(published.get_absolute_url(), {"export": "xlsx"}))
    en_rows = _cells(english_client_for(None).get(published.get_absolute_url(), {"export": "xlsx"}))
    assert zh_rows[0][:3] == ("排名", "平台编号", "平台")
    assert en_rows[0][:3] == ("Rank", "Platform code", "Platform")
    assert {r[2] for r in zh_rows[1:]} == {ZH, BARE}
    assert {r[2] for r in en_rows[1:]} == {EN, BARE}


def test_the_api_names_an_entry_by_its_approved_name_in_either_language(api_for, english, staff, published):
    api = english(api_for(staff))
    rows = api.get("/api/evaluation/entries/").json()
    rows = rows.get("results", rows) if isinstance(rows, dict) else rows
    named = next(r for r in rows if r["platform_name"] == ZH)
    assert (named["name"], named["platform_name_en"]) == (ZH, EN)


def test_the_expert_reads_the_entry_under_review_in_their_language(
    staff, client_for, english_client_for, campaign
):
    services.campaign_transition(actor=staff, campaign=campaign, action="open")
    pool = ExpertProfile.objects.filter(pk__in=[ExpertProfileFactory().pk])
    rnd = services.campaign_review_start(actor=staff, campaign=campaign, k=1, experts=pool)
    subject = RoundSubject.objects.get(round=rnd, object_id=campaign.entries.get(platform__name=ZH).pk)
    assert (subject.title, subject.title_en) == (f"{ZH}（{CAMPAIGN_ZH}）", f"{EN} ({CAMPAIGN_EN})")
    bare = RoundSubject.objects.get(round=rnd, object_id=campaign.entries.get(platform__name=BARE).pk)
    assert bare.title_en == f"{BARE} ({CAMPAIGN_EN})"  # the campaign in English, the platform as approved
    assert subject.facts["title"] == subject.title and "title_en" not in subject.facts

    review_services.round_assign(actor=staff, round=rnd)
    review_services.round_transition(actor=staff, round=rnd, action="start")
    a = Assignment.objects.select_related("review", "expert").get(round=rnd, subject=subject)
    mine = reverse("review:my-assignments")
    assert f">{EN} ({CAMPAIGN_EN})</a>" in english_client_for(a.expert).get(mine).content.decode()
    assert f">{ZH}（{CAMPAIGN_ZH}）</a>" in client_for(a.expert).get(mine).content.decode()
    sheet = a.review.get_absolute_url()
    assert f"<h1>{EN} ({CAMPAIGN_EN})</h1>" in english_client_for(a.expert).get(sheet).content.decode()
    assert f"<h1>{ZH}（{CAMPAIGN_ZH}）</h1>" in client_for(a.expert).get(sheet).content.decode()
    round_page = english_client_for(staff).get(rnd.get_absolute_url()).content.decode()
    assert f"{EN} ({CAMPAIGN_EN})" in round_page and ZH not in round_page
    assert f"{ZH}（{CAMPAIGN_ZH}）" in client_for(staff).get(rnd.get_absolute_url()).content.decode()

    # Words stored now and read later: a notice naming the subject carries both titles.
    review_services.review_decline(actor=a.expert, review=a.review, reason="与该平台有合作")
    notice = Notification.objects.filter(kind="review.declined").latest("pk")
    assert render_in(notice.message["title"], "en").endswith(f"{EN} ({CAMPAIGN_EN})")
    assert render_in(notice.message["title"], "zh-hans").endswith(f"{ZH}（{CAMPAIGN_ZH}）")


def test_the_trail_names_an_entry_by_its_current_names_in_the_readers_language(staff, campaign):
    from kechuang.core.display import audit_lines
    from kechuang.core.models import AuditEvent

    named = campaign.entries.get(platform__name=ZH)
    services.campaign_transition(actor=staff, campaign=campaign, action="open")
    with translation.override("zh-hans"):
        services.score_set(
            actor=staff, entry=named, node=campaign.nodes.get(code="staff"), value=3, note="更正"
        )
    events = list(AuditEvent.objects.filter(action="score.set"))
    assert [e.object_repr for e in events] == [f"{ZH} · {CAMPAIGN_ZH}"]  # as written
    with translation.override("en"):
        assert [line.object for line in audit_lines(events)] == [f"{EN} · {CAMPAIGN_EN}"]
    with translation.override("zh-hans"):
        assert [line.object for line in audit_lines(events)] == [f"{ZH} · {CAMPAIGN_ZH}"]
    # the campaign's entries as the trail lists them (stored as ids)
    members = AuditEvent.objects.get(action="campaign.entries_set")
    with translation.override("en"):
        changes = str([(c.__dict__) for c in audit_lines([members])[0].changes])
        assert EN in changes and BARE in changes and ZH not in changes
    with translation.override("zh-hans"):
        changes = str([(c.__dict__) for c in audit_lines([members])[0].changes])
        assert ZH in changes and EN not in changes
