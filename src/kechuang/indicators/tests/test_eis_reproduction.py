"""The engine, given the EIS 2023 framework (data) and the EIS 2023 database, reproduces the published
Summary Innovation Index of every EU member for every year, and the performance groups."""

import numpy as np
import pytest

from kechuang.indicators import formulas, specs
from kechuang.indicators.tables import read_records

EU27 = [
    "AT",
    "BE",
    "BG",
    "CY",
    "CZ",
    "DE",
    "DK",
    "EE",
    "EL",
    "ES",
    "FI",
    "FR",
    "HR",
    "HU",
    "IE",
    "IT",
    "LT",
    "LU",
    "LV",
    "MT",
    "NL",
    "PL",
    "PT",
    "RO",
    "SE",
    "SI",
    "SK",
]


@pytest.fixture(scope="module")
def eis():
    parsed = read_records(specs.EIS_DATA.read_bytes(), specs.EIS_DATA.name)
    result = formulas.compute_index(specs.shipped_spec("eis", "2023"), parsed.data())
    return parsed, result


def test_file_is_read_whole(eis):
    parsed, result = eis
    assert not parsed.errors
    assert len(parsed.unit_names()) == 39
    assert len(result.indicators) == 32  # the data brings 32 indicators under the 12 dimension codes
    assert len([c for c in result.node_codes if c.count(".") == 1]) == 12


def reference_sii(data: dict) -> dict:
    """The Summary Innovation Index computed plainly with numpy, unrounded: min-max of each of the 32
    indicators over all units and years, the mean of the scores a unit has, relative to the EU in 2016."""
    codes = sorted({c for (_, _, c) in data if c.count(".") == 2 and c[0] in "1234"})
    units = sorted({u for (u, _, c) in data if c in codes})
    years = sorted({y for (_, y, _) in data})
    x = np.full((len(units), len(years), len(codes)), np.nan)
    for (u, y, c), v in data.items():
        if c in codes:
            x[units.index(u), years.index(y), codes.index(c)] = v
    lo, hi = np.nanmin(x, axis=(0, 1)), np.nanmax(x, axis=(0, 1))
    mean = np.nanmean((x - lo) / (hi - lo), axis=2)
    sii = 100.0 * mean / mean[units.index("EU Average"), years.index(2016)]
    return {(u, y): float(sii[i, j]) for i, u in enumerate(units) for j, y in enumerate(years)}


def test_full_precision_matches_an_independent_computation(eis):
    parsed, result = eis
    expected = reference_sii(parsed.data())
    assert len(result.rows) == len(expected) == 39 * 8
    worst = max(abs(r.index - expected[(r.unit, r.year)]) for r in result.rows)
    assert worst < 1e-9, worst
    # not rounded anywhere: some results have more than three decimals
    assert any(abs(r.index - round(r.index, 3)) > 1e-6 for r in result.rows)


def test_every_eu_member_every_year_at_the_published_three_decimals(eis):
    parsed, result = eis
    data = parsed.data()
    checked = 0
    for unit in [*EU27, "EU Average"]:
        for year in range(2016, 2024):
            row = result.row(unit, year)
            published = data[(unit, year, "0")]
            assert row.published == round(row.published, 3)  # the edition's published rounding
            # inputs have 3 decimals: the recomputed index agrees to ±0.001
            assert abs(row.published - published) <= 0.001 + 1e-9, (unit, year, row.published, published)
            checked += 1
    assert checked == 28 * 8


def test_the_other_countries_too_except_the_uks_environmental_dimension(eis):
    """The ten non-EU countries besides the UK agree to ±0.001 in every year as well. The UK does not
    (up to 0.23): its file has no 4.3.2, and the published "4.3 Environmental sustainability" is not the
    mean of the UK's other 4.3 indicators (SOURCE.md); its group is right all the same."""
    parsed, result = eis
    data = parsed.data()
    others = sorted(u for u in parsed.unit_names() if u not in EU27 and u not in ("EU Average", "UK"))
    assert len(others) == 10
    for unit in others:
        for year in range(2016, 2024):
            row = result.row(unit, year)
            assert abs(row.published - data[(unit, year, "0")]) <= 0.001 + 1e-9, (unit, year)
    uk = result.row("UK", 2023)
    assert ("UK", 2023, "4.3.2") not in data
    assert abs(uk.nodes["4.3"] - data[("UK", 2023, "4.3")]) > 1  # the documented deviation
    assert uk.group == parsed.published[("UK", 2023)]


def test_groups_exactly(eis):
    """The file's Perf column carries each country's group in the edition year (2023) on every row."""
    parsed, result = eis
    countries = sorted(u for u in parsed.unit_names() if u != "EU Average")
    assert len(countries) == 38
    for unit in countries:
        assert result.row(unit, 2023).group == parsed.published[(unit, 2023)], unit
    for unit in EU27:
        assert result.row(unit, 2023).group == parsed.published[(unit, 2023)], unit
        assert {parsed.published[(unit, y)] for y in range(2016, 2024)} == {parsed.published[(unit, 2023)]}
    assert result.row("EU Average", 2023).group == "EU"
    leaders = sorted(u for u in EU27 if result.row(u, 2023).group == "Leader")
    assert leaders == ["BE", "DK", "FI", "NL", "SE"]


def test_dimension_scores_except_the_documented_2_1_quirk(eis):
    parsed, result = eis
    data = parsed.data()
    for unit in EU27:
        for year in range(2016, 2024):
            for dim in [c for c in result.node_codes if c.count(".") == 1]:
                if dim == "2.1" and 2017 <= year <= 2021:
                    continue  # published values do not follow from their own indicators (SOURCE.md)
                assert abs(result.row(unit, year).nodes[dim] - data[(unit, year, dim)]) <= 0.0015, (
                    unit,
                    year,
                    dim,
                )


def test_missing_values_stored_as_zero_are_recognised(eis):
    parsed, _result = eis
    data = parsed.data()
    assert ("IE", 2020, "3.2.3") not in data  # a missing value stored as 0.000
    assert data[("RO", 2020, "1.1.2")] == 0.0  # a true minimum keeps its zero
    assert any("IE" in n and "3.2.3" in n for n in parsed.notes)


def test_the_eu_row_under_the_commissions_own_code_groups_the_same(eis):
    """A long table whose EU row is EU27_2020 (as the Commission's download names it): the edition's
    reference role finds it, and every index and group is the same."""
    parsed, result = eis
    renamed = {("EU27_2020" if u == "EU Average" else u, y, c): v for (u, y, c), v in parsed.data().items()}
    again = formulas.compute_index(specs.shipped_spec("eis", "2023"), renamed)
    assert again.reference == ("EU27_2020", 2016)
    for row in result.rows:
        other = again.row("EU27_2020" if row.unit == "EU Average" else row.unit, row.year)
        assert (other.index, other.group) == (row.index, row.group)
    assert again.row("EU27_2020", 2023).group == "EU"
    assert not again.warnings


def test_an_unknown_reference_is_an_error_that_says_what_to_do(eis):
    parsed, _result = eis
    renamed = {("EUROPE" if u == "EU Average" else u, y, c): v for (u, y, c), v in parsed.data().items()}
    with pytest.raises(formulas.FormulaError, match="EU27_2020") as exc:
        formulas.compute_index(specs.shipped_spec("eis", "2023"), renamed)
    assert "aliases" in str(exc.value) and "EUROPE" in str(exc.value)


def test_editions_are_data_with_their_sources():
    editions = {(s["code"], s["edition"]) for s in specs.shipped_specs()}
    assert {
        ("eis", "2023"),
        ("eis", "2024"),
        ("eis", "2025"),
        ("ris", "2023"),
        ("cn-csti", "2023"),
    } <= editions
    years = {}
    for spec in specs.shipped_specs():
        assert spec["source"], spec["code"]
        rule = formulas.reference_rule(spec["method"])
        if spec["code"] in ("eis", "ris"):
            assert rule.unit == "EU" and "EU27_2020" in rule.aliases
            years[(spec["code"], spec["edition"])] = rule.year
    assert years == {
        ("eis", "2023"): 2016,
        ("eis", "2024"): 2017,
        ("eis", "2025"): 2018,
        ("ris", "2023"): 2016,
    }


def test_the_2025_method_rebases_to_the_eu_of_2018_and_groups_each_year_against_that_year(eis):
    parsed, result = eis
    e25 = formulas.compute_index(specs.shipped_spec("eis", "2025"), parsed.data())
    assert e25.reference == ("EU Average", 2018)
    assert e25.row("EU Average", 2018).index == pytest.approx(100.0, abs=1e-12)
    eu16 = result.row("EU Average", 2018).index / 100.0
    for row in result.rows:
        other = e25.row(row.unit, row.year)
        assert other.index == pytest.approx(row.index / eu16, rel=1e-12)  # the same index, rebased
        eu_same_year = e25.row("EU Average", row.year).index
        assert other.relative == pytest.approx(100.0 * other.index / eu_same_year, rel=1e-12)
        assert other.group == row.group  # a group is relative to the same year: rebasing cannot move it
