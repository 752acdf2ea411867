"""Issue #15 item 4: forms session 31 left (session 32, helper facts37) — a range of years in words, an amount in
words of 亿 and 万 in speech, a remainder to a goal said without its unit, a measure named with its compounded unit
said again, the one a superlative picks out, a numbered row's gap read as a mark, a word redacted between two ranks,
各 after a list of items, a province called next door. The sentences are written for the tests (fictional places:
泺岷省 and its cities), not copied from the corpus."""

from hypothesis import given
from hypothesis import strategies as st

from kechuang.ingest.parsers import extract_facts
from kechuang.ingest.tests.facts import placed, read, values

_CN = "一二三四五六七八九"


@given(
    st.integers(2, 6),
    st.integers(1, 3),
    st.sampled_from(
        ("要到这个水平，大概需要{}。", "一项成果从实验室走到市场，一般要{}。", "孵化周期通常为{}。")
    ),
    st.sampled_from(("到", "至")),
)
def test_a_range_of_years_in_words(low, more, words, to):
    """大概需要三到五年: a range of years in words is two facts in 年, as 3到5年 in digits is (FACTS_KEY: a range); a
    window ahead (未来三到五年, 今后两到三年) says when, not how long."""
    span = f"{_CN[low - 1]}{to}{_CN[low + more - 1]}年"
    facts = values(f"泺岷省科技厅负责人说，{words.format(span)}", year=2026)
    assert (str(low), "年", "2026") in facts
    assert (str(low + more), "年", "2026") in facts
    ahead = values(f"泺岷省科技厅负责人说，未来{span}，全省将新建省实验室五家。", year=2026)
    assert not {f for f in ahead if f[1] == "年"}


@given(st.integers(11, 99), st.integers(1, 9), st.integers(2, 9))
def test_an_amount_in_words_of_yi_and_wan_in_speech(yi, thousands, more):
    """比去年的五十三亿六千万多了五个亿: a numeral of 亿 and then 万 said without 元 is an amount, as a bare 亿 is (五十八亿多
    一点), of the year said before it; a bare 亿 or 万 before 多了 too (比去年的五十三亿多了)."""
    said = f"{_cn(yi)}亿{_CN[thousands - 1]}千万"
    text = f"厅长：今年省级财政科技支出比去年的{said}多了{_CN[more - 1]}个亿。"
    facts = values(text, year=2026)
    assert (str(yi * 100_000_000 + thousands * 10_000_000), "元", "2025") in facts
    assert (str(more * 100_000_000), "元", "2026") in facts
    bare = values(f"厅长：今年省级财政科技支出比去年的{_cn(yi)}亿多了{_CN[more - 1]}个亿。", year=2026)
    assert (str(yi * 100_000_000), "元", "2025") in bare


def _cn(n: int) -> str:
    tens, ones = divmod(n, 10)
    return ("十" if tens == 1 else f"{_CN[tens - 1]}十") + (_CN[ones - 1] if ones else "")


@given(st.integers(200, 400), st.integers(2, 9), st.sampled_from(("瓦时/千克", "公里", "摄氏度")))
def test_a_remainder_to_a_goal_said_without_its_unit(reached, tens, unit):
    """离目标还差四十: a remainder said in speech after a quantity, its unit unsaid, is in that quantity's unit; one said
    after an amount (三百亿，离目标还差五十: the scale unsaid) is not read."""
    text = f"泺州市储能公司负责人说：“我们的样品已经做到{reached}{unit}，离目标还差{_CN[tens - 1]}十，有信心拿下来。”"
    assert (str(tens * 10), unit, "2026") in values(text, year=2026)
    money = f"泺州市今年技术合同成交额三百亿，离目标还差{_CN[tens - 1]}十。"
    assert not {f for f in values(money, year=2026) if f[0] == str(tens * 10)}


@given(st.integers(2, 9), st.integers(1, 9))
def test_a_measure_named_with_its_compounded_unit_said_again(whole, tenth):
    """单位产品综合能耗（吨标准煤/吨） as a row's label, then 单位产品综合能耗比要求高出0.3吨标准煤: the figure, in the
    unit's first part, is in the compounded unit, as the figure a rate is compared with is; a figure of another measure
    in that unit stays as written."""
    text = (
        "指标　任务书要求　实测值\n"
        f"单位产品综合能耗（吨标准煤/吨）　≤{whole}.5　{whole}.{tenth}\n"
        f"从上表看，单位产品综合能耗比要求高出0.{tenth}吨标准煤，主要原因是余热回收系统未满负荷运行。"
        f"下一节点要求单位产品综合能耗降至{whole}吨标准煤以下，全年节约标准煤{whole}0吨。"
    )
    facts = values(text, year=2026)
    assert (f"0.{tenth}", "吨标准煤/吨", "2026") in facts
    assert (str(whole), "吨标准煤/吨", "2026") in facts
    assert (f"{whole}0", "吨", "2026") in facts


def test_the_one_a_superlative_picks_out_is_no_count():
    """是各一级指标中最低的一项: the one of a set a superlative picks out is not counted; one counted after its noun at
    the clause's end still is (建成中试线一条)."""
    text = "泺州市开放合作指标平均得分率仅为61.2%，是各一级指标中最低的一项。"
    assert not {f for f in read(text, year=2026) if f[1] == "1"}
    assert ("count", "1", "条", "2026") in read("泺州市今年建成中试线一条。", year=2026)


@given(st.integers(100, 999), st.integers(100, 999), st.sampled_from("。，"))
def test_a_numbered_rows_gap_before_its_number_read_as_a_mark(first, second, mark):
    """2　耐高温叶片材料　泺川航材科技有限公司。600: the gap before a numbered row's number decoded as a mark is the
    gap; the row and the rows after it are read."""
    table = (
        "序号　项目名称　揭榜单位　省财政支持（万元）\n"
        f"1　丘陵山区电动拖拉机研制　泺州农机集团有限公司　{first}\n"
        f"2　耐高温合金叶片材料　〔隐去〕航材科技有限公司{mark}{second}\n"
        f"3　水稻抗倒伏分子育种　岷川农业科学研究所　{first + 1}\n"
        "以上项目实施周期一般为两年。"
    )
    facts = values(table, year=2026)
    assert (str(second * 10000), "元", "2026") in facts
    assert (str((first + 1) * 10000), "元", "2026") in facts


@given(st.integers(10, 30), st.integers(1, 9))
def test_a_word_redacted_between_two_ranks(before, gained):
    """由上年的第19位〔隐去〕第15位: the redacted word between a movement's two ranks is its verb (升至); both ranks are
    read, the first the year before's."""
    text = f"泺岷省综合科技创新水平指数由上年的第{before}位〔隐去〕第{before - gained}位，创新能力稳步提升。"
    facts = values(text, year=2026)
    assert (str(before), "位", "2025") in facts
    assert (str(before - gained), "位", "2026") in facts


@given(st.integers(1000, 99999), st.sampled_from(("收入、支出总计", "技术开发、技术转让合同")))
def test_each_after_a_list_of_items(amount, items):
    """收入、支出总计各增加12836.44万元: 各 after a list of items gives one fact per item, as after a list of places
    (FACTS_KEY.md: 各, session 32)."""
    text = f"泺岷省科技厅2026年度决算显示，与上年相比，{items}各增加{amount}万元。"
    facts = [f for f in extract_facts(text, year=2026) if f.unit == "元"]
    assert [str(f.value) for f in facts] == [str(amount * 10000)] * 2


@given(st.integers(2, 9))
def test_a_province_called_next_door(times):
    """隔壁皞泺省的几家省实验室…，人员规模是我们的两倍左右: a province the speaker calls next door (隔壁) opening the
    clause names another region, as 邻省的 and 我们的邻居 do (FACTS_KEY, dev20)."""
    text = f"主任：隔壁岷川省的几家省实验室起步比我们早，人员规模是我们的{_CN[times - 1]}倍左右，但我们在转化上不落后。"
    assert (str(times), "倍", "2026", "岷川省") in placed(text, year=2026)


# ---------------------------------------------------------------- the forms dev33 and dev34 brought (phase 2)


def test_a_count_of_two_said_again_as_its_clauses_subject_points_back():
    """每个课题同时支持2支团队…。同一课题两支团队得分相差不足3分的，两支团队均继续支持: the two counted before, said
    again as a clause's subject, are no new figure (FACTS_KEY: a count pointed back at); the first count stays, and so
    do a count after the list naming them (A和B的两支团队) and the object of a verb (同时支持两支团队)."""
    text = (
        "泺岷省对技术路线尚不确定的3个课题，每个课题同时支持2支团队平行攻关。同一课题两支团队得分相差不足3分的，"
        "两支团队均继续支持。泺川种业课题两支团队各支持2000万元。"
    )
    counts = [f for f in extract_facts(text, year=2026) if f.unit == "支"]
    assert [str(f.value) for f in counts] == ["2"]
    listed = "泺州大学和岷川农科所的两支团队同场竞技。泺州市今年同时支持两支团队。"
    assert len([f for f in extract_facts(listed, year=2026) if f.unit == "支"]) == 2


@given(st.integers(60, 95), st.integers(1, 9), st.integers(2, 30))
def test_a_tables_rank_column_and_a_column_of_conclusions(score, tenth, rank):
    """分指数　今年得分　上年得分　全国排名: a column named a ranking without a unit holds ranks (位); 课题　承担团队　得分
    （分）　结论: a last column of conclusions (继续支持, 终止) holds no figure, the text cells before the figures are the
    label."""
    table = (
        "二、分指数评价\n分指数　今年得分　上年得分　全国排名\n"
        f"创新投入　{score}.{tenth}　{score - 1}.{tenth}　{rank}\n创新主体　{score + 1}.{tenth}　{score}.0　{rank + 1}\n"
        "各分指数全部比上年提高。"
    )
    facts = values(table, year=2026)
    assert (str(rank), "位", "2026") in facts
    assert (str(rank + 1), "位", "2026") in facts
    results = (
        "一、评审结果\n课题　承担团队　得分（分）　结论\n"
        f"固态电池电解质　泺州大学团队　{score}.{tenth}　继续支持\n固态电池电解质　岷川锂能公司团队　{score - 5}.{tenth}　终止\n"
        "按照评审规则公告。"
    )
    facts = values(results, year=2026)
    assert (f"{score}.{tenth}", "分", "2026") in facts
    assert (f"{score - 5}.{tenth}", "分", "2026") in facts


def test_a_third_party_is_no_rank():
    """测试数据由第三方检测机构出具: 第三方 is a third party, not a place in a ranking."""
    assert not [f for f in read("泺州市评审的测试数据由第三方检测机构出具。", year=2026) if f[0] == "rank"]


@given(st.integers(2, 9))
def test_each_after_a_list_of_long_names(n):
    """泺州智能装备研究院、岷川先进材料研究所各有2家实验室获评优秀: 各 after a list of units with long names, one fact
    each."""
    text = f"泺州智能装备研究院、岷川先进材料研究所各有{n}家实验室获评优秀。"
    assert [str(f.value) for f in extract_facts(text, year=2026) if f.unit == "家"] == [str(n)] * 2


@given(st.integers(100, 900), st.integers(12, 48))
def test_a_tables_allotment_per_person_and_span_of_months(amount, months):
    """安家补贴（万元/人）: an amount allotted to each one is money in 元, as 每月5000元 is; 劳动生产率（万元/人）, a ratio,
    keeps its compounded unit; 实施周期（月）: a span of months, in 个月."""
    table = (
        "层次　引进人数（名）　安家补贴（万元/人）\n"
        f"A类（顶尖人才）　6　{amount}\nB类（领军人才）　48　{amount // 2}\n安家补贴分3年发放。"
    )
    facts = values(table, year=2026)
    assert (str(amount * 10000), "元", "2026") in facts
    ratio = f"企业　营业收入（亿元）　劳动生产率（万元/人）\n泺州重工　12.5　{amount}\n岷川电子　8.1　{amount + 1}\n以上为快报数。"
    assert (str(amount * 10000), "元/人", "2026") in values(ratio, year=2026)
    listed = (
        "序号　榜单名称　揭榜单位　省财政支持（万元）　实施周期（月）\n"
        f"1　车规级功率模块　泺州半导体有限公司　2500　{months}\n2　工业机器人减速器　岷川智能制造研究院　1800　{months + 6}\n"
        "二、其他事项"
    )
    assert (str(months), "个月", "2026") in values(listed, year=2026)


def test_a_levels_movement_in_a_list_of_requirements_starts_now():
    """榜单要求电芯能量密度达到…，循环寿命不低于1000次，…，技术成熟度由4级提升至7级: what the 榜 requires starts from
    now (FACTS_KEY: a movement a task is required to make), however long the list before it."""
    text = (
        "泺岷省榜单要求电芯能量密度达到400瓦时/千克以上，循环寿命不低于1000次，在零下20摄氏度环境下容量保持率"
        "不低于85%，技术成熟度由4级提升至7级。"
    )
    facts = values(text, year=2026)
    assert ("4", "级", "2026") in facts
    assert ("7", "级", "2026") in facts


def test_another_provinces_figures_said_in_new_ways():
    """岷川省综合指数为78.92，…；其创新投入指数达到81.3: 其 goes on with the other province; 高于岷川省同期的16.5%: the
    base set against ours, the province's; 同期，岷川省认定高新技术企业5260家: a province opening a clause with its
    department's act; 岷川省新能源电池创新联合体…，今年成员单位达到52家: its union opening the sentence (a union the title
    names is the report's own); 岷川省用户使用我省仪器9800机时: a use of ours, a flow, the report's own."""
    facts = placed(
        "岷川省科学技术厅发布报告。岷川省综合指数为78.92，居全国第8位；其创新投入指数达到81.3。", year=2026
    )
    assert ("81.3", "", "2026", "岷川省") in facts
    assert ("16.5", "%", "2026", "岷川省") in placed("泺岷省总体资助率高于岷川省同期的16.5%。", year=2026)
    assert ("5260", "家", "2026", "岷川省") in placed(
        "我省认定高新技术企业3100家。\n同期，岷川省认定高新技术企业5260家。", 2026
    )
    union = "同邻省相比，我们还有差距。岷川省新能源电池创新联合体成立时间比我们早，今年成员单位达到52家。"
    assert ("52", "家", "2026", "岷川省") in placed(union, year=2026)
    own = "岷川省新能源电池创新联合体2026年度运行报告\n岷川省新能源电池创新联合体今年成员单位达到52家。"
    assert ("52", "家", "2026", "") in placed(own, year=2026)
    flow = (
        "岷川省科技厅与我厅签署共享协议。我省用户使用岷川省仪器1.36万机时，岷川省用户使用我省仪器9800机时。"
    )
    assert ("9800", "机时", "2026", "") in placed(flow, year=2026)


@given(st.integers(60, 89), st.integers(1, 9))
def test_an_indexs_value_said_in_new_ways(value, tenth):
    """其中创新主体指数提高最多，达3.2; 泺州市的综合指数最高，为80.2，岷川市最低，为58.7; 以欧盟平均水平为100; 高出我省
    7.56; 综合指数要达到75及以上: an index's value written bare, each a quantity without a unit."""
    text = (
        f"各分指数全部比上年提高，其中创新主体指数提高最多，达{tenth}.2，首次进入全国前十。"
        f"从各市看，泺州市的综合指数最高，为{value + 10}.{tenth}，岷川市最低，为{value - 10}.{tenth}，差距较大。"
        f"各项指标经标准化处理后加权合成，以欧盟平均水平为100，各分指数权重均为20%。"
        f"到2027年，我省区域创新能力综合指数要达到{value}及以上。"
    )
    facts = values(text, year=2026)
    assert (f"{tenth}.2", "", "2026") in facts
    assert (f"{value + 10}.{tenth}", "", "2026") in facts
    assert (f"{value - 10}.{tenth}", "", "2026") in facts
    assert ("100", "", "2026") in facts
    assert (str(value), "", "2027") in facts
    lead = f"岷川省综合指数为{value}.{tenth}，居全国第8位，高出我省{tenth}.56。"
    assert (f"{tenth}.56", "", "2026") in values(lead, year=2026)


@given(st.integers(100, 2000), st.integers(2, 20))
def test_units_and_names_of_fields(head, tenths):
    """母猪1200头, 窝均产活仔数12.6头 (head of livestock, after digits); 230兆电子伏 (MeV written out); 百亩示范方: a field
    named by its scale, no figure."""
    text = f"泺州市核心群母猪达到{head}头，新品系窝均产活仔数提高到{tenths}.6头；质子治疗系统最高能量达到{head}兆电子伏。"
    facts = values(text, year=2026)
    assert (str(head), "头", "2026") in facts
    assert (f"{tenths}.6", "头", "2026") in facts
    assert (str(head), "兆电子伏", "2026") in facts
    assert not values("超级稻在泺州市百亩示范方实收测产。", year=2026)


@given(st.integers(2, 60), st.integers(2, 9))
def test_spans_of_time_said_in_new_ways(days, years):
    """比合同约定的时间提前20天完成: how much earlier, in digits (in words, 提前两年完成, said in passing, as the keys have
    it); 成立四年: how long a firm has been; 原来估计要三年, 大概需要两年: how long it takes, in speech."""
    assert (str(days), "天", "2026") in values(f"泺州市项目比合同约定的时间提前{days}天完成。", year=2026)
    assert not values("泺州市项目提前两年完成规划目标。", year=2026)
    word = _CN[years - 1]
    assert (str(years), "年", "2026") in values(
        f"泺州市一家传感器企业，成立{word}年，没有厂房可以抵押。", 2026
    )
    assert (str(years), "年", "2026") in values(
        f"团队负责人说：“原来估计要{word}年，现在中试线已经建成。”", 2026
    )
    assert (str(years), "年", "2026") in values(f"这个品种大概需要{word}年才能审定。", year=2026)


@given(st.integers(2, 9), st.integers(2, 9))
def test_money_in_kuai_and_over_a_round_sum_in_speech(thousands, more):
    """一年卖八千来块，今年卖了一万出头，多出来的两千多块都是…: 块 before an adverb, 块 of money said before in the
    sentence, is yuan; 一万出头 (a little over ten thousand) is an amount in a clause of selling."""
    text = (
        f"茶农说：“以前一亩茶园一年卖{_CN[thousands - 1]}千来块，今年卖了一万出头，"
        f"多出来的{_CN[more - 1]}千多块都是专家教出来的。”"
    )
    facts = values(text, year=2026)
    assert ("10000", "元", "2026") in facts
    assert (str(more * 1000), "元", "2026") in facts


@given(st.integers(50, 89), st.integers(1, 9))
def test_a_share_moved_to_a_bare_numeral_in_words(start, gained):
    """电芯良品率从年初的百分之九十一做到了九十六: the movement's end, a numeral said bare, is a share in %, as its start."""
    text = f"最让人高兴的是电芯良品率，从年初的百分之{_cn(start)}做到了{_cn(start + gained)}，成本随之下降。"
    facts = values(text, year=2026)
    assert (str(start), "%", "2026") in facts
    assert (str(start + gained), "%", "2026") in facts
