"""The run page's tables and charts from a run's stored outputs, without the database."""

from kechuang.indicators import charts

OUTPUTS = {
    "node_codes": ["A", "A.1", "A.2"],
    "node_names": {"A": "投入", "A.1": "人员", "A.2": "经费"},
    "bands": [{"code": "g1", "label": "第一组"}, {"code": "g2"}],
    "unit_names": {"甲": "甲省"},
    "rows": [
        {"unit": "甲", "year": 2022, "index": 60.0, "nodes": {"A.1": 3.0, "A.2": 5.0}},
        {"unit": "乙", "year": 2022, "index": 70.0, "nodes": {"A.1": 4.0, "A.2": None}},
        {"unit": "甲", "year": 2023, "index": 65.0, "nodes": {"A.1": 2.0, "A.2": 6.0}},
        {"unit": "丙", "year": 2023, "index": None, "nodes": {}},
    ],
}


def test_run_year_orders_by_index_and_picks_second_level_dimensions():
    assert charts.run_years(OUTPUTS) == [2022, 2023]
    ry = charts.run_year(OUTPUTS, 2022)
    assert [r["unit"] for r in ry.rows] == ["乙", "甲"]
    assert ry.dims == ["A.1", "A.2"] and ry.bands == {"g1": "第一组", "g2": "g2"}
    assert charts.run_units(OUTPUTS) == ["丙", "乙", "甲"]


def test_run_radar_and_trend_follow_the_chosen_units():
    ry = charts.run_year(OUTPUTS, 2022)
    radar = charts.run_radar(ry, ["甲"])
    # axes and units by name, not code
    assert radar["indicators"] == [{"name": "人员", "max": 4.0}, {"name": "经费", "max": 5.0}]
    assert radar["series"] == [{"name": "甲省", "value": [3.0, 5.0]}]
    assert charts.run_trend(OUTPUTS, ["甲"], {"甲": "甲省"})["series"] == [
        {"name": "甲省", "data": [60.0, 65.0]}
    ]
    trend = charts.run_trend(OUTPUTS, ["甲", "乙"])
    assert trend == {
        "years": [2022, 2023],
        "series": [{"name": "甲", "data": [60.0, 65.0]}, {"name": "乙", "data": [70.0, None]}],
    }


def test_an_empty_run_has_empty_charts():
    ry = charts.run_year({}, 0)
    assert ry.rows == [] and ry.dims == []
    assert charts.run_radar(ry, []) == {"indicators": [], "series": []}
    assert charts.run_trend({}, []) == {"years": [], "series": []}


def test_the_value_axis_reaches_a_target_above_or_below_every_value():
    """A target chart scales its axis to the values: a 65 % target over values of 52-61 % was off the axis and
    never drawn. The bounds then take in the target on round ticks; a target among the values leaves the
    chart's own scale."""
    from kechuang.indicators.charts import axis_reaching

    assert axis_reaching([52.5, 54.0, None, 58.3, 61.32], 65.0) == {"min": 50, "max": 65, "interval": 5}
    assert axis_reaching([52.5, 58.3], 40.0) == {"min": 40, "max": 60, "interval": 5}
    assert axis_reaching([0.21, 0.24], 0.3) == {"min": 0.2, "max": 0.3, "interval": 0.02}
    assert axis_reaching([60.0, 68.8], 65.0) is None  # among the values: drawn already
    assert axis_reaching([None, None], 65.0) is None
    assert axis_reaching([7.0], 7.0) is None
    bounds = axis_reaching([1200.0, 1350.0], 1800.0)
    assert bounds["min"] <= 1200 and bounds["max"] >= 1800 and bounds["interval"] == 200
