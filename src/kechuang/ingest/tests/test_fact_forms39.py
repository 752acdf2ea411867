"""Issue #15 item 4: forms of the dev37 split's clean texts (session 33, helper facts39) — an index table's values,
changes and ranks written 第8位; a table whose columns name no unit, each counted in the text before it; an index's
values said across a ； and against the national average; readiness levels listed by ； after 按技术成熟度分;
a yearly edition's figure; 笔数. The sentences are written for the tests (fictional places: 洺滢省 and its cities),
not copied from the corpus."""

from hypothesis import given
from hypothesis import strategies as st

from kechuang.ingest.tests.facts import values

_TITLE = "洺滢省区域创新指数报告（2025）\n"


@given(st.integers(60, 99), st.integers(1, 9), st.integers(1, 30), st.sampled_from(("第{r}位", "第九位")))
def test_an_index_table_of_values_changes_and_ranks(value, change, rank, written):
    """一级指标　指数值　比上年提高　全国排名 over rows `投资　88.6　3.9　第10位`: the index's value and its change bare
    (an index has no unit), the rank written 第…位 (in digits or words; a
    first row with it in words is not read yet: the table's rows are found from a figure's cell) in 位, all of the
    report's year."""
    cell = written.format(r=rank)
    text = (
        f"{_TITLE}一、一级指标\n各一级指标情况如下：\n一级指标　指数值　比上年提高　全国排名\n"
        f"投资　{value - 3}.6　{change}.9　第12位\n创新环境　{value}.1　{change}.4　{cell}\n二、说明\n以上为测算结果。"
    )
    facts = values(text)
    assert (f"{value}.1", "", "2025") in facts
    assert (f"{change}.4", "", "2025") in facts
    assert (str(rank if "{r}" in written else 9), "位", "2025") in facts
    assert ("12", "位", "2025") in facts


@given(st.integers(3, 9), st.integers(2, 9), st.integers(1, 9))
def test_columns_without_units_counted_in_the_text_before(done, doing, todo):
    """领域　产品数　已量产　试制中　待研发 under `梳理重点产品…个…已量产40个，试制中30个`: each column in the measure
    word the text before writes after its name (产品数 by 产品…个); a column the text never counts leaves the
    table unread, as before."""
    total = done + doing + todo
    before = "本年梳理重点产品85个。按状态分：已量产40个，试制中30个，待研发15个。\n"
    table = (
        f"领域　产品数　已量产　试制中　待研发\n装备　{total}　{done}　{doing}　{todo}\n材料　55　26　20　9\n"
    )
    facts = values(f"{_TITLE}一、总体\n{before}二、分领域\n{table}三、下一步\n继续推进。")
    assert (str(total), "个", "2025") in facts
    assert ("26", "个", "2025") in facts and ("9", "个", "2025") in facts
    unsaid = values(f"{_TITLE}一、总体\n本年梳理重点产品85个。\n二、分领域\n{table}三、下一步\n继续推进。")
    assert ("26", "个", "2025") not in unsaid


@given(st.integers(100, 120), st.integers(60, 80), st.integers(1, 9))
def test_an_index_said_before_the_semicolon_and_against_the_average(top, low, change):
    """…的综合指数最高，为104.6；丙丁市最低，为78.2，…比上年提高5.3。戊己市、庚辛市分别为91.5和83.7。 and
    全国平均为86.7，我省高出全国平均5.7; 甲市与乙市的综合指数相差26.4: index values, bare, of the report's year."""
    text = (
        f"{_TITLE}一、综合\n2025年，我省区域创新综合指数为92.4，比上年提高3.1。全国平均为86.7，我省高出全国平均5.7。\n"
        f"二、分市\n全省5个设区市中，洺川市的综合指数最高，为{top}.6，首次超过欧盟平均水平；滢口市最低，为{low}.2，"
        f"但提高最快，比上年提高{change}.3。洺东市、滢西市分别为91.5和83.7。\n"
        f"洺川市与滢口市的综合指数相差{top - low}.4，比上年缩小2.1。"
    )
    facts = values(text)
    for v in (f"{low}.2", f"{change}.3", "91.5", "83.7", "86.7", "5.7", f"{top - low}.4"):
        assert (v, "", "2025") in facts, v
    plain = values(
        f"{_TITLE}一、情况\n今年共走访企业60家；其中滢口市最多，为45。全国平均为8.5，我省高出全国平均1.5。"
    )
    assert not {f for f in plain if f[0] in ("45", "8.5", "1.5")}


@given(st.integers(2, 4), st.integers(5, 6))
def test_readiness_levels_listed_after_a_semicolon(low, high):
    """按技术成熟度分：已突破技术均达到7级以上；攻关中技术多处于4至6级；待布局技术多在3级以下: each item's levels (a
    range's two ends), the readiness named once at the sentence's head; without it 级 is no level."""
    text = (
        f"{_TITLE}一、成熟度\n按技术成熟度分：已突破技术均达到7级以上；攻关中技术多处于{low}至{high}级；"
        f"待布局技术多在{low - 1}级以下。"
    )
    facts = values(text)
    for v in ("7", str(low), str(high), str(low - 1)):
        assert (v, "级", "2025") in facts, v
    assert not {
        f
        for f in values(f"{_TITLE}一、情况\n按类别分：甲类达到7级以上；乙类多处于{low}至{high}级。")
        if f[1] == "级"
    }


@given(st.integers(10, 40))
def test_a_yearly_editions_figure_is_of_its_year(share):
    """比2024年版的22.7%提高7.5个百分点: the 2024 edition's share, of 2024 (the one before it of now)."""
    text = f"{_TITLE}一、总体\n已突破技术占{share + 8}.2%，比2024年版的{share}.7%提高7.5个百分点。"
    facts = values(text)
    assert (f"{share}.7", "%", "2024") in facts
    assert (f"{share + 8}.2", "%", "2025") in facts


@given(st.integers(100, 900))
def test_a_column_of_numbers_of_loans(count):
    """产品　笔数　金额（亿元）: 笔数, a number of loans, in 笔 (as 项数 is in 项)."""
    text = (
        f"{_TITLE}一、投放\n三季度新发放贷款按产品分：\n产品　笔数　金额（亿元）　占比（%）\n"
        f"信用贷　{count}　27.3　40.0\n人才贷　156　6.8　10.0\n二、下一步\n继续推进。"
    )
    facts = values(text)
    assert (str(count), "笔", "2025") in facts and ("156", "笔", "2025") in facts


@given(st.integers(10, 99))
def test_rows_under_an_empty_line_are_no_table(count):
    """甲市　12　3.4 right under an empty line (a damaged page's, dev37 at seed 2): no header, no table, no facts of
    its rows — it had raised IndexError (an empty header's first cell)."""
    assert not values(f"{_TITLE}一、情况\n\n洺川市　{count}　3.4\n滢口市　15　2.2\n二、下一步\n继续推进。")
