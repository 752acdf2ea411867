"""Issue #15 item 4: fact forms of the dev38 split (session 33, helper facts40) — a statistical bulletin titled with
the year its data are of and published the year after. The sentences are written for the tests (fictional places:
洺滢省 and its cities), not copied from the corpus."""

from hypothesis import given
from hypothesis import strategies as st

from kechuang.ingest.tests.facts import values


def _bulletin(then: int, body: str) -> str:
    return f"{then}年洺滢省科技经费投入统计公报\n洺滢省统计局　洺滢省科学技术厅\n{then + 1}年10月12日\n{body}"


@given(st.integers(20, 90), st.integers(10, 99), st.integers(2023, 2027))
def test_a_bulletin_titled_with_an_earlier_year(money, growth, then):
    """2024年洺滢省科技经费投入统计公报 read in 2025: a section's figures said without a year (分活动类型看，全省基础研究经费
    …亿元，增长…%), a city table's cells, are of the title's year; the dateline stays a date of the report's year."""
    year = then + 1
    body = (
        f"{then}年，全省共投入R&D经费{money * 10}.5亿元，增长{growth / 10}%。\n"
        f"分活动类型看，全省基础研究经费{money}.7亿元，增长{growth}.4%。\n"
        f"设区市　R&D经费（亿元）　投入强度（%）\n洺州市　{money + 100}.5　3.12\n"
    )
    facts = values(_bulletin(then, body), year=year)
    assert (str(money * 100_000_000 + 70_000_000), "元", str(then)) in facts
    assert (f"{growth}.4", "%", str(then)) in facts
    assert (str((money + 100) * 100_000_000 + 50_000_000), "元", str(then)) in facts
    assert ("3.12", "%", str(then)) in facts
    assert (f"{year}-10-12", "date", str(year)) in facts
    assert not {f for f in facts if f[2] == str(year) and f[1] != "date"}


@given(st.integers(20, 90), st.integers(2, 9))
def test_a_bulletins_own_times_and_bounds_stay(money, count):
    """In such a bulletin a sentence with a time of its own (今年, 预计, the report's year said) keeps it; a class's bound
    (R&D经费超过…亿元的设区市有…个) is of the bulletin's year, as its count (facts43, session 35: as under a heading reviewing
    an earlier year; dev38-11 re-keyed so — it had kept the report's year); a bulletin of the report's own year, or a report
    not titled a statistical bulletin, is read as before."""
    body = (
        f"R&D经费投入超过{money}亿元的设区市有{count}个。\n"
        f"今年，全省计划投入基础研究经费{money}.5亿元。\n"
        f"2026年上半年，全省R&D经费{money + 300}.5亿元。\n"
    )
    facts = values(_bulletin(2025, body), year=2026)
    assert (str(money * 100_000_000), "元", "2025") in facts
    assert (str(count), "个", "2025") in facts
    assert (str(money * 100_000_000 + 50_000_000), "元", "2026") in facts
    assert (str((money + 300) * 100_000_000 + 50_000_000), "元", "2026") in facts
    plain = f"分活动类型看，全省基础研究经费{money}.7亿元。\n"
    same = values(_bulletin(2026, plain), year=2026)
    assert (str(money * 100_000_000 + 70_000_000), "元", "2026") in same
    news = values(f"2025年洺滢省科技经费投入情况\n{plain}", year=2026)
    assert (str(money * 100_000_000 + 70_000_000), "元", "2026") in news


@given(st.integers(100, 900), st.integers(1, 99), st.sampled_from(("现场实测", "现场测试", "现场检测")))
def test_a_column_measured_on_site(required, more, measured):
    """指标　任务书要求　现场实测　完成情况 (a milestone's verification): the measured column said as done on site is a
    column of measured figures, as 中期实测 is — each row's required and measured figures in the unit its label says."""
    text = (
        "关于洺州市示范工程项目里程碑节点核验情况的通报\n二、核验指标完成情况\n"
        f"指标　任务书要求　{measured}　完成情况\n电缆长度（米）　≥{required}　{required + more}　完成\n"
        f"发明专利申请（件）　{more}　{more + 2}　完成\n核验组认为，指标全部达到要求。"
    )
    facts = values(text, year=2026)
    assert (str(required), "米", "2026") in facts
    assert (str(required + more), "米", "2026") in facts
    assert (str(more + 2), "件", "2026") in facts
