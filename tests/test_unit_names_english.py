"""A unit is named in the reader's language wherever a person sees it (usable15, docs/adr/0018): on English
pages its English name where one is recorded, else its Chinese (registered) name; Chinese pages as before.
`str(unit)` is `Unit.local_name`, so pages, pickers, form choices and the audit trail's names follow it; the
API gives both names; the award list's Excel (an official record) keeps the Chinese name with the English
beside it in both languages' files; the official PDFs stay Chinese (documents' own tests)."""

import io
import json

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from kechuang.accounts.tests.factories import UnitFactory
from kechuang.challenges.tests.factories import ApplicationFactory, ContractFactory, NeedFactory
from kechuang.core.messages import Message, encode, render_in
from kechuang.platforms import services as platform_services
from kechuang.platforms.tests.factories import PlatformFactory

pytestmark = pytest.mark.django_db

ZH, EN = "山西晶芯半导体有限公司", "Shanxi Jingxin Semiconductor Co., Ltd."


def _unit(**kw):
    return UnitFactory(name=ZH, name_en=EN, **kw)


def test_the_units_name_in_the_readers_language_and_its_fallback():
    unit, bare = _unit(), UnitFactory(name="无英文名称研究院", name_en="  ")
    with translation.override("zh-hans"):
        assert (str(unit), str(bare)) == (ZH, "无英文名称研究院")
    with translation.override("en"):
        assert (str(unit), str(bare)) == (EN, "无英文名称研究院")  # no English name: the Chinese
    # words stored now (a notification's title) and read later in either language
    stored = encode(Message("单位注册已通过核验：%(unit)s", unit=unit.both_names))
    assert render_in(stored, "zh-hans").endswith(ZH) and render_in(stored, "en").endswith(EN)
    assert render_in(encode(Message("%(unit)s", unit=bare.both_names)), "en") == "无英文名称研究院"


def test_challenge_page_and_contract_page(client_for, staff, english):
    contract = ContractFactory(application__unit=_unit())
    ch = contract.challenge
    pages = {
        "challenge": ch.get_absolute_url(),
        "contract": contract.get_absolute_url(),
    }
    for what, url in pages.items():
        reader = client_for(staff)
        zh = reader.get(url).content.decode()
        assert ZH in zh and EN not in zh, what
        en = english(reader).get(url).content.decode()
        assert EN in en, what
        assert ZH not in en, what


def test_the_award_lists_excel_keeps_the_chinese_with_the_english_beside_it(client, english):
    contract = ContractFactory(application__unit=_unit())
    year = f"?year={contract.challenge.year}"

    def rows(c):
        x = c.get(reverse("challenges:export-awards-xlsx") + year)
        return list(load_workbook(io.BytesIO(x.content)).active.iter_rows(values_only=True))

    zh = rows(client)
    assert zh[0][4:6] == ("揭榜单位", "揭榜单位英文名称") and zh[1][4:6] == (ZH, EN)
    en = rows(english(client))
    assert en[0][1] == "Challenge title (Chinese, official)" and en[0][2] == "English name"
    assert en[0][4:6] == ("Applicant unit (Chinese, official)", "Applicant unit's English name")
    assert en[1][4:6] == (ZH, EN)
    # the print page in the reader's language
    printed = client.get(reverse("challenges:export-awards-print") + year).content.decode()
    assert f"<td>{EN}</td>" in printed and ZH not in printed


def test_a_need_list_and_its_excel_in_the_readers_language(client_for, staff, english):
    NeedFactory(unit=_unit())
    c = client_for(staff)
    assert ZH in c.get(reverse("challenges:need-list")).content.decode()
    assert EN in english(c).get(reverse("challenges:need-list")).content.decode()
    x = c.get(reverse("challenges:need-list") + "?export=xlsx")
    book = load_workbook(io.BytesIO(b"".join(x.streaming_content)))
    cells = [v for row in book.active.iter_rows(values_only=True) for v in row]
    assert EN in cells and ZH not in cells


def test_platform_page_and_its_audit_trail(client_for, staff, english):
    platform = PlatformFactory(host=_unit(), consortium=True)
    member = UnitFactory(name="太原理工大学", name_en="Taiyuan University of Technology")
    platform_services.membership_add(actor=staff, platform=platform, unit=member, joined=platform.established)
    c = client_for(staff)
    zh = c.get(platform.get_absolute_url()).content.decode()
    assert ZH in zh and "太原理工大学" in zh and EN not in zh
    en = english(c).get(platform.get_absolute_url()).content.decode()
    assert EN in en and "Taiyuan University of Technology" in en
    trail = en[en.index('<section class="audit"') :]
    assert "Taiyuan University of Technology" in trail and "太原理工大学" not in trail


def test_a_unit_picker_and_the_unit_page(client_for, staff, english_client_for):
    unit = _unit()
    c = english_client_for(staff)
    found = json.loads(c.get(reverse("web:pick-units") + "?q=晶芯").content)["results"]
    assert found and found[0]["text"].startswith(EN)
    page = c.get(unit.get_absolute_url()).content.decode()
    assert f"<h1>{EN} " in page and ZH in page  # the registered Chinese name among its details
    zh = client_for(staff).get(unit.get_absolute_url()).content.decode()
    assert f"<h1>{ZH} " in zh and EN not in zh.split("<h1>", 1)[1].split("</dl>", 1)[0]


def test_a_review_expert_list_shows_the_experts_unit(client_for, staff, english):
    from kechuang.review.tests.factories import ExpertProfileFactory

    ExpertProfileFactory(user__unit=_unit())
    c = client_for(staff)
    assert ZH in c.get(reverse("review:expert-list")).content.decode()
    assert EN in english(c).get(reverse("review:expert-list")).content.decode()


def test_the_api_gives_both_names(api_for, staff):
    app = ApplicationFactory(unit=_unit())
    partner = UnitFactory(name="合作研究所", name_en="Partner Institute")
    app.partners.create(seq=1, unit=partner, role="participant", budget=0)
    api = api_for(staff)
    unit = api.get(f"/api/units/{app.unit_id}/").json()
    assert (unit["name"], unit["name_en"]) == (ZH, EN)
    body = api.get(f"/api/challenges/applications/{app.pk}/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["partners"][0]["unit_name"] == "合作研究所"
    assert body["partners"][0]["unit_name_en"] == "Partner Institute"
