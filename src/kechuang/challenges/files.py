"""Application attachments: PDF, DOCX or XLSX only, within the size limit, checked by content.

The check itself is the platform's one upload validator (kechuang.core.uploads); this module names the
attachment rules and keeps the content types the attachment rows store.
"""

from kechuang.core import uploads

PDF = uploads.KINDS["pdf"].mime
DOCX = uploads.KINDS["docx"].mime
XLSX = uploads.KINDS["xlsx"].mime
EXTENSIONS = {".pdf": PDF, ".docx": DOCX, ".xlsx": XLSX}


def max_bytes() -> int:
    return uploads.max_bytes("KECHUANG_MAX_UPLOAD_BYTES")


def sniff(data: bytes) -> str | None:
    """The content type the bytes really are (PDF, DOCX, XLSX), or None for anything else."""
    for name in uploads.DOCUMENTS:
        if uploads.content_matches(uploads.KINDS[name], data):
            return uploads.KINDS[name].mime
    return None


def check_upload(data: bytes, filename: str) -> str:
    """The sniffed content type of an acceptable attachment; ApplicationError with the reason otherwise."""
    return uploads.check_upload(data, filename, allowed=uploads.DOCUMENTS, limit=max_bytes()).mime
