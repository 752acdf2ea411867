"""Properties of every spreadsheet import: hostile files in, a report or a clear refusal out, and nothing
half-written.

Each import service (platforms, needs, experts, the technology map, indicator values and EIS downloads)
gets random tables: its own columns shuffled, some missing, unknown ones added, rows of the wrong length,
cells of any type (blanks, huge strings, formulas, dates, floats, NaN, booleans, full-width digits, control
characters, BOMs) written as CSV in UTF-8, UTF-8 with a BOM, GB18030 or with semicolons, or as XLSX; and
plain random bytes under each file name. For each:

- the import returns an ImportReport whose every error names a line of the file, or raises
  ApplicationError with a message; never any other exception;
- a dry run writes nothing, and neither does a file with any bad row (no row is written alone);
- a clean, committed import wrote something, and its report says it did.

"Nothing written" is checked on every table of the project: row counts, the latest `updated_at` and the
audit trail. Where an export exists (platforms, the technology map) an exported file imports back with
no error and no new row.
"""

import csv
import datetime
import functools
import gzip
import io
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.apps import apps
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kechuang.core.excel import ImportReport
from kechuang.core.exceptions import ApplicationError
from kechuang.ingest.tests.test_robustness import containers

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

EXAMPLES = 25
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

TRICKY = [
    "",
    " ",
    "\ufeff",
    "=1+1",
    '=HYPERLINK("http://x","y")',
    "@SUM(A1)",
    "+cmd|' /C calc'!A0",
    "NaN",
    "inf",
    "-0",
    "1e309",
    "０１２",
    "１２.５",
    "2024-13-45",
    "2024年2月30日",
    "是",
    "否",
    "√",
    "a,b;c\td",
    '"',
    "\r\n",
    "\x00",
    "\x1b[31m",
    "𠀀𪚥",
    "é",
    "（省略）",
]
CELL = st.one_of(
    st.none(),
    st.sampled_from(TRICKY),
    st.text(max_size=20),
    st.text(alphabet="科技创新平台实验室中心省市12345.-/年月日", max_size=12),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=False, allow_infinity=False, places=4),
    st.dates(min_value=datetime.date(1, 1, 1)),
    st.datetimes(min_value=datetime.datetime(1900, 1, 1)),  # noqa: DTZ001 - Excel cells are naive
    st.booleans(),
    st.integers(min_value=1, max_value=40_000).map(lambda n: "长" * n),
)


@dataclass
class Importer:
    name: str
    columns: list[str]
    good: list  # plausible values, so that some rows get deep into validation

    def run(self, actor, data: bytes, filename: str, dry_run: bool) -> ImportReport:
        if self.name == "platforms":
            from kechuang.platforms.importer import platform_import

            return platform_import(actor=actor, data=data, filename=filename, dry_run=dry_run)
        if self.name == "needs":
            from kechuang.challenges.services.needs import needs_import

            return needs_import(actor=actor, data=data, filename=filename, dry_run=dry_run)
        if self.name == "experts":
            from kechuang.review.services import expert_import

            return expert_import(actor=actor, data=data, filename=filename, dry_run=dry_run)
        if self.name == "units":
            from kechuang.accounts.importer import unit_import

            return unit_import(actor=actor, data=data, filename=filename, dry_run=dry_run)
        if self.name == "techmap":
            from kechuang.techmap.importer import map_import

            return map_import(actor=actor, data=data, filename=filename, dry_run=dry_run)
        from kechuang.indicators.services import values_import

        return values_import(actor=actor, data=data, filename=filename, dry_run=dry_run)


def _importers() -> list[Importer]:
    from kechuang.accounts.importer import COLUMNS as UNIT_COLUMNS
    from kechuang.challenges.services.needs import IMPORT_COLUMNS as NEED_COLUMNS
    from kechuang.indicators.tables import COLUMNS as VALUE_COLUMNS
    from kechuang.indicators.tables import EIS_COLUMNS
    from kechuang.platforms.importer import COLUMNS as PLATFORM_COLUMNS
    from kechuang.platforms.importer import EXPORT_FIELDS, PUBLISHED
    from kechuang.review.services import IMPORT_COLUMNS
    from kechuang.techmap.importer import COLUMNS as MAP_COLUMNS

    return [
        Importer(
            "platforms",
            [PLATFORM_COLUMNS[f] for f in EXPORT_FIELDS] + [PUBLISHED["zh"]],
            [
                "P-001",
                "量子实验室",
                "重点实验室",
                "key_lab",
                "甲大学",
                "2020-01-01",
                "省级",
                "在运行",
                "是",
                "合肥",
            ],
        ),
        Importer(
            "units",
            list(UNIT_COLUMNS.values()),
            ["甲大学", "企业", "高等院校", "91350100M000100Y43", "山西", "太原", "140100", "a@b.cn"],
        ),
        Importer(
            "needs", list(NEED_COLUMNS), ["甲大学", "一般", "较急", "紧急", "100", "新材料", "芯片散热"]
        ),
        Importer(
            "experts",
            list(IMPORT_COLUMNS),
            ["张三", "甲大学", "a@b.cn", "0351-1234567", "080", "080.01", "30", "教授"],
        ),
        Importer(
            "techmap",
            list(MAP_COLUMNS),
            ["集成电路", "上游", "设计", "EDA", "是", "3", "TRL 5", "2024-01-01", "50", "lagging", "领先"],
        ),
        Importer(
            "values",
            [n for names in VALUE_COLUMNS.values() for n in names[:2]] + list(EIS_COLUMNS),
            ["340000", "AH", "2023", "2023.0", "R&D", "1.1.1 New doctorate graduates", "1.5", "0", "BE"],
        ),
    ]


IMPORTERS = {i.name: i for i in _importers()}


@st.composite
def tables(draw, importer: Importer):
    """(header, rows): the importer's columns, some dropped or duplicated, unknown ones added, shuffled."""
    header = draw(st.lists(st.sampled_from(importer.columns), max_size=len(importer.columns) + 2))
    if draw(st.booleans()):
        header = list(dict.fromkeys(importer.columns))  # every column, so that rows reach validation
    header += draw(st.lists(st.one_of(st.text(max_size=8), st.sampled_from(TRICKY)), max_size=2))
    header = draw(st.permutations(header))
    cell = st.one_of(CELL, st.sampled_from(importer.good))
    rows = draw(st.lists(st.lists(cell, max_size=len(header) + 2), max_size=6))
    return header, rows


def _text(v) -> str:
    return "" if v is None else str(v)


def _csv(header, rows, *, encoding: str, delimiter: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    for row in [header, *rows]:
        writer.writerow([_text(v) for v in row])
    return out.getvalue().encode(encoding, errors="replace")


def _xlsx(header, rows) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    def cell(v):
        if isinstance(v, str):
            return ILLEGAL_CHARACTERS_RE.sub("", v)[:32_000]
        if isinstance(v, Decimal):
            return float(v)
        return v

    wb = Workbook()
    ws = wb.active
    for row in [header, *rows]:
        ws.append([cell(v) for v in row])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@st.composite
def files(draw, importer: Importer):
    """(bytes, filename, how many data rows at most): a table in one of the formats, or random bytes."""
    kind = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "semicolon", "xlsx", "bytes"]))
    if kind == "bytes":
        data = draw(st.binary(max_size=400))
        name = draw(st.sampled_from(["a.csv", "a.xlsx", "a.txt", "a.xls", "a.csv.gz", "noext"]))
        return data, name, data.count(b"\n") + 1
    header, rows = draw(tables(importer))
    if kind == "xlsx":
        return _xlsx(header, rows), "表.xlsx", len(rows)
    encoding = "utf-8" if kind == "semicolon" else kind
    data = _csv(header, rows, encoding=encoding, delimiter=";" if kind == "semicolon" else ",")
    if importer.name == "values" and draw(st.booleans()):
        return gzip.compress(data), "values.csv.gz", data.count(b"\n") + 1
    return data, "表.csv", data.count(b"\n") + 1


@functools.cache
def _fingerprint_sql() -> tuple[list[str], str]:
    """The labels of every table of the project (many-to-many tables too) and one SELECT that reads each
    one's row count and, where it has one, its latest `updated_at`."""
    from django.db import connection

    labels, columns = [], []
    q = connection.ops.quote_name
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        table = q(model._meta.db_table)
        labels.append(model._meta.label)
        columns.append(f"(SELECT COUNT(*) FROM {table})")
        local = {f.name: f.column for f in model._meta.local_concrete_fields}
        # A child table's inherited `updated_at` is its parent's column: the parent's own entry reads it.
        columns.append(
            f"(SELECT MAX({q(local['updated_at'])}) FROM {table})" if "updated_at" in local else "NULL"
        )
    return labels, "SELECT " + ", ".join(columns)


def fingerprint() -> dict:
    """Every table's row count and latest change: equal fingerprints mean nothing was written. One query
    (a count and a maximum per table as subqueries) instead of two ORM queries per model: the same rows
    read, 49 ms of CPU → a few (it ran twice for every example drawn; testtime10)."""
    from django.db import connection

    labels, sql = _fingerprint_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    return {label: (row[2 * i], row[2 * i + 1]) for i, label in enumerate(labels)}


def check_import(importer: Importer, actor, data: bytes, filename: str, max_line: int, dry_run: bool):
    before = fingerprint()
    try:
        report = importer.run(actor, data, filename, dry_run)
    except ApplicationError as exc:
        assert str(exc.message).strip(), exc
        assert fingerprint() == before, "a refused file wrote something"
        return None
    assert isinstance(report, ImportReport)
    for error in report.errors:
        assert 1 <= error.line <= max_line + 1, (error, max_line)
        assert str(error.message).strip()
    if dry_run or report.errors:
        assert not report.committed
        assert fingerprint() == before, (
            f"{'a dry run' if dry_run else 'a file with bad rows'} wrote something"
        )
    elif report.created:
        assert report.committed
        assert fingerprint() != before, "a committed import with new rows wrote nothing"
    return report


@pytest.fixture
def world(staff):
    """A unit the good values name, so that some rows pass validation and real writes happen."""
    from kechuang.accounts.tests.factories import UnitFactory

    UnitFactory(name="甲大学", short_name="甲大")
    return staff


@pytest.mark.parametrize("name", list(IMPORTERS))
def test_any_file_gives_a_report_or_a_clear_refusal_and_never_half_writes(world, name):
    importer = IMPORTERS[name]

    @SETTINGS
    @given(file=files(importer), dry_run=st.booleans())
    def run(file, dry_run):
        data, filename, max_line = file
        check_import(importer, world, data, filename, max_line, dry_run)

    run()


# One valid row and one bad row (line 3) per import, for the all-or-nothing property.
MIXED = {
    "units": (
        ["单位名称", "单位类型", "统一社会信用代码"],
        [["丙研究院", "科研院所", ""], ["丁公司", "企业", "91140100000000001X"]],
    ),
    "platforms": (
        ["编号", "名称", "类型", "依托单位", "成立日期", "状态"],
        [
            ["P-9001", "甲实验室", "省重点实验室", "甲大学", "2020-01-01", "运行中"],
            ["P-9002", "乙实验室", "不存在的类型", "甲大学", "2020-01-01", "运行中"],
        ],
    ),
    "needs": (
        ["需求名称", "需求单位", "技术难题", "配套经费"],
        [["散热", "甲大学", "芯片散热", "100"], ["封装", "甲大学", "先进封装", "很多"]],
    ),
    "experts": (
        ["姓名", "单位", "邮箱", "学科代码"],
        [["张三", "甲大学", "zhang9001@b.cn", "材料科学"], ["李四", "甲大学", "li9001@b.cn", "not-a-code"]],
    ),
    "techmap": (
        ["产业链", "环节位置", "环节", "技术名称", "当前TRL"],
        [["集成电路", "上游", "设计", "EDA", "5"], ["集成电路", "上游", "设计", "光刻胶", "12"]],
    ),
    "values": (
        ["unit_code", "year", "indicator_code", "value"],
        [["340000", "2023", "rd", "1.5"], ["340000", "二〇二三", "rd", "1.6"]],
    ),
}


def _file(fmt, header, rows):
    if fmt == "xlsx":
        return _xlsx(header, rows), "t.xlsx"
    return _csv(header, rows, encoding="utf-8", delimiter=","), "t.csv"


def _export(fmt, header, rows):
    """A file as the app exports it (`core.excel.xlsx_bytes`, which the export views use), or as CSV with its
    cells through `core.excel.csv_row` (the command-line exports)."""
    from kechuang.core.excel import csv_row, xlsx_bytes

    if fmt == "xlsx":
        return xlsx_bytes(header, rows), "export.xlsx"
    return _csv(header, [csv_row(r) for r in rows], encoding="utf-8-sig", delimiter=","), "export.csv"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("name", list(IMPORTERS))
def test_a_failing_row_among_good_ones_writes_nothing(world, name, fmt):
    """A file whose second row is bad is refused whole (its good row is not written); the good row alone
    imports."""
    importer = IMPORTERS[name]
    header, rows = MIXED[name]
    data, filename = _file(fmt, header, rows)
    report = check_import(importer, world, data, filename, len(rows), dry_run=False)
    assert report is not None and {e.line for e in report.errors} == {3}, report
    data, filename = _file(fmt, header, rows[:1])
    report = check_import(importer, world, data, filename, 1, dry_run=False)
    assert report is not None and not report.errors and report.committed and report.created == 1, report


ROUND_TRIP_NAME = st.text(
    alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), min_size=1, max_size=30
).filter(lambda s: s.strip() == s and s)


@SETTINGS
@given(
    names=st.lists(ROUND_TRIP_NAME, min_size=1, max_size=4, unique=True), fmt=st.sampled_from(["csv", "xlsx"])
)
def test_platform_export_imports_back_unchanged(world, names, fmt):
    from kechuang.platforms.importer import export_headers, export_rows
    from kechuang.platforms.models import Platform
    from kechuang.platforms.tests.factories import PlatformFactory

    Platform.objects.all().delete()
    platforms = [PlatformFactory(name=name) for name in names]
    data, filename = _export(fmt, export_headers(), export_rows(platforms))
    report = check_import(IMPORTERS["platforms"], world, data, filename, len(names), dry_run=False)
    assert report is not None and not report.errors, report.errors
    assert (report.created, report.updated) == (0, len(names))
    assert sorted(Platform.objects.values_list("name", flat=True)) == sorted(names)


@SETTINGS
@given(
    names=st.lists(ROUND_TRIP_NAME, min_size=1, max_size=4, unique=True),
    trl=st.integers(min_value=1, max_value=9),
    fmt=st.sampled_from(["csv", "xlsx"]),
)
def test_techmap_export_imports_back_unchanged(world, names, trl, fmt):
    from kechuang.techmap.importer import COLUMNS
    from kechuang.techmap.models import Technology
    from kechuang.techmap.selectors import export_rows
    from kechuang.techmap.tests.factories import TechnologyFactory

    Technology.objects.all().delete()
    for name in names:
        TechnologyFactory(name=name)
    data, filename = _export(fmt, COLUMNS, export_rows(user=world))
    before = fingerprint()
    report = check_import(IMPORTERS["techmap"], world, data, filename, len(names), dry_run=False)
    assert report is not None and not report.errors, report.errors
    assert (report.created, report.updated) == (0, 0)
    assert fingerprint() == before  # nothing changed, nothing audited


@st.composite
def reports(draw):
    """A report file: random bytes under any name, or a well-formed container with hostile insides."""
    if draw(st.booleans()):
        return draw(containers())
    data = draw(st.one_of(st.binary(max_size=300), st.text(max_size=200).map(lambda t: t.encode("gb18030"))))
    return data, draw(st.sampled_from(["r.txt", "r.html", "r.docx", "r.pdf", "r.xls", "r"]))


@SETTINGS
@given(file=reports())
def test_any_report_file_is_stored_once_or_refused_without_a_trace(world, file):
    from kechuang.ingest.services import document_ingest

    data, filename = file
    before = fingerprint()
    try:
        document, created = document_ingest(actor=world, data=data, filename=filename)
    except ApplicationError as exc:
        assert str(exc.message).strip()
        assert fingerprint() == before, "a refused report wrote something"
        return
    assert bytes(document.original) == data
    after = fingerprint()
    again, created_again = document_ingest(actor=world, data=data, filename=filename)
    assert again.pk == document.pk and not created_again
    assert fingerprint() == after, "the same bytes again wrote something"


# Regressions from CI runs of the properties above (each one a crash a hostile file caused).


def test_an_expert_row_with_an_address_the_account_refuses_is_a_row_error(world):
    from kechuang.review.services import expert_import

    data = "姓名,单位,邮箱\n张三,甲大学,zhang san<>\n李四,甲大学,lisi@b.cn\n".encode()
    report = expert_import(actor=world, data=data, filename="experts.csv", dry_run=False)
    assert [(e.line, e.field) for e in report.errors] == [(2, "邮箱")]
    from kechuang.accounts.models import User

    assert not User.objects.filter(email__in=["lisi@b.cn", "zhang san<>"]).exists()


def test_a_values_file_named_gz_that_is_not_gzip_is_refused_clearly(world):
    from kechuang.indicators.services import values_import

    with pytest.raises(ApplicationError, match=r"\.gz"):
        values_import(actor=world, data=b"\x00not gzip", filename="values.csv.gz", dry_run=True)


@pytest.mark.parametrize("charset", ["punycode", "idna", "rot13", "zlib", "base64", "utf-7"])
def test_a_page_declaring_an_odd_codec_is_decoded_by_detection(charset):
    from kechuang.ingest.parsers.decode import decode_document

    page = f'<html><head><meta charset="{charset}"></head><body><p>科技厅<年度>总结</p></body></html>'
    decoded = decode_document(page.encode("utf-8"), "page.html")
    assert "科技厅" in decoded.text
