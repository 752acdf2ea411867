"""The generated dataset's indicators (see core.gendata): the third-level indicators of the shipped
综合科技创新水平指数 framework (and the framework itself), regions (the country, its provinces, and at
province scale the province's cities), ten years of values for each, and the home province's targets."""

import datetime
from decimal import Decimal

from kechuang.core.gendata import Context
from kechuang.core.gendata_words import PROVINCES, province_name

from .models import Framework, Indicator, Region, Target, Value
from .specs import shipped_spec

YEARS = 10


def _leaves(nodes):
    for n in nodes:
        if n.get("children"):
            yield from _leaves(n["children"])
        elif "standard" in n:
            yield n


def generate(ctx: Context) -> None:
    rng = ctx.rng("indicators")
    staff = ctx.shared["known"]["gd_staff"]
    spec = shipped_spec("cn-csti")
    created = ctx.at(ctx.day(400))
    ctx.add(
        Framework,
        code=spec["code"],
        edition=spec["edition"],
        name=spec["name"],
        spec=spec,
        created_at=created,
        updated_at=created,
    )
    leaves = list(_leaves(spec["nodes"]))
    indicators = []
    for leaf in leaves:
        iid = ctx.add(
            Indicator,
            code=leaf["code"],
            name_zh=leaf["name"],
            unit=leaf.get("unit", ""),
            direction=leaf.get("direction", "higher"),
            source="《中国区域科技创新评价报告》",
            published=True,
            created_at=created,
            updated_at=created,
        )
        indicators.append((iid, leaf))
        ctx.audit(
            action="indicator.create",
            model=Indicator,
            obj_id=iid,
            obj_repr=leaf["name"],
            at=created,
            actor=ctx.actor(staff),
        )
    cn = ctx.add(Region, code="CN", name="全国", level="country", created_at=created, updated_at=created)
    regions = [(cn, 0.8)]
    provinces = PROVINCES if ctx.scale == "national" else PROVINCES[:1]
    home = None
    for name, prefix, cities in provinces:
        rid = ctx.add(
            Region,
            code=f"{prefix}0000",
            name=province_name(name),
            level="province",
            parent_id=cn,
            created_at=created,
            updated_at=created,
        )
        home = home or rid
        regions.append((rid, rng.uniform(0.4, 1.4)))
        if ctx.scale != "national":
            for i, city in enumerate(cities, start=1):
                cid = ctx.add(
                    Region,
                    code=f"{prefix}{i:02d}00",
                    name=f"{city}市",
                    level="city",
                    parent_id=rid,
                    created_at=created,
                    updated_at=created,
                )
                regions.append((cid, rng.uniform(0.3, 1.2)))
    first = ctx.as_of.year - YEARS
    for iid, leaf in indicators:
        standard = float(leaf["standard"])
        lower = leaf.get("direction") == "lower"
        for rid, level in regions:
            value = standard * (1 / level if lower else level) * rng.uniform(0.8, 1.0)
            growth = rng.uniform(0.0, 0.06)
            for year in range(first, ctx.as_of.year):
                value *= (1 - growth) if lower else (1 + growth)
                ctx.add(
                    Value,
                    indicator_id=iid,
                    region_id=rid,
                    year=year,
                    edition="",
                    value=Decimal(f"{value:.4f}"),
                    source="imported",
                    provenance={"generated": True, "note": "生成的数据集（虚构的合理数值）"},
                    recorded_by_id=staff,
                    created_at=ctx.at(datetime.date(year + 1, 6, 30)),
                )
        for year in (ctx.as_of.year, ctx.as_of.year + 5):
            ctx.add(
                Target,
                indicator_id=iid,
                region_id=home,
                year=year,
                comparator="<=" if lower else ">=",
                value=Decimal(f"{standard * (0.9 if lower else 1.1):.4f}"),
                note="省“十四五”科技创新规划目标",
                created_at=created,
                updated_at=created,
            )
