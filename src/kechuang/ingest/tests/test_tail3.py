"""White space a report writes is kept by the repair (issue #15, session 14 `tail3`): neither the site nor
the sample inserts spaces, and an ideographic space or a run of spaces separates a table's cells written
as lines (dev3-08, dev3-02); joining them lost the table's facts."""

from kechuang.ingest.parsers import extract_facts, repair

TABLE = (
    "表1 2025年一季度科技创新主要指标（单位：亿元）\n"
    "指标名称\u3000一季度\u3000上年同期\u3000同比增长（%）\n"
    "规上工业企业研发费用\u300021.46\u300018.73\u300014.6\n"
    "技术合同成交额\u300014.25\u300010.91\u300030.6\n"
)


def test_cells_separated_by_ideographic_spaces_are_not_joined():
    result = repair(TABLE)
    assert "指标名称\u3000一季度\u3000上年同期\u3000同比增长（%）" in result.text


def test_cells_separated_by_runs_of_spaces_are_not_joined():
    page = "合同类别  合同数（项）  成交额（亿元）  比上年增长（%）\n技术开发  11842  385.2  18.6\n"
    assert repair(page).text.startswith("合同类别  合同数（项）  成交额（亿元）")


def test_the_facts_of_a_table_with_ideographic_spaces_survive_the_repair():
    naive = extract_facts(TABLE, year=2025)
    repaired = extract_facts(repair(TABLE).text, year=2025)
    key = {(f.value, f.unit) for f in naive}
    assert key  # the table gives facts when read as written
    assert key <= {(f.value, f.unit) for f in repaired}


def test_a_single_space_between_chinese_words_is_still_removed():
    assert repair("全省科技 创新能力持续提升。").text == "全省科技创新能力持续提升。"


def test_a_table_goes_on_past_a_row_whose_label_gap_the_damage_narrowed():
    """dev3-02 s0: the site ate a character of the first row's label and one of the two spaces after it;
    with the header's cells kept apart the row was one cell short and the whole table was dropped."""
    text = (
        "合同类别  合同数（项）  成交额（亿元）  比上年增长（%）\n"
        "技术科？ 11842  385.2  18.6\n"
        "技术转让  1206  96.7  27.4\n"
        "技术咨询  3318  22.9  9.8\n"
    )
    values = {(f.value, f.unit) for f in extract_facts(text, year=2024)}
    assert ("11842", "项") in {(str(v), u) for v, u in values}
    assert ("3318", "项") in {(str(v), u) for v, u in values}
    assert ("9.8", "%") in {(str(v), u) for v, u in values}
