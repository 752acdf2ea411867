"""A refused import names the file chosen and asks for it again, since the browser does not keep it (usable11):
the needs import (a page of its own) and the indicator import (web/_form.html)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

pytestmark = pytest.mark.django_db

AGAIN = "未保存（浏览器不保留所选文件）：请重新选择后再提交。"


def test_a_refused_needs_file_is_asked_for_again(client_for, staff, applicant):
    url = reverse("challenges:need-import")
    assert client_for(applicant).get(url).status_code == 403
    c = client_for(staff)
    assert AGAIN not in c.get(url).content.decode()
    r = c.post(url, {"file": SimpleUploadedFile("需求.exe", b"MZ\x90\x00"), "commit": "0"})
    page = r.content.decode()
    assert r.status_code == 400 and "需求.exe" in page and AGAIN in page
    r = c.post(url, {"commit": "0"})  # no file chosen: nothing to choose "again"
    assert r.status_code == 400 and AGAIN not in r.content.decode()


def test_a_refused_indicator_file_is_asked_for_again(client_for, staff):
    r = client_for(staff).post(
        reverse("indicators:import"), {"file": SimpleUploadedFile("v.exe", b"MZ\x90\x00"), "dry_run": "on"}
    )
    assert r.status_code == 400 and "v.exe" in r.content.decode() and AGAIN in r.content.decode()
