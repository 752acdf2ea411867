"""Issue #15 item 4: forms of facts dev14 and dev15 left after their rounds (session 24, helper facts19), each read
from the genre's grammar. The sentences are written for the tests (fictional places), not copied from the corpus."""

from kechuang.ingest.tests.facts import read as _read
from kechuang.ingest.tests.facts import values as _values


def test_wan_in_speech_before_what_the_budget_pays_for():
    """县财政拿出八百多万专门扶持中试 (speech): 万 before the words saying what the money is for, in a clause of a
    budget's share, is an amount; 观众达3万 stays no fact."""
    assert _values("县财政拿出八百多万专门扶持中试，这是头一回。") == {("8000000", "元", "2025")}
    assert _values("市财政安排六百万用于奖励科技特派员。") == {("6000000", "元", "2025")}
    assert _values("开幕当天，观众达3万。") == set()


def test_a_short_wan_in_speech_takes_the_measure_word_its_noun_took_before():
    """科技型中小企业要过一万二 (12000): the last digit stands for the next place down, as 三百八; the count's measure
    word is the one the same noun took where the text counted it before (…现在是九千八百家 → 家)."""
    text = "全省科技型中小企业现在是九千八百家。明年，科技型中小企业要过一万二。"
    assert ("target", "12000", "家", "2026") in _read(text, 2025)
    # a noun never counted before gives no measure word: no fact
    assert not any(f[1] == "12000" for f in _read("明年，创新联合体要过一万二。", 2025))


def test_a_figure_of_last_year_carries_into_the_difference_from_ours():
    """漳屿市去年…1.98%，比我们高出零点三个百分点；人家的…也比我们多出将近两成 (a 2026 speech): the difference from
    ours is of the year the figure it is the difference of was, and so is the clause after the ； that names the other
    side again (人家) and sets it against ours."""
    text = (
        "大家看看邻居，漳屿市去年研发投入强度已经是百分之一点九八，比我们高出零点三个百分点；"
        "人家的科技型中小企业数量也比我们多出将近两成。"
    )
    facts = _values(text, 2026)
    assert ("1.98", "%", "2025") in facts
    assert ("0.3", "百分点", "2025") in facts
    assert ("20", "%", "2025") in facts
    assert not any(p == "2026" for _v, _u, p in facts)


def test_a_heading_of_shortcomings_after_a_last_year_heading_goes_on_with_its_year():
    """一、去年我们办成了几件事 / 二、要正视差距 / 三、今年要抓好几件事 (a speech early in 2026): the shortcomings are
    shown by the same year's figures; the heading naming 今年 ends it."""
    text = (
        "同志们：\n一、去年我们办成了几件事\n全县科技型中小企业达到三百二十家。\n"
        "二、要正视差距\n我们全县规上工业企业里，有研发机构的还不到三成。\n"
        "三、今年要抓好几件事\n新增科技型中小企业五十家。\n"
    )
    facts = _values(text, 2026)
    assert ("320", "家", "2025") in facts
    assert ("30", "%", "2025") in facts
    assert ("50", "家", "2026") in facts


def test_a_target_year_in_chinese_numerals_and_the_first_so_many_of_a_class():
    """到二〇三〇年，我们要进入全国创新型城市前三十 (a place among the first so many of a class named after 全国): a
    target in 位 of that year; 该市前三季度 and 本区前五 are no ranks."""
    assert _read("再往远看，到二〇三〇年，我们要进入全国创新型城市前三十。", 2026) == {
        ("target", "30", "位", "2030")
    }
    assert _values("该市前三季度增长5%。") == {("5", "%", "2025")}


def test_a_past_plan_end_opening_its_clause_dates_the_figure_in_it():
    """…达到一千二百家，“十三五”末还不到五百家 (a 2026 speech): the figure is of the plan's end, 2020."""
    facts = _values("全市科技型中小企业达到一千二百家，“十三五”末还不到五百家，翻了一番多。", 2026)
    assert ("500", "家", "2020") in facts
    assert ("1200", "家", "2026") in facts


def test_a_time_in_words_moving_from_the_past_to_now():
    """研发周期从过去的四年左右缩短到两年: both ends are times (年), as 由过去的8至10年缩短到4年左右 is."""
    facts = _values("新药研发周期从过去的四年左右缩短到两年。")
    assert facts == {("4", "年", "2025"), ("2", "年", "2025")}
    # 从三年级 and 三年前 say no time moved
    assert not any(u == "年" for _v, u, _p in _values("项目从五年前启动，三年级学生参加。"))


def test_last_year_opening_the_words_quoted():
    """种植户算了一笔账：“去年我这三亩果园卖了四万多块，今年卖了六万来块。”: 去年 opening the quoted words dates the
    clause's amount; the figure after the demonstrative (这三亩) names the orchard as it is, the report's year."""
    facts = _values("种植户算了一笔账：“去年我这三亩果园卖了四万多块，今年卖了六万来块。”", 2025)
    assert ("40000", "元", "2024") in facts
    assert ("60000", "元", "2025") in facts
    assert ("3", "亩", "2025") in facts


def test_a_note_that_the_parts_do_not_add_up_is_no_fact():
    """注：比重经四舍五入，合计不等于100%: a note on rounding, nothing counted."""
    assert _values("注：比重经四舍五入，合计不等于100%。") == set()
    assert ("100", "%", "2025") in _values("全县行政村科技特派员覆盖率达到100%。")


# ---------------------------------------------------------------- the session's rulings on times (FACTS_KEY.md)


def test_ruling_a_yearly_figure_before_a_target_year_is_of_the_report_year():
    """建议县财政每年投入不低于2000万元，力争到2028年…达到3%: the target's year dates its own clause only."""
    facts = _values("建议县财政每年投入不低于2000万元，力争到2028年研发投入强度达到3%。", 2025)
    assert facts == {("20000000", "元", "2025"), ("3", "%", "2028")}


def test_ruling_a_bare_movement_starts_the_year_before():
    """技术成熟度由4级提升到7级 (no time of its own): the start is the year before's."""
    assert _values("样机技术成熟度由4级提升到7级。", 2025) == {("4", "级", "2024"), ("7", "级", "2025")}


def test_ruling_a_plan_saying_next_year_holds_for_each_figure_in_it():
    """明年将再布局三家…，每家给予最高2000万元…，实施期3年: all next year's."""
    facts = _values("明年将再布局三家左右的创新联合体，每家给予最高2000万元的支持，实施期3年。", 2025)
    assert {p for _v, _u, p in facts} == {"2026"}
    assert ("20000000", "元", "2026") in facts and ("3", "年", "2026") in facts


def test_ruling_a_span_that_dates_or_selects_is_no_fact_an_events_length_is():
    """立项满12个月后, 会前两个月, 运行满3年的: no facts; 三天时间里，… (an event's whole length): 3 天."""
    assert _values("立项满12个月后，组织中期比选。", 2025) == set()
    assert _values("会前两个月就把需求摸清。", 2025) == set()
    assert _values("评估对象为运行满3年的实验室。", 2025) == set()
    assert ("3", "天", "2025") in _values("展会闭幕。三天时间里，共有200家企业参展。", 2025)


def test_ruling_a_time_limit_in_words_is_a_duration_as_in_digits():
    """我们要求三年之内拿出样机, 力争两年内引进 (as 3年内完成): years; 近五年内 (a window back) and 一年内 are not read."""
    assert _values("我们要求三年之内拿出样机。", 2025) == {("3", "年", "2025")}
    assert ("2", "年", "2025") in _values("力争两年内引进企业10家。", 2025)
    assert _values("近五年内以第一作者发表论文。", 2025) == set()
    assert _values("承诺一年内开发新产品。", 2025) == set()
