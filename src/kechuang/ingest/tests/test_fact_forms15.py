"""Issue #15 item 4: forms of facts the dev14 split showed at first sight (session 23, helper facts15), each read
from the genre's grammar. The sentences are written for the tests (fictional places), not copied from the corpus."""

from kechuang.ingest.parsers import extract_facts


def _read(text: str, year: int = 2025) -> set[tuple]:
    return {(f.kind, str(f.value), f.unit, f.period) for f in extract_facts(text, year=year)}


def _placed(text: str, year: int = 2025) -> set[tuple]:
    return {(str(f.value), f.unit, f.period, f.place) for f in extract_facts(text, year=year)}


def test_a_table_with_a_column_of_units():
    """指标名称　计量单位　2024年　比上年增长（%）: each row's unit cell (亿元, 家, 件) is the unit of the columns that
    name none of their own; the growth column keeps its %."""
    text = (
        "表1　2024年某市科技创新主要指标\n"
        "指标名称　计量单位　2024年　比上年增长（%）\n"
        "R&D经费支出　亿元　61.5　9.8\n"
        "高新技术企业　家　942　11.3\n"
        "发明专利授权量　件　1733　6.1\n"
    )
    facts = _read(text, 2024)
    assert ("money", "6150000000", "元", "2024") in facts
    assert ("percent", "9.8", "%", "2024") in facts
    assert ("count", "942", "家", "2024") in facts
    assert ("count", "1733", "件", "2024") in facts
    assert ("percent", "6.1", "%", "2024") in facts
    assert len(facts) == 6
