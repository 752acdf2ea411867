"""Issue #15 item 4: fact forms of the dev41 split (session 35, helper facts44). The sentences are written for the
tests (fictional places: 鹫岭省, its city 鹫口市, the city 鸱州市 and the county 鸲溪县), not copied from the corpus."""

from hypothesis import given
from hypothesis import strategies as st

from kechuang.ingest.tests.facts import placed, values


@given(st.integers(300, 900), st.integers(10, 99), st.integers(1, 9))
def test_a_budget_table_of_two_years_and_its_change(now, before, change):
    """项目　2026年预算数　2025年预算数　增减 under （单位：万元、%）: 预算数 is an amount (not a number of things, as
    项目数 is), each column of its year; 增减 is the change, in % (a fall written -6.5)."""
    text = (
        "鸱州市科学技术局2026年部门预算公开说明\n"
        "支出预算分项表（单位：万元、%）\n"
        "项目　2026年预算数　2025年预算数　增减\n"
        f"基础研究　{now}.00　{before}0.00　-{change}.5\n"
        f"科学技术普及　{now + 20}.50　{before}8.00　{change}.1\n"
    )
    facts = values(text, year=2026)
    assert (str(now * 10000), "元", "2026") in facts
    assert (str(before * 100000), "元", "2025") in facts
    assert (f"-{change}.5", "%", "2026") in facts
    assert (str((now + 20) * 10000 + 5000), "元", "2026") in facts
    assert (f"{change}.1", "%", "2026") in facts


@given(st.integers(100, 3000))
def test_items_served_once_counted_in_jian_ci(n):
    """维修展品1840件次: 件次 (an item served once) is the measure word as written, as 项次 and 人次 are."""
    facts = values(f"鸱州市科技馆工作通报\n全年更新展品126件，维修展品{n}件次，展品完好率98.5%。", year=2026)
    assert (str(n), "件次", "2026") in facts
    assert (str(n), "件", "2026") not in facts


@given(st.integers(1, 28), st.integers(1, 12))
def test_the_date_of_another_regions_visit_is_ours(day, month):
    """鹫岭省科技馆于6月18日来我馆举办巡回展，带来展品64件: the visitor's figures are its own, the date is the report's
    (no key places a date with another region)."""
    text = (
        "鸱州市科技馆工作通报\n"
        f"鹫岭省科技馆于{month}月{day}日来我馆举办巡回展，带来展品64件。"
        f"鹫岭省鹫口市科学技术局于{month}月{day}日组织12家企业来鸱州交流，带来项目15个。"
    )
    facts = placed(text, year=2026)
    assert (f"2026-{month:02d}-{day:02d}", "date", "2026", "") in facts
    assert not any(f[1] == "date" and f[3] for f in facts)
    assert ("64", "件", "2026", "鹫岭省") in facts
    assert ("15", "个", "2026", "鹫口市") in facts


@given(st.integers(2, 9), st.integers(11, 99))
def test_ours_toward_the_region_pointed_back_at(cases, items):
    """鹫岭省科学技术厅向我厅移送线索3件；我厅向该省移送线索2件 / 我馆同期赴该省巡展展品48件: a clause opening on ours
    whose act goes to 该省 is ours (该省 says where); a flow 该省企业吸纳我省技术 is ours too (FACTS_KEY), while
    该省 opening its own clause stays the province's."""
    text = (
        "鸱州市科技工作简报\n"
        f"鹫岭省科学技术厅上半年向我厅移交线索{cases + 1}件；该省登记技术合同{items + 100}项；我厅向该省移交线索{cases}件。"
        f"我馆同期赴该省巡展展品{items}件。该省企业吸纳我省技术{items}.5亿元。"
    )
    facts = placed(text, year=2026)
    assert (str(cases + 1), "件", "2026", "鹫岭省") in facts
    assert (str(cases), "件", "2026", "") in facts
    assert (str(items), "件", "2026", "") in facts
    assert (str(items * 100_000_000 + 50_000_000), "元", "2026", "") in facts
    assert (str(items + 100), "项", "2026", "鹫岭省") in facts
