"""Issue #15 item 4: forms of facts that recur from split to split (session 26, helper facts25), each read from
the genre's grammar: another region's figures carried through the clauses of its sentence, a neighbour province
named with its description, 该省 inside a clause, a flow with ours, a firm named after a city, and a few measures
said in speech. The sentences are written for the tests (fictional places), not copied from the corpus."""

from hypothesis import given
from hypothesis import strategies as st

from kechuang.ingest.parsers import extract_facts
from kechuang.ingest.parsers.extract import _bare_city_clause

_WORDS = "一二三四五六七八九"


def _read(text: str, year: int = 2026) -> set[tuple]:
    return {(str(f.value), f.unit, f.period, f.place) for f in extract_facts(text, year=year)}


_CITY_REPORT = "澄川市科学技术局2026年工作总结\n一、对外合作\n"


@given(st.integers(11, 999))
def test_another_citys_clause_goes_on_after_a_time_word(n):
    """岷澜省渌江市科技局在我市设立联络站，全年对接成果N项: a clause opening on a time word and a verb, no subject of
    its own, goes on with the other city's department; one opening on 与 (a joint figure), on 两市 or 双方, naming
    我市, or on 占 (a share of a whole) does not."""
    facts = _read(f"{_CITY_REPORT}岷澜省渌江市科技局在我市设立联络站，全年对接成果{n}项。")
    assert (str(n), "项", "2026", "渌江市") in facts
    joint = _read(f"{_CITY_REPORT}岷澜省渌江市科技局组织企业来访，与我市企业签约项目{n}个。")
    assert (str(n), "个", "2026", "") in joint
    both = _read(f"{_CITY_REPORT}岷澜省渌江市科技局组织企业来访，两市共建联合实验室{n}个。")
    assert (str(n), "个", "2026", "") in both
    # a clause whose own subject stands before a total (大会共…, 交易会累计…) or names the whole (省内外…) is not the visitor's
    for clause in (f"大会共签约项目{n}个", f"交易会累计签约项目{n}个", f"省内外参展单位达到{n}个"):
        assert (str(n), "个", "2026", "") in _read(
            f"{_CITY_REPORT}岷澜省渌江市科技局组织企业参展，{clause}。"
        )


@given(st.integers(2, 9), st.integers(101, 999))
def test_a_listed_clause_goes_on_through_another_listed_clause(n, m):
    """岷澜省科学技术厅介绍，该省已建成共享平台，入网仪器N万台（套），原值超过M亿元: a figure listed with its noun
    after another listed one goes on with the subject both go on from."""
    facts = _read(
        f"岷澜省科学技术厅介绍，该省已建成仪器共享平台，入网仪器{n}万台（套），原值超过{m}亿元，将向我省开放。"
    )
    assert (str(n * 10000), "台（套）", "2026", "岷澜省") in facts
    assert (str(m * 100_000_000), "元", "2026", "岷澜省") in facts


@given(st.integers(2, 9), st.integers(101, 9999))
def test_a_neighbour_named_with_its_description(n, visitors):
    """来自邻省的岷澜省自然博物馆带来标本N件，展出期间日均接待观众M人次: a province the text calls a neighbour is another
    region, its unit (any, not only a department) opening the sentence is the subject of the clauses after."""
    facts = _read(
        f"全省科技活动周吸引观众20万人次。来自邻省的岷澜省自然博物馆带来化石展，展品{_WORDS[n - 1]}十件，"
        f"在城南展出期间日均接待观众{visitors}人次。"
    )
    assert (str(n * 10), "件", "2026", "岷澜省") in facts
    assert (str(visitors), "人次", "2026", "岷澜省") in facts
    assert ("200000", "人次", "2026", "") in facts


@given(st.integers(2, 9))
def test_a_neighbour_as_the_topic_of_its_sentence(times):
    """我们的近邻岷澜省，企业的这个数字去年是三百个亿，是我们的N倍: a province said alone as the topic of its sentence
    (a clause of its own) is the subject of the clauses after; the multiple of ours is of the year its figure is."""
    facts = _read(f"我们的近邻岷澜省，企业的这个数字去年是三百个亿，是我们的{_WORDS[times - 1]}倍。")
    assert ("30000000000", "元", "2025", "岷澜省") in facts
    assert (str(times), "倍", "2025", "岷澜省") in facts


@given(st.sampled_from([("七折", "70"), ("八五折", "85"), ("9折", "90")]))
def test_a_discount_is_a_share_of_the_full_price(said):
    """服务费按该省标准的七折收取 (70 %), 打八五折 (85 %); 该省 inside the clause names the province said before in
    the paragraph (the nearest clause whose place is a province)."""
    word, value = said
    facts = _read(f"岷澜省科学技术厅介绍，该省已开放科研仪器3000台（套），服务费按该省标准的{word}收取。")
    assert (value, "%", "2026", "岷澜省") in facts
    assert (value, "%", "2026", "") in _read(f"园区对入驻企业的房租打{word}。")


def test_a_flow_with_ours_is_no_other_regions_own():
    """岷澜省企业吸纳我省技术的合同成交额12.5亿元: a flow between the two (FACTS_KEY: not `流向岱沄省的`) is not the
    other province's own figure; what the province does alone stays its own."""
    facts = _read(
        "岷澜省科学技术厅与我厅召开联席会议。岷澜省企业吸纳我省技术的合同成交额12.5亿元。"
        "岷澜省技术合同成交额达到860亿元。"
    )
    assert ("1250000000", "元", "2026", "") in facts
    assert ("86000000000", "元", "2026", "岷澜省") in facts


@given(st.integers(2, 9))
def test_a_firm_named_after_a_city_is_no_subject_of_the_city(n):
    """In a county's report whose city's department is another region: 澄江绿源农业有限公司牵头建设的中试基地，中试田
    扩大到N千亩 is the county's firm, not the city's figure (the city's name bare before a firm's)."""
    facts = _read(
        "澄水县科学技术局2026年工作总结\n澄江市科学技术局选派专家12名常驻我县。"
        f"澄江绿源农业有限公司牵头建设的中试基地，中试田扩大到{_WORDS[n - 1]}千二百亩。"
    )
    assert (str(n * 1000 + 200), "亩", "2026", "") in facts
    assert ("12", "名", "2026", "澄江市") in facts
    bare = _bare_city_clause({"澄江市"})
    assert bare.match("澄江绿源农业有限公司牵头建设的中试基地") is None
    assert bare.match("澄江代表团带来成果") is not None


@given(st.integers(2, 9))
def test_nights_an_event_runs(n):
    """“星空之夜”为期N晚 (nights, after 为期, 连续 …); 当晚, 住了一晚 are said in passing."""
    assert (str(n), "晚", "2026", "") in _read(f"“星空之夜”为期{_WORDS[n - 1]}晚，观众3万人次。")
    assert not any(f[1] == "晚" for f in _read("专家当晚赶到，住了一晚，第二天返回。"))


@given(st.integers(3, 20))
def test_a_lists_window_is_no_fact(n):
    """前N位 in a heading, opening the list it names (…居前N位的县依次为：) or pointed back at with no figure (是前N位中
    进步最大的) is no fact; the class a figure or a rule is of is (排名后N位的县中，有4个…; 对排名前N位的县给予…)."""
    text = (
        f"二、前{n}位名单\n综合得分居前{n}位的县依次为：甲县、乙县。丙县升至第二位，是前{n}位中进步最大的。"
    )
    assert not any(f[1] == "位" and f[0] == str(n) for f in _read(text))
    kept = _read(f"排名后{n}位的县中，有4个属于山区县。")
    assert (str(n), "位", "2026", "") in kept
    assert ("4", "个", "2026", "") in kept


@given(st.integers(2, 11))
def test_the_time_left_before_a_deadline_is_no_fact(n):
    """全年目标是…，还有N个月，时间紧: the time left, said in passing; 还有N个项目 is a count."""
    facts = _read(f"全年目标是技术合同成交额七百亿，还有{_WORDS[n - 1] if n < 10 else n}个月，时间紧。")
    assert not any(f[1] == "个月" for f in facts)
    assert (str(n), "个", "2026", "") in _read(f"手上在跟进的项目还有{n}个。")


@given(st.integers(2, 9))
def test_a_price_in_speech_before_ru_gu(n):
    """把一项专利作价N千万入股 (speech, no 元): the price a share was bought with is money."""
    facts = _read(f"实验室的一个团队，把一项专利作价{_WORDS[n - 1]}千万入股，成立了公司。")
    assert (str(n * 10_000_000), "元", "2026", "") in facts


@given(st.integers(5, 9), st.integers(2, 4))
def test_a_time_said_moving_after_shi_jian(start, end):
    """把新品种的选育时间从N年缩短到M年左右: a time said moving after 时间 (both ends, in words); 时间达到一年 stays a
    time reached."""
    facts = _read(f"把新品种的选育时间从{_WORDS[start - 1]}年缩短到{_WORDS[end - 1]}年左右。")
    assert (str(start), "年", "2026", "") in facts
    assert (str(end), "年", "2026", "") in facts


@given(st.sampled_from(["自然博物馆", "技术转移中心", "科技馆", "农业研究所"]), st.integers(11, 999))
def test_another_provinces_unit_of_any_kind_opening_a_sentence(unit, n):
    """岷澜省自然博物馆带来化石展，展品N件 (a museum, a centre, an institute of another province: not only its department,
    academy or university), the figure in its clause or the next, names the province as the subject."""
    facts = _read(f"全省科技活动周吸引观众20万人次。岷澜省{unit}带来专题展，展品{n}件。")
    assert (str(n), "件", "2026", "岷澜省") in facts
    assert ("200000", "人次", "2026", "") in facts
