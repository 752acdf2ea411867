"""Forms of figures a reader records that dev … dev6 did not read (issue #15 item 4; found on the dev7 split,
written and measured unseen in session 18, benchmarks/ingest/corpus/README.md). Synthetic sentences, not
corpus text; each test fails on the extractor before the fix it names (the guards excepted)."""

from decimal import Decimal

from kechuang.ingest.parsers import extract_facts


def values_of(text, year=2025):
    return [(f.value, f.unit, f.period) for f in extract_facts(text, year=year)]


def test_a_year_written_in_numerals_dates_what_follows_and_the_quote_keeps_it():
    facts = extract_facts("全市专利授权，二〇二一年是3.1万件，到二〇二八年要达到5万件。", year=2025)
    assert [(f.value, f.unit, f.period) for f in facts] == [
        (Decimal("31000"), "件", "2021"),
        (Decimal("50000"), "件", "2028"),
    ]
    assert facts[0].quote.startswith("全市专利授权，二〇二一年是")  # the text's own words, not the digits


def test_todays_year_again_after_an_earlier_one_in_the_sentence():
    # 二〇二〇年是…，今年预计…: 今年 opening a later clause is the report's year, not 2020
    assert values_of("全县研发投入，2021年是3.6亿元，今年预计超过5亿元。") == [
        (Decimal("360000000"), "元", "2021"),
        (Decimal("500000000"), "元", "2025"),
    ]


def test_a_numeral_of_seven_characters_is_read_whole():
    assert values_of("全年成交额干到了二千三百四十五亿，创了新高。") == [
        (Decimal("234500000000"), "元", "2025")
    ]


def test_some_years_back_dates_the_figure():
    assert values_of("试点企业数，四年前还是38家，今年达到了126家。") == [
        (Decimal("38"), "家", "2021"),
        (Decimal("126"), "家", "2025"),
    ]
    # a multiple of some years back is of the report's year
    assert values_of("持证人员是三年前的1.8倍。") == [(Decimal("1.8"), "倍", "2025")]


def test_the_year_before_said_as_shang_yi_nian_du():
    assert values_of("入库机构上一年度共实现技术收入12.5亿元。") == [(Decimal("1250000000"), "元", "2024")]


def test_last_year_as_a_whole_opening_a_clause():
    assert values_of("去年一年，全区兑现的奖补资金就有六点五亿。") == [(Decimal("650000000"), "元", "2024")]


def test_a_rank_compared_with_the_year_before_last():
    assert values_of("综合排名居全国第9位，比前年的第13位前进4个位次。") == [
        (Decimal("9"), "位", "2025"),
        (Decimal("13"), "位", "2023"),
        (Decimal("4"), "位次", "2025"),
    ]


def test_the_end_of_a_span_of_dates_takes_the_years_of_its_start():
    assert values_of("2026年3月1日至10月31日，企业可在线提交申请。") == [
        ("2026-03-01", "date", "2026"),
        ("2026-10-31", "date", "2026"),
    ]


def test_a_new_enumerated_item_after_a_semicolon_does_not_carry_the_target_year():
    assert values_of("一是到2028年研发人员达到6万人；二是对领军人才最高给予500万元资助。") == [
        (Decimal("60000"), "人", "2028"),
        (Decimal("5000000"), "元", "2025"),
    ]


def test_a_plan_under_a_part_numbered_heading_is_next_years():
    text = "第一部分　2025年工作总结\n全年新增平台12家。\n第二部分　2026年工作思路\n一是新增省级平台20家；二是研发投入强度提高到2.9%。\n"
    assert values_of(text) == [
        (Decimal("12"), "家", "2025"),
        (Decimal("20"), "家", "2026"),
        (Decimal("2.9"), "%", "2026"),
    ]


def test_places_listed_before_ge_you_each_have_the_count():
    assert values_of("甲市、乙市各有6家；丙市有2家。") == [
        (Decimal("6"), "家", "2025"),
        (Decimal("6"), "家", "2025"),
        (Decimal("2"), "家", "2025"),
    ]
    assert values_of("甲、乙各有优势。") == []  # 各有 without a figure after it


def test_gigapascals_are_a_unit():
    assert values_of("抗拉强度不低于5.8吉帕。") == [(Decimal("5.8"), "吉帕", "2025")]


def test_an_evaluation_of_an_earlier_years_data_dates_its_indicator_values_so():
    text = (
        "2025年创新能力评价通报\n以2024年统计数据为基础，对9个市开展了评价。\n一、总体情况\n全省综合得分68.2分，"
        "比上年增加3个市。\n二、分项指标\n全省研发投入强度为2.31%，有4个市超过全省平均水平；"
        "5个市综合得分有所提高。评价指标体系设一级指标6个。\n"
    )
    periods = [(f.value, f.unit, f.period) for f in extract_facts(text, year=2025)]
    assert (Decimal("2.31"), "%", "2024") in periods and (Decimal("4"), "个", "2024") in periods
    # the scores, the count of cities whose score rose, the index system: the report's year
    assert (Decimal("68.2"), "分", "2025") in periods and (Decimal("3"), "个", "2025") in periods
    assert (Decimal("5"), "个", "2025") in periods and (Decimal("6"), "个", "2025") in periods


def test_next_year_said_after_the_figures_clause():
    assert values_of("建设周期由18个月缩短至12个月，明年实现。") == [
        (Decimal("18"), "个月", "2025"),
        (Decimal("12"), "个月", "2026"),
    ]
    assert values_of("产能达到3000万株，明年就能投用。") == [(Decimal("30000000"), "株", "2026")]


def test_a_duration_said_again_before_de_is_not_a_second_fact():
    assert values_of("博览会为期四天。预计四天的客流将超过5万人次。") == [
        (Decimal("4"), "天", "2025"),
        (Decimal("50000"), "人次", "2025"),
    ]


def test_a_start_said_as_the_year_a_list_was_published():
    text = "2023年发布的首批8项攻关项目近日通过验收。技术就绪度由立项时的4级提升到7级。"
    assert values_of(text) == [
        (Decimal("8"), "项", "2023"),
        (Decimal("4"), "级", "2023"),
        (Decimal("7"), "级", "2025"),
    ]


def test_the_year_before_last_said_in_the_clause():
    assert values_of("全市数字经济规模前年突破了五百亿元，去年达到612亿元。") == [
        (Decimal("50000000000"), "元", "2023"),
        (Decimal("61200000000"), "元", "2024"),
    ]
    # 提前年底, 目前年产: not the year before last
    assert values_of("目前年产能达到12万吨。") == [(Decimal("120000"), "吨", "2025")]


def test_a_bound_of_last_years_figure_picking_out_whom_a_rule_covers_is_of_now():
    assert values_of("对上年度研发投入超过300万元的企业，给予补助。") == [(Decimal("3000000"), "元", "2025")]
    assert values_of("申领企业上年度营业收入不超过5亿元，且无失信记录。") == [
        (Decimal("500000000"), "元", "2025")
    ]
    # a value of last year, not a bound: the year before
    assert values_of("上年度营业收入超过5亿元，同比增长8%。")[0] == (Decimal("500000000"), "元", "2024")


def test_a_numbered_list_table_reads_its_number_columns():
    text = (
        "立项名单如下。\n序号　项目名称　承担单位　市财政支持（万元）\n"
        "1　高温合金精密铸造　甲研究院　320\n2　智能巡检机器人　乙学院　180\n3　……（其余略）\n"
    )
    assert values_of(text) == [(Decimal("3200000"), "元", "2025"), (Decimal("1800000"), "元", "2025")]


def test_a_figure_listed_after_one_of_last_year_in_the_same_clause_is_last_years():
    assert values_of("去年拿出了全省三成的营业收入、一半以上的有效专利。") == [
        (Decimal("30"), "%", "2024"),
        (Decimal("50"), "%", "2024"),
    ]


def test_an_amount_in_yi_without_yuan_before_de_in_speech():
    assert values_of("年营收过五十亿的只有三家。") == [
        (Decimal("5000000000"), "元", "2025"),
        (Decimal("3"), "家", "2025"),
    ]
