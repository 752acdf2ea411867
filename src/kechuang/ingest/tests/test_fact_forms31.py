"""Issue #15 item 4: forms of facts read from the genre's grammar (session 28, helper facts31, tuned on dev25), and
the rule that a unit of another place is never linked to this report's own. The sentences are written for the tests
(fictional places), not copied from the corpus."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from kechuang.ingest.parsers import extract_facts
from kechuang.ingest.parsers.entities import find_mentions
from kechuang.ingest.tests.facts import placed, read, values

# fictional place names: a province's or a city's, never the report's own
_STEMS = st.text(alphabet="翀漻澴沄岷岱翡岭瀛犨鄜汀湄瑑湝", min_size=2, max_size=3)
# what a pattern reads as one name running on from another place's unit to a university, institute or company
_RUNS_ON = ("组织", "联合", "会同", "指导", "牵头")
_ENDS = ("大学", "研究所", "科技有限公司", "集团")


@given(_STEMS, st.sampled_from(_RUNS_ON), st.sampled_from(_ENDS), st.sampled_from(("市", "省")))
def test_a_unit_of_another_place_running_on_into_a_name_is_not_this_departments(stem, verb, end, level):
    """漻州市科技局组织漻州大学 (one name to the unit pattern, ending in 大学) holds 市科技局, the short name of this city's
    own bureau, only as 漻州市's: it is not linked to 犨山市科学技术局; nor 东黎省科技厅联合…研究所 to this province's
    department (the short name's whole-name score was 90, over the threshold). The own unit written the same way is."""
    if level == "市":
        own, short, bureau = "犨山市科学技术局", "市科技局", "科技局"
        own_stem = "犨山"
    else:
        own, short, bureau = "鄜湝省科学技术厅", "省科技厅", "科技厅"
        own_stem = "鄜湝"
    if stem == own_stem:
        return
    registry = {"unit": [(1, own, (short,))]}
    text = f"全年举办活动18场。{stem}{level}{bureau}{verb}{stem}{end}等12家单位参加。"
    start = text.index(stem + level)
    linked = [m for m in find_mentions(text, registry) if m.target_id == 1]
    assert not [m for m in linked if start <= m.start < start + len(stem) + 1 + len(bureau)], linked
    own_text = f"全年举办活动18场。{own_stem}{level}{bureau}{verb}{stem}{end}等12家单位参加。"
    assert [m for m in find_mentions(own_text, registry) if m.target_id == 1]


@given(st.integers(2, 9), st.integers(101, 899))
def test_units_outside_the_common_set(k, n):
    """毫欧 (an on-resistance), 安时 (a cell's capacity), 机时 (hours an instrument ran for others), 工日 (a day's work):
    each figure in its unit, scaled by 万 where written."""
    text = (
        f"导通电阻不高于{k}.5毫欧。中游环节，{n}安时储能电芯循环寿命超过1.2万次。"
        f"全年对外服务1.{k}万机时；全年可节约用工{k}.6万工日。"
    )
    facts = values(text, year=2026)
    assert (f"{k}.5", "毫欧", "2026") in facts
    assert (str(n), "安时", "2026") in facts
    assert (str(10000 + 1000 * k), "机时", "2026") in facts
    assert (str(10000 * k + 6000), "工日", "2026") in facts


@given(
    st.integers(2024, 2025),
    st.integers(101, 899),
    st.integers(11, 49).filter(lambda m: m % 10),
    st.sampled_from(("相邻的", "邻近的", "")),
)
def test_another_province_opening_a_sentence_with_its_year(year, n, m, neighbour):
    """皞泺省2025年R&D经费547.3亿元，增长9.8%，投入强度2.08%。 (相邻的瀼岵省2025年…, a neighbour said so): a province
    named bare opening a sentence, its year right after it, is the statistic's subject: each figure of the sentence
    its own; the report's own figures before it stay the report's."""
    text = (
        f"{year}年鄜湝省科技经费投入统计公报\n"
        f"全省R&D经费{n}.4亿元，投入强度1.{m}%。\n"
        f"{neighbour}皞泺省{year}年R&D经费{n + 100}.3亿元，增长9.8%，投入强度2.{m}%。\n"
    )
    facts = placed(text, year=year)
    assert (str((n * 10 + 4) * 10_000_000), "元", str(year), "") in facts
    assert (str(((n + 100) * 10 + 3) * 10_000_000), "元", str(year), "皞泺省") in facts
    assert ("9.8", "%", str(year), "皞泺省") in facts
    assert (f"2.{m}", "%", str(year), "皞泺省") in facts
    assert (f"1.{m}", "%", str(year), "") in facts


@given(st.integers(11, 99), st.integers(101, 899), st.booleans())
def test_a_table_of_a_tasks_required_and_measured_figures(m, n, remarks):
    """指标　合同要求　中期实测 (实测值, and a last column 完成情况 of 完成 / 未完成): each figure of the report's year in the
    unit its row's label says, a unit over a unit (毫克/克, 立方米/小时) and a share a year (%/年, in %) too, after its
    bound (≥, ≤); a row whose label says no unit gives its figures without one."""
    tail = ("　完成情况", "　完成", "　未完成") if remarks else ("", "", "")
    text = (
        "项目中期检查结果\n"
        f"指标　合同要求　中期实测{tail[0]}\n"
        f"单模块输出功率（千瓦）　6　5.{m % 9 + 1}{tail[2]}\n"
        f"吸附容量（毫克/克）　≥{m}　{m + 1}.6{tail[1]}\n"
        f"溶损率（%/年）　≤3　2.4{tail[1]}\n"
        f"处理能力（立方米/小时）　≥{n}　{n + 2}{tail[1]}\n"
        f"光束质量因子　1.3　1.25{tail[1]}\n"
    )
    facts = values(text, year=2026)
    assert ("6", "千瓦", "2026") in facts
    assert (f"5.{m % 9 + 1}", "千瓦", "2026") in facts
    assert (str(m), "毫克/克", "2026") in facts
    assert (f"{m + 1}.6", "毫克/克", "2026") in facts
    assert ("3", "%", "2026") in facts and ("2.4", "%", "2026") in facts
    assert (str(n), "立方米/小时", "2026") in facts and (str(n + 2), "立方米/小时", "2026") in facts
    assert ("1.3", "", "2026") in facts and ("1.25", "", "2026") in facts


@given(st.integers(11, 49), st.integers(4, 9))
def test_a_table_whose_rows_hold_two_cells_of_words(n, level):
    """榜单名称　揭榜团队牵头单位　财政支持（万元）　技术就绪度目标 over 高温超导电缆　漻州电工装备有限公司　3500　7: the
    words are the row's label, each figure its column's (a readiness level in 级); a column of units (指标名称　计量单位
    2025年) stays one."""
    text = (
        "一、揭榜结果\n"
        "榜单名称　揭榜团队牵头单位　财政支持（万元）　技术就绪度目标\n"
        f"高温超导电缆　漻州电工装备有限公司　{n}00　{level}\n"
        f"晶圆级封装键合设备　漻州大学　{n + 1}00　{level - 1}\n"
    )
    facts = values(text, year=2026)
    assert (str(n * 1_000_000), "元", "2026") in facts
    assert (str((n + 1) * 1_000_000), "元", "2026") in facts
    assert (str(level), "级", "2026") in facts and (str(level - 1), "级", "2026") in facts
    units = (
        "指标名称　计量单位　2025年　比上年增长（%）\n"
        f"R&D经费支出　亿元　{n}.4　12.5\n高新技术企业　家　1386　14.2\n"
    )
    facts = values(units, year=2025)
    assert (str((n * 10 + 4) * 10_000_000), "元", "2025") in facts and ("1386", "家", "2025") in facts


@given(
    st.integers(2022, 2025),
    st.integers(1, 12),
    st.integers(13, 48),
    st.sampled_from(("立项", "启动", "成立")),
)
def test_a_clause_of_the_year_a_project_began_dates_that_start_only(start, month, n, verb):
    """…参与，2025年1月立项，执行期36个月，总预算1.26亿元，其中省财政资金4000万元: the year a project began, said in a clause
    of its own with no figure, dates the start only; its term and budget after it are of the report's year. A year
    opening a clause with its figure (2025年立项45项) still dates it."""
    text = f"项目由漻州大学牵头，{start}年{month}月{verb}，执行期{n}个月，总预算1.{n}亿元，其中省财政资金{n}00万元。"
    facts = values(text, year=2026)
    assert (str(n), "个月", "2026") in facts
    assert (str((100 + n) * 1_000_000), "元", "2026") in facts
    assert (str(n * 1_000_000), "元", "2026") in facts
    assert (str(n), "项", str(start)) in values(f"{start}年立项{n}项，总经费{n}亿元。", year=2026)


@given(st.integers(3, 9), st.integers(11, 99))
def test_another_provinces_unit_and_the_report_own(k, n):
    """Another province named as a clause's subject, and where the text says the figure is ours: 皞泺省医药研究院与我省
    3家企业共建联合实验室，共同承担图谱任务5项 (joint: the report's own); 省外单位参与的团队中，瀼岵省单位参与的6支 (a part of
    the report's own whole from outside the province), as against 其中省外单位29家，蕴川省科学技术厅推荐的6家 (the
    department's); 瀼岵省氢能产业研究院与联合体签订合作协议，向成员单位开放测试平台4个，收费按该省标准的八折执行 (what it gives
    after an agreement with the report's own consortium, 该省 its); 瀼岵省科学技术厅还向我省企业开放平台3个，今年以来累计检测
    样品1700余批次 (a clause after a time phrase goes on with it); 答：皞泺省去年出台的办法…不低于60%，该省目前有试点单位35家
    (a province dated opening an answer)."""
    own = "鄜湝省科学技术厅2026年区域协作情况\n"
    joint = own + f"皞泺省医药研究院与我省{k}家企业共建联合实验室，共同承担图谱任务{n}项。"
    facts = placed(joint, year=2026)
    assert (str(k), "家", "2026", "") in facts and (str(n), "项", "2026", "") in facts
    part = (
        own
        + f"本批申报团队{n}支；省外单位参与的团队中，瀼岵省单位参与的{k}支。其中省外单位{n}家，蕴川省科学技术厅推荐的{k}家。"
    )
    facts = placed(part, year=2026)
    assert (str(k), "支", "2026", "") in facts and (str(k), "家", "2026", "蕴川省") in facts
    agreed = (
        own
        + f"瀼岵省氢能产业研究院与联合体签订合作协议，向成员单位开放测试平台{k}个，收费按该省标准的八折执行。"
    )
    facts = placed(agreed, year=2026)
    assert (str(k), "个", "2026", "瀼岵省") in facts and ("80", "%", "2026", "瀼岵省") in facts
    since = own + f"瀼岵省科学技术厅还向我省企业开放储能检测平台{k}个，今年以来累计检测样品{n}00余批次。"
    facts = placed(since, year=2026)
    assert (str(k), "个", "2026", "瀼岵省") in facts and (f"{n}00", "批次", "2026", "瀼岵省") in facts
    answer = (
        own
        + f"问五：与周边省份相比有什么特点？\n答：皞泺省去年出台的办法比例不低于{n}%，该省目前有试点单位{k}家。\n"
    )
    facts = placed(answer, year=2026)
    assert (str(n), "%", "2025", "皞泺省") in facts and (str(k), "家", "2026", "皞泺省") in facts


@given(st.integers(2021, 2024), st.integers(11, 49), st.integers(2, 9))
def test_the_round_before_and_a_multiple_of_the_year_before_last(before, n, k):
    """比2023年上一轮评估的16.7% (the round before, in its year) and 由上一次的5家 after 比2024年上一次评价…; (the year the
    report said the round before was); 是上一轮评估期的1.8倍 and 是前年的三倍 are multiples of now."""
    text = (
        f"优秀率为{n}.4%，比{before}年上一轮评估的{n - 3}.7%提高2.7个百分点；"
        f"转化合同金额{k}.7亿元，是上一轮评估期的1.{k}倍。\n"
        f"A类占20.{k}%，比{before}年上一次评价提高4.2个百分点；D类由上一次的{k + 2}家减少到{k}家。\n"
        f"企业委托的横向经费今年有两亿三千万，是前年的三倍。"
    )
    facts = values(text, year=2026)
    assert (f"{n - 3}.7", "%", str(before)) in facts
    assert (f"1.{k}", "倍", "2026") in facts
    assert (str(k + 2), "家", str(before)) in facts and (str(k), "家", "2026") in facts
    assert ("3", "倍", "2026") in facts


@given(st.integers(2, 9), st.integers(11, 49))
def test_rates_compared_and_per_a_products_equivalent(k, n):
    """直流电耗降至每标准立方米4.3千瓦时，比上年降低0.2千瓦时 (the change, in the rate's unit); 吸附剂消耗为每吨碳酸锂当量
    0.6千克 (千克/吨: the product's equivalent is no part of the unit)."""
    text = f"直流电耗降至每标准立方米4.{k}千瓦时，比上年降低0.{k - 1}千瓦时；吸附剂消耗为每吨碳酸锂当量0.{n}千克。"
    facts = values(text, year=2026)
    assert (f"4.{k}", "千瓦时/标准立方米", "2026") in facts
    assert (f"0.{k - 1}", "千瓦时/标准立方米", "2026") in facts
    assert (str(Decimal(f"0.{n}").normalize()), "千克/吨", "2026") in facts


@given(st.integers(2026, 2028), st.integers(1, 9), st.integers(101, 499))
def test_a_calls_rules_and_dates_in_its_answers(round_year, k, n):
    """答：按企业上年度研发费用增量的10%—15%给予补助 (a rate of the call's year); 答：上年度研发费用不低于200万元…的企业，均可
    申请 (a threshold of who may apply, now); 2027年度的申报时间为4月1日至5月31日 (dates of that year's round)."""
    text = (
        f"问三：补助标准是多少？\n答：按企业上年度研发费用增量的{k}%—{k + 5}%给予补助。\n"
        f"问二：哪些企业可以申请？\n答：上年度研发费用不低于{n}万元的规模以上工业企业，均可申请。\n"
        f"问六：如何申报？\n答：{round_year}年度的申报时间为4月{k}日至5月31日，企业在线申报。\n"
    )
    facts = values(text, year=2026)
    assert (str(k), "%", "2026") in facts and (str(k + 5), "%", "2026") in facts
    assert (str(n * 10000), "元", "2026") in facts
    assert (f"{round_year}-04-0{k}", "date", str(round_year)) in facts
    assert (f"{round_year}-05-31", "date", str(round_year)) in facts


@given(st.integers(3, 5), st.integers(2, 3))
def test_a_calls_list_item_requires_its_movement_of_levels(start, up):
    """（一）高纯氧化铝粉体制备技术。榜单金额3000万元。…技术就绪度由4级提升至7级。 (a call's item: what its 榜 requires starts
    from now); （三）高性能碳纤维（榜单金额4000万元，2支团队）。…团队…技术就绪度由4级提升到6级 (a result: the year before)."""
    call = (
        "关于发布2026年度第二批“揭榜挂帅”项目榜单的通知\n一、榜单\n"
        f"（一）高纯氧化铝粉体制备技术。榜单金额3000万元。纯度不低于99.999%；技术就绪度由{start}级提升至{start + up}级。\n"
    )
    facts = values(call, year=2026)
    assert (str(start), "级", "2026") in facts and (str(start + up), "级", "2026") in facts
    result = (
        "关于“赛马制”揭榜项目比测结果的通报\n一、比测结果\n"
        f"（三）高性能碳纤维（榜单金额4000万元，2支团队）。翙阳新材料有限公司团队技术就绪度由{start}级提升到{start + up}级。\n"
    )
    assert (str(start), "级", "2025") in values(result, year=2026)


@given(st.sampled_from(("两", "三", "四")), st.sampled_from(("变化", "不同", "考虑")))
def test_the_parts_an_answer_says_it_has(n, noun):
    """问四：与原有政策相比有什么变化？答：主要有三点变化。 counts the answer's parts in 点, as 我讲三点意见 (FACTS_KEY)."""
    text = f"问四：与原有政策相比有什么变化？\n答：主要有{n}点{noun}。一是门槛由300万元降至200万元。\n"
    assert (str("两三四".index(n) + 2), "点", "2026") in values(text, year=2026)


@given(st.integers(101, 199), st.integers(11, 49), st.sampled_from(("上年度", "去年")))
def test_a_reward_decided_now_after_a_paragraph_of_last_year(n, m, past):
    """上年度，…548项…。对上年度考核优秀的100名科技特派员，每人奖励5000元；考核不合格的23名，予以解聘。: the assessment's year
    selects whom, the decision and its counts are of now; the paragraph's own figures before it stay last year's."""
    text = (
        f"三、绩效目标\n{past}，专项资金带动推广新品种新技术5{m}项。"
        f"对{past}考核优秀的{n}名科技特派员，每人奖励5000元；考核不合格的{m}名，予以解聘。\n"
    )
    facts = values(text, year=2026)
    assert (f"5{m}", "项", "2025") in facts
    assert (
        (str(n), "名", "2026") in facts
        and ("5000", "元", "2026") in facts
        and (str(m), "名", "2026") in facts
    )


@given(st.sampled_from(("建", "新建", "设立")), st.sampled_from(("分中心", "中试基地", "服务站")))
def test_one_for_each_place_of_a_list(verb, noun):
    """明年还要在翙阳、蘡岭各建一个分中心: one for each place of the list before 各 (FACTS_KEY: one fact per place), of the plan's
    year; 一个 said in passing stays unread."""
    text = f"实验室主任访谈\n主任：明年还要在翙阳、蘡岭各{verb}一个{noun}，面积两万平方米左右。"
    facts = [(str(f.value), f.unit, f.period) for f in extract_facts(text, year=2026) if f.unit == "个"]
    assert facts == [("1", "个", "2027"), ("1", "个", "2027")]
    assert not [f for f in read(f"我们{verb}了一个{noun}。", year=2026) if f[2] == "个"]
