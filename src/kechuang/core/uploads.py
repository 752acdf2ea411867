"""The one check every uploaded file passes: size limit, declared type, and bytes that really are that type.

Every upload path calls `check_upload` (report ingestion, application attachments, platform evidence, the
Excel/CSV imports of platforms, needs, experts, indicators and the technology map; web forms and API alike).
The extension declares the type; the content must match it:

- pdf starts with ``%PDF-``; docx and xlsx are zip containers holding ``[Content_Types].xml`` and their main
  part (``word/document.xml``, ``xl/workbook.xml``); png/jpeg by their signature;
- txt, csv and html must decode as text (UTF-8, GB18030 or Big5, the encodings the platform reads, or UTF-16
  with its byte-order mark) with no NUL byte and no binary signature;
- an executable (PE, ELF, Mach-O, WebAssembly, ...) is refused whatever its name.

Signatures come from the `filetype` library (pure Python); the zip parts are read with `zipfile`.
Refusals raise ApplicationError with a message naming the file and the reason (a form shows it under the
field; the API answers 400 with the standard error body).
"""

from __future__ import annotations

import codecs
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass

import filetype
from django import forms
from django.conf import settings
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

from kechuang.core.exceptions import ApplicationError
from kechuang.core.lists import listed


@dataclass(frozen=True)
class Kind:
    name: str
    extensions: tuple[str, ...]
    mime: str
    text: bool = False


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind("pdf", (".pdf",), "application/pdf"),
        Kind("docx", (".docx",), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        Kind("xlsx", (".xlsx",), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        Kind("txt", (".txt", ".text", ".md"), "text/plain", text=True),
        Kind("csv", (".csv",), "text/csv", text=True),
        Kind("html", (".html", ".htm", ".xhtml"), "text/html", text=True),
        Kind("png", (".png",), "image/png"),
        Kind("jpeg", (".jpg", ".jpeg"), "image/jpeg"),
    )
}
BY_EXTENSION = {ext: k for k in KINDS.values() for ext in k.extensions}

# The groups the upload paths accept.
DOCUMENTS = ("pdf", "docx", "xlsx")  # application attachments
TABLES = ("xlsx", "csv", "txt")  # the Excel/CSV imports (core.excel reads .txt as CSV)
REPORTS = ("txt", "html", "docx", "pdf")  # report ingestion
EVIDENCE = ("pdf", "docx", "xlsx", "png", "jpeg", "txt")  # platform achievement evidence

# Signatures `filetype` recognises that are programs, not documents.
EXECUTABLE_MIMES = {
    "application/x-msdownload",  # Windows PE (.exe, .dll)
    "application/x-executable",  # ELF
    "application/wasm",
    "application/x-google-chrome-extension",
    "application/x-shockwave-flash",
    "application/x-deb",
    "application/x-rpm",
}
# Mach-O (macOS) headers, which `filetype` does not know.
MACHO_MAGIC = (
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
)
TEXT_ENCODINGS = ("utf-8", "gb18030", "big5")
TEXT_SAMPLE = 256 * 1024
ZIP_PARTS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}


def max_bytes(setting: str = "KECHUANG_MAX_UPLOAD_BYTES") -> int:
    """The size limit named by a setting (bytes); KECHUANG_MAX_UPLOAD_BYTES when that setting is absent."""
    default = getattr(settings, "KECHUANG_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)
    return int(getattr(settings, setting, default))


def _labels(allowed: Iterable[str]) -> str:
    return listed(ext for name in allowed for ext in KINDS[name].extensions)


def _refuse(message: str, code: str, field: str) -> ApplicationError:
    return ApplicationError(message, code=code, fields={field: [message]})


def is_executable(data: bytes) -> bool:
    guess = filetype.guess(data[:8192])
    return bool(guess and guess.mime in EXECUTABLE_MIMES) or data[:4] in MACHO_MAGIC


def decodes_as_text(data: bytes) -> bool:
    """True when the bytes are text in one of the encodings the platform reads (a sample, cut safely)."""
    sample = data[:TEXT_SAMPLE]
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings: tuple[str, ...] = ("utf-16",)
    elif b"\x00" in sample:
        return False
    else:
        encodings = TEXT_ENCODINGS
    if filetype.guess(sample[:8192]) is not None:
        return False
    for encoding in encodings:
        decoder = codecs.getincrementaldecoder(encoding)("strict")
        try:
            decoder.decode(sample, final=len(sample) == len(data))
        except UnicodeDecodeError:
            continue
        return True
    return False


def _zip_has(data: bytes, part: str) -> bool:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return False
    return "[Content_Types].xml" in names and part in names


ZIP_MAX_MEMBERS = 10_000
RATIO_FLOOR = 2 * 1024 * 1024  # below this many bytes unpacked, a high ratio is harmless (a short text file)


def check_zip_bounds(data: bytes, filename: str, *, field: str = "file") -> None:
    """Refuse a zip container (.docx, .xlsx, .zip) that would unpack to too much: more than
    KECHUANG_MAX_UNCOMPRESSED_BYTES in all, or more than KECHUANG_MAX_COMPRESSION_RATIO times its own size
    (in all or for one member), or more than ZIP_MAX_MEMBERS members.

    Read from the zip's central directory, before anything is extracted. The sizes it declares also bound
    the reading: Python's zipfile (which openpyxl and the report decoder use) never returns more than a
    member's declared size and fails its CRC check when the data goes on, so a directory that lies about
    sizes gives an unreadable file, never a larger one (tests/security/test_zip_bombs.py). Not a zip: no-op."""
    if data[:2] != b"PK":
        return
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return  # not readable as a zip: the content check refuses it
    name = filename.replace("\\", "/").rsplit("/", 1)[-1] or "?"
    total_limit = int(getattr(settings, "KECHUANG_MAX_UNCOMPRESSED_BYTES", 200 * 1024 * 1024))
    ratio_limit = float(getattr(settings, "KECHUANG_MAX_COMPRESSION_RATIO", 100))
    if len(infos) > ZIP_MAX_MEMBERS:
        raise _refuse(
            _("文件“%(name)s”包含 %(n)d 个部件，超过上限 %(limit)d。")
            % {"name": name, "n": len(infos), "limit": ZIP_MAX_MEMBERS},
            "zip_bomb",
            field,
        )
    total = sum(i.file_size for i in infos)
    if total > total_limit:
        raise _refuse(
            _("文件“%(name)s”解压后有 %(size).1f MB，超过上限 %(limit).1f MB。")
            % {"name": name, "size": total / 1048576, "limit": total_limit / 1048576},
            "zip_bomb",
            field,
        )
    worst = max(
        [total / max(1, len(data))]
        + [i.file_size / max(1, i.compress_size) for i in infos if i.file_size > RATIO_FLOOR]
    )
    if total > RATIO_FLOOR and worst > ratio_limit:
        raise _refuse(
            _("文件“%(name)s”的压缩比为 %(ratio).0f 倍，超过上限 %(limit).0f 倍（可能是压缩炸弹）。")
            % {"name": name, "ratio": worst, "limit": ratio_limit},
            "zip_bomb",
            field,
        )


def content_matches(kind: Kind, data: bytes) -> bool:
    if kind.text:
        return decodes_as_text(data)
    if kind.name in ZIP_PARTS:
        return _zip_has(data, ZIP_PARTS[kind.name])
    if kind.name == "pdf":
        return data[:5] == b"%PDF-"
    guess = filetype.guess(data[:8192])
    return bool(guess and guess.mime == kind.mime)


def detected_label(data: bytes) -> str:
    """A short name for what the bytes look like, for the refusal message."""
    guess = filetype.guess(data[:8192])
    if guess:
        return guess.extension
    if decodes_as_text(data):
        return _("文本")
    return _("未知二进制")


def check_upload(
    data: bytes,
    filename: str,
    *,
    allowed: Iterable[str],
    limit: int | None = None,
    field: str = "file",
) -> Kind:
    """The Kind of an acceptable upload; ApplicationError naming the file and the reason otherwise.

    `allowed` names kinds of KINDS (e.g. TABLES); `limit` is the size limit in bytes (max_bytes() if None).
    """
    allowed = tuple(allowed)
    name = filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1] or "?"
    limit = max_bytes() if limit is None else limit
    if not data:
        raise _refuse(_("文件“%(name)s”是空的。") % {"name": name}, "empty_file", field)
    if len(data) > limit:
        raise _too_large(name, len(data), limit, field)
    if is_executable(data):
        raise _refuse(
            _("文件“%(name)s”是可执行程序，不允许上传。") % {"name": name}, "executable_file", field
        )
    ext = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    kind = BY_EXTENSION.get(ext)
    if kind is None or kind.name not in allowed:
        raise _refuse(
            _("不支持的文件类型：“%(name)s”。只接受 %(types)s。") % {"name": name, "types": _labels(allowed)},
            "bad_file_type",
            field,
        )
    if kind.name in ZIP_PARTS:
        check_zip_bounds(data, name, field=field)
    if not content_matches(kind, data):
        raise _refuse(
            _("文件“%(name)s”的内容（%(found)s）与扩展名 %(ext)s 不符（不能只改扩展名）。")
            % {"name": name, "found": detected_label(data), "ext": ext},
            "file_type_mismatch",
            field,
        )
    return kind


def _too_large(name: str, size: int, limit: int, field: str) -> ApplicationError:
    return _refuse(
        _("文件“%(name)s”过大：%(size).1f MB，上限 %(limit).1f MB。")
        % {"name": name, "size": size / 1048576, "limit": limit / 1048576},
        "file_too_large",
        field,
    )


def read_upload(upload, *, allowed: Iterable[str], limit: int | None = None, field: str = "file") -> bytes:
    """Read an UploadedFile (never more than limit + 1 bytes) and check it; the bytes, or ApplicationError."""
    limit = max_bytes() if limit is None else limit
    if upload.size is not None and upload.size > limit:
        raise _too_large(upload.name or "?", upload.size, limit, field)
    upload.seek(0)
    data = upload.read(limit + 1)
    upload.seek(0)
    check_upload(data, upload.name or "", allowed=allowed, limit=limit, field=field)
    return data


class CheckedFileField(forms.FileField):
    """A form file field that runs check_upload: the form shows the reason under the field.

    The cleaned value is the UploadedFile, rewound, so the view reads it as before.
    """

    def __init__(self, *args, allowed: Iterable[str], limit_setting: str = "KECHUANG_MAX_UPLOAD_BYTES", **kw):
        self.allowed = tuple(allowed)
        self.limit_setting = limit_setting
        super().__init__(*args, **kw)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload and hasattr(upload, "read"):
            try:
                read_upload(upload, allowed=self.allowed, limit=max_bytes(self.limit_setting))
            except ApplicationError as exc:
                raise forms.ValidationError(str(exc.message), code=exc.code)
        return upload


def uploaded_file_response(field_file, filename: str):
    """Serve a stored upload: always as an attachment (never rendered inline, so an uploaded HTML or SVG
    cannot run in the site's origin), typed by its checked extension (text as octet-stream), with nosniff
    and a sandboxing CSP in case a browser shows it anyway."""
    from django.http import FileResponse

    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    kind = BY_EXTENSION.get("." + name.rsplit(".", 1)[-1].lower()) if "." in name else None
    response = FileResponse(
        field_file.open("rb"),
        as_attachment=True,
        filename=name,
        content_type=kind.mime if kind and not kind.text else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@deconstructible
class UnguessablePath:
    """`upload_to` for stored uploads: `<prefix>/<year>/<random token>/<file name>`.

    The token (96 random bits) makes the name on disk unguessable; the file keeps its own name inside its
    token directory, so a download offers the name it was uploaded with. No URL serves the storage
    directly: files go out only through the views that check permission (`uploaded_file_response`).
    """

    def __init__(self, prefix: str):
        self.prefix = prefix.strip("/")

    def __call__(self, instance, filename: str) -> str:
        import secrets

        from django.utils import timezone

        name = filename.replace("\\", "/").rsplit("/", 1)[-1] or "file"
        return f"{self.prefix}/{timezone.localdate():%Y}/{secrets.token_urlsafe(12)}/{name}"

    def is_unguessable(self, name: str) -> bool:
        """Whether a stored name has this path's shape (`<prefix>/<year>/<16-character token>/<name>`)."""
        import re

        return bool(re.fullmatch(rf"{re.escape(self.prefix)}/\d{{4}}/[A-Za-z0-9_-]{{16}}/[^/]+", name or ""))

    def __eq__(self, other):
        return isinstance(other, UnguessablePath) and other.prefix == self.prefix

    def __hash__(self):
        return hash(self.prefix)
