"""Issue #15 item 4: facts read from a repaired text as from the clean one (session 31, helper facts35) — a figure
inside the repair's uncertain mark, a table's header or row broken over two lines, a row's gap read as a mark, a
reported paragraph whose verb the page damaged, a heading with a word redacted. The sentences are written for the
tests (fictional places: 泺岷省 and its cities), not copied from the corpus."""

from hypothesis import given
from hypothesis import strategies as st

from kechuang.ingest.parsers import extract_facts
from kechuang.ingest.tests.facts import placed, read, values

_CN = "一二三四五六七八九"


@given(st.integers(1, 9), st.integers(1, 9), st.sampled_from(("市财政安排专项资金", "每个基地省里补助")))
def test_a_figure_read_in_a_long_uncertain_mark_is_read_flagged(thousands, hundreds, words):
    """〔存疑：市财政安排专项资金四千〕二百万元: a mark holding a span of Chinese text the repair read by its dictionary
    (bytes lost in it) is read as what it holds, a figure in it or across its end read whole and flagged uncertain;
    a mark holding a character not read (？) or a letter gives no figure."""
    text = f"泺岷市科技局介绍，〔存疑：{words}{_CN[thousands - 1]}千〕{_CN[hundreds - 1]}百万元，用于中试基地建设。"
    facts = [f for f in extract_facts(text, year=2026) if f.unit == "元"]
    assert [str(f.value) for f in facts] == [str(thousands * 10_000_000 + hundreds * 1_000_000)]
    assert facts[0].uncertain_parts
    assert text[facts[0].start :].startswith("〔存疑：") or "〔存疑：" in facts[0].quote
    unread = f"泺岷市科技局介绍，〔存疑：？Ｈ{words}〕{_CN[hundreds - 1]}百万元，用于中试基地建设。"
    assert not [f for f in extract_facts(unread, year=2026) if f.unit == "元" and f.start < unread.find("〕")]


@given(st.integers(100, 9999), st.integers(10, 99), st.integers(10, 40))
def test_a_headers_last_cell_broken_off_its_line(staff, funds, share):
    """设区市　科普人员（人）　经费（亿元）　公\\n众满意率（%）: the header's last cell broken by the page's line break (a line
    of one cell ending in the unit the line above's last cell lacks) is one header: every column is read."""
    table = (
        "三、分地区情况\n设区市　科普人员（人）　经费（亿元）　公\n众满意率（%）\n"
        f"泺州市　{staff}　{funds}.5　{share}.2\n岷川市　{staff + 1}　{funds}.1　{share}.7\n注：数据来源于统计调查。"
    )
    facts = values(table, year=2026)
    assert (str(staff), "人", "2026") in facts
    assert (str((funds * 10 + 5) * 10_000_000), "元", "2026") in facts
    assert (f"{share}.2", "%", "2026") in facts
    assert (f"{share}.7", "%", "2026") in facts


@given(st.integers(100, 999), st.integers(100, 999), st.integers(2, 9))
def test_a_row_broken_over_two_lines_is_one_row(first, second, level):
    """A row the page's line break cut — in its label (高新技\\n术产业投资　86.2　88.9) or in a text cell
    (…　能量密度\\n不低于…　1200) — is read as one row: its figures in their columns, the rows after it too."""
    table = (
        "指标　2026年1—9月　2025年1—9月\n研发费用（亿元）　12.5　11.9\n高新技\n"
        f"术产业投资（亿元）　{first}.4　{second}.6\n新增科技型企业（家）　{first}　{second}\n简析：前三季度平稳增长。"
    )
    facts = values(table, year=2026)
    assert (str((first * 10 + 4) * 10_000_000), "元", "2026") in facts
    assert (str((second * 10 + 6) * 10_000_000), "元", "2025") in facts
    assert (str(first), "家", "2026") in facts
    assert (str(second), "家", "2025") in facts
    listed = (
        "序号　榜单名称　发榜单位　主要指标　榜额（万元）\n"
        f"1　深海系泊系统　泺州海工公司　适用水深60至120米　{first}\n"
        f"2　储能电池　岷川新能源公司　能量密度\n不低于{level}00瓦时/千克　{second}\n"
        "3　水稻新品种　泺川种业公司　单产不低于550公斤　800\n二、揭榜条件"
    )
    facts = values(listed, year=2026)
    assert (str(second * 10000), "元", "2026") in facts
    assert ("8000000", "元", "2026") in facts


@given(st.integers(10, 99), st.integers(1000, 9999), st.sampled_from("。，、"))
def test_a_rows_gap_read_as_a_mark(count, amount, mark):
    """泺州市。86　16420 under 地区　项目数（项）　资金（万元）: the gap after a row's label decoded as a mark is the gap."""
    table = (
        f"地区　项目数（项）　资金（万元）\n泺州市{mark}{count}　{amount}\n岷川市　{count + 1}　{amount + 1}\n"
        f"合计　{2 * count + 1}　{2 * amount + 1}\n泺州市下达资金最多。"
    )
    facts = values(table, year=2026)
    assert (str(count), "项", "2026") in facts
    assert (str(amount * 10000), "元", "2026") in facts
    assert (str(2 * count + 1), "项", "2026") in facts


@given(st.integers(100, 999), st.integers(10, 99), st.sampled_from(("指不", "指屮", "揭出")))
def test_a_reported_paragraph_after_one_whose_verb_was_damaged(firms, labs, damaged):
    """会议指不，过去一年，…。\\n会议介绍，…: a paragraph going on with what a meeting said of the past year keeps that
    year where the first paragraph's verb is damaged (its first words a lead, then 过去一年)."""
    text = (
        "2月10日，泺川市2026年科技工作会议召开。\n"
        f"会议{damaged}，过去一年，全市高新技术企业净增{firms}家。\n"
        f"会议介绍，科学城建设全面提速，已集聚各类研发机构{labs}家。\n会议明确，今年全市要再新增研发平台20个。"
    )
    facts = values(text, year=2026)
    assert (str(firms), "家", "2025") in facts
    assert (str(labs), "家", "2025") in facts
    assert ("20", "个", "2026") in facts


@given(
    st.integers(1000, 9999),
    st.integers(100, 999),
    st.sampled_from(("服〔隐去〕效", "〔隐去〕使用", "运行〔隐去〕")),
)
def test_a_data_heading_with_a_word_redacted(firms, bodies, heading):
    """An evaluation of an earlier year's data (以2025年度数据为依据): under a heading of its figures whose words the site
    redacted in part (二、服〔隐去〕效 for 服务成效), the figures are still that year's."""
    text = (
        "泺川市科技创新券2025年度实施绩效评价报告\n受市科技局委托，第三方机构以2025年度数据为依据开展了绩效评价。\n"
        f"一、概况\n评价覆盖全市各区县。\n二、{heading}\n用券企业{firms}家，服务机构{bodies}家。\n三、评价结论\n综合评分86分。"
    )
    facts = read(text, year=2026)
    assert ("count", str(firms), "家", "2025") in facts
    assert ("count", str(bodies), "家", "2025") in facts


# ----------------------------------------------------------------------------- forms dev31 and dev32 brought


@given(st.integers(2022, 2025), st.integers(1000, 9000), st.integers(10, 99), st.integers(100, 999))
def test_a_heading_reviewing_an_earlier_years_situation_dates_its_section(reviewed, firms, share, amount):
    """一、2025年度汇算清缴情况 in a 2026 notice: the sentences under a heading naming an earlier year's situation (情况)
    without a time of their own are of that year, and so are the figures of a table under it whose columns name no
    year (享受企业（户）, 比上年增长（%）); the next heading (二、今年预缴申报情况) is the report's own year again."""
    year = reviewed + 1
    text = (
        f"一、{reviewed}年度汇算清缴情况\n{reviewed}年度，全省共有{firms}户企业享受政策。其中，制造业企业{firms // 2}户，"
        f"占{share}.5%，加计扣除金额{amount}.4亿元。\n各设区市享受政策情况如下：\n设区市　享受企业（户）　比上年增长（%）\n"
        f"泺州市　{firms // 3}　{share}.1\n岷川市　{firms // 4}　{share}.2\n二、今年预缴申报情况\n今年前三季度，全省有"
        f"{firms + 7}户企业申报。"
    )
    facts = values(text, year=year)
    assert (str(firms // 2), "户", str(reviewed)) in facts
    assert (f"{share}.5", "%", str(reviewed)) in facts
    assert (str((amount * 10 + 4) * 10_000_000), "元", str(reviewed)) in facts
    assert (str(firms // 3), "户", str(reviewed)) in facts
    assert (f"{share}.2", "%", str(reviewed)) in facts
    assert (str(firms + 7), "户", str(year)) in facts


@given(st.integers(2, 9000))
def test_units_of_science_facilities_and_computing(n):
    """Units dev31 and dev32 wrote out: 吉赫兹, 吉电子伏, 毫安 (not 毫安时), PFLOPS, 吨二氧化碳, 户次, 景 (a satellite scene;
    not 景区), 千万亿次 (10^15, per second after 每秒)."""
    facts = values(
        f"调制器带宽达到{n}吉赫兹，电子能量{n}.5吉电子伏，束流强度{n}毫安。全省算力规模{n}PFLOPS，每年固碳约{n}万吨二氧化碳；"
        f"上门辅导{n}户次，提供影像产品{n}景；单集群算力达到每秒{n}千万亿次浮点运算。全市有{n}景区。",
        year=2026,
    )
    assert (str(n), "吉赫兹", "2026") in facts
    assert (f"{n}.5", "吉电子伏", "2026") in facts
    assert (str(n), "毫安", "2026") in facts
    assert (str(n), "PFLOPS", "2026") in facts
    assert (str(n * 10000), "吨二氧化碳", "2026") in facts
    assert (str(n), "户次", "2026") in facts
    assert (str(n), "景", "2026") in facts
    assert (str(n * 10**15), "次/秒", "2026") in facts
    assert sum(1 for v, u, _p in facts if u == "景") == 1


@given(st.integers(2, 9), st.integers(2, 9))
def test_years_worked_and_lengths_said_in_words(years, nm):
    """我在这里工作了六年, 均与省内单位合作十年以上: how long someone has worked (with us), in words; 精度已经到了五纳米: a length
    in words in speech (two or more, as 七斤 is). 过去一年 and 工作一年 stay unread (one year said in passing)."""
    cn = "一二三四五六七八九"
    facts = values(f"他说：“我在泺川工作了{cn[years - 1]}年，镜片精度已经到了{cn[nm - 1]}纳米。”", year=2026)
    assert (str(years), "年", "2026") in facts
    assert (str(nm), "纳米", "2026") in facts
    assert ("10", "年", "2026") in values("3名外籍专家均与省内单位合作十年以上。", year=2026)
    assert not [f for f in values("他在泺川工作一年了。", year=2026) if f[1] == "年"]


@given(st.integers(101, 199), st.integers(101, 149))
def test_a_data_centres_pue_is_a_value_without_unit(pue, bound):
    """电能利用效率（PUE）降至1.18, 新建数据中心的PUE全部控制在1.25以下: a ratio without a unit, read as an index's value."""
    facts = read(
        f"中心采用液冷技术，电能利用效率（PUE）降至{pue / 100}，绿色电力占62%。新建数据中心的PUE全部控制在{bound / 100}以下。",
        year=2026,
    )
    assert ("quantity", str(pue / 100), "", "2026") in facts
    assert ("quantity", str(bound / 100), "", "2026") in facts


@given(st.integers(100, 9000), st.integers(11, 99), st.integers(11, 29).filter(lambda t: t % 10))
def test_another_provinces_facility_and_a_multiple_named_at_length(hours, share, times):
    """嵛溍省散裂中子源今年供束运行4800小时: another province's facility opening a paragraph names that province; …国际联合
    实验室数量是我省的1.8倍: the multiple of ours, the measure named at length, goes on with the subject before; 今年省科技厅
    会同省人社厅…: 今年 before 省科技厅 is no province's name (the report's own department)."""
    facts = placed(
        f"四、区域合作\n淠澜省散裂中子源今年供束运行{hours}小时，可用率{share}.2%。\n五、省际比较\n淠澜省科学技术厅公布的数据"
        f"显示，该省已建国际联合实验室{hours // 10}家，国际联合实验室数量是我省的{times / 10}倍。\n六、运行保障\n今年省科技厅"
        f"会同省人社厅出台专门办法，全年有{share}名工程技术人员晋升高级职称。",
        year=2026,
    )
    assert (str(hours), "小时", "2026", "淠澜省") in facts
    assert (f"{share}.2", "%", "2026", "淠澜省") in facts
    assert (str(times / 10), "倍", "2026", "淠澜省") in facts
    assert (str(share), "名", "2026", "") in facts


@given(st.integers(2, 30), st.integers(31, 60))
def test_a_table_row_with_its_first_or_last_figure_left_empty(target, done):
    """省级财政科技支出年均增长（%）　—　≥10　11.6　—　约束性: a row whose first and last figures are left empty (—), a
    remark after them: the figures between are read in their columns."""
    table = (
        "指标　2020年基数　2025年目标　2023年完成值　进度（%）　属性\n研发投入强度（%）　1.86　2.4　2.18　59.3　预期性\n"
        f"省级财政科技支出年均增长（%）　—　≥{target}　{done}.6　—　约束性\n从表中看，进展较快。"
    )
    facts = values(table, year=2026)
    assert (str(target), "%", "2025") in facts
    assert (f"{done}.6", "%", "2023") in facts


def test_doing_one_and_closing_one_is_a_saying():
    """整改一个、销号一个 (every item closed as it is put right): a saying, no count; 新获批国家重点实验室一个，still counts."""
    assert not [f for f in values("实行销号管理，整改一个、销号一个；举一反三。", year=2026) if f[1] == "个"]
    assert ("1", "个", "2026") in values("今年新获批国家重点实验室一个，居全省前列。", year=2026)


@given(st.integers(100, 999), st.integers(2, 9))
def test_another_city_after_the_words_describing_it(amount, firms):
    """In a city's report, …；同为沿海城市的玕阳市海洋生产总值为842亿元: another city opening its clause after the words
    describing it is the clause's subject (that city's figure); 新加入的淠澜省澜源市产业园企业2家 counts members of the
    report's own body, wherever they are."""
    text = (
        "泺川市科学技术局2026年海洋科技工作报告\n全年全市海洋生产总值达到1286亿元，在全省沿海城市中居首位；同为沿海城市的"
        f"岷阳市海洋生产总值为{amount}亿元。\n联合体成员增加到26家，新加入的淠澜省澜源市产业园企业{firms}家。"
    )
    facts = placed(text, year=2026)
    assert (str(amount * 100_000_000), "元", "2026", "岷阳市") in facts
    assert (str(firms), "家", "2026", "") in facts


@given(st.sampled_from("两三四五六七八九"), st.sampled_from("两三四五六"))
def test_a_time_said_in_words_shortened(before, after):
    """把原来要做两年的实验缩短到三个月: how long the work took, in words before 的, shortened — both read."""
    cn = {"两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
    facts = values(
        f"一个团队用人工智能预测蛋白质结构，把原来要做{before}年的实验缩短到{after}个月。", year=2026
    )
    assert (str(cn[before]), "年", "2026") in facts
    assert (str(cn[after]), "个月", "2026") in facts
