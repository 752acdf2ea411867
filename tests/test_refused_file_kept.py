"""Each attachment page, refused a file, says which file to choose again (a browser never refills a file input)
and keeps every other field as typed — one form at a time, browser-free (usable12). The application's data-form
files and the project reports' files: challenges/tests/test_programme_forms.py and test_programme_report_files.py;
a platform achievement refused for its other fields: platforms/tests/test_views.py."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kechuang.challenges.models import Attachment
from kechuang.challenges.tests.factories import ApplicationFactory
from kechuang.indicators.tests.factories import RegionFactory
from kechuang.platforms.tests.factories import PlatformFactory

pytestmark = pytest.mark.django_db

# a program whatever its name says (core.uploads refuses it by its bytes)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"
AGAIN = {
    "zh-hans": "未保存（浏览器不保留所选文件）：请重新选择后再提交。",
    "en": "please choose it again before submitting",
}


def _in(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_an_application_attachment_keeps_its_kind_and_asks_for_the_file_again(client_for, language):
    app = ApplicationFactory()
    c = _in(client_for(app.leader), language)
    r = c.post(
        reverse("challenges:attachment-upload", args=[app.pk]),
        {"kind": "budget", "file": SimpleUploadedFile("预算.pdf", EXE)},
    )
    page = r.content.decode()
    assert r.status_code == 400 and "预算.pdf" in page and AGAIN[language] in page
    assert '<option value="budget" selected>' in page and not Attachment.objects.exists()


def test_a_platform_achievement_keeps_what_was_typed_when_its_file_is_refused(client_for, staff):
    p = PlatformFactory()
    r = client_for(staff).post(
        f"/platforms/{p.pk}/achievements/",
        {
            "kind": "leading",
            "title": "领先技术三",
            "year": 2023,
            "evidence": "省级鉴定意见",
            "evidence_file": SimpleUploadedFile("鉴定.pdf", EXE),
        },
    )
    page = r.content.decode()
    assert r.status_code == 400 and "可执行程序" in page and "“鉴定.pdf”" + AGAIN["zh-hans"] in page
    assert 'value="领先技术三"' in page and 'value="2023"' in page and "省级鉴定意见</textarea>" in page
    assert '<option value="leading" selected>' in page and not p.achievements.exists()


def test_the_document_check_asks_for_the_file_again(client):
    r = client.post(reverse("documents:verify-file"), {"file": SimpleUploadedFile("公文.pdf", EXE)})
    page = r.content.decode()
    assert r.status_code == 400 and "“公文.pdf”" + AGAIN["zh-hans"] in page


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_report_upload_keeps_its_year_and_region_and_names_every_file_again(client_for, staff, language):
    region = RegionFactory(name="甲省", name_en="Province A")
    c = _in(client_for(staff), language)
    r = c.post(
        reverse("ingest:upload"),
        {
            "files": [
                SimpleUploadedFile("报告一.pdf", EXE),
                SimpleUploadedFile("报告二.txt", "正文".encode()),
            ],
            "year": "2024",
            "region": region.name,
        },
    )
    page = r.content.decode()
    assert r.status_code == 400 and AGAIN[language] in page
    assert "报告一.pdf" in page and "报告二.txt" in page
    assert 'value="2024"' in page and f'<option value="{region.name}" selected>' in page


def test_a_programme_definition_refused_says_why_by_its_file(client_for, staff):
    """Refused by the import (not a definition at all): the reason by the file field, not above the form (the
    crawl's refused-upload walk, journeys33)."""
    r = client_for(staff).post("/programmes/", {"file": SimpleUploadedFile("定义.json", EXE)})
    page = r.content.decode()
    assert r.status_code == 400 and 'id="id_file_error"' in page
