"""Issue #15 item 4: fact forms of the dev44 split (session 36, helper facts47). The sentences are written for the
tests (fictional places: 珩琚省 the report's own, its cities 珩州市, 琚阳市, 瑭川市, its county 瑭溪县; 鹈鹕省 another, its
city 鹕口市), not copied from the corpus."""

from hypothesis import given
from hypothesis import strategies as st

from kechuang.ingest.parsers.numbers import cn_number
from kechuang.ingest.tests.facts import placed, values


@given(st.sampled_from(["2015", "2018", "2021"]), st.sampled_from(["50", "100"]))
def test_an_index_base_said_after_the_index_is_described(base_year, base):
    """科技进步指数由三个一级指标、19项二级指标构成，以2018年为100，采用…: the base of the index the sentence names, of
    its year, said in the sentence describing the index (not only after a value)."""
    text = f"科技进步指数由三个一级指标、19项二级指标构成，以{base_year}年为{base}，采用各地报送的数据测算。"
    assert (base, "", base_year) in values(text, year=2026)
    # no index named: no base read
    assert not any(u == "" for _v, u, _p in values(f"以{base_year}年为{base}，开展对比。", year=2026))


@given(st.integers(60, 79), st.integers(1, 9))
def test_other_places_values_said_with_their_verb_after_the_top_one(value, tenth):
    """珩州市综合指数最高，为84.1，…；琚阳市为70.3，由上年的…；瑭川市为61.2，…: each place's value after the first's
    (said with the index), written with 为, bare; and the index's change said right after its name (…，主要是
    创新环境指数下降了1.9): of the year."""
    text = (
        "珩州市综合指数最高，为84.1，继续居全省首位；"
        f"琚阳市为{value}.{tenth}，由上年的第3位升至第2位；"
        f"瑭川市为{value - 8}.{tenth}，由上年的第2位降至第3位，主要是创新环境指数下降了1.{tenth}。"
    )
    facts = values(text, year=2026)
    assert (f"{value}.{tenth}", "", "2026") in facts
    assert (f"{value - 8}.{tenth}", "", "2026") in facts
    assert (f"1.{tenth}", "", "2026") in facts
    # a place's number said with 为 and no index in its sentence is no fact
    assert not any(u == "" for _v, u, _p in values(f"琚阳市为{value}.{tenth}，位居前列。", year=2026))


@given(st.sampled_from(["2022", "2023"]), st.integers(3, 5), st.integers(2000, 9000))
def test_a_list_table_of_levels_at_the_start_and_now_with_a_total_row(begun, low, amount):
    """项目　所在地　立项时技术成熟度　验收时技术成熟度　新增产值 under 本批项目均于2023年立项: each row's levels (4级　7级: cells of
    their column, not pieces of the label), the 立项时 column of the year the projects began, the other of now; the
    total row 合计　　　　18600 leaves its three text cells empty (a full-width gap each), its figure in the last column."""
    text = (
        f"本批项目均于{begun}年立项，实施期两年。\n部分项目情况（新增产值单位：万元）\n"
        "项目　所在地　立项时技术成熟度　验收时技术成熟度　新增产值\n"
        f"高速电机　珩州市　{low}级　{low + 3}级　{amount}\n柔性电池　琚阳市　{low + 1}级　{low + 4}级　1500\n"
        f"合计　　　　{amount + 1500}\n其中高速电机已在瑭川市推广。\n"
    )
    facts = values(text, year=2026)
    assert (str(low), "级", begun) in facts
    assert (str(low + 1), "级", begun) in facts
    assert (str(low + 3), "级", "2026") in facts
    assert (str(low + 4), "级", "2026") in facts
    assert (str(amount * 10000), "元", "2026") in facts
    assert (str((amount + 1500) * 10000), "元", "2026") in facts


@given(st.integers(1000, 3000), st.integers(100, 999))
def test_a_table_whose_unit_line_lists_one_unit_per_column(units, hours):
    """类型　入网仪器　服务机时 under （单位：台（套）、万机时）: as many units as columns, neither the row's label nor the
    column's name saying which (台（套） written with its bracket): each column in the unit listed in its place."""
    text = (
        "入网仪器分类型情况（单位：台（套）、万机时）\n类型　入网仪器　服务机时\n"
        f"化学分析仪器　{units}　{hours}.5\n计量仪器　900　21.2\n合计　{units + 900}　{hours + 21}.7\n"
    )
    facts = values(text, year=2026)
    assert (str(units), "台（套）", "2026") in facts
    assert (str(hours * 10000 + 5000), "机时", "2026") in facts
    assert (str(units + 900), "台（套）", "2026") in facts
    assert ("212000", "机时", "2026") in facts


@given(
    st.sampled_from(["可是大家看看", "但是你们看看", "我们再看看"]),
    st.integers(31, 89),
    st.sampled_from([("八", "十二"), ("六", "十三"), ("九", "十五")]),
)
def test_a_speaker_pointing_at_the_neighbour_and_they_named(lead, spent, shares):
    """可是大家看看我们的邻居鹈鹕省，今年省级财政科技支出是五十七亿，人家比我们多了十六亿: the province the speaker points at is
    the subject of the clauses after; 人家鹈鹕省是百分之十二 names the other side (the clause after ； is ours again)."""
    text = (
        "珩琚省人大代表的发言\n"
        f"{lead}我们的邻居鹈鹕省，今年省级财政科技支出是{spent}亿，人家比我们多了十六亿。我们是大省，平台只有三家。\n"
        f"今年基础研究经费的比重是百分之{shares[0]}，人家鹈鹕省是百分之{shares[1]}；明年的预算草案提高到百分之十。\n"
    )
    ours, theirs = (str(cn_number(n)) for n in shares)
    facts = placed(text, year=2026)
    assert (str(spent * 100000000), "元", "2026", "鹈鹕省") in facts
    assert ("1600000000", "元", "2026", "鹈鹕省") in facts
    assert ("3", "家", "2026", "") in facts
    assert (ours, "%", "2026", "") in facts
    assert (theirs, "%", "2026", "鹈鹕省") in facts
    assert ("10", "%", "2027", "") in facts


@given(st.sampled_from([("三十", "30"), ("十五", "15"), ("二十", "20")]), st.sampled_from(["搞了", "干了"]))
def test_years_in_words_worked_a_cycle_set_and_a_class_bound(years, verb):
    """在纺织企业搞了三十多年设计 (how long one has worked, speech), 考核周期至少要放到四年 (a cycle set to last so long),
    资金闲置超过三年的项目有五个 (a class's bound, of the sentence's year): durations in 年; not 满三年的 (a time served)
    nor 三年行动."""
    words, value = years
    assert (value, "年", "2026") in values(f"我在纺织企业{verb}{words}多年设计。", year=2026)
    assert ("4", "年", "2026") in values("基础研究见效慢，考核周期至少要放到四年。", year=2026)
    facts = values("去年省审计厅审计发现，资金闲置超过三年的科技项目有五个，涉及资金八百万。", year=2026)
    assert ("3", "年", "2025") in facts
    assert not any(u == "年" for _v, u, _p in values("对运行满三年的基地开展评估。实施三年行动。", year=2026))


@given(
    st.sampled_from([("七", "纺织、化工、冶金、造纸、食品、医药和建材"), ("三", "纺织、化工和建材")]),
    st.integers(2021, 2025),
)
def test_kinds_pointed_back_with_their_count_and_a_year_after_them(count, said):
    """方案覆盖纺织…和建材七大产业。这七大产业2024年营业收入合计2.3万亿元，占…的近六成: the count after the list is read once
    (这七大 points back at it), and the year after the subject pointed back at dates its sentence's figures."""
    n, kinds = count
    text = f"方案覆盖{kinds}{n}大产业。这{n}大产业{said}年营业收入合计2.3万亿元，占全省规模以上工业的近六成。"
    facts = values(text, year=2026)
    value = str(cn_number(n))
    assert [f for f in facts if f[1] == "个"] == [(value, "个", "2026")]
    assert ("2300000000000", "元", str(said)) in facts
    assert ("60", "%", str(said)) in facts
    # (该项目榜单于2024年春季发布，榜额1.2亿元: no count pointed back, the year dates its event only)
    assert ("120000000", "元", "2026") in values("该项目榜单于2024年春季发布，榜额1.2亿元。", year=2026)


@given(st.sampled_from(["值得一提的是", "此外", "与此同时"]), st.integers(11, 30))
def test_a_neighbour_opening_after_a_lead_in_with_last_year(lead, chains):
    """值得一提的是，邻省鹈鹕省科学技术厅去年发布了同类图谱，覆盖产业链12条，…: a clause that only leads in before the
    province opening on 去年 dates the clauses after it (as without the lead-in), the province's."""
    text = (
        "珩琚省发布产业图谱\n"
        f"{lead}，邻省鹈鹕省科学技术厅去年发布了同类图谱，覆盖产业链{chains}条，梳理关键核心技术310项。两省共同出资2亿元。"
    )
    facts = placed(text, year=2026)
    assert (str(chains), "条", "2025", "鹈鹕省") in facts
    assert ("310", "项", "2025", "鹈鹕省") in facts
    assert ("200000000", "元", "2026", "") in facts


@given(st.integers(300, 2000), st.sampled_from(["双方各投入", "两省共同投入"]))
def test_what_both_sides_of_an_agreement_give_is_joint(amount, both):
    """鹈鹕省科学院与实验室签订合作协议，共建联合实验室，双方各投入1200万元；鹈鹕省科学院派驻研究人员9名: the clauses after the
    agreement go on with the province, but one opening on both sides (双方, 两省) is joint, the report's own."""
    text = (
        "瑭湾实验室2026年度报告\n"
        f"鹈鹕省科学院与实验室签订合作协议，共建联合实验室，{both}{amount}万元；鹈鹕省科学院派驻研究人员9名。"
    )
    facts = placed(text, year=2026)
    assert (str(amount * 10000), "元", "2026", "") in facts
    assert ("9", "名", "2026", "鹈鹕省") in facts


@given(st.integers(2, 9), st.sampled_from(["承接转化", "受让"]))
def test_their_projects_taken_up_by_ours_are_a_flow(count, verb):
    """鹈鹕省科学技术厅同期通报，该省…76项，…；该省项目中由我省企业承接转化的有4项: taken up by ours, a flow (the report's
    own), as 该省企业吸纳我省技术 is."""
    text = (
        "珩琚省成果转化通报\n鹈鹕省科学技术厅同期通报，该省本年度验收项目76项，通过率86.1%，高于我省1.3个百分点；"
        f"该省项目中由我省企业{verb}的有{count}项。"
    )
    facts = placed(text, year=2026)
    assert ("76", "项", "2026", "鹈鹕省") in facts
    assert (str(count), "项", "2026", "") in facts


@given(st.integers(11, 99), st.integers(2, 60))
def test_wells_cages_and_types_counted_after_digits(cages, types):
    """布放网箱46口, 完成新船型验证37型: 口 and 型 count after digits, ending their clause; not 三口之家, 口径, M300型."""
    text = f"在海域布放网箱{cages}口，为船厂完成新船型验证{types}型。采购M300型无人机，三口之家，口径12毫米。"
    facts = values(text, year=2026)
    assert (str(cages), "口", "2026") in facts
    assert (str(types), "型", "2026") in facts
    assert not any(u == "型" for v, u, _p in facts if v != str(types))
    assert not any(u == "口" for v, u, _p in facts if v != str(cages))


@given(st.sampled_from([("四", 4), ("三", 3), ("六", 6)]), st.sampled_from(["过去{n}年，", "这{n}年里，"]))
def test_a_movement_after_the_years_past_starts_that_many_years_back(years, opening):
    """负责人说：“过去四年，我们和伙伴合作的项目从九个增加到二十六个”: the years past opening the sentence say since when,
    as 四年来 does: the start is that many years back, the end now."""
    words, n = years
    text = f"珩琚省国际合作\n负责人在致辞中说：“{opening.format(n=words)}我们和东欧伙伴合作的项目从九个增加到二十六个。”"
    facts = values(text, year=2026)
    assert ("9", "个", str(2026 - n)) in facts
    assert ("26", "个", "2026") in facts


@given(st.integers(120, 300), st.sampled_from(["2.6", "1.9"]))
def test_a_multiple_of_the_county_goes_on_with_the_other_city(count, times):
    """瑭溪县的报告：同期，鹈鹕省鹕口市所辖的沿海县中，…最多的县有185家，是我县的2.6倍: the multiple of ours (我县) goes on
    with the city, as 是我省的 does."""
    text = (
        "瑭溪县高新技术企业认定情况\n今年全县高新技术企业达到71家。"
        f"同期，鹈鹕省鹕口市所辖的沿海县中，高新技术企业最多的县有{count}家，是我县的{times}倍。"
    )
    facts = placed(text, year=2026)
    assert (str(count), "家", "2026", "鹕口市") in facts
    assert (times, "倍", "2026", "鹕口市") in facts


@given(st.sampled_from(["未完成的", "没有达标的", "剩下的"]))
def test_the_one_left_of_a_set_is_picked_out_not_counted(left):
    """三项指标中，已完成两项，未完成的一项是成组效率: the one left over, picked out as 最低的一项 is (not counted); 其中首次
    开放的一家是全国重点实验室 counts one."""
    facts = values(f"三项指标中，已完成两项，{left}一项是成组效率，还差3.5个百分点。", year=2026)
    assert ("1", "项", "2026") not in facts
    assert ("2", "项", "2026") in facts
    assert ("1", "家", "2026") in values("其中首次开放的一家是全国重点实验室。", year=2026)


@given(st.integers(60, 79), st.integers(11, 30))
def test_redacted_places_in_the_index_and_lead_in_forms(value, chains):
    """On a damaged page: 〔隐去〕市为70.3 after the top place's index value (a place the page redacted, as named), and
    值得一提的是，邻省〔隐去〕省科学技术厅去年发布了…，覆盖产业链12条 (the lead-in form with the name redacted) dating its
    clauses 去年."""
    facts = values(
        f"珩州市综合指数最高，为84.1，继续居全省首位；〔隐去〕市为{value}.3，由上年的第3位升至第2位。",
        year=2026,
    )
    assert (f"{value}.3", "", "2026") in facts
    text = f"珩琚省发布产业图谱\n值得一提的是，邻省〔隐去〕省科学技术厅去年发布了同类图谱，覆盖产业链{chains}条。"
    assert (str(chains), "条", "2025") in values(text, year=2026)
