"""Issue #15 item 4: forms of facts read from the genre's grammar (session 27, helper facts29, tuned on dev24 and
dev23): a plan's table whose targets carry a bound (≥2.6, ≤0.42), units outside the common set, rates whose clause
names a part (零件) or a substance (每吨二氧化碳), and a span of years running up to now (一年多来). The sentences are
written for the tests (fictional places), not copied from the corpus."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from kechuang.ingest.tests.facts import placed, read, values

_WORDS = "一二三四五六七八九"


def _d(figure: str) -> str:
    """A figure as the facts' values print it (0.10 → 0.1)."""
    return str(Decimal(figure).normalize())


@given(
    st.integers(2021, 2025), st.integers(1, 3), st.integers(2, 4), st.integers(101, 999), st.integers(11, 99)
)
def test_a_plans_table_with_bounds_before_its_targets(base, gap, later, n, m):
    """指标　YYYY年　YYYY年　YYYY年 over rows whose targets are written ≥1800 or ≤0.42: each figure after its bound,
    in its column's year and its row's unit; a bound alone is no figure."""
    mid, end = base + gap, base + gap + later
    text = (
        "岷澜市科技创新规划主要指标\n"
        f"指标　　{base}年　　{mid}年　　{end}年\n"
        f"高新技术企业（家）　{n}　≥{n + 100}　≥{n + 200}\n"
        f"研发经费投入强度（%）　1.{m}　2.{m}　≥3.{m}\n"
        f"万元地区生产总值能耗（吨标准煤/万元）　0.{m}　≤0.{m - 1}　≤0.{m - 2}\n"
    )
    facts = values(text, year=base + 1)
    assert (str(n), "家", str(base)) in facts
    assert (str(n + 100), "家", str(mid)) in facts
    assert (str(n + 200), "家", str(end)) in facts
    assert (_d(f"1.{m}"), "%", str(base)) in facts
    assert (_d(f"3.{m}"), "%", str(end)) in facts
    assert (_d(f"0.{m - 1}"), "吨标准煤/万元", str(mid)) in facts
    assert (_d(f"0.{m - 2}"), "吨标准煤/万元", str(end)) in facts
    assert len(facts) == 9


@given(st.integers(2021, 2025), st.integers(101, 999))
def test_a_bound_in_a_table_with_a_column_of_remarks(base, n):
    """指标　2025年　2028年目标　属性 with ≥ before each target and 预期性 after: the target in its scaled unit (万家)."""
    text = (
        f"指标　　{base}年　　{base + 3}年目标　　属性\n"
        f"科技型中小企业（万家）　1.{n}　≥2.{n}　预期性\n"
        f"技术合同成交额（亿元）　{n}.5　≥{n + 300}　约束性\n"
    )
    facts = values(text, year=base + 1)
    assert (str(10000 + n * 10), "家", str(base)) in facts
    assert (str(20000 + n * 10), "家", str(base + 3)) in facts
    assert (str((n + 300) * 100_000_000), "元", str(base + 3)) in facts


def test_units_outside_the_common_set():
    """特斯拉, 埃, 千牛·米, 微秒, 纳秒, 份次, 项次: each in the unit as written."""
    facts = values(
        "该装置磁场强度为18.5特斯拉，分辨率达到1.6埃，额定扭矩不低于70千牛·米，时延不大于120微秒，"
        "同步精度优于40纳秒。全年提供种质资源5200份次，提供技术服务1.8万项次。",
        year=2026,
    )
    assert {
        ("18.5", "特斯拉", "2026"),
        ("1.6", "埃", "2026"),
        ("70", "千牛·米", "2026"),
        ("120", "微秒", "2026"),
        ("40", "纳秒", "2026"),
        ("5200", "份次", "2026"),
        ("18000", "项次", "2026"),
    } <= facts
    assert ("70", "千牛", "2026") not in facts
    assert not read("双方在埃及开展合作。", year=2026)


@given(st.integers(2, 900), st.integers(2, 9))
def test_rates_of_turns_parts_and_substances(n, k):
    """每分钟可检测精密零件N件 (零件 no numeral) → 件/分钟; 每秒K圈, 每分钟N万转 → 圈/秒, 转/分钟; 每吨二氧化碳2.3吉焦 →
    吉焦/吨 and the requirement it is compared with after 比 in the same unit."""
    facts = values(
        f"检测线每分钟可检测精密零件{n}件，转台每秒{k}圈，主轴最高转速达到每分钟{k}万转。"
        f"捕集能耗为每吨二氧化碳{k}.3吉焦，比任务书要求的{k}.6吉焦降低一成。",
        year=2026,
    )
    assert (str(n), "件/分钟", "2026") in facts
    assert (str(k), "圈/秒", "2026") in facts
    assert (str(k * 10000), "转/分钟", "2026") in facts
    assert (f"{k}.3", "吉焦/吨", "2026") in facts
    assert (f"{k}.6", "吉焦/吨", "2026") in facts
    # 转 and 圈 are units only before a clause's end: 转化, 圈层 are words
    assert read("全年转化成果3项。", year=2026) == {("count", "3", "项", "2026")}


@given(st.integers(3, 9), st.integers(11, 60), st.integers(61, 95))
def test_a_span_of_a_year_and_more_runs_up_to_now(n, low, high):
    """去年，…选派了…。一年多来，他们推广技术N项，…优果率由A提高到B: what was done over the span is of the report's year,
    the movement's start of a year back (as 一年来 and 三年来 have it)."""
    text = (
        "去年，县科技局向岚溪村选派了茶产业科技特派团。"
        f"一年多来，他们推广技术{_WORDS[n - 1]}项，建成示范园{n + 10}个。"
        f"示范园的优果率由{low}%提高到{high}%。"
    )
    facts = values(text, year=2026)
    assert (str(n), "项", "2026") in facts
    assert (str(n + 10), "个", "2026") in facts
    assert (str(low), "%", "2025") in facts
    assert (str(high), "%", "2026") in facts
    # without the span, 去年 opening the paragraph goes on as before
    assert (str(n), "项", "2025") in values(f"去年，县里推广技术{_WORDS[n - 1]}项。", year=2026)


def test_a_bound_table_row_keeps_its_place():
    """The region a table's row is read for stays the report's own (no place)."""
    facts = placed("指标　　2025年　　2028年\n高新技术企业（家）　320　≥500\n", year=2026)
    assert ("500", "家", "2028", "") in facts


@given(st.integers(2021, 2025), st.integers(101, 999), st.integers(1001, 9999))
def test_a_table_comparing_regions_column_by_column(data_year, n, m):
    """现将两省YYYY年…比较分析如下 over 指标　我省　岷澜省: each column's figures are its region's (我省: the report's
    own), of the year the sentence introducing the table names, in the unit the row's label names."""
    text = (
        f"现将两省{data_year}年科技创新主要指标比较分析如下。\n"
        "一、主要指标比较\n"
        "指标　　我省　　岷澜省\n"
        f"研发经费投入（亿元）　{n}.4　{m}.8\n"
        f"高新技术企业（家）　{n}　{m}\n"
    )
    facts = placed(text, year=data_year + 1)
    assert (str(n * 100_000_000 + 40_000_000), "元", str(data_year), "") in facts
    assert (str(m * 100_000_000 + 80_000_000), "元", str(data_year), "岷澜省") in facts
    assert (str(n), "家", str(data_year), "") in facts
    assert (str(m), "家", str(data_year), "岷澜省") in facts
    # a region the page redacted (〔隐去〕省): its column is not read, ours still is
    redacted = placed(text.replace("岷澜省\n", "〔隐去〕省\n"), year=data_year + 1)
    assert redacted == {
        (str(n * 100_000_000 + 40_000_000), "元", str(data_year), ""),
        (str(n), "家", str(data_year), ""),
    }
    # without a sentence naming the year: the report's
    plain = placed(f"指标　　我省　　岷澜省\n高新技术企业（家）　{n}　{m}\n", year=data_year + 1)
    assert plain == {(str(n), "家", str(data_year + 1), ""), (str(m), "家", str(data_year + 1), "岷澜省")}


@given(st.integers(2021, 2025), st.integers(11, 99))
def test_an_analysis_of_a_years_figures_dates_its_sections(data_year, n):
    """现将…YYYY年…如下 (a later report): the sections after it are of that year, until a heading names a time of its
    own (三、今年以来的新变化), after which the report's year holds again."""
    text = (
        f"现将两省{data_year}年科技创新主要指标比较分析如下。\n"
        "二、差距分析\n"
        f"从主体看，岷澜省营业收入超过百亿元的企业有{n}家，我省仅有{n - 5}家。\n"
        "三、今年以来的新变化\n"
        f"今年上半年，我省新增高新技术企业{n + 100}家。\n"
        "四、对策建议\n"
        f"对研发投入增长超过{n}%的企业给予奖励。\n"
    )
    facts = placed(text, year=data_year + 1)
    assert (str(n), "家", str(data_year), "岷澜省") in facts
    assert (str(n - 5), "家", str(data_year), "") in facts
    assert (str(n + 100), "家", str(data_year + 1), "") in facts
    assert (str(n), "%", str(data_year + 1), "") in facts


@given(st.integers(11, 99), st.integers(2, 5))
def test_ours_as_the_base_of_another_regions_multiple(n, k):
    """岷澜省拥有…N家，是我省M家的K倍: M is ours, the multiple the other region's; 是我们的K倍 stays theirs."""
    facts = placed(f"岷澜省拥有全国重点实验室{n * k}家，是我省{n}家的{k}倍。", year=2026)
    assert (str(n), "家", "2026", "") in facts
    assert (str(k), "倍", "2026", "岷澜省") in facts
    assert (str(n * k), "家", "2026", "岷澜省") in facts


@given(st.integers(2027, 2029), st.integers(1, 4), st.integers(11, 49))
def test_a_later_year_inside_a_clause_after_a_target(target, later, n):
    """建议到YYYY年，…达到A%；按目前增速测算，…有望在ZZZZ年达到B%: the later year said in the clause after the ； dates
    its figure (the target carried over the ； yields); a comparison's base (比ZZZZ年增长) does not."""
    other = target + later
    facts = values(
        f"建议到{target}年，全省研发投入强度达到2.{n}%；按目前增速测算，我省研发投入强度有望在{other}年达到3.{n}%左右。",
        year=2026,
    )
    assert (_d(f"2.{n}"), "%", str(target)) in facts
    assert (_d(f"3.{n}"), "%", str(other)) in facts
    assert (str(n), "%", str(target)) in values(
        f"到{target}年，全省技术合同成交额达到1000亿元，比{target - 1}年增长{n}%。", year=2026
    )


@given(st.integers(2, 9), st.integers(2, 9), st.integers(1, 9))
def test_amounts_said_in_speech(n, m, fen):
    """奖金总额N千多万, 每家省里支持M千万, 每项奖金是N十万, 单项超过一千万的大合同 (万 without 元, of a prize, a total, a grant,
    a contract); 六毛二 (jiao and fen), 一毛多; 五个多月 (a span in 个月)."""
    w, v, f = _WORDS[n - 1], _WORDS[m - 1], _WORDS[fen - 1]
    facts = values(
        f"今年一共授奖二百项，奖金总额{w}千三百多万。"
        f"我们的一等奖每项奖金是{w}十万。其中单项超过一千万的大合同有五十八项。"
        f"系统发一度电的成本约{v}毛{f}，比工业电价低了一毛多。排队要等{w}个多月。\n明年每家省里支持{v}千万。",
        year=2026,
    )
    assert (str(n * 10_000_000 + 3_000_000), "元", "2026") in facts
    assert (str(m * 10_000_000), "元", "2027") in facts
    assert (str(n * 100_000), "元", "2026") in facts
    assert ("10000000", "元", "2026") in facts
    assert (_d(f"0.{m}{fen}"), "元", "2026") in facts
    assert ("0.1", "元", "2026") in facts
    assert (str(n), "个月", "2026") in facts
    # 万 without 元 where nothing speaks of money stays unread (观众达三万), and 毛 in a word is no amount
    assert values("观众达三万，一根毛竹卖十五块钱，要等一个多月。", year=2026) == {("15", "元", "2026")}


@given(st.integers(101, 999), st.integers(11, 49), st.integers(2027, 2029))
def test_a_listed_condition_and_a_rate_of_a_later_years_rule(amount, share, later):
    """…符合以下条件：（二）上年度研发经费支出不低于N万元: a rule's threshold, of the report's year (上年度 names what is
    measured); YYYY年度，…按其上年度…支出的M%给予补助: the rate of the year the sentence opened with."""
    text = (
        "申报单位应为独立法人，并同时符合以下条件：\n"
        f"（一）常驻研发人员不少于{share}人；\n"
        f"（二）上年度研发经费支出不低于{amount}万元，占年收入的比例不低于{share}%；\n"
        "二、支持政策\n"
        f"{later}年度，对新认定的机构，按其上年度研发经费支出的{share}%给予补助。\n"
    )
    facts = values(text, year=2026)
    assert (str(amount * 10_000), "元", "2026") in facts
    assert (str(share), "%", "2026") in facts
    assert (str(share), "%", str(later)) in facts
    # a sentence about last year's spending, no list of conditions: last year's, as before
    assert (str(amount * 10_000), "元", "2025") in values(f"上年度研发经费支出{amount}万元。", year=2026)


@given(st.integers(2027, 2029), st.integers(101, 999), st.integers(5, 9))
def test_then_dates_its_clause_with_the_year_said_before_it(later, n, level):
    """…并于YYYY年9月30日前接受第三节点验收，届时年产量要达到N吨，技术成熟度达到L级: 届时 is that year; 届时 after an
    earlier year dates nothing."""
    facts = values(
        f"项目须于{later}年9月30日前接受第三节点验收，届时中试线年产量要达到{n}吨，技术成熟度达到{level}级。",
        year=2026,
    )
    assert (str(n), "吨", str(later)) in facts
    assert (str(level), "级", str(later)) in facts
    assert (str(n), "人", "2026") in values(f"会议定于2024年召开，届时将有{n}人参会。", year=2026)
