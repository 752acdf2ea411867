"""Issue #15 item 4: forms of facts the dev15 split showed (session 23, helper facts17), each read from the genre's
grammar. The sentences are written for the tests (fictional places), not copied from the corpus."""

from kechuang.ingest.tests.facts import placed as _placed
from kechuang.ingest.tests.facts import read as _read


def test_a_header_of_periods_and_a_growth_column_over_rows_that_say_their_unit():
    """指标　2023年1—6月　2024年1—6月　同比增长（%）: the period columns name no unit, the growth column does; each
    row's label (技术合同成交额（亿元）) gives the unit of the period columns, the growth column keeps its %."""
    text = (
        "表　某市科技创新主要指标\n"
        "指标　2023年1—6月　2024年1—6月　同比增长（%）\n"
        "技术合同成交额（亿元）　21.4　26.9　25.7\n"
        "新增科技型中小企业（家）　233　268　15.0\n"
    )
    facts = _read(text, 2024)
    assert ("money", "2140000000", "元", "2023") in facts
    assert ("money", "2690000000", "元", "2024") in facts
    assert ("count", "233", "家", "2023") in facts
    assert ("count", "268", "家", "2024") in facts
    assert ("percent", "25.7", "%", "2024") in facts
    assert ("percent", "15.0", "%", "2024") in facts or ("percent", "15", "%", "2024") in facts
    assert len(facts) == 6


def test_frames_and_bags_are_measure_words_and_rates_per_second_and_hour():
    """每秒采集图像3000帧 (帧/秒), 每小时可装袋一千二百袋 (袋/小时), 推广菌棒二千八百万袋 (袋)."""
    assert ("3000", "帧/秒", "2025") in {f[1:] for f in _read("成像系统每秒采集图像3000帧。")}
    facts = _read("生产线每小时可装袋一千二百袋。全县推广菌棒二千八百万袋。")
    assert {f[1:] for f in facts} == {("1200", "袋/小时", "2025"), ("28000000", "袋", "2025")}


def test_what_an_hour_does_in_speech_is_a_rate():
    """一个小时能下线一百二十块 (块/小时), 一小时能防治八十亩 (亩/小时), as 一个小时能跑十五海里 is a speed."""
    assert {f[1:] for f in _read("一条产线一个小时能下线一百二十块电池模组。")} == {
        ("120", "块/小时", "2025")
    }
    assert ("80", "亩/小时", "2025") in {f[1:] for f in _read("无人机一小时能防治八十亩，是人工的二十倍。")}


def test_a_heading_opening_on_last_year_dates_its_section():
    """一、去年我们干成了几件实事 in a speech: the section's figures are of the year before; the next heading ends it."""
    text = (
        "同志们：\n一、去年我们干成了几件实事\n第二件，企业多起来了。全市高新技术企业达到一千三百家。\n"
        "二、今年要干的几件事\n新增高新技术企业一百家。\n"
    )
    facts = _read(text, 2026)
    assert ("count", "1300", "家", "2025") in facts
    assert ("count", "100", "家", "2026") in {(k, v, u, p) for k, v, u, p in facts if v == "100"} or any(
        f[1] == "100" and f[3] == "2026" for f in facts
    )
    assert not any(f[1] == "1300" and f[3] == "2026" for f in facts)


def test_ages_in_words_and_a_magnets_energy_product():
    """四十岁以下的占了八成 (40 岁), 五十岁以上的 (50 岁); 磁能积达到52兆高奥 (兆高奥, MGOe)."""
    assert ("quantity", "40", "岁", "2025") in _read("其中四十岁以下的占了八成。")
    assert ("quantity", "50", "岁", "2025") in _read("特派员五十岁以上的占百分之四十三。")
    assert ("quantity", "52", "兆高奥", "2025") in _read("磁体最大磁能积达到52兆高奥。")


def test_another_provinces_city_and_what_goes_on_with_it():
    """In a city's report 岫沅省榧川市 opening a clause is the city's (not the province's), after 同期 too; 比我们高出…
    and a clause opening on 人家的 go on with it; 同期 before a province named bare set against ours."""
    text = (
        "砚湄市2025年科技创新工作情况\n大家看看邻居，岫沅省榧川市去年研发投入强度已经是百分之三点一，"
        "比我们高出零点四个百分点；人家的高新技术企业数量也比我们多出将近三成。\n"
        "同期岫沅省榧川市技术合同成交额增长30.5%。\n"
    )
    facts = _placed(text, 2026)
    assert ("3.1", "%", "2025", "榧川市") in facts
    assert ("0.4", "百分点", "2025", "榧川市") in facts or ("0.4", "百分点", "2026", "榧川市") in facts
    assert any(f[0] == "30" and f[3] == "榧川市" for f in facts)
    assert ("30.5", "%", "2026", "榧川市") in facts
    facts = _placed("与周边省份相比，岫沅省同期R&D经费投入强度为2.61%，高于我省0.7个百分点。", 2024)
    assert ("2.61", "%", "2024", "岫沅省") in facts
    assert ("0.7", "百分点", "2024", "岫沅省") in facts


def test_a_rank_in_an_evaluation_of_an_earlier_year():
    """在2023年度全省高新区综合评价中，本区居第三位: the rank is of the year rated (an earlier one)."""
    assert ("rank", "3", "位", "2023") in _read("在2023年度全省高新区综合评价中，本区居第三位。", 2024)
    assert ("rank", "3", "位", "2024") in _read("在全省高新区综合评价中，本区居第三位。", 2024)


def test_wan_in_speech_capped_per_one():
    """按增量部分的百分之十给奖励，一家最多两百万: the most one gets of what the clause before pays, as 单家企业最多五百万."""
    assert ("money", "2000000", "元", "2025") in _read("按增量部分的百分之十给奖励，一家最多两百万；")
