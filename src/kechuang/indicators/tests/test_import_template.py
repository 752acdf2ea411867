"""The import page's template: staff only; its header is the one the importer reads; filled in, it imports."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from kechuang.indicators.models import Value
from kechuang.indicators.tables import COLUMNS, read_records
from kechuang.indicators.tests.factories import IndicatorFactory

pytestmark = pytest.mark.django_db


def test_the_import_page_links_its_template_and_only_staff_get_it(client, client_for, staff, applicant):
    page = client_for(staff).get(reverse("indicators:import")).content.decode()
    assert reverse("indicators:import-template") in page and "下载导入模板" in page
    assert client_for(applicant).get(reverse("indicators:import-template")).status_code == 403
    assert client.get(reverse("indicators:import-template")).status_code in (302, 403)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_templates_header_is_the_one_the_importer_reads_and_a_filled_template_imports(
    client_for, staff, settings, language
):
    IndicatorFactory(code="GDP.R", name_zh="研发强度")
    c = client_for(staff)
    r = c.get(reverse("indicators:import-template"), HTTP_ACCEPT_LANGUAGE=language)
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(r.content))
    data, listed = wb.worksheets
    header = [c.value for c in data[1]]
    assert len(header) == len(COLUMNS)
    # each column of the importer, in its order, under a name it takes
    assert all(h in names for h, names in zip(header, COLUMNS.values(), strict=True))
    assert read_records(r.content, "t.xlsx").records == []  # the empty template reads as no rows, no error
    assert [c.value for c in listed[2]][:2] == ["GDP.R", "研发强度"]
    data.append(["U", "甲省", 2023, "GDP.R", "研发强度", 2.5])
    out = io.BytesIO()
    wb.save(out)
    r = c.post(
        reverse("indicators:import"),
        {"file": SimpleUploadedFile("filled.xlsx", out.getvalue()), "region_set": "cn"},
    )
    assert r.status_code == 200 and r.context["report"].committed, r.context["report"].errors
    assert Value.objects.get().value == 2.5
