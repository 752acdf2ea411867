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
