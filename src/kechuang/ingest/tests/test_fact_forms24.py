"""Issue #15 item 4: forms of facts the dev20 split showed (session 25, helper facts24), each read from the genre's
grammar. The sentences are written for the tests (fictional places), not copied from the corpus."""

from hypothesis import given
from hypothesis import strategies as st

from kechuang.ingest.tests.facts import values as _values

_WORDS = "一二三四五六七八九"


@given(st.integers(1, 3), st.integers(2, 9))
def test_a_later_year_with_its_nian_du_and_a_comma_dates_its_sentence(later, n):
    """2026年度，市财政安排创新券资金2亿元，比2025年度增加5000万元 (a notice of 2025 about 2026): 年度 and a comma
    open the sentence as 2026年， does; the comparison's base (比2025年度) dates nothing. A later year's 年度
    naming a list (现发布2026年度重大科技攻关榜单二十项) stays the report's year's."""
    said = 2025 + later
    facts = _values(f"{said}年度，市财政安排创新券资金{n}亿元，比2025年度增加5000万元。")
    assert (str(n * 100_000_000), "元", str(said)) in facts
    assert ("50000000", "元", str(said)) in facts
    assert ("20", "项", "2025") in _values(f"现发布{said}年度重大科技攻关榜单二十项。")


@given(st.integers(11, 60), st.integers(2, 5))
def test_by_the_end_of_next_year_opening_a_sentence(total, each):
    """到明年底，要达到三十五个，每个设区市至少两个: a goal of next year opening its sentence dates every figure of it
    (its clauses after too); 明年 inside a clause before (今年订单已经排到明年二季度) does not."""
    facts = _values(f"全市现有中试基地10个。到明年底，要达到{total}个，每个区至少{_WORDS[each - 1]}个。")
    assert (str(total), "个", "2026") in facts
    assert (str(each), "个", "2026") in facts
    assert ("10", "个", "2025") in facts


@given(st.integers(2, 9), st.integers(101, 999))
def test_seed_holes_and_variety_trials_are_counted(n, trials):
    """新购置的精量播种线每小时可播种1.2万穴 (a rate in holes: 穴/小时, as 每小时处理种子3吨 is 吨/小时);
    完成新品种区域试验、生产试验312品种次 (a variety tried at a site once: 品种次)."""
    assert (str(n * 10000), "穴/小时", "2025") in _values(f"新购置的精量播种线每小时可播种{n}万穴。")
    assert (str(trials), "品种次", "2025") in _values(f"完成新品种区域试验、生产试验{trials}品种次。")


@given(st.integers(3, 5), st.integers(6, 9))
def test_a_required_movement_naming_a_condition_first_starts_now(start, end):
    """…项目，要求模块在175摄氏度以上结温下稳定工作，技术成熟度由5级提升到8级: what a project is required to reach starts
    from now (FACTS_KEY.md, forms dev17 brought), the condition said before it; without 要求, the year's work moved
    the level from where the year before had left it."""
    required = _values(
        f"联合攻关项目要求模块在175摄氏度以上结温下稳定工作，技术成熟度由{start}级提升到{end}级。"
    )
    assert (str(start), "级", "2025") in required
    done = _values(f"联合攻关项目的模块实现稳定工作，技术成熟度由{start}级提升到{end}级。")
    assert (str(start), "级", "2024") in done
