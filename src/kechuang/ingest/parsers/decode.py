"""From a file's bytes to text: format by name and content, encoding detected (UTF-8, GB18030, Big5).

Never raises on bad bytes: text that no encoding decodes keeps U+FFFD where the bytes were, and the
mojibake step marks those places uncertain. Unsupported formats raise `UnsupportedDocument` with a
reason a person can read.
"""

import codecs
import io
import logging
import re
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _

TEXT_EXTENSIONS = {"", ".txt", ".text", ".md", ".csv"}
HTML_EXTENSIONS = {".html", ".htm", ".xhtml"}
SUPPORTED = sorted((TEXT_EXTENSIONS | HTML_EXTENSIONS | {".docx", ".pdf"}) - {""})


class UnsupportedDocument(Exception):
    """The file cannot be read as a report; `message` says why."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = str(message)


@dataclass(frozen=True)
class DecodedDocument:
    text: str
    encoding: str  # utf-8, gb18030, big5, mixed, utf-16, or "" for formats that carry their own
    format: str  # txt, html, docx, pdf


_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
_CJK = re.compile(r"[\u4e00-\u9fff]")
# Characters of GB2312 level 1 (the 3755 commonest) make up most of any real Chinese text; a wrong
# guess between GB18030 and Big5 produces rare characters instead.
_COMMON_RANGE = (0xB0A1, 0xD7F9)


def _common_share(text: str) -> float:
    cjk = _CJK.findall(text[:20000])
    if not cjk:
        return 0.0
    common = 0
    for ch in cjk:
        try:
            b = ch.encode("gb2312")
        except UnicodeEncodeError:
            continue
        code = b[0] << 8 | b[1]
        if _COMMON_RANGE[0] <= code <= _COMMON_RANGE[1]:
            common += 1
    return common / len(cjk)


def _traditional_share(text: str) -> float:
    """Share of CJK characters that Big5 has but GB2312 lacks (traditional forms)."""
    cjk = _CJK.findall(text[:20000])
    if not cjk:
        return 0.0
    trad = 0
    for ch in cjk:
        try:
            ch.encode("gb2312")
        except UnicodeEncodeError:
            trad += 1
    return trad / len(cjk)


def _score(text: str, encoding: str) -> float:
    # Big5 text is traditional: judge it by the share of CJK it decodes to at all, GB text by commonness.
    if encoding == "big5":
        return 0.5 * (1 - _traditional_share(text)) + 0.5 * min(1.0, _traditional_share(text) * 3)
    return _common_share(text)


def decode_text(data: bytes) -> tuple[str, str]:
    """(text, encoding) for bytes of unknown encoding. Never raises."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data.decode(enc, errors="replace"), enc.replace("-sig", "")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    candidates = []
    for enc in ("gb18030", "big5"):
        try:
            candidates.append((data.decode(enc), enc))
        except UnicodeDecodeError:
            continue
    if len(candidates) == 1:
        return candidates[0]
    if len(candidates) == 2:
        return max(candidates, key=lambda c: (_score(c[0], c[1]), c[1] == "gb18030"))
    return _decode_lines(data), "mixed"


def _decode_lines(data: bytes) -> str:
    """A file mixing encodings: each line in the first encoding that decodes it, else GB18030 with U+FFFD."""
    out = []
    for line in data.split(b"\n"):
        for enc in ("utf-8", "gb18030", "big5"):
            try:
                out.append(line.decode(enc))
                break
            except UnicodeDecodeError:
                continue
        else:
            out.append(line.decode("gb18030", errors="replace"))
    return "\n".join(out)


_BLOCK_TAGS = (
    "p",
    "div",
    "br",
    "li",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "article",
    "table",
)
_PAGE_ENCODINGS = frozenset(
    codecs.lookup(name).name
    for name in (
        "utf-8",
        "utf-16",
        "gb18030",
        "gbk",
        "gb2312",
        "big5",
        "big5hkscs",
        "hz",
        "ascii",
        "latin-1",
        "cp1252",
    )
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_-]+)""", re.I)


_TAG = re.compile(r"<[^<>]*>")


def _html_text(data: bytes) -> tuple[str, str]:
    from lxml import html as lxml_html

    m = _META_CHARSET.search(data[:4096])
    text, encoding = None, ""
    if m:
        declared = m.group(1).decode("ascii", "replace").lower()
        declared = {"gb2312": "gb18030", "gbk": "gb18030", "big5": "big5"}.get(declared, declared)
        try:
            # Only the text encodings web pages use: a page may declare any codec name (punycode, idna,
            # rot13…), some of them slow or not text encodings at all; anything else is detected instead.
            if codecs.lookup(declared).name not in _PAGE_ENCODINGS:
                raise LookupError(declared)
            text, encoding = data.decode(declared), declared
        except (LookupError, UnicodeError):
            text = None
    if text is None:
        text, encoding = decode_text(data)
    if not text.strip():
        return "", encoding
    try:
        root = lxml_html.fromstring(text)
    except Exception:  # lxml raises several types on hopeless markup; fall back to tag stripping
        # a tag ends before the next "<": `<[^>]*>` read on to the text's end from every "<" of a run never
        # closed (<!--<<<<…: 40,000 characters 3.3 s, ~n²; docs/security.md §18)
        return _TAG.sub("", text), encoding
    for bad in root.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    for el in root.iter(*_BLOCK_TAGS):
        el.tail = "\n" + (el.tail or "")
    lines = [line.strip() for line in root.text_content().splitlines()]
    return "\n".join(line for line in lines if line), encoding


def _docx_text(data: bytes) -> str:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many types for broken packages
        logging.getLogger(__name__).info("Word document refused: %s: %s", type(exc).__name__, exc)
        raise UnsupportedDocument(
            _("无法读取该 Word 文档：文件可能已损坏或不是 .docx 格式；请用 Word 另存为 .docx 后再导入。")
        ) from None
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(parts)


# A PDF's text costs pypdf ~0.1 ms per content operator, and a few kilobytes of compressed content can hold
# millions of them (12 KB: 125,000, 14 s; one page may unpack to 75 MB, and every page may show the same
# content or a form many times): the operators read across the document are counted and the reading stops at
# PDF_OPERATIONS_MAX (a report typesets ~340 a page: 101 pages, 34,000, 2.7 s), and no one stream parsed is
# longer than pypdf's parsing work PDF_STREAM_WORK (where pypdf has the setting, 7.1 on) (docs/security.md §18).
PDF_OPERATIONS_MAX = 300_000
PDF_STREAM_WORK = 400_000


class _TooMuchWork(Exception):
    pass


def _pdf_limits():
    import contextlib

    import pypdf

    apply = getattr(pypdf, "apply_configuration", None)
    if apply is None:
        return contextlib.nullcontext()
    return apply(stream_parsing_work_maximum_count=PDF_STREAM_WORK)


def _pdf_refusal(exc: Exception) -> str:
    """Why a PDF cannot be read, said to the person who uploaded it (docs/security.md §20): over pypdf's own
    bounds (a stream too large or too complex), locked by a password, or damaged."""
    from pypdf.errors import FileNotDecryptedError, LimitReachedError

    if isinstance(exc, LimitReachedError):
        return _(
            "该 PDF 的内容超出了本站能读取的范围（某一页或其中的数据过大、过于复杂），无法读取；"
            "请拆分成几个较小的文件，或另存为 Word 文档后再导入。"
        )
    if isinstance(exc, FileNotDecryptedError):
        return _("该 PDF 设有打开密码，无法读取；请去掉密码后再导入。")
    return _("无法读取该 PDF 文件：文件可能已损坏或不是标准的 PDF；请用 PDF 阅读器另存一份后再导入。")


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    seen = [0]

    def count(*_args):
        seen[0] += 1
        if seen[0] > PDF_OPERATIONS_MAX:  # raised again at the next operator if a form's reading swallows it
            raise _TooMuchWork

    try:
        with _pdf_limits():
            reader = PdfReader(io.BytesIO(data))
            pages = [page.extract_text(visitor_operand_before=count) or "" for page in reader.pages]
    except _TooMuchWork:
        raise UnsupportedDocument(
            _("该 PDF 的页面内容过多（超过 %(n)s 个排版指令），无法读取；请拆分后再导入。")
            % {"n": f"{PDF_OPERATIONS_MAX:,}"}
        ) from None
    except Exception as exc:  # pypdf raises many types for damaged files
        # a sentence for the person uploading, not the exception's class (which the log keeps for staff)
        logging.getLogger(__name__).info("PDF refused: %s: %s", type(exc).__name__, exc)
        raise UnsupportedDocument(_pdf_refusal(exc)) from None
    text = "\n".join(pages)
    if not text.strip():
        raise UnsupportedDocument(_("该 PDF 没有文字层（可能是扫描件），请先做文字识别（OCR）。"))
    return text


def _extension(filename: str) -> str:
    name = filename.rsplit("/", 1)[-1].lower()
    return "." + name.rsplit(".", 1)[-1] if "." in name else ""


def decode_document(data: bytes, filename: str = "") -> DecodedDocument:
    """The text of a report file. Raises UnsupportedDocument for formats it cannot read."""
    ext = _extension(filename)
    if data.startswith(b"%PDF") or ext == ".pdf":
        return DecodedDocument(_pdf_text(data), "", "pdf")
    if ext == ".docx" or (data.startswith(b"PK") and ext not in TEXT_EXTENSIONS | HTML_EXTENSIONS):
        if not zipfile.is_zipfile(io.BytesIO(data)):
            raise UnsupportedDocument(_("该文件不是有效的 .docx 文档。"))
        if ext not in ("", ".docx"):
            raise UnsupportedDocument(_("不支持的文件类型“%(ext)s”。") % {"ext": ext})
        return DecodedDocument(_docx_text(data), "", "docx")
    if ext in HTML_EXTENSIONS or (
        ext in TEXT_EXTENSIONS and data[:512].lstrip().lower().startswith((b"<!doctype html", b"<html"))
    ):
        text, encoding = _html_text(data)
        return DecodedDocument(text, encoding, "html")
    if ext not in TEXT_EXTENSIONS:
        raise UnsupportedDocument(
            _("不支持的文件类型“%(ext)s”。支持：%(supported)s。")
            % {"ext": ext, "supported": "、".join(SUPPORTED)}
        )
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnsupportedDocument(_("该文件看起来是二进制文件，不是文本。"))
    text, encoding = decode_text(data)
    return DecodedDocument(text, encoding, "txt")
