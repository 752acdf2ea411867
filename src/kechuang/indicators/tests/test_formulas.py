"""The engine's steps on small cases computed by hand (no database)."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kechuang.indicators import formulas as f
from kechuang.indicators.tests.factories import FrameworkFactory

pytestmark = pytest.mark.filterwarnings("error")


def test_minmax_by_hand():
    assert f.minmax({"a": 1, "b": 3, "c": 5}) == {"a": 0.0, "b": 50.0, "c": 100.0}
    assert f.minmax({"a": 1, "b": 3, "c": 5}, direction="lower") == {"a": 100.0, "b": 50.0, "c": 0.0}
    assert f.minmax({"a": 2, "b": 2}) == {"a": 100.0, "b": 100.0}


def test_ratio_to_standard_capped():
    assert f.ratio_to_standard(50, 200) == 25.0
    assert f.ratio_to_standard(300, 200) == 100.0
    assert f.ratio_to_standard(0.5, 0.4, direction="lower") == pytest.approx(80.0)
    assert f.ratio_to_standard(0.2, 0.4, direction="lower") == 100.0
    with pytest.raises(f.FormulaError):
        f.ratio_to_standard(1, 0)


def test_zscore_by_hand():
    z = f.zscore({"a": 1, "b": 2, "c": 3})
    assert z["b"] == 0
    assert z["c"] == pytest.approx(1 / math.sqrt(2 / 3))
    assert f.zscore({"a": 1, "c": 3}, direction="lower")["c"] == pytest.approx(-1.0)


def test_weighted_arithmetic_mean_over_available():
    # (80×0.5 + 60×0.3) / 0.8: the missing indicator's weight is left out
    assert f.weighted_mean([(80, 0.5), (60, 0.3), (None, 0.2)]) == pytest.approx(72.5)
    assert f.weighted_mean([(None, 1)]) is None


def test_weighted_geometric_mean():
    assert f.weighted_mean([(16, 1), (81, 1)], "geometric") == pytest.approx(36.0)
    assert f.weighted_mean([(8, 2), (1, 1)], "geometric") == pytest.approx(4.0)
    with pytest.raises(f.FormulaError):
        f.weighted_mean([(-1, 1), (2, 1)], "geometric")


def test_transformations():
    assert f.transform(16, "sqrt") == 4
    assert f.transform(math.e - 1, "log") == pytest.approx(1.0)
    with pytest.raises(f.FormulaError):
        f.transform(-1, "sqrt")


def test_rounding_half_up_not_bankers():
    assert f.round_half_up(2.675, 2) == 2.68
    assert f.round_half_up(0.0005, 3) == 0.001
    assert f.round_half_up(None, 2) is None


BANDS = [
    {"code": "Leader", "above": 125},
    {"code": "Strong", "above": 100},
    {"code": "Moderate", "above": 70},
    {"code": "Emerging", "above": None},
]


def test_group_thresholds_are_strict():
    assert f.group_for(126, BANDS) == "Leader"
    assert f.group_for(125, BANDS) == "Strong"
    assert f.group_for(70.01, BANDS) == "Moderate"
    assert f.group_for(70, BANDS) == "Emerging"


def test_tree_of_ratios_weighted_sum():
    spec = FrameworkFactory.build().spec
    data = {
        ("U", 2020, "A.x"): 5,  # 50
        ("U", 2020, "A.y"): 6,  # 150 -> capped 100
        ("U", 2020, "B.z"): 4,  # lower is better: 100×2/4 = 50
        ("V", 2020, "A.x"): 10,  # 100; V has no A.y
        ("V", 2020, "B.z"): 1,  # 200 -> 100
    }
    res = f.compute_index(spec, data)
    u, v = res.row("U", 2020), res.row("V", 2020)
    assert u.nodes == {"A": 75.0, "B": 50.0}
    assert u.index == 65.0  # 0.6×75 + 0.4×50
    assert v.nodes["A"] == 100.0 and v.index == 100.0
    assert v.n_indicators == 2


def test_geometric_tree():
    spec = FrameworkFactory.build().spec
    spec["method"]["aggregate"]["method"] = "geometric"
    data = {("U", 2020, "A.x"): 4, ("U", 2020, "A.y"): 1, ("U", 2020, "B.z"): 4}
    # A = sqrt(40×25) = 31.62..; index = A^0.6 × 50^0.4
    res = f.compute_index(spec, data)
    a = math.sqrt(40 * 25)
    assert res.row("U", 2020).index == pytest.approx(a**0.6 * 50**0.4, abs=1e-12)  # full precision
    assert res.row("U", 2020).published == round(a**0.6 * 50**0.4, 2)  # as the edition rounds


LEAF_SPEC = {
    "code": "t",
    "edition": "1",
    "method": {
        "normalise": {"method": "minmax"},
        "aggregate": {"method": "arithmetic", "over": "leaves"},
        "rebase": {"reference": "R:2020"},
        "rounding": {"index": 3, "nodes": 3},
        "groups": {"reference_unit": "R", "reference_group": "REF", "bands": BANDS},
    },
    "nodes": [{"code": "1", "name": "d", "collect": "prefix"}],
}


def test_minmax_over_all_units_and_years_rebased_with_groups():
    data = {
        ("R", 2020, "1.p"): 2,
        ("S", 2020, "1.p"): 0,
        ("R", 2021, "1.p"): 4,
        ("S", 2021, "1.p"): 4,
        ("R", 2020, "1.q"): 10,
        ("S", 2020, "1.q"): 30,
        ("R", 2021, "1.q"): 20,
        ("S", 2021, "1.q"): 10,
    }
    # p scores R20 50, S20 0, R21 100, S21 100; q scores R20 0, S20 100, R21 50, S21 0
    # means R20 25, S20 50, R21 75, S21 50; relative to R 2020 = 100
    res = f.compute_index(LEAF_SPEC, data)
    got = {(r.unit, r.year): r.index for r in res.rows}
    assert got == {("R", 2020): 100.0, ("S", 2020): 200.0, ("R", 2021): 300.0, ("S", 2021): 200.0}
    assert res.row("S", 2020).group == "Leader"  # 200 % of R in 2020
    assert res.row("S", 2021).group == "Emerging"  # 66.7 % of R in 2021
    assert res.row("R", 2021).group == "REF"
    # a reference given on the command line overrides the framework's
    res2 = f.compute_index(LEAF_SPEC, data, reference="S:2020")
    assert res2.row("R", 2020).index == 50.0


def test_reference_is_a_role_with_aliases_and_groups_may_use_a_fixed_year():
    data = {
        ("EU27_2020", 2020, "1.p"): 2,
        ("S", 2020, "1.p"): 0,
        ("EU27_2020", 2021, "1.p"): 4,
        ("S", 2021, "1.p"): 4,
    }
    spec = {**LEAF_SPEC, "method": {k: v for k, v in LEAF_SPEC["method"].items() if k != "rebase"}}
    spec["method"]["reference"] = {"unit": "EU", "aliases": ["EU Average", "EU27_2020"], "year": 2020}
    spec["method"]["groups"] = {"reference_group": "REF", "bands": BANDS}
    res = f.compute_index(spec, data)
    assert res.reference == ("EU27_2020", 2020)
    # p scores EU20 50, S20 0, EU21 100, S21 100
    assert res.row("S", 2021).index == 200.0 and res.row("S", 2021).relative == 100.0
    assert res.row("S", 2021).group == "Moderate" and res.row("EU27_2020", 2021).group == "REF"
    spec["method"]["groups"]["year"] = 2020  # against the reference of 2020 in every year
    res = f.compute_index(spec, data)
    assert res.row("S", 2021).relative == 200.0 and res.row("S", 2021).group == "Leader"
    # an override by the role's name keeps the aliases
    assert f.compute_index(spec, data, reference="EU:2021").reference == ("EU27_2020", 2021)
    with pytest.raises(f.FormulaError, match="EU27_2020"):
        f.compute_index(spec, {("S", 2020, "1.p"): 1, ("T", 2020, "1.p"): 2})


def test_groups_on_the_published_figures_only_when_the_edition_says_so():
    data = {
        ("R", 2020, "1.p"): 1.0,
        ("S", 2020, "1.p"): 1.0,
        ("Z", 2020, "1.p"): 0.0,
        ("Q", 2020, "1.p"): 70.0,
    }
    spec = {**LEAF_SPEC, "method": {**LEAF_SPEC["method"], "normalise": "none"}}
    spec["method"]["rebase"] = {"reference": "R:2020"}
    spec["method"]["published_rounding"] = {"index": 0, "nodes": 0}
    spec["method"]["groups"] = {**LEAF_SPEC["method"]["groups"]}
    spec["method"].pop("rounding")
    data[("S", 2020, "1.p")] = 1.004  # 100.4 % of R: above 100 at full precision, 100 when rounded
    res = f.compute_index(spec, data)
    assert res.row("S", 2020).group == "Strong" and res.row("S", 2020).published == 100.0
    spec["method"]["groups"]["compare"] = "published"
    assert f.compute_index(spec, data).row("S", 2020).group == "Moderate"


def test_zscore_normalisation_in_a_framework():
    spec = {**LEAF_SPEC, "method": {**LEAF_SPEC["method"], "normalise": {"method": "zscore"}, "rebase": None}}
    spec["method"]["groups"] = {}
    data = {("A", 2020, "1.p"): 1, ("B", 2020, "1.p"): 2, ("C", 2020, "1.p"): 3}
    res = f.compute_index(spec, data)
    assert res.row("B", 2020).index == 0.0
    assert res.row("C", 2020).index == pytest.approx(1.225, abs=1e-3)


def test_new_edition_brings_its_indicators_under_the_same_codes():
    old = {("R", 2020, "1.1"): 1, ("R", 2020, "1.2"): 4, ("S", 2020, "1.1"): 3, ("S", 2020, "1.2"): 2}
    new = {("R", 2020, "1.1"): 1, ("R", 2020, "1.9"): 5, ("S", 2020, "1.1"): 3, ("S", 2020, "1.9"): 1}
    assert f.compute_index(LEAF_SPEC, old).indicators == ["1.1", "1.2"]
    res = f.compute_index(LEAF_SPEC, new)
    assert res.indicators == ["1.1", "1.9"]
    assert res.row("S", 2020).index == 100.0  # (100 + 0) / 2 relative to R's (0 + 100) / 2


def test_reference_without_data_is_refused():
    with pytest.raises(f.FormulaError, match="参照单位"):
        f.compute_index(LEAF_SPEC, {("S", 2020, "1.p"): 1})
    with pytest.raises(f.FormulaError):
        f.parse_reference("EU2016")


def test_unknown_framework_data_refused():
    with pytest.raises(f.FormulaError, match="没有该框架"):
        f.compute_index(FrameworkFactory.build().spec, {("U", 2020, "X"): 1})


def test_parse_reference_keeps_spaces():
    assert f.parse_reference("EU Average:2016") == ("EU Average", 2016)


# --- target progress ---


def test_progress_met():
    p = f.target_progress(
        [(2019, 60.1), (2020, 62.0), (2021, 63.5), (2022, 64.6), (2023, 65.8)],
        target_year=2025,
        target_value=65,
        current_year=2024,
    )
    assert p.status == "met" and p.latest_value == 65.8


def test_progress_on_track_by_hand():
    # slope = Σ dx·y / Σ dx² = 26.1 / 10 = 2.61; mean 57.16; 2025: 57.16 + 4×2.61 = 67.6 ≥ 65
    p = f.target_progress(
        [(2019, 52.1), (2020, 54.3), (2021, 57.2), (2022, 59.8), (2023, 62.4)],
        target_year=2025,
        target_value=65,
        current_year=2024,
    )
    assert p.status == "on_track"
    assert p.slope == pytest.approx(2.61)
    assert p.projected == pytest.approx(67.6)
    assert p.required_slope == pytest.approx(1.3)


def test_progress_at_risk_by_hand():
    # slope 14.6 / 10 = 1.46; mean 55.48; 2025: 55.48 + 5.84 = 61.32 < 65
    p = f.target_progress(
        [(2019, 52.5), (2020, 54.0), (2021, 55.6), (2022, 57.0), (2023, 58.3)],
        target_year=2025,
        target_value=65,
        current_year=2024,
    )
    assert p.status == "at_risk"
    assert p.projected == pytest.approx(61.32)


def test_progress_ignores_future_values_and_handles_passed_deadline():
    pts = [(2019, 10.0), (2020, 20.0), (2021, 30.0), (2022, 80.0)]
    assert f.target_progress(pts, target_year=2025, target_value=65, current_year=2021).status == "on_track"
    assert f.target_progress(pts, target_year=2025, target_value=65, current_year=2022).status == "met"
    assert (
        f.target_progress(pts[:3], target_year=2021, target_value=65, current_year=2023).status == "at_risk"
    )
    assert f.target_progress([], target_year=2025, target_value=65, current_year=2023).status == "no_data"
    assert (
        f.target_progress([(2022, 10)], target_year=2025, target_value=65, current_year=2023).status
        == "at_risk"
    )


def test_progress_at_most():
    pts = [(2020, 0.6), (2021, 0.55), (2022, 0.5)]
    assert (
        f.target_progress(pts, target_year=2025, target_value=0.4, comparator="<=", current_year=2023).status
        == "on_track"
    )
    assert (
        f.target_progress(pts, target_year=2025, target_value=0.5, comparator="<=", current_year=2023).status
        == "met"
    )


# --- Solow residual ---


def test_solow_contribution_by_hand():
    # a = 0.08 − 0.35×0.10 − 0.65×0.01 = 0.0385; E = 0.0385 / 0.08 = 48.125 %
    c = f.solow_contribution(
        output_growth=0.08, capital_growth=0.10, labour_growth=0.01, alpha=0.35, beta=0.65
    )
    assert c.tech_growth == pytest.approx(0.0385)
    assert c.rate == pytest.approx(48.125)
    assert c.capital_share == pytest.approx(43.75)
    assert c.labour_share == pytest.approx(8.125)
    assert c.rate + c.capital_share + c.labour_share == pytest.approx(100)


def test_solow_refuses_bad_input():
    with pytest.raises(f.FormulaError):
        f.solow_contribution(output_growth=0, capital_growth=0.1, labour_growth=0.01)
    with pytest.raises(f.FormulaError):
        f.solow_contribution(output_growth=0.1, capital_growth=0.1, labour_growth=0.01, alpha=1.5)


def test_average_growth():
    assert f.average_growth(100, 121, 2) == pytest.approx(0.1)
    with pytest.raises(f.FormulaError):
        f.average_growth(0, 1, 2)


@given(st.dictionaries(st.text(min_size=1, max_size=3), st.floats(-1e6, 1e6), min_size=1, max_size=20))
def test_minmax_always_between_0_and_100(values):
    scores = f.minmax(values)
    assert all(-1e-9 <= s <= 100 + 1e-9 for s in scores.values())


def test_transformation_step_in_a_framework():
    spec = {**LEAF_SPEC, "method": {**LEAF_SPEC["method"], "transform": "sqrt", "rebase": None, "groups": {}}}
    data = {("A", 2020, "1.p"): 0, ("B", 2020, "1.p"): 25, ("C", 2020, "1.p"): 100}
    # sqrt: 0, 5, 10 -> min-max 0, 50, 100 (without the transformation B would score 25)
    res = f.compute_index(spec, data)
    assert res.row("B", 2020).index == 50.0


def test_shipped_cn_framework_shape_and_weights():
    from kechuang.indicators import specs

    cn = specs.shipped_spec("cn-csti")
    first = cn["nodes"]
    second = [c for n in first for c in n["children"]]
    third = [c for n in second for c in n["children"]]
    assert (len(first), len(second), len(third)) == (5, 12, 44)
    assert sum(n["weight"] for n in first) == pytest.approx(1)
    for node in first + second:
        assert sum(c["weight"] for c in node["children"]) == pytest.approx(1), node["code"]
    assert all(leaf["standard"] > 0 for leaf in third)
    # every region at exactly the standard values scores 100
    data = {(u, 2023, leaf["code"]): leaf["standard"] for leaf in third for u in ("X", "CN")}
    assert f.compute_index(cn, data).row("X", 2023).index == 100.0
    half = {k: v / 2 if k[2] != "C5.2.3" else v * 2 for k, v in data.items() if k[0] == "X"}
    half.update({k: v for k, v in data.items() if k[0] == "CN"})
    res = f.compute_index(cn, half)
    assert res.row("X", 2023).index == 50.0
    assert res.row("X", 2023).relative == 50.0 and res.row("X", 2023).group == "fourth"
    # groups need the national figure: without it the run is refused with the reason
    with pytest.raises(f.FormulaError, match="CN"):
        f.compute_index(cn, {k: v for k, v in half.items() if k[0] == "X"})


_values = st.floats(min_value=0.01, max_value=1e4, allow_nan=False, allow_infinity=False)


@given(st.lists(st.tuples(_values, _values, _values), min_size=1, max_size=6))
def test_ratio_tree_index_stays_between_0_and_100(rows):
    spec = FrameworkFactory.build().spec
    data = {}
    for i, (x, y, z) in enumerate(rows):
        data.update({(f"U{i}", 2020, "A.x"): x, (f"U{i}", 2020, "A.y"): y, (f"U{i}", 2020, "B.z"): z})
    for row in f.compute_index(spec, data).rows:
        assert 0 <= row.index <= 100


@given(st.lists(st.tuples(_values, _values), min_size=2, max_size=6))
def test_the_reference_is_always_100(rows):
    data = {}
    for i, (p, q) in enumerate(rows):
        data.update({(f"U{i}", 2020, "1.p"): p, (f"U{i}", 2020, "1.q"): q})
    data.update({("R", 2020, "1.p"): 1e5, ("R", 2020, "1.q"): 1e5})  # the reference is never all zero
    res = f.compute_index(LEAF_SPEC, data)
    assert res.row("R", 2020).index == 100.0


def test_the_reference_reads_in_the_readers_language_and_the_stored_method_line_in_one_form():
    from django.utils import translation

    from kechuang.indicators.services.runs import _method_text

    method = {"reference": {"unit": "EU", "aliases": ["EU Average", "EU27_2020"], "year": 2016}}
    with translation.override("en"):
        assert f.reference_text(method) == "EU (EU Average, EU27_2020) 2016 = 100"
        stored_en = _method_text({"method": method}, "")
    with translation.override("zh-hans"):
        assert f.reference_text(method) == "EU（EU Average、EU27_2020） 2016 = 100"
        assert _method_text({"method": method}, "") == stored_en
    assert "reference=EU（EU Average、EU27_2020） 2016 = 100" in stored_en
