"""Issue #15 item 4: fact forms of the dev37 split left after its first tuning (session 34, helper facts41) — places
of another region's units carried over the clauses after them, a table of required against measured values, an index's
sub-indicators, a later round's schedule, figures said in speech. The sentences are written for the tests (fictional
places: 玳璐省 the report's own, 瑷珙省 another province and its city 珙口市), not copied from the corpus."""

from hypothesis import given
from hypothesis import strategies as st

from kechuang.ingest.parsers import extract_facts
from kechuang.ingest.tests.facts import placed, values

_PROVINCE_REPORT = "玳璐省科学技术厅2026年工作简报\n"
_CITY_REPORT = "璐阳市2026年三季度科技金融运行情况\n璐阳市科学技术局\n"


@given(st.integers(20, 400))
def test_a_department_acting_at_the_same_time_names_its_province(n):
    """瑷珙省科学技术厅同步发布该省图谱，列出关键核心技术N项: 同步 (at the same time) is no 同 (with) — the department is
    the subject, the figure of the clause after it the province's."""
    text = _PROVINCE_REPORT + f"今年我省发布图谱。瑷珙省科学技术厅同步发布该省图谱，列出关键核心技术{n}项。"
    assert (str(n), "项", "2026", "瑷珙省") in placed(text, 2026)


@given(st.integers(100, 900), st.integers(11, 19))
def test_what_another_citys_bureau_published_is_that_citys(n, times):
    """同期，瑷珙省珙口市科学技术局发布的科技型企业贷款余额为N亿元，是我市的1.X倍: the figures the bureau published are its
    city's (not a team it sent working here: 珙口市科技局下派的专家服务团在我县开展服务六批次)."""
    text = _CITY_REPORT + (
        f"全市科技型企业贷款余额386.4亿元。同期，瑷珙省珙口市科学技术局发布的科技型企业贷款余额为{n}亿元，"
        f"是我市的{times / 10}倍左右。"
    )
    facts = placed(text, 2026)
    assert (str(n * 100_000_000), "元", "2026", "珙口市") in facts
    assert (str(times / 10), "倍", "2026", "珙口市") in facts
    assert ("386.4", "元", "2026", "") not in facts  # (the report's own, in yuan)
    assert ("38640000000", "元", "2026", "") in facts


def test_another_city_opening_its_clause_with_its_rank():
    """In a city's report another city of the province opening a clause with its rank (从全省看，璐州市…仍居首位) is that
    city's; the report's own clause after it stays its own."""
    text = _CITY_REPORT + (
        "全市科技型企业贷款余额居全省第2位。从全省看，璐州市科技型企业贷款余额仍居首位，我市与其差距缩小到12亿元。"
    )
    facts = placed(text, 2026)
    assert ("1", "位", "2026", "璐州市") in facts
    assert ("2", "位", "2026", "") in facts
    assert ("1200000000", "元", "2026", "") in facts
    # (a province's news titled with a county, 璐溪县跻身前十: the province's cities ranked are its own parts)
    news = "全省县域创新能力评价结果发布 璐溪县跻身前十\n本报讯　省科技厅发布评价报告。璐州市璐东区以89.6分居全省首位。"
    assert ("1", "位", "2026", "") in placed(news, 2026)


@given(st.integers(5, 30), st.integers(1, 4))
def test_the_departments_own_check_after_another_province_is_ours(n, k):
    """瑷珙省科学技术厅向我厅移交线索N条，经我厅核实，其中K条属实: the clue count is theirs; what our department found
    after checking them is ours."""
    text = (
        _PROVINCE_REPORT
        + f"今年，瑷珙省科学技术厅向我厅移交疑似重复申报线索{n}条，经我厅核实，其中{k}条属实。"
    )
    facts = placed(text, 2026)
    assert (str(n), "条", "2026", "瑷珙省") in facts
    assert (str(k), "条", "2026", "") in facts


@given(st.integers(30, 90), st.integers(100, 300), st.integers(5, 40))
def test_joint_work_inside_another_provinces_body_is_its_own(members, patents, ours):
    """瑷珙省…联合体…，成员单位N家，联合申请发明专利M件，是我们的1.4倍: 联合 opening a clause with no party named is the
    body's members working together — its own figure; joint with ours (联合我省企业…, 与我省…) stays ours."""
    text = _PROVINCE_REPORT + (
        f"瑷珙省机床创新联合体成立时间与我们相近，成员单位{members}家，联合申请发明专利{patents}件，是我们的1.4倍左右。"
        f"瑷珙省机床创新联合体来我省考察，联合我省企业申请专利{ours}项。"
    )
    facts = placed(text, 2026)
    assert (str(members), "家", "2026", "瑷珙省") in facts
    assert (str(patents), "件", "2026", "瑷珙省") in facts
    assert ("1.4", "倍", "2026", "瑷珙省") in facts
    assert (str(ours), "项", "2026", "") in facts


def test_a_share_of_ours_set_against_that_province_is_ours():
    """我省风险投资占GDP比重仅为该省的三分之二: the clause's subject is ours, set against the province as a part of its
    figure (为该省的); 我省企业使用费用按该省标准的八五折收取 (the province's price) stays the province's."""
    text = _PROVINCE_REPORT + (
        "我们的邻居瑷珙省，综合指数为101.3，高出我省8.9。差距主要在投资指标，我省风险投资占GDP比重仅为该省的三分之二。"
        "瑷珙省科学技术厅向我省开放仪器，我省企业使用费用按该省标准的八五折收取。"
    )
    facts = placed(text, 2026)
    assert ("66.67", "%", "2026", "") in facts
    assert ("85", "%", "2026", "瑷珙省") in facts  # (their price, our firms' use: the province's discount)


@given(st.sampled_from(("三", "四", "六", "八")), st.integers(50, 300))
def test_another_provinces_pilot_base_after_a_label(years, firms):
    """附带说明：瑷珙省生物医药中试基地已运行六年，年服务企业N余家: a pilot base (a testing centre too) of the province
    opening its clause after a label's colon names the province; how long it has run is a duration (as 成立四年)."""
    text = _PROVINCE_REPORT + (
        f"今年我省新建中试基地3家。\n附带说明：瑷珙省生物医药中试基地已运行{years}年，年服务企业{firms}余家。"
    )
    facts = placed(text, 2026)
    n = "三四五六七八".index(years) + 3
    assert (str(n), "年", "2026", "瑷珙省") in facts
    assert (str(firms), "家", "2026", "瑷珙省") in facts
    assert ("3", "家", "2026", "") in facts
    assert (str(n), "年", "2026") in values(f"玳璐省新材料中试基地已运行{years}年。", 2026)


@given(st.integers(2, 9), st.integers(20, 60), st.integers(5, 9))
def test_a_table_of_required_and_measured_values_with_units_in_some_cells(impurity, energy, level):
    """指标　任务书要求　实测值　完成情况, its first rows writing their units in the cells (≥99.999%　99.9995%), the next ones
    in the label (金属杂质总含量（ppbw）　≤1.0　0.62): the header is found above the rows with units, each bare figure read in
    its label's unit, a readiness level measured in words (七级) read as a level; the cells with units read once."""
    words = "零一二三四五六七八九"[level]
    text = (
        "玳璐省揭榜挂帅项目验收报告\n各项指标完成情况如下：\n"
        "指标　任务书要求　实测值　完成情况\n"
        "产品纯度　≥99.999%　99.9995%　达标\n"
        f"金属杂质总含量（ppbw）　≤{impurity}.0　0.{impurity}2　达标\n"
        f"还原电耗（千瓦时/千克）　≤{energy}　{energy - 3}.8　达标\n"
        "产品良品率　≥92%　94.6%　达标\n"
        f"技术成熟度（级）　≥{level}级　{words}级　达标\n"
        "项目各节点均按期完成。"
    )
    facts = values(text, 2026)
    assert (str(impurity), "ppbw", "2026") in facts  # (≤2.0: the value 2)
    assert (f"0.{impurity}2", "ppbw", "2026") in facts
    assert (str(energy), "千瓦时/千克", "2026") in facts
    assert (f"{energy - 3}.8", "千瓦时/千克", "2026") in facts
    assert (str(level), "级", "2026") in facts
    read = [f for f in extract_facts(text, year=2026) if f.unit in ("%", "级")]
    assert sorted(str(f.value) for f in read) == sorted(
        ["99.999", "99.9995", "92", "94.6", str(level), str(level)]
    )


@given(st.integers(11, 99), st.integers(1, 9), st.integers(1, 9))
def test_an_indexs_indicators_changes_said_bare(up, down, down2):
    """In an index's report, a sentence naming its indicators (从二级指标看) and clauses of nothing but their change (提高
    9.6；…分别下降0.8和0.5): the changes read bare, as an index's change is; without the indicators named, or in a text
    of no index, a bare number after 提高 stays unread."""
    text = (
        "玳璐省区域创新指数报告\n2026年，我省区域创新综合指数为92.4，比上年提高3.1。\n"
        f"从二级指标看，12个二级指标中有10个比上年提高，提高最快的是风险投资，提高{up / 10}；下降的2个是人力资源和"
        f"就业影响，分别下降0.{down}和0.{down2}，主要是留省比例有所回落。"
    )
    facts = values(text, 2026)
    assert (str(up / 10), "", "2026") in facts
    assert (f"0.{down}", "", "2026") in facts
    assert (f"0.{down2}", "", "2026") in facts
    plain = f"玳璐省科技工作简报\n从二级指标看，风险投资提高最快，提高{up / 10}；人力资源分别下降0.{down}和0.{down2}。"
    assert not {f for f in values(plain, 2026) if f[1] == ""}
    other = f"从工作进展看，提高最快的是风险投资，提高{up / 10}。综合指数为92.4。"
    assert (str(up / 10), "", "2026") not in values(other, 2026)


@given(st.sampled_from(("三", "五", "八")), st.sampled_from(("多", "余")))
def test_an_amount_of_wan_with_more_after_it_in_speech(n, more):
    """多挣了五万多。 (speech): 万 without 元, 多 after it, in a clause of money — an amount in 元, as 多挣了五万 is; a count of
    people said so (观众五万多，) stays unread."""
    value = str(("三五八".index(n) and (5, 8)[("三五八".index(n)) - 1] or 3) * 10000)
    text = f"“去年一亩地赚一千六，今年种了二十亩，多挣了{n}万{more}。”他说。观众{n}万{more}，气氛热烈。"
    facts = values(text, 2026)
    assert (value, "元", "2026") in facts
    assert len([f for f in facts if f[0] == value]) == 1


@given(st.sampled_from((("六千", "6000"), ("三百", "300"), ("两万", "20000"))), st.sampled_from(("尾", "头")))
def test_a_count_in_words_of_hundreds_before_a_measure_read_after_digits_only(words, measure):
    """每亩投放虾苗六千尾左右, 存栏三百头: a numeral in words of hundreds or more before a measure word that counts only after
    digits (尾, 头) counts; 二期工程 and 十二届 stay names."""
    said, value = words
    text = f"每亩投放虾苗{said}{measure}左右，二期工程已开工，第十二届博览会。"
    facts = values(text, 2026)
    assert (value, measure, "2026") in facts
    assert not {f for f in facts if f[1] in ("期", "届")}


@given(st.integers(2023, 2027), st.integers(100, 900), st.integers(10, 99))
def test_an_annual_report_titled_with_an_earlier_year(then, units, rate):
    """玳璐省大型科研仪器开放共享2025年度报告 (or 某大学2025年度科技成果转化年度报告) read in 2026: its figures read at the
    report's year are of the title's year, 本年度 (the year it reports on) too; a report on a year's matter
    (2025年度…整改情况的报告) is not dated by its title."""
    year = then + 1
    body = (
        f"从管理单位看，高等学校{units}台（套），占{rate}.3%。\n"
        f"本年度参加考核的管理单位{units // 4}家，评价为优秀的{units // 20}家。\n"
    )
    for title in (f"玳璐省大型科研仪器开放共享{then}年度报告", f"玳璐大学{then}年度科技成果转化年度报告"):
        facts = values(f"{title}\n{body}", year=year)
        assert (str(units), "台（套）", str(then)) in facts
        assert (f"{rate}.3", "%", str(then)) in facts
        assert (str(units // 4), "家", str(then)) in facts
        assert (str(units // 20), "家", str(then)) in facts
    matter = values(f"玳璐省科学技术厅关于{then}年度预算执行审计查出问题整改情况的报告\n{body}", year=year)
    assert (str(units), "台（套）", str(year)) in matter


@given(st.integers(2024, 2028), st.sampled_from((("五", 5), ("三", 3), ("5", 5))))
def test_a_report_delivered_early_in_its_year_reviews_the_years_before(year, window):
    """A government work report delivered in January (——2026年1月22日在…会议上) reviewing 过去五年 / 五年来: its figures
    are of the year before, a bare movement's start of the window's first year (由1.52%提高到2.21%, 由全国第19位升至第14位:
    2020 in a review of five years ending 2025), a start naming its own time (由原来的90个工作日) as read; a paragraph
    opening on 今年 or 今后 and a later heading's section keep the report's year."""
    said, n = window
    text = (
        f"{year}年玳璐省人民政府工作报告（科技创新部分）\n——{year}年1月22日在玳璐省人民代表大会上\n各位代表：\n"
        f"过去{said}年，全省科技创新实现了新跨越。研发投入强度由1.52%提高到2.21%；区域创新能力由全国第19位升至第14位。"
        "高新技术企业由2870家增加到7460家，科技型中小企业突破2万家。\n"
        "同时我们也清醒看到，我省基础研究投入占比仅为5.1%。评审周期由原来的90个工作日压缩到45个工作日。\n"
        "今年主要抓好五个方面工作：一是新增高新技术企业1000家以上；二是设立联合基金2亿元。\n"
        f"二、{year}年重点任务\n建设概念验证中心12家。\n"
    )
    facts = values(text, year=year)
    start, end, now = str(year - 1 - n), str(year - 1), str(year)
    assert ("1.52", "%", start) in facts
    assert ("2.21", "%", end) in facts
    assert ("19", "位", start) in facts
    assert ("14", "位", end) in facts
    assert ("2870", "家", start) in facts
    assert ("7460", "家", end) in facts
    assert ("20000", "家", end) in facts
    assert ("5.1", "%", end) in facts
    assert ("90", "个工作日", end) in facts
    assert ("2", "元", now) not in facts and ("200000000", "元", now) in facts
    assert ("12", "家", now) in facts
    # (a gap of a damaged page that took the next section's heading: the review ends there)
    gapped = values(text.replace(f"二、{year}年重点任务\n", "〔缺失12字〕\n"), year=year)
    assert ("12", "家", now) in gapped
    # (a report not delivered early, its 五年来 of the report's own year)
    late = values(text.replace(f"{year}年1月22日", f"{year}年12月22日"), year=year)
    assert ("2.21", "%", now) in late


@given(st.integers(1000, 9000), st.integers(1000, 9000), st.sampled_from((70, 80)))
def test_a_table_whose_cells_are_parted_by_one_space(first, second, share):
    """装备名称 申报单位 合同金额 保费补贴比例 under （单位：万元、%）, rows parted by single spaces as the header: read as a
    table — the amounts in 万元, the 比例 column a share in %; a sentence with spaces (no rows under it) is not one."""
    text = (
        "关于公布玳璐省首台（套）重大技术装备认定名单的通知\n二、重点装备名单（部分）\n（单位：万元、%）\n"
        "装备名称 申报单位 合同金额 保费补贴比例\n"
        f"五轴联动龙门加工中心 璐州精机股份有限公司 {first} {share}\n"
        f"大尺寸晶圆减薄机 璐阳芯研装备公司 {second} 80\n"
        "各有关企业要加强质量管理。\n"
    )
    facts = values(text, 2026)
    assert (str(first * 10000), "元", "2026") in facts
    assert (str(second * 10000), "元", "2026") in facts
    assert (str(share), "%", "2026") in facts
    assert ("80", "%", "2026") in facts
    assert not {f for f in facts if f[1] == "元" and f[0] in (str(share * 10000), "800000")}


@given(st.integers(20, 90), st.integers(100, 300), st.integers(100, 300))
def test_figures_after_a_list_of_years_each_of_its_year(low, more, firms):
    """2024年、2025年…分别实现销售11.2亿元和15.8亿元: one figure per year in the list's order; a figure later in the
    sentence is of the list's last year where its clause sums the years (两年累计…逾五百项), else of the report's."""
    text = (
        f"从推广应用看，2024年、2025年认定的装备分别实现销售{low}.2亿元和{low + 4}.8亿元，带动省内配套企业{firms}余家。"
        f"2024年、2025年学校转化合同总额分别为3.52亿元、4.86亿元，两年累计专利转让许可数量{more}项。"
    )
    facts = values(text, 2026)
    assert (str(low * 100_000_000 + 20_000_000), "元", "2024") in facts
    assert (str((low + 4) * 100_000_000 + 80_000_000), "元", "2025") in facts
    assert (str(firms), "家", "2026") in facts
    assert ("352000000", "元", "2024") in facts
    assert ("486000000", "元", "2025") in facts
    assert (str(more), "项", "2025") in facts


def test_an_assessment_every_so_many_years_is_its_cycle():
    """中试基地实行年度报告和三年一评估制度: how often a base is assessed, a cycle in 年 (as 五年一个周期); a slogan in
    quotes (“三年一评、动态调整”, 按照“三年一评估”的要求) names it, no figure."""
    assert ("3", "年", "2026") in values(
        "中试基地实行年度报告和三年一评估制度，年度服务少于30项的限期整改。", 2026
    )
    assert not {
        f
        for f in values("重组后的中心实行“三年一评、动态调整”。按照“三年一评估”的要求。", 2026)
        if f[1] == "年"
    }


def test_the_neighbour_named_after_a_comparison_with_it():
    """与邻省相比仍有差距，瑷珙省同期为15.1%，该省每万人口拥有科普人员41.2人: the neighbour named opening the clause after
    the comparison is another province, its figures its own (该省 after it too)."""
    text = (
        "玳璐省2025年科普统计公报\n全省具备科学素质的公民比例达到13.6%。"
        "与邻省相比仍有差距，瑷珙省同期为15.1%，该省每万人口拥有科普人员41.2人。"
    )
    facts = placed(text, 2026)
    assert ("15.1", "%", "2025", "瑷珙省") in facts
    assert ("41.2", "人", "2025", "瑷珙省") in facts
    assert ("13.6", "%", "2025", "") in facts


@given(st.integers(60, 95), st.integers(50, 300))
def test_a_city_named_after_that_province(score, firms):
    """瑷珙省科学技术厅同期发布的评价显示，该省珙口市珙山县得分81.3分，…高新技术企业126家: a city (its county) of the
    province named before, said after 该省 — the city's figures, as after the province's name."""
    text = _PROVINCE_REPORT + (
        f"全省县域创新能力平均得分62.4分。瑷珙省科学技术厅同期发布的评价显示，该省珙口市珙山县得分{score}.3分，"
        f"研发投入强度达到3.12%，高新技术企业{firms}家，是我省璐溪县的2.2倍。"
    )
    facts = placed(text, 2026)
    assert (f"{score}.3", "分", "2026", "珙口市") in facts
    assert ("3.12", "%", "2026", "珙口市") in facts
    assert (str(firms), "家", "2026", "珙口市") in facts
    assert ("62.4", "分", "2026", "") in facts


@given(st.integers(100, 900), st.integers(10, 90))
def test_a_rate_right_after_a_figure_of_last_year(done, rate):
    """瑷珙省已布局概念验证中心15家，去年完成验证项目420项，转化率46%: the rate of what last year's figure counts is of last
    year too; the clause before 去年 and a clause of now after the ； keep the report's year."""
    text = (
        _PROVINCE_REPORT
        + f"我省已布局概念验证中心15家，去年完成验证项目{done}项，转化率{rate}%；今年新建5家。"
    )
    facts = values(text, 2026)
    assert (str(done), "项", "2025") in facts
    assert (str(rate), "%", "2025") in facts
    assert ("15", "家", "2026") in facts
    assert ("5", "家", "2026") in facts
