"""Issue #15 item 4: facts a damaged page still gives (session 33, helper facts38) — a table's column headed by a
province the page redacted beside ours, a header's two cells whose gap the page garbled, a row's gap read as ！,
a row's unit whose opening bracket went into an uncertain mark, 个百分点 with its 点 garbled, an index's value after
a city the page redacted. The sentences are written for the tests (fictional places: 洺滢省 and its cities, 濉岘省
next door), not copied from the corpus."""

from hypothesis import given
from hypothesis import strategies as st

from kechuang.ingest.tests.facts import placed, values

_TITLE = "洺滢省与濉岘省科技创新指标对比分析\n洺滢省科技信息研究所\n"


@given(st.integers(100, 900), st.integers(10, 99), st.sampled_from(("我省", "本省")))
def test_a_column_headed_by_a_redacted_province_beside_ours(ours, theirs, own):
    """指标　我省　〔隐去〕省: a column whose province the page redacted, the header's other region ours, is another
    province's — the one other province the page names (濉岘省, set against ours in the text); where the page
    names none, or the other column is not ours, the column is not read (as before)."""
    table = (
        f"一、主要指标\n指标　{own}　〔隐去〕省\n研发经费（亿元）　{ours}.5　{ours + theirs}.5\n"
        f"高新技术企业（家）　{ours * 10}　{ours * 10 + theirs}\n"
    )
    text = f"{_TITLE}濉岘省与我省产业结构相似，是我省对标的重点省份。\n{table}二、差距\n差距仍然不小。"
    facts = placed(text, year=2025)
    assert (str((ours + theirs) * 100_000_000 + 50_000_000), "元", "2025", "濉岘省") in facts
    assert (str(ours * 10 + theirs), "家", "2025", "濉岘省") in facts
    assert (str(ours * 10), "家", "2025", "") in facts
    unnamed = placed(f"{_TITLE.replace('与濉岘省', '')}{table}二、差距\n差距仍然不小。", year=2025)
    assert not {f for f in unnamed if f[0] == str(ours * 10 + theirs)}
    two = table.replace(f"{own}　〔隐去〕省", "濉岘省　〔隐去〕省")
    assert not {f for f in placed(f"{_TITLE}{two}", year=2025) if f[0] == str(ours * 10 + theirs)}


@given(st.integers(1000, 6000), st.integers(10, 99), st.sampled_from(("”壬夏L", "鲩Q", "")))
def test_two_header_cells_whose_gap_the_page_garbled(count, growth, garbled):
    """设区市　企业（户）　扣除金额（亿元）”壬夏L(%): the header's last two cells run together over a garbled gap, each
    ending in its unit — read as two cells (as a header line without gaps is), so a row as wide as the header
    gives each figure its column's unit."""
    text = (
        "各市享受政策情况如下：\n"
        f"设区市　享受企业（户）　扣除金额（亿元）{garbled}比上年增长(%)\n"
        f"滢州市　{count}　{growth}.6　{growth % 9 + 1}.5\n"
        f"〔隐去〕市　{count - 500}　{growth - 5}.2　8.4\n"
        "二、下一步安排\n"
    )
    facts = values(text, year=2025)
    assert (str(count), "户", "2025") in facts
    assert (str(growth * 100_000_000 + 60_000_000), "元", "2025") in facts
    assert (f"{growth % 9 + 1}.5", "%", "2025") in facts
    assert (str(count - 500), "户", "2025") in facts
    assert not {f for f in facts if f[1] == "户" and "." in f[0]}


@given(st.integers(10, 90), st.sampled_from(("！", "。")))
def test_a_rows_gap_read_as_an_exclamation_mark(amount, mark):
    """高等学！41.2　12.7　8.8: a row's gap after its label decoded as ！ (the label's last character gone with it)
    parts the label from the first figure, as 。 does."""
    text = (
        "表2　分部门经费情况\n执行部门　经费（亿元）　比上年增长(%)　占比(%)\n企业　379.6　9.8　81.1\n"
        f"高等学{mark}{amount}.2　12.7　8.8\n其他　8.8　-3.5　1.9\n"
    )
    facts = values(text, year=2024)
    assert (str(amount * 100_000_000 + 20_000_000), "元", "2024") in facts
    assert ("12.7", "%", "2024") in facts


@given(st.sampled_from(("〔存疑：？〕", "？")), st.integers(1, 3))
def test_a_rows_unit_whose_bracket_went_into_an_uncertain_mark(mark, whole):
    """研发投入强度〔存疑：？〕%)　2.18　2.71: a row's label whose unit lost its opening bracket to an unknown character
    still names the unit (a table of years, the rows' labels giving the units)."""
    text = (
        "主要指标进展如下：\n指标　2020年　2024年\n"
        f"研〔存疑：发投入强度〕{mark}%)　{whole}.18　{whole}.71\n高新技术企业（家）　812　1507\n"
    )
    facts = values(text, year=2025)
    assert (f"{whole}.18", "%", "2020") in facts
    assert (f"{whole}.71", "%", "2024") in facts
    assert ("1507", "家", "2024") in facts


@given(st.integers(1, 9), st.sampled_from(("面c", "；", "淀")))
def test_points_with_the_dot_garbled(tenths, after):
    """高出3.2个百分面c: 个百分 goes on to nothing but 点, so a figure before it, 点 garbled or lost, is in points (not
    a count of 个); 百分之 stays a share."""
    text = f"高新技术企业利润率高出全部规上工业企业3.{tenths}个百分{after}实现利润总额131亿元。"
    facts = values(text, year=2025)
    assert (f"3.{tenths}", "百分点", "2025") in facts
    assert not {f for f in facts if f[1] == "个"}
    assert ("30", "%", "2025") in values("全省研发人员中女性占百分之三十。", year=2025)


@given(st.integers(60, 79), st.integers(1, 9))
def test_an_index_value_after_a_city_the_page_redacted(whole, tenth):
    """；〔隐去〕市74.3，居第2位 and ，〔隐去〕市最低，为58.7: a city the page redacted is still a place named bare
    before an index's value, as 滢州市74.3 is; a redaction standing for no place (〔隐去〕74.3) gives nothing."""
    value = f"{whole}.{tenth}"
    text = f"全省11个设区市中，滢州市创新能力指数为86.7，居全省第1位；〔隐去〕市{value}，居第2位。"
    assert (value, "", "2026") in values(text, year=2026)
    low = f"从各市看，滢州市的综合指数最高，为86.7，〔隐去〕市最低，为{value}，差距较大。"
    assert (value, "", "2026") in values(low, year=2026)
    bare = text.replace("〔隐去〕市", "〔隐去〕")
    assert (value, "", "2026") not in values(bare, year=2026)
