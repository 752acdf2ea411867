"""Issue #15 item 4: facts read from a repaired text as from the clean one (session 31, helper facts35) — a figure
inside the repair's uncertain mark, a table's header or row broken over two lines, a row's gap read as a mark, a
reported paragraph whose verb the page damaged, a heading with a word redacted. The sentences are written for the
tests (fictional places: 泺岷省 and its cities), not copied from the corpus."""

from hypothesis import given
from hypothesis import strategies as st

from kechuang.ingest.parsers import extract_facts
from kechuang.ingest.tests.facts import read, values

_CN = "一二三四五六七八九"


@given(st.integers(1, 9), st.integers(1, 9), st.sampled_from(("市财政安排专项资金", "每个基地省里补助")))
def test_a_figure_read_in_a_long_uncertain_mark_is_read_flagged(thousands, hundreds, words):
    """〔存疑：市财政安排专项资金四千〕二百万元: a mark holding a span of Chinese text the repair read by its dictionary
    (bytes lost in it) is read as what it holds, a figure in it or across its end read whole and flagged uncertain;
    a mark holding a character not read (？) or a letter gives no figure."""
    text = f"泺岷市科技局介绍，〔存疑：{words}{_CN[thousands - 1]}千〕{_CN[hundreds - 1]}百万元，用于中试基地建设。"
    facts = [f for f in extract_facts(text, year=2026) if f.unit == "元"]
    assert [str(f.value) for f in facts] == [str(thousands * 10_000_000 + hundreds * 1_000_000)]
    assert facts[0].uncertain_parts
    assert text[facts[0].start :].startswith("〔存疑：") or "〔存疑：" in facts[0].quote
    unread = f"泺岷市科技局介绍，〔存疑：？Ｈ{words}〕{_CN[hundreds - 1]}百万元，用于中试基地建设。"
    assert not [f for f in extract_facts(unread, year=2026) if f.unit == "元" and f.start < unread.find("〕")]


@given(st.integers(100, 9999), st.integers(10, 99), st.integers(10, 40))
def test_a_headers_last_cell_broken_off_its_line(staff, funds, share):
    """设区市　科普人员（人）　经费（亿元）　公\\n众满意率（%）: the header's last cell broken by the page's line break (a line
    of one cell ending in the unit the line above's last cell lacks) is one header: every column is read."""
    table = (
        "三、分地区情况\n设区市　科普人员（人）　经费（亿元）　公\n众满意率（%）\n"
        f"泺州市　{staff}　{funds}.5　{share}.2\n岷川市　{staff + 1}　{funds}.1　{share}.7\n注：数据来源于统计调查。"
    )
    facts = values(table, year=2026)
    assert (str(staff), "人", "2026") in facts
    assert (str((funds * 10 + 5) * 10_000_000), "元", "2026") in facts
    assert (f"{share}.2", "%", "2026") in facts
    assert (f"{share}.7", "%", "2026") in facts


@given(st.integers(100, 999), st.integers(100, 999), st.integers(2, 9))
def test_a_row_broken_over_two_lines_is_one_row(first, second, level):
    """A row the page's line break cut — in its label (高新技\\n术产业投资　86.2　88.9) or in a text cell
    (…　能量密度\\n不低于…　1200) — is read as one row: its figures in their columns, the rows after it too."""
    table = (
        "指标　2026年1—9月　2025年1—9月\n研发费用（亿元）　12.5　11.9\n高新技\n"
        f"术产业投资（亿元）　{first}.4　{second}.6\n新增科技型企业（家）　{first}　{second}\n简析：前三季度平稳增长。"
    )
    facts = values(table, year=2026)
    assert (str((first * 10 + 4) * 10_000_000), "元", "2026") in facts
    assert (str((second * 10 + 6) * 10_000_000), "元", "2025") in facts
    assert (str(first), "家", "2026") in facts
    assert (str(second), "家", "2025") in facts
    listed = (
        "序号　榜单名称　发榜单位　主要指标　榜额（万元）\n"
        f"1　深海系泊系统　泺州海工公司　适用水深60至120米　{first}\n"
        f"2　储能电池　岷川新能源公司　能量密度\n不低于{level}00瓦时/千克　{second}\n"
        "3　水稻新品种　泺川种业公司　单产不低于550公斤　800\n二、揭榜条件"
    )
    facts = values(listed, year=2026)
    assert (str(second * 10000), "元", "2026") in facts
    assert ("8000000", "元", "2026") in facts


@given(st.integers(10, 99), st.integers(1000, 9999), st.sampled_from("。，、"))
def test_a_rows_gap_read_as_a_mark(count, amount, mark):
    """泺州市。86　16420 under 地区　项目数（项）　资金（万元）: the gap after a row's label decoded as a mark is the gap."""
    table = (
        f"地区　项目数（项）　资金（万元）\n泺州市{mark}{count}　{amount}\n岷川市　{count + 1}　{amount + 1}\n"
        f"合计　{2 * count + 1}　{2 * amount + 1}\n泺州市下达资金最多。"
    )
    facts = values(table, year=2026)
    assert (str(count), "项", "2026") in facts
    assert (str(amount * 10000), "元", "2026") in facts
    assert (str(2 * count + 1), "项", "2026") in facts


@given(st.integers(100, 999), st.integers(10, 99), st.sampled_from(("指不", "指屮", "揭出")))
def test_a_reported_paragraph_after_one_whose_verb_was_damaged(firms, labs, damaged):
    """会议指不，过去一年，…。\\n会议介绍，…: a paragraph going on with what a meeting said of the past year keeps that
    year where the first paragraph's verb is damaged (its first words a lead, then 过去一年)."""
    text = (
        "2月10日，泺川市2026年科技工作会议召开。\n"
        f"会议{damaged}，过去一年，全市高新技术企业净增{firms}家。\n"
        f"会议介绍，科学城建设全面提速，已集聚各类研发机构{labs}家。\n会议明确，今年全市要再新增研发平台20个。"
    )
    facts = values(text, year=2026)
    assert (str(firms), "家", "2025") in facts
    assert (str(labs), "家", "2025") in facts
    assert ("20", "个", "2026") in facts


@given(
    st.integers(1000, 9999),
    st.integers(100, 999),
    st.sampled_from(("服〔隐去〕效", "〔隐去〕使用", "运行〔隐去〕")),
)
def test_a_data_heading_with_a_word_redacted(firms, bodies, heading):
    """An evaluation of an earlier year's data (以2025年度数据为依据): under a heading of its figures whose words the site
    redacted in part (二、服〔隐去〕效 for 服务成效), the figures are still that year's."""
    text = (
        "泺川市科技创新券2025年度实施绩效评价报告\n受市科技局委托，第三方机构以2025年度数据为依据开展了绩效评价。\n"
        f"一、概况\n评价覆盖全市各区县。\n二、{heading}\n用券企业{firms}家，服务机构{bodies}家。\n三、评价结论\n综合评分86分。"
    )
    facts = read(text, year=2026)
    assert ("count", str(firms), "家", "2025") in facts
    assert ("count", str(bodies), "家", "2025") in facts
