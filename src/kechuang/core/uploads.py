"""The one check every uploaded file passes: size limit, declared type, and bytes that really are that type.

Every upload path calls `check_upload` (report ingestion, application attachments, platform evidence, the
Excel/CSV imports of platforms, needs, experts, indicators and the technology map; web forms and API alike).
The extension declares the type; the content must match it:

- pdf starts with ``%PDF-``; docx and xlsx are zip containers holding ``[Content_Types].xml`` and their main
  part (``word/document.xml``, ``xl/workbook.xml``); png/jpeg by their signature;
- txt, csv and html must decode as text (UTF-8, GB18030 or Big5, the encodings the platform reads, or UTF-16
  with its byte-order mark) with no NUL byte and no binary signature;
- an executable (PE, ELF, Mach-O, WebAssembly, ...) is refused whatever its name;
- an Office package holding active content is refused (`check_office_content`), whatever its name (a .xlsm,
  a .pptm, a package named .pdf): a macro project, ActiveX or an OLE object, or a relationship Office follows
  by itself on opening (an external workbook link, a remote template, an external OLE object or picture); a
  plain hyperlink, which waits for a click, is kept. The macro-enabled extensions (.xlsm, .docm, …) are
  refused by name with the same reason.

Signatures come from the `filetype` library (pure Python); the zip parts are read with `zipfile`.
Refusals raise ApplicationError with a message naming the file and the reason (a form shows it under the
field; the API answers 400 with the standard error body).
"""

from __future__ import annotations

import codecs
import io
import re
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


# Active content in an Office package (docs/security.md §37). Part names and content types are compared in
# lower case (OPC names are case-insensitive).
OFFICE_MACRO_NAMES = re.compile(
    r"(^|/)vba(project\.bin|data\.xml)$|(^|/)_rels/vbaproject\.bin\.rels$|^xl/macrosheets/"
)
OFFICE_MACRO_TYPES = (
    "macroenabled",
    "vbaproject",
    "vbadata",
    "ms-excel.intlmacrosheet",
    "ms-excel.macrosheet",
)
OFFICE_ACTIVE_NAMES = re.compile(
    r"(^|/)activex/|(^|/)embeddings/.*\.(bin|xlsm|docm|pptm|xlsb|xls|doc|ppt|exe)$"
)
OFFICE_ACTIVE_TYPES = ("activex", "oleobject")
OFFICE_EXTERNAL_NAMES = re.compile(r"^xl/externallinks/")
OFFICE_EXTERNAL_TYPES = ("externallink",)
# The one relationship type kept with TargetMode="External": a hyperlink (transitional or strict namespace) is
# followed only when clicked, and Office asks first; any other external target (a linked workbook, an
# attachedTemplate, an external oleObject, picture, frame or subDocument) is fetched when the file is opened.
HYPERLINK_REL = "hyperlink"
OFFICE_XML_PART_MAX = 1024 * 1024  # [Content_Types].xml and each .rels part: a real one is a few KB
OFFICE_RELS_TOTAL_MAX = 8 * 1024 * 1024
CONTENT_TYPE_ATTR = re.compile(rb"""ContentType\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
RELATIONSHIP_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?Relationship\b([^>]*)>")
ATTR = re.compile(rb"""([A-Za-z_:][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


XML_REFERENCE = re.compile(r"&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|amp|lt|gt|quot|apos);")
XML_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}


def _xml_text(raw: bytes) -> str:
    """An attribute's value as an XML parser reads it: character references (`&#80;`, `&#x50;`) and the five
    predefined entities replaced, so `vba&#80;roject` is compared as `vbaProject` (Office reads it so)."""

    def one(m: re.Match) -> str:
        ref = m.group(1)
        if ref[0] != "#":
            return XML_NAMED[ref]
        code = int(ref[2:], 16) if ref[1] in "xX" else int(ref[1:])
        return chr(code) if 0 < code <= 0x10FFFF else "\ufffd"

    return XML_REFERENCE.sub(one, raw.decode("utf-8", "replace"))


def _attrs(text: bytes) -> dict[str, str]:
    return {
        m.group(1).decode("ascii", "replace").lower(): _xml_text(m.group(2) or m.group(3) or b"")
        for m in ATTR.finditer(text)
    }


def _relationships(z: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> list[tuple[str, bool]]:
    """Every relationship of the package: its type (the last path segment, as written) and whether its
    TargetMode is External. Reads only the .rels parts, each within OFFICE_XML_PART_MAX, all within
    OFFICE_RELS_TOTAL_MAX (declared sizes, which zipfile never exceeds; an over-large one is refused by the
    caller)."""
    found = []
    for info in infos:
        if not info.filename.lower().endswith(".rels"):
            continue
        with z.open(info) as part:
            text = part.read(OFFICE_XML_PART_MAX + 1)
        for tag in RELATIONSHIP_TAG.finditer(text):
            attrs = _attrs(tag.group(1))
            kind = attrs.get("type", "").strip().rsplit("/", 1)[-1] or "?"
            found.append((kind[:40], attrs.get("targetmode", "").strip().lower() == "external"))
    return found


# Relationship types (lower case) that bring macros or active content in, whatever the part they point at is
# called: a VBA project, its signature or data, an Excel 4 macro sheet; ActiveX controls and OLE objects.
OFFICE_MACRO_RELS = frozenset(
    {"vbaproject", "vbaprojectsignature", "wordvbadata", "xlmacrosheet", "xlintlmacrosheet", "macrosheet"}
)
OFFICE_ACTIVE_RELS = frozenset({"activexcontrol", "activexcontrolbinary", "oleobject"})
OFFICE_EXTERNAL_RELS = frozenset({"externallink", "externallinkpath"})
# Extensions of the macro-enabled Office formats: refused by name with the macro's reason (by content too,
# whatever the name: `check_upload` runs `check_office_content` on every Office package).
MACRO_EXTENSIONS = frozenset(
    {".xlsm", ".xltm", ".xlam", ".docm", ".dotm", ".pptm", ".potm", ".ppsm", ".ppam", ".sldm"}
)


def is_office_package(data: bytes) -> bool:
    """Whether the bytes are a zip holding `[Content_Types].xml` (in any letter case): an Office Open XML
    package, whatever its name says (.docx, .xlsm, .pptm, a .pdf or no extension at all)."""
    if data[:2] != b"PK":
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return any(n.lower() == "[content_types].xml" for n in z.namelist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return False


def check_office_content(data: bytes, filename: str, *, field: str = "file") -> None:
    """Refuse an Office package that holds a macro project, ActiveX or OLE objects, or external links other
    than plain hyperlinks (docs/security.md §37, §39). Reads the zip's directory, [Content_Types].xml and the
    .rels parts only — never a sheet or the document — each bounded, after `check_zip_bounds`. Content types
    and relationship types are read as an XML parser reads them (character references resolved), and a
    relationship's type counts whatever its target part is called. A part that cannot be read (a CRC error, a
    lying directory) or a package naming one part twice (OPC names are case-insensitive; Office and this check
    could read different copies) is refused: what cannot be checked is not stored."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1] or "?"
    unchecked = _refuse(
        _("文件“%(name)s”已损坏，无法检查其中是否含有宏或外部链接。") % {"name": name},
        "office_unchecked",
        field,
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
            names = [i.filename.lower() for i in infos]
            if len(set(names)) != len(names):
                raise unchecked
            xml_parts = [
                i
                for i in infos
                if i.filename.lower() == "[content_types].xml" or i.filename.lower().endswith(".rels")
            ]
            if any(i.file_size > OFFICE_XML_PART_MAX for i in xml_parts) or (
                sum(i.file_size for i in xml_parts) > OFFICE_RELS_TOTAL_MAX + OFFICE_XML_PART_MAX
            ):
                raise _refuse(
                    _("文件“%(name)s”的结构描述部件过大，无法检查其中是否含有宏或外部链接。")
                    % {"name": name},
                    "office_unchecked",
                    field,
                )
            types = ""
            for info in xml_parts:
                if info.filename.lower() == "[content_types].xml":
                    with z.open(info) as part:
                        raw = part.read(OFFICE_XML_PART_MAX + 1)
                    types = " ".join(
                        _xml_text(m.group(1) or m.group(2) or b"") for m in CONTENT_TYPE_ATTR.finditer(raw)
                    ).lower()
            relationships = _relationships(z, infos)
            rel_types = {kind.lower() for kind, _external in relationships}
            if (
                any(OFFICE_MACRO_NAMES.search(n) for n in names)
                or any(t in types for t in OFFICE_MACRO_TYPES)
                or rel_types & OFFICE_MACRO_RELS
            ):
                raise _refuse(
                    _("文件“%(name)s”含有宏（VBA 代码），不允许上传。请另存为不含宏的文件后再上传。")
                    % {"name": name},
                    "office_macro",
                    field,
                )
            if (
                any(OFFICE_ACTIVE_NAMES.search(n) for n in names)
                or any(t in types for t in OFFICE_ACTIVE_TYPES)
                or rel_types & OFFICE_ACTIVE_RELS
            ):
                raise _refuse(
                    _(
                        "文件“%(name)s”含有 ActiveX 控件或嵌入的 OLE 对象，不允许上传。请删除这些对象后再上传。"
                    )
                    % {"name": name},
                    "office_active_content",
                    field,
                )
            external = (
                ["externalLink"]
                if any(OFFICE_EXTERNAL_NAMES.search(n) for n in names)
                or any(t in types for t in OFFICE_EXTERNAL_TYPES)
                or rel_types & OFFICE_EXTERNAL_RELS
                else [kind for kind, external in relationships if external and kind.lower() != HYPERLINK_REL]
            )
            if external:
                raise _refuse(
                    _(
                        "文件“%(name)s”含有打开时会访问外部地址的链接（%(kinds)s），不允许上传。"
                        "请删除外部链接（普通超链接可以保留）后再上传。"
                    )
                    % {"name": name, "kinds": listed(sorted(set(external)))},
                    "office_external_link",
                    field,
                )
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, KeyError):
        raise unchecked from None


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
    office = is_office_package(data)
    if (
        office
    ):  # by content, whatever the name: a .xlsm, a .pptm or a package named .pdf is refused for what it holds
        check_zip_bounds(data, name, field=field)
        check_office_content(data, name, field=field)
    ext = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    kind = BY_EXTENSION.get(ext)
    if ext in MACRO_EXTENSIONS:
        raise _refuse(
            _(
                "文件“%(name)s”是启用宏的 Office 文件（%(ext)s），不允许上传。只接受 %(types)s，请另存为不含宏的格式后再上传。"
            )
            % {"name": name, "ext": ext, "types": _labels(allowed)},
            "office_macro",
            field,
        )
    if kind is None or kind.name not in allowed:
        raise _refuse(
            _("不支持的文件类型：“%(name)s”。只接受 %(types)s。") % {"name": name, "types": _labels(allowed)},
            "bad_file_type",
            field,
        )
    if kind.name in ZIP_PARTS and not office:
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


def read_path(path, *, allowed: Iterable[str], limit: int | None = None, field: str = "file") -> bytes:
    """Read a file on the server's disk (the command line's `kechuang ingest PATH`) as an upload is read: refused
    by its size before any byte is read (never more than limit + 1 bytes), then `check_upload` on its bytes under
    its own name; the bytes, or ApplicationError (OSError when it cannot be read)."""
    from pathlib import Path

    path = Path(path)
    limit = max_bytes() if limit is None else limit
    size = path.stat().st_size
    if size > limit:
        raise _too_large(path.name, size, limit, field)
    with path.open("rb") as f:
        data = f.read(limit + 1)
    check_upload(data, path.name, allowed=allowed, limit=limit, field=field)
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


QUARANTINE = "quarantine/"  # stored names under it are held for staff's review: never served


def is_quarantined(name: str | None) -> bool:
    """Whether a stored name is in quarantine (`kechuang uploads recheck --apply`, docs/security.md §39)."""
    return bool(name) and str(name).replace("\\", "/").startswith(QUARANTINE)


@dataclass(frozen=True)
class StoredBytes:
    """An upload kept in the database rather than in a file (a model's BinaryField): `kechuang uploads recheck`
    reads it as it reads the files (docs/security.md §40). `quarantine` names the row's CharField holding the
    refusal's code once held ("" = not held); `name(row)` is the file's name, its extension picking the content
    check as at upload. The app that owns the model registers it (`register_stored_bytes`) and refuses to serve
    or analyse a row whose `quarantine` is set."""

    model: type
    field: str
    quarantine: str
    name: object  # Callable[[row], str]


STORED_BYTES: list[StoredBytes] = []


def register_stored_bytes(model, field: str, *, quarantine: str, name) -> None:
    """Register a model's BinaryField of uploaded bytes with `uploads recheck` (once per field)."""
    if not any(s.model is model and s.field == field for s in STORED_BYTES):
        STORED_BYTES.append(StoredBytes(model, field, quarantine, name))


def report_name(filename: str, kind: str) -> str:
    """A stored file's name for the content check: its own when its extension is one the checks know, else its
    name with the kind it was read as (`report` read as a PDF: `report.pdf`)."""
    base = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    ext = "." + base.rsplit(".", 1)[-1].lower() if "." in base else ""
    if ext in BY_EXTENSION or ext in MACRO_EXTENSIONS:
        return base
    return f"{base or 'file'}.{kind}"


def uploaded_file_response(field_file, filename: str):
    """Serve a stored upload: always as an attachment (never rendered inline, so an uploaded HTML or SVG
    cannot run in the site's origin), typed by its checked extension (text as octet-stream), with nosniff
    and a sandboxing CSP in case a browser shows it anyway. A file in quarantine is refused (403 with the
    reason), whoever asks: it is kept for staff's review on the server, not offered for download."""
    from django.core.exceptions import PermissionDenied
    from django.http import FileResponse

    if is_quarantined(field_file.name):
        raise PermissionDenied(_("此文件未通过安全复查，已隔离，等待工作人员审查，不能下载。"))
    # the offered name without control characters: a stored name holding a line break (an admin's edit, an old
    # row) made Django refuse the Content-Disposition header, a 500 instead of the file
    name = "".join(ch for ch in filename.replace("\\", "/").rsplit("/", 1)[-1] if ch.isprintable()) or "file"
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
