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
