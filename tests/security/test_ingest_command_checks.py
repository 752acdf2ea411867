"""`kechuang ingest PATH` takes a report through the checks the upload page and the API apply — one function,
`ingest.services.report_read` (size before reading, a report's kinds by name and content, no program, no macro,
no zip bomb) — and a refused file is named with why and ends the command with a non-zero status, nothing stored
for it (docs/security.md §43). Before, the command read each file whole and stored it unchecked."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from kechuang.ingest.models import Document

from .test_uploads_recheck_ingest import REPORT, _docx

pytestmark = pytest.mark.django_db

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("ingest", *args, stdout=out, stderr=err)
    except CommandError as exc:
        return out.getvalue(), err.getvalue(), str(exc)
    return out.getvalue(), err.getvalue(), None


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("年报.docx", _docx(REPORT, vba=True), "宏"),  # a macro project, by content
        ("年报.pdf", EXE, "可执行程序"),  # a program named as a report
        ("年报.txt", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "不符"),  # a PDF named .txt
        ("年报.exe", "报告".encode(), "不支持的文件类型"),  # not a report's kind
    ],
)
def test_the_command_refuses_what_the_upload_page_refuses(tmp_path, client_for, staff, name, data, reason):
    path = tmp_path / name
    path.write_bytes(data)
    out, err, error = run(str(path))
    assert error and "refused by the upload checks" in error  # CommandError: exit status 1
    assert f"refused  {path}" in err and reason in err and name in err
    assert Document.objects.count() == 0
    # the upload page refuses the same file for the same reason
    page = client_for(staff).post(reverse("ingest:upload"), {"files": SimpleUploadedFile(name, data)})
    assert page.status_code == 400 and reason in page.content.decode()
    assert Document.objects.count() == 0


def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path, settings, monkeypatch):
    settings.KECHUANG_MAX_UPLOAD_BYTES = 1000
    path = tmp_path / "大报告.txt"
    path.write_bytes(REPORT.encode() * 100)
    opened = []
    real_open = type(path).open
    monkeypatch.setattr(
        type(path), "open", lambda self, *a, **k: opened.append(self) or real_open(self, *a, **k)
    )
    _, err, error = run(str(path))
    assert error and "过大" in err and "大报告.txt" in err
    assert path not in opened and Document.objects.count() == 0


def test_the_good_files_of_a_directory_are_stored_and_the_refused_one_named(tmp_path):
    (tmp_path / "a.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "b.docx").write_bytes(_docx(REPORT + "（另一份）", vba=False))
    (tmp_path / "c.docx").write_bytes(_docx(REPORT + "（宏）", vba=True))
    out, err, error = run(str(tmp_path), "--year", "2023")
    assert "2 created, 0 already there, 1 failed" in out
    assert "c.docx" in err and "宏" in err and error  # the exit status says a file was refused
    assert sorted(Document.objects.values_list("filename", flat=True)) == ["a.txt", "b.docx"]


def test_page_api_and_command_go_through_one_check(tmp_path, monkeypatch, client_for, api_for, staff):
    """`report_read` is the one check: the upload page's form, the API's upload and the batch job (the command
    and the page's batches) each call it."""
    from kechuang.ingest import services

    seen = []
    real = services.report_read

    def spy(source, **kw):
        seen.append(source if isinstance(source, str) else source.name)
        return real(source, **kw)

    monkeypatch.setattr(services, "report_read", spy)
    monkeypatch.setattr("kechuang.ingest.forms.report_read", spy)
    path = tmp_path / "命令.txt"
    path.write_text(REPORT + "（命令）", encoding="utf-8")
    run(str(path))
    client_for(staff).post(
        reverse("ingest:upload"), {"files": SimpleUploadedFile("页面.txt", (REPORT + "（页面）").encode())}
    )
    api_for(staff).post(
        "/api/ingest/documents/upload/",
        {"file": SimpleUploadedFile("接口.txt", (REPORT + "（接口）").encode())},
        format="multipart",
    )
    assert str(path) in seen and "页面.txt" in seen and "接口.txt" in seen
    assert Document.objects.count() == 3
