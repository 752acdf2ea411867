"""Issue #15 item 4: fact forms of the dev44 split (session 36, helper facts47). The sentences are written for the
tests (fictional places: 珩琚省 the report's own, its cities 珩州市, 琚阳市, 瑭川市, its county 瑭溪县; 鹈鹕省 another, its
city 鹕口市), not copied from the corpus."""

from hypothesis import given
from hypothesis import strategies as st

from kechuang.ingest.tests.facts import values


@given(st.sampled_from(["2015", "2018", "2021"]), st.sampled_from(["50", "100"]))
def test_an_index_base_said_after_the_index_is_described(base_year, base):
    """科技进步指数由三个一级指标、19项二级指标构成，以2018年为100，采用…: the base of the index the sentence names, of
    its year, said in the sentence describing the index (not only after a value)."""
    text = f"科技进步指数由三个一级指标、19项二级指标构成，以{base_year}年为{base}，采用各地报送的数据测算。"
    assert (base, "", base_year) in values(text, year=2026)
    # no index named: no base read
    assert not any(u == "" for _v, u, _p in values(f"以{base_year}年为{base}，开展对比。", year=2026))


@given(st.integers(60, 79), st.integers(1, 9))
def test_other_places_values_said_with_their_verb_after_the_top_one(value, tenth):
    """珩州市综合指数最高，为84.1，…；琚阳市为70.3，由上年的…；瑭川市为61.2，…: each place's value after the first's
    (said with the index), written with 为, bare; and the index's change said right after its name (…，主要是
    创新环境指数下降了1.9): of the year."""
    text = (
        "珩州市综合指数最高，为84.1，继续居全省首位；"
        f"琚阳市为{value}.{tenth}，由上年的第3位升至第2位；"
        f"瑭川市为{value - 8}.{tenth}，由上年的第2位降至第3位，主要是创新环境指数下降了1.{tenth}。"
    )
    facts = values(text, year=2026)
    assert (f"{value}.{tenth}", "", "2026") in facts
    assert (f"{value - 8}.{tenth}", "", "2026") in facts
    assert (f"1.{tenth}", "", "2026") in facts
    # a place's number said with 为 and no index in its sentence is no fact
    assert not any(u == "" for _v, u, _p in values(f"琚阳市为{value}.{tenth}，位居前列。", year=2026))


@given(st.sampled_from(["2022", "2023"]), st.integers(3, 5), st.integers(2000, 9000))
def test_a_list_table_of_levels_at_the_start_and_now_with_a_total_row(begun, low, amount):
    """项目　所在地　立项时技术成熟度　验收时技术成熟度　新增产值 under 本批项目均于2023年立项: each row's levels (4级　7级: cells of
    their column, not pieces of the label), the 立项时 column of the year the projects began, the other of now; the
    total row 合计　　　　18600 leaves its three text cells empty (a full-width gap each), its figure in the last column."""
    text = (
        f"本批项目均于{begun}年立项，实施期两年。\n部分项目情况（新增产值单位：万元）\n"
        "项目　所在地　立项时技术成熟度　验收时技术成熟度　新增产值\n"
        f"高速电机　珩州市　{low}级　{low + 3}级　{amount}\n柔性电池　琚阳市　{low + 1}级　{low + 4}级　1500\n"
        f"合计　　　　{amount + 1500}\n其中高速电机已在瑭川市推广。\n"
    )
    facts = values(text, year=2026)
    assert (str(low), "级", begun) in facts
    assert (str(low + 1), "级", begun) in facts
    assert (str(low + 3), "级", "2026") in facts
    assert (str(low + 4), "级", "2026") in facts
    assert (str(amount * 10000), "元", "2026") in facts
    assert (str((amount + 1500) * 10000), "元", "2026") in facts


@given(st.integers(1000, 3000), st.integers(100, 999))
def test_a_table_whose_unit_line_lists_one_unit_per_column(units, hours):
    """类型　入网仪器　服务机时 under （单位：台（套）、万机时）: as many units as columns, neither the row's label nor the
    column's name saying which (台（套） written with its bracket): each column in the unit listed in its place."""
    text = (
        "入网仪器分类型情况（单位：台（套）、万机时）\n类型　入网仪器　服务机时\n"
        f"化学分析仪器　{units}　{hours}.5\n计量仪器　900　21.2\n合计　{units + 900}　{hours + 21}.7\n"
    )
    facts = values(text, year=2026)
    assert (str(units), "台（套）", "2026") in facts
    assert (str(hours * 10000 + 5000), "机时", "2026") in facts
    assert (str(units + 900), "台（套）", "2026") in facts
    assert ("212000", "机时", "2026") in facts
