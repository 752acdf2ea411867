"""Forms of figures a reader records that dev … dev4 did not read (issue #15 item 4; found on the dev5 split,
written and measured unseen in session 16, benchmarks/ingest/corpus/README.md). Each test fails on the
extractor before the fix it names."""

from decimal import Decimal

from kechuang.ingest.parsers import extract_facts


def values_of(text, year=2024):
    return [(f.value, f.unit, f.period) for f in extract_facts(text, year=year)]


def test_the_value_compared_with_is_the_year_befores():
    assert values_of("全省共投入R&D经费642.8亿元，较上年的571.3亿元增长12.5%。") == [
        (Decimal(64280000000), "元", "2024"),
        (Decimal(57130000000), "元", "2023"),
        (Decimal("12.5"), "%", "2024"),
    ]
    assert values_of("研发费用38.9亿元，较去年同期的33.4亿元增加5.5亿元；", year=2025)[1] == (
        Decimal(3340000000),
        "元",
        "2024",
    )


def test_a_later_years_change_starts_from_the_present():
    # 2025年起 in a 2024 report: 40% is the 2025 target, 20% what holds now
    assert values_of("2025年起，人员费的比例由20%提高到40%。") == [
        (Decimal(20), "%", "2024"),
        (Decimal(40), "%", "2025"),
    ]
    assert values_of("建议2025年起，补助标准由每平方米20元提高至30元。") == [
        (Decimal(20), "元", "2024"),
        (Decimal(30), "元", "2025"),
    ]


def test_a_plan_heading_with_jihua():
    text = "五、2025年计划\n固定人员达到750人；科研经费到账力争8.5亿元。"
    assert values_of(text) == [(Decimal(750), "人", "2025"), (Decimal(850000000), "元", "2025")]


def test_the_next_five_year_plan_said_as_a_period():
    # “十五五”时期 in a 2025 report: the plan's targets (2030); “十四五”期间 in it says when, not a target
    assert values_of("“十五五”时期，建议将投入强度目标设定为3%左右。", year=2025) == [
        (Decimal(3), "%", "2030")
    ]
    assert values_of("“十四五”期间，全省累计投入18.6亿元。", year=2025) == [
        (Decimal(1860000000), "元", "2025")
    ]
