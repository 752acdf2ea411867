"""Issue #15 item 4: forms of facts said in spoken reports (session 28, helper facts32, tuned on dev25 and dev26's
interviews). The sentences are written for the tests (fictional places), not copied from the corpus."""

from hypothesis import given
from hypothesis import strategies as st

from kechuang.ingest.tests.facts import read

_DIGITS = "一二三四五六七八九"


@given(st.integers(1, 9), st.integers(1, 9))
def test_an_amount_of_wan_without_yuan_in_a_clause_of_a_contract_a_share_or_a_saving(k, m):
    """Speech drops 元: 合同额K亿M千万 (a contract's sum), 一次就分了K百多万 (a share paid out), 一年就能省K千多万 (a
    saving, 省 said alone after 能 or 就) and 总金额K千多万——… (the dash ending the clause) are amounts in yuan; a
    count of people said the same way is not."""
    a, b = _DIGITS[k - 1], _DIGITS[m - 1]
    assert ("money", str(k * 100000000 + m * 10000000), "元", "2026") in read(
        f"主任：我们转化成果四十多项，合同额{a}亿{b}千万，孵化企业九家。", year=2026
    )
    assert ("money", str(k * 1000000), "元", "2026") in read(
        f"主任：有个团队一次就分了{a}百多万。", year=2026
    )
    assert ("money", str(k * 10000000), "元", "2026") in read(
        f"主任：下游企业一年就能省{a}千多万。", year=2026
    )
    assert ("money", str(k * 10000000), "元", "2026") in read(
        f"厅长：我们发了三十余项榜单，总金额{a}千多万——这是省财政的部分。", year=2026
    )
    assert not [f for f in read(f"主任：展会一次就来了{a}万多人。", year=2026) if f[0] == "money"]


@given(st.integers(2, 9), st.integers(2, 9), st.integers(2, 9))
def test_last_year_opening_a_clause_of_an_answer_dates_the_later_clauses(n, m, k):
    """主任：我们有大型仪器N百台套，去年对外开放M万多机时，平均每台设备一年开放K百多个小时，服务了…企业: in an interview's
    answer 去年 opening a clause dates it and the clauses after it (not the one before), until 今年 is said again."""
    a, b, c = _DIGITS[n - 1], _DIGITS[m - 1], _DIGITS[k - 1]
    facts = read(
        f"记者：仪器开放吗？\n主任：开放。我们有大型仪器{a}百台套，去年对外开放{b}万多机时，平均每台设备一年开放{c}百多个小时，"
        f"服务了省内外{a}百多家企业，今年又新增仪器{c}台套。",
        year=2026,
    )
    assert ("count", str(n * 100), "台套", "2026") in facts
    assert ("quantity", str(k * 100), "小时", "2025") in facts
    assert ("count", str(n * 100), "家", "2025") in facts
    assert ("count", str(k), "台套", "2026") in facts


@given(st.integers(20, 200), st.sampled_from(("天", "个月", "小时")))
def test_a_time_not_less_than_so_much_each_year_is_of_the_year(n, unit):
    """在基层服务时间每年不少于N天 (a threshold of a year's time): N 天, not a rate 天/年; 每周不少于两天 stays 天/周 and a
    capacity 设计产能每年N吨 吨/年."""
    assert ("quantity", str(n), unit, "2026") in read(
        f"科技特派员在基层服务时间每年不少于{n}{unit}；", year=2026
    )
    assert ("quantity", "2", "天/周", "2026") in read("每人每周在村里不少于2天。", year=2026)
    assert ("quantity", str(n), "吨/年", "2026") in read(f"中试线设计产能每年{n}吨，", year=2026)


@given(st.integers(300, 600), st.integers(300, 600))
def test_two_pointing_back_at_the_two_just_named_is_no_count(a, b):
    """沄州农科院团队试种亩产A公斤，岷山农科院团队亩产B公斤，两支团队均达到要求: 两支 points back at the two teams the sentence
    has named, no new figure; 两家机构均获评A档, the institutes not named before, is a count."""
    facts = read(f"沄州农科院团队试种亩产{a}公斤，岷山农科院团队亩产{b}公斤，两支团队均达到要求。", year=2026)
    assert not [f for f in facts if f[2] == "支"]
    assert ("count", "2", "家", "2026") in read("与本市共建的两家机构均获评A档。", year=2026)


_NO_ZERO = [n for n in range(11, 99) if n % 10]


@given(st.sampled_from(_NO_ZERO), st.sampled_from(_NO_ZERO))
def test_ours_of_last_year_set_against_the_other_sides_figure_in_an_answer(a, b):
    """厅长：岷澜省的研发投入强度是百分之二点A，我们去年是百分之一点B，差了…个百分点: in an answer, the other side's figure
    set against ours said 去年 in the next clause is of that year, and so is the clause after ours; not in a
    reporter's sentence, nor where the other side's clause says its own time."""
    text = f"记者：差距在哪里？\n厅长：岷澜省的研发投入强度是百分之二点{_cn(a)}，我们去年是百分之一点{_cn(b)}，差了不少。"
    facts = read(text, year=2026)
    assert ("percent", f"2.{a}", "%", "2025") in facts
    assert ("percent", f"1.{b}", "%", "2025") in facts
    gap = "记者：差距在哪里？\n厅长：岷澜省的研发投入强度是百分之二，我们去年是百分之一，差了一个百分点。"
    assert ("points", "1", "百分点", "2025") in read(gap, year=2026)
    assert ("percent", f"2.{a}", "%", "2026") in read(
        f"岷澜省的研发投入强度今年是百分之二点{_cn(a)}，我们去年是百分之一点{_cn(b)}。", year=2026
    )


def _cn(n: int) -> str:
    """Two digits said one by one (27: 二七)."""
    return "".join("零一二三四五六七八九"[int(d)] for d in str(n))
