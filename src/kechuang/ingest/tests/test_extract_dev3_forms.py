"""Forms of figures a reader records that dev and dev2 did not show (issue #15 item 4; found on the dev3
split, written and measured unseen in session 14, benchmarks/ingest/corpus/README.md): tables written as
lines, a tier that is not a rank (第二档), a count in words that sums or refers to what was just listed
(两项合计, 上述三家)."""

from decimal import Decimal

import pytest

from kechuang.ingest.parsers import extract_facts


def facts_of(text, year=2024):
    return [(f.kind, f.value, f.unit, f.period) for f in extract_facts(text, year=year)]


TABLE = (
    "表1 2024年全省技术合同分类别情况\n"
    "合同类别  合同数（项）  成交额（亿元）  比上年增长（%）\n"
    "技术开发  11842  385.2  18.6\n"
    "技术转让\t1206\t96.7\t27.4\n"
    "技术开发和技术服务合同成交额合计占全省的88.4%。\n"
)


def test_a_table_written_as_lines_gives_each_cell_in_its_columns_unit():
    facts = extract_facts(TABLE, year=2024)
    got = [(f.kind, f.value, f.unit, f.period, f.scale) for f in facts]
    assert got == [
        ("count", Decimal(11842), "项", "2024", ""),
        ("money", Decimal(38520000000), "元", "2024", "亿"),
        ("percent", Decimal("18.6"), "%", "2024", ""),
        ("count", Decimal(1206), "项", "2024", ""),
        ("money", Decimal(9670000000), "元", "2024", "亿"),
        ("percent", Decimal("27.4"), "%", "2024", ""),
        ("percent", Decimal("88.4"), "%", "2024", ""),
    ]
    first = facts[0]
    assert TABLE[first.start : first.end] == "11842"
    assert first.subject == "技术开发合同数"
    assert first.quote == "技术开发  11842  385.2  18.6"


def test_a_tables_unit_said_above_it_and_a_columns_year():
    text = "表2 各市研发经费（单位：亿元）\n地区　2023年　2024年\n碧岑市　58.2　64.9\n"
    assert facts_of(text, 2024) == [
        ("money", Decimal(5820000000), "元", "2023"),
        ("money", Decimal(6490000000), "元", "2024"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "指标  数值（家）\n这一行不是数字  很多\n",  # a row of words
        "合同类别  合同数（项）  成交额（亿元）\n技术开发  11842\n",  # a row of fewer cells
        "项目名称  承担单位（牵头）\n智能装备  碧岑大学\n",  # a bracket that is no unit
    ],
)
def test_lines_that_are_not_a_tables_rows_give_nothing(text):
    assert facts_of(text) == []


def test_a_tier_is_not_a_rank():
    assert facts_of("在全市科技创新考核中位列第二档。") == []
    assert facts_of("在全市科技创新考核中位列第二。") == [("rank", Decimal(2), "位", "2024")]


@pytest.mark.parametrize("text", ["两项合计安排市财政资金2900万元。", "上述三家机构共获奖励600万元。"])
def test_a_count_in_words_of_what_was_just_listed_is_not_a_fact(text):
    assert [f[:3] for f in facts_of(text)] == [
        ("money", Decimal(29000000) if "2900" in text else Decimal(6000000), "元")
    ]


def test_a_count_in_words_that_is_reported_stays_a_fact():
    assert facts_of("共有三家机构获评优秀。") == [("count", Decimal(3), "家", "2024")]


@pytest.mark.parametrize(
    "head",
    [
        "合同数（项）  成交额（亿元）",  # the label's column unnamed
        "合同类别合同数（项）  成交额（亿元）",  # the label's column run into the next (a gap lost)
    ],
)
def test_a_header_without_the_label_columns_cell_still_names_the_numbers(head):
    text = f"{head}\n技术开发  11842  385.2\n技术转让  1206  96.7\n"
    assert facts_of(text) == [
        ("count", Decimal(11842), "项", "2024"),
        ("money", Decimal(38520000000), "元", "2024"),
        ("count", Decimal(1206), "项", "2024"),
        ("money", Decimal(9670000000), "元", "2024"),
    ]


def test_a_header_whose_gaps_were_lost_is_read_by_its_bracketed_units():
    text = "合同类别合同数（项）成交额（亿元）比上年增长（%）\n技术开发  11842  385.2  18.6\n"
    assert facts_of(text) == [
        ("count", Decimal(11842), "项", "2024"),
        ("money", Decimal(38520000000), "元", "2024"),
        ("percent", Decimal("18.6"), "%", "2024"),
    ]


def test_a_column_of_last_year_and_a_column_of_growth_over_it():
    text = "表1 主要指标（单位：亿元）\n指标名称　一季度　上年同期　同比增长（%）\n技术合同成交额　14.25　10.91　30.6\n"
    assert facts_of(text, 2025) == [
        ("money", Decimal(1425000000), "元", "2025"),
        ("money", Decimal(1091000000), "元", "2024"),
        ("percent", Decimal("30.6"), "%", "2025"),
    ]


def test_a_header_of_years_over_rows_that_say_their_unit():
    text = (
        "指标　2020年基期值　2023年实际值　2025年目标值\n"
        "全社会研发投入强度（%）　2.31　2.78　3.0\n"
        "技术合同成交额（亿元）　128.5　298.7　300\n"
    )
    assert facts_of(text, 2024) == [
        ("percent", Decimal("2.31"), "%", "2020"),
        ("percent", Decimal("2.78"), "%", "2023"),
        ("target", Decimal(3), "%", "2025"),
        ("money", Decimal(12850000000), "元", "2020"),
        ("money", Decimal(29870000000), "元", "2023"),
        ("target", Decimal(30000000000), "元", "2025"),
    ]


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("新增“科创贷”贷款1326笔。", Decimal(1326), "笔"),
        ("评估结果分为优秀、良好、较差三档。", Decimal(3), "档"),
        ("全年强制检定计量器具21.6万台（件）。", Decimal(216000), "台（件）"),
    ],
)
def test_measure_words_of_loans_tiers_and_instruments(text, value, unit):
    assert facts_of(text) == [("count", value, unit, "2024")]


def test_the_base_of_a_rate_is_not_a_count():
    assert facts_of("每十万人口中具有大学文化程度的人数为18460人。") == [
        ("count", Decimal(18460), "人", "2024")
    ]


def test_an_earlier_year_opening_its_clause_dates_what_follows():
    assert facts_of("据统计，2024年全县茶产业综合产值达18.7亿元，同比增长12.3%。", 2025) == [
        ("money", Decimal(1870000000), "元", "2024"),
        ("percent", Decimal("12.3"), "%", "2024"),
    ]
    assert facts_of("两者2023年分别为4.1%和31.5%。", 2024) == [
        ("percent", Decimal("4.1"), "%", "2023"),
        ("percent", Decimal("31.5"), "%", "2023"),
    ]
    # a comparison or a span up to now does not
    assert facts_of("比2020年增长12.3%。", 2024) == [("percent", Decimal("12.3"), "%", "2024")]
    assert facts_of("据介绍，2023年以来，全省累计实施项目117项。", 2025) == [
        ("count", Decimal(117), "项", "2025")
    ]


def test_since_last_year_is_up_to_now_not_last_year():
    assert facts_of("去年以来，县科技局选派32名科技特派员。", 2025) == [("count", Decimal(32), "名", "2025")]
    assert facts_of("去年，县科技局选派32名科技特派员。", 2025) == [("count", Decimal(32), "名", "2024")]


def test_an_aside_in_brackets_between_the_verb_and_the_rank():
    assert facts_of("桐坪县新增52家，增量居各县（市、区）首位。") == [
        ("count", Decimal(52), "家", "2024"),
        ("rank", Decimal(1), "位", "2024"),
    ]
    assert facts_of("该指标居全省（不含省会城市）第3位。") == [("rank", Decimal(3), "位", "2024")]


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("储能电池产量18.6GWh。", Decimal("18.6"), "GWh"),
        ("总装机820MW。", Decimal(820), "MW"),
        ("35kV高压直挂储能系统。", Decimal(35), "kV"),
        ("中试线可以做到90nm工艺。", Decimal(90), "nm"),
        ("建成面积6000m²的洁净车间。", Decimal(6000), "m²"),
        ("314Ah储能电芯。", Decimal(314), "Ah"),
        ("平均上网电价0.38元/千瓦时。", Decimal("0.38"), "元/千瓦时"),
        ("现在两周就能拿到样品。", Decimal(2), "周"),
    ],
)
def test_latin_units_prices_per_unit_and_weeks(text, value, unit):
    assert facts_of(text) == [("quantity", value, unit, "2024")]


def test_a_weeks_anniversary_is_not_a_span():
    assert facts_of("“碧才计划”实施五周年推进会召开。") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("有效期内高新技术企业1,026家。", ("count", Decimal(1026), "家", "2024")),
        ("市财政支持2,350万元。", ("money", Decimal(23500000), "元", "2024")),
        ("循环寿命突破12,000次。", ("count", Decimal(12000), "次", "2024")),
        ("人均技术合同成交额2,640.5元。", ("money", Decimal("2640.5"), "元", "2024")),
    ],
)
def test_a_thousands_separator(text, expected):
    assert facts_of(text) == [expected]


def test_per_mille_and_an_amount_in_yi_said_in_speech():
    assert facts_of("农村居民人口自然增长率2.1‰。") == [("percent", Decimal("0.21"), "%", "2024")]
    assert facts_of("技术服务收入已经超过1.2个亿，基本实现自我造血。") == [
        ("money", Decimal(120000000), "元", "2024")
    ]


def test_a_table_cell_with_a_thousands_separator():
    text = "合同类别  合同数（项）\n技术开发  11,842\n"
    assert facts_of(text) == [("count", Decimal(11842), "项", "2024")]


def test_an_amount_in_another_currency_is_kept_in_it():
    assert facts_of("合同金额4.3亿美元，同比增长16.2%。") == [
        ("money", Decimal(430000000), "美元", "2024"),
        ("percent", Decimal("16.2"), "%", "2024"),
    ]


def test_a_multiple_in_words_and_a_concentration():
    assert facts_of("技术出口增长一倍。") == [("quantity", Decimal(1), "倍", "2024")]
    assert facts_of("PM2.5平均浓度为26微克/立方米。") == [("quantity", Decimal(26), "微克/立方米", "2024")]


def test_a_date_in_chinese_numerals_takes_the_year_written_before_it():
    assert facts_of("溱源省人民政府\n二〇二五年四月十日\n") == [("date", "2025-04-10", "date", "2025")]
    assert facts_of("于十二月三十一日前完成。") == [("date", "2024-12-31", "date", "2024")]
    assert facts_of("十月底前完成。") == []


def test_a_figure_in_brackets_after_last_years_words_is_last_years():
    assert facts_of("成交额4.9亿元，已超过上年全年水平（4.6亿元）。", 2025) == [
        ("money", Decimal(490000000), "元", "2025"),
        ("money", Decimal(460000000), "元", "2024"),
    ]


def test_a_share_written_with_a_slash_after_a_word_of_shares():
    assert facts_of("其中首贷户占比约1/3。") == [("percent", Decimal("33.33"), "%", "2024")]
    assert facts_of("地铁3/4号线。") == []  # no word of shares before it


@pytest.mark.parametrize("text", ["今年前10个月，全市贷款增加。", "近5年累计投资。", "5年来，累计投资。"])
def test_a_span_saying_when_is_not_a_figure(text):
    assert facts_of(text) == []


def test_a_span_saying_how_long_stays_a_figure():
    assert facts_of("研发周期近3年。") == [("quantity", Decimal(3), "年", "2024")]
