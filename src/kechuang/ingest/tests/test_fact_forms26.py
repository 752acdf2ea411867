"""Issue #15 item 4: forms of facts read from the genre's grammar (session 26, helper facts26, tuned on dev21): a plan's
table of targets with a column of remarks, the times a plan of next year sets (a run-in plan before a colon, 从明年起, 明年将
in a sentence's first clause), and a few measures. The sentences are written for the tests (fictional places), not
copied from the corpus."""

from hypothesis import given
from hypothesis import strategies as st

from kechuang.ingest.parsers import extract_facts

_WORDS = "一二三四五六七八九"


def _read(text: str, year: int = 2026) -> set[tuple]:
    return {(str(f.value), f.unit, f.period) for f in extract_facts(text, year=year)}


@given(st.integers(2021, 2026), st.integers(1, 4), st.integers(101, 999), st.integers(1001, 9999))
def test_a_plans_table_with_a_column_of_remarks(base, later, n, m):
    """指标　YYYY年基期值　YYYY年目标值　属性 over rows ending on 预期性/约束性: the remark column holds no figure, the
    others are the base year's and the target year's, in the unit the row's label names."""
    target = base + later
    text = (
        "岷澜省科技创新规划主要指标\n"
        f"指标　　{base}年基期值　　{target}年目标值　　属性\n"
        f"高新技术企业数（家）　{n}　{m}　预期性\n"
        f"技术合同成交额（亿元）　{n}.5　{m}　约束性\n"
    )
    facts = _read(text, year=2026)
    assert (str(n), "家", str(base)) in facts
    assert (str(m), "家", str(target)) in facts
    assert (str(n * 100_000_000 + 50_000_000), "元", str(base)) in facts
    assert (str(m * 100_000_000), "元", str(target)) in facts
    # a row ending on words under a header whose last column is not a remark column stays no table row
    assert not _read(
        f"指标　　{base}年　　{target}年　　牵头单位\n高新技术企业数（家）　{n}　{m}　省科技厅\n"
    )


@given(st.integers(2, 9), st.integers(2, 9))
def test_a_plan_of_next_year_run_in_before_a_colon(n, m):
    """明年工作打算：一是…；二是新增…N家以上；三是建成…M个，每个给予…: every item of the paragraph is next year's; the
    paragraph after it is the report's year again."""
    text = (
        "一、主要成效\n全县新增高新技术企业8家。\n二、下步打算\n"
        f"明年工作打算：一是研发投入强度力争达到百分之一点五；二是新增高新技术企业{_WORDS[n - 1]}家以上；"
        f"三是建成科技小院{_WORDS[m - 1]}个，每个给予二十万元经费补助。\n"
        "全县科技工作者共有3100人。"
    )
    facts = _read(text)
    assert (str(n), "家", "2027") in facts
    assert (str(m), "个", "2027") in facts
    assert ("200000", "元", "2027") in facts
    assert ("8", "家", "2026") in facts
    assert ("3100", "人", "2026") in facts


@given(st.integers(30, 120), st.integers(2, 9))
def test_from_next_year_on_opening_a_sentence(days, years):
    """从明年起，每个特派员每年在基层服务时间不少于N天，…，M年内不得重新选派: a rule from next year on is next year's
    for its sentence's clauses (as a 明年 plan's rules); 明年起 inside a clause after a figure dates nothing before it."""
    text = (
        f"三是严格考核。从明年起，每个特派员每年在基层服务时间不少于{days}天，考核不合格的，取消资格，"
        f"{_WORDS[years - 1]}年内不得重新选派。"
    )
    facts = _read(text)
    assert (str(days), "天", "2027") in facts
    assert (str(years), "年", "2027") in facts
    before = _read(f"今年服务时间平均{days}天，明年起将延长。")
    assert (str(days), "天", "2026") in before


@given(st.integers(2, 9), st.integers(101, 999), st.integers(2, 8))
def test_a_plan_of_next_year_in_the_sentences_first_clause(n, per_item, term):
    """省财政明年将新增…N亿元，重点支持…，并设立青年科学家项目，每项资助M万元，支持期限为T年: 明年 before 将 (要, 拟) in
    the first clause dates the plan's later clauses, an amount per item and a term too; 明年 said in a later clause
    dates none before it."""
    text = (
        f"省财政明年将新增基础研究投入{n}亿元，重点支持高校院所开展原创性研究，并设立青年科学家项目，"
        f"每项资助{per_item}万元，支持期限为{term}年。"
    )
    facts = _read(text)
    assert (str(n * 100_000_000), "元", "2027") in facts
    assert (str(per_item * 10_000), "元", "2027") in facts
    assert (str(term), "年", "2027") in facts
    later = _read(f"今年新增基础研究投入{n}亿元，每项资助{per_item}万元，明年将继续加大投入。")
    assert (str(n * 100_000_000), "元", "2026") in later
    assert (str(per_item * 10_000), "元", "2026") in later


@given(st.integers(2, 9))
def test_an_events_days_summed(n):
    """展会为期N天，…，N天累计接待观众…: the days an event lasted, its figures summed over them (as N天时间里); 近N天累计
    stays a window back from now."""
    said = _WORDS[n - 1]
    facts = extract_facts(f"博览会为期{said}天。开幕当天观众1.8万人次，{said}天累计3.1万余人次。", year=2026)
    assert [f.start for f in facts if (str(f.value), f.unit) == (str(n), "天")] == [5, 21]
    assert not any(f.unit == "天" for f in extract_facts(f"近{said}天累计接待观众3.1万人次。", year=2026))


@given(st.integers(2, 6), st.integers(7, 9))
def test_a_readiness_level_named_by_the_sentence_before(start, end):
    """中试后技术成熟度明显提升。某工艺由中试前的N级提升到M级: the sentence before in the paragraph names the readiness
    level; a start said at a time of its own (中试前的) is of the report's year. A grade said without it stays unread."""
    facts = _read(
        f"中试后技术成熟度明显提升。蓝莓冻干粉工艺由中试前的{start}级提升到{end}级，保留率由61%提高到88%。"
    )
    assert (str(start), "级", "2026") in facts
    assert (str(end), "级", "2026") in facts
    assert not any(f[1] == "级" for f in _read(f"员工满意度明显提升。职级由{start}级提升到{end}级。"))


@given(st.integers(11, 99))
def test_a_rate_per_a_unit_of_the_product(n):
    """冻干工艺能耗为每吨产品0.N吨标准煤: a rate per a unit of measure of the product (吨标准煤/吨); 每吨产品增收3200元 is
    money, never a rate."""
    facts = _read(f"改进后的冻干工艺能耗为每吨产品0.{n}吨标准煤，每吨产品增收3200元。")
    assert (f"0.{n}".rstrip("0"), "吨标准煤/吨", "2026") in facts
    assert ("3200", "元", "2026") in facts


@given(st.integers(2, 9))
def test_a_price_per_item_and_a_saying_are_no_counts(n):
    """把终端的价格从一千二百元一台降到N百元一台: 一台 after a price names what it is the price of; 千家万户 is a saying."""
    facts = _read(
        f"价格从一千二百元一台降到{_WORDS[n - 1]}百元一台，今年卖出去两万三千台，让成果走进千家万户。"
    )
    assert ("1200", "元", "2026") in facts
    assert (str(n * 100), "元", "2026") in facts
    assert ("23000", "台", "2026") in facts
    assert not any(f[1] in ("台", "家") and f[0] in ("1", "1000") for f in facts)


@given(st.integers(1, 9), st.integers(2, 9))
def test_a_difference_from_an_amount_said_bare_in_yi(tenths, n):
    """省里每年安排一点N亿，比今年增加M千万 (speech): the difference from an amount in 亿 said just before is money too;
    a count of people in 千万 is not."""
    facts = _read(f"明年省里每年安排一点{_WORDS[tenths - 1]}亿，比今年增加{_WORDS[n - 1]}千万。")
    assert (str(100_000_000 + tenths * 10_000_000), "元", "2027") in facts
    assert (str(n * 10_000_000), "元", "2027") in facts
    assert not any(
        f[1] == "元" for f in _read(f"全省参加科普活动{_WORDS[n - 1]}千万人次，比去年多{_WORDS[n - 1]}千万。")
    )


@given(st.integers(2, 5))
def test_the_points_a_speech_says_it_has(n):
    """下面，我讲N点意见 (提N点要求): a speech's count of its parts, in 点; 第N点意见 and 下午三点 are not."""
    said = _WORDS[n - 1]
    assert (str(n), "点", "2026") in _read(f"下面，我讲{said}点意见。第一点，成绩要看到。")
    assert not any(f[1] == "点" for f in _read(f"第{said}点意见，下午{said}点开会。"))


@given(st.integers(1, 12), st.integers(1, 28))
def test_a_deadline_for_next_years_plan_is_this_year(month, day):
    """请各市…，明年的选派方案在M月D日前报省科技厅: the deadline for a plan of next year falls in the report's year (明年
    names the plan); 明年M月D日前完成 is next year's."""
    assert (f"2026-{month:02d}-{day:02d}", "date", "2026") in _read(
        f"会后，请各市把要求落实到人，明年的选派方案在{month}月{day}日前报省科技厅。"
    )
    assert (f"2027-{month:02d}-{day:02d}", "date", "2027") in _read(
        f"项目须在明年{month}月{day}日前完成验收。"
    )


@given(st.integers(2028, 2035), st.integers(11, 99), st.integers(101, 999))
def test_a_goals_paragraph_opening_on_its_year(then, n, m):
    """三、分领域目标 / （二）企业创新。到YYYY年，…。培育科技领军企业N家、…M家: the sentences after the one opening on the
    year, in a goals section's paragraph, go on with it; a sentence saying its own time (今年) does not, nor a paragraph
    outside a goals section."""
    text = (
        "三、分领域目标\n"
        f"（二）企业创新。到{then}年，有研发活动的企业比例提高到50%以上。培育科技领军企业{n}家、“小巨人”企业{m}家。"
        "今年新增高新技术企业120家。\n"
        "四、工作进展\n"
        f"到{then}年，全省研发投入强度达到3%。全年认定科技领军企业{n + 1}家。\n"
    )
    facts = _read(text)
    assert (str(n), "家", str(then)) in facts
    assert (str(m), "家", str(then)) in facts
    assert ("120", "家", "2026") in facts
    assert (str(n + 1), "家", "2026") in facts
