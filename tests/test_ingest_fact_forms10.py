"""Issue #15 item 4: forms of facts the dev9 split and the leftovers of dev8 showed (session 20, helper facts10),
each read from the genre's grammar: 万 without 元 in speech, 亿 before white space in a title, units of
conductivity, resistance and small powers, grades named before the figure, and a city of another region as the
subject of a clause. The sentences are written for the tests (fictional places), not copied from the corpus."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kechuang.ingest.parsers import extract_facts
from kechuang.ingest.tests.facts import read as _read


def _places(text: str) -> dict[str, str]:
    return {text[f.start : f.end]: f.place for f in extract_facts(text, year=2025)}


_WORDS = {1: "一", 2: "两", 3: "三", 4: "四", 5: "五", 6: "六", 7: "七", 8: "八", 9: "九"}


def _in_words(n: int) -> str:
    """1..99 in words (十二, 四十, 九十九)."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else "十" if tens == 1 else ("二" if tens == 2 else _WORDS[tens]) + "十"
    return head + (_WORDS[ones] if ones else "") if n >= 10 else _WORDS[n]


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(
    n=st.integers(min_value=1, max_value=99),
    words=st.booleans(),
    more=st.booleans(),
    verb=st.sampled_from(["投入了", "花了", "贷了", "去年多收了", "一台卖", "市里补助了", "兑付"]),
    end=st.sampled_from(["，", "。", "左右，", "”"]),
)
def test_wan_without_yuan_where_the_clause_speaks_of_money_is_an_amount_in_yuan(n, words, more, verb, end):
    """投入了300万， / 花了六百万， / 四十多万。 (speech): 万 without 元 is an amount in yuan where the clause before
    it speaks of money; the value is the number times 10,000."""
    figure = (_in_words(n) if words else str(n)) + ("多" if more else "") + "万"
    got = [
        f
        for f in extract_facts(f"他说：“公司{verb}{figure}{end}大家都很满意。”", year=2025)
        if f.unit == "元"
    ]
    assert [f.value for f in got] == [n * 10000], (figure, got)


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(
    n=st.integers(min_value=1, max_value=99),
    what=st.sampled_from(["观众达", "参观人数", "服务群众", "辐射人口", "累计访问量"]),
)
def test_wan_without_yuan_where_the_clause_does_not_speak_of_money_is_no_amount(n, what):
    """观众达3万， (people, visits): 万 without 元 and no word of money in the clause is not an amount."""
    assert not [f for f in extract_facts(f"本届展会{what}{n}万，展位120个。", year=2025) if f.unit == "元"]


def test_wan_without_yuan_before_de_and_a_word_of_money_or_the_price_of_one_thing():
    """市里给了60万的补助 (的 and a word of money after it), 一台八十多万 (the price of one thing)."""
    assert ("money", "600000", "元", "2025") in _read("市里给了60万的补助。")
    assert ("money", "800000", "元", "2025") in _read("以前要从国外买，一台八十多万。")


def test_yi_before_white_space_or_a_line_end_in_a_title_is_an_amount():
    """A title's 首破百亿 followed by a space and a second phrase, or 首超五十亿 ending the line: amounts in yuan."""
    assert ("money", "10000000000", "元", "2025") in _read(
        "桦屿科技贷款余额首破百亿 惠及八百余家企业\n正文。"
    )
    assert ("money", "5000000000", "元", "2025") in _read("桦屿研发投入首超五十亿\n记者获悉。")
    assert ("money", "10000000000", "元", "2025") in _read("比去年多出一百亿左右。")


def test_units_of_conductivity_resistance_small_powers_and_parts_per_million():
    got = _read("离子电导率不低于15毫西/厘米，方阻不高于10欧姆/方块，检测下限达到0.1ppm，功耗低于5毫瓦。")
    assert {
        ("quantity", "15", "毫西/厘米", "2025"),
        ("quantity", "10", "欧姆/方块", "2025"),
        ("quantity", "0.1", "ppm", "2025"),
        ("quantity", "5", "毫瓦", "2025"),
    } <= got


def test_a_grade_named_before_the_figure_is_a_level_and_a_count_of_bang():
    assert ("level", "12", "级", "2025") in _read("抗风等级不低于12级。")
    assert not _read("全年新建项目，达到预期级别。")
    assert ("count", "130000000", "棒", "2025") in _read("全县食用菌种植规模达到1.3亿棒。")


def test_a_city_of_another_province_as_the_clauses_subject_is_that_city():
    """湍屏省砚湄市科学技术局… (a city named after a province the title does not name): its figures are that city's,
    carried to the clauses that go on with it (带来…, 其中…, 该市…); a joint figure (与…共建) and a province report's
    own cities named bare stay the report's own."""
    text = (
        "澜屿市与砚湄市签署科技合作协议\n"
        "澜屿市科技局与湍屏省砚湄市科学技术局签署协议，首批合作项目12个。"
        "砚湄市科技局带队来访，带来可转化成果86项，其中新材料领域31项。"
        "砚湄市科技局负责人介绍，该市去年技术合同成交额152.6亿元。"
    )
    got = _places(text)
    assert got["12个"] == ""
    assert got["86项"] == got["31项"] == got["152.6亿元"] == "砚湄市"
    province = "芷汀省2025年科技工作总结\n璠溪市科技局组织企业参展，带来成果40项。"
    assert _places(province) == {"40项": ""}


def test_in_a_city_report_another_citys_department_as_the_subject_is_that_city():
    """A report whose title names its own city (澜屿市科学技术局…): another city's department as the subject is
    that city's; the report's own department (市科技局, 澜屿市科技局) its own."""
    text = (
        "澜屿市科学技术局2025年工作总结\n"
        "砚湄市科技局组织35家企业来澜屿对接，发布技术需求64项。澜屿市科技局组织企业回访，签约项目9个。"
    )
    got = _places(text)
    assert got["35家"] == got["64项"] == "砚湄市"
    assert got["9个"] == ""


def test_a_place_among_the_first_so_many_of_the_country_province_or_city():
    """进入全国前40 (全国, 全省 or 全市 between the verb's 前 and the number): a rank bound in 位."""
    assert ("rank", "40", "位", "2025") in _read("综合评价进入全国前40。")
    assert ("target", "30", "位", "2026") in _read("到2026年，力争进入全省前30。")


def test_about_so_many_after_a_round_number_and_now_said_before_a_figure():
    """从三年前的20来个增加到现在的87人: 20来个 is about 20 (of three years before), 现在的 dates its figure now even
    after a year or 明年 said before it in the sentence."""
    got = _read("公司研发人员从三年前的20来个增加到现在的87人。")
    assert {("count", "20", "个", "2022"), ("count", "87", "人", "2025")} <= got
    got = _read("希望明年能把研发团队从现在的60人扩充到100人。")
    assert {("count", "60", "人", "2025"), ("target", "100", "人", "2026")} <= got


def test_mu_in_words_and_a_cycle_is_no_week():
    assert ("quantity", "1500", "亩", "2025") in _read("建设示范基地一千五百亩。")
    assert not [f for f in extract_facts("建议下一周期市财政每年支持。", year=2025) if f.unit == "周"]


def test_the_evaluated_years_figures_under_a_heading_of_its_use_or_effects():
    """以2024年度数据为依据 (an evaluation written in 2025): the figures under 一、资金使用 and 二、服务成效 are 2024's;
    under 三、评价结论 the evaluation's own (2025)."""
    text = (
        "创新券2024年度绩效评价报告\n评价机构以2024年度数据为依据开展评价。\n一、资金使用\n共发放创新券1326张。\n"
        "二、服务成效\n用券企业1108家。\n三、评价结论\n综合评分86分，推荐企业12家。\n"
    )
    got = _read(text)
    assert {
        ("count", "1326", "张", "2024"),
        ("count", "1108", "家", "2024"),
        ("count", "12", "家", "2025"),
    } <= got


def test_a_column_of_intensities_in_a_table_of_several_units_is_in_percent():
    """分行业情况（单位：亿元、%）with columns 研发经费 增速 研发强度: the intensity column is in % as the growth one."""
    text = (
        "分行业情况（单位：亿元、%）\n行业　研发经费　增速　研发强度\n电子信息　38.62　15.8　3.12\n"
        "装备制造　27.45　9.3　2.48\n"
    )
    got = _read(text)
    assert {("percent", "3.12", "%", "2025"), ("percent", "2.48", "%", "2025")} <= got
    assert ("money", "3862000000", "元", "2025") in got
