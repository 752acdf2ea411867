"""Platform import from Excel/CSV, and export of any filtered list.

Every row is validated first; with any bad row nothing is written and every bad row is reported with its
line and reason. A clean file is written in one transaction (rows with an existing code update it).

The format has its headings in both languages (`COLUMNS`, `COLUMNS_EN`, fixed here, not through the
catalogue, so a changed translation never breaks a file): a file is read by either, column by column; the
export, the import page and the refusals use the reader's (`headings()`). The cells mean the same in both
files: the approved Chinese name under 名称 / Name, the host by its registered name, kinds, levels and
provinces as a code or a label in either language (docs/adr/0019).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kechuang.accounts.models import Unit
from kechuang.core import divisions
from kechuang.core.choices import code_of
from kechuang.core.excel import Headings, ImportReport, RowError, read_table, validation_row_errors
from kechuang.core.faults import fault_point
from kechuang.core.messages import Message
from kechuang.core.roles import Role, require_role

from . import services
from .models import Kind, Level, Platform, Status

COLUMNS = {
    "code": "编号",
    "name": "名称",
    "kind": "类型",
    "host": "依托单位",
    "established": "成立日期",
    "level": "级别",
    "status": "状态",
    "city": "城市",
    "province": "省份",
    "disciplines": "学科领域",
    "industries": "服务产业",
    "mission": "定位与任务",
    "name_en": "英文名称",
    "short_name": "简称",
    "co_built": "省部共建",
}
COLUMNS_EN = {
    "code": "Code",
    "name": "Name",
    "kind": "Type",
    "host": "Host unit",
    "established": "Date established",
    "level": "Level",
    "status": "Status",
    "city": "City",
    "province": "Province",
    "disciplines": "Disciplines",
    "industries": "Industries served",
    "mission": "Positioning and mission",
    "name_en": "English name",
    "short_name": "Short name",
    "co_built": "Jointly built by province and ministry",
}
PUBLISHED = {"zh": "公开", "en": "Published"}  # the export's last column; the import leaves it
REQUIRED = ("code", "name", "kind", "host", "established")
EXPORT_FIELDS = [
    "code",
    "name",
    "short_name",
    "name_en",
    "kind",
    "level",
    "co_built",
    "host",
    "province",
    "city",
    "disciplines",
    "industries",
    "established",
    "status",
]


HEADINGS = Headings(COLUMNS, COLUMNS_EN)
headings = HEADINGS.local  # the columns' headings in the reader's language (`english` overrides it), by field


def export_headers() -> list[str]:
    """The export's header row in the reader's language (the file imports again as it is)."""
    named = headings()
    return [named[f] for f in EXPORT_FIELDS] + [PUBLISHED["en" if named is COLUMNS_EN else "zh"]]


_values = HEADINGS.cells  # a row's cells by field, under either language's heading


def _province(line: int, value, errors: list) -> str:
    """The code of the province a cell names (code, Chinese or English name); a row error naming it else."""
    text = str(value or "").strip()
    code = divisions.resolve(text) if text else ""
    if code is None:
        errors.append(RowError(line, Message(divisions.UNKNOWN_MSGID, value=text), headings()["province"]))
        return text
    return code


def _date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value or "").strip().replace("/", "-").replace(".", "-")
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


def _bool(value) -> bool:
    return str(value or "").strip().lower() in ("1", "是", "true", "yes", "y", str(_("是")).lower())


def _parse(rows, units: dict[str, Unit]) -> tuple[list[tuple[int, dict]], list[RowError]]:
    parsed, errors = [], []
    seen: dict[str, int] = {}
    named = headings()
    for row in rows:
        v = _values(row)
        line_errors = []
        code = str(v["code"] or "").strip()
        if not code:
            line_errors.append(RowError(row.line, Message(gettext_noop("编号不能为空。")), named["code"]))
        elif code in seen:
            line_errors.append(
                RowError(
                    row.line,
                    Message(gettext_noop("编号与第%(line)d行重复。"), line=seen[code]),
                    named["code"],
                )
            )
        else:
            seen[code] = row.line
        if not str(v["name"] or "").strip():
            line_errors.append(RowError(row.line, Message(gettext_noop("名称不能为空。")), named["name"]))
        kind = code_of(v["kind"], Kind)
        if kind is None:
            line_errors.append(
                RowError(
                    row.line,
                    Message(gettext_noop("未知的平台类型：%(v)s"), v=v["kind"] or ""),
                    named["kind"],
                )
            )
        level = code_of(v["level"], Level) if v["level"] else ""
        if level is None:
            line_errors.append(
                RowError(row.line, Message(gettext_noop("未知的级别：%(v)s"), v=v["level"]), named["level"])
            )
        status = code_of(v["status"], Status) if v["status"] else Status.OPERATING
        if status not in (Status.BUILDING, Status.TRIAL, Status.OPERATING):
            line_errors.append(
                RowError(
                    row.line,
                    Message(gettext_noop("导入的状态只能是建设中、试运行或运行中：%(v)s"), v=v["status"]),
                    named["status"],
                )
            )
        host_name = str(v["host"] or "").strip()
        host = units.get(host_name)
        if host is None:
            line_errors.append(
                RowError(row.line, Message(gettext_noop("依托单位不存在：%(v)s"), v=host_name), named["host"])
            )
        established = _date(v["established"])
        if established is None:
            line_errors.append(
                RowError(
                    row.line,
                    Message(gettext_noop("日期格式应为 YYYY-MM-DD：%(v)s"), v=v["established"] or ""),
                    named["established"],
                )
            )
        elif established > timezone.localdate():
            line_errors.append(
                RowError(row.line, Message(gettext_noop("成立日期不能晚于今天。")), named["established"])
            )
        province = _province(row.line, v["province"], line_errors)
        problem = divisions.city_problem(
            v["city"],
            province,
            held=lambda city, code=code: Platform.objects.filter(code=code, city=city).exists(),
        )
        if problem is not None:
            line_errors.append(RowError(row.line, problem, named["city"]))
        if line_errors:
            errors.extend(line_errors)
            continue
        parsed.append(
            (
                row.line,
                {
                    "code": code,
                    "name": str(v["name"]).strip(),
                    "kind": kind,
                    "level": level,
                    "status": status,
                    "host": host,
                    "established": established,
                    "city": str(v["city"] or "").strip(),
                    "province": province,
                    "disciplines": str(v["disciplines"] or ""),
                    "industries": str(v["industries"] or ""),
                    "mission": str(v["mission"] or ""),
                    "name_en": str(v["name_en"] or ""),
                    "short_name": str(v["short_name"] or ""),
                    "co_built": _bool(v["co_built"]),
                },
            )
        )
    return parsed, errors


def platform_import(
    *, actor, data: bytes, filename: str, dry_run: bool = True, progress=None
) -> ImportReport:
    """Validate every row; write only when the whole file is clean and `dry_run` is False.
    `progress(done, total)` is called as rows are written."""
    require_role(actor, Role.STAFF, message=_(services.NOT_STAFF))
    named = headings()
    # each required column under either heading; a missing one is named in the reader's language
    rows = read_table(data, filename, required=HEADINGS.required(REQUIRED))
    units = {}
    for u in Unit.objects.all():
        units[u.name] = u
        if u.short_name:
            units.setdefault(u.short_name, u)
    parsed, errors = _parse(rows, units)
    report = ImportReport(total=len(rows), dry_run=dry_run, errors=errors)
    existing = {p.code: p for p in Platform.objects.filter(code__in=[v["code"] for _, v in parsed])}
    report.created = sum(1 for _, v in parsed if v["code"] not in existing)
    report.updated = len(parsed) - report.created
    if dry_run or errors:
        return report
    try:
        with transaction.atomic():
            for i, (line, v) in enumerate(parsed, start=1):
                if progress is not None:
                    progress(i, len(parsed))
                try:
                    if v["code"] in existing:
                        p = existing[v["code"]]
                        fields = {k: val for k, val in v.items() if k not in ("code", "host", "status")}
                        fields["level"] = fields["level"] or services.default_level(fields["kind"])
                        services.platform_update(
                            actor=actor,
                            platform=p,
                            expected_version=p.version,
                            reason=_("批量导入"),
                            **fields,
                        )
                    else:
                        services.platform_create(actor=actor, **v)
                    fault_point("platforms.import.row")  # crash tests only: a kill here must leave no row
                except ValidationError as exc:
                    report.errors.extend(validation_row_errors(exc, line, named))
            if report.errors:
                raise _Rollback
    except _Rollback:
        report.committed = False
        return report
    report.committed = True
    return report


class _Rollback(Exception):
    pass


def export_rows(platforms) -> list[list]:
    """Rows of the export sheet, in `export_headers()` order: words in the reader's language, names as
    approved (the import matches by them)."""
    return [
        [
            p.code,
            p.name,
            p.short_name,
            p.name_en,
            p.get_kind_display(),
            p.get_level_display(),
            _("是") if p.co_built else "",
            p.host.name,
            divisions.label(p.province),
            p.city,
            _("、").join(p.disciplines or []),
            _("、").join(p.industries or []),
            p.established.isoformat(),
            p.get_status_display(),
            _("是") if p.published else _("否"),
        ]
        for p in platforms
    ]
