"""Issue #15 item 4: fact forms of the dev39 split's last misses (session 35, helper facts43). The sentences are written
for the tests (fictional places: 靺鞨省, its cities 苈州市 and 鞨阳市), not copied from the corpus."""

from hypothesis import given
from hypothesis import strategies as st

from kechuang.ingest.parsers import extract_facts
from kechuang.ingest.tests.facts import read, values


@given(st.integers(300, 900), st.integers(30, 60), st.integers(2, 9))
def test_a_class_bound_in_a_report_of_an_earlier_year(hours, share, years):
    """靺鞨省大型科研仪器开放共享2025年度报告 read in 2026: the bound of a class its data are counted in (年使用机时不足600小时的,
    使用率低于50%的, 维持年限超过5年的) is of the year the report is of, as its other figures — as a heading reviewing an earlier
    year dates its section's bounds (corpus README: dev38-11's two bounds re-keyed so)."""
    text = (
        "靺鞨省大型科研仪器开放共享2025年度报告\n"
        f"全省纳入平台仪器8120台（套）。年使用机时不足{hours}小时的205台（套）仪器限期整改，"
        f"使用率低于{share}%的仍有八百多台；维持年限超过{years}年的存量专利转化58项。"
    )
    facts = values(text, year=2026)
    assert (str(hours), "小时", "2025") in facts
    assert (str(share), "%", "2025") in facts
    assert (str(years), "年", "2025") in facts
    assert ("205", "台（套）", "2025") in facts


@given(st.integers(50, 150))
def test_a_class_bound_in_a_statistical_bulletin_of_an_earlier_year(amount):
    """2025年靺鞨省…经费投入统计公报 (2026): `R&D经费投入超过100亿元的设区市有3个` — the bound of 2025, as the count."""
    text = (
        "2025年靺鞨省研究与试验发展（R&D）经费投入统计公报\n"
        f"全省R&D经费投入812.6亿元。R&D经费投入超过{amount}亿元的设区市有3个。"
    )
    facts = values(text, year=2026)
    assert (str(amount * 100_000_000), "元", "2025") in facts
    assert ("3", "个", "2025") in facts


@given(st.integers(2, 9), st.integers(10, 19))
def test_a_ranks_start_said_with_its_round_and_the_clause_going_on_with_it(up, down):
    """苈州市由2024年上一轮评价的第3位升至第2位，鞨阳市由第2位降至第3位: the first start is read (由 reaches over the words
    naming the round, up to 的) in the round's year; the next clause's start, no time of its own, goes on with it."""
    text = f"按优秀率计，苈州市由2024年上一轮评价的第{down}位升至第{up}位，鞨阳市由第{up}位降至第{down}位。"
    facts = values(text, year=2026)
    assert (str(down), "位", "2024") in facts
    assert (str(up), "位", "2026") in facts
    assert (str(up), "位", "2024") in facts
    assert (str(down), "位", "2026") in facts
    assert not any(p == "2025" for _v, _u, p in facts)


def test_a_ranks_start_said_with_its_round_no_year():
    """苈州市由上次评估的第5名升至第2名: the start is a rank too."""
    assert ("rank", "5", "位", "2026") in read("苈州市由上次评估的第5名升至第2名。", year=2026)


@given(st.integers(5, 20), st.integers(12, 30))
def test_the_base_of_an_average_in_digits(items, people):
    """平均每10台（套）仪器仅配备实验技术人员2.3人, 平均约每18万人拥有一个科普场馆: the base of an average written in digits
    before what it counts is a count in its measure word; 每十万人口, 每10万人口 name an indicator's base (no count)."""
    text = (
        f"靺鞨省科普工作统计\n平均每{items}台（套）仪器仅配备实验技术人员2.3人。平均约每{people}万人拥有一个科普场馆。"
        "每十万人口中具有大学文化程度的人数为18460人。每10万人口拥有科普人员61人。"
    )
    facts = values(text, year=2026)
    assert (str(items), "台（套）", "2026") in facts
    assert (str(people * 10000), "人", "2026") in facts
    assert ("2.3", "人", "2026") in facts
    assert ("100000", "人", "2026") not in facts
    assert ("10", "万", "2026") not in facts


@given(st.integers(5, 30))
def test_days_a_list_is_shown_to_the_public(days):
    """转化项目在校内公示15日: how long it is shown, in 日 (as 公示7天 in 天); 公示15日后 counts a time from it (no fact)."""
    facts = values(f"苈州市科技局关于认定结果的公告\n拟认定名单在局网站公示{days}日，未收到异议。", year=2026)
    assert (str(days), "日", "2026") in facts
    assert values(f"公示{days}日后无异议的，予以认定。", year=2026) == set()


@given(st.integers(1000, 9000), st.integers(100, 900), st.integers(3, 7))
def test_a_list_table_whose_cells_write_some_units(amount, served, low):
    """A list table parted by single spaces (基地名称 依托单位 设备原值 年服务项目数 可承接技术成熟度) whose rows write some
    figures with their units (146项, 4级至7级): the bare figures in their column's unit — the unit line names the one
    column it is of (（设备原值单位：万元）) —, a readiness column's levels and ranges as levels (both ends, in 级)."""
    text = (
        "关于公布靺鞨省中试平台名单的通知\n"
        "各市科技局：\n"
        "现将部分平台基本情况公布如下。\n"
        "（设备原值单位：万元）\n"
        "平台名称 依托单位 设备原值 年服务项目数 可承接技术成熟度\n"
        f"苈州绿色化工中试平台 苈州化工研究院 {amount} {served}项 {low}级至8级\n"
        "鞨阳医疗器械中试平台 鞨阳医疗器械公司 4210 61项 5级至7级\n"
        "靺鞨大学微电子中试平台 靺鞨大学 3380 45项 6级\n"
        "以上平台均已通过现场考察。"
    )
    facts = read(text, year=2026)
    assert ("money", str(amount * 10000), "元", "2026") in facts
    assert ("money", "42100000", "元", "2026") in facts
    assert ("count", str(served), "项", "2026") in facts
    assert ("level", str(low), "级", "2026") in facts
    assert ("level", "8", "级", "2026") in facts
    assert ("level", "5", "级", "2026") in facts
    assert ("level", "7", "级", "2026") in facts
    assert ("level", "6", "级", "2026") in facts
    # each figure read once: no money of the other columns, no level twice from the text's own reading
    found = extract_facts(text, year=2026)
    assert sum(1 for f in found if f.kind == "money") == 3
    assert sum(1 for f in found if f.unit == "项") == 3


@given(st.integers(3000, 9000), st.integers(1000, 9000))
def test_a_columns_total_said_bare_after_its_table(first, second):
    """上述3项装备合同金额合计13560，约占… right after a table under 单位：万元、%: the total is in the column's unit."""
    total = first + second + 2150
    text = (
        "靺鞨省首台（套）装备名单\n"
        "（单位：万元、%）\n"
        "装备名称 申报单位 合同金额 保费补贴比例\n"
        f"高速五轴加工中心 苈州精密机床有限公司 {first} 80\n"
        f"氢燃料电池电堆 鞨阳氢能科技有限公司 {second} 80\n"
        "医用直线加速器 靺鞨医疗装备有限公司 2150 70\n"
        f"上述3项装备合同金额合计{total}，约占本批次的31.2%。"
    )
    facts = values(text, year=2026)
    assert (str(total * 10000), "元", "2026") in facts
    assert (str(first * 10000), "元", "2026") in facts
    assert ("31.2", "%", "2026") in facts
