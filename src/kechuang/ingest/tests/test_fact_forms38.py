"""Issue #15 item 4: facts a damaged page still gives (session 33, helper facts38) — a table's column headed by a
province the page redacted beside ours, a header's two cells whose gap the page garbled, a row's gap read as ！,
a row's unit whose opening bracket went into an uncertain mark, 个百分点 with its 点 garbled, an index's value after
a city the page redacted. The sentences are written for the tests (fictional places: 洺滢省 and its cities, 濉岘省
next door), not copied from the corpus."""

from hypothesis import given
from hypothesis import strategies as st

from kechuang.ingest.parsers import extract_facts
from kechuang.ingest.tests.facts import placed, values

_TITLE = "洺滢省与濉岘省科技创新指标对比分析\n洺滢省科技信息研究所\n"


@given(st.integers(100, 900), st.integers(10, 99), st.sampled_from(("我省", "本省")))
def test_a_column_headed_by_a_redacted_province_beside_ours(ours, theirs, own):
    """指标　我省　〔隐去〕省: a column whose province the page redacted, the header's other region ours, is another
    province's — the one other province the page names (濉岘省, set against ours in the text); where the page
    names none, or the other column is not ours, the column is not read (as before)."""
    table = (
        f"一、主要指标\n指标　{own}　〔隐去〕省\n研发经费（亿元）　{ours}.5　{ours + theirs}.5\n"
        f"高新技术企业（家）　{ours * 10}　{ours * 10 + theirs}\n"
    )
    text = f"{_TITLE}濉岘省与我省产业结构相似，是我省对标的重点省份。\n{table}二、差距\n差距仍然不小。"
    facts = placed(text, year=2025)
    assert (str((ours + theirs) * 100_000_000 + 50_000_000), "元", "2025", "濉岘省") in facts
    assert (str(ours * 10 + theirs), "家", "2025", "濉岘省") in facts
    assert (str(ours * 10), "家", "2025", "") in facts
    unnamed = placed(f"{_TITLE.replace('与濉岘省', '')}{table}二、差距\n差距仍然不小。", year=2025)
    assert not {f for f in unnamed if f[0] == str(ours * 10 + theirs)}
    two = table.replace(f"{own}　〔隐去〕省", "濉岘省　〔隐去〕省")
    assert not {f for f in placed(f"{_TITLE}{two}", year=2025) if f[0] == str(ours * 10 + theirs)}


@given(st.integers(1000, 6000), st.integers(10, 99), st.sampled_from(("”壬夏L", "鲩Q", "")))
def test_two_header_cells_whose_gap_the_page_garbled(count, growth, garbled):
    """设区市　企业（户）　扣除金额（亿元）”壬夏L(%): the header's last two cells run together over a garbled gap, each
    ending in its unit — read as two cells (as a header line without gaps is), so a row as wide as the header
    gives each figure its column's unit."""
    text = (
        "各市享受政策情况如下：\n"
        f"设区市　享受企业（户）　扣除金额（亿元）{garbled}比上年增长(%)\n"
        f"滢州市　{count}　{growth}.6　{growth % 9 + 1}.5\n"
        f"〔隐去〕市　{count - 500}　{growth - 5}.2　8.4\n"
        "二、下一步安排\n"
    )
    facts = values(text, year=2025)
    assert (str(count), "户", "2025") in facts
    assert (str(growth * 100_000_000 + 60_000_000), "元", "2025") in facts
    assert (f"{growth % 9 + 1}.5", "%", "2025") in facts
    assert (str(count - 500), "户", "2025") in facts
    assert not {f for f in facts if f[1] == "户" and "." in f[0]}


@given(st.integers(10, 90), st.sampled_from(("！", "。")))
def test_a_rows_gap_read_as_an_exclamation_mark(amount, mark):
    """高等学！41.2　12.7　8.8: a row's gap after its label decoded as ！ (the label's last character gone with it)
    parts the label from the first figure, as 。 does."""
    text = (
        "表2　分部门经费情况\n执行部门　经费（亿元）　比上年增长(%)　占比(%)\n企业　379.6　9.8　81.1\n"
        f"高等学{mark}{amount}.2　12.7　8.8\n其他　8.8　-3.5　1.9\n"
    )
    facts = values(text, year=2024)
    assert (str(amount * 100_000_000 + 20_000_000), "元", "2024") in facts
    assert ("12.7", "%", "2024") in facts


@given(st.sampled_from(("〔存疑：？〕", "？")), st.integers(1, 3))
def test_a_rows_unit_whose_bracket_went_into_an_uncertain_mark(mark, whole):
    """研发投入强度〔存疑：？〕%)　2.18　2.71: a row's label whose unit lost its opening bracket to an unknown character
    still names the unit (a table of years, the rows' labels giving the units)."""
    text = (
        "主要指标进展如下：\n指标　2020年　2024年\n"
        f"研〔存疑：发投入强度〕{mark}%)　{whole}.18　{whole}.71\n高新技术企业（家）　812　1507\n"
    )
    facts = values(text, year=2025)
    assert (f"{whole}.18", "%", "2020") in facts
    assert (f"{whole}.71", "%", "2024") in facts
    assert ("1507", "家", "2024") in facts


@given(st.integers(1, 9), st.sampled_from(("面c", "；", "淀")))
def test_points_with_the_dot_garbled(tenths, after):
    """高出3.2个百分面c: 个百分 goes on to nothing but 点, so a figure before it, 点 garbled or lost, is in points (not
    a count of 个); 百分之 stays a share."""
    text = f"高新技术企业利润率高出全部规上工业企业3.{tenths}个百分{after}实现利润总额131亿元。"
    facts = values(text, year=2025)
    assert (f"3.{tenths}", "百分点", "2025") in facts
    assert not {f for f in facts if f[1] == "个"}
    assert ("30", "%", "2025") in values("全省研发人员中女性占百分之三十。", year=2025)


@given(st.integers(60, 79), st.integers(1, 9))
def test_an_index_value_after_a_city_the_page_redacted(whole, tenth):
    """；〔隐去〕市74.3，居第2位 and ，〔隐去〕市最低，为58.7: a city the page redacted is still a place named bare
    before an index's value, as 滢州市74.3 is; a redaction standing for no place (〔隐去〕74.3) gives nothing."""
    value = f"{whole}.{tenth}"
    text = f"全省11个设区市中，滢州市创新能力指数为86.7，居全省第1位；〔隐去〕市{value}，居第2位。"
    assert (value, "", "2026") in values(text, year=2026)
    low = f"从各市看，滢州市的综合指数最高，为86.7，〔隐去〕市最低，为{value}，差距较大。"
    assert (value, "", "2026") in values(low, year=2026)
    bare = text.replace("〔隐去〕市", "〔隐去〕")
    assert (value, "", "2026") not in values(bare, year=2026)


# ---- forms dev35 and dev36 brought (phase 2; sentences written for the tests: 洺滢省, its cities 滢州市 and 洺川市,
# the county 汀溪县, the province next door 濉岘省 and its city 岘口市)


@given(st.integers(2021, 2025), st.integers(100, 900))
def test_a_yearbooks_note_dates_its_tables(then, amount):
    """以下各表均为2025年数据 in a yearbook of the year after: every figure after the note read at the report's year is of
    the year it names; one said with a year of its own keeps it, and a note naming the report's own year changes
    nothing."""
    text = (
        f"洺滢科技统计年鉴（{then + 1}）摘录\n编者说明：以下各表均为{then}年数据。\n"
        f"地区　R&D经费（亿元）　比上年增长（%）\n全省　{amount}.4　11.2\n滢州市　{amount // 2}.5　12.4\n"
        f"注：全省基础研究经费38.7亿元，{then - 1}年为33.1亿元。"
    )
    facts = values(text, year=then + 1)
    assert (str(amount * 100_000_000 + 40_000_000), "元", str(then)) in facts
    assert ("11.2", "%", str(then)) in facts
    assert ("3870000000", "元", str(then)) in facts
    assert ("3310000000", "元", str(then - 1)) in facts
    same = values(text.replace(f"均为{then}年数据", f"均为{then + 1}年数据"), year=then + 1)
    assert ("11.2", "%", str(then + 1)) in same


@given(st.integers(90, 120), st.integers(1, 9), st.integers(3, 30))
def test_an_index_tables_year_columns(value, tenth, rank):
    """分指数　今年　上年　全国排名: a table of indices whose columns name a year and no unit — each value a quantity
    without one (an index has none), of that year; the ranking column in 位."""
    text = (
        "评价报告从五个方面评价：\n分指数　今年　上年　全国排名\n"
        f"创新投入　{value}.{tenth}　{value - 4}.{tenth}　{rank}\n创新环境　97.3　95.1　17\n"
    )
    facts = values(text, year=2026)
    assert (f"{value}.{tenth}", "", "2026") in facts
    assert (f"{value - 4}.{tenth}", "", "2025") in facts
    assert (str(rank), "位", "2026") in facts


@given(st.integers(100, 130), st.integers(80, 99))
def test_two_index_values_after_fenbie(high, low):
    """城市创新指数分别为118.7和102.3；岘阳市、滢川市分别为94.6和91.8: two index values after 分别为, and two more after
    the places listed in the next piece; a money word's 分别为 (经费分别为…和…) gives no bare value."""
    text = (
        f"从省内看，滢州市、洺川市的城市创新指数分别为{high}.7和{high - 10}.3，高于全国平均水平；"
        f"汀州市、洺阳市分别为{low}.6和{low - 3}.8，差距有所缩小。"
    )
    facts = values(text, year=2026)
    for v in (f"{high}.7", f"{high - 10}.3", f"{low}.6", f"{low - 3}.8"):
        assert (v, "", "2026") in facts
    assert not {
        f for f in values(f"两个项目的经费分别为{high}.7和{low}.6，执行顺利。", year=2026) if not f[1]
    }


@given(st.sampled_from(("、", "和")), st.integers(2, 20))
def test_a_rank_after_a_list_and_jun_is_each_ones(join, rank):
    """A、B两项指标均居全国第6位; 数量和增速均居全省第一: a rank after 均 following a list is each item's (FACTS_KEY: 各 and
    均 after a list give one fact per item), and the list's count right after it (两项) is one; 均 after figures
    (…198项，均居各设区市首位) ranks them as one."""
    text = f"其中每万名就业人员中研发人员{join}高新技术企业营业收入增长率两项指标均居全国第{rank}位。"
    ranks = [f for f in extract_facts(text, year=2026) if f.unit == "位"]
    assert len(ranks) == 2 and all(f.value == rank for f in ranks)
    assert ("2", "项", "2026") in values(text, year=2026)
    first = [
        f for f in extract_facts(f"滢州市入库企业数量{join}增速均居全省第一。", year=2026) if f.unit == "位"
    ]
    assert len(first) == 2
    one = [f for f in extract_facts("滢州市组织企业320家参会，发布需求198项，均居各设区市首位。", year=2026)]
    assert len([f for f in one if f.unit == "位"]) == 1


@given(st.integers(2, 9), st.sampled_from(("合计", "共计")))
def test_a_count_right_after_its_list_before_heji(tenths, summed):
    """基础研究和重点研发计划两项合计支出7.84亿元: a count right after the list it counts, in its clause, is keyed (facts23),
    合计 after it or not; said in a sentence of its own (…。两项合计，…) it points back and is not."""
    listed = f"一是保障重点任务。基础研究和重点研发计划两项{summed}支出7.{tenths}4亿元。"
    assert ("2", "项", "2026") in values(listed, year=2026)
    three = f"电子信息、先进制造、生物医药三个领域{summed}成交额29{tenths}.3亿元。"
    assert ("3", "个", "2026") in values(three, year=2026)
    back = f"技术开发合同1865项，合同金额7.42亿元。两项{summed}，学校全年到账9.{tenths}亿元。"
    assert ("2", "项", "2026") not in values(back, year=2026)


def test_units_dev35_and_dev36_wrote():
    """3弧秒, 0.1纳克/毫升, 150个碱基, 42万亩次, and a table's fall written with a full-width minus (－4.2)."""
    text = "定位精度达到3弧秒，检测灵敏度达到0.1纳克/毫升，测序读长150个碱基，全年统防统治作业42万亩次。"
    facts = values(text, year=2026)
    for f in (("3", "弧秒"), ("0.1", "纳克/毫升"), ("150", "个碱基"), ("420000", "亩次")):
        assert (*f, "2026") in facts
    table = "表3　专利情况\n指标　数量（件）　比上年增长（%）\n发明专利申请　38650　12.6\nPCT国际专利申请　1260　－4.2\n说明"
    assert ("-4.2", "%", "2026") in values(table, year=2026)
    assert ("1260", "件", "2026") in values(table, year=2026)


@given(st.integers(2027, 2030), st.integers(1, 9))
def test_the_gap_left_to_a_later_goal_is_measured_now(goal_year, tenths):
    """到2027年…要达到10件，还差2.2件: the gap left, in a clause of its own after the goal, is of the report's year (as 距2027年
    目标还差 is, FACTS_KEY); the goal stays the goal's."""
    text = f"到{goal_year}年每万人口高价值发明专利拥有量要达到20件，还差2.{tenths}件。"
    facts = values(text, year=2026)
    assert (f"2.{tenths}", "件", "2026") in facts
    assert ("20", "件", str(goal_year)) in facts


def test_a_register_class_and_quarters_in_a_row_are_no_counts():
    """1类创新药240项: a class's name in the drug register, not a count (3类服务 is); 连续三个季度居…首位: quarters in a
    row before a state (as 连续5个月); 近三个月情况如下: the window a table covers."""
    facts = values("全部项目中1类创新药240项，2类医疗器械35项，可提供3类服务。", year=2026)
    assert ("1", "类", "2026") not in facts and ("2", "类", "2026") not in facts
    assert ("3", "类", "2026") in facts
    assert ("3", "个", "2026") not in values("技术服务合同占46%，连续三个季度居各类合同首位。", year=2026)
    assert not values("近三个月情况如下：", year=2026)


@given(st.sampled_from(("两", "三", "五")))
def test_years_said_as_a_ban_or_as_how_long_it_has_been(n):
    """取消申报资格两年 (a ban's length, as 3年内不得申报) and 我来…已经七年了 (how long it has been, in speech) are durations;
    成立三年来 (a window the figures after it cover, as 运行两年来) is not."""
    value = {"两": "2", "三": "3", "五": "5"}[n]
    assert (value, "年", "2026") in values(f"相关责任人均被取消申报资格{n}年。", year=2026)
    said = f"外国专家说：“我来洺滢已经{n}年了，这里的团队很年轻。”"
    assert (value, "年", "2026") in values(said, year=2026)
    assert (value, "年", "2026") not in values(f"科技小院成立{n}年来，已经成了茶农身边的技术站。", year=2026)


def test_another_provinces_bureau_and_university_and_a_neighbour_city():
    """璇嶷省能源局今年新增…, 同期濉岘省统计局公布的该省…: another province's bureau opening a clause (after 同期 too) names
    it; 濉岘大学研制的…, 濉岘大学派驻研究人员9名: its university named short, doing its own work, too (its team in
    ours, 濉岘大学团队得分83.6分, is ours); in a city's report 我们的邻居岘口市，… names that city; a visiting
    bureau's next clause 来我县开展… is the visitor's."""
    text = (
        "洺滢省科学技术厅2026年工作总结\n全省新增储能装机800兆瓦。濉岘省能源局今年新增新型储能装机1200兆瓦。"
        "同期濉岘省统计局公布的该省R&D经费为712.5亿元。\n四、区域合作\n濉岘大学研制的钠离子电池能量密度达到160瓦时/千克。"
    )
    facts = placed(text, year=2026)
    for f in (("1200", "兆瓦"), ("71250000000", "元"), ("160", "瓦时/千克")):
        assert (*f, "2026", "濉岘省") in facts
    sent = "洺滢省实验室2026年度报告\n濉岘省科技厅来访。\n全年引进人才23名；濉岘大学派驻研究人员9名，实验室要求派驻人员每年在岗时间不少于6个月。"
    assert ("9", "名", "2026", "濉岘省") in placed(sent, year=2026)
    assert ("6", "个月", "2026", "") in placed(sent, year=2026)
    team = "洺滢省实验室2026年度报告\n濉岘省科技厅来访。\n揭榜评审中，濉岘大学团队得分83.6分。"
    assert ("83.6", "分", "2026", "") in placed(team, year=2026)
    city = "滢州市科学技术局局长讲话\n问题比较突出。我们的邻居岘口市，今年高新技术企业已经超过四千家。我们全市3000家。"
    assert ("4000", "家", "2026", "岘口市") in placed(city, year=2026)
    county = (
        "汀溪县2026年工作报告\n汀溪县科学技术局\n洺川市科学技术局组织专家12名，来我县开展技术服务六批次。"
    )
    assert ("6", "批次", "2026", "洺川市") in placed(county, year=2026)


@given(st.sampled_from(("五", "三", "十")), st.integers(20, 90))
def test_years_ago_opening_a_sentence_set_against_now(n, amount):
    """五年前，全市研发经费投入是六十一亿，今年预计达到…: some years back, then a comma, dates the clause right after it
    when the next sets it against now (今年, 现在); a story's start (五年前，他…来到这里) dates nothing after it."""
    back = {"五": 5, "三": 3, "十": 10}[n]
    text = f"第一，成绩来之不易。{n}年前，全市研发经费投入是{amount}亿元，今年预计达到{amount * 2}亿元。"
    facts = values(text, year=2026)
    assert (str(amount * 100_000_000), "元", str(2026 - back)) in facts
    assert (str(amount * 200_000_000), "元", "2026") in facts
    story = f"{n}年前，他从省农科院来到这里，带来品种{amount}个。"
    assert (str(amount), "个", "2026") in values(story, year=2026)


@given(st.integers(1000, 1999), st.integers(100, 900))
def test_a_list_after_a_figure_of_now_is_of_now(last_year, short):
    """上年为1655人次，增长12.4%，其中长期专家520人、短期专家1340人次: the list's second item goes on from the first (of
    now), not from last year's figure two clauses back; 他去年促成合同32项，获得奖励18.6万元 still goes on with 去年."""
    text = f"全年引进外国专家{last_year + 200}人次，上年为{last_year}人次，增长12.4%，其中长期专家520人、短期专家{short}人次。"
    facts = values(text, year=2026)
    assert (str(last_year), "人次", "2025") in facts
    assert (str(short), "人次", "2026") in facts
    assert ("186000", "元", "2025") in values("他去年促成合同32项，获得奖励18.6万元。", year=2026)


@given(st.integers(2, 9), st.integers(1, 9))
def test_a_city_of_the_other_province_after_qizhong(whole, part):
    """濉岘省今年入库2.35万家，其中岘口市1.02万家: a city opening a clause that goes on with another province is that
    province's city, the part's place; our own cities after 其中 (其中滢州市…) stay ours."""
    text = (
        "洺滢省科学技术厅2026年科技型中小企业评价工作报告\n与邻省濉岘省相比，我省总量仍有差距。"
        f"濉岘省今年入库{whole}.35万家，其中岘口市{part}.02万家。全省入库1.8万家，其中滢州市0.6万家。"
    )
    facts = placed(text, year=2026)
    assert (str(whole * 10000 + 3500), "家", "2026", "濉岘省") in facts
    assert (str(part * 10000 + 200), "家", "2026", "岘口市") in facts
    assert ("6000", "家", "2026", "") in facts
