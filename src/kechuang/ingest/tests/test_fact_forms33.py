"""Issue #15 item 4: forms of facts the dev27 and dev28 splits brought (session 29, helper facts33). The sentences are
written for the tests (fictional places: 滘川省, 鄚州省 and their cities), not copied from the corpus."""

from hypothesis import given
from hypothesis import strategies as st

from kechuang.ingest.parsers import extract_facts
from kechuang.ingest.tests.facts import placed, read

_FULL = str.maketrans("0123456789", "０１２３４５６７８９")


def _full(n: str) -> str:
    return n.translate(_FULL).replace(".", "．")


@given(st.integers(1, 9999), st.integers(0, 9), st.integers(1, 999), st.integers(1, 9))
def test_a_decimal_point_written_full_width(whole, tenth, share, share_tenth):
    """成交额１２６３．８亿元, 同比增长１６．２％ (a text in full-width forms): ． between digits is a decimal point, the
    figure read as its ASCII twin is; the quote keeps the text's own characters."""
    amount, rate = f"{whole}.{tenth}", f"{share}.{share_tenth}"
    text = f"全年成交额{_full(amount)}亿元，同比增长{_full(rate)}％。"
    ours = {(f.kind, str(f.value), f.unit, f.period) for f in extract_facts(text, year=2026)}
    ascii_twin = read(f"全年成交额{amount}亿元，同比增长{rate}%。", year=2026)
    assert ours == ascii_twin
    assert ("percent", rate.rstrip("0").rstrip(".") if "." in rate else rate, "%", "2026") in ours
    assert all(f.quote == text for f in extract_facts(text, year=2026))
    # (a full stop after a figure ends its sentence: 共１２项．下一步… is no decimal)
    assert ("count", "12", "项", "2026") in read("全年新建平台１２项。下一步，继续推进。", year=2026)


@given(st.integers(2015, 2024), st.integers(50, 90), st.integers(0, 99))
def test_a_year_said_as_nian_du_before_a_figure_is_its_own(then, score, hundredths):
    """平均得分由2021年度的74.2分提高到80.95分: 年度的 before a figure says its year, as 年的 does."""
    value = f"{score}.{hundredths:02d}".rstrip("0").rstrip(".")
    facts = read(f"高新区平均得分由{then}年度的{value}分提高到95.5分。", year=2026)
    assert ("quantity", value, "分", str(then)) in facts
    assert ("quantity", "95.5", "分", "2026") in facts


@given(st.integers(1, 99), st.sampled_from(("拍字节", "太字节", "吉字节")))
def test_stored_data_in_bytes_written_out(n, unit):
    """集中管理科学数据2.6拍字节 (bytes in words: 拍字节, 太字节, 吉字节): a quantity in that unit."""
    assert ("quantity", f"{n}.5", unit, "2026") in read(
        f"中心集中管理科学数据{n}.5{unit}、种质资源4.3万份。", year=2026
    )


@given(
    st.lists(
        st.sampled_from(("蔺川高新区", "澴阳高新区", "涠岭高新区", "蔺川", "澴阳", "涠岭")),
        min_size=2,
        max_size=3,
        unique=True,
    ),
    st.integers(10, 99),
    st.sampled_from(("均超过", "均达到", "均高于")),
)
def test_a_share_of_each_one_listed_before_jun(names, share, verb):
    """A、B得分率均超过90% (of now, as of a target): a share of each one listed before 均, a fact for each; one
    named alone keeps one fact."""
    text = f"在创新能力指标中，{'、'.join(names)}得分率{verb}{share}%。"
    facts = [f for f in extract_facts(text, year=2026) if f.unit == "%"]
    assert [(str(f.value), f.period) for f in facts] == [(str(share), "2026")] * len(names)
    alone = [f for f in extract_facts(f"蔺川高新区得分率{verb}{share}%。", year=2026) if f.unit == "%"]
    assert len(alone) == 1


@given(st.integers(2021, 2025), st.integers(100, 9000), st.integers(10, 99), st.integers(2, 9))
def test_a_paragraph_opening_on_an_earlier_year_goes_on_with_it(then, count, share, part):
    """2025年，全省高新区实现营业收入…。高新区内高新技术企业6380家，约占全省的58%。 (a 2026 report): a paragraph opening on an
    earlier year and stating its figures goes on with that year, sentence by sentence, until one says a time of its own
    (今年); 截至2025年底，…。其中，… the same; the bound of a class (不足10家的) keeps the report's year; a paragraph
    opening on an event without figures (2023年，市科技局出台…办法。) passes nothing on."""
    facts = read(
        f"一、总体情况\n{then}年，全省高新区实现营业收入1.2万亿元，同比增长9.8%。高新区内高新技术企业{count}家，"
        f"约占全省的{share}%。每万名从业人员拥有发明专利{part}件。今年以来，新增企业{part}家。\n二、其他\n全年新建平台{part}个。",
        year=2026,
    )
    assert ("count", str(count), "家", str(then)) in facts
    assert ("percent", str(share), "%", str(then)) in facts
    assert ("count", str(part), "件", str(then)) in facts
    assert ("count", str(part), "家", "2026") in facts
    assert ("count", str(part), "个", "2026") in facts
    facts = read(
        f"截至{then}年底，全省共有省级中试基地{count}个。其中，服务企业不足{share}家的基地有{part}个，占{share}.5%。",
        year=2026,
    )
    assert ("count", str(part), "个", str(then)) in facts
    assert ("percent", f"{share}.5", "%", str(then)) in facts
    assert ("count", str(share), "家", "2026") in facts
    facts = read(f"{then}年，市科技局出台技术经纪人培育办法。办法规定，单笔奖励最高{part}0万元。", year=2026)
    assert ("money", str(part * 100000), "元", "2026") in facts


@given(st.sampled_from(("滘川省", "鄚州省")), st.integers(100, 900), st.integers(2, 30))
def test_another_province_named_by_its_agency_or_its_same_kind(province, count, points):
    """蒗湖省地方金融管理局发布的数据显示，蒗湖省科技贷款余额为…: an agency of another province (管理局, 统计局) opening a
    sentence names it, as its institutes do; 对照相邻的…省，…省同类图谱梳理…N项 (同类: of the same kind, not 同 as
    with) is the province's, and 攻克比例高出我省约N个百分点 after it (a measure of it set against ours) too."""
    facts = placed(
        f"{province}地方金融管理局发布的数据显示，{province}科技贷款余额为{count}亿元，科技型企业贷款户数{points}00户。",
        year=2026,
    )
    assert (str(count * 100000000), "元", "2026", province) in facts
    assert (str(points * 100), "户", "2026", province) in facts
    facts = placed(
        f"对照相邻的{province}，{province}同类图谱梳理关键核心技术{count}项，已攻克{count // 2}项，"
        f"攻克比例高出我省约{points}个百分点。",
        year=2026,
    )
    assert (str(count), "项", "2026", province) in facts
    assert (str(count // 2), "项", "2026", province) in facts
    assert (str(points), "百分点", "2026", province) in facts
    # (our own measure said against the report's own whole stays ours)
    assert (str(points), "百分点", "2026", "") in placed(
        f"全省攻克比例比上年提高{points}个百分点。", year=2026
    )


@given(
    st.lists(
        st.tuples(st.integers(10, 999), st.integers(0, 9), st.integers(1, 4), st.integers(0, 99)),
        min_size=2,
        max_size=5,
    )
)
def test_a_table_whose_columns_units_the_sentence_before_names(rows):
    """各设区市R&D经费及投入强度如下（经费单位：亿元；强度单位：%）：, then rows `瀚州市　168.4　3.12` with no header line:
    each column in the unit the sentence names for it, in order; the first row is a row, not a header."""
    names = ("瀚州市", "漕川市", "滢岭市", "泖阳市", "濉关市")
    lines = [f"{names[i]}　{a}.{b}　{c}.{d:02d}" for i, (a, b, c, d) in enumerate(rows)]
    text = (
        "二、分地区情况\n各设区市R&D经费及投入强度如下（经费单位：亿元；强度单位：%）：\n"
        + "\n".join(lines)
        + "\n从区域格局看，差距缩小。"
    )
    facts = read(text, year=2025)
    for a, b, c, d in rows:
        assert ("money", str(a * 100000000 + b * 10000000), "元", "2025") in facts
        share = f"{c}.{d:02d}".rstrip("0").rstrip(".")
        assert ("percent", share, "%", "2025") in facts
    assert not [f for f in facts if f[0] == "money" and int(f[1]) < 100000000]


@given(st.integers(2, 9), st.integers(10, 90))
def test_a_heading_of_problems_and_a_plan_dates_the_problems_now(n, count):
    """六、存在问题与2027年计划 (a 2026 report): the problems said first are of now; the plan from the sentence saying
    its year on is that year's."""
    facts = read(
        f"六、存在问题与2027年计划\n中小企业参与度不高，有近{'二三四五六七八九'[n - 2]}成成员全年未参与共同项目。2027年是建设期的收官之年。"
        f"联合体计划新增成员{count}家。",
        year=2026,
    )
    assert ("percent", str(n * 10), "%", "2026") in facts
    assert ("target", str(count), "家", "2027") in facts or ("count", str(count), "家", "2027") in facts


@given(st.integers(2, 28), st.sampled_from(("召开的", "举行的", "开幕的")))
def test_a_bare_day_after_a_dateline_said_as_the_day_an_event_was_held(day, verb):
    """本报瀚州12月N日电…记者从N日召开的…发布会上获悉: a bare day after a dateline, said with an event's verb, is a date of
    the dateline's month."""
    facts = read(
        f"本报瀚州12月{day}日电（记者　甘棠）记者从{day}日{verb}全省科技金融工作新闻发布会上获悉，贷款增长8%。",
        year=2026,
    )
    assert [f for f in facts if f[0] == "date"].count(
        ("date", f"2026-12-{day:02d}", "date", "2026")
    ) == 1 or (("date", f"2026-12-{day:02d}", "date", "2026") in facts)
    dates = [
        f
        for f in extract_facts(
            f"本报瀚州12月{day}日电 记者从{day}日{verb}发布会上获悉，贷款增长8%。", year=2026
        )
        if f.kind == "date"
    ]
    assert len(dates) == 2


@given(st.sampled_from(("千吨级", "万吨级", "百兆瓦级")), st.integers(100, 900))
def test_a_class_said_in_words_is_no_amount(cls, n):
    """实现千吨级量产 (a class in words, as 亿元级企业) is no amount; 16兆瓦级 in digits stays the capacity."""
    facts = read(f"高强碳纤维实现{cls}量产，单线产能每年{n}吨。", year=2026)
    assert [f for f in facts if f[0] == "quantity"] == [("quantity", str(n), "吨/年", "2026")]
    assert ("quantity", "16", "兆瓦", "2026") in read("16兆瓦级浮式风电平台完成试验。", year=2026)


@given(st.integers(40, 99), st.integers(0, 99), st.integers(1, 9), st.integers(2028, 2030))
def test_an_index_value_written_bare(score, hundredths, change, goal):
    """综合指数为68.35（以2020年为50），比上年提高3.18; 创新投入指数71.2; 漹川市…指数为86.7，…；磢原市74.3;
    …综合指数达到72以上 (to a year): an index has no unit, its value a quantity without one, its base of the base
    year, a goal's of the goal's year; a bare number elsewhere is no fact."""
    value = f"{score}.{hundredths:02d}".rstrip("0").rstrip(".")
    facts = read(
        f"测算，2026年全省科技创新综合指数为{value}（以2020年为50），比上年提高{change}.5，年均提高约{change}.1。其中，"
        f"创新投入指数{score}.4，创新环境指数{change}2.5。\n全省设区市中，瀚州市创新能力指数为{score}.7，居全省第1位；漕川市{change}4.3，"
        f"居第2位。\n到{goal}年，科技创新综合指数达到{score}以上。\n报告共3章，附表12张，见第12页（共{change}0）。",
        year=2026,
    )
    for v, period in (
        (value, "2026"),
        ("50", "2020"),
        (f"{change}.5", "2026"),
        (f"{change}.1", "2026"),
        (f"{score}.4", "2026"),
        (f"{change}2.5", "2026"),
        (f"{score}.7", "2026"),
        (f"{change}4.3", "2026"),
    ):
        assert ("quantity", v, "", period) in facts
    assert ("target", str(score), "", str(goal)) in facts
    last = "报告共3章，附表12张，见第12页（共90）。"
    assert not [
        f for f in extract_facts(f"综合指数为{value}。{last}", year=2026) if last in f.quote and not f.unit
    ]
