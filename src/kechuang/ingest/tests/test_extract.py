from decimal import Decimal

import pytest

from kechuang.ingest.parsers import extract_facts
from kechuang.ingest.parsers.extract import cn_number


def one(text, **kw):
    facts = extract_facts(text, **kw)
    assert len(facts) == 1, [(f.kind, f.value, f.subject) for f in facts]
    return facts[0]


@pytest.mark.parametrize(
    ("s", "n"),
    [
        ("两", 2),
        ("五", 5),
        ("十", 10),
        ("十二", 12),
        ("三十五", 35),
        ("三百", 300),
        ("三百零五", 305),
        ("甲", None),
    ],
)
def test_chinese_numerals(s, n):
    assert cn_number(s) == n


@pytest.mark.parametrize(
    ("text", "value", "qualifier"),
    [
        ("获得1.5亿元中央财政专项资金支持。", Decimal(150_000_000), ""),
        ("实现销售收入超25亿元。", Decimal(2_500_000_000), "超"),
        ("安排经费3000万元。", Decimal(30_000_000), ""),
        ("奖励资金200余万元。", Decimal(2_000_000), "余"),
        ("支付800元。", Decimal(800), ""),
    ],
)
def test_money_is_converted_to_yuan(text, value, qualifier):
    f = one(text)
    assert (f.kind, f.value, f.unit, f.qualifier) == ("money", value, "元", qualifier)


def test_count_with_measure_word_and_qualifier():
    f = one("集聚250余家科研单位和关联企业协同创新。")
    assert (f.kind, f.value, f.unit, f.qualifier, f.subject, f.predicate) == (
        "count",
        250,
        "家",
        "余",
        "科研单位和关联企业",
        "集聚",
    )


def test_count_written_after_the_noun():
    f = one("攻克国产替代技术74项。")
    assert (f.value, f.unit, f.subject, f.predicate) == (74, "项", "国产替代技术", "攻克")


def test_second_count_inherits_the_subject():
    facts = extract_facts("将82家创新基地优化重组为42家。")
    assert [(f.value, f.subject) for f in facts] == [(82, "创新基地"), (42, "创新基地")]
    assert facts[1].predicate == "优化重组为"


def test_percent_and_rank_and_date_with_the_report_year():
    facts = extract_facts("本地供给率达到77%。我省指数居全国第23位。5月24日在大同开通试验线。", year=2021)
    assert [(f.kind, str(f.value)) for f in facts] == [
        ("percent", "77"),
        ("rank", "23"),
        ("date", "2021-05-24"),
    ]
    assert facts[0].subject == "本地供给率" and facts[0].predicate == "达到"
    assert facts[0].period == "2021"


def test_date_without_a_year_is_left_partial():
    assert one("5月24日开通。").value == "--05-24"


def test_target_with_several_subjects():
    facts = extract_facts("提出到2025年，力争科技进步贡献率、企业研发经费占比均达到65%以上。")
    assert [(f.kind, f.subject, f.period, f.qualifier) for f in facts] == [
        ("target", "科技进步贡献率", "2025", "以上"),
        ("target", "企业研发经费占比", "2025", "以上"),
    ]


@pytest.mark.parametrize(
    "text",
    ["为国产大飞机C919提供机载设备。", "突破废液提取Kr-85技术瓶颈。", "建成P3设施集群。", "第一个五年计划。"],
)
def test_codes_and_ordinals_are_not_counts(text):
    assert extract_facts(text) == []


def test_a_rank_needs_a_ranking_verb():
    assert extract_facts("第3位专家发言。") == []


def test_no_digits_no_facts_and_empty_text():
    assert extract_facts("") == []
    assert extract_facts("科技创新工作取得新成效。") == []
