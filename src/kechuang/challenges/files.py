"""Checking uploaded attachments by their content: PDF, DOCX or XLSX only, within the size limit. Pure."""

import io
import zipfile

from django.conf import settings
from django.utils.translation import gettext as _

from kechuang.core.exceptions import ApplicationError

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXTENSIONS = {".pdf": PDF, ".docx": DOCX, ".xlsx": XLSX}


def max_bytes() -> int:
    return int(getattr(settings, "KECHUANG_MAX_UPLOAD_BYTES", 20 * 1024 * 1024))


def sniff(data: bytes) -> str | None:
    """The content type the bytes really are (PDF, DOCX, XLSX), or None for anything else."""
    if data[:5] == b"%PDF-":
        return PDF
    if data[:4] != b"PK\x03\x04":
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


def check_upload(data: bytes, filename: str) -> str:
    """The sniffed content type of an acceptable upload; ApplicationError with the reason otherwise."""
    if not data:
        raise ApplicationError(_("文件是空的。"), code="empty_file")
    limit = max_bytes()
    if len(data) > limit:
        raise ApplicationError(
            _("文件过大：%(size).1f MB，上限 %(limit).0f MB。")
            % {"size": len(data) / 1048576, "limit": limit / 1048576},
            code="file_too_large",
        )
    ext = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if ext not in EXTENSIONS:
        raise ApplicationError(_("只接受 PDF、DOCX、XLSX 文件。"), code="bad_file_type")
    kind = sniff(data)
    if kind is None:
        raise ApplicationError(
            _("文件内容不是有效的 PDF、DOCX 或 XLSX（不能只改扩展名）。"), code="bad_file_content"
        )
    if kind != EXTENSIONS[ext]:
        raise ApplicationError(_("文件内容与扩展名不符。"), code="file_type_mismatch")
    return kind
