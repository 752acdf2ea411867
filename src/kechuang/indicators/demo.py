"""The demo's indicators: the home province's targets and figures, provincial values, both frameworks and the EIS 2023.

The home province is the department's own (HOME = 山西, province A of DOMAIN.md: the demo's department is
山西省科学技术厅, its challenges are open to enterprises registered in 山西, its registry numbers carry 140000),
and the deployment's default KECHUANG_HOME_REGION (docs/deployment.md): the dashboards show its targets. Its
yearly series, growth inputs and 2025 targets are invented (plausible, {"demo": true}), chosen so that one target
is met, one on track and one at risk.

Idempotent: regions and indicators are matched by code, values by indicator, region, year and edition,
frameworks by code and edition. Facts from DOMAIN.md stay with the province they are about (province B = 甘肃 in
the demo, whose annual summary the ingest demo files under 甘肃): the comprehensive S&T innovation index ranked
23rd nationally; 704 NSFC projects with 420 million yuan in one year (the year is not given; the demo files it
under 2022); its 2025 goal of 65 or more for the S&T progress contribution rate, the comprehensive index and the
enterprise share of society's R&D spending (B_TARGETS). 甘肃 is one of the provinces the department compares
itself with. Every other yearly figure is plausible but invented, and says so in its provenance.
"""

import hashlib

from django.db import transaction
from django.utils.translation import gettext_noop

from kechuang.accounts.models import User
from kechuang.core.commands import say

from . import specs
from .models import Framework, Region, Value

HOME = "140000"  # the department's own province (山西), the default KECHUANG_HOME_REGION
PROVINCE_B = "620000"  # 甘肃: DOMAIN.md's province B, whose facts these are
DEMO_NOTE = {"demo": True, "note": "演示数据（虚构的合理数值）"}
FACT_NOTE = {"demo": True, "note": "DOMAIN.md 所述乙省事实；年份为演示假设"}

REGIONS = [
    ("CN", "全国", Region.Level.COUNTRY, None),
    ("620000", "甘肃省", Region.Level.PROVINCE, "CN"),
    ("140000", "山西省", Region.Level.PROVINCE, "CN"),
    ("110000", "北京市", Region.Level.PROVINCE, "CN"),
    ("320000", "江苏省", Region.Level.PROVINCE, "CN"),
    ("610000", "陕西省", Region.Level.PROVINCE, "CN"),
    ("640000", "宁夏回族自治区", Region.Level.PROVINCE, "CN"),
]
# A region's level relative to the standard values, for the invented third-level figures.
LEVEL = {
    "CN": 0.78,
    "620000": 0.55,
    "140000": 0.57,
    "110000": 1.35,
    "320000": 1.02,
    "610000": 0.8,
    "640000": 0.52,
}

HEADLINE = [
    # code, name, English, unit, direction, source
    (
        "KJJBGXL",
        "科技进步贡献率",
        "S&T progress contribution rate",
        "%",
        "higher",
        "省统计局、省科技厅测算（索洛余值法）",
    ),
    (
        "ZHKJCX",
        "综合科技创新水平指数",
        "Comprehensive S&T innovation level index",
        "",  # an index: a score against the standard values, no unit (never "%")
        "higher",
        "《中国区域科技创新评价报告》",
    ),
    (
        "ZHKJCX.RANK",
        "综合科技创新水平指数全国排名",
        "National rank of the comprehensive index",
        "位",
        "lower",
        "《中国区域科技创新评价报告》",
    ),
    (
        "NSFC.PROJECTS",
        "国家自然科学基金立项数",
        "NSFC projects granted",
        "项",
        "higher",
        "国家自然科学基金委员会",
    ),
    ("NSFC.FUNDING", "国家自然科学基金资助经费", "NSFC funding", "亿元", "higher", "国家自然科学基金委员会"),
    ("GDP", "地区生产总值（不变价）", "GDP at constant prices", "亿元", "higher", "省统计局"),
    ("CAPITAL", "资本存量（不变价）", "Capital stock at constant prices", "亿元", "higher", "永续盘存法估算"),
    ("LABOUR", "从业人员数", "Employed persons", "万人", "higher", "省统计局"),
]
# The demo's units and sources in English (Indicator.unit_en / source_en: shown on English pages; a demo loaded
# before they existed gets them). Every unit of the shipped cn-csti framework's leaves and of HEADLINE.
UNITS_EN = {
    "%": "%",
    "位": "rank",
    "项": "projects",
    "亿元": "100 million yuan",
    "万人": "10,000 persons",
    "万元/人": "10,000 yuan per person",
    "人/万人": "persons per 10,000 population",
    "件/万人": "items per 10,000 population",
    "万元/万人": "10,000 yuan per 10,000 population",
    "项当量/万人": "project equivalents per 10,000 population",
    "美元/万元": "US dollars per 10,000 yuan",
    "篇/万人": "papers per 10,000 population",
    "户/万人": "households per 10,000 population",
    "吨标准煤/万元": "tonnes of standard coal per 10,000 yuan",
    "元/千克标准煤": "yuan per kg of standard coal",
    "件/亿元": "items per 100 million yuan",
    "人年/万人": "person-years per 10,000 population",
    "人/十万人": "persons per 100,000 population",
    "个/十万人": "per 100,000 population",
    "万元/万元": "10,000 yuan per 10,000 yuan",
}
SOURCES_EN = {
    "省统计局、省科技厅测算（索洛余值法）": "Provincial statistics bureau and S&T department estimate (Solow residual)",
    "《中国区域科技创新评价报告》": "China Regional S&T Innovation Evaluation Report",
    "国家自然科学基金委员会": "National Natural Science Foundation of China",
    "省统计局": "Provincial statistics bureau",
    "永续盘存法估算": "Perpetual inventory method estimate",
}
LEAF_SOURCE = "综合科技创新水平指数三级指标（%s）"
LEAF_SOURCE_EN = "Third-level indicator of the comprehensive S&T innovation level index (%s)"
# Units earlier demos gave that were wrong, corrected in a demo loaded before (the index had "%").
OLD_UNITS = {"ZHKJCX": "%"}
# The home province's growth inputs 2018-2023 (invented): output +6.0 %, capital +6.2 %, labour +0.5 % a year,
# so the Solow residual with α = 0.35, β = 0.65 gives a contribution rate of about 58.4 %, in line with the
# invented 2023 figure of 58.3 %.
GROWTH_INPUTS = {"GDP": (8104.0, 0.06), "CAPITAL": (30000.0, 0.062), "LABOUR": (1500.0, 0.005)}
# The home province, 2019-2023 (invented, plausible): one target met, one on track, one at risk.
HOME_SERIES = {
    "KJJBGXL": [52.5, 54.0, 55.6, 57.0, 58.3],
    "ZHKJCX": [52.1, 54.3, 57.2, 59.8, 62.4],
    "C2.2.5": [60.1, 62.0, 63.5, 64.6, 65.8],
}
# Province B's 2025 goal (DOMAIN.md, its annual summary): the contribution rate, the comprehensive index and the
# enterprise share all reach 65 % or more — one goal for three figures.
B_TARGETS = {"KJJBGXL": 65, "ZHKJCX": 65, "C2.2.5": 65}
# The home province's 2025 targets (invented: the demo's department takes the same goal, so the home page's three
# target cards all read "≥ 65" — the rate and the share in %, the index a score without a unit — by design).
# Against HOME_SERIES' linear trend the first is at risk (61.3 projected), the second on track (67.6 projected)
# and the third already met (65.8 in 2023).
HOME_TARGETS = dict(B_TARGETS)
# R&D intensity (R&D spending / GDP, %), 2019-2023, invented but near the published orders of magnitude.
RD_INTENSITY = {
    "CN": [2.23, 2.40, 2.43, 2.54, 2.65],
    "620000": [1.26, 1.22, 1.26, 1.29, 1.33],
    "140000": [1.12, 1.20, 1.12, 1.07, 1.16],
    "110000": [6.31, 6.44, 6.53, 6.83, 6.73],
    "320000": [2.79, 2.93, 2.95, 3.12, 3.29],
    "610000": [2.27, 2.42, 2.35, 2.35, 2.51],
    "640000": [1.45, 1.52, 1.56, 1.57, 1.61],
}
YEARS = [2019, 2020, 2021, 2022, 2023]
# How reports name these indicators (for the ingest app's fact matching through indicator_lookup).
ALIASES = {
    "C2.2.5": ["企业研发经费支出占全社会研发经费支出比重", "企业研发投入占全社会研发投入比重"],
    "C2.2.1": ["研发经费投入强度", "R&D经费投入强度", "研发投入强度"],
    "NSFC.PROJECTS": ["国家自然科学基金项目"],
    "ZHKJCX": ["综合科技创新水平"],
    "ZHKJCX.RANK": ["综合科技创新水平指数排名", "科技创新水平指数全国排名"],
}


def _jitter(*parts) -> float:
    h = hashlib.sha256("|".join(map(str, parts)).encode()).digest()
    return 0.85 + 0.3 * h[0] / 255  # 0.85 .. 1.15, the same on every run


def _actor():

    return (
        User.objects.filter(username="staff", is_active=True).first()
        or User.objects.filter(is_superuser=True, is_active=True).first()
    )


def _english_forms(actor, indicator, unit: str, source: str, english: dict) -> None:
    """A demo loaded before the English units and sources: each given where the unit and the source are still
    the demo's own and no English form is there yet (what staff wrote themselves is kept)."""
    from .services import indicator_update

    wanted = {}
    if not indicator.unit_en and indicator.unit == unit and english["unit_en"]:
        wanted["unit_en"] = english["unit_en"]
    if not indicator.source_en and indicator.source == source and english["source_en"]:
        wanted["source_en"] = english["source_en"]
    if wanted:
        indicator_update(actor=actor, indicator=indicator, **wanted)


def load(*, stdout) -> None:
    from .services import (
        framework_install,
        index_run_create,
        indicator_create,
        indicator_update,
        region_ensure,
        target_set,
        value_record,
        values_import,
    )

    actor = _actor()
    if actor is None:
        say(stdout, gettext_noop("指标：没有工作人员账号（请先载入账号演示数据），已跳过"))
        return
    with transaction.atomic():
        regions = {}
        for code, name, level, parent in REGIONS:
            regions[code] = region_ensure(
                actor=actor, code=code, name=name, level=level, region_set="cn", parent=regions.get(parent)
            )
        from .models import Indicator

        cn = specs.shipped_spec("cn-csti")
        framework_install(actor=actor, spec=cn)
        framework_install(actor=actor, spec=specs.shipped_spec("eis", "2023"))
        leaves = []

        def walk(nodes, first=("", "")):
            for n in nodes:
                if "children" in n:
                    walk(n["children"], first if first[0] else (n["name"], n.get("name_en") or n["name"]))
                else:
                    leaves.append((n, first))

        walk(cn["nodes"])
        for node, (first, first_en) in leaves:
            unit, source = node.get("unit", ""), LEAF_SOURCE % first
            english = {"unit_en": UNITS_EN.get(unit, ""), "source_en": LEAF_SOURCE_EN % first_en}
            existing = Indicator.objects.filter(code=node["code"]).first()
            if existing is not None:
                if not existing.name_en and node.get("name_en"):  # loaded before the spec named it in English
                    indicator_update(actor=actor, indicator=existing, name_en=node["name_en"])
                _english_forms(actor, existing, unit, source, english)
                continue
            indicator_create(
                actor=actor,
                code=node["code"],
                name_zh=node["name"],
                name_en=node.get("name_en", ""),
                unit=unit,
                direction=node.get("direction", "higher"),
                source=source,
                published=True,
                **english,
            )
        for code, name, en, unit, direction, source in HEADLINE:
            english = {"unit_en": UNITS_EN.get(unit, ""), "source_en": SOURCES_EN.get(source, "")}
            existing = Indicator.objects.filter(code=code).first()
            if existing is not None and code in OLD_UNITS and existing.unit == OLD_UNITS[code] != unit:
                # a demo loaded when the index had "%": its unit corrected (a unit staff set themselves is kept)
                indicator_update(actor=actor, indicator=existing, unit=unit, reason="演示：指数没有计量单位")
            if existing is not None:
                _english_forms(actor, existing, unit, source, english)
            else:
                indicator_create(
                    actor=actor,
                    code=code,
                    name_zh=name,
                    name_en=en,
                    unit=unit,
                    direction=direction,
                    source=source,
                    published=True,
                    **english,
                )
        for code, aliases in ALIASES.items():
            ind = Indicator.objects.get(code=code)
            if ind.aliases != aliases:
                indicator_update(actor=actor, indicator=ind, aliases=aliases, reason="演示：报告中的别称")
        # Third-level figures for every region, 2022 and 2023 (invented around the standard values).
        for node, _first in leaves:
            for rc in REGIONS:
                code = rc[0]
                for year in (2022, 2023):
                    level = LEVEL[code] * (1.03 if year == 2023 else 1.0)
                    if node.get("direction") == "lower":
                        level = 1 / level
                    value = round(node["standard"] * level * _jitter(node["code"], code), 4)
                    if node["code"] == "C2.2.1":
                        value = RD_INTENSITY[code][YEARS.index(year)]
                    if node["code"] == "C2.2.5" and code == HOME:
                        value = HOME_SERIES["C2.2.5"][YEARS.index(year)]
                    value_record(
                        actor=actor,
                        indicator_code=node["code"],
                        region=regions[code],
                        year=year,
                        value=value,
                        provenance=DEMO_NOTE,
                    )
        for code, series in RD_INTENSITY.items():
            for year, v in zip(YEARS, series, strict=True):
                value_record(
                    actor=actor,
                    indicator_code="C2.2.1",
                    region=regions[code],
                    year=year,
                    value=v,
                    provenance=DEMO_NOTE,
                )
        for code, series in HOME_SERIES.items():
            for year, v in zip(YEARS, series, strict=True):
                value_record(
                    actor=actor,
                    indicator_code=code,
                    region=regions[HOME],
                    year=year,
                    value=v,
                    provenance=DEMO_NOTE,
                )
        for code, (base, rate) in GROWTH_INPUTS.items():
            for year in range(2018, 2024):
                value = round(base * (1 + rate) ** (year - 2018), 2)
                value_record(
                    actor=actor,
                    indicator_code=code,
                    region=regions[HOME],
                    year=year,
                    value=value,
                    provenance=DEMO_NOTE,
                )
        value_record(
            actor=actor,
            indicator_code="ZHKJCX.RANK",
            region=regions[PROVINCE_B],
            year=2022,
            value=23,
            provenance=FACT_NOTE,
        )
        value_record(
            actor=actor,
            indicator_code="NSFC.PROJECTS",
            region=regions[PROVINCE_B],
            year=2022,
            value=704,
            provenance=FACT_NOTE,
        )
        value_record(
            actor=actor,
            indicator_code="NSFC.FUNDING",
            region=regions[PROVINCE_B],
            year=2022,
            value=4.2,
            provenance=FACT_NOTE,
        )
        for code, value in B_TARGETS.items():
            target_set(
                actor=actor,
                indicator_code=code,
                region=regions[PROVINCE_B],
                year=2025,
                value=value,
                comparator=">=",
                note=f"“十四五”目标：2025 年达到 {value}% 以上",
            )
        for code, value in HOME_TARGETS.items():
            target_set(
                actor=actor,
                indicator_code=code,
                region=regions[HOME],
                year=2025,
                value=value,
                comparator=">=",
                note=f"演示目标（虚构）：2025 年达到 {value} 以上",
            )
    # The EIS 2023 database as a second region set (countries), in its own edition.
    if not Value.objects.filter(edition="EIS2023").exists():
        report = values_import(
            actor=actor,
            data=specs.EIS_DATA.read_bytes(),
            filename=specs.EIS_DATA.name,
            dry_run=False,
            edition="EIS2023",
            region_set="eis",
            publish_new=True,
        )
        say(stdout, gettext_noop("指标：已导入 EIS 2023（%(n)s 个数值）"), n=report.created)
    for fw in Framework.objects.filter(code__in=["cn-csti", "eis"]):
        if not fw.runs.exists():
            region_set = "cn" if fw.code == "cn-csti" else "eis"
            index_run_create(actor=actor, framework=fw, region_set=region_set)
    say(stdout, gettext_noop("指标：演示地区、指标、目标、指标体系和指数计算已载入"))
