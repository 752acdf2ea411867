"""Issue #15 item 4: forms of facts the dev29 and dev30 splits brought (session 30, helper facts34). The sentences are
written for the tests (fictional places: 淯岚省, 淠澜省 and their cities), not copied from the corpus."""

from hypothesis import given
from hypothesis import strategies as st

from kechuang.ingest.tests.facts import read


@given(
    st.integers(2024, 2030),
    st.sampled_from(("工作要点", "工作计划", "工作安排", "科技工作要点")),
    st.integers(2, 9),
    st.integers(10, 900),
)
def test_a_title_planning_a_later_year_dates_the_plan(plan, kind, amount, count):
    """淯岚省科学技术厅2027年工作要点, issued in 2026: a document whose title is a plan of a later year than the report's
    is that plan throughout — its tasks (新建重点实验室8家), its closing section (确保…增长8%以上) are of the plan's year;
    a sentence saying a year of its own keeps it (2026年，…预计达到2.36%). A title naming a summary beside the plan
    (…2026年工作总结和2027年工作要点) or a plan of the report's own year dates nothing."""
    year = plan - 1
    text = (
        f"淯岚省科学技术厅{plan}年{kind}\n一、主要目标\n{year}年，全省研发投入强度预计达到2.36%。\n二、重点任务\n"
        f"（一）强化基础研究。省自然科学基金资助经费增加到{amount}亿元，新建重点实验室{count}家。\n三、保障措施\n"
        f"确保省级财政科技支出增长8%以上。\n淯岚省科学技术厅\n{year}年12月6日"
    )
    facts = read(text, year=year)
    assert ("percent", "2.36", "%", str(year)) in {(k, v, u, p) for k, v, u, p in facts}
    periods = {(v, u): p for _k, v, u, p in facts}
    assert periods[(str(amount * 100000000), "元")] == str(plan)
    assert periods[(str(count), "家")] == str(plan)
    assert periods[("8", "%")] == str(plan)
    summary = text.replace(f"{plan}年{kind}\n", f"{year}年工作总结和{plan}年{kind}\n", 1)
    assert {p for _k, v, u, p in read(summary, year=year) if u == "家"} == {str(year)}
    same = read(text, year=plan)
    assert {p for _k, v, u, p in same if u == "家"} == {str(plan)}


@given(
    st.lists(st.integers(1, 999), min_size=3, max_size=3),
    st.sampled_from((("资助项数", "项"), ("企业家数", "家"), ("参训人数", "人"), ("申请件数", "件"))),
    st.integers(50, 99),
)
def test_a_table_column_named_by_its_measure_word_or_a_score(counts, column, score):
    """项目类别　资助项数　执行期（年）: a header cell naming a number of things by its measure word (项数, 家数, 人数, 件数),
    no unit in brackets, is a column of counts in that measure; 县　得分　研发投入强度（%）: a score column without a unit
    written keys its figures as written, no unit (as an index's value)."""
    name, measure = column
    rows = "".join(f"类别{i}　{n}　{i + 2}\n" for i, n in enumerate(counts))
    facts = read(f"二、分类情况\n项目类别　{name}　执行期（年）\n{rows}三、其他", year=2026)
    for n in counts:
        assert ("count", str(n), measure, "2026") in facts
    scored = read(
        f"得分居前的县情况如下：\n县　得分　研发投入强度（%）\n淯水县　{score}.6　2.85\n", year=2026
    )
    assert ("quantity", f"{score}.6", "", "2026") in scored
    assert ("percent", "2.85", "%", "2026") in scored


@given(st.integers(2021, 2025), st.integers(1, 4), st.integers(2, 60), st.integers(2, 5))
def test_a_terms_span_of_years_is_no_target(start, length, count, level):
    """专项实施期为2024年至2028年，…于2024年部署项目24项，总投入18.6亿元 (a 2026 report): a term's span says how long it
    runs — its end is no target year of the figures after it; the projects deployed that year are set up then (由立项时的4级:
    of the deployment's year). A span ending on a later year without 期 (到2028年) still sets targets."""
    end = 2026 + length
    facts = read(
        f"专项实施期为{start}年至{end}年，围绕四个方向于{start}年部署项目{count}项，总投入18.6亿元。"
        f"该激光器技术成熟度由立项时的{level}级提升到{level + 3}级。",
        year=2026,
    )
    assert ("count", str(count), "项", "2026") in facts
    assert ("money", "1860000000", "元", "2026") in facts
    assert ("level", str(level), "级", str(start)) in facts
    assert ("target", str(count), "项", str(end)) in read(f"到{end}年，部署项目{count}项。", year=2026)


@given(st.integers(2, 7), st.integers(20, 60), st.integers(61, 95))
def test_a_levels_start_of_the_year_before_is_not_carried_to_another_movement(level, share, later):
    """原丝制备技术的成熟度由6级提高到8级。关键设备国产化率由35%提高到72%: a level's start without a time of its own is of the
    year before by the levels' rule only; the share's movement after it starts now (FACTS_KEY, dev19's ruling). One whose
    start says its time (由立项时的4级) is carried on as before."""
    facts = read(
        f"全年研发投入4.3亿元。原丝制备技术的成熟度由{level}级提高到{level + 2}级。"
        f"关键设备国产化率由{share}%提高到{later}%，成本下降30%。",
        year=2026,
    )
    assert ("level", str(level), "级", "2025") in facts
    assert ("percent", str(share), "%", "2026") in facts
    assert ("percent", str(later), "%", "2026") in facts


@given(st.integers(2, 40), st.sampled_from(("今年", "本年")))
def test_now_said_after_last_year_in_the_phrase_is_its_time(count, now):
    """对去年立项、今年提前完成节点任务的5个项目: 今年 said after 去年 in the words before the figure is the time of what it
    counts; 去年 alone (对去年立项的5个项目) dates it the year before."""
    assert ("count", str(count), "个", "2026") in read(
        f"对去年立项、{now}提前完成节点任务的{count}个项目，给予每个项目100万元奖励。", year=2026
    )
    assert ("count", str(count), "个", "2025") in read(f"去年立项的{count}个项目全部通过验收。", year=2026)


@given(st.integers(3, 9), st.integers(2, 5), st.sampled_from(("要在", "须在", "必须在")))
def test_a_task_with_a_time_limit_moves_a_level_from_now(years, level, must):
    """按照榜单要求，团队要在3年内把…，循环寿命不少于1200次，技术成熟度从4级提升到7级: a movement a task must make within a
    time limit starts from now (FACTS_KEY: a movement a task is required to make), not the year before, however far after
    the limit in its sentence."""
    facts = read(
        f"按照榜单要求，团队{must}{years}年内把电芯能量密度提高到400瓦时/千克以上，循环寿命不少于1200次，"
        f"技术成熟度从{level}级提升到{level + 3}级。",
        year=2026,
    )
    assert ("level", str(level), "级", "2026") in facts
    assert ("level", str(level), "级", "2025") in read(
        f"经过一年攻关，技术成熟度从{level}级提升到{level + 3}级。", year=2026
    )


@given(st.integers(100, 9000), st.sampled_from(("上年末，", "上年底，", "截至去年底，", "去年底，")))
def test_the_end_of_last_year_opening_a_sentence_dates_it(count, opening):
    """上年末，全市有效高新技术企业2960家，数量居全省首位。: the end of last year opening a sentence (上年末, 上年底, 截至去年底)
    dates its clauses, as 去年底 does."""
    facts = read(
        f"截至6月30日，全市入库企业6120家。{opening}全市有效高新技术企业{count}家，数量居全省首位。",
        year=2026,
    )
    assert ("count", str(count), "家", "2025") in facts
    assert ("rank", "1", "位", "2025") in facts
    assert ("count", "6120", "家", "2026") in facts


def test_time_half_gone_tasks_half_done_is_a_saying():
    """主要指标总体达到了时间过半、任务过半的要求 (a half-year report's saying): no share; 完成投资过半 is one."""
    assert not [f for f in read("主要指标总体达到了时间过半、任务过半的要求。", year=2026) if f[2] == "%"]
    assert ("percent", "50", "%", "2026") in read("年度投资完成过半。", year=2026)


@given(st.integers(100, 9000), st.integers(2, 9))
def test_another_provinces_tech_firms_set_against_ours(loans, premium):
    """峃湄省科技型企业贷款余额已超过2100亿元，科技保险保费收入约4.1亿元，均明显高于我省。: another province opening a
    sentence with its 科技型 firms' figures, set against ours, is that province's (科技型 is no word of our own, as
    省科学技术奖 after 其中 is)."""
    from kechuang.ingest.tests.facts import placed

    facts = placed(
        f"淠澜省科学技术厅与我厅签署合作协议。一是总量仍然偏小。淯岚省科技型企业贷款余额已超过{loans}亿元，"
        f"科技保险保费收入约{premium}.1亿元，均明显高于我省。",
        year=2026,
    )
    assert (str(loans * 100000000), "元", "2026", "淯岚省") in facts
    assert (str(premium * 100000000 + 10000000), "元", "2026", "淯岚省") in facts


@given(st.sampled_from(("高校类机构", "省级高新区", "同类平台", "全省县域")), st.integers(10, 900))
def test_the_first_rank_over_the_field_it_ranks_in(field, count):
    """全年促成技术交易412项，…，居高校类机构首位: a ranking verb reaching over the field it ranks in (5-12 characters, as
    before 第N位) gives the first rank; 首位度 (a city's primacy) is none."""
    assert ("rank", "1", "位", "2026") in read(f"全年促成技术交易{count}项，居{field}首位；", year=2026)
    assert not [f for f in read(f"全年促成技术交易{count}项，城市首位度提高。", year=2026) if f[2] == "位"]


@given(st.integers(2, 999), st.sampled_from((("场馆课程", "门"), ("流动科技馆巡展", "站"))))
def test_courses_and_a_tours_stops_counted_after_digits(n, said):
    """开发场馆课程40门, 流动科技馆巡展42站: counts in 门 and 站 after digits; 一门心思, 一站式 are words."""
    noun, measure = said
    assert ("count", str(n), measure, "2026") in read(f"全年{noun}{n}{measure}。", year=2026)
    assert not read("打造一站式服务平台，一门心思抓创新。", year=2026)


@given(st.sampled_from(("十", "二十", "三十")), st.integers(2, 9))
def test_the_last_so_many_in_words_bound_a_class(n, amount):
    """排名后二十位的高校合计不足2亿元: the last so many said in words before 位的 bound a class a figure is of, as 前十位的
    does (FACTS_KEY: 前N位 / 后N位)."""
    from kechuang.ingest.parsers.numbers import cn_number

    facts = read(f"一是经费过于集中，排名后{n}位的高校合计不足{amount}亿元；二是基础研究偏少。", year=2026)
    assert ("rank", str(cn_number(n)), "位", "2026") in facts
    assert ("money", str(amount * 100000000), "元", "2026") in facts


@given(st.integers(100, 900), st.integers(10, 90), st.integers(1, 9))
def test_another_provinces_university_named_without_sheng_in_its_paragraph(total, own, more):
    """淯岚省高校科研经费为128.5亿元，是我省的1.33倍；…。淯岚大学科研经费45.3亿元，比湓川大学多6.7亿元。: in a paragraph about
    another province, its university named without 省 is the province's, the clause after going on with it; a team of it
    taking part in ours (淯岚大学团队得分83.6分) in a paragraph not about the province stays ours."""
    from kechuang.ingest.tests.facts import placed

    facts = placed(
        f"瑽涢省高校科研经费报告\n淯岚省高校科研经费为{total}.5亿元，是我省的1.33倍；该省横向经费占比41.2%，高于我省约3.1个百分点。"
        f"淯岚大学科研经费{own}.3亿元，比湓川大学多{more}.7亿元。",
        year=2026,
    )
    assert (str(own * 100000000 + 30000000), "元", "2026", "淯岚省") in facts
    assert (str(more * 100000000 + 70000000), "元", "2026", "淯岚省") in facts
    ours = placed(
        f"瑽涢省揭榜挂帅项目中期评估\n淯岚省科学技术厅组团参展。\n（二）固态电解质。湓川公司团队得分85.2分，拟保留；"
        f"淯岚大学团队得分{own}.6分，拟终止。",
        year=2026,
    )
    assert (f"{own}.6", "分", "2026", "") in ours


@given(st.integers(100, 900), st.integers(11, 19), st.integers(21, 29))
def test_a_multiple_of_ours_and_a_figure_set_against_theirs(count, times, theirs):
    """淯岚省科学技术厅公布的数据显示，该省院士工作站已达210家，…，数量是我省的1.7倍左右。: a measure of the subject before said
    as a multiple of ours goes on with it; 单站合作项目数达到3.1项，高于淯岚省的2.4项: the figure set against, right after
    高于/低于 淯岚省的, is that province's (ours, before it, stays ours)."""
    from kechuang.ingest.tests.facts import placed

    facts = placed(
        f"淯岚省科学技术厅公布的数据显示，该省院士工作站已达{count}家，进站院士296名，数量是我省的{times / 10}倍左右。"
        f"我省在建站数量上仍有差距，但单站合作项目数达到5.1项，高于淯岚省的{theirs / 10}项。",
        year=2026,
    )
    assert (str(count), "家", "2026", "淯岚省") in facts
    assert (str(times / 10), "倍", "2026", "淯岚省") in facts
    assert (str(theirs / 10), "项", "2026", "淯岚省") in facts
    assert ("5.1", "项", "2026", "") in facts


@given(st.integers(2010, 2024), st.sampled_from((("三", "3"), ("五", "5"), ("八", "8"))))
def test_a_year_said_with_when_someone_first_came_dates_the_clauses_after(came, staff):
    """“我2019年刚来的时候，实验室只有三名研究人员，现在有二十多名年轻人。”: a clause of when someone first came with its year
    dates the clauses after it until now is said again (现在)."""
    words, digits = staff
    facts = read(
        f"获奖的外籍教授在接受采访时说：“我{came}年刚来的时候，实验室只有{words}名研究人员，现在有二十多名年轻人。”",
        year=2026,
    )
    assert ("count", digits, "名", str(came)) in facts
    assert ("count", "20", "名", "2026") in facts


@given(st.sampled_from(("一成", "两成")), st.sampled_from(("三百多万", "五十来万")))
def test_last_year_in_the_words_saying_who_dates_nothing_after(share, saved):
    """去年在这里认识的湓川大学团队，帮我们把饲料转化率提高了将近一成，养殖成本一年省了三百多万。: 去年 in the words describing
    the sentence's subject says who is meant (as 对去年评价为优秀的 selects), not when what they did after was; a clause of what
    was done last year (去年拿到了市里的“科技贷”，贷了五百万) dates the clauses after it."""
    facts = {
        (v, p)
        for _k, v, _u, p in read(
            f"“去年在这里认识的湓川大学团队，帮我们把饲料转化率提高了将近{share}，养殖成本一年省了{saved}。”",
            year=2026,
        )
    }
    assert {p for _v, p in facts} == {"2026"}
    assert ("5000000", "2025") in {
        (v, p)
        for _k, v, _u, p in read(
            "韦志恒：我们投入不少。去年拿到了市里的“科技贷”，贷了五百万，利息财政贴了一半。", year=2026
        )
    }


@given(
    st.sampled_from((("一千五百万", "15000000"), ("两千三百万", "23000000"), ("三十来万", "300000"))),
    st.sampled_from(("重大专项每项给到", "暂停拨款", "平均一个项目就")),
)
def test_money_said_without_yuan_in_speech(amount, said):
    """重大专项每项给到一千五百万, 暂停拨款两千三百万, 平均一个项目就三十来万, 每家给予最高两千万的支持, 五十八亿多一点 (an answer):
    an amount in 万 or 亿 said without 元 after a word of granting or paying, as the average one's amount or before 的支持 is
    money in yuan; 观众达3万 (people) is none."""
    words, value = amount
    assert ("money", value, "元", "2026") in read(f"司马景川：{said}{words}，干不成大事。", year=2026)
    assert ("money", "20000000", "元", "2026") in read("司马景川：每家给予最高两千万的支持。", year=2026)
    assert ("money", "5800000000", "元", "2026") in read(
        "司马景川：今年科技支出是五十八亿多一点。", year=2026
    )
    assert not [f for f in read("展会观众达3万，", year=2026) if f[2] == "元"]


@given(st.integers(2, 9), st.sampled_from(("十支", "五支")), st.sampled_from(("三年", "两年")))
def test_next_years_answer_goes_on_into_its_items(amount, funds, term):
    """司马景川：明年省级财政科技支出计划再增加百分之十左右。一是拿出五个亿…，设立…联合基金十支；二是…，每家给予最高两千万的
    支持，实施期三年。: an answer opening on 明年 after its speaker's label is next year's plan, its items (一是…；二是…) parted by ；
    too; an item saying a time of its own (今年) stops it."""
    text = (
        f"记者：明年有什么打算？\n司马景川：明年省级财政科技支出计划再增加百分之十左右。一是拿出{amount}个亿支持基础研究，"
        f"设立联合基金{funds}；二是对三个市的新型研发机构，每家给予最高两千万的支持，实施期{term}。"
    )
    periods = {(v, u): p for _k, v, u, p in read(text, year=2026)}
    assert periods[(str(amount * 100000000), "元")] == "2027"
    assert periods[("20000000", "元")] == "2027"
    assert periods[({"三年": "3", "两年": "2"}[term], "年")] == "2027"
    own = text.replace("二是对", "二是今年对")
    assert {p for _k, v, u, p in read(own, year=2026) if u == "年"} == {"2026"}
