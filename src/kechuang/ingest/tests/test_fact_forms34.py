"""Issue #15 item 4: forms of facts the dev29 and dev30 splits brought (session 30, helper facts34). The sentences are
written for the tests (fictional places: 淯岚省, 淠澜省 and their cities), not copied from the corpus."""

from hypothesis import given
from hypothesis import strategies as st

from kechuang.ingest.tests.facts import read


@given(
    st.integers(2024, 2030),
    st.sampled_from(("工作要点", "工作计划", "工作安排", "科技工作要点")),
    st.integers(2, 9),
    st.integers(10, 900),
)
def test_a_title_planning_a_later_year_dates_the_plan(plan, kind, amount, count):
    """淯岚省科学技术厅2027年工作要点, issued in 2026: a document whose title is a plan of a later year than the report's
    is that plan throughout — its tasks (新建重点实验室8家), its closing section (确保…增长8%以上) are of the plan's year;
    a sentence saying a year of its own keeps it (2026年，…预计达到2.36%). A title naming a summary beside the plan
    (…2026年工作总结和2027年工作要点) or a plan of the report's own year dates nothing."""
    year = plan - 1
    text = (
        f"淯岚省科学技术厅{plan}年{kind}\n一、主要目标\n{year}年，全省研发投入强度预计达到2.36%。\n二、重点任务\n"
        f"（一）强化基础研究。省自然科学基金资助经费增加到{amount}亿元，新建重点实验室{count}家。\n三、保障措施\n"
        f"确保省级财政科技支出增长8%以上。\n淯岚省科学技术厅\n{year}年12月6日"
    )
    facts = read(text, year=year)
    assert ("percent", "2.36", "%", str(year)) in {(k, v, u, p) for k, v, u, p in facts}
    periods = {(v, u): p for _k, v, u, p in facts}
    assert periods[(str(amount * 100000000), "元")] == str(plan)
    assert periods[(str(count), "家")] == str(plan)
    assert periods[("8", "%")] == str(plan)
    summary = text.replace(f"{plan}年{kind}\n", f"{year}年工作总结和{plan}年{kind}\n", 1)
    assert {p for _k, v, u, p in read(summary, year=year) if u == "家"} == {str(year)}
    same = read(text, year=plan)
    assert {p for _k, v, u, p in same if u == "家"} == {str(plan)}


@given(
    st.lists(st.integers(1, 999), min_size=3, max_size=3),
    st.sampled_from((("资助项数", "项"), ("企业家数", "家"), ("参训人数", "人"), ("申请件数", "件"))),
    st.integers(50, 99),
)
def test_a_table_column_named_by_its_measure_word_or_a_score(counts, column, score):
    """项目类别　资助项数　执行期（年）: a header cell naming a number of things by its measure word (项数, 家数, 人数, 件数),
    no unit in brackets, is a column of counts in that measure; 县　得分　研发投入强度（%）: a score column without a unit
    written keys its figures as written, no unit (as an index's value)."""
    name, measure = column
    rows = "".join(f"类别{i}　{n}　{i + 2}\n" for i, n in enumerate(counts))
    facts = read(f"二、分类情况\n项目类别　{name}　执行期（年）\n{rows}三、其他", year=2026)
    for n in counts:
        assert ("count", str(n), measure, "2026") in facts
    scored = read(
        f"得分居前的县情况如下：\n县　得分　研发投入强度（%）\n淯水县　{score}.6　2.85\n", year=2026
    )
    assert ("quantity", f"{score}.6", "", "2026") in scored
    assert ("percent", "2.85", "%", "2026") in scored
