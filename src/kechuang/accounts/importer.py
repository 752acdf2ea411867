"""Unit import from Excel/CSV, and export of the filtered unit list.

The 行政区划代码 column may be left out or empty: a row with a credit code takes its division from the code
(characters 3-8), and a code given beside it must be the same; a row without one may give six digits.

As every import in Kechuang (core.excel): every row is checked first, each bad row reported with its line
and reason; nothing is written unless the whole file is clean and the import is not a dry run. A row whose
credit code (or, without one, whose name) matches a unit updates it; any other row creates a unit, verified
by the staff member who imports it. 上级单位 and 推荐单位 name a unit already registered or a row above.

The format has its headings in both languages (`COLUMNS`, `COLUMNS_EN`, fixed here, not through the
catalogue, so a changed translation never breaks a file): a file is read by either, column by column; the
export, the import page and the refusals use the reader's (`headings()`, `export_headers()`). The cells mean
the same in both files (the registered name, a kind or province as a code or a label in either language), so
each export imports back under either reader (docs/adr/0019).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kechuang.core import divisions
from kechuang.core.choices import code_of
from kechuang.core.excel import Headings, ImportReport, RowError, read_table, validation_row_errors
from kechuang.core.exceptions import PermissionDenied
from kechuang.core.exports import Column
from kechuang.core.messages import Message

from . import permissions, services
from .models import Unit
from .regions import region_disagrees, region_from_credit_code, region_label
from .validators import PHONE_INVALID, is_valid_phone

COLUMNS = {
    "name": "单位名称",
    "kind": "单位类型",
    "credit_code": "统一社会信用代码",
    "province": "省份",
    "city": "城市",
    "region_code": "行政区划代码",
    "parent": "上级单位",
    "endorser": "推荐单位/主管部门",
    "address": "地址",
    "short_name": "简称",
    "name_en": "英文名称",
    "contact_name": "联系人",
    "contact_phone": "联系电话",
    "contact_email": "联系邮箱",
}
COLUMNS_EN = {
    "name": "Unit name",
    "kind": "Unit type",
    "credit_code": "Unified social credit code",
    "province": "Province",
    "city": "City",
    "region_code": "Division code",
    "parent": "Parent unit",
    "endorser": "Recommending unit / competent department",
    "address": "Address",
    "short_name": "Short name",
    "name_en": "English name",
    "contact_name": "Contact person",
    "contact_phone": "Contact phone",
    "contact_email": "Contact e-mail",
}
REQUIRED = ("name", "kind")
# The export names the division in words where the import's code column stands, and keeps the code in a last
# column headed as a code, for a program (the import reads that column by its header, wherever it is). These
# two headings the import leaves.
REGION_NAME = {"zh": "所在地区", "en": "Region"}
STATUS = {"zh": "核验状态", "en": "Verification status"}


HEADINGS = Headings(COLUMNS, COLUMNS_EN)
headings = HEADINGS.local  # the columns' headings in the reader's language (`english` overrides it), by field


def export_headers(*, english: bool | None = None) -> list[str]:
    """The export's header row in the reader's language (the file imports again as it is)."""
    named = headings(english=english)
    lang = "en" if named is COLUMNS_EN else "zh"
    return [
        *(REGION_NAME[lang] if f == "region_code" else h for f, h in named.items()),
        STATUS[lang],
        named["region_code"],
    ]


# The Chinese file's header row (the command line's export in the site's language uses export_headers()).
EXPORT_HEADERS = export_headers(english=False)


def _values(row) -> dict[str, str]:
    """A row's cells by field, under either language's heading (the Chinese where a file has both), as text."""
    return {f: str(v or "").strip() for f, v in HEADINGS.cells(row).items()}


TEXT_FIELDS = [f for f in COLUMNS if f not in ("kind", "parent", "endorser")]


def _kind(value: str) -> str | None:
    """The kind a cell names: its code, or its label in any of the site's languages (a file exported from
    an English page reads back on a Chinese one)."""
    return code_of(value, Unit.Kind)


class _Rollback(Exception):
    pass


def _parse(rows, known: dict[str, Unit]):
    """(line, fields, existing unit or None) for each clean row, and the errors of the others."""
    parsed, errors = [], []
    by_code = {u.credit_code: u for u in known.values() if u.credit_code}
    seen_names, seen_codes = {}, {}
    named = headings()
    for row in rows:
        v = _values(row)
        line, bad = row.line, []
        kind = _kind(v["kind"])
        if not v["name"]:
            bad.append(RowError(line, Message(gettext_noop("单位名称不能为空。")), named["name"]))
        if kind is None:
            labels = [label for _c, label in Unit.Kind.choices]
            bad.append(
                RowError(
                    line, Message(gettext_noop("单位类型应为：%(labels)s。"), labels=labels), named["kind"]
                )
            )
        code = v["credit_code"].upper()
        if v["name"] in seen_names:
            bad.append(
                RowError(
                    line,
                    Message(gettext_noop("与第%(n)d行单位名称重复。"), n=seen_names[v["name"]]),
                    named["name"],
                )
            )
        if code and code in seen_codes:
            bad.append(
                RowError(
                    line,
                    Message(gettext_noop("与第%(n)d行统一社会信用代码重复。"), n=seen_codes[code]),
                    named["credit_code"],
                )
            )
        refs = {}
        for f in ("parent", "endorser"):
            if v[f] and v[f] not in known and v[f] not in seen_names:
                bad.append(
                    RowError(line, Message(gettext_noop("没有找到单位“%(name)s”。"), name=v[f]), named[f])
                )
            refs[f] = v[f]
        existing = by_code.get(code) if code else None
        existing = existing or known.get(v["name"])
        fields = {f: v[f] for f in TEXT_FIELDS}
        fields["credit_code"], fields["kind"] = code, kind
        # The division comes from the credit code; the column (optional) is for units without one.
        derived = region_from_credit_code(code)
        if derived and v["region_code"] and v["region_code"] != derived:
            bad.append(RowError(line, region_disagrees(v["region_code"], derived), named["region_code"]))
        fields["region_code"] = derived or v["region_code"]
        # The province by code or name (Chinese or English); a unit's own value from before the list, as
        # exported, reads back unchanged.
        province = divisions.resolve(v["province"]) if v["province"] else ""
        if province is None and existing is not None and existing.province == v["province"]:
            province = v["province"]
        if province is None:
            bad.append(RowError(line, divisions.unknown_message(v["province"]), named["province"]))
        fields["province"] = province or ""
        problem = divisions.city_problem(
            v["city"], province, held=lambda city, unit=existing: unit is not None and unit.city == city
        )
        if problem is not None:
            bad.append(RowError(line, problem, named["city"]))
        # The phone as the forms check it; a unit's stored phone from before the check reads back unchanged.
        phone = v["contact_phone"]
        if (
            phone
            and not is_valid_phone(phone)
            and not (existing is not None and existing.contact_phone == phone)
        ):
            bad.append(RowError(line, Message(PHONE_INVALID), named["contact_phone"]))
        if not bad:
            # The row as the unit it would make or change, checked by the model (credit code, uniqueness).
            trial = Unit.objects.get(pk=existing.pk) if existing else Unit()
            for f, value in fields.items():
                setattr(trial, f, value)
            for f, name in refs.items():
                setattr(trial, f, known.get(name))
            try:
                trial.full_clean(exclude=["status"])
                # a short or English name another unit has (docs/security.md §27), as the commit would say
                services.check_names(existing or Unit(), fields, by_staff=True)
            except ValidationError as exc:
                bad.extend(validation_row_errors(exc, line, named))
        if v["name"]:
            seen_names.setdefault(v["name"], line)
        if code:
            seen_codes.setdefault(code, line)
        if bad:
            errors.extend(bad)
        else:
            parsed.append((line, fields, refs, existing))
    return parsed, errors


def unit_import(*, actor, data: bytes, filename: str, dry_run: bool = True) -> ImportReport:
    """Check every row; write (in one transaction, each unit through its audited service) only when the whole
    file is clean and `dry_run` is False."""
    if not permissions.is_staff_member(actor):
        raise PermissionDenied(_("只有科技厅工作人员可以导入单位。"))
    named = headings()
    # each required column under either heading; a missing one is named in the reader's language
    rows = read_table(data, filename, required=HEADINGS.required(REQUIRED))
    cells = [_values(r) for r in rows]
    names = {v[f] for v in cells for f in ("name", "parent", "endorser")}
    codes = {v["credit_code"].upper() for v in cells} - {""}
    known = {u.name: u for u in Unit.objects.filter(name__in=names - {""})}
    known.update({u.name: u for u in Unit.objects.filter(credit_code__in=codes)})
    parsed, errors = _parse(rows, known)
    report = ImportReport(total=len(rows), dry_run=dry_run, errors=errors)
    report.created = sum(1 for *_r, existing in parsed if existing is None)
    report.updated = len(parsed) - report.created
    if dry_run or errors:
        return report
    try:
        with transaction.atomic():
            for line, fields, refs, existing in parsed:
                for f, name in refs.items():
                    fields[f] = known.get(name)
                try:
                    if existing is None:
                        known[fields["name"]] = services.unit_create(actor=actor, **fields)
                    else:
                        known[fields["name"]] = services.unit_update(
                            actor=actor, unit=existing, reason=_("批量导入"), **fields
                        )
                except ValidationError as exc:
                    report.errors.extend(validation_row_errors(exc, line, named))
            if report.errors:
                raise _Rollback
    except _Rollback:
        return report
    report.committed = True
    return report


def export_rows(units) -> list[list]:
    """Rows of the export sheet, in `export_headers()` order (the import reads them back unchanged)."""
    return [export_row(u) for u in units]


def export_row(u) -> list:
    return [
        u.name,
        u.get_kind_display(),
        u.credit_code,
        divisions.name(u.province) or u.province,
        u.city,
        region_label(u.region_code),
        u.parent.name if u.parent_id else "",
        u.endorser.name if u.endorser_id else "",
        u.address,
        u.short_name,
        u.name_en,
        u.contact_name,
        u.contact_phone,
        u.contact_email,
        u.get_status_display(),
        u.region_code,
    ]


# The export's columns for core.exports: the same cells as export_row, one column each, headed in the
# reader's language when the file is made (the import reads the file back unchanged).
_heading = lazy(lambda i: export_headers()[i], str)
EXPORT_COLUMNS = [
    Column(_heading(i), (lambda u, i=i: export_row(u)[i]), 16) for i in range(len(EXPORT_HEADERS))
]
