"""List exports to Excel (issue #13 part 7): one helper every list page uses for its 导出 Excel button.

A list page builds its queryset as it does for the page (same filters, same visibility), then, when
`wants_export(request)`, hands it to `export_response` with its columns. Columns say what a person reads:
a Chinese header and a function of the row giving the label (never the code), money as people write it
(`money`), dates and times as dates. The workbook is written in openpyxl's write-only mode to a temporary file
and streamed back, so memory stays flat; at most `KECHUANG_EXPORT_MAX_ROWS` rows are written and the sheet
then says what was left out. Rows are read with `.iterator(chunk_size=…)` so the number of queries does not
grow with the rows (prefetches run once per chunk).

Fixed-layout exports (the official challenge list, the techmap import format) keep `core.excel.xlsx_response`;
both share the cell rules of core.excel (`cell_value`, `cell_format`: booleans 是/否, numbers and
Decimals as numbers, text that starts like a formula stays text: `guard_text`).
"""

import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.db.models import QuerySet
from django.http import FileResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import display
from .excel import cell_format, cell_value

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK = 2000


@dataclass(frozen=True)
class Column:
    """One column: its header as the reader sees it and how to read the value off a row."""

    header: Any  # a (lazy) translated string
    value: Callable[[Any], Any]
    width: int = 16


def col(header, value, width: int = 16) -> Column:
    """A column from a header and either an attribute path ("unit.name") or a function of the row."""
    if isinstance(value, str):
        path = value.split(".")

        def get(obj, path=path):
            for part in path:
                if obj is None:
                    return None
                obj = getattr(obj, part)
            return obj() if callable(obj) else obj

        return Column(header, get, width)
    return Column(header, value, width)


def label(field: str) -> Callable[[Any], str]:
    """The label of a choice field (`get_<field>_display`), never its code."""
    return lambda obj: getattr(obj, f"get_{field}_display")()


def money(attr: str, unit: str = "万元") -> Callable[[Any], str]:
    """An amount as people write it (850 万元, 1.25 亿元)."""

    def get(obj):
        value = obj
        for part in attr.split("."):
            value = getattr(value, part, None) if value is not None else None
        return display.money(value, unit) if value not in (None, "") else ""

    return get


def names(attr: str, sep: str = "、", name: str = "name") -> Callable[[Any], str]:
    """The names of a (prefetched) many-valued relation, joined."""

    def get(obj):
        return sep.join(str(getattr(o, name)) for o in getattr(obj, attr).all())

    return get


def wants_export(request) -> bool:
    return request.GET.get("export") == "xlsx"


def _rows(rows: Iterable) -> Iterable:
    if isinstance(rows, QuerySet):
        return rows.iterator(chunk_size=CHUNK)
    return rows


def write_workbook(
    out, columns: Sequence[Column], rows: Iterable, *, sheet_title: str, limit: int | None = None
) -> int:
    """Write the rows to `out` (a binary file) as one sheet; returns the number of rows written."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    limit = settings.KECHUANG_EXPORT_MAX_ROWS if limit is None else limit
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=str(sheet_title)[:31])
    for j, c in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(j)].width = max(c.width, len(str(c.header)) * 2 + 2)
    ws.freeze_panes = "A2"
    bold = Font(bold=True)

    def cells(values, font=None):
        out_cells = []
        for v in values:
            cell = WriteOnlyCell(ws, value=v)
            cell_format(cell)
            if font is not None:
                cell.font = font
            out_cells.append(cell)
        return out_cells

    ws.append(cells([str(c.header) for c in columns], bold))
    n = 0
    more = False
    for row in _rows(rows):
        if n >= limit:
            more = True
            break
        ws.append(cells([cell_value(c.value(row)) for c in columns]))
        n += 1
    if more:
        ws.append([])
        ws.append(
            [
                _("仅导出前 %(n)d 行；请用筛选条件缩小范围后分批导出。") % {"n": limit},
            ]
        )
    wb.save(out)
    return n


def export_response(
    filename: str,
    columns: Sequence[Column],
    rows: Iterable,
    *,
    sheet_title: str = "",
    limit: int | None = None,
) -> FileResponse:
    """The rows as an .xlsx download, written to a temporary file (bounded memory) and streamed."""
    tmp = tempfile.TemporaryFile()  # noqa: SIM115 -- FileResponse closes it when the response is sent
    write_workbook(tmp, columns, rows, sheet_title=sheet_title or filename.rsplit(".", 1)[0], limit=limit)
    tmp.seek(0)
    if not filename.endswith(".xlsx"):
        filename += ".xlsx"
    response = FileResponse(tmp, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def _audit_lines(events: Iterable) -> Iterable:
    """Audit events in words, a chunk at a time (the names they mention are read once per chunk)."""
    chunk = []
    for event in _rows(events):
        chunk.append(event)
        if len(chunk) == CHUNK:
            yield from display.audit_lines(chunk)
            chunk = []
    if chunk:
        yield from display.audit_lines(chunk)


def _changes(line) -> str:
    colon = _("：")
    return _("；").join(f"{c.label}{colon}{c.old + ' → ' if c.has_old else ''}{c.new}" for c in line.changes)


AUDIT_COLUMNS = [
    Column(gettext_lazy("时间"), lambda e: e.at, 18),
    Column(gettext_lazy("操作人"), lambda e: e.who, 16),
    Column(gettext_lazy("操作"), lambda e: e.what, 16),
    Column(gettext_lazy("对象"), lambda e: e.object, 30),
    Column(gettext_lazy("变更"), _changes, 60),
    Column(gettext_lazy("理由"), lambda e: e.reason, 30),
]


def audit_xlsx(events):
    """The audit log (staff; same filters as the page), newest first, in words."""
    return export_response("审计日志.xlsx", AUDIT_COLUMNS, _audit_lines(events), sheet_title=_("审计日志"))
