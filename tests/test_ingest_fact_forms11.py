"""Issue #15 item 4: forms of facts the dev10 split and the leftovers of dev9 showed (session 21, helper facts11),
each read from the genre's grammar. The sentences are written for the tests (fictional places), not copied from
the corpus."""

from kechuang.ingest.parsers import extract_facts
from kechuang.ingest.tests.facts import read as _read


def test_kuai_with_its_jiao_or_in_a_clause_of_money_is_an_amount_in_yuan():
    """一块五, 两块八 (块 and a numeral of jiao), 五万来块 (a scale, then the clause ends) and 涨了四块 in a clause of a
    price are yuan in speech; 三块试验田 counts plots."""
    assert ("money", "1.5", "元", "2025") in _read("“每斤多卖一块五，一年能多挣五万来块。”")
    assert ("money", "50000", "元", "2025") in _read("“每斤多卖一块五，一年能多挣五万来块。”")
    assert ("money", "2.8", "元", "2025") in _read("他说，收购价一斤涨了两块八。")
    assert ("money", "4", "元", "2025") in _read("他说，收购价一斤涨了四块。")
    assert not any(f[1] == "3" and f[2] == "元" for f in _read("村里新开了三块试验田。"))


def test_hours_said_with_ge_and_duo_are_hours():
    """一个多小时, 两个小时 (speech): hours, not a count of 个."""
    assert ("quantity", "2", "小时", "2025") in _read("专家在大棚里一待就是两个多小时。")
    assert ("quantity", "3", "小时", "2025") in _read("专家们讨论了三个小时。")
    assert not any(f[2] == "个" for f in _read("专家在大棚里一待就是两个多小时。"))


def test_weights_and_areas_in_words_said_in_speech():
    """七斤左右, 十二斤多, 八两左右, 一斤多, 十来亩: a weight or an area with a numeral in words (two or more, or said
    about); 一亩三分地 and 八两个 are not."""
    facts = _read(
        "“以前一亩只收七斤左右，现在能收十二斤多；一根菌棒出八两左右，现在出一斤多。我家十来亩茶园。”"
    )
    for value, unit in (("7", "斤"), ("12", "斤"), ("8", "两"), ("1", "斤"), ("10", "亩")):
        assert ("quantity", value, unit, "2025") in facts, (value, unit)
    assert not any(f[2] == "亩" for f in _read("守着一亩三分地过日子。"))
    assert not any(f[2] == "两" for f in _read("村里八两个合作社合并了。"))


def test_last_year_opening_a_sentence_without_a_comma_dates_its_later_clauses():
    """去年全县研发投入强度为1.38%，高新技术企业47家。 — 去年 opening the sentence carries to its later clauses, as a
    reader carries it, until 今年 or another year is said; 去年以来 (since then) and 去年10月， (a time a story starts
    from) do not."""
    facts = _read("去年全县研发投入强度为1.38%，高新技术企业47家。", 2026)
    assert ("percent", "1.38", "%", "2025") in facts
    assert ("count", "47", "家", "2025") in facts
    facts = _read("“去年我们一项技术作价1500万元入股，贷了五百万，今年产值就过了一个亿。”")
    assert ("money", "15000000", "元", "2024") in facts
    assert ("money", "5000000", "元", "2024") in facts
    assert ("money", "100000000", "元", "2025") in facts
    assert ("money", "300000000", "元", "2025") in _read("去年以来全县新增高企12家，投入3亿元。")
    # (2 days a week: a rate, in a compounded unit since session 23, FACTS_KEY.md)
    assert ("quantity", "2", "天/周", "2025") in _read("去年10月到企业兼职，每周在企业工作不少于2天。")


def test_a_news_item_dated_the_january_after_its_year():
    """记者1月9日从…获悉，去年全市… in a report of 2025 (the year its figures are of): the lead's date and 今年's targets
    are of 2026, 去年's figures and those said without a year of 2025. Dated in December, or in January without the
    year just ended in its lead, nothing moves."""
    text = (
        "某市去年高企突破千家\n"
        "记者1月9日从某市科技局获悉，去年全市高新技术企业1046家，技术合同成交额52.3亿元。\n"
        "今年，全市将力争高新技术企业达到1200家。\n"
    )
    facts = _read(text)
    assert ("date", "2026-01-09", "date", "2026") in facts
    assert ("count", "1046", "家", "2025") in facts
    assert ("money", "5230000000", "元", "2025") in facts
    assert ("target", "1200", "家", "2026") in facts
    december = text.replace("1月9日", "12月9日").replace("去年全市", "今年全市")
    assert ("date", "2025-12-09", "date", "2025") in _read(december)
    assert ("count", "1200", "家", "2025") in _read(december) or ("target", "1200", "家", "2025") in _read(
        december
    )
    no_past = text.replace("去年全市", "全市")
    assert ("date", "2025-01-09", "date", "2025") in _read(no_past)


def test_a_clause_opening_with_where_it_was_done_and_a_verb_goes_on_with_the_subject_before():
    """某某省科技厅组团参展，带来成果73项，现场签约19项: 现场 (会上, 当场) and a verb open a clause whose subject is
    elided, so it is still that province's; a clause with a subject of its own (全省现场签约…) is the report's."""
    text = "岚汐省科技厅组团参加省科技成果交易会，带来成果73项，现场签约19项。全省现场签约项目120项。"
    places = {text[f.start : f.end]: f.place for f in extract_facts(text, year=2025)}
    assert places["73项"] == "岚汐省"
    assert places["19项"] == "岚汐省"
    assert places["120项"] == ""


def test_a_share_against_the_goal_after_a_table_of_years_is_of_its_latest_measured_column():
    """After a mid-term table (指标　2020年　2024年　2025年目标) in a 2025 report, 已超过目标3.5% and 距目标尚差0.2个百分点
    compare the 2024 column with the goal: of 2024. Without such a table (or with the report's year measured) they
    stay the report's."""
    table = (
        "某市规划中期评估\n"
        "指标　2020年　2024年　2025年目标\n"
        "研发投入强度（%）　1.9　2.3　2.5\n"
        "高新技术企业（家）　400　931　900\n"
    )
    after = "评估认为，高新技术企业数已超过目标3.5%，研发投入强度距目标尚差0.2个百分点。\n"
    facts = _read(table + after)
    assert ("percent", "3.5", "%", "2024") in facts
    assert ("points", "0.2", "百分点", "2024") in facts
    assert ("percent", "3.5", "%", "2025") in _read("某市规划中期评估\n" + after)
    measured_now = table.replace("2024年", "2025年").replace("2025年目标", "2026年目标")
    assert ("percent", "3.5", "%", "2025") in _read(measured_now + after)


def test_where_a_city_of_another_province_ranks_goes_on_with_it_and_its_year():
    """桐湾市去年技术合同成交额52.6亿元，在岚汐省排名第二: the clause of where it ranks (在…排名) goes on with the
    clause before — its subject (the other province's city) and its 去年."""
    text = (
        "澜桥市与桐湾市签署科技合作协议\n"
        "9月18日，澜桥市科技局与岚汐省桐湾市科学技术局签署合作协议。"
        "桐湾市去年技术合同成交额52.6亿元，在岚汐省排名第二。\n"
    )
    facts = {text[f.start : f.end]: (f.place, f.period) for f in extract_facts(text, year=2025)}
    assert facts["52.6亿元"] == ("桐湾市", "2024")
    assert facts["第二"] == ("桐湾市", "2024")
    own = "澜桥市今年技术合同成交额48.1亿元，在全省排名第三。\n"
    facts = {own[f.start : f.end]: (f.place, f.period) for f in extract_facts(own, year=2025)}
    assert facts["第三"] == ("", "2025")


def test_a_satisfaction_score_under_the_evaluated_years_heading_is_of_that_year():
    """以2024年度数据为依据 … 二、服务成效 … 企业满意度93.6分: a score a survey of that year gave is of 2024; the
    evaluation's own score (三、评价结论 综合评分86分) stays the report's."""
    text = (
        "某市创新券2024年度绩效评价报告\n"
        "第三方机构以2024年度数据为依据开展评价。\n"
        "二、服务成效\n"
        "用券企业1108家，企业满意度93.6分。\n"
        "三、评价结论\n"
        "综合评分86分，等级为良好。\n"
    )
    facts = _read(text)
    assert ("quantity", "93.6", "分", "2024") in facts
    assert ("count", "1108", "家", "2024") in facts
    assert ("quantity", "86", "分", "2025") in facts
