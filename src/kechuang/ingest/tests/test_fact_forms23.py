"""Issue #15 item 4: forms of facts the dev19 split showed (session 25, helper facts23), each read from the genre's
grammar. The sentences are written for the tests (fictional places), not copied from the corpus."""

from hypothesis import given
from hypothesis import strategies as st

from kechuang.ingest.parsers import extract_facts
from kechuang.ingest.tests.facts import placed as _placed
from kechuang.ingest.tests.facts import read as _read

_WORDS = "一二三四五六七八九"


@given(st.sampled_from(["这一天", "那一天", "这一周"]))
def test_a_day_of_the_story_is_no_duration(day):
    """这一天，…也来到…考察: a day (or week) of the story pointed at, not how long anything took; 为期一天 … stays
    as it was (一 said in passing is no figure either way), 为期三天 is read."""
    assert not any(f[2] in ("天", "周") for f in _read(f"{day}，邻省的专家也来到溪口村考察。"))
    assert ("quantity", "3", "天", "2025") in _read("交流会为期三天，吸引观众两万人次。")


@given(st.integers(2, 9), st.sampled_from(["年轻了近", "年轻了", "小了", "大了约"]))
def test_ages_apart_in_words(n, said):
    """第一完成人平均年龄45.8岁，比上届年轻了近两岁: how far two ages are apart, in words (an age below ten said
    alone, 三岁的孩子, stays unread)."""
    facts = _read(f"第一完成人平均年龄45.8岁，比上届{said}{_WORDS[n - 1]}岁。")
    assert ("quantity", str(n), "岁", "2025") in facts
    assert not any(f[2] == "岁" for f in _read(f"带着{_WORDS[n - 1]}岁的孩子来参观。"))


@given(st.integers(2, 9), st.sampled_from(["派驻", "进驻", "来到"]))
def test_when_they_first_came_after_being_sent_years_ago(n, verb):
    """回访了三年前派驻溪口县的特派员团队。…“刚来的时候，…亩产不到40公斤”: the time they came, dated by the years
    ago the story said they were sent (派驻, 进驻 as 来到)."""
    text = (
        f"记者回访了{_WORDS[n - 1]}年前{verb}溪口县的科技特派员团队。\n"
        "“刚来的时候，这里的茶园亩产干茶不到40公斤，一有病虫害就只能打药。”"
    )
    assert ("quantity", "40", "公斤", str(2025 - n)) in _read(text)


@given(st.integers(1, 12), st.integers(1, 20), st.integers(1, 8))
def test_bare_days_after_a_dateline_are_of_its_month(month, day, later):
    """本报溪口10月15日电 …15日上午，…开幕 … 将持续至17日，: a news item's bare days are of the dateline's month
    (30日内 is a time limit, 20日前 a deadline, 11月8日至10日 a span read with its start)."""
    end = day + later
    text = (
        f"本报溪口{month}月{day}日电（记者　林岚）{day}日上午，第三届溪口科技成果博览会开幕。"
        f"本届博览会将持续至{end}日，签约项目应在30日内落地。"
    )
    facts = _read(text)
    dates = sorted(str(f.value) for f in extract_facts(text, year=2025) if f.unit == "date")
    assert dates == [f"2025-{month:02d}-{day:02d}"] * 2 + [f"2025-{month:02d}-{end:02d}"]
    assert ("quantity", "30", "日", "2025") in facts or ("quantity", "30", "天", "2025") in facts
    # without a dateline a bare day is not read
    assert not any(f[2] == "date" for f in _read(f"{day}日上午，博览会开幕。"))


@given(st.sampled_from(["家", "个", "项"]))
def test_an_average_after_a_total_of_last_year(per):
    """参评机构上年度共实现技术性收入21.7亿元，平均每家约4019万元: the average divides the total, of its year."""
    facts = _read(f"参评机构上年度共实现技术性收入18.6亿元，平均每{per}约3720万元。")
    assert {("money", "1860000000", "元", "2024"), ("money", "37200000", "元", "2024")} <= facts
    # an average of this year after a total of this year stays this year's
    assert ("money", "37200000", "元", "2025") in _read(
        f"参评机构共实现技术性收入18.6亿元，平均每{per}约3720万元。"
    )


@given(st.integers(2026, 2030))
def test_a_share_done_of_a_later_goal_and_the_gap_after_its_figure_are_now(goal):
    """已完成2027年目标值5500家的88.5%, 距2027年2.3%的目标还差0.22个百分点: the year and the figure name the goal
    (of that year), the share done and the gap left are measured now."""
    facts = _read(f"高新技术企业4870家，已完成{goal}年目标值5500家的88.5%。")
    assert ("percent", "88.5", "%", "2025") in facts
    assert ("target", "5500", "家", str(goal)) in facts
    facts = _read(f"技术合同成交额806.3亿元，完成{goal}年目标950亿元的84.9%。")
    assert ("percent", "84.9", "%", "2025") in facts
    facts = _read(f"研发投入强度为2.08%，距{goal}年2.3%的目标还差0.22个百分点。")
    assert ("points", "0.22", "百分点", "2025") in facts
    assert ("target", "2.3", "%", str(goal)) in facts
    # a goal's own figures after 力争 stay the goal's
    assert ("target", "95", "%", str(goal)) in _read(f"力争到{goal}年完成率达到95%。")


def test_what_another_province_gives_after_an_agreement_with_us_is_its_own():
    """沅岫省科学技术厅与我厅签署…协议，向我省科研人员开放大型科研仪器1200台（套），并共享…专家4600余名: what the
    clauses after the agreement give is the province's (the agreement is joint, the figures are not)."""
    facts = _placed(
        "沅岫省科学技术厅与我厅签署新一轮科技合作协议，向我省科研人员开放大型科研仪器860台（套），"
        "并共享科技专家库专家3200余名。"
    )
    assert {("860", "台（套）", "2025", "沅岫省"), ("3200", "名", "2025", "沅岫省")} <= facts
    # a joint figure with 与 in its own clause stays the report's own
    facts = _placed("沅岫省科学技术厅与我厅共建联合实验室3个。")
    assert ("3", "个", "2025", "") in facts


def test_a_clause_per_item_goes_on_with_the_subject_before():
    """沅岫省农业科学院此前在本省推广套种模式1.2万亩，每亩茶园多收食用菌600公斤: a clause of a figure per 亩 (家, 台 …)
    goes on with the clause before."""
    facts = _placed("沅岫省农业科学院此前在本省推广“茶—菌”套种模式1.2万亩，每亩茶园多收食用菌600公斤。")
    assert {("12000", "亩", "2025", "沅岫省"), ("600", "公斤", "2025", "沅岫省")} <= facts


def test_a_city_bureaus_visit_goes_on_in_a_clause_of_what_was_solved():
    """In a county's report, 汀州市科学技术局组织…专家二十一名到我县开展…活动，现场解决技术难题三十余个: the problems
    solved on the spot are of the visit (the city's)."""
    facts = _placed(
        "溪口县科学技术局2025年科技工作报告\n"
        "汀州市科学技术局组织市直科研院所专家十八名到我县开展“科技下乡”活动，现场解决技术难题二十余个。"
    )
    assert {("18", "名", "2025", "汀州市"), ("20", "个", "2025", "汀州市")} <= facts
