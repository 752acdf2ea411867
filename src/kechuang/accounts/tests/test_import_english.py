"""The unit import in English (people25, docs/adr/0019): the unit list's Excel (the import format), the import
page and the refusals name the columns in the reader's language; a file headed in English is read as one headed
in Chinese, by either reader; an export from either page imports back unchanged under either reader."""

import io

import openpyxl
import pytest
from django.utils import translation

from kechuang.accounts import importer
from kechuang.accounts.models import Unit
from kechuang.accounts.tests.factories import UnitFactory
from kechuang.core.exceptions import ApplicationError
from kechuang.core.models import AuditEvent

pytestmark = pytest.mark.django_db

ZH_HEADER = "单位名称,单位类型,省份,城市,上级单位\n"
EN_HEADER = "Unit name,Unit type,Province,City,Parent unit\n"
ROWS = (
    "新材料研究院,Research institute,山西,太原,",  # 2: fine
    ",科研院所,山西,太原,",  # 3: no name
    "无类型单位,工厂,山西,太原,",  # 4: unknown kind
    "某研究所,科研院所,火星,太原,",  # 5: unknown province
    "某中心,科研院所,山西,太原,不存在的上级",  # 6: unknown parent
    "新材料研究院,科研院所,山西,太原,",  # 7: repeats line 2
)


def _import(data: bytes, actor, language: str, filename="u.csv", dry_run=True):
    with translation.override(language):
        return importer.unit_import(actor=actor, data=data, filename=filename, dry_run=dry_run)


@pytest.mark.parametrize("header", [EN_HEADER, ZH_HEADER], ids=["english-headed", "chinese-headed"])
def test_either_file_is_refused_row_by_row_in_the_readers_language(staff, header):
    data = (header + "\n".join(ROWS) + "\n").encode()
    en = _import(data, staff, "en")
    assert [(e.line, e.field) for e in en.errors] == [
        (3, "Unit name"),
        (4, "Unit type"),
        (5, "Province"),
        (6, "Parent unit"),
        (7, "Unit name"),
    ]
    assert en.errors[0].message == "The unit name is empty."
    zh = _import(data, staff, "zh-hans")
    assert [(e.line, e.field) for e in zh.errors] == [
        (3, "单位名称"),
        (4, "单位类型"),
        (5, "省份"),
        (6, "上级单位"),
        (7, "单位名称"),
    ]
    assert zh.errors[0].message == "单位名称不能为空。"
    assert not Unit.objects.filter(name="新材料研究院").exists()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_an_english_headed_file_is_written_like_a_chinese_one(staff, language):
    data = (
        EN_HEADER + "新材料研究院,Research institute,Shanxi,Taiyuan,\n分院,科研院所,山西,太原,新材料研究院\n"
    ).encode()
    report = _import(data, staff, language, dry_run=False)
    assert report.committed and report.created == 2, report.errors
    child = Unit.objects.get(name="分院")
    assert child.parent.name == "新材料研究院" and child.kind == "institute"
    assert Unit.objects.get(name="新材料研究院").province == child.province != ""


def test_a_missing_column_is_named_in_the_readers_words(staff):
    data = "Unit name,Province\n某公司,山西\n".encode()
    with pytest.raises(ApplicationError) as en:
        _import(data, staff, "en")
    assert "Unit type" in str(en.value.message) and "单位类型" not in str(en.value.message)
    with pytest.raises(ApplicationError) as zh:
        _import(data, staff, "zh-hans")
    assert "单位类型" in str(zh.value.message)


def test_the_english_export_is_headed_in_english_and_imports_back_unchanged(staff, english_client_for):
    gov = UnitFactory(name="出口测试局", kind="government", credit_code="")
    UnitFactory(name="出口测试公司", endorser=gov, address="太原市某路1号")
    data = b"".join(english_client_for(staff).get("/accounts/units/?export=xlsx").streaming_content)
    rows = list(openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    assert list(rows[0]) == importer.export_headers(english=True)
    assert rows[0][:3] == ("Unit name", "Unit type", "Unified social credit code")
    assert rows[0][-3:] == ("Contact e-mail", "Verification status", "Division code")
    assert not any("\u4e00" <= ch <= "\u9fff" for h in rows[0] for ch in h)
    events = AuditEvent.objects.count()
    for language in ("en", "zh-hans"):
        report = _import(data, staff, language, filename="u.xlsx", dry_run=False)
        assert report.committed and report.created == 0 and not report.errors, report.errors
    assert AuditEvent.objects.count() == events  # nothing changed


def test_the_import_page_lists_the_columns_in_the_readers_language(staff, english_client_for, client_for):
    page = english_client_for(staff).get("/accounts/units/import/").content.decode()
    assert "Columns: Unit name, Unit type, Unified social credit code" in page
    assert "单位名称" not in page
    assert (
        "单位名称、单位类型、统一社会信用代码"
        in client_for(staff).get("/accounts/units/import/").content.decode()
    )


@pytest.mark.parametrize("in_english", [True, False], ids=["english-page", "chinese-page"])
def test_the_page_offers_the_template_headed_in_the_readers_language_and_it_imports_back(
    staff, english_client_for, client_for, in_english
):
    from kechuang.core.tests.workbooks import filled, template_of

    client = english_client_for(staff) if in_english else client_for(staff)
    assert "?template=xlsx" in client.get("/accounts/units/import/").content.decode()
    header, book = template_of(client, "/accounts/units/import/?template=xlsx")
    assert header == list(importer.headings(english=in_english).values())
    assert header[:2] == (["Unit name", "Unit type"] if in_english else ["单位名称", "单位类型"])
    row = dict.fromkeys(header, None)
    row[header[0]] = "模板研究院"
    row[header[1]] = "Research institute" if in_english else "科研院所"
    data = filled(book, list(row.values()))
    for language in ("en", "zh-hans"):
        report = _import(data, staff, language, filename="u.xlsx")
        assert report.ok and report.created == 1, report.errors
