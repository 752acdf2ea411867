"""The indicator values import in English (people26, docs/adr/0019): the long table headed in English words
(Region code, Year, …) imports the same values as one headed in Chinese (or by the older unit_code … names); a
refused row names its column in the reader's language with its line, as does a missing column; the template is
headed in the reader's language, never in codes, and imports back; the page offers it."""

import io

import openpyxl
import pytest
from django.utils import translation

from kechuang.indicators import services
from kechuang.indicators.models import Value
from kechuang.indicators.tables import read_records

pytestmark = pytest.mark.django_db

ZH_HEADER = "地区代码,地区名称,年份,指标代码,指标名称,数值\n"
EN_HEADER = "Region code,Region name,Year,Indicator code,Indicator name,Value\n"
OLD_HEADER = "unit_code,unit_name,year,indicator_code,indicator_name,value\n"
ROWS = "620000,甘肃省,2022,RD,研发强度,1.29\n620000,甘肃省,2023,RD,研发强度,1.33\n"
BAD = "620000,甘肃省,,RD,研发强度,1\n,甘肃省,2022,RD,研发强度,1\n620000,甘肃省,2023,RD,研发强度,x\n"


def _import(data: bytes, actor, language: str, filename="v.csv", dry_run=True):
    with translation.override(language):
        return services.values_import(actor=actor, data=data, filename=filename, dry_run=dry_run)


def _written():
    return sorted((v.region.code, v.indicator.code, v.year, v.value) for v in Value.objects.all())


@pytest.mark.parametrize("header", [EN_HEADER, OLD_HEADER], ids=["english-words", "older-names"])
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_an_english_headed_file_imports_the_same_values_as_a_chinese_one(staff, language, header):
    report = _import((ZH_HEADER + ROWS).encode(), staff, language, dry_run=False)
    assert report.committed and report.created == 2, report.errors
    chinese = _written()
    Value.objects.all().delete()
    report = _import((header + ROWS).encode(), staff, language, dry_run=False)
    assert report.committed and report.created == 2, report.errors
    assert _written() == chinese and len(chinese) == 2


@pytest.mark.parametrize("header", [EN_HEADER, ZH_HEADER, OLD_HEADER], ids=["english", "chinese", "older"])
def test_a_refused_row_names_its_column_in_the_readers_language(header):
    data = (header + BAD).encode()
    with translation.override("en"):
        en = read_records(data, "v.csv")
    assert [(e.line, e.field) for e in en.errors] == [(2, "Year"), (3, "Region code"), (4, "Value")]
    with translation.override("zh-hans"):
        zh = read_records(data, "v.csv")
    assert [(e.line, e.field) for e in zh.errors] == [(2, "年份"), (3, "地区代码"), (4, "数值")]


def test_a_missing_column_is_named_in_the_readers_words():
    with translation.override("en"):
        (error,) = read_records(b"Region code,Year,Value\nU,2020,3\n", "v.csv").errors
        assert error.line == 1 and "Indicator code" in error.text and "指标代码" not in error.text


@pytest.mark.parametrize("in_english", [True, False], ids=["english-page", "chinese-page"])
def test_the_template_is_headed_in_the_readers_language_and_imports_back(
    staff, english_client_for, client_for, in_english
):
    client = english_client_for(staff) if in_english else client_for(staff)
    page = client.get("/indicators/import/").content.decode()
    assert "/indicators/import/template.xlsx" in page
    response = client.get("/indicators/import/template.xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    header = [c.value for c in book.worksheets[0][1]]
    assert header == (
        ["Region code", "Region name", "Year", "Indicator code", "Indicator name", "Value"]
        if in_english
        else ["地区代码", "地区名称", "年份", "指标代码", "指标名称", "数值"]
    )
    book.worksheets[0].append(ROWS.splitlines()[0].split(","))
    out = io.BytesIO()
    book.save(out)
    for language in ("en", "zh-hans"):
        report = _import(out.getvalue(), staff, language, filename="v.xlsx")
        assert report.ok and report.created == 1, report.errors
