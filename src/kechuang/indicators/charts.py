"""What the indicator pages draw, as plain data: the chart series and the index run's tables of one year.

Pure functions over values the selectors returned (or a run's stored outputs): no database, no request."""

from __future__ import annotations

import math
from dataclasses import dataclass

from kechuang.core.language import local_name


def target_chart(i, item) -> dict:
    """Values, the trend line through the recent values and the target, year by year up to the target year."""
    hist = dict(item.history)
    first = min(hist)
    last = max(item.target.year, max(hist))
    years = list(range(first, last + 1))
    p = item.progress
    trend = []
    if p.slope is not None and p.projected is not None:
        intercept = p.projected - p.slope * item.target.year
        start = max(hist) - 4
        trend = [round(p.slope * y + intercept, 3) if y >= start else None for y in years]
    values = [hist.get(y) for y in years]
    target = float(item.target.value)
    return {
        "id": f"target-{i}",
        "title": item.target.indicator.local_name,
        "years": years,
        "values": values,
        "trend": trend,
        "target": target,
        "unit": item.target.indicator.local_unit,
        "axis": axis_reaching([*values, *trend], target),
    }


def axis_reaching(values, target: float) -> dict | None:
    """The value axis's bounds on round ticks when the target lies above or below every value shown (the
    chart scales its axis to the values, so such a target was off the axis and not drawn); None when the
    target is among the values (the chart's own scale shows it)."""
    shown = [float(v) for v in values if v is not None]
    if not shown:
        return None
    lo, hi = min(shown), max(shown)
    if lo <= target <= hi:
        return None
    lo, hi = min(lo, target), max(hi, target)
    raw = (hi - lo) / 5 or 1.0
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m for m in (1, 2, 5, 10) if raw / magnitude <= m) * magnitude
    low, high = math.floor(lo / step) * step, math.ceil(hi / step) * step
    return {"min": round(low, 10), "max": round(high, 10), "interval": round(step, 10)}


def indicator_trend(table, *, limit: int = 12) -> dict:
    """An indicator's values year by year for the first `limit` regions of its table."""
    return {
        "years": table.years,
        "series": [{"name": r.name, "data": vals} for r, vals in table.rows[:limit]],
    }


def ranking_chart(ranked) -> dict:
    """The regions of a ranking with their values, best first."""
    return {"names": [r["region"].name for r in ranked], "values": [r["value"] for r in ranked]}


def run_years(outputs: dict) -> list[int]:
    """The years an index run computed."""
    return sorted({r["year"] for r in outputs.get("rows", [])})


@dataclass
class RunYear:
    """One year of an index run: its rows best first, and the names the tables and charts need."""

    year: int
    rows: list[dict]
    node_codes: list[str]
    dims: list[str]  # the sub-indices the radar shows: the second level, else the first
    names: dict
    bands: dict
    unit_names: dict


def run_year(outputs: dict, year: int) -> RunYear:
    """The rows of `year` in a run's outputs, ordered by the index (highest first)."""
    rows = outputs.get("rows", [])
    node_codes = outputs.get("node_codes", [])
    top_codes = [c for c in node_codes if "." not in c] or node_codes
    return RunYear(
        year=year,
        rows=sorted((r for r in rows if r["year"] == year), key=lambda r: -(r["index"] or 0)),
        node_codes=node_codes,
        dims=[c for c in node_codes if c.count(".") == 1] or top_codes,
        names=outputs.get("node_names", {}),
        bands={
            b["code"]: local_name(b.get("label") or b["code"], b.get("label_en") or "")
            for b in outputs.get("bands", [])
        },
        unit_names=outputs.get("unit_names", {}),
    )


def run_radar(ry: RunYear, chosen: list[str]) -> dict:
    """The sub-indices of the chosen units in one year, each axis up to that year's highest value; axes and units
    by name, not by code (walked, session 21: the radar read "C1.1 科技人力资源" and "110000")."""
    return {
        "indicators": [
            {
                "name": ry.names.get(c) or c,
                "max": max([r["nodes"].get(c) or 0 for r in ry.rows] + [1]),
            }
            for c in ry.dims
        ],
        "series": [
            {"name": ry.unit_names.get(r["unit"]) or r["unit"], "value": [r["nodes"].get(c) for c in ry.dims]}
            for r in ry.rows
            if r["unit"] in chosen
        ],
    }


def run_trend(outputs: dict, units: list[str], unit_names: dict | None = None) -> dict:
    """The index of each unit year by year (None where a year has no row for it), each unit by its name."""
    rows = outputs.get("rows", [])
    years = run_years(outputs)
    return {
        "years": years,
        "series": [
            {
                "name": (unit_names or {}).get(u) or u,
                "data": [
                    next((r["index"] for r in rows if r["unit"] == u and r["year"] == y), None) for y in years
                ],
            }
            for u in units
        ],
    }


def run_units(outputs: dict) -> list[str]:
    """Every unit of an index run, by name."""
    return sorted({r["unit"] for r in outputs.get("rows", [])})
