"""Tables in and out: reading CSV/Excel uploads row by row with line numbers, and writing Excel exports.

Imports are two-phase everywhere in Kechuang: `read_table` gives rows with the line a person sees in
their spreadsheet; the app validates every row and collects `RowError`s; nothing is written unless the
whole file is clean (a dry run shows the same errors without writing).
"""

import contextlib
import csv
import dataclasses
import datetime
import decimal
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext as _

from .display import yes_no
from .exceptions import ApplicationError
from .language import english as local_english
from .lists import listed
from .messages import InBoth, Message, Said, encode, render


def _in_both(error) -> InBoth:
    """One Django ValidationError's message in Chinese and in English (a gettext_lazy message, or a plain one
    that is a msgid of the catalogue, translated; anything else as it is)."""
    texts = []
    for language in (settings.LANGUAGE_CODE, "en"):
        with translation.override(language):
            message = error.message if isinstance(error.message, Promise) else gettext(str(error.message))
            if error.params:
                with contextlib.suppress(KeyError, TypeError, ValueError):
                    message = message % error.params
            texts.append(str(message))
    return InBoth(*texts)


def validation_row_errors(exc: ValidationError, line: int, columns: dict[str, str]) -> list["RowError"]:
    """A model's validation errors (full_clean) as row errors: each reason in the reader's language (kept in
    both, for a report read later), under the column as the file heads it (`columns`: field -> header; an
    error of no column, such as a uniqueness rule over several, under none), never the field's own name."""
    pairs = exc.error_dict.items() if hasattr(exc, "error_dict") else [(NON_FIELD_ERRORS, exc.error_list)]
    out = []
    for name, errors in pairs:
        column = columns.get(name, "")
        for error in errors:
            for one in getattr(error, "error_list", [error]):
                out.append(RowError(line, _in_both(one), column))
    return out


@dataclass(frozen=True)
class Row:
    line: int  # 1-based line in the file as a spreadsheet shows it (the header is line 1)
    values: dict


@dataclass(frozen=True)
class RowError:
    """A bad row: its line, why (`message`, text in the language active when it was found) and the column.
    Given a core.messages.Message, it also keeps the words as msgid and parameters (`said`), so that a report
    kept for later (a background import's result) reads in its reader's language (`text`)."""

    line: int
    message: str
    field: str = ""
    said: dict = dataclasses.field(default_factory=dict, compare=False)

    def __post_init__(self):
        if isinstance(self.message, Message):
            object.__setattr__(self, "said", encode(self.message))
            object.__setattr__(self, "message", str(self.message))

    @property
    def text(self) -> str:
        return render(self.said or None, self.message)

    def words(self, headings: "Headings | None" = None) -> Message:
        """The error as words kept for later (a background job's refusal): line, column and why, read in each
        reader's language — the column by its heading in that language when `headings` (the format) names it."""
        reason = Said(self.said) if self.said else self.message
        if not self.field:
            return Message(gettext_noop("第%(line)d行：%(reason)s"), line=self.line, reason=reason)
        column = headings.both(self.field) if headings else self.field
        return Message(
            gettext_noop("第%(line)d行 [%(column)s]：%(reason)s"),
            line=self.line,
            column=column,
            reason=reason,
        )

    def __str__(self):
        where = _("第%(line)d行") % {"line": self.line}
        return f"{where}{' [' + self.field + ']' if self.field else ''}: {self.text}"


def row_error_text(stored: dict) -> str:
    """A stored row error's reason (ImportReport.as_dict) in the active language."""
    return render(stored.get("said") or None, str(stored.get("message", "")))


def error_words(stored: dict) -> str:
    """A stored row error (ImportReport.as_dict) as one line in the active language — "第 N 行 [列]：原因", the
    column by its heading in that language when the report kept its words; else as it was stored (the column as
    the worker's language named it)."""
    if stored.get("words"):
        return render(stored["words"])
    return _("第 %(line)s 行 %(field)s：%(message)s") % {
        "line": stored.get("line", ""),
        "field": stored.get("field", ""),
        "message": row_error_text(stored),
    }


@dataclass
class ImportReport:
    """What an import found: rows it would write, every bad row, and whether it wrote anything."""

    total: int = 0
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = True
    committed: bool = False
    # What the reader should know about the file that is no error (a column of an older template ignored).
    notes: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self, headings: "Headings | None" = None) -> dict:
        """The report as JSON to keep (a background import's result). With `headings` (the format), each error
        also keeps its words (`RowError.words`: line, column by its heading and why), so a report read later
        names the column in its reader's language rather than the worker's (`error_words`)."""
        return {
            "total": self.total,
            "created": self.created,
            "updated": self.updated,
            "dry_run": self.dry_run,
            "committed": self.committed,
            "errors": [
                {
                    "line": e.line,
                    "field": e.field,
                    "message": e.message,
                    **({"said": e.said} if e.said else {}),
                    **({"words": encode(e.words(headings))} if headings is not None else {}),
                }
                for e in self.errors
            ],
        }


def _decode(data: bytes) -> str:
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ApplicationError(
            _("无法识别文件编码，请另存为 UTF-8 编码的 CSV 或 Excel 文件。"), code="bad_encoding"
        )
    return str(best)


def _clean(value):
    if isinstance(value, str):
        # a NUL is no text a person typed, and PostgreSQL cannot store it (found by tests/test_import_properties.py)
        return value.replace("\x00", "").strip()
    return value


@dataclass(frozen=True)
class Headings:
    """An import format's column headings in both languages, by field, fixed in code (not through the catalogue,
    so a changed translation cannot break a file): the template, the page and the refusals use the reader's, and a
    file headed in either is read (docs/adr/0019)."""

    zh: dict[str, str]
    en: dict[str, str]

    def local(self, *, english: bool | None = None) -> dict[str, str]:
        """The headings in the reader's language (`english` overrides it), by field."""
        return self.en if (local_english() if english is None else english) else self.zh

    def both(self, heading: str) -> "InBoth | str":
        """A column named by its heading in either language, as words read in the reader's (the heading as it is
        when the format has no such column)."""
        for f, zh in self.zh.items():
            if heading in (zh, self.en[f]):
                return InBoth(zh, self.en[f])
        return heading

    def required(self, fields: Iterable[str]) -> list[tuple[str, str]]:
        """`read_table`'s `required` for `fields`: each under either heading, named in the reader's language
        when missing."""
        named = self.local()
        other = self.zh if named is self.en else self.en
        return [(named[f], other[f]) for f in fields]

    def cells(self, row: Row, *, leave: Iterable[str] = ()) -> dict:
        """A row's cells by field (but `leave`), under either language's heading (the Chinese where a file has
        both)."""
        return {
            f: row.values.get(zh) if zh in row.values else row.values.get(self.en[f])
            for f, zh in self.zh.items()
            if f not in leave
        }

    def template(self, filename: str, *, sheet_title: str):
        """The import template as a download: an empty sheet headed in the reader's language (a file headed in
        either is read, so the template filled in imports under either reader)."""
        return xlsx_response(filename, list(self.local().values()), [], sheet_title=sheet_title)


def read_table(
    data: bytes, filename: str, *, sheet: str | None = None, required: Sequence[str | tuple[str, ...]] = ()
) -> list[Row]:
    """Rows of a .csv or .xlsx file as dicts keyed by the (stripped) header. Blank rows are skipped.

    Raises ApplicationError for an unreadable file or missing required columns. A required column given as a
    tuple is there under any of its headings (a format headed in either language); a missing one is named by
    its first.
    """
    name = (filename or "").lower()
    rows: list[Row] = []
    if name.endswith(".csv") or name.endswith(".txt"):
        text = _decode(data)
        try:
            delimiter = csv.Sniffer().sniff(text[:4096], delimiters=",;\t").delimiter
        except csv.Error:
            delimiter = ","
        # Only the delimiter is guessed: spreadsheets always quote with '"' and double it inside a value,
        # and the sniffer's guess of the quoting garbles values such as ',0"' (found by the import properties).
        reader = csv.reader(io.StringIO(text, newline=""), csv.excel, delimiter=delimiter)
        try:
            try:
                header = [(_clean(h) or "") for h in next(reader)]
            except StopIteration:
                raise ApplicationError(_("文件是空的。"), code="empty_file")
            header = _bounded_header(header)
            for i, raw in enumerate(reader, start=2):
                _check_line(i)  # blank lines too: each costs a pass (docs/security.md §29)
                if not any((c or "").strip() for c in raw):
                    continue
                rows.append(
                    Row(
                        i,
                        {
                            h: _unguard(_clean(raw[j])) if j < len(raw) else ""
                            for j, h in enumerate(header)
                            if h
                        },
                    )
                )
        except csv.Error as exc:
            raise ApplicationError(
                _("第%(line)d行无法解析：%(error)s") % {"line": reader.line_num, "error": exc}, code="bad_csv"
            )
    elif name.endswith(".xlsx") or name.endswith(".xlsm"):
        try:
            rows = _xlsx_rows(data, sheet)
        except UNREADABLE as exc:
            raise ApplicationError(
                _("无法读取 Excel 文件：%(error)s") % {"error": exc}, code="bad_file"
            ) from exc
    else:
        raise ApplicationError(_("不支持的文件类型：请上传 .xlsx 或 .csv 文件。"), code="unsupported_file")
    header = rows[0].values if rows else {}
    missing = [
        alternatives[0]
        for alternatives in ((c,) if isinstance(c, str) else tuple(c) for c in required)
        if not any(c in header or _header_has(data, name, c) for c in alternatives)
    ]
    if missing:
        raise ApplicationError(
            _("缺少必需的列：%(cols)s") % {"cols": listed(missing)},
            code="missing_columns",
            fields={"columns": missing},
        )
    return rows


# What reading an .xlsx raises for a file that is not a workbook, or one whose XML parts are not well-formed:
# a broken zip, a missing part (KeyError), openpyxl's own refusals (ValueError, OSError), and the XML parsers'
# errors, which openpyxl lets through while the rows are read (xml.etree's ParseError and lxml's
# XMLSyntaxError are both SyntaxError; defusedxml's refusal of an entity is a ValueError).
UNREADABLE = (zipfile.BadZipFile, KeyError, OSError, ValueError, SyntaxError)


# a row element's start tag, with or without a namespace prefix: <row r="2">, <row/>, <x:row>
ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")


def _count_rows(data: bytes) -> None:
    """Refuse a workbook any of whose sheets has more row elements than an import may have lines, before
    openpyxl reads it: opening a workbook, openpyxl parses the whole of every sheet that does not say its
    size (no <dimension>) to find it, so a 2.4 MB file of a million empty rows cost ~12 s before a row was
    read (docs/security.md §29). Counted streaming, in C (a regular expression over 1 MB pieces), within the
    bounds `check_zip_bounds` already set; another sheet than the one read counts too, since it is parsed."""
    limit = settings.KECHUANG_MAX_IMPORT_ROWS + 1  # lines, with the header
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
                continue
            count, tail = 0, b""
            with archive.open(info) as part:
                while chunk := part.read(1 << 20):
                    piece, keep = tail + chunk, 16  # a tag starting in the last bytes is counted next time
                    end = max(len(piece) - keep, 0)
                    count += sum(1 for m in ROW_TAG.finditer(piece) if m.start() < end)
                    tail = piece[end:]
                    if count > limit:
                        _check_line(limit + 1)
            count += len(ROW_TAG.findall(tail))
            if count > limit:
                _check_line(limit + 1)


def _xlsx_rows(data: bytes, sheet: str | None) -> list[Row]:
    """The rows of an .xlsx (read_table): the first sheet, or `sheet` when the workbook has it."""
    from openpyxl import load_workbook

    rows: list[Row] = []
    _count_rows(data)
    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        ws = wb[sheet] if sheet and sheet in wb.sheetnames else wb.worksheets[0]
        # The sheet's own <dimension> may claim any size: openpyxl pads every row to its width and yields an
        # empty row for every gap, so a 1.5 KB file claiming A1:XFD1048576 with a cell in its last row
        # made 17 billion checks (~20 minutes of a worker). The header is read at most one column past the
        # limit, the rows only as wide as the header, and a line past the row limit is refused.
        limit = settings.KECHUANG_MAX_IMPORT_COLUMNS
        try:
            first = next(ws.iter_rows(min_row=1, max_row=1, max_col=limit + 1, values_only=True))
        except StopIteration:
            raise ApplicationError(_("文件是空的。"), code="empty_file")
        header = _bounded_header([str(_clean(h)) if h is not None else "" for h in first])
        while header and not header[-1]:
            header.pop()
        width = max(len(header), 1)  # max_col=0 would read the sheet's own claim again
        empty = (None,) * width
        for i, raw in enumerate(ws.iter_rows(min_row=2, max_col=width, values_only=True), start=2):
            # every line counts, a blank one too: openpyxl yields a row as wide as the header for every <row>
            # element and for every row number a gap skips, so a 2.4 MB file of a header 500 wide and a
            # million empty rows kept a worker 35 s and was then read as empty (docs/security.md §29)
            _check_line(i)
            if (
                raw is None
                or raw == empty
                or all(c is None or (isinstance(c, str) and not c.strip()) for c in raw)
            ):
                continue
            rows.append(
                Row(i, {h: _clean(raw[j]) if j < len(raw) else None for j, h in enumerate(header) if h})
            )
    finally:
        wb.close()
    return rows


def _bounded_header(header: list[str]) -> list[str]:
    """The header row, refused when it names more columns than an import may have."""
    limit = settings.KECHUANG_MAX_IMPORT_COLUMNS
    named = [j for j, h in enumerate(header) if h]
    if named and named[-1] >= limit:
        raise ApplicationError(
            _("表头超过 %(n)s 列，请删去多余的列后再导入。") % {"n": limit}, code="too_many_columns"
        )
    return header


def _check_line(line: int) -> None:
    """Refuse a file with lines past the row limit (a line counts the header, as the spreadsheet shows it; a
    blank line counts too, as reading it costs as much: §29)."""
    limit = settings.KECHUANG_MAX_IMPORT_ROWS
    if line > limit + 1:
        raise ApplicationError(
            _("文件超过 %(n)s 行数据（第%(line)d行），请分成几个文件导入。") % {"n": limit, "line": line},
            code="too_many_rows",
        )


def _header_has(data: bytes, name: str, column: str) -> bool:
    # A file with a header and no data rows still has its columns.
    if name.endswith(".csv") or name.endswith(".txt"):
        first = _decode(data).splitlines()[:1]
        return bool(first) and column in [c.strip() for c in next(csv.reader(first))]
    return False


def cell_value(value):
    """A value as a cell a person reads, for every Excel file Kechuang writes (`xlsx_bytes` and the list
    exports, core.exports): numbers — Decimals too — stay numbers (they sum and sort in Excel); dates stay
    dates and a moment is its local time without zone (as openpyxl needs); a boolean reads 是/否 (Yes/No in
    English), not TRUE/FALSE; None is an empty cell; anything else is its text."""
    if value is None:
        return None
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, int | float | decimal.Decimal):
        return value
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None, microsecond=0)
    if isinstance(value, datetime.date):
        return value
    return str(value)


# What a spreadsheet reads as the start of a formula when a person types it (or edits the cell and presses
# Enter): "=", "+", "-", "@", and a tab or carriage return before them (OWASP, CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def starts_like_formula(value) -> bool:
    """Whether a spreadsheet would read `value`, as text in a cell, as the start of a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def guard_text(cell) -> None:
    """Keep a text cell that starts like a formula as text: written as a string (openpyxl would write "=…"
    as a formula) and shown with Excel's quote prefix, so neither opening the file nor editing the cell runs
    it. The value itself is unchanged, so the file reads back as it was written (imports, round trips)."""
    if starts_like_formula(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def csv_cell(value):
    """`value` as a CSV cell: text that starts like a formula gets a leading ' (a CSV cell has no quote
    prefix to set), which a spreadsheet takes as text and never runs; a number written as text ("-1.5") is a
    number to the spreadsheet too and stays as it is. Text that already starts with ' before a formula start
    gets one more, so `read_table`, which drops one ' there (`_unguard`), reads every cell back as it was
    written. Anything but text is returned as it is."""
    if isinstance(value, str) and starts_like_formula(value.lstrip("'")) and not _is_number(value):
        return "'" + value
    return value


# An identifier made for programs (OpenReview's note and profile ids: letters, digits, "_", "-", "~", "."). Such
# a cell may start with "-" but cannot call a function in a spreadsheet (no parenthesis, "|", "!" or quote):
# a spreadsheet reads "-abc" as a name it does not know (#NAME?), nothing runs.
_PLAIN_ID = re.compile(r"[A-Za-z0-9_~.-]+")


def csv_id_cell(value):
    """An identifier as a CSV cell of a file for programs (the matcher's interchange, `review.interchange`):
    an id of the URL-safe alphabet alone stays byte for byte (a program must match it; a leading "-" is an
    ordinary OpenReview id), anything else goes through `csv_cell`, so a cell that could run as a formula
    ("=HYPERLINK(…)", "@SUM(…)", "-2+cmd|…!A0") is written inert there too (docs/security.md §45)."""
    if isinstance(value, str) and _PLAIN_ID.fullmatch(value):
        return value
    return csv_cell(value)


def csv_row(values: Iterable) -> list:
    """A row of CSV cells, each through `csv_cell`."""
    return [csv_cell(v) for v in values]


def _unguard(value):
    """A CSV cell as it was before `csv_cell`: "'=x" reads as "=x", "''=x" as "'=x"; a ' before anything
    else stays."""
    if isinstance(value, str) and value.startswith("'") and starts_like_formula(value.lstrip("'")):
        return value[1:]
    return value


def cell_format(cell) -> None:
    """A written cell's format: dates as Excel shows dates (still real dates: sortable, filterable), and text
    that starts like a formula kept as text (`guard_text`)."""
    v = cell.value
    if isinstance(v, datetime.datetime):
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(v, datetime.date):
        cell.number_format = "yyyy-mm-dd"
    else:
        guard_text(cell)


def xlsx_bytes(headers: Sequence[str], rows: Iterable[Sequence], *, sheet_title: str = "Sheet1") -> bytes:
    """An .xlsx file with a bold header row, frozen panes and columns sized to their content."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook(write_only=False)
    ws = wb.active
    ws.title = sheet_title[:31]
    ws.append([str(h) for h in headers])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        guard_text(cell)
    widths = [len(str(h)) * 2 for h in headers]
    for row in rows:
        values = [cell_value(v) for v in row]
        ws.append(values)
        for cell in ws[ws.max_row]:
            cell_format(cell)
        for j, v in enumerate(values[: len(widths)]):
            widths[j] = max(widths[j], min(60, len(str(v or "")) * 2))
    for j, w in enumerate(widths):
        ws.column_dimensions[ws.cell(row=1, column=j + 1).column_letter].width = max(8, w)
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def xlsx_response(
    filename: str, headers: Sequence[str], rows: Iterable[Sequence], *, sheet_title: str = "Sheet1"
):
    """An HTTP download of an Excel file."""
    from urllib.parse import quote

    response = HttpResponse(
        xlsx_bytes(headers, rows, sheet_title=sheet_title),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
