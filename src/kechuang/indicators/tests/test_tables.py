"""Reading long tables: every bad row is reported with its line; good rows become records."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kechuang.core.exceptions import ApplicationError
from kechuang.indicators.tables import _decimal, read_records

GOOD = '地区代码,地区名称,年份,指标代码,指标名称,数值\n620000,甘肃省,2022,RD,研发强度,1.29\n620000,甘肃省,2023年,RD,研发强度,"1,33"\n'


def test_long_table_with_chinese_headers():
    parsed = read_records(GOOD.encode("utf-8"), "x.csv")
    assert parsed.layout == "long" and not parsed.errors
    assert [(r.line, r.year, r.value) for r in parsed.records] == [
        (2, 2022, Decimal("1.29")),
        (3, 2023, Decimal("133")),
    ]


def test_bad_rows_have_lines_and_reasons():
    text = (
        "unit_code,unit_name,year,indicator_code,indicator_name,value\n"
        "A,甲,2022,X,指标,1\n"
        ",乙,2022,X,指标,1\n"
        "A,甲,二〇二二,X,指标,1\n"
        "A,甲,2023,X,指标,abc\n"
        "A,甲,2022,X,指标,2\n"
        "A,甲,2024,X,指标,\n"
    )
    parsed = read_records(text.encode(), "x.csv")
    errors = {(e.line, e.field) for e in parsed.errors}
    # named in the reader's language (the tests read Chinese), not as the file heads them
    assert errors == {(3, "地区代码"), (4, "年份"), (5, "数值"), (6, "指标代码")}
    assert "第2行" in next(e.message for e in parsed.errors if e.line == 6)
    assert parsed.notes and "第7行" in parsed.notes[0]
    assert len(parsed.records) == 1


def test_missing_columns():
    parsed = read_records(b"a,b\n1,2\n", "x.csv")
    assert parsed.errors and parsed.errors[0].line == 1


def test_unsupported_file():
    with pytest.raises(ApplicationError):
        read_records(b"hello", "x.pdf")


def test_excel_long_table():
    from kechuang.core.excel import xlsx_bytes

    data = xlsx_bytes(
        ["unit_code", "unit_name", "year", "indicator_code", "indicator_name", "value"],
        [["B", "乙", 2021, "Y", "y", 3.5]],
    )
    parsed = read_records(data, "x.xlsx")
    assert [(r.unit_code, r.year, r.value) for r in parsed.records] == [("B", 2021, Decimal("3.5"))]


@given(st.decimals(allow_nan=False, allow_infinity=False, places=6, min_value=-(10**9), max_value=10**9))
def test_decimal_round_trip(d):
    assert _decimal(str(d)) == d


@given(st.text(max_size=8))
def test_decimal_gives_a_number_none_or_a_value_error(text):
    try:
        result = _decimal(text)
    except ValueError:
        return
    assert result is None or result.is_finite()


# --- the Commission's workbook, the wide sheet, unit aliases (#20.1) ---

EIS_HEADER = [
    "Indicator",
    "Perf",
    "Year",
    "Zone",
    "Country",
    "CountryName",
    "Region",
    "RegionName",
    "Level",
    "Value",
]


def _xlsx(sheets: dict) -> bytes:
    import io

    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_the_commissions_workbook_reads_every_sheet_in_its_layout():
    inn = [
        EIS_HEADER,
        ["1.1.1 New doctorate graduates", "Strong", 2023, "EU", "AT", "Austria", "AT", "Austria", 0, 1.5],
        ["1.1.1 New doctorate graduates", "", 2023, "EU", "EU27_2020", "EU", "EU", "EU", 0, "1.2"],
        ["1.1.1 New doctorate graduates", "Strong", 2023, "EU", "AT", "Austria", "AT", "Austria", 1, 1.5],
        ["Not an indicator", "Strong", 2023, "EU", "AT", "Austria", "AT", "Austria", 0, 1],
        ["1.1.2 Tertiary education", "Strong", "20x3", "EU", "AT", "Austria", "AT", "Austria", 0, 40],
    ]
    stru = [
        EIS_HEADER,
        ["5.1.1 Share of employment", "Strong", 2023, "EU", "AT", "Austria", "AT", "Austria", 0, 7],
    ]
    parsed = read_records(_xlsx({"EIS-INN": inn, "EIS-STR": stru}), "EIS_Data.xlsx")
    assert parsed.layout == "eis"
    got = {(r.unit_code, r.indicator_code): r.value for r in parsed.records}
    assert got == {
        ("AT", "1.1.1"): Decimal("1.5"),
        ("EU27_2020", "1.1.1"): Decimal("1.2"),
        ("AT", "5.1.1"): 7,
    }
    assert sorted((e.line, e.message.split("：")[0]) for e in parsed.errors) == [
        (5, "工作表 EIS-INN"),
        (6, "工作表 EIS-INN"),
    ]
    assert any("EIS-STR" in n for n in parsed.notes)


def test_the_wide_sheet_one_row_per_unit_and_year():
    rows = [
        ["Country", "CountryName", "Year", "1.1.1 New doctorate graduates", "1.1.2", "Comment"],
        ["AT", "Austria", 2022, 1.5, 40, "x"],
        ["EU27_2020", "EU", 2022, 1.2, None, ""],
        ["SE", "Sweden", 2022, "n.a.", 50, ""],
        ["", "Nowhere", 2022, 1, 1, ""],
    ]
    parsed = read_records(_xlsx({"Sheet": rows}), "wide.xlsx")
    assert parsed.layout == "wide"
    got = {(r.unit_code, r.year, r.indicator_code): r.value for r in parsed.records}
    assert got == {
        ("AT", 2022, "1.1.1"): Decimal("1.5"),
        ("AT", 2022, "1.1.2"): 40,
        ("EU27_2020", 2022, "1.1.1"): Decimal("1.2"),
        ("SE", 2022, "1.1.2"): 50,
    }
    assert {r.indicator_name for r in parsed.records} == {"New doctorate graduates", "1.1.2"}
    assert [(e.line, e.field) for e in parsed.errors] == [
        (4, "1.1.1 New doctorate graduates"),
        (5, "Country"),
    ]
    assert any("Comment" in n for n in parsed.notes)  # a column not understood is named, not guessed


def test_unit_aliases_of_an_edition_map_to_one_code_and_are_reported():
    text = "unit,year,indicator,value\nEU27_2020,2022,1.1.1,1.2\nAT,2022,1.1.1,1.5\n"
    parsed = read_records(text.encode(), "long.csv", unit_aliases={"EU27_2020": "EU", "EU Average": "EU"})
    assert {r.unit_code for r in parsed.records} == {"EU", "AT"}
    assert any("EU27_2020" in n and "EU" in n for n in parsed.notes)
