"""Issue #15 item 4: fact forms of the dev43 split (session 36, helper facts46). The sentences are written for the
tests (fictional places: 瑧琛省 the report's own, 璩瑀省 another, its city 瑀口市), not copied from the corpus."""

from hypothesis import given
from hypothesis import strategies as st

from kechuang.ingest.parsers import extract_facts
from kechuang.ingest.tests.facts import placed, read, values


@given(st.sampled_from(["这一成绩", "这一成果", "那一成就", "同一成本"]), st.sampled_from(["二", "三", "六"]))
def test_one_tenth_not_read_in_a_word_of_cheng(word, n):
    """这一成绩来之不易 (这一 and the word 成绩): no share of 一成 (10 %); 近三成进入中试 and 增长一成 are shares."""
    text = f"{word}来之不易。项目中有近{n}成进入中试，收入增长一成。"
    shares = sorted(str(f.value) for f in extract_facts(text, year=2026) if f.unit == "%")
    assert shares == sorted(["10", str({"二": 2, "三": 3, "六": 6}[n] * 10)])


@given(st.sampled_from([("七", "700000000"), ("十二", "1200000000")]), st.sampled_from(["三", "六"]))
def test_spoken_yi_with_more_and_a_compound_of_yi_and_wan(yi, qian):
    """已经转化的合同金额有七亿多，… 奖励有一亿六千多万 (speech): 亿多 ending its clause is money in a clause of money; 多
    before 万 in a figure of 亿 and 万 belongs to the whole figure (not 六千多万 alone)."""
    word, value = yi
    text = f"已经转化的合同金额有{word}亿多，科研人员拿到的奖励有一亿{qian}千多万，"
    facts = values(text, year=2026)
    assert (value, "元", "2026") in facts
    amount = str(100000000 + {"三": 3, "六": 6}[qian] * 10000000)
    assert (amount, "元", "2026") in facts
    assert (str({"三": 3, "六": 6}[qian] * 10000000), "元", "2026") not in facts


@given(st.sampled_from([("三百", "3000000"), ("八十", "800000")]), st.sampled_from(["支持", "资助", "补助"]))
def test_spoken_wan_before_a_word_of_support(n, word):
    """每家省财政给予最高三百万支持 (speech): 万 before 支持/资助/补助 is money (not 万支, a count in 支)."""
    raw, value = n
    facts = read(f"每家市财政给予最高{raw}万{word}，", year=2026)
    assert ("money", value, "元", "2026") in facts
    assert not any(unit == "支" for _k, _v, unit, _p in facts)
    assert ("count", "30000", "支", "2026") in read("全年接种疫苗3万支。", year=2026)


@given(st.sampled_from(["第一", "第二", "第三"]), st.integers(61, 99))
def test_the_one_named_by_its_place(place, score):
    """该省排名第一的县综合指数为81.6: the county picked by its place (排名第一的 and a noun), no rank said; 排名前10位的企业
    (a class's bound) and 居全省第三 are ranks."""
    facts = read(f"同类评价中，该县排名{place}的乡镇综合指数为{score}.5，高出我镇3.2。", year=2026)
    assert not any(unit == "位" for _k, _v, unit, _p in facts)
    assert ("10", "位", "2026") in values("研发费用排名前10位的企业占全市的六成。", year=2026)
    assert ("3", "位", "2026") in values("综合指数居全省第三。", year=2026)


@given(st.sampled_from(["全省平均", "全国平均", "全市平均水平"]), st.integers(40, 100))
def test_an_index_base_said_with_an_average(avg, base):
    """综合指数为68.42（以2020年全省平均为60）: the base of the index, of its year; 创新产出指数比上年下降0.8 after the
    indices' values (the change of an index named in its clause)."""
    text = (
        f"评价显示，我区综合指数为{base + 7}.35（以2021年{avg}为{base}），比上年提高2.1。"
        "投入指数70.1，产出指数63.2。其中投入指数提高最多，达4.6；产出指数比上年下降0.7，是唯一下降的指数。"
    )
    facts = values(text, year=2026)
    assert (str(base), "", "2021") in facts
    assert ("0.7", "", "2026") in facts
    assert ("4.6", "", "2026") in facts


@given(st.sampled_from(["合格", "良好", "基本合格"]), st.integers(2, 9))
def test_times_in_a_row_of_those_a_measure_is_taken_on(grade, n):
    """对连续两次评价为合格的5家工作站予以黄牌警示: the times of those a measure is taken on (对…), as 对连续两次评价不合格的
    7家中心 (2 次); 连续两次评为优秀的机构有九家 describes which ones (no count of times)."""
    facts = values(f"对连续两次评价为{grade}的{n}家基地予以警示。", year=2026)
    assert ("2", "次", "2026") in facts
    assert (str(n), "家", "2026") in facts
    assert ("2", "次", "2026") not in values("连续两次评为优秀的机构有九家。", year=2026)


@given(st.sampled_from(["两个园区", "两家医院", "两所高校"]), st.integers(12, 90))
def test_two_parties_doing_so_to_each_other(parties, n):
    """两个联合体互相开放试验台架46台（套）: the two parties pointed back at, doing so to each other (no count of 2)."""
    facts = values(f"经两市协商，{parties}互相开放实验室{n}间，相互派驻人员{n + 3}名。", year=2026)
    assert (str(n), "间", "2026") in facts or (str(n + 3), "名", "2026") in facts
    assert not any(v == "2" for v, _u, _p in facts)


@given(st.integers(3, 5), st.integers(6, 9))
def test_a_readiness_movement_among_technical_targets(start, end):
    """主要技术指标：…关键材料技术成熟度由4级提升至7级: a goal (as 考核指标：): both levels of now."""
    text = f"主要技术指标：寿命达到3万小时以上，关键部件技术成熟度由{start}级提升至{end}级。"
    facts = values(text, year=2026)
    assert (str(start), "级", "2026") in facts
    assert (str(end), "级", "2026") in facts


@given(st.sampled_from(["上年度", "上年", "去年"]), st.integers(51, 99))
def test_a_share_of_last_years_count_with_its_noun(when, share):
    """相当于上年度享受企业的75.3%: a share of last year's whole (its noun between) is of now, as 为去年的九成."""
    text = f"今年前三季度，全市有860家企业参加评价，相当于{when}参评企业的{share}.4%，比上年同期提高3.2个百分点。"
    facts = values(text, year=2026)
    assert (f"{share}.4", "%", "2026") in facts
    assert ("3.2", "百分点", "2026") in facts


@given(st.integers(20, 60), st.integers(10, 19))
def test_last_years_rank_in_a_review_delivered_early(before, after):
    """——2026年1月21日在…会议上 … 过去一年，… 我市由上年的第31位升至第26位: in a review of the year before delivered early
    in the report's year, 上年 is the year before the one reviewed (2024); the rank it rose to is of the year reviewed."""
    text = (
        "某市2026年政府工作报告\n——2026年1月20日在市人民代表大会上\n一、过去一年的工作\n"
        f"过去一年，我们全力推进科技创新。高新技术企业达到1200家。在全国评价中，我市由上年的第{before}位升至第{after}位。"
    )
    facts = values(text, year=2026)
    assert (str(before), "位", "2024") in facts
    assert (str(after), "位", "2025") in facts


@given(st.sampled_from(["税务部门", "统计局", "市场监管部门"]), st.integers(2, 9))
def test_another_province_as_the_source_then_that_province(source, n):
    """据X省税务部门公布，该省2025年度享受政策企业2.93万户，…，比我省高17.5%: the province named as the source, 该省
    after it, and the clauses going on with it are that province's."""
    text = f"三、比较\n据璩瑀省{source}公布，该省2025年度享受政策企业{n}.1万户，扣除金额1{n}2亿元，比我省高1{n}.5%。"
    facts = placed(text, year=2026)
    assert (f"{n}1000", "户", "2025", "璩瑀省") in facts
    assert (f"1{n}200000000", "元", "2025", "璩瑀省") in facts
    assert (f"1{n}.5", "%", "2025", "璩瑀省") in facts


@given(st.sampled_from(["1至9月", "1至10月", "前三季度"]), st.integers(300, 900))
def test_a_span_of_months_going_on_with_that_province(span, total):
    """据X省科学技术厅发布的数据，该省9月…81.7亿元，1至9月累计702.5亿元，累计增速14.1%: the clause opening on a span
    of months before 累计 goes on with the province, and the clauses after it."""
    text = (
        "三、比较\n据璩瑀省科学技术厅发布的数据，该省9月登记技术合同成交额61.7亿元，"
        f"{span}累计{total}.5亿元，累计增速12.1%，比我省低3.2个百分点。"
    )
    facts = placed(text, year=2026)
    assert (f"{total}50000000", "元", "2026", "璩瑀省") in facts
    assert ("12.1", "%", "2026", "璩瑀省") in facts
    assert ("3.2", "百分点", "2026", "璩瑀省") in facts


@given(st.sampled_from(["市外", "省外"]), st.integers(11, 40))
def test_another_provinces_city_as_a_part_of_ours(outside, n):
    """承接服务的机构218家，其中市外机构64家，X省Y市的机构11家: the other city's units, a part of ours listed after
    a part from outside (其中…市外…), are ours (as 其中省外单位…，X省单位…)."""
    text = (
        "瑧琛省瑧州市科学技术局报告\n璩瑀省瑀口市科学技术局同期兑付创新券2940张。\n"
        f"上半年承接服务的机构218家，其中{outside}机构64家，璩瑀省瑀口市的机构{n}家；"
    )
    facts = placed(text, year=2026)
    assert (str(n), "家", "2026", "") in facts
    assert ("2940", "张", "2026", "瑀口市") in facts


@given(st.integers(11, 40))
def test_another_citys_units_after_a_part_from_outside_said_bare(n):
    """…市外机构64家，X省Y市的机构11家 (the clause's 其中 lost, or never said): the other city's units listed right after a part
    from outside the report's own whole are ours still."""
    text = (
        "瑧琛省瑧州市科学技术局报告\n璩瑀省瑀口市科学技术局同期兑付创新券2940张。\n"
        f"上半年承接服务的机构218家，市外机构64家，璩瑀省瑀口市的机构{n}家；"
    )
    assert (str(n), "家", "2026", "") in placed(text, year=2026)


@given(st.sampled_from(["税务部门公布", "科学技术厅发布的数据"]), st.integers(2, 9))
def test_that_province_pointed_back_at_a_redacted_one(source, n):
    """据〔隐去〕省税务部门公布，该省2025年度…: 该省 points back at a province the page redacted — another's, never the report's
    own (the one other province the page names, else a redacted one); the clauses going on with it keep it."""
    text = f"三、比较\n据〔隐去〕省{source}，该省2025年度享受政策企业{n}.1万户，扣除金额1{n}2亿元，比我省高1{n}.5%。"
    facts = placed(text, year=2026)
    assert all(place == "〔隐去〕省" for _v, _u, _p, place in facts), facts
    named = "瑧琛省科技报告\n璩瑀省科学技术厅派出专家12名来我省授课。\n" + text
    assert (f"{n}1000", "户", "2025", "璩瑀省") in placed(named, year=2026)


def test_the_two_provinces_no_name_and_the_issuing_line_ours():
    """经两省科技厅商定 (两省: the two, no province's name) and 瑧琛省科学技术厅发展规划处　2026年10月15日 under a title the page
    redacted (the issuing department's: the report's own) leave the one other province the page names to stand for a
    redacted one."""
    text = (
        "〔隐去〕省科技统计快报（2026年第9期）\n瑧琛省科学技术厅发展规划处　2026年10月15日\n"
        "经两省科技厅商定，两省证书互认。璩瑀省科学技术厅派出专家12名来我省授课。\n"
        "〔隐去〕省科学技术厅发布的数据显示，该省9月登记技术合同成交额61.7亿元。"
    )
    facts = placed(text, year=2026)
    assert ("6170000000", "元", "2026", "璩瑀省") in facts
    assert not any(place in ("经两省", "瑧琛省") for _v, _u, _p, place in facts)
