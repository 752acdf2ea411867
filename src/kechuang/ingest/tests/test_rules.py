"""Each extraction rule on its own forms (parsers/rules.py), through `extract_facts` (the rules need the
pattern's match and the sentence's context), plus properties of the number reading."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kechuang.ingest.parsers import extract_facts
from kechuang.ingest.parsers.numbers import cn_number, number_value


def facts(text, year=2023):
    return [(f.kind, f.value, f.unit, f.period) for f in extract_facts(text, year=year)]


def one(text, year=2023):
    found = extract_facts(text, year=year)
    assert len(found) == 1, [(f.kind, f.value, f.unit, f.subject) for f in found]
    return found[0]


# ---------------------------------------------------------------- numbers


@given(st.integers(min_value=1, max_value=9999))
def test_chinese_numerals_read_back_what_they_write(n):
    digits = "零一二三四五六七八九"
    out, rest = "", n
    for value, unit in ((1000, "千"), (100, "百"), (10, "十")):
        if rest >= value:
            out += digits[rest // value] + unit
            rest %= value
        elif out and rest:
            out += "零" if not out.endswith("零") else ""
    out += digits[rest] if rest else ""
    assert cn_number(out) == n


@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999.99"), places=2))
def test_scaled_values(d):
    assert number_value(str(d), "万") == (d * 10_000).normalize()
    assert number_value(str(d), "亿") == (d * 100_000_000).normalize()


# ---------------------------------------------------------------- counts


@pytest.mark.parametrize(
    ("text", "value", "unit", "qualifier"),
    [
        ("全省登记技术合同3.6万项。", Decimal(36000), "项", ""),
        ("科技型中小企业入库2.4万台。", Decimal(24000), "台", ""),
        ("促成合作项目1.5万余次对接。", Decimal(15000), "次", "余"),
        ("举办对接活动126场。", Decimal(126), "场", ""),
        ("组织活动38场次。", Decimal(38), "场次", ""),
        ("开展培训12批次。", Decimal(12), "批次", ""),
        ("培训1800人次。", Decimal(1800), "人次", ""),
        ("服务企业520家次。", Decimal(520), "家次", ""),
        ("分三批发布榜单。", Decimal(3), "批", ""),
        ("支持2支团队并行攻关。", Decimal(2), "支", ""),
        ("实现首台（套）重大技术装备41台（套）。", Decimal(41), "台（套）", ""),
        ("与玉衡、沧澜、栎川3市共同出资。", Decimal(3), "个", ""),
        ("每万人口高价值发明专利拥有量9.6件。", Decimal("9.6"), "件", ""),
    ],
)
def test_counts(text, value, unit, qualifier):
    f = one(text)
    assert (f.kind, f.value, f.unit, f.qualifier, f.period) == ("count", value, unit, qualifier, "2023")


def test_a_count_of_areas_in_words():
    f = one("围绕平台建设和开放合作五大领域集中发力。")
    assert (f.kind, f.value, f.unit) == ("count", 5, "个")


@pytest.mark.parametrize(
    "text",
    [
        "坚持“四个面向”，推进科技自立自强。",  # a slogan in quotes
        "实施“五大工程”。",
        "贯彻落实党的二十大精神。",  # a party congress
        "连续5年保持两位数增长。",  # 两位数 is not a count (nor 连续5年: years in a row before a state)
        "一批国家级平台。",
        "超过一半分布在鹭屿、霁原两市。",  # 两市: where, not how many
    ],
)
def test_words_that_are_not_counts(text):
    assert [f for f in extract_facts(text, year=2023) if f.kind == "count"] == []


# ---------------------------------------------------------------- money, percentages, points


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("技术合同成交额连续两年突破千亿元。", Decimal(10) ** 11),
        ("奖励资金200余万元。", Decimal(2_000_000)),
        ("财政支持369.4万元。", Decimal(3_694_000)),
    ],
)
def test_money_in_yuan(text, value):
    f = one(text)
    assert (f.kind, f.value, f.unit) == ("money", value, "元")


@pytest.mark.parametrize(
    ("text", "value", "qualifier"),
    [("企业研发投入的比重超过七成。", 70, "超过"), ("仍有超过一半的企业没有研发活动。", 50, "超过")],
)
def test_shares_in_words_are_percentages(text, value, qualifier):
    f = one(text)
    assert (f.kind, f.value, f.unit, f.qualifier) == ("percent", value, "%", qualifier)


def test_percentage_points():
    f = one("研发经费投入强度比上年提高0.26个百分点。")
    assert (f.kind, f.value, f.unit, f.period) == ("points", Decimal("0.26"), "百分点", "2023")


# ---------------------------------------------------------------- ranks, levels, quantities


def test_a_rank_movement_gives_both_ranks_the_first_the_year_before():
    assert facts("全省综合科技创新水平指数由上年的第19位升至第15位。") == [
        ("rank", 19, "位", "2022"),
        ("rank", 15, "位", "2023"),
    ]


def test_a_rank_in_words():
    assert facts("产量稳居国内第一。") == [("rank", 1, "位", "2023")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("高温超导电缆项目技术成熟度达到6级以上。", [("level", 6, "级", "2023")]),
        ("技术成熟度由4级提升到6级。", [("level", 4, "级", "2022"), ("level", 6, "级", "2023")]),
        ("抗震设防烈度8级。", []),  # not a readiness level
    ],
)
def test_technology_readiness_levels(text, expected):
    assert facts(text) == expected


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("能量密度达到160瓦时/千克。", Decimal(160), "瓦时/千克"),
        ("在零下30摄氏度环境下仍能放电。", Decimal(-30), "摄氏度"),
        ("可在-20℃下工作。", Decimal(-20), "摄氏度"),
        ("测试时长超过3000小时。", Decimal(3000), "小时"),
        ("指向精度优于3弧分。", Decimal(3), "弧分"),
        ("单机容量达到16兆瓦。", Decimal(16), "兆瓦"),
        ("负荷调节能力260万千瓦。", Decimal(2_600_000), "千瓦"),
        ("建设周期42个月。", Decimal(42), "个月"),
        ("单次曝光极限星等达到22.5等。", Decimal("22.5"), "等"),
    ],
)
def test_physical_quantities(text, value, unit):
    f = one(text)
    assert (f.kind, f.value, f.unit) == ("quantity", value, unit)


def test_a_year_is_not_a_quantity_of_years():
    assert facts("2023年工作总结") == []
    assert facts("建设期3年。") == [("quantity", 3, "年", "2023")]
    # years in a row before a state are no fact, in digits as in words (FACTS_KEY, session 25): the state's figure is
    assert facts("连续3年保持增长。") == []
    assert facts("连续5个月负增长。") == []
    assert facts("连续3年保持20%以上增长。") == [("percent", 20, "%", "2023")]


# ---------------------------------------------------------------- periods and targets


def test_a_targets_own_year():
    assert facts("力争到2025年，高新技术企业达到1.5万家，技术合同成交额达到1800亿元。") == [
        ("target", 15000, "家", "2025"),
        ("target", 180_000_000_000, "元", "2025"),
    ]


def test_a_later_year_said_first_makes_targets_an_earlier_one_values():
    assert facts("2023年，力争技术合同成交额达到100亿元。", year=2022) == [("target", 10**10, "元", "2023")]
    assert facts("2022年，全省技术合同成交额达到100亿元。", year=2023) == [("money", 10**10, "元", "2022")]


def test_last_years_figure():
    assert facts("去年产业规模达到286亿元，今年达到320亿元。") == [
        ("money", 28_600_000_000, "元", "2022"),
        ("money", 32_000_000_000, "元", "2023"),
    ]
    # a comparison with last year is this year's figure
    assert facts("比上年提高1.9个百分点。") == [("points", Decimal("1.9"), "百分点", "2023")]


def test_the_past_year_said_for_the_paragraph():
    """会议指出，过去一年，…: the figures after it in the paragraph are the year before's, until another
    year is said; the next paragraph is the report's year again."""
    text = (
        "会议指出，过去一年，全省科技创新取得一批成果。研发经费投入强度达到2.18%，居全国第15位；"
        "高新技术企业突破1.2万家。今年新增省实验室2家。\n全年登记技术合同3000项。"
    )
    assert [(v, p) for _k, v, _u, p in facts(text, year=2024)] == [
        (Decimal("2.18"), "2023"),
        (Decimal("15"), "2023"),
        (Decimal("12000"), "2023"),
        (Decimal("2"), "2024"),
        (Decimal("3000"), "2024"),
    ]


def test_a_year_said_right_before_a_figure_is_its_period():
    assert [
        (v, p) for _k, v, _u, p in facts("研发投入强度由2020年的1.2%提高到2023年的1.8%。", year=2023)
    ] == [
        (Decimal("1.2"), "2020"),
        (Decimal("1.8"), "2023"),
    ]


def test_a_plan_section_gives_its_years_targets():
    text = "一、2024年工作总结\n新增高新技术企业138家。\n二、2025年工作要点\n一是新培育科技型中小企业1500家以上；\n"
    assert facts(text, year=2024) == [
        ("count", Decimal("138"), "家", "2024"),
        ("target", Decimal("1500"), "家", "2025"),
    ]


def test_households_ages_and_person_years():
    assert facts("全年在孵企业3964户，第一完成人平均年龄46.8岁，折合全时当量2.93万人年。") == [
        ("count", Decimal("3964"), "户", "2023"),
        ("quantity", Decimal("46.8"), "岁", "2023"),
        ("count", Decimal("29300"), "人年", "2023"),
    ]


# ---------------------------------------------------------------- forms added on dev-19 … dev-22 (issue #15)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("研发新产品126款。", ("count", Decimal(126), "款", "2023")),
        ("全年登记技术合同5120份。", ("count", Decimal(5120), "份", "2023")),
        ("举办培训班14期。", ("count", Decimal(14), "期", "2023")),
        ("推广新能源汽车2.6万辆。", ("count", Decimal(26000), "辆", "2023")),
        ("面形精度达到12纳米。", ("quantity", Decimal(12), "纳米", "2023")),
        ("示范推广面积12.6万亩。", ("quantity", Decimal(126000), "亩", "2023")),
        ("新能源发电量18.4亿千瓦时。", ("quantity", Decimal(1840000000), "千瓦时", "2023")),
        ("钻井周期缩短至96天。", ("quantity", Decimal(96), "天", "2023")),
        ("比上年增长0.6倍。", ("quantity", Decimal("0.6"), "倍", "2023")),
        # a multiple compares the report's year with the one said: it is the report's year's
        ("成交额是2020年的2.4倍。", ("quantity", Decimal("2.4"), "倍", "2023")),
    ],
)
def test_more_measure_words_and_units(text, expected):
    assert facts(text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "青岚实验室二期工程开工建设。",
        "深入学习贯彻党的二十届三中全会精神。",
        "全省数十家科研院所参与。",
        "几百项成果。",
    ],
)
def test_names_and_vague_numbers_are_not_counts(text):
    assert facts(text) == []


def test_a_date_with_its_own_year():
    assert facts("该专项于2021年9月15日启动。", 2024) == [("date", "2021-09-15", "date", "2021")]
    assert facts("2024年3月28日", 2023) == [("date", "2024-03-28", "date", "2024")]


def test_rank_movements_with_a_year_and_other_verbs():
    assert facts("排名由2020年的第4位上升到第2位。") == [
        ("rank", Decimal(4), "位", "2020"),
        ("rank", Decimal(2), "位", "2023"),
    ]
    assert facts("国产化率由2021年的不足四成提高到85%。", 2024) == [
        ("percent", Decimal(40), "%", "2021"),
        ("percent", Decimal(85), "%", "2024"),
    ]


def test_targets_said_by_a_later_year_or_a_plan_end():
    assert facts("提前完成“十四五”末达到1200家的目标。") == [("target", Decimal(1200), "家", "2025")]
    assert facts("2024年重点做好以下工作：新建创新平台30个，新增高新技术企业150家。") == [
        ("target", Decimal(30), "个", "2024"),
        ("target", Decimal(150), "家", "2024"),
    ]
    # an earlier year without the comma dates nothing: the figure is the report's year's
    assert facts("比2020年增长12%。") == [("percent", Decimal(12), "%", "2023")]


def test_a_target_year_holds_over_a_semicolon_not_a_full_stop():
    text = "到2025年，研发投入强度达到2.8%；高新技术企业突破1500家。全年新增企业30家。"
    assert facts(text) == [
        ("target", Decimal("2.8"), "%", "2025"),
        ("target", Decimal(1500), "家", "2025"),
        ("count", Decimal(30), "家", "2023"),
    ]


def test_shares_readiness_levels_and_next_year():
    assert facts("比上年增长约两成。") == [("percent", Decimal(20), "%", "2023")]
    assert facts("技术就绪度达到TRL6级。") == [("level", Decimal(6), "级", "2023")]
    assert facts("明年，全市将力争研发投入强度达到2.9%。", 2024) == [("target", Decimal("2.9"), "%", "2025")]
    assert facts("科技型中小企业近千家。") == [("count", Decimal(1000), "家", "2023")]
