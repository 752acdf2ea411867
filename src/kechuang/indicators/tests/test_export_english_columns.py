"""The indicator list's Excel export has each field's English form beside the Chinese one — name, unit, source,
as stored, whatever the reader's language (the unit and source had no English columns; usable12); the import
template's list of indicators gives the unit in the reader's language, and a filled template still imports."""

import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from kechuang.indicators.models import Value
from kechuang.indicators.tests.factories import IndicatorFactory

pytestmark = pytest.mark.django_db


def _in(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _sheet(response):
    ws = load_workbook(io.BytesIO(response.content)).worksheets[0]
    return [[c.value for c in row] for row in ws.iter_rows()]


@pytest.mark.parametrize(
    ("language", "header"),
    [
        ("zh-hans", ["代码", "中文名称", "英文名称", "单位", "英文单位", "方向", "来源", "英文来源"]),
        ("en", ["Code", "Chinese name", "English name", "Unit", "English unit", "Direction", "Source"]),
    ],
)
def test_the_list_export_has_the_english_unit_and_source_beside_the_chinese(
    client_for, staff, language, header
):
    IndicatorFactory(
        code="GDP",
        name_zh="地区生产总值",
        name_en="GDP",
        unit="亿元",
        unit_en="100 million yuan",
        source="省统计局",
        source_en="Statistics bureau",
    )
    IndicatorFactory(code="PAT", name_zh="专利数", unit="件", source="自行统计")
    x = _in(client_for(staff), language).get(reverse("indicators:indicator-list") + "?format=xlsx")
    rows = _sheet(x)
    assert rows[0][: len(header)] == header
    by_code = {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    gdp, pat = by_code["GDP"], by_code["PAT"]
    unit, unit_en, source, source_en = rows[0][3], rows[0][4], rows[0][6], rows[0][7]
    assert (gdp[unit], gdp[unit_en], gdp[source], gdp[source_en]) == (
        "亿元",
        "100 million yuan",
        "省统计局",
        "Statistics bureau",
    )
    # nothing typed: blank (as stored; English pages show core.units' "items" for 件)
    assert (pat[unit], pat[unit_en] or "", pat[source_en] or "") == ("件", "", "")


@pytest.mark.parametrize(("language", "unit"), [("zh-hans", "件"), ("en", "items")])
def test_the_templates_list_gives_the_unit_in_the_readers_language_and_a_filled_template_imports(
    client_for, staff, language, unit
):
    IndicatorFactory(code="PAT", name_zh="专利数", unit="件")
    c = _in(client_for(staff), language)
    wb = load_workbook(io.BytesIO(c.get(reverse("indicators:import-template")).content))
    data, listed = wb.worksheets
    assert [c.value for c in listed[2]] == ["PAT", "专利数", unit]
    data.append(["U", "甲省", 2023, "PAT", "专利数", 12])
    out = io.BytesIO()
    wb.save(out)
    r = c.post(
        reverse("indicators:import"),
        {"file": SimpleUploadedFile("filled.xlsx", out.getvalue()), "region_set": "cn"},
    )
    assert r.status_code == 200 and r.context["report"].committed, r.context["report"].errors
    assert Value.objects.get().value == 12
