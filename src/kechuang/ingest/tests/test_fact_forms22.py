"""Issue #15 item 4: forms of facts the dev18 split showed (session 25, helper facts22), each read from the genre's
grammar. The sentences are written for the tests (fictional places), not copied from the corpus."""

from hypothesis import given
from hypothesis import strategies as st

from kechuang.ingest.tests.facts import placed as _placed
from kechuang.ingest.tests.facts import read as _read

_WORDS = "一二三四五六七八九"


@given(st.integers(1, 9))
def test_jiao_in_speech_is_a_tenth_of_a_yuan(n):
    """运输成本由原来的一块二降到四毛钱: 毛钱 is an amount in yuan, a tenth of one (in words and in digits)."""
    assert ("money", f"0.{n}", "元", "2025") in _read(f"每斤的运费降到{_WORDS[n - 1]}毛钱，农户很满意。")
    assert ("money", f"0.{n}", "元", "2025") in _read(f"每斤的运费降到{n}毛钱。")
    facts = _read("运输成本由原来的一块二降到四毛钱。")
    assert {("money", "1.2", "元", "2025"), ("money", "0.4", "元", "2025")} <= facts


def test_hair_is_no_money():
    """猪毛三吨: 毛 not before 钱 is no unit."""
    assert _read("收购猪毛三吨。") == {("quantity", "3", "吨", "2025")}


@given(st.integers(2, 9), st.sampled_from(["对接会", "博览会", "论坛", "推介会"]))
def test_sessions_held_counted_after_what_was_held(n, what):
    """已连续举办对接会三届，: what was held named between the verb and the sessions ending the clause."""
    assert ("count", str(n), "届", "2025") in _read(
        f"两地已连续举办{what}{_WORDS[n - 1]}届，累计签约项目80个。"
    )
    # an ordinal stays a name
    assert not any(f[2] == "届" for f in _read(f"本次是举办{what}的第{_WORDS[n - 1]}届。"))


@given(st.integers(3, 12))
def test_a_wind_of_a_grade_is_a_level(n):
    """可在6级风下正常起降: a grade on the wind's scale (as 17级台风), in 级; 3级风险 is no wind."""
    assert ("level", str(n), "级", "2025") in _read(f"无人机可在{n}级风下正常起降。")
    assert not any(f[2] == "级" for f in _read(f"企业信用分为{n}级风险等级。"))


@given(st.integers(2026, 2030), st.integers(1, 99).filter(lambda x: x % 10))
def test_the_gap_to_a_years_goal_is_measured_now(goal, tenths):
    """距2027年目标还差3.2个百分点: the year names which goal; the gap is of the report's year (a figure before 的目标
    stays the goal's: 距2027年48%的目标)."""
    gap = f"{tenths // 10}.{tenths % 10}"
    facts = _read(f"科技进步贡献率为61.8%，距{goal}年目标还差{gap}个百分点，有望如期达标。")
    assert ("points", gap, "百分点", "2025") in facts
    assert ("target", "48", "%", str(goal)) in _read(f"占比为41.3%，距{goal}年48%的目标差距较大。")


def test_a_neighbour_provinces_figures_listed_after_its_last_year():
    """邻省沅岫省去年研发投入强度已经超过百分之二，高新技术企业超过一万家，差不多是我们的两倍: the province and 去年 hold
    for the listed figures after it and the multiple set against ours."""
    facts = _placed(
        "我们也要看到差距。邻省沅岫省去年研发投入强度已经超过百分之二，高新技术企业超过一万家，差不多是我们的两倍。"
    )
    assert {
        ("2", "%", "2024", "沅岫省"),
        ("10000", "家", "2024", "沅岫省"),
        ("2", "倍", "2024", "沅岫省"),
    } <= facts


def test_a_clause_opening_on_they_after_a_provinces_last_year_is_now():
    """沅岫省科学技术厅去年在省内布局了十二个…，他们的…增速比我们高出五个百分点: a clause opening on 他们 says what they are
    now (the report's year), as before."""
    facts = _placed(
        "沅岫省科学技术厅去年在省内布局了十二个中试基地，他们的技术合同成交额增速比我们高出五个百分点。"
    )
    assert ("5", "百分点", "2025", "沅岫省") in facts


def test_a_provinces_academy_opening_a_clause_names_the_province():
    """沅岫省农业科学院在该省…开展了2个点的异地鉴定: another province's academy as the clause's subject."""
    facts = _placed(
        "项目由本地企业与沅岫省农业科学院联合承担。沅岫省农业科学院在该省滨海盐碱地同步开展了2个点的异地鉴定。"
    )
    assert ("2", "个", "2025", "沅岫省") in facts


@given(st.integers(2, 40))
def test_a_joint_figure_after_another_citys_bureau_is_the_reports_own(n):
    """沅岫省汀州市科学技术局组织当地12家企业参会，与我省企业签约5个项目: signed with the report's own firms, a joint
    figure (FACTS_KEY): the report's own, whatever clause ended the sentence before (其中…: a clause going on with its
    own subject, not this one's); the bureau's 12家 stays the city's."""
    facts = _placed(
        "岚澈省科技成果对接会举行\n沅岫省科学技术厅带来成果640项，其中处于中试阶段的约占四成。"
        f"沅岫省汀州市科学技术局组织当地12家企业参会，与我省企业签约{n}个项目。"
    )
    assert ("12", "家", "2025", "汀州市") in facts
    assert (str(n), "个", "2025", "") in facts


def test_next_years_plan_goes_on_in_a_clause_joined_by_and():
    """该省将在明年加入…网络，并组织30家左右企业参加下一届对接会: the plan of next year goes on after 并."""
    facts = _read("该省有关负责人表示，该省将在明年加入协作网络，并组织30家左右企业参加下一届对接会。")
    assert ("target", "30", "家", "2026") in facts


@given(st.integers(1, 6), st.integers(1, 3))
def test_a_levels_movement_after_a_tasks_goal_starts_from_now(a, up):
    """攻关目标：…。技术成熟度由4级提升至7级。: a goal said earlier in the paragraph (a list's task) — the movement is
    required, both of the report's year; in a paragraph without a goal the start is the year before's."""
    b = a + up
    text = f"任务一：高纯材料提纯。攻关目标：纯度达到99.9%以上。技术成熟度由{a}级提升至{b}级。"
    facts = _read(text)
    assert {("level", str(a), "级", "2025"), ("level", str(b), "级", "2025")} <= facts
    facts = _read(f"项目进展顺利。技术成熟度由{a}级提升至{b}级。")
    assert ("level", str(a), "级", "2024") in facts


@given(st.integers(2, 9))
def test_years_in_words_to_wait_before_applying_again(n):
    """依托单位可在两年后重新申报: how long one waits (as 3年内不得重新申报); 两年后我们再看 stays unread."""
    assert ("quantity", str(n), "年", "2025") in _read(
        f"撤销的实验室，依托单位可在{_WORDS[n - 1]}年后重新申报。"
    )
    assert not any(f[2] == "年" for f in _read(f"{_WORDS[n - 1]}年后我们再看。"))


def test_one_line_counted_after_it():
    """建设名优茶加工中试线一条，: one line counted after the noun at the clause's end; 还有一条， (one more point) is
    none."""
    assert ("count", "1", "条", "2025") in _read(
        "与省农业科学院合作建设名优茶加工中试线一条，每小时可加工鲜叶二百公斤。"
    )
    assert not any(f[2] == "条" for f in _read("还有一条，企业的研发投入这几年上来了。"))


@given(st.integers(2, 9))
def test_a_movements_start_said_to_take_years(n):
    """从百分之一点三八提高到百分之一点六六，五年提高了零点二八个百分点: the start is so many years before the end (a
    start with its own year keeps it)."""
    facts = _read(f"去年研发投入强度从1.38%提高到1.66%，{_WORDS[n - 1]}年提高了0.28个百分点。", year=2026)
    assert ("percent", "1.38", "%", str(2025 - n)) in facts
    assert ("percent", "1.66", "%", "2025") in facts
    facts = _read(f"研发投入强度从2019年的1.38%提高到1.66%，{_WORDS[n - 1]}年提高了0.28个百分点。")
    assert ("percent", "1.38", "%", "2019") in facts


@given(st.integers(10, 999), st.integers(1, 9))
def test_a_table_header_whose_cell_gap_became_a_full_stop(whole, tenth):
    """地区　R&D经费（亿元）。比上年增长(%)　投入强度(%): on a damaged page the repair may read a header's gap as 。 — right
    after a cell's unit it parts the cells (a header holds no sentence), so the money column is read."""
    amount = f"{whole}.{tenth}"
    text = (
        "五、分地区情况\n主要设区市情况如下：\n"
        f"地区\u3000R&D经费（亿元）。比上年增长(%)\u3000投入强度(%)\n甲川市\u3000{amount}\u300012.9\u30002.58\n"
    )
    facts = _read(text)
    assert ("money", str(int(whole * 10**8 + tenth * 10**7)), "元", "2025") in facts
    assert ("percent", "12.9", "%", "2025") in facts
