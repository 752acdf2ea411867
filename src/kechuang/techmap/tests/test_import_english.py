"""The technology map import in English (people26, docs/adr/0019): a file headed in English imports the same
technologies as one headed in Chinese (positions, states and levels by their labels in either language); a refused
row names its column in the reader's language with its line; the export (the import format) and the template are
headed in the reader's language and import back under either reader; the page lists the columns (never a pipe
line) and offers the template."""

import io

import openpyxl
import pytest
from django.utils import translation

from kechuang.core.exceptions import ApplicationError
from kechuang.core.tests.workbooks import filled, template_of
from kechuang.techmap import importer
from kechuang.techmap.importer import map_import
from kechuang.techmap.models import Technology

pytestmark = pytest.mark.django_db

ZH_HEADER = "产业链,环节位置,环节,技术名称,卡脖子,技术水平,当前TRL,当前日期\n"
EN_HEADER = "Industry chain,Position,Link,Technology,Chokepoint,Technology level,Current TRL,Current date\n"
ROWS_ZH = "新材料,上游,衬底,碳化硅单晶衬底,是,跟跑,6,2024-06-30\n新材料,中游,器件,功率模块,否,,,\n"
ROWS_EN = (
    "新材料,Upstream,衬底,碳化硅单晶衬底,Yes,Following,6,2024-06-30\n新材料,Midstream,器件,功率模块,No,,,\n"
)
BAD = (
    "新材料,左游,衬底,甲,否,,,\n"  # 2: position
    "新材料,上游,衬底,乙,也许,,12,\n"  # 3: chokepoint, TRL
)


def _import(data: bytes, actor, language: str, filename="m.csv", dry_run=True):
    with translation.override(language):
        return map_import(actor=actor, data=data, filename=filename, dry_run=dry_run)


def _written():
    return sorted(
        (t.link.chain.name, t.link.stage, t.link.name, t.name, t.is_bottleneck, t.level, t.trl_current)
        for t in Technology.objects.select_related("link__chain")
    )


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_an_english_headed_file_imports_the_same_rows_as_a_chinese_one(staff, language):
    report = _import((ZH_HEADER + ROWS_ZH).encode(), staff, language, dry_run=False)
    assert report.committed and report.created == 2, report.errors
    chinese = _written()
    Technology.objects.all().delete()
    report = _import((EN_HEADER + ROWS_EN).encode(), staff, language, dry_run=False)
    assert report.committed and report.created == 2, report.errors
    assert _written() == chinese
    assert ("新材料", "upstream", "衬底", "碳化硅单晶衬底", True, "following", 6) in chinese


@pytest.mark.parametrize("header", [EN_HEADER, ZH_HEADER], ids=["english-headed", "chinese-headed"])
def test_a_refused_row_names_its_column_in_the_readers_language(staff, header):
    data = (header + BAD).encode()
    en = _import(data, staff, "en")
    assert sorted((e.line, e.field) for e in en.errors) == [
        (2, "Position"),
        (3, "Chokepoint"),
        (3, "Current TRL"),
    ]
    position = next(e for e in en.errors if e.field == "Position")
    assert "Upstream" in position.message and "上游" not in position.message
    zh = _import(data, staff, "zh-hans")
    assert sorted((e.line, e.field) for e in zh.errors) == [(2, "环节位置"), (3, "卡脖子"), (3, "当前TRL")]
    assert not Technology.objects.exists()


def test_a_missing_column_is_named_in_the_readers_words(staff):
    data = "Industry chain,Technology\n新材料,x\n".encode()
    with pytest.raises(ApplicationError) as en:
        _import(data, staff, "en")
    assert "Position" in str(en.value.message) and "环节位置" not in str(en.value.message)
    with pytest.raises(ApplicationError) as zh:
        _import(data, staff, "zh-hans")
    assert "环节位置" in str(zh.value.message)


@pytest.mark.parametrize("in_english", [True, False], ids=["english-page", "chinese-page"])
def test_the_template_and_the_export_are_headed_in_the_readers_language_and_import_back(
    staff, english_client_for, client_for, in_english
):
    client = english_client_for(staff) if in_english else client_for(staff)
    header, book = template_of(client, "/techmap/import/?template=xlsx")
    assert header == list(importer.headings(english=in_english).values())
    assert header[:3] == (
        ["Industry chain", "Industry chain in English", "Position"]
        if in_english
        else ["产业链", "产业链（英文）", "环节位置"]
    )
    at = {h: i for i, h in enumerate(header)}
    named = importer.headings(english=in_english)
    cells = [""] * len(header)
    for field, value in zip(
        ("chain", "stage", "link", "name", "bottleneck"),
        (
            "新材料",
            "Upstream" if in_english else "上游",
            "衬底",
            "碳化硅单晶衬底",
            "Yes" if in_english else "是",
        ),
        strict=True,
    ):
        cells[at[named[field]]] = value
    data = filled(book, cells)
    for language in ("en", "zh-hans"):
        report = _import(data, staff, language, filename="m.xlsx")
        assert report.ok and report.created == 1, report.errors
    assert _import(data, staff, "en", filename="m.xlsx", dry_run=False).committed
    exported = client.get("/techmap/export.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(exported.content)).active
    assert [c.value for c in sheet[1]] == header
    assert sheet[2][at[named["bottleneck"]]].value == ("Yes" if in_english else "是")
    for language in ("en", "zh-hans"):
        again = _import(exported.content, staff, language, filename="m.xlsx")
        assert again.ok and (again.created, again.updated) == (0, 0), again.errors


def test_the_import_page_lists_the_columns_and_offers_the_template(staff, english_client_for, client_for):
    page = english_client_for(staff).get("/techmap/import/").content.decode()
    assert "Industry chain, Industry chain in English, Position" in page and "?template=xlsx" in page
    assert "环节位置" not in page and " | " not in page
    assert "产业链、产业链（英文）、环节位置" in client_for(staff).get("/techmap/import/").content.decode()
