"""Reading indicator tables (CSV or Excel) into plain records, without the database.

Two layouts are understood:
- the long table: unit code, unit name, year, indicator code, indicator name, value (English or Chinese
  headers, see COLUMNS);
- the European Innovation Scoreboard download as it is (columns Indicator, Country, CountryName, Year,
  Level, Value ...): the code is the number in front of the indicator's name ("1.1.1 New doctorate
  graduates" -> 1.1.1), level 1 rows repeat level 0 rows and are skipped, and a missing value that the
  file stores as 0.000 is recognised from the file's own dimension scores (see `eis_zero_missing`).

`read_records` is used both by `kechuang index import` (which then writes through services) and by
`kechuang index compute --data` (which never touches the database).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from kechuang.core.excel import Row, RowError, read_table
from kechuang.core.exceptions import ApplicationError

COLUMNS = {
    "unit_code": ("unit_code", "unit", "地区代码", "单位代码", "region_code"),
    "unit_name": ("unit_name", "地区名称", "单位名称", "region_name", "name"),
    "year": ("year", "年份", "年度"),
    "indicator_code": ("indicator_code", "indicator", "指标代码", "code"),
    "indicator_name": ("indicator_name", "指标名称"),
    "value": ("value", "数值", "值"),
}
EIS_COLUMNS = ("Indicator", "Country", "Year", "Value")
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
    if not value.is_finite():
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


def is_eis(rows: list[Row]) -> bool:
    return bool(rows) and all(c in rows[0].values for c in EIS_COLUMNS)


def read_records(data: bytes, filename: str) -> Parsed:
    """Every row of the file as a Record, or a RowError with its line; nothing is dropped silently."""
    if filename.lower().endswith(".gz"):
        import gzip
        import zlib

        try:
            data, filename = gzip.decompress(data), filename[:-3]
        except (OSError, EOFError, zlib.error) as exc:
            raise ApplicationError(
                _("无法解压 .gz 文件：%(error)s") % {"error": exc}, code="bad_file"
            ) from exc
    rows = read_table(data, filename)
    if is_eis(rows):
        return _read_eis(rows)
    return _read_long(rows)


def _read_long(rows: list[Row]) -> Parsed:
    parsed = Parsed(layout="long")
    if rows:
        missing = [
            names[0]
            for key, names in COLUMNS.items()
            if key not in ("unit_name", "indicator_name")
            and _pick(rows[0].values, names) is None
            and not any(n.lower() in {str(k).lower() for k in rows[0].values} for n in names)
        ]
        if missing:
            parsed.errors.append(RowError(1, "缺少必需的列：{}".format("、".join(missing))))
            return parsed
    seen: dict[tuple[str, int, str], int] = {}
    for row in rows:
        v = row.values
        unit = str(_pick(v, COLUMNS["unit_code"]) or "").strip()
        code = str(_pick(v, COLUMNS["indicator_code"]) or "").strip()
        if not unit:
            parsed.errors.append(RowError(row.line, "地区代码为空。", "unit_code"))
            continue
        if not code:
            parsed.errors.append(RowError(row.line, "指标代码为空。", "indicator_code"))
            continue
        if "/" in code or len(code) > 40:
            parsed.errors.append(
                RowError(row.line, "指标代码不能含“/”，且不超过40个字符。", "indicator_code")
            )
            continue
        try:
            year = _year(_pick(v, COLUMNS["year"]))
        except (TypeError, ValueError):
            parsed.errors.append(RowError(row.line, "年份无效：{}".format(_pick(v, COLUMNS["year"])), "year"))
            continue
        try:
            value = _decimal(_pick(v, COLUMNS["value"]))
        except ValueError as exc:
            parsed.errors.append(RowError(row.line, f"数值无效：{exc}", "value"))
            continue
        if value is None:
            parsed.notes.append(f"第{row.line}行没有数值，已跳过。")
            continue
        key = (unit, year, code)
        if key in seen:
            parsed.errors.append(
                RowError(row.line, f"与第{seen[key]}行重复（同一地区、年份、指标）。", "indicator_code")
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


def _read_eis(rows: list[Row]) -> Parsed:
    parsed = Parsed(layout="eis")
    seen: set[tuple[str, int, str]] = set()
    for row in rows:
        v = row.values
        if str(v.get("Level", "0")).strip() not in ("0", "0.0", ""):
            continue  # level 1 rows repeat level 0 rows
        m = CODE_RE.match(str(v.get("Indicator") or ""))
        if not m:
            parsed.errors.append(
                RowError(row.line, "无法识别指标：{}".format(v.get("Indicator")), "Indicator")
            )
            continue
        code, name = m.group(1).replace(",", "."), m.group(2).strip()
        unit = str(v.get("Country") or "").strip()
        if not unit:
            parsed.errors.append(RowError(row.line, "国家代码为空。", "Country"))
            continue
        try:
            year = _year(v.get("Year"))
        except (TypeError, ValueError):
            parsed.errors.append(RowError(row.line, "年份无效：{}".format(v.get("Year")), "Year"))
            continue
        try:
            value = _decimal(v.get("Value"))
        except ValueError as exc:
            parsed.errors.append(RowError(row.line, f"数值无效：{exc}", "Value"))
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
    dropped = eis_zero_missing(parsed.records)
    if dropped:
        parsed.records = [r for r in parsed.records if (r.unit_code, r.indicator_code) not in dropped]
        for unit, code in sorted(dropped):
            parsed.notes.append(
                f"{unit} 的指标 {code} 各年均为 0.000，按本文件的维度得分判定为缺失值，未导入。"
            )
    return parsed


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
