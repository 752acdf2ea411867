"""Issue #15 item 4: forms of facts read from the genre's grammar (session 27, helper facts27, tuned on dev22): measure
words of services and test runs, a decimal in words below two, the times a plan of next year and a plan of so many years
set, the growth a dated movement made, another province's units that sign with the report's own, the cities another
region's figures are of, and the first so many said at a line's end. The sentences are written for the tests (fictional
places), not copied from the corpus."""

from hypothesis import given
from hypothesis import strategies as st

from kechuang.ingest.tests.facts import placed, values

_WORDS = "一二三四五六七八九"


@given(st.integers(101, 9999), st.integers(11, 99), st.integers(11, 99))
def test_services_and_test_runs_are_counted(n, m, k):
    """…服务N项次, 道路测试M万车次, 平均每天约K车次: 项次 and 车次 are measure words (as 人次, 架次); per day, a rate."""
    text = f"中心全年为企业提供检测、研发等服务{n}项次，开展道路测试{m / 10}万车次，平均每天约{k}车次。"
    facts = values(text, 2026)
    assert (str(n), "项次", "2026") in facts
    assert (str(m * 1000), "车次", "2026") in facts
    assert (str(k), "车次/天", "2026") in facts
    assert (str(n), "项", "2026") not in facts


@given(st.integers(1, 9), st.integers(2, 9))
def test_a_decimal_in_words_below_two_is_a_figure(d, e):
    """比全省平均还低一点N件: a decimal in words is a figure below two too (as 二点N件); 一点 said in passing is none."""
    text = (
        f"每万人口发明专利拥有量是{_WORDS[e - 1]}点{_WORDS[d - 1]}件，比全省平均还低一点{_WORDS[d - 1]}件。"
    )
    facts = values(text, 2026)
    assert (f"1.{d}", "件", "2026") in facts
    assert (f"{e}.{d}", "件", "2026") in facts
    assert not values("今年我们进步了一点，差距还大。", 2026)


@given(st.integers(2, 9), st.integers(2, 9))
def test_a_sentence_opening_on_next_year_goes_on_after_a_semicolon(n, m):
    """明年市财政…要增长百分之十二；市里再拿出N个亿，…；对第一次认定的企业，市里奖M十万: the parts after a ； are the same
    sentence, next year's; a part that says a time of its own keeps it."""
    text = (
        f"明年市财政科技支出要确保增长百分之十二；市里再拿出{_WORDS[n - 1]}个亿，设立科技创新专项资金；"
        f"对第一次认定的高新技术企业，市里奖{_WORDS[m - 1]}十万。"
    )
    facts = values(text, 2026)
    assert (str(n * 100_000_000), "元", "2027") in facts
    assert (str(m * 100_000), "元", "2027") in facts
    assert (str(n), "家", "2026") in values(f"明年要新建实验室五家；今年已建成{_WORDS[n - 1]}家。", 2026)


@given(st.integers(2, 9), st.integers(2, 9))
def test_a_question_about_next_year_dates_its_answer(n, m):
    """明年怎么干？我讲N条。: the answer counts the plan's parts, next year's; a question about this year's work does not."""
    assert (str(n), "条", "2027") in values(f"明年怎么干？我讲{_WORDS[n - 1]}条。\n第一条，投入要硬。", 2026)
    assert (str(m), "条", "2026") in values(f"今年干得怎么样？我讲{_WORDS[m - 1]}条。", 2026)


@given(st.integers(11, 99), st.integers(2, 9))
def test_another_provinces_institute_signing_with_the_reports_own(n, m):
    """岷澜省材料研究院与中心签订合作协议，派出N名研究人员常驻中心，开放其实验设施M处: in a centre's report 中心 is its own;
    what the clauses after the agreement give is the institute's province's. Its department signing 协议后，将向我省…
    too; what 我厅 gives back is the report's own."""
    text = (
        "溱城新能源技术创新中心2026年度运行报告\n"
        "中心现有研发人员536人。岷澜省材料研究院与中心签订合作协议，"
        f"派出{n}名研究人员常驻中心，开放其实验设施{m}处。"
    )
    facts = placed(text, 2026)
    assert (str(n), "名", "2026", "岷澜省") in facts
    assert (str(m), "处", "2026", "岷澜省") in facts
    assert ("536", "人", "2026", "") in facts
    text = (
        "两省签署科技合作协议\n"
        f"岷澜省科学技术厅与我厅签署协议后，将向我省开放大型科研仪器{n}00台（套），共享专家{m}00余名。"
        f"我厅将向岷澜省开放仪器{m}00台（套）。"
    )
    facts = placed(text, 2026)
    assert (f"{n}00", "台（套）", "2026", "岷澜省") in facts
    assert (f"{m}00", "名", "2026", "岷澜省") in facts
    assert (f"{m}00", "台（套）", "2026", "") in facts


@given(st.integers(2, 9))
def test_a_unit_of_another_provinces_city_signing_with_the_reports_own(n):
    """岷澜省澜口市农业研究所与基地签订合作协议，派驻研究人员N名: the city's, as its department's clauses are."""
    text = (
        "溱城茶叶中试基地2026年度报告\n"
        f"岷澜省澜口市农业研究所与基地签订合作协议，派驻研究人员{n}名，带来加工技术3项。"
    )
    facts = placed(text, 2026)
    assert (str(n), "名", "2026", "澜口市") in facts
    assert ("3", "项", "2026", "澜口市") in facts


@given(st.integers(2019, 2023), st.integers(101, 199), st.integers(201, 499), st.integers(11, 39))
def test_the_growth_of_a_dated_movement_is_of_its_end(start, x, y, g):
    """由20XX年的…增长到去年的…，年均增长G%: the growth is of the end's year, as the end is; a movement with no years of
    its own keeps the report's year for its growth."""
    text = (
        f"我省输出到岷澜省的技术合同成交额由{start}年的{x / 10}亿元增长到去年的{y / 10}亿元，年均增长{g}.5%。"
    )
    facts = values(text, 2026)
    assert (str(x * 10_000_000), "元", str(start)) in facts
    assert (str(y * 10_000_000), "元", "2025") in facts
    assert (f"{g}.5", "%", "2025") in facts
    assert (f"{g}.5", "%", "2026") in values(f"成交额由{x}亿元增长到{y}亿元，增长{g}.5%。", 2026)


@given(st.integers(101, 999), st.integers(2, 19))
def test_a_growth_compared_year_on_year_goes_on_with_another_province(n, g):
    """岷澜省今年上半年研发经费投入N亿元，同比增长G%，其中…占六成以上: 同比 is no 同 (with), the clause goes on."""
    text = (
        f"岷澜省科技厅有关负责人介绍，岷澜省今年上半年研发经费投入{n}亿元，同比增长{g}.8%，"
        "其中汽车产业研发投入占六成以上。"
    )
    facts = placed(text, 2026)
    assert (str(n * 100_000_000), "元", "2026", "岷澜省") in facts
    assert (f"{g}.8", "%", "2026", "岷澜省") in facts
    assert ("60", "%", "2026", "岷澜省") in facts


@given(st.integers(2, 9), st.integers(11, 29))
def test_a_zone_of_another_provinces_city_names_the_city(n, m):
    """与岷澜省澜口高新区签订园区共建协议 names 澜口 as a city of another province; 澜口高新区组织…考察N次，促成…M个 are the
    city's; the joint figures after 与 stay the report's own."""
    text = (
        "溱城高新技术产业开发区2026年工作总结\n"
        "与岷澜省澜口高新区签订园区共建协议，共建“飞地孵化器”1个，首批入驻企业16家。"
        f"澜口高新区组织企业家考察团来区考察{n}次，促成合作项目{m}个。"
    )
    facts = placed(text, 2026)
    assert (str(n), "次", "2026", "澜口市") in facts
    assert (str(m), "个", "2026", "澜口市") in facts
    assert ("1", "个", "2026", "") in facts
    assert ("16", "家", "2026", "") in facts


@given(st.integers(1, 9), st.integers(2, 9))
def test_a_city_of_a_neighbouring_province_and_its_last_year(d, k):
    """我们和隔壁省的澜口比一比：澜口市去年的研发投入强度…，高新技术企业…多家，几乎是我们的一点K倍: the city the text calls a
    neighbouring province's; 去年 after the city opening the words after the colon dates its later clauses."""
    text = (
        "在溱城市科技创新大会上的讲话\n"
        f"我们和隔壁省的澜口比一比：澜口市去年的研发投入强度已经到了百分之三点{_WORDS[d - 1]}，"
        f"高新技术企业三千二百多家，几乎是我们的一点{_WORDS[k - 1]}倍。"
    )
    facts = placed(text, 2026)
    assert (f"3.{d}", "%", "2025", "澜口市") in facts
    assert ("3200", "家", "2025", "澜口市") in facts
    assert (f"1.{k}", "倍", "2025", "澜口市") in facts


@given(st.integers(2, 9))
def test_another_city_of_the_province_in_a_citys_report(n):
    """再看省里，澜源市的高新技术企业今年已经超过N千家，我们只有它的四成不到: another city named in full opening its clause
    is that city's, as its department's clauses are; the share of ours stays ours."""
    text = (
        "在溱城市科技创新大会上的讲话\n"
        f"再看省里，澜源市的高新技术企业今年已经超过{_WORDS[n - 1]}千家，我们只有它的四成不到。"
    )
    facts = placed(text, 2026)
    assert (str(n * 1000), "家", "2026", "澜源市") in facts
    assert ("40", "%", "2026", "") in facts


@given(st.integers(2, 5), st.integers(2, 9), st.integers(2, 9))
def test_a_plans_years_to_reach_a_total(years, n, m):
    """三年引进博士N十名以上、…，选派科技特派员…名; 力争三年引进…M十项以上: a plan's clause opening on the years it gives
    itself dates its totals at their end (the report's year and that many); a time limit (三年内完成…) keeps the report's
    year for its figure, and a change already made (五年提高了…) is no plan."""
    y = _WORDS[years - 1]
    text = (
        f"（三）实施科技人才集聚行动。{y}年引进博士{_WORDS[n - 1]}十名以上、硕士三百名以上，选派科技特派员一百五十名。\n"
        f"（四）实施开放合作行动。每年组织企业对接两次以上，力争{y}年引进科技成果{_WORDS[m - 1]}十项以上。"
    )
    facts = values(text, 2026)
    end = str(2026 + years)
    assert (str(n * 10), "名", end) in facts
    assert ("150", "名", end) in facts
    assert (str(m * 10), "项", end) in facts
    assert ("2", "次", "2026") in facts
    assert ("20", "个", "2026") in values(f"计划{y}年内完成项目20个。", 2026)
    assert ("0.5", "百分点", "2026") in values(f"{y}年提高了零点五个百分点。", 2026)


def test_the_first_so_many_at_a_lines_end():
    """三项分指标进入前十 closing a headline: the bound of the class the count is of (前十 as 前十位, the lead's ruling),
    read at a line's end as before a comma."""
    text = "我省区域科技创新能力跃居全国第十六位 三项分指标进入前十\n本报讯 近日，评价报告发布。"
    facts = values(text, 2026)
    assert ("10", "位", "2026") in facts
    assert ("3", "项", "2026") in facts
    assert ("5", "位", "2026") in values("今年我省有4个具体指标的得分增幅居全国前五，其中两项居首位。", 2026)
