"""Uploading a report, its region is picked by name from the registered regions, not typed ("如“甘肃”"): the
facts are recorded against a registered region, so an unknown name could only fail later (session 14, walker4)."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kechuang.indicators.tests.factories import RegionFactory
from kechuang.ingest.models import Document

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("language", "label"), [("zh-hans", "甘肃省"), ("en", "Gansu")])
def test_the_upload_offers_the_registered_regions_by_name(client_for, staff, language, label):
    RegionFactory(name="甘肃省", name_en="Gansu")
    c = client_for(staff)
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = c.get(reverse("ingest:upload")).content.decode()
    assert '<select name="region"' in page and f'<option value="甘肃省">{label}</option>' in page
    assert "如“甘肃”" not in page
    data = "甲省科技厅报告\n建成12个国家重点实验室。".encode()
    c.post(reverse("ingest:upload"), {"files": SimpleUploadedFile("r.txt", data), "region": "甘肃省"})
    assert Document.objects.get().region == "甘肃省"


def test_an_unknown_region_is_refused(client_for, staff):
    r = client_for(staff).post(
        reverse("ingest:upload"), {"files": SimpleUploadedFile("r.txt", "报告".encode()), "region": "火星"}
    )
    assert r.status_code == 400 and not Document.objects.exists()


def test_a_document_with_an_earlier_typed_region_keeps_it_when_edited(client_for, staff):
    from .factories import DocumentFactory

    doc = DocumentFactory(region="甘肃")
    c = client_for(staff)
    assert '<option value="甘肃" selected>甘肃</option>' in c.get(doc.get_absolute_url()).content.decode()
    c.post(reverse("ingest:document-edit", args=[doc.pk]), {"title": "新标题", "year": "", "region": "甘肃"})
    doc.refresh_from_db()
    assert doc.title == "新标题" and doc.region == "甘肃"
