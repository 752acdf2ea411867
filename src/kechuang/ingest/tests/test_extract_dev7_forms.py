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
