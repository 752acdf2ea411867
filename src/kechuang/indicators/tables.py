"""Reading indicator tables (CSV or Excel) into plain records, without the database.

Three layouts are understood:
- the long table: region code, region name, year, indicator code, indicator name, value (headed in either
  language, LONG_ZH/LONG_EN, or by the older names in COLUMNS), with any unit codes;
- the European Innovation Scoreboard database as the Commission publishes it (EIS_Data.xlsx: sheets such
  as "EIS-INN" and "EIS-STR", each with columns Indicator, Country, CountryName, Year, Level, Value ...;
  every sheet in that layout is read and stacked; a CSV of the same columns too): the code is the number
  in front of the indicator's name ("1.1.1 New doctorate graduates" -> 1.1.1), level 1 rows repeat level
  0 rows and are skipped, and a missing value that the file stores as 0.000 is recognised from the file's
  own dimension scores (see `eis_zero_missing`);
- the wide sheet: one row per unit and year, one column per indicator (a unit column such as Country,
  Region or 地区代码, a Year column, and indicator columns whose header is the code, optionally followed by
  the name: "1.1.1 New doctorate graduates"); other columns are named in the notes, not guessed.

`unit_aliases` ({code in the file: code to store}) maps the codes a file uses for a unit to one code, e.g.
the reference role of an edition (EU27_2020 -> EU); each mapping used is reported.

`read_records` is used both by `kechuang index import` (which then writes through services) and by
`kechuang index compute --data` (which never touches the database).
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kechuang.core.excel import UNREADABLE, Headings, Row, RowError, read_table
from kechuang.core.exceptions import ApplicationError
from kechuang.core.messages import InBoth, Message

# The long table's headings in both languages, fixed here (not through the catalogue, so a changed translation
# never breaks a file): the template and the refusals use the reader's (docs/adr/0019); a file is read under
# either, or under any of the other names in COLUMNS (unit_code …, as files written for earlier versions head
# them), in any case.
LONG_ZH = {
    "unit_code": "地区代码",
    "unit_name": "地区名称",
    "year": "年份",
    "indicator_code": "指标代码",
    "indicator_name": "指标名称",
    "value": "数值",
}
LONG_EN = {
    "unit_code": "Region code",
    "unit_name": "Region name",
    "year": "Year",
    "indicator_code": "Indicator code",
    "indicator_name": "Indicator name",
    "value": "Value",
}
LONG_HEADINGS = Headings(LONG_ZH, LONG_EN)
COLUMNS = {
    "unit_code": ("unit_code", "unit", "地区代码", "单位代码", "region_code", "region code"),
    "unit_name": ("unit_name", "地区名称", "单位名称", "region_name", "name", "region name"),
    "year": ("year", "年份", "年度"),
    "indicator_code": ("indicator_code", "indicator", "指标代码", "code", "indicator code"),
    "indicator_name": ("indicator_name", "指标名称", "indicator name"),
    "value": ("value", "数值", "值"),
}
EIS_COLUMNS = ("Indicator", "Country", "Year", "Value")


def template_header(*, chinese: bool = True) -> list[str]:
    """The long table's header row in the reader's language (the import template): LONG_ZH or LONG_EN."""
    return list(LONG_HEADINGS.local(english=not chinese).values())


CODE_RE = re.compile(r"^\s*(\d+(?:[.,]\d+)*)\s+(.*)$")


@dataclass(frozen=True)
class Record:
    line: int
    unit_code: str
    unit_name: str
    year: int
    indicator_code: str
    indicator_name: str
    value: Decimal


@dataclass
class Parsed:
    """What a table holds: clean records, the bad rows with their lines, and notes on skipped cells."""

    layout: str
    records: list[Record] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    published: dict[tuple[str, int], str] = field(default_factory=dict)  # EIS: (unit, year) -> group
    # the columns as the file heads them (unit_code -> 地区代码 or Country), for a row error found later
    columns: dict[str, str] = field(default_factory=dict)

    def data(self) -> dict[tuple[str, int, str], float]:
        """{(unit code, year, indicator code): value} for the index engine."""
        return {(r.unit_code, r.year, r.indicator_code): float(r.value) for r in self.records}

    def unit_names(self) -> dict[str, str]:
        return {r.unit_code: r.unit_name for r in self.records}

    def indicator_names(self) -> dict[str, str]:
        return {r.indicator_code: r.indicator_name for r in self.records}


def _pick(values: dict, names: tuple[str, ...]):
    lowered = {str(k).strip().lower(): v for k, v in values.items()}
    for name in names:
        if name.lower() in lowered:
            return lowered[name.lower()]
    return None


def _named(key: str) -> InBoth:
    """A required column of the long table, named in the reader's language when the refusal is read."""
    return InBoth(LONG_ZH[key], LONG_EN[key])


def _decimal(raw) -> Decimal | None:
    if raw is None:
        return None
    text = str(raw).strip().replace(",", "").replace("，", "")
    if text in ("", "-", "—", "n/a", "NA", ":"):
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(text)
    if not value.is_finite() or not math.isfinite(float(value)):  # stored as a double (ADR 0015)
        raise ValueError(text)
    return value


def _year(raw) -> int:
    text = str(raw).strip()
    if text.endswith(".0"):
        text = text[:-2]
    if text.endswith("年"):
        text = text[:-1]
    year = int(text)
    if not 1900 <= year <= 2100:
        raise ValueError(text)
    return year


def _year_refused(raw) -> Message:
    if raw is None or not str(raw).strip():
        return Message(gettext_noop("年份为空。"))
    return Message(gettext_noop("年份无效：%(value)s"), value=str(raw))


def is_eis(rows: list[Row]) -> bool:
    return bool(rows) and all(c in rows[0].values for c in EIS_COLUMNS)


def read_records(data: bytes, filename: str, *, unit_aliases: dict[str, str] | None = None) -> Parsed:
    """Every row of the file as a Record, or a RowError with its line; nothing is dropped silently."""
    if filename.lower().endswith(".gz"):
        data, filename = _gunzip(data, filename), filename[:-3]
    parsed = _read_any(data, filename)
    if unit_aliases:
        _map_units(parsed, unit_aliases)
    return parsed


def _gunzip(data: bytes, filename: str) -> bytes:
    """A .gz file's contents, refused past KECHUANG_MAX_UNCOMPRESSED_BYTES (the bound of zip containers):
    a few kilobytes of gzip may unpack to gigabytes, so at most one byte past the bound is ever unpacked."""
    import gzip
    import io
    import zlib

    from django.template.defaultfilters import filesizeformat

    limit = int(settings.KECHUANG_MAX_UNCOMPRESSED_BYTES)
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as gz:
            out = gz.read(limit + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise ApplicationError(_("无法解压 .gz 文件：%(error)s") % {"error": exc}, code="bad_file") from exc
    if len(out) > limit:
        name = filename.replace("\\", "/").rsplit("/", 1)[-1]
        raise ApplicationError(
            _("文件“%(name)s”解压后超过上限 %(limit)s。") % {"name": name, "limit": filesizeformat(limit)},
            code="zip_bomb",
        )
    return out


def _read_any(data: bytes, filename: str) -> Parsed:
    if filename.lower().endswith((".xlsx", ".xlsm")):
        sheets = _sheet_names(data)
        eis_sheets = []
        for name in sheets:
            rows = read_table(data, filename, sheet=name)
            if is_eis(rows):
                eis_sheets.append((name, rows))
        if len(eis_sheets) > 1:
            return _read_eis_sheets(eis_sheets)
    rows = read_table(data, filename)
    if is_eis(rows):
        return _read_eis(rows)
    if is_wide(rows):
        return _read_wide(rows)
    return _read_long(rows)


def _sheet_names(data: bytes) -> list[str]:
    import io

    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True)
    except UNREADABLE as exc:  # a broken zip or XML part (SyntaxError included) is a refusal, not a 500
        raise ApplicationError(_("无法读取 Excel 文件：%(error)s") % {"error": exc}, code="bad_file") from exc
    names = list(wb.sheetnames)
    wb.close()
    return names


def _read_eis_sheets(sheets: list[tuple[str, list[Row]]]) -> Parsed:
    """Every sheet of the Commission's workbook in the EIS layout, stacked; lines are named with the sheet."""
    out = Parsed(layout="eis")
    for name, rows in sheets:
        part = _read_eis(rows, check_zeros=False, sheet=name)
        out.records += part.records
        out.errors += part.errors
        out.published.update(part.published)
        out.notes.append(_("工作表 %(sheet)s：%(n)d 个数值。") % {"sheet": name, "n": len(part.records)})
    seen: set[tuple[str, int, str]] = set()
    unique = []
    for r in out.records:
        key = (r.unit_code, r.year, r.indicator_code)
        if key not in seen:
            seen.add(key)
            unique.append(r)
    out.records = unique
    _drop_zero_missing(out)
    return out


def _map_units(parsed: Parsed, aliases: dict[str, str]) -> None:
    used: dict[str, int] = defaultdict(int)
    records = []
    for r in parsed.records:
        code = aliases.get(r.unit_code)
        if code and code != r.unit_code:
            used[(r.unit_code, code)] += 1
            r = Record(r.line, code, r.unit_name, r.year, r.indicator_code, r.indicator_name, r.value)
        records.append(r)
    parsed.records = records
    parsed.published = {(aliases.get(u, u), y): g for (u, y), g in parsed.published.items()}
    for (old, new), n in sorted(used.items()):
        parsed.notes.append(
            _("单位代码 %(old)s 按版本的参照单位记作 %(new)s（%(n)d 个数值）。")
            % {"old": old, "new": new, "n": n}
        )


UNIT_COLUMNS = (
    "country",
    "region",
    "unit",
    "unit_code",
    "地区代码",
    "单位代码",
    "region_code",
    "region code",
    "nuts",
)
YEAR_COLUMNS = ("year", "年份", "年度")
WIDE_CODE_RE = re.compile(r"^\s*([A-Za-z]*\d+(?:[.,]\d+)*|[A-Z][A-Z0-9]*(?:\.[A-Z0-9]+)+)(?:\s+(.*))?$")


def _wide_columns(header) -> tuple[str | None, str | None, str | None, dict[str, tuple[str, str]], list[str]]:
    unit_col = year_col = name_col = None
    codes: dict[str, tuple[str, str]] = {}
    other: list[str] = []
    for h in header:
        low = str(h).strip().lower()
        if unit_col is None and low in UNIT_COLUMNS:
            unit_col = h
        elif year_col is None and low in YEAR_COLUMNS:
            year_col = h
        elif name_col is None and low in (
            "countryname",
            "regionname",
            "name",
            "unit_name",
            "region name",
            "地区名称",
            "单位名称",
        ):
            name_col = h
        else:
            m = WIDE_CODE_RE.match(str(h))
            if m:
                codes[h] = (m.group(1).replace(",", "."), (m.group(2) or m.group(1)).strip())
            else:
                other.append(h)
    return unit_col, year_col, name_col, codes, other


def is_wide(rows: list[Row]) -> bool:
    if not rows:
        return False
    header = list(rows[0].values)
    if any(
        str(h).strip().lower() in ("value", "数值", "值", "indicator", "指标代码", "indicator code")
        for h in header
    ):
        return False
    unit_col, year_col, _name, codes, _other = _wide_columns(header)
    return bool(unit_col and year_col and codes)


def _read_wide(rows: list[Row]) -> Parsed:
    parsed = Parsed(layout="wide")
    unit_col, year_col, name_col, codes, other = _wide_columns(list(rows[0].values))
    parsed.columns = {"unit_code": str(unit_col), "unit_name": str(name_col or unit_col)}
    for h in other:
        parsed.notes.append(_("列“%(column)s”不是指标列（表头应以指标代码开头），已忽略。") % {"column": h})
    seen: dict[tuple[str, int, str], int] = {}
    for row in rows:
        v = row.values
        unit = str(v.get(unit_col) or "").strip()
        if not unit:
            parsed.errors.append(RowError(row.line, Message(gettext_noop("地区代码为空。")), str(unit_col)))
            continue
        try:
            year = _year(v.get(year_col))
        except (TypeError, ValueError):
            parsed.errors.append(RowError(row.line, _year_refused(v.get(year_col)), str(year_col)))
            continue
        for col, (code, name) in codes.items():
            try:
                value = _decimal(v.get(col))
            except ValueError as exc:
                parsed.errors.append(
                    RowError(
                        row.line,
                        Message(
                            gettext_noop("列“%(column)s”的数值无效：%(value)s"), column=col, value=str(exc)
                        ),
                        str(col),
                    )
                )
                continue
            if value is None:
                continue
            key = (unit, year, code)
            if key in seen:
                parsed.errors.append(
                    RowError(
                        row.line,
                        Message(
                            gettext_noop("与第%(line)d行重复（同一地区、年份、指标 %(code)s）。"),
                            line=seen[key],
                            code=code,
                        ),
                        str(col),
                    )
                )
                continue
            seen[key] = row.line
            unit_name = str(v.get(name_col) or unit).strip() if name_col else unit
            parsed.records.append(Record(row.line, unit, unit_name, year, code, name, value))
    return parsed


def _read_long(rows: list[Row]) -> Parsed:
    parsed = Parsed(layout="long")
    if rows:
        missing = [
            _named(key)
            for key, names in COLUMNS.items()
            if key not in ("unit_name", "indicator_name")
            and _pick(rows[0].values, names) is None
            and not any(n.lower() in {str(k).lower() for k in rows[0].values} for n in names)
        ]
        if missing:
            parsed.errors.append(
                RowError(1, Message(gettext_noop("缺少必需的列：%(columns)s"), columns=missing))
            )
            return parsed
    seen: dict[tuple[str, int, str], int] = {}
    for row in rows:
        v = row.values
        unit = str(_pick(v, COLUMNS["unit_code"]) or "").strip()
        code = str(_pick(v, COLUMNS["indicator_code"]) or "").strip()
        column = LONG_HEADINGS.local()  # a refused row's column in the reader's language
        parsed.columns = parsed.columns or column
        if not unit:
            parsed.errors.append(
                RowError(row.line, Message(gettext_noop("地区代码为空。")), column["unit_code"])
            )
            continue
        if not code:
            parsed.errors.append(
                RowError(row.line, Message(gettext_noop("指标代码为空。")), column["indicator_code"])
            )
            continue
        if "/" in code or len(code) > 40:
            parsed.errors.append(
                RowError(
                    row.line,
                    Message(gettext_noop("指标代码不能含“/”，且不超过40个字符。")),
                    column["indicator_code"],
                )
            )
            continue
        try:
            year = _year(_pick(v, COLUMNS["year"]))
        except (TypeError, ValueError):
            parsed.errors.append(
                RowError(
                    row.line,
                    _year_refused(_pick(v, COLUMNS["year"])),
                    column["year"],
                )
            )
            continue
        try:
            value = _decimal(_pick(v, COLUMNS["value"]))
        except ValueError as exc:
            parsed.errors.append(
                RowError(
                    row.line, Message(gettext_noop("数值无效：%(value)s"), value=str(exc)), column["value"]
                )
            )
            continue
        if value is None:
            parsed.notes.append(_("第%(line)d行没有数值，已跳过。") % {"line": row.line})
            continue
        key = (unit, year, code)
        if key in seen:
            parsed.errors.append(
                RowError(
                    row.line,
                    Message(gettext_noop("与第%(line)d行重复（同一地区、年份、指标）。"), line=seen[key]),
                    column["indicator_code"],
                )
            )
            continue
        seen[key] = row.line
        parsed.records.append(
            Record(
                line=row.line,
                unit_code=unit,
                unit_name=str(_pick(v, COLUMNS["unit_name"]) or unit).strip(),
                year=year,
                indicator_code=code,
                indicator_name=str(_pick(v, COLUMNS["indicator_name"]) or code).strip(),
                value=value,
            )
        )
    return parsed


def _read_eis(rows: list[Row], *, check_zeros: bool = True, sheet: str = "") -> Parsed:
    parsed = Parsed(layout="eis")
    seen: set[tuple[str, int, str]] = set()

    def bad(row: Row, column: str, reason: Message) -> None:
        if sheet:  # one of the workbook's several sheets: say which
            reason = Message(gettext_noop("工作表 %(sheet)s：%(reason)s"), sheet=sheet, reason=reason)
        parsed.errors.append(RowError(row.line, reason, column))

    for row in rows:
        v = row.values
        if str(v.get("Level", "0")).strip() not in ("0", "0.0", ""):
            continue  # level 1 rows repeat level 0 rows
        m = CODE_RE.match(str(v.get("Indicator") or ""))
        if not m:
            bad(row, "Indicator", Message(gettext_noop("无法识别指标：%(value)s"), value=v.get("Indicator")))
            continue
        code, name = m.group(1).replace(",", "."), m.group(2).strip()
        unit = str(v.get("Country") or "").strip()
        if not unit:
            bad(row, "Country", Message(gettext_noop("国家代码为空。")))
            continue
        try:
            year = _year(v.get("Year"))
        except (TypeError, ValueError):
            bad(row, "Year", _year_refused(v.get("Year")))
            continue
        try:
            value = _decimal(v.get("Value"))
        except ValueError as exc:
            bad(row, "Value", Message(gettext_noop("数值无效：%(value)s"), value=str(exc)))
            continue
        if code == "0" and v.get("Perf"):
            parsed.published[(unit, year)] = str(v["Perf"]).strip()
        key = (unit, year, code)
        if value is None or key in seen:
            continue
        seen.add(key)
        parsed.records.append(
            Record(row.line, unit, str(v.get("CountryName") or unit).strip(), year, code, name, value)
        )
    if check_zeros:
        _drop_zero_missing(parsed)
    return parsed


def _drop_zero_missing(parsed: Parsed) -> None:
    dropped = eis_zero_missing(parsed.records)
    if dropped:
        parsed.records = [r for r in parsed.records if (r.unit_code, r.indicator_code) not in dropped]
        for unit, code in sorted(dropped):
            parsed.notes.append(
                _("%(unit)s 的指标 %(code)s 各年均为 0.000，按本文件的维度得分判定为缺失值，未导入。")
                % {"unit": unit, "code": code}
            )


def eis_zero_missing(records: list[Record], tolerance: float = 0.002) -> set[tuple[str, str]]:
    """The (unit, indicator) series the EIS file stores as 0.000 although they are missing values.

    A series that is 0 in every year is a missing value when leaving it out reproduces the file's own
    published dimension scores and keeping it does not (the dimension score is the mean of the indicators
    a country has, min-max normalised over all countries and years, relative to the EU in 2016).
    A true minimum (e.g. a country that is the lowest in every year) keeps its zeros.
    """
    data = {(r.unit_code, r.year, r.indicator_code): float(r.value) for r in records}
    leaves = sorted({c for (_, _, c) in data if c.count(".") == 2 and not c.startswith("5")})
    if not leaves:
        return set()
    years = sorted({y for (_, y, _) in data})
    units = sorted({u for (u, _, _) in data})
    hi = {c: max((v for (u, y, cc), v in data.items() if cc == c), default=0.0) for c in leaves}
    ref_unit = next((u for u in units if u.lower().startswith("eu")), None)
    if ref_unit is None or not years:
        return set()
    base = years[0]
    by_dim: dict[str, list[str]] = defaultdict(list)
    for c in leaves:
        by_dim[c.rsplit(".", 1)[0]].append(c)

    def score(unit, year, dim, exclude=()):
        cs = [c for c in by_dim[dim] if (unit, year, c) in data and c not in exclude and hi[c]]
        ref = [
            data[(ref_unit, base, c)] / hi[c] for c in by_dim[dim] if (ref_unit, base, c) in data and hi[c]
        ]
        if not cs or not ref or sum(ref) == 0:
            return None
        return 100.0 * (sum(data[(unit, year, c)] / hi[c] for c in cs) / len(cs)) / (sum(ref) / len(ref))

    out = set()
    for unit in units:
        for c in leaves:
            series = [data.get((unit, y, c)) for y in years]
            if any(v is None or v != 0 for v in series):
                continue
            dim = c.rsplit(".", 1)[0]
            published = [(y, data.get((unit, y, dim))) for y in years]
            published = [(y, p) for y, p in published if p is not None]
            if not published:
                continue

            def fits(exclude, unit=unit, dim=dim, published=published):
                for y, p in published:
                    s = score(unit, y, dim, exclude)
                    if s is None or abs(s - p) > tolerance:
                        return False
                return True

            if fits((c,)) and not fits(()):
                out.add((unit, c))
    return out
