"""Uploaded files go out only through the permission-checked views, in every mode (issues #14.5, #13.6):
no URL serves the storage, not even under `make run`'s settings; names on disk carry a random token; and
`make run` shows the friendly Chinese error pages, not Django's debug page, unless a developer asks."""

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import Resolver404, resolve

ROOT = Path(__file__).resolve().parents[2]
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# Run under kechuang.settings.dev (what `make run` uses), in a process of its own (the URL configuration
# is built once per process from its settings). A real file lies in MEDIA_ROOT at the path asked for.
DEV_PROBE = textwrap.dedent(
    """
    import json, os, sys
    import django
    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.test.utils import setup_test_environment
    setup_test_environment()
    os.makedirs(os.path.join(settings.MEDIA_ROOT, "challenges/attachments/2026"), exist_ok=True)
    with open(os.path.join(settings.MEDIA_ROOT, "challenges/attachments/2026/方案.pdf"), "wb") as fh:
        fh.write(b"%PDF-1.7 secret")
    c = Client(HTTP_HOST="127.0.0.1")
    media = c.get("/media/challenges/attachments/2026/方案.pdf")
    missing = c.get("/no-such-page/")
    print(json.dumps({
        "debug": settings.DEBUG,
        "media": media.status_code,
        "media_body": b"".join(media.streaming_content if media.streaming else [media.content]).decode(
            "utf-8", "replace"),
        "missing": missing.status_code,
        "missing_body": missing.content.decode(),
    }))
    """
)


def _dev(tmp_path, **env):
    import json

    environment = {
        k: v for k, v in os.environ.items() if k not in ("DJANGO_DEBUG", "DEBUG", "KECHUANG_DEBUG")
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="kechuang.settings.dev",
        DATABASE_URL="sqlite:///:memory:",
        KECHUANG_VAR_DIR=str(tmp_path),
        PYTHONPATH=str(ROOT / "src"),
        **env,
    )
    proc = subprocess.run(
        [sys.executable, "-c", DEV_PROBE],
        capture_output=True,
        text=True,
        env=environment,
        cwd=str(ROOT),
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_make_run_serves_no_media_and_shows_the_friendly_404(tmp_path):
    out = _dev(tmp_path)
    assert out["debug"] is False
    assert out["media"] == 404 and "secret" not in out["media_body"]
    assert out["missing"] == 404
    assert "Using the URLconf" not in out["missing_body"] and "页面不存在" in out["missing_body"]


def test_debug_pages_only_when_a_developer_asks_and_still_no_media(tmp_path):
    out = _dev(tmp_path, KECHUANG_DEBUG="1")
    assert out["debug"] is True
    assert out["media"] == 404 and "secret" not in out["media_body"]


def test_no_url_pattern_serves_the_storage():
    with pytest.raises(Resolver404):
        resolve("/media/challenges/attachments/2026/x.pdf")


@pytest.mark.django_db
def test_names_on_disk_are_unguessable_and_downloads_keep_the_original_name(client_for):
    from kechuang.challenges.services import attachment_add
    from kechuang.challenges.tests.factories import ApplicationFactory

    app = ApplicationFactory()
    applicant = app.leader
    first = attachment_add(actor=applicant, application=app, data=PDF, filename="技术方案.pdf", kind="plan")
    second = attachment_add(actor=applicant, application=app, data=PDF, filename="技术方案.pdf", kind="plan")
    pattern = re.compile(r"^challenges/attachments/\d{4}/[A-Za-z0-9_-]{16}/技术方案\.pdf$")
    assert pattern.match(first.file.name), first.file.name
    assert pattern.match(second.file.name) and first.file.name.split("/")[3] != second.file.name.split("/")[3]
    response = client_for(applicant).get(f"/challenges/attachments/{first.pk}/")
    assert response.status_code == 200
    assert "%E6%8A%80%E6%9C%AF%E6%96%B9%E6%A1%88.pdf" in response["Content-Disposition"]


@pytest.mark.django_db
def test_evidence_names_are_unguessable_too(staff, client_for):
    from kechuang.platforms.tests.factories import PlatformFactory

    platform = PlatformFactory()
    c = client_for(staff)
    data = {"kind": "other", "title": "成果一", "year": 2024, "evidence": ""}
    c.post(
        f"/platforms/{platform.pk}/achievements/",
        {**data, "evidence_file": SimpleUploadedFile("佐证.pdf", PDF)},
    )
    achievement = platform.achievements.get()
    assert re.match(r"^platforms/evidence/\d{4}/[A-Za-z0-9_-]{16}/佐证\.pdf$", achievement.evidence_file.name)
    response = c.get(f"/platforms/achievements/{achievement.pk}/evidence/")
    assert "%E4%BD%90%E8%AF%81.pdf" in response["Content-Disposition"]
