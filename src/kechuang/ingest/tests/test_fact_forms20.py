"""Issue #15 item 4: forms of facts the dev17 split showed (session 24, helper facts20), each read from the genre's
grammar. The sentences are written for the tests (fictional places), not copied from the corpus."""

from hypothesis import given
from hypothesis import strategies as st

from kechuang.ingest.tests.facts import placed as _placed
from kechuang.ingest.tests.facts import read as _read

_DIGITS = "零一二三四五六七八九"


@given(st.integers(1, 7), st.integers(1, 3), st.sampled_from(["提升到", "提高至", "提升至"]))
def test_a_levels_movement_after_a_semicolon_the_readiness_level_named_before(a, up, verb):
    """榜单按技术成熟度分为两类：甲类…达到8级；乙类任务则要求从4级提升到6级: the readiness level named in the part of
    the sentence before the ；, the movement in the part after it is read; what a task is required to do starts from
    now (the report's year for both), as a goal's."""
    b = a + up
    text = f"榜单按技术成熟度分为两类：甲类任务验收时达到8级；乙类任务则要求从{a}级{verb}{b}级。"
    facts = _read(text)
    assert ("level", str(a), "级", "2025") in facts
    assert ("level", str(b), "级", "2025") in facts
    # a movement the year's work made, not a requirement: its start is of the year before (FACTS_KEY)
    facts = _read(f"甲项目技术成熟度达到8级；乙项目从{a}级{verb}{b}级。")
    assert ("level", str(a), "级", "2024") in facts
    assert ("level", str(b), "级", "2025") in facts


def test_levels_without_the_readiness_level_named_in_the_sentence_stay_unread():
    """产品质量从4级提升到6级 (no 成熟度 in the sentence), and a 成熟度 in the sentence before the 。: no level."""
    assert not any(f[2] == "级" for f in _read("产品质量从4级提升到6级。"))
    assert not any(
        f[2] == "级" for f in _read("技术成熟度达到8级。乙类产品质量从4级提升到6级。") if f[1] in ("4", "6")
    )


def test_times_in_a_row_as_a_rules_condition_are_counted():
    """连续两次评价为良好以上的，优先推荐…: a rule's condition counts the times (as 连续两次评估不合格的，取消认定); 连续两次
    评为优秀的机构有九家 and 其中4家连续两次获评优秀 say which ones (no count of times)."""
    assert ("count", "2", "次", "2025") in _read(
        "绩效评价周期为三年，连续两次评价为良好以上的，优先推荐申报。"
    )
    assert not any(f[2] == "次" for f in _read("连续两次评为优秀的机构有九家。"))
    assert not any(f[2] == "次" for f in _read("其中4家连续两次获评优秀。"))


@given(st.integers(2, 999))
def test_grams_are_a_unit_and_per_litre_a_rate(n):
    """每升12克 is 克/升 (a rate, FACTS_KEY); 样品重12克 is 克; 5毫克, 30微克 too."""
    assert ("quantity", str(n), "克/升", "2025") in _read(f"发酵液中目标蛋白表达量恢复到每升{n}克。")
    assert ("quantity", str(n), "克", "2025") in _read(f"单个样品重{n}克。")
    assert ("quantity", str(n), "毫克", "2025") in _read(f"每片含有效成分{n}毫克。") or (
        "quantity",
        str(n),
        "毫克",
        "2025",
    ) in _read(f"有效成分{n}毫克。")


def test_the_figure_a_rate_is_compared_with_is_in_its_unit():
    """每升12克，超过任务书要求的10克: the standard compared with is per litre too; a total after it is not."""
    facts = _read("表达量恢复到每升12克，超过任务书要求的10克。")
    assert {("quantity", "12", "克/升", "2025"), ("quantity", "10", "克/升", "2025")} <= facts
    facts = _read("生产线每小时加工2.5吨，全年累计加工1.2万吨。")
    assert ("quantity", "12000", "吨", "2025") in facts


def test_gram_words_that_are_not_grams():
    """攻克3项关键技术, 克隆5个基因: 克 in a word is no unit."""
    assert ("count", "3", "项", "2025") in _read("团队攻克3项关键技术。")
    assert not any(f[2].startswith("克") for f in _read("实验室克隆5个抗病基因，攻克3项关键技术。"))


def test_siemens_written_in_full():
    """电导率达到每厘米12毫西门子 (毫西门子/厘米, a rate), 0.8微西门子."""
    assert ("quantity", "12", "毫西门子/厘米", "2025") in _read(
        "固态电解质室温离子电导率达到每厘米12毫西门子。"
    )
    assert ("quantity", "0.8", "微西门子", "2025") in _read("出水电导率不高于0.8微西门子。")


def test_a_visiting_departments_clauses_go_on_with_it():
    """琅渚省澧汀市科学技术局带队来考察，调研了5个项目 / …举办了专场推介会，推介项目26个: the clause after goes on with
    the visiting department (the city's)."""
    head = "岷湫省科学技术厅2025年工作总结\n"
    placed = _placed(head + "今年初夏，琅渚省澧汀市科学技术局带队来岷湫考察，调研了5个项目的跟踪情况。")
    assert ("5", "个", "2025", "澧汀市") in placed
    placed = _placed(head + "琅渚省澧汀市科学技术局还在专区举办了城市专场推介会，推介项目26个。")
    assert ("26", "个", "2025", "澧汀市") in placed


def test_a_county_report_names_a_citys_department_as_another_region():
    """芦汀县科学技术局…: 嵩原市科学技术局组织市直科研院所8家与我县企业开展结对 is the city's (its institutes); the
    joint figure after it (落实结对项目15个) and a service by the city's experts in the county stay the county's."""
    head = "芦汀县科学技术局2025年科技工作情况报告\n"
    placed = _placed(head + "嵩原市科学技术局组织市直科研院所8家与我县企业开展结对，落实结对项目15个。")
    assert ("8", "家", "2025", "嵩原市") in placed
    assert ("15", "个", "2025", "") in placed
    placed = _placed(head + "嵩原市科技局下派的专家服务团在我县开展服务六批次。")
    assert ("6", "批次", "2025", "") in placed
    # a county named inside a word of the report's own whole is no county's report (全县)
    assert ("8", "家", "2025", "") in _placed(
        "全县科技工作情况\n嵩原市科学技术局组织科研院所8家来我县开展服务。"
    )


def test_a_province_named_as_our_neighbour_opens_its_clause():
    """我们的邻居琅渚省今年技术合同成交额预计达到一千二百亿元，比我们多出三成左右: the neighbour's, both."""
    placed = _placed(
        "我们的邻居琅渚省今年技术合同成交额预计达到一千二百亿元，比我们多出三成左右，差距还不小。"
    )
    assert ("120000000000", "元", "2025", "琅渚省") in placed
    assert ("30", "%", "2025", "琅渚省") in placed


@given(st.sampled_from([("三", "2016"), ("四", "2021"), ("五", "2026")]), st.integers(2, 9))
def test_a_plans_first_year_opening_a_sentence_dates_it(plan, d):
    """“十四五”开局那年，全省研发经费投入不到三百亿元: 2021 (“十三五” 2016, “十五五” 2026: a year after the report's is
    a target's); a clause saying 今年 after it is of now."""
    n, first = plan
    facts = _read(
        f"“十{n}五”开局那年，全省研发经费投入不到{_DIGITS[d]}百亿元，投入强度排在全国中下游。", 2025
    )
    kind = "target" if int(first) > 2025 else "money"
    assert (kind, str(d * 10**10), "元", first) in facts
    facts = _read(f"“十{n}五”开局那年，全省研发经费投入不到{_DIGITS[d]}百亿元，今年达到五百亿元。", 2025)
    assert ("money", "50000000000", "元", "2025") in facts


def test_a_movements_end_said_as_this_years():
    """从五年前的三百多亿元增长到今年的九百一十多亿元: the start five years back, the end this year's."""
    facts = _read("技术合同成交额从五年前的三百多亿元增长到今年的九百一十多亿元。")
    assert ("money", "30000000000", "元", "2020") in facts
    assert ("money", "91000000000", "元", "2025") in facts


@given(st.integers(2, 9), st.sampled_from(["已连续举办", "已举办", "先后召开了"]))
def test_sessions_held_in_words_are_counted(n, verb):
    """博览会已连续举办六届: 6 届; 第六届博览会, 党的二十届三中全会 are names, not counts."""
    assert ("count", str(n), "届", "2025") in _read(
        f"科技成果交易博览会{verb}{_DIGITS[n]}届，累计签约项目超过1100个。"
    )
    assert not any(
        f[2] == "届" for f in _read(f"第{_DIGITS[n]}届科技成果交易博览会今天闭幕，签约项目236个。")
    )
    assert not any(f[2] == "届" for f in _read("全面贯彻党的二十届三中全会精神，签约项目236个。"))


@given(st.integers(1, 9), st.integers(2, 8))
def test_an_unread_characters_mark_ends_no_sentence(d, level):
    """微管密度低于每平方厘米〔存疑：？〕.1个，技术成熟度由5级提升至7级: the ？ in the repair's mark stands for a character
    it could not read, so the sentence (and its 考核指标：, which starts the movement from now) goes on."""
    text = f"考核指标：衬底直径达到8英寸，微管密度低于〔存疑：？〕.{d}个，技术成熟度由{level}级提升至{level + 1}级。"
    facts = _read(text)
    assert ("level", str(level), "级", "2025") in facts
    assert ("level", str(level), "级", "2024") not in facts
    # a question of its own still ends its sentence
    assert ("level", str(level), "级", "2025") in _read(f"为什么？技术成熟度达到{level}级。")


@given(st.sampled_from(["　", "？", "成"]))
def test_a_table_headers_mark_is_read_as_what_it_holds(held):
    """成交额（亿元）〔存疑：　〕比上年增长（%）: the header's cells part at the mark's gap; a mark inside a cell's name
    (成交〔存疑：？〕（亿元）) keeps the cell's unit."""
    gap = "〔存疑：　〕" if held == "　" else "　"
    name = "成交额" if held == "　" else f"成交〔存疑：{held}〕"
    text = f"主要设区市技术合同成交情况\n地区　合同数（项）　{name}（亿元）{gap}比上年增长（%）\n〔隐去〕市　8960　318.5　24.3\n"
    facts = _read(text)
    assert ("money", "31850000000", "元", "2025") in facts
    assert ("percent", "24.3", "%", "2025") in facts
