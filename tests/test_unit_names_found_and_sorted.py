"""A unit is found by any name a page shows it by, and lists of units sort by the name the reader reads
(usable16, continuing docs/adr/0018): every unit picker and every list search that finds units by name finds
them by their Chinese, short or English name (`accounts.selectors.units_named`, the units' bigram index); lists
ordered by a unit's name order by its English name (else the Chinese) for English readers and by the Chinese
name for Chinese readers, in the database, so pages follow one another without repeats or gaps."""

import json
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from kechuang.accounts import selectors as unit_selectors
from kechuang.accounts.models import Unit
from kechuang.accounts.tests.factories import UnitFactory
from kechuang.challenges.tests.factories import ApplicationFactory, ContractFactory
from kechuang.core.language import name_order
from kechuang.core.roles import Role

pytestmark = pytest.mark.django_db

ZH, EN, SHORT = "山西晶芯半导体有限公司", "Shanxi Jingxin Semiconductor Co., Ltd.", "晶芯半导体"


def _unit(**kw):
    return UnitFactory(name=ZH, name_en=EN, short_name=SHORT, **kw)


def _picked(c, name, q, **params):
    extra = "".join(f"&{k}={v}" for k, v in params.items())
    return [r["text"] for r in json.loads(c.get(f"{reverse(name)}?q={q}{extra}").content)["results"]]


def test_units_named_finds_a_unit_by_each_of_its_names_in_any_letter_case():
    unit, other = _unit(), UnitFactory(name="太原理工大学", name_en="Taiyuan University of Technology")
    for q in (ZH, "晶芯", SHORT, "jingxin", "SEMICONDUCTOR", "Jingxin Semi", "co., ltd"):
        assert list(unit_selectors.units_named(q)) == [unit], q
    assert list(unit_selectors.units_named("Taiyuan")) == [other]
    assert not unit_selectors.units_named("Tsinghua").exists()
    # a new English name is found at once, the old one no more (the index follows a save of that field)
    unit.name_en = "Jingxin Microelectronics"
    unit.save(update_fields=["name_en"])
    assert list(unit_selectors.units_named("microelectronics")) == [unit]
    assert not unit_selectors.units_named("semiconductor").exists()


def test_the_unit_picker_finds_by_the_english_name_in_either_language_and_names_the_unit_so(
    client_for, staff, english_client_for
):
    _unit()
    UnitFactory(name="山西晶体材料研究所", name_en="Shanxi Crystal Materials Institute")
    c, e = client_for(staff), english_client_for(staff)
    assert _picked(c, "web:pick-units", "jingxin")[0].startswith(ZH)  # a Chinese reader types the English
    found = _picked(e, "web:pick-units", "jingxin")
    assert len(found) == 1 and found[0].startswith(EN)
    assert _picked(c, "web:pick-units", SHORT)[0].startswith(ZH)
    # the closest match first, by whichever name matched: a name equal to the text, then one starting with it
    # (the shorter first), then one holding it
    assert _picked(c, "web:pick-units", "crystal materials") == [
        "山西晶体材料研究所 · 企业 · 太原市"
    ]  # the Chinese reader finds it by its English name, named in Chinese
    shanxi = _picked(e, "web:pick-units", "shanxi")
    assert [t.split(" · ")[0] for t in shanxi] == ["Shanxi Crystal Materials Institute", EN]
    # both names hold 晶, but 晶芯半导体 (a short name) starts with it
    assert [t.split(" · ")[0] for t in _picked(e, "web:pick-units", "晶")] == [
        EN,
        "Shanxi Crystal Materials Institute",
    ]


def test_people_experts_and_projects_pickers_find_by_the_units_english_name(
    staff, make_user, english_client_for
):
    from kechuang.review.tests.factories import ExpertProfileFactory

    unit = _unit()
    person = make_user(Role.APPLICANT, unit=unit, full_name="李晶")
    ExpertProfileFactory(user__unit=unit, user__full_name="赵专家")
    contract = ContractFactory(running=True, application__unit=unit, title="碳化硅衬底攻关")
    c = english_client_for(staff)
    assert any(t.startswith(str(person)) for t in _picked(c, "web:pick-users", "jingxin"))
    assert any("赵专家" in t for t in _picked(c, "web:pick-experts", "jingxin"))
    assert [t.split(" · ")[0] for t in _picked(c, "web:pick-projects", "jingxin")] == [contract.title]
    from django.contrib.contenttypes.models import ContentType

    kind = ContentType.objects.get_for_model(contract).pk
    assert [t.split(" · ")[0] for t in _picked(c, "web:pick-objects", "jingxin", kind=kind)] == [
        contract.title
    ]
    assert _picked(c, "web:pick-users", "nowhere-at-all") == []


def test_the_registration_pages_parent_search_finds_and_names_in_the_readers_language(client, english):
    _unit()
    assert _picked(client, "accounts:register-units", "jingxin") == [f"{ZH} · 企业 · 太原市"]
    assert _picked(english(Client()), "accounts:register-units", "jingxin") == [
        f"{EN} · Enterprise · Taiyuan"
    ]


def test_list_searches_find_units_by_their_english_name(staff, make_user, english_client_for):
    from kechuang.integrity.tests.factories import RecordFactory
    from kechuang.platforms.tests.factories import PlatformFactory
    from kechuang.review.tests.factories import ExpertProfileFactory

    unit = _unit()
    UnitFactory(name="无关单位", name_en="Unrelated Works")
    make_user(Role.APPLICANT, unit=unit, full_name="李晶")
    ExpertProfileFactory(user__unit=unit, user__full_name="赵专家")
    RecordFactory(unit=unit)
    platform = PlatformFactory(host=unit, name="碳化硅材料中试平台")
    c = english_client_for(staff)
    pages = {
        "accounts:unit-list": EN,
        "accounts:user-list": "李晶",
        "review:expert-list": "赵专家",
        "integrity:record-list": EN,
        "platforms:list": platform.get_absolute_url(),
    }
    for name, shown in pages.items():
        found = c.get(reverse(name) + "?q=Jingxin").content.decode()
        missed = c.get(reverse(name) + "?q=Tsinghua").content.decode()
        assert shown in found and shown not in missed, name
    assert "Unrelated Works" not in c.get(reverse("accounts:unit-list") + "?q=jingxin").content.decode()


def test_the_public_result_search_finds_a_completing_unit_by_its_english_name(make_user, staff):
    from kechuang.registry import selectors, services
    from kechuang.registry.tests.test_registry import FORM, running_project

    applicant, unit, _contract, result = running_project(make_user)
    unit.name_en = "Shanxi Silicon Carbide Materials"
    unit.save(update_fields=["name_en"])
    reg = services.registration_create(
        actor=applicant, result=result, units=[unit], people=[applicant], **FORM
    )
    services.registration_transition(actor=applicant, registration=reg, action="submit")
    services.registration_transition(actor=staff, registration=reg, action="approve")
    assert list(selectors.registration_search(q="silicon carbide")) == [reg]
    assert list(selectors.registration_search(q="Tsinghua")) == []


# --- order --------------------------------------------------------------------------------------------------

# Chinese names in one order, English names in another; one unit without an English name.
NAMED = [
    ("丙化工", "Alpha Chemicals"),
    ("甲电子", "beta Electronics"),
    ("乙机械", "Gamma Machinery"),
    ("丁材料", ""),
]


def _rows(html):
    return re.findall(r'<a href="/accounts/units/\d+/">([^<]+)</a>', html)


def test_the_unit_list_sorts_by_the_name_the_reader_reads_and_pages_by_it(client_for, staff, english):
    for zh, en in NAMED:
        UnitFactory(name=zh, name_en=en)
    for i in range(52):  # past a page (50): English names in the reverse of their Chinese order
        UnitFactory(name=f"测试单位{i:03d}", name_en=f"Unit {99 - i:03d}")
    c = client_for(staff)
    zh_names = list(Unit.objects.filter(is_active=True).order_by("name").values_list("name", flat=True))
    zh = _rows(c.get(reverse("accounts:unit-list")).content.decode())
    zh += _rows(c.get(reverse("accounts:unit-list") + "?page=2").content.decode())
    assert zh == zh_names  # Chinese readers: the Chinese names in the database's order, as before
    with translation.override("en"):
        expected = [
            str(u) for u in Unit.objects.filter(is_active=True).order_by(*unit_selectors.unit_order())
        ]
    e = english(c)
    en = _rows(e.get(reverse("accounts:unit-list")).content.decode())
    en += _rows(e.get(reverse("accounts:unit-list") + "?page=2").content.decode())
    assert en == expected and len(en) == len(set(en)) == 57  # two pages: no repeat, no gap
    # English names A-Z whatever their letter case, then the Unit NNN ones, then those with only a Chinese name
    # (丁材料 and the staff member's unit) in the Chinese names' order
    assert en[:3] == ["Alpha Chemicals", "beta Electronics", "Gamma Machinery"]
    assert en[3:55] == [f"Unit {n:03d}" for n in range(48, 100)]
    assert en[55:] == [n for n in zh_names if n in ("丁材料", staff.unit.name)]


def test_name_order_is_the_chinese_field_for_chinese_readers_and_the_shown_name_for_english_ones():
    for zh, en in NAMED:
        UnitFactory(name=zh, name_en=en)
    in_zh = [u.name for u in Unit.objects.order_by(*name_order("name", "name_en", english=False))]
    assert in_zh == sorted(
        in_zh, key=lambda n: list(Unit.objects.order_by("name").values_list("name", flat=True)).index(n)
    )
    in_en = [u.name_en or u.name for u in Unit.objects.order_by(*name_order("name", "name_en", english=True))]
    assert in_en == ["Alpha Chemicals", "beta Electronics", "Gamma Machinery", "丁材料"]


def test_a_platforms_members_and_an_applications_ties_sort_by_the_unit_name_shown(staff):
    from kechuang.challenges import selectors as challenge_selectors
    from kechuang.platforms import selectors as platform_selectors
    from kechuang.platforms import services as platform_services
    from kechuang.platforms.tests.factories import PlatformFactory

    units = [UnitFactory(name=zh, name_en=en) for zh, en in NAMED]
    platform = PlatformFactory(consortium=True)
    for u in units:
        platform_services.membership_add(actor=staff, platform=platform, unit=u, joined=platform.established)
    first = ApplicationFactory(unit=units[0], submitted=True)
    for u in units[1:]:
        ApplicationFactory(unit=u, challenge=first.challenge, submitted=True)

    def members():
        return [m.unit.name for m in platform_selectors.memberships(platform=platform) if m.unit in units]

    def applications():
        return [
            a.unit.name for a in challenge_selectors.application_list(user=staff, challenge=first.challenge)
        ]

    with translation.override("zh-hans"):
        zh = sorted(
            (u.name for u in units), key=[*Unit.objects.order_by("name").values_list("name", flat=True)].index
        )
        assert members() == zh and applications() == zh
    with translation.override("en"):
        assert members() == ["丙化工", "甲电子", "乙机械", "丁材料"] == applications()


# --- partner units: both names ----------------------------------------------------------------------------


def test_a_joint_applications_partner_table_and_excel_give_each_unit_in_the_other_language_too(
    client_for, staff, english_client_for
):
    import io

    from openpyxl import load_workbook

    from kechuang.challenges.models import ApplicationPartner

    app = ApplicationFactory(unit=_unit())
    ApplicationPartner.objects.create(
        application=app,
        unit=UnitFactory(name="太原理工大学", name_en="Taiyuan University of Technology"),
        seq=1,
    )
    ApplicationPartner.objects.create(
        application=app, unit=UnitFactory(name="无英文名称研究院"), seq=2, role="support"
    )

    def table(c):
        html = c.get(app.get_absolute_url()).content.decode()
        section = html[html.index('<section id="partners">') :].split("</section>", 1)[0]
        heads = re.findall(r"<th[^>]*>([^<]*)</th>", section)
        return heads, [re.findall(r"<td[^>]*>([^<]*)</td>", r)[:2] for r in section.split("<tr>")[2:]]

    heads, rows = table(client_for(staff))
    assert heads[:2] == ["单位", "英文名称"]
    assert rows == [[ZH, EN], ["太原理工大学", "Taiyuan University of Technology"], ["无英文名称研究院", "—"]]
    heads, rows = table(english_client_for(staff))
    assert heads[:2] == ["Unit", "Registered name (Chinese)"]
    assert rows == [[EN, ZH], ["Taiyuan University of Technology", "太原理工大学"], ["无英文名称研究院", "—"]]

    def sheet(c):
        r = c.get(reverse("challenges:application-list") + "?export=xlsx")
        rows = list(
            load_workbook(io.BytesIO(b"".join(r.streaming_content))).active.iter_rows(values_only=True)
        )
        row = next(x for x in rows[1:] if x[2] == app.title)
        at = rows[0].index(
            next(h for h in rows[0] if h and ("合作单位（角色）" in h or "Partner units" in h))
        )
        return rows[0][at : at + 2], row[at : at + 2]

    assert sheet(client_for(staff)) == (
        ("合作单位（角色）", "合作单位英文名称"),
        ("太原理工大学（参与单位）、无英文名称研究院（协作单位）", "Taiyuan University of Technology、—"),
    )
    heads, cells = sheet(english_client_for(staff))
    assert heads[1] == "Partner units' registered names (Chinese)"
    assert cells == (
        "Taiyuan University of Technology (Participating unit), 无英文名称研究院 (Cooperating unit)",
        "太原理工大学, —",
    )


# --- the audit trail: a unit by its current name ------------------------------------------------------------


def _trail(events, language, **kw):
    from kechuang.core.display import audit_lines

    with translation.override(language):
        return [line.object for line in audit_lines(events, **kw)]


def test_the_trail_names_a_unit_and_its_application_by_their_current_names_in_the_readers_language(
    staff, django_assert_max_num_queries
):
    from kechuang.core.audit import audit_record
    from kechuang.core.models import AuditEvent

    unit = UnitFactory(name="甲研究院")  # no English name yet
    app = ApplicationFactory(unit=unit, title="碳化硅衬底")
    with translation.override("en"):  # written by an English reader before the English name was recorded
        audit_record(actor=staff, action="unit.update", obj=unit, after={"city": "x"})
        audit_record(actor=staff, action="application.update", obj=app, after={"plan": "x"})
    unit.name_en = "Institute A"
    unit.save(update_fields=["name_en"])
    with translation.override("zh-hans"):
        audit_record(actor=staff, action="unit.update", obj=unit, after={"city": "y"})
    unit.name = "甲研究院（更名）"  # renamed since: the current name, not the one written then
    unit.save(update_fields=["name"])
    events = list(AuditEvent.objects.filter(action__in=["unit.update", "application.update"]).order_by("pk"))
    stored = [e.object_repr for e in events]
    assert stored == ["甲研究院", "碳化硅衬底 (甲研究院)", "甲研究院"]  # the English writer's brackets
    assert _trail(events, "en") == ["Institute A", "碳化硅衬底 (Institute A)", "Institute A"]
    assert _trail(events, "zh-hans") == [
        "甲研究院（更名）",
        "碳化硅衬底（甲研究院（更名））",
        "甲研究院（更名）",
    ]
    with django_assert_max_num_queries(2):  # one query per kind of object (the application with its unit)
        _trail(events, "en")
    # the stored rows are as written (append-only); a deleted unit keeps the name as written
    assert [
        e.object_repr for e in AuditEvent.objects.filter(pk__in=[e.pk for e in events]).order_by("pk")
    ] == stored
    gone = UnitFactory(name="乙研究院", name_en="Institute B")
    with translation.override("en"):
        audit_record(actor=staff, action="unit.update", obj=gone, after={"city": "z"})
    event = AuditEvent.objects.get(object_id=str(gone.pk), action="unit.update")
    Unit.objects.filter(pk=gone.pk).delete()
    assert _trail([event], "zh-hans") == ["Institute B"]


def test_the_audit_log_page_names_a_unit_as_the_reader_reads_it(client_for, staff, english_client_for):
    from kechuang.core.audit import audit_record

    unit = UnitFactory(name="丙大学")
    with translation.override("zh-hans"):
        audit_record(actor=staff, action="unit.update", obj=unit, after={"city": "x"})
    unit.name_en = "University C"
    unit.save(update_fields=["name_en"])
    en = english_client_for(staff).get(reverse("core:audit-log") + "?action=unit.update").content.decode()
    zh = client_for(staff).get(reverse("core:audit-log") + "?action=unit.update").content.decode()
    assert "University C" in en and "丙大学" not in en
    assert "丙大学" in zh and "University C" not in zh


# --- found walking the English pages ---------------------------------------------------------------------


def test_an_imported_indicators_source_reads_in_the_readers_language_in_its_trail(staff):
    from kechuang.core.display import audit_lines
    from kechuang.core.models import AuditEvent
    from kechuang.indicators.models import Indicator
    from kechuang.indicators.services import catalogue

    with translation.override("zh-hans"):
        catalogue.indicator_create(actor=staff, code="X1", name_zh="研发强度", source="导入自 eis2023.csv.gz")
        catalogue.indicator_create(actor=staff, code="X2", name_zh="专利数", source="省统计局")
    events = list(AuditEvent.objects.filter(action="indicator.create").order_by("pk"))

    def sources(language):
        with translation.override(language):
            return [
                next(c.new for c in line.changes if c.label in ("数据来源", "Data source"))
                for line in audit_lines(events)
            ]

    assert sources("en") == ["Imported from eis2023.csv.gz", "省统计局"]  # a typed source as typed
    assert sources("zh-hans") == ["导入自 eis2023.csv.gz", "省统计局"]
    assert events[0].after["source"] == "导入自 eis2023.csv.gz"  # stored as written
    with translation.override("en"):
        assert Indicator.objects.get(code="X1").source_text == "Imported from eis2023.csv.gz"
