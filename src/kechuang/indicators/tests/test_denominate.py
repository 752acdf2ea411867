"""Denomination (COINr's `Denominate`, issue #20 item 4): an indicator divided by a denominator series of
the same unit and year, times a scale factor; hand-checked small cases, the run keeps it, gaps reported."""

import json

import pytest

from kechuang.indicators import formulas as f
from kechuang.indicators import selectors, services
from kechuang.indicators.engine import analysis, methods
from kechuang.indicators.tests.factories import FrameworkFactory, IndicatorFactory, RegionFactory

# X per 1,000 inhabitants: A 10 / 1000 * 1000 = 10, B 30 / 5000 * 1000 = 6, C 20 / 4000 * 1000 = 5
DATA = {
    ("A", 2020, "X"): 10.0,
    ("B", 2020, "X"): 30.0,
    ("C", 2020, "X"): 20.0,
    ("A", 2020, "POP"): 1000.0,
    ("B", 2020, "POP"): 5000.0,
    ("C", 2020, "POP"): 4000.0,
}


def _spec(method=None, scale=1000, y=False):
    leaf = {"code": "X", "name": "研发人员", "denominator": "POP", "denominator_name": "人口"}
    if scale is not None:
        leaf["denominator_scale"] = scale
    children = [leaf] + ([{"code": "Y", "name": "y"}] if y else [])
    return {
        "code": "den",
        "method": {"normalise": {"method": "minmax"}, **(method or {})},
        "nodes": [{"code": "N", "name": "甲", "children": children}],
    }


def test_denominate_divides_by_the_same_unit_and_year_times_the_scale():
    out, gaps = methods.denominate(DATA, {"X": ("POP", 1000.0)})
    assert (out[("A", 2020, "X")], out[("B", 2020, "X")], out[("C", 2020, "X")]) == (10.0, 6.0, 5.0)
    assert out[("A", 2020, "POP")] == 1000.0 and gaps == []


def test_the_index_scores_the_denominated_values_and_does_not_aggregate_the_denominator():
    res = f.compute_index(_spec(), DATA)
    # min-max of 10, 6, 5: A 100, B 20, C 0
    assert res.row("A", 2020).index == pytest.approx(100.0)
    assert res.row("B", 2020).index == pytest.approx(20.0)
    assert res.row("C", 2020).index == pytest.approx(0.0)
    assert res.indicators == ["X"] and res.steps["denominated"] == 3
    # without denomination B (30) is ahead of A (10)
    plain = f.compute_index({**_spec(), "nodes": [{"code": "N", "children": [{"code": "X"}]}]}, DATA)
    assert plain.row("B", 2020).index == pytest.approx(100.0)
    # the scale is a factor on every value: min-max is unchanged by it, distance to the frontier too
    assert f.compute_index(_spec(scale=None), DATA).row("B", 2020).index == pytest.approx(20.0)
    frontier = f.compute_index(_spec({"normalise": {"method": "none"}}, scale=1), DATA)
    assert frontier.row("B", 2020).index == pytest.approx(30 / 5000)


def test_a_missing_denominator_makes_the_value_missing_then_imputed_and_says_so():
    data = dict(DATA)
    data |= {("A", 2021, "X"): 12.0, ("B", 2021, "X"): 33.0, ("C", 2021, "X"): 21.0}
    data |= {("A", 2021, "POP"): 1200.0, ("C", 2021, "POP"): 4200.0}  # B has no population in 2021
    data |= {(u, y, "Y"): 1.0 for u in "ABC" for y in (2020, 2021)}
    res = f.compute_index(_spec(y=True), data)
    assert res.steps["denominator_missing"] == [["B", 2021, "X", "POP"]]
    assert res.row("B", 2021).nodes["N"] is not None and res.row("B", 2021).n_indicators == 1  # Y only
    assert any("B 2021" in w and "研发人员" in w and "人口" in w for w in map(str, res.warnings))
    # with group-mean imputation the gap is filled with the mean of A and C in 2021: (10 + 5) / 2 = 7.5;
    # min-max of X over 10, 6, 5, 10, 7.5, 5 gives it 50
    filled = f.compute_index(_spec({"impute": "group_mean"}, y=True), data)
    assert filled.steps["imputed"] == 1
    n = filled.row("B", 2021).nodes["N"]
    y_score = filled.row("A", 2020).nodes["N"] * 2 - 100  # Y is constant: its min-max score is the same
    assert n == pytest.approx((50.0 + y_score) / 2)


def test_a_zero_denominator_is_a_gap_and_a_denominator_without_data_is_refused():
    data = dict(DATA) | {("C", 2020, "POP"): 0.0}
    res = f.compute_index(_spec(), data)
    assert res.row("C", 2020) is None and res.steps["denominator_missing"] == [["C", 2020, "X", "POP"]]
    no_pop = {k: v for k, v in DATA.items() if k[2] != "POP"}
    with pytest.raises(f.FormulaError, match="POP"):
        f.compute_index(_spec(), no_pop)
    with pytest.raises(f.FormulaError):
        methods.denominate(DATA, {"X": ("POP", 0.0)})


def test_the_monte_carlo_evaluator_scores_the_denominated_values():
    ev = analysis.Evaluator(_spec(), DATA)
    assert sorted(ev.raw["X"].values()) == [5.0, 6.0, 10.0] and "POP" not in ev.codes


@pytest.mark.django_db
def test_a_run_keeps_the_denominator_series_and_re_runs_identically(staff):
    IndicatorFactory(code="X", name_zh="研发人员", published=True)
    IndicatorFactory(code="POP", name_zh="人口", published=False)
    for unit in "ABC":
        RegionFactory(code=unit, name=f"单位{unit}")
    for (unit, year, code), value in DATA.items():
        services.value_record(actor=staff, indicator_code=code, region=unit, year=year, value=value)
    services.value_record(actor=staff, indicator_code="X", region="A", year=2021, value=11.0)
    fw = FrameworkFactory(code="den", spec=_spec())
    data, _edition = selectors.framework_input(framework=fw)
    assert data[("B", 2020, "POP")] == 5000.0
    run = services.index_run_create(actor=staff, framework=fw)
    assert run.inputs["B|2020|POP"] == 5000.0 and "denominator=POPx1000" in run.method
    assert run.public is False  # its inputs include the unpublished population
    rows = {(r["unit"], r["year"]): r["index"] for r in run.outputs["rows"]}
    assert rows[("B", 2020)] == pytest.approx(20.0) and ("A", 2021) not in rows
    assert any("A 2021" in w for w in run.warnings_text)
    run.refresh_from_db()
    kept = {k: v for k, v in run.outputs.items() if k != "unit_names"}
    assert json.dumps(services.run_recompute(run), sort_keys=True) == json.dumps(kept, sort_keys=True)


@pytest.mark.django_db
def test_a_runs_notes_are_kept_as_msgid_and_read_in_each_readers_language(
    staff, api_for, english, english_client_for
):
    from django.utils import translation

    IndicatorFactory(code="X", name_zh="研发人员", published=True)
    IndicatorFactory(code="POP", name_zh="人口", published=True)
    for unit in "ABC":
        RegionFactory(code=unit, name=f"单位{unit}")
    for (unit, year, code), value in DATA.items():
        services.value_record(actor=staff, indicator_code=code, region=unit, year=year, value=value)
    services.value_record(actor=staff, indicator_code="X", region="A", year=2021, value=11.0)
    with translation.override("en"):  # started on an English page: not frozen in English
        run = services.index_run_create(actor=staff, framework=FrameworkFactory(code="den", spec=_spec()))
    run.refresh_from_db()
    (stored,) = run.outputs["warnings"]
    assert isinstance(stored, dict) and stored["p"]["where"] == {"list": ["A 2021"]}
    (zh,) = run.warnings_text
    assert zh.startswith("指标“研发人员”的分母“人口”缺少 1 个单位—年份（A 2021）")
    client = english_client_for(staff)
    page = client.get(run.get_absolute_url()).content.decode()
    assert "is missing for 1 unit-years (A 2021)" in page and "缺少" not in page
    api = api_for(staff)
    english(api)
    (note,) = api.get(f"/api/indicators/runs/{run.pk}/").json()["outputs"]["warnings"]
    assert note.startswith("The denominator")
