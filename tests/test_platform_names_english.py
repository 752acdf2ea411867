"""A platform is named in the reader's language wherever a person sees it (people17, docs/adr/0019, as a unit
is by docs/adr/0018): on English pages its English name where one is recorded, else its Chinese (approved)
name; Chinese pages as before. `str(platform)` is `Platform.local_name`, so pages, pickers, list exports and
the audit trail's names follow it; the platform list's Excel (the import format) gives both names in both
languages' files; the API gives both."""

import datetime
import io
import json

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from kechuang.accounts.tests.factories import UnitFactory
from kechuang.core.audit import audit_record
from kechuang.core.messages import Message, encode, render_in
from kechuang.platforms import services
from kechuang.platforms.models import Reorganisation
from kechuang.platforms.tests.factories import MembershipFactory, PlatformFactory, YearlyReportFactory

pytestmark = pytest.mark.django_db

ZH, EN = "山西省碳基新材料重点实验室", "Shanxi Key Laboratory of Carbon-based Materials"


def _platform(**kw):
    return PlatformFactory(name=ZH, name_en=EN, **kw)


def test_the_platforms_name_in_the_readers_language_and_its_fallback():
    p, bare = _platform(), PlatformFactory(name="无英文名称中心", name_en="  ")
    with translation.override("zh-hans"):
        assert (str(p), str(bare)) == (ZH, "无英文名称中心")
    with translation.override("en"):
        assert (str(p), str(bare)) == (EN, "无英文名称中心")  # no English name: the Chinese
    stored = encode(Message("年度报告待审核：%(p)s", p=p.both_names))
    assert render_in(stored, "zh-hans").endswith(ZH) and render_in(stored, "en").endswith(EN)


def test_the_platform_page_and_the_list_in_each_language(client_for, staff, english):
    p = _platform()
    c = client_for(staff)
    zh = c.get(p.get_absolute_url()).content.decode()
    assert f"<h1>{ZH} " in zh and f"<dd>{EN}</dd>" in zh  # the English name among its details
    en = english(c).get(p.get_absolute_url()).content.decode()
    assert f"<h1>{EN} " in en and f'<dd lang="zh-Hans">{ZH}</dd>' in en  # the approved Chinese name too
    assert f">{EN}</a>" in c.get(reverse("platforms:list")).content.decode()
    assert f">{ZH}</a>" in client_for(staff).get(reverse("platforms:list")).content.decode()


def test_a_platform_picker_finds_it_by_either_name_and_labels_it_in_the_readers_language(
    client_for, staff, english_client_for
):
    _platform()
    c = english_client_for(staff)
    for q in ("碳基", "Carbon-based"):
        found = json.loads(c.get(reverse("web:pick-platforms") + f"?q={q}").content)["results"]
        assert found and found[0]["text"].startswith(EN), q
    found = json.loads(client_for(staff).get(reverse("web:pick-platforms") + "?q=碳基").content)["results"]
    assert found[0]["text"].startswith(ZH)


def test_the_excel_files(client_for, staff, english_client_for):
    p = _platform()
    Reorganisation.objects.create(kind="retire", date=datetime.date(2024, 1, 1)).sources.add(p)

    def sheet(c, url):
        body = c.get(url)
        data = b"".join(body.streaming_content) if body.streaming else body.content
        return list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))

    listed = reverse("platforms:list") + "?export=xlsx"
    # the import format: both names in either file, under headings in the reader's language (people24)
    for c, headings in (
        (client_for(staff), ("名称", "英文名称")),
        (english_client_for(staff), ("Name", "English name")),
    ):
        rows = sheet(c, listed)
        assert (rows[0][1], rows[0][3]) == headings
        assert rows[1][1] == ZH and rows[1][3] == EN
    reorganised = reverse("platforms:reorganisations") + "?export=xlsx"
    assert ZH in sheet(client_for(staff), reorganised)[1]
    assert EN in sheet(english_client_for(staff), reorganised)[1]
    # The yearly reports' list export: the sheet, its headers and its platforms in the reader's language.
    YearlyReportFactory(platform=p, year=2024)
    YearlyReportFactory(platform=PlatformFactory(name="无英文名称中心", name_en=""), year=2024)
    reports = reverse("platforms:reports") + "?export=xlsx"

    def book(c):
        return load_workbook(io.BytesIO(c.get(reports).content)).active

    zh, en = book(client_for(staff)), book(english_client_for(staff))
    assert (zh.title, en.title) == ("年度报告", "Yearly report")
    zh_rows, en_rows = list(zh.iter_rows(values_only=True)), list(en.iter_rows(values_only=True))
    assert zh_rows[0][:4] == ("平台编号", "平台", "年度", "状态")
    assert en_rows[0][:4] == ("Platform code", "Platform", "Year", "Status")
    assert en_rows[0][-1] == "Instrument hours shared openly"
    assert {r[1] for r in zh_rows[1:]} == {ZH, "无英文名称中心"}
    assert {r[1] for r in en_rows[1:]} == {EN, "无英文名称中心"}  # no English name: the approved Chinese


def _trail(events, language):
    from kechuang.core.display import audit_lines

    with translation.override(language):
        return [line.object for line in audit_lines(events)]


def test_the_trail_names_a_platform_and_its_rows_by_their_current_names_in_the_readers_language(staff):
    from kechuang.core.models import AuditEvent

    p = PlatformFactory(name=ZH)  # no English name yet
    report = YearlyReportFactory(platform=p, year=2024)
    with translation.override("zh-hans"):
        audit_record(actor=staff, action="platform.update", obj=p, after={"city": "x"})
        audit_record(actor=staff, action="report.update", obj=report, after={"staff": 3})
    p.name_en = EN
    p.save(update_fields=["name_en"])
    events = list(AuditEvent.objects.filter(action__in=["platform.update", "report.update"]).order_by("pk"))
    assert [e.object_repr for e in events] == [ZH, f"{ZH} 2024"]  # as written, never rewritten
    assert _trail(events, "en") == [EN, f"{EN} 2024"]
    assert _trail(events, "zh-hans") == [ZH, f"{ZH} 2024"]


def test_the_audit_log_page_names_a_platform_and_a_payloads_platform_as_the_reader_reads_it(
    client_for, staff, english_client_for
):
    p = _platform()
    m = MembershipFactory(platform=p, unit=UnitFactory(name="太原理工大学"))
    with translation.override("zh-hans"):
        services.membership_end(actor=staff, membership=m, left=datetime.date(2024, 1, 31))
        audit_record(actor=staff, action="platform.update", obj=p, after={"city": "x"})
    url = reverse("core:audit-log")
    en = english_client_for(staff).get(url).content.decode()
    zh = client_for(staff).get(url).content.decode()
    assert EN in en and ZH not in en
    assert ZH in zh and EN not in zh


def test_the_api_gives_both_names(api_for, staff):
    p = _platform()
    report = YearlyReportFactory(platform=p, year=2024)
    api = api_for(staff)
    body = api.get(f"/api/platforms/{p.pk}/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert (body["name"], body["name_en"]) == (ZH, EN)
    body = api.get(f"/api/platforms/reports/{report.pk}/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert (body["platform_name"], body["platform_name_en"]) == (ZH, EN)
