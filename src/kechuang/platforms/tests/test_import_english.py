"""The platform import in English (people24, docs/adr/0019): the list's Excel (the import template), the import
page and the refusals name the columns in the reader's language; a file headed in English is read as one
headed in Chinese, by either reader; the cells mean the same in both (the approved Chinese name, the host by
its registered name, kinds and statuses as a label in either language)."""

import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from kechuang.accounts.tests.factories import UnitFactory
from kechuang.core.exceptions import ApplicationError
from kechuang.core.tests.workbooks import template_of
from kechuang.platforms import importer
from kechuang.platforms.models import Platform
from kechuang.platforms.tests.factories import PlatformFactory

pytestmark = pytest.mark.django_db

EN_HEADER = "Code,Name,Type,Host unit,Date established,Status,Disciplines,Industries served,City\n"
ZH_HEADER = "编号,名称,类型,依托单位,成立日期,状态,学科领域,服务产业,城市\n"
BAD_ROWS = (
    "P1,量子光学省实验室,Provincial laboratory,山西大学,2021-01-18,Running,物理学,量子信息,太原",  # 2: fine
    "P2,,省实验室,山西大学,2021-01-18,,,,",  # 3: no name
    "P3,某平台,研究所,山西大学,2021-01-18,,,,",  # 4: unknown kind
    "P4,某平台,省重点实验室,不存在大学,2021-13-01,,,,",  # 5: unknown host and bad date
    "P1,重复,省重点实验室,山西大学,2021-01-01,,,,",  # 6: duplicate code
)
CJK = re.compile(r"[\u4e00-\u9fff]")


def _csv(header: str, *rows) -> bytes:
    return (header + "\n".join(rows) + "\n").encode("utf-8")


def _import(data: bytes, actor, language: str, filename="p.csv", dry_run=True):
    with translation.override(language):
        return importer.platform_import(actor=actor, data=data, filename=filename, dry_run=dry_run)


@pytest.mark.parametrize("header", [EN_HEADER, ZH_HEADER], ids=["english-headed", "chinese-headed"])
def test_either_file_is_refused_row_by_row_in_the_readers_language(staff, header):
    UnitFactory(name="山西大学")
    data = _csv(header, *BAD_ROWS)
    en = _import(data, staff, "en")
    assert [(e.line, e.field) for e in en.errors] == [
        (3, "Name"),
        (4, "Type"),
        (5, "Host unit"),
        (5, "Date established"),
        (6, "Code"),
    ]
    assert [e.message for e in en.errors] == [
        "The name cannot be empty.",
        "Unknown platform type: 研究所",
        "Host unit not found: 不存在大学",
        "Dates must be in the format YYYY-MM-DD: 2021-13-01",
        "The code duplicates line 2.",
    ]
    zh = _import(data, staff, "zh-hans")
    assert [(e.line, e.field) for e in zh.errors] == [
        (3, "名称"),
        (4, "类型"),
        (5, "依托单位"),
        (5, "成立日期"),
        (6, "编号"),
    ]
    assert zh.errors[0].message == "名称不能为空。"
    assert Platform.objects.count() == 0


def test_an_english_headed_file_is_written_like_a_chinese_one(staff):
    UnitFactory(name="山西大学")
    row = "P1,量子光学省实验室,Provincial laboratory,山西大学,2021-01-18,Under construction,物理学,量子信息,太原"
    report = _import(_csv(EN_HEADER, row), staff, "zh-hans", dry_run=False)
    assert report.committed and report.created == 1
    p = Platform.objects.get(code="P1")
    assert (p.name, p.kind, p.status, p.established) == (
        "量子光学省实验室",
        "provincial_lab",
        "building",
        datetime.date(2021, 1, 18),
    )


def test_a_missing_column_is_named_in_the_readers_language(staff):
    data = _csv("Code,Name,Type,Host unit\n", "P1,某平台,省实验室,山西大学")
    with pytest.raises(ApplicationError) as en:
        _import(data, staff, "en")
    assert str(en.value.message) == "Required columns are missing: Date established"
    with pytest.raises(ApplicationError) as zh:
        _import(data, staff, "zh-hans")
    assert str(zh.value.message) == "缺少必需的列：成立日期"
    # a header-only file too
    with pytest.raises(ApplicationError):
        _import(b"Code,Name\n", staff, "en")
    assert _import(EN_HEADER.encode(), staff, "en").total == 0  # all there: nothing to do


def _sheet(response) -> list[tuple]:
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def test_the_english_template_names_its_columns_in_english_and_imports_back(
    client_for, english_client_for, staff
):
    host = UnitFactory(name="山西大学", name_en="Shanxi University")
    PlatformFactory(
        code="P9",
        name="山西省碳基新材料重点实验室",
        name_en="Shanxi Key Laboratory of Carbon-based Materials",
        host=host,
        kind="provincial_key_lab",
        co_built=True,
        disciplines=["材料科学", "化学"],
    )
    url = reverse("platforms:list") + "?export=xlsx"
    en_response = english_client_for(staff).get(url)
    en = _sheet(en_response)
    assert load_workbook(io.BytesIO(en_response.content)).active.title == "Platform"
    assert en[0] == tuple(importer.COLUMNS_EN[f] for f in importer.EXPORT_FIELDS) + ("Published",)
    assert not any(CJK.search(str(h)) for h in en[0])
    row = dict(zip(en[0], en[1], strict=True))
    assert (row["Name"], row["English name"], row["Host unit"]) == (
        "山西省碳基新材料重点实验室",  # the approved name, as the import matches it
        "Shanxi Key Laboratory of Carbon-based Materials",
        "山西大学",
    )
    assert (row["Type"], row["Jointly built by province and ministry"], row["Published"]) == (
        "Provincial key laboratory",
        "Yes",
        "Yes",
    )
    assert row["Disciplines"] == "材料科学, 化学"
    zh = _sheet(client_for(staff).get(url))
    assert zh[0][:4] == ("编号", "名称", "简称", "英文名称") and zh[0][-1] == "公开"
    assert dict(zip(zh[0], zh[1], strict=True))["学科领域"] == "材料科学、化学"
    # each file imports back unchanged, whoever reads it
    for data in (en_response.content, client_for(staff).get(url).content):
        for language in ("en", "zh-hans"):
            report = _import(data, staff, language, filename="p.xlsx", dry_run=False)
            assert report.committed and (report.created, report.updated) == (0, 1), report.errors
    p = Platform.objects.get(code="P9")
    assert (p.kind, p.co_built, p.disciplines, p.host) == (
        "provincial_key_lab",
        True,
        ["材料科学", "化学"],
        host,
    )


def test_the_import_page_in_english(english_client_for, staff):
    UnitFactory(name="山西大学")
    c = english_client_for(staff)
    url = reverse("platforms:import")
    page = c.get(url).content.decode()
    meta = re.search(r'<p class="meta">(.*?)</p>', page, re.S).group(1)
    assert "Columns: Code, Name, Type, Host unit" in meta and not CJK.search(meta), meta
    upload = SimpleUploadedFile("p.csv", _csv(EN_HEADER, *BAD_ROWS[:2]), content_type="text/csv")
    page = c.post(url, {"file": upload}).content.decode()
    assert "<td>3</td><td>Name</td><td>The name cannot be empty.</td>" in page


@pytest.mark.parametrize("in_english", [True, False], ids=["english-page", "chinese-page"])
def test_the_import_page_offers_a_template_in_the_readers_language(
    staff, english_client_for, client_for, in_english
):
    """people26: the import page offers an empty template (`?template=xlsx`), as the other imports' pages do."""
    client = english_client_for(staff) if in_english else client_for(staff)
    assert "?template=xlsx" in client.get("/platforms/import/").content.decode()
    header, _ = template_of(client, "/platforms/import/?template=xlsx")
    assert header == list(importer.headings(english=in_english).values())
    assert header[:2] == (["Code", "Name"] if in_english else ["编号", "名称"])
