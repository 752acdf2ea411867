"""Issue #15 item 4: fact forms of the dev44 split (session 36, helper facts47). The sentences are written for the
tests (fictional places: 珩琚省 the report's own, its cities 珩州市, 琚阳市, 瑭川市, its county 瑭溪县; 鹈鹕省 another, its
city 鹕口市), not copied from the corpus."""

from hypothesis import given
from hypothesis import strategies as st

from kechuang.ingest.tests.facts import placed, values


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
