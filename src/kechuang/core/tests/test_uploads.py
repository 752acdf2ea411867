"""The shared upload check: size, declared type, and bytes that really are that type."""

import io
import struct
import zipfile
import zlib

import docx
import openpyxl
import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given, settings
from hypothesis import strategies as st

from kechuang.core import uploads
from kechuang.core.exceptions import ApplicationError

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56
MACHO = b"\xcf\xfa\xed\xfe\x07\x00\x00\x01" + b"\x00" * 24


def real_docx() -> bytes:
    d = docx.Document()
    d.add_paragraph("甲省科技厅年度报告")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def real_xlsx() -> bytes:
    wb = openpyxl.Workbook()
    wb.active.append(["地区", "数值"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def png() -> bytes:
    def chunk(tag, data):
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + chunk(b"IEND", b"")
    )


def bare_zip(**parts) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, body in parts.items():
            z.writestr(name, body)
    return buf.getvalue()


ALL = tuple(uploads.KINDS)


@pytest.mark.parametrize(
    ("data", "name", "kind"),
    [
        (PDF, "报告.pdf", "pdf"),
        (real_docx(), "报告.DOCX", "docx"),
        (real_xlsx(), "表.xlsx", "xlsx"),
        ("建成12个国家重点实验室。".encode(), "a.txt", "txt"),
        ("建成12个国家重点实验室。".encode("gb18030"), "a.txt", "txt"),
        ("報告乙：簽約7臺裝置訂單。".encode("big5"), "b.txt", "txt"),
        ("报告".encode("utf-16"), "u16.txt", "txt"),
        ("地区,数值\n甘肃,1.5\n".encode(), "v.csv", "csv"),
        (b"<!DOCTYPE html><html><body><p>\xe6\x8a\xa5\xe5\x91\x8a</p></body></html>", "r.html", "html"),
        (png(), "p.png", "png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00", "j.jpg", "jpeg"),
    ],
)
def test_real_files_of_each_kind_are_accepted(data, name, kind):
    assert uploads.check_upload(data, name, allowed=ALL).name == kind


@pytest.mark.parametrize(
    ("data", "name", "allowed", "code", "says"),
    [
        (b"", "a.pdf", ALL, "empty_file", "是空的"),
        (EXE, "setup.pdf", ALL, "executable_file", "可执行程序"),
        (EXE, "readme.txt", ALL, "executable_file", "可执行程序"),
        (ELF, "data.csv", ALL, "executable_file", "可执行程序"),
        (MACHO, "a.docx", ALL, "executable_file", "可执行程序"),
        (PDF, "a.exe", ALL, "bad_file_type", "只接受"),
        (PDF, "noext", ALL, "bad_file_type", "只接受"),
        (
            real_xlsx(),
            "macro.xlsm",
            ALL,
            "office_macro",
            "只接受",
        ),  # refused by its name as macro-enabled (security §39)
        (PDF, "a.pdf", uploads.TABLES, "bad_file_type", ".xlsx、.csv"),
        (real_docx(), "a.xlsx", ALL, "file_type_mismatch", "不符"),
        (real_xlsx(), "a.docx", ALL, "file_type_mismatch", "不符"),
        (bare_zip(**{"a.txt": "x"}), "a.xlsx", ALL, "file_type_mismatch", "zip"),
        (b"PK\x03\x04garbage", "a.docx", ALL, "file_type_mismatch", "不符"),
        (PDF, "a.docx", ALL, "file_type_mismatch", "pdf"),
        (PDF, "a.txt", ALL, "file_type_mismatch", "pdf"),
        (png(), "a.csv", ALL, "file_type_mismatch", "png"),
        (b"plain text", "a.pdf", ALL, "file_type_mismatch", "文本"),
        (b"a,b\n1,\x00\x002\n", "a.csv", ALL, "file_type_mismatch", "不符"),
        (b"\x80\xff\xfe\x81\xff" * 20, "a.txt", ALL, "file_type_mismatch", "未知二进制"),
        (PDF, "a.png", ALL, "file_type_mismatch", "pdf"),
    ],
)
def test_mismatches_and_programs_are_refused_with_the_reason(data, name, allowed, code, says):
    with pytest.raises(ApplicationError) as exc:
        uploads.check_upload(data, name, allowed=allowed, field="files")
    assert exc.value.code == code
    assert says in str(exc.value.message)
    assert exc.value.fields == {"files": [exc.value.message]}
    if data:
        assert name in str(exc.value.message)


def test_size_limit_is_per_call_and_states_both_sizes(settings):
    with pytest.raises(ApplicationError) as exc:
        uploads.check_upload(PDF + b"x" * 2_000_000, "a.pdf", allowed=ALL, limit=1_048_576)
    assert (
        exc.value.code == "file_too_large" and "1.9 MB" in exc.value.message and "1.0 MB" in exc.value.message
    )
    settings.KECHUANG_MAX_UPLOAD_BYTES = len(PDF)
    assert uploads.check_upload(PDF, "a.pdf", allowed=ALL).name == "pdf"
    with pytest.raises(ApplicationError):
        uploads.check_upload(PDF + b"x", "a.pdf", allowed=ALL)


def test_read_upload_refuses_an_oversized_file_without_reading_it():
    class Huge(SimpleUploadedFile):
        def read(self, *args):  # pragma: no cover - must not be called
            raise AssertionError("read")

    big = Huge("big.pdf", PDF)
    big.size = 50 * 1024 * 1024
    with pytest.raises(ApplicationError) as exc:
        uploads.read_upload(big, allowed=ALL, limit=1024)
    assert exc.value.code == "file_too_large"
    ok = SimpleUploadedFile("ok.pdf", PDF)
    assert uploads.read_upload(ok, allowed=ALL) == PDF
    assert ok.read() == PDF  # rewound for the caller


def test_checked_file_field_shows_the_reason_under_the_field():
    class F(forms.Form):
        file = uploads.CheckedFileField(allowed=uploads.TABLES, limit_setting="KECHUANG_MAX_IMPORT_BYTES")

    form = F(files={"file": SimpleUploadedFile("t.csv", EXE)})
    assert not form.is_valid()
    assert "可执行程序" in form.errors["file"][0]
    good = F(files={"file": SimpleUploadedFile("t.csv", "地区,数值\n".encode())})
    assert good.is_valid(), good.errors
    assert good.cleaned_data["file"].read() == "地区,数值\n".encode()


@settings(max_examples=150, deadline=None)
@given(
    data=st.binary(min_size=1, max_size=256), ext=st.sampled_from([".pdf", ".docx", ".xlsx", ".png", ".jpg"])
)
def test_random_bytes_pass_as_a_binary_kind_only_when_they_carry_its_signature(data, ext):
    try:
        kind = uploads.check_upload(data, "f" + ext, allowed=ALL)
    except ApplicationError:
        return
    assert kind.name in ("pdf", "png", "jpeg") and (data.startswith(b"%PDF-") or kind.name != "pdf")


@settings(max_examples=150, deadline=None)
@given(st.text(min_size=1, max_size=200).filter(lambda t: "\x00" not in t))
def test_any_text_without_nul_decodes_as_text(text):
    data = text.encode("utf-8")
    if uploads.is_executable(data) or uploads.filetype.guess(data) is not None:
        return  # text that happens to start with a binary signature is refused, rightly
    assert uploads.check_upload(data, "t.txt", allowed=ALL).name == "txt"
