"""Issue #15 item 4: forms dev13's reports showed (session 23, helper facts16), each read from the genre's
grammar. The sentences are written for the tests (fictional places), not copied from the corpus."""

from kechuang.ingest.tests.facts import values as _vup


def test_a_ten_thousands_numeral_with_a_long_tail_in_words():
    """一万三千五百二十七家: the four places after 万 said in full (seven characters)."""
    assert _vup("全省科技型中小企业达到一万三千五百二十七家。") == {("13527", "家", "2025")}
    assert ("30050", "人", "2025") in _vup("全市共有科技人员三万零五十人。")


def test_points_with_duo_inside_the_measure():
    """高出两个多百分点: points (个多百分点 as 个多亿), not a count of 个."""
    assert _vup("增速比全省平均水平高出两个多百分点。") == {("2", "百分点", "2025")}


def test_yi_with_chutou_is_an_amount():
    """九百亿出头 (speech): an amount in 亿元; 去年 opening the clause dates it."""
    assert ("90000000000", "元", "2024") in _vup("“去年全省科技贷款余额也就九百亿出头，今年翻了一番。”")


def test_the_difference_from_a_figure_some_years_ago_is_now():
    """比三年前的四百二十家多了将近三百家: 420 then, the difference now."""
    assert _vup("全县规上企业现在是七百一十家，比三年前的四百二十家多了将近三百家。") == {
        ("710", "家", "2025"),
        ("420", "家", "2022"),
        ("300", "家", "2025"),
    }
    assert ("2.05", "%", "2022") in _vup("三年前还是2.05%。")


def test_horsepower_is_a_unit():
    assert ("120", "马力", "2025") in _vup("研制大功率120马力智能拖拉机。")


def test_a_rate_of_last_years_base_is_of_the_rules_year():
    """按上一年度…的15%给予补助，每家最高300万元: a rate and a cap of the rule (now), not last year's figures."""
    assert _vup("对考核优秀的平台，市财政按上一年度研发投入的15%给予补助，每家最高300万元。") == {
        ("15", "%", "2025"),
        ("3000000", "元", "2025"),
    }
    # said of last year's figures, the year still carries
    assert ("46", "家", "2024") in _vup("参评机构上一年度新增企业12家，孵化项目46家。")


def test_times_in_a_row_describing_whom_are_not_counts():
    """连续三次评为优秀的平台有八家: the times describe which platforms; the count is 八家."""
    assert _vup("连续三次评为优秀的平台有八家。") == {("8", "家", "2025")}
    assert _vup("其中4家连续两次获评优秀。") == {("4", "家", "2025")}


def test_a_readiness_movement_describing_counted_projects_is_of_the_year():
    """全年承接项目三十项，其中技术成熟度由3级提升到5级以上的九项: the movement within the year's projects."""
    facts = _vup("全年承接中试项目三十项，其中技术成熟度由3级提升到5级以上的九项。")
    assert ("3", "级", "2025") in facts and ("5", "级", "2025") in facts
    assert ("3", "级", "2024") in _vup("芯片封装技术成熟度由3级提升到5级。")


def test_a_later_year_of_an_event_after_which_a_forecast_holds():
    """预计2027年建成后年新增产值2.3亿元: the year dates the building; the forecast is the report's."""
    assert ("230000000", "元", "2025") in _vup("预计2027年建成后年新增产值2.3亿元以上。")
    assert ("230000000", "元", "2027") in _vup("预计2027年新增产值2.3亿元以上。")


def test_a_rank_moving_to_a_year_said_before_it():
    """由2021年的第九位上升到2025年的第三位: both ranks, each of its year."""
    assert _vup("专利授权量排名由2021年的第九位上升到2025年的第三位。") == {
        ("9", "位", "2021"),
        ("3", "位", "2025"),
    }


def test_a_rules_bound_of_last_years_revenue_is_now():
    """申请企业上一年度营业收入原则上不超过3亿元: whom the rule covers, a bound of now."""
    assert ("300000000", "元", "2026") in _vup("申请企业上一年度营业收入原则上不超过3亿元。", 2026)


def test_kinds_in_words_introducing_their_list():
    """可用于购买四类服务：…: a count of 类 that opens the list after it; 等四类 after a list stays unread."""
    assert ("4", "类", "2026") in _vup(
        "创新券可用于购买四类科技服务：检验检测、研发设计、中试熟化和技术转移。", 2026
    )
    assert _vup("可用于购买检验检测、研发设计、技术转移等四类科技服务。", 2026) == set()


def test_a_top_place_in_words_before_de():
    """排名全市前三十的企业: a rank bound in 位."""
    assert ("30", "位", "2026") in _vup("对年度研发投入排名全市前三十的企业，给予一次性奖励。", 2026)
    assert _vup("前三季度全市技术合同成交额增长。", 2026) == set()


def test_years_in_words_of_a_ban():
    """两年内不得申报: how long a ban lasts (力争两年内引进 is a time limit, read since session 24's ruling in
    FACTS_KEY.md, as 3年内完成 is; test_fact_forms19)."""
    assert ("2", "年", "2026") in _vup("对弄虚作假的企业，两年内不得申报市级科技计划项目。", 2026)
    assert _vup("力争两年内引进培育企业。", 2026) == {("2", "年", "2026")}


def test_two_cities_after_their_names_are_where():
    """在栎川、荻原两个市试点: the cities just named (as 两市), not a count; 沐阳县等三个县 is one."""
    assert _vup("我们在栎川、荻原两个市试点建设中试基地。") == set()
    assert ("3", "个", "2025") in _vup("沐阳县等三个县获批省级创新型县。")
