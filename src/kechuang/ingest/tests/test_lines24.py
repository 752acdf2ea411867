"""Lines the site broke mid-sentence (issue #15.4, session 24 `lines24`): the site breaks a line between any
two Chinese characters (benchmarks/ingest/forward.py), short lines too (`四十\\n七家`, a year or a place cut
off from its figure); the punctuation step joins such a break unless the line before it is one of the
report's own lines that end without a mark: a heading, a table row, a list item, the title block, a date,
a caption, a signature."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kechuang.ingest.parsers import steps
from kechuang.ingest.parsers.edits import apply_edits

HEAD = "瓅湫省2025年科技工作总结\n各设区市科技局，各有关单位：\n"


def _run(text: str) -> str:
    return apply_edits(text, steps.punctuation_find_edits(text))


def _joined(text: str) -> list[int]:
    return [e.start for e in steps.punctuation_find_edits(text) if e.note == "句中断行"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a number broken: the line before holds a comma, or is the start of a paragraph's first sentence
        (
            "一、总体情况\n全年登记技术合同5218项，成交额一百二十\n七亿元。",
            "一、总体情况\n全年登记技术合同5218项，成交额一百二十七亿元。",
        ),
        (HEAD + "全年新增高新技术企业四十\n七家。", HEAD + "全年新增高新技术企业四十七家。"),
        # a year or a place cut off from its sentence
        (HEAD + "二〇二五\n年全省研发投入增长9.1%。", HEAD + "二〇二五年全省研发投入增长9.1%。"),
        ("全省研发投入增长。瓅湫\n市研发投入增长9.1%。", "全省研发投入增长。瓅湫市研发投入增长9.1%。"),
        # a table row broken in its first cell (the row before has cells)
        (
            HEAD + "全年工作顺利。\n指标\u30002025\u30002024\n高新技\n术产业投资\u300086.2\u300088.9",
            HEAD + "全年工作顺利。\n指标\u30002025\u30002024\n高新技术产业投资\u300086.2\u300088.9",
        ),
        # a traditional page, a half-width comma before the break
        (HEAD + "全年新增企業,共四十\n七家。", HEAD + "全年新增企業，共四十七家。"),
    ],
)
def test_a_break_the_site_put_in_is_joined(text, expected):
    assert _run(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # headings (with a comma too) and list items
        HEAD + "全年工作顺利。\n一、总体情况\n全年研发投入增长9.1%。",
        HEAD + "全年工作顺利。\n三、分流向看，技术净吸纳规模扩大\n全省输出技术合同268.5亿元。",
        HEAD + "全年工作顺利。\n（二）加强基础研究\n全年基础研究经费24.9亿元。",
        HEAD + "重点任务：\n一、加强基础研究\n二、推进成果转化\n三、深化开放合作\n全年任务完成。",
        # table rows and a table's title
        HEAD + "全年工作顺利。\n分地区研发经费情况\n地区\u3000经费\u3000增长\n栌江市\u300034\u30009",
        HEAD + "全年工作顺利。\n地区\u3000参评数\u3000优秀\n栌江市\u300034\u30009\n蓂江市\u300012\u30003",
        # title block, caption, date, signature
        "关于发布2026年度揭榜挂帅榜单的通知\n瓅湫省科学技术厅\n各有关单位：\n全年工作顺利。",
        HEAD + "全年工作顺利。\n单位：亿元\n领域\u30002024年",
        HEAD
        + "全年工作顺利。\n附件：瓅湫省农业科技创新基地名单\n瓅湫省科学技术厅\n瓅湫省统计局\n2025年12月1日",
        HEAD + "全年工作顺利。\n2024年3月28日\n一、科技投入",
        HEAD + "全年工作顺利。\n登记技术合同：11,372项\n技术合同成交额：426.9亿元",
    ],
)
def test_a_line_of_the_report_is_kept(text):
    assert _run(text) == text


_PARAGRAPH = st.text(alphabet="全省研发经费投入增长企业技术合同成交额项家亿元", min_size=2, max_size=30)


@settings(max_examples=200, deadline=None)
@given(
    first=_PARAGRAPH,
    second=_PARAGRAPH,
    heading=st.sampled_from(["一、总体情况", "（三）创新主体", "二、分地区看，楸原市一枝独秀"]),
    row=st.sampled_from(["栌江市\u300034\u30009", "合计\u3000120\u300031"]),
    cut=st.integers(min_value=1, max_value=29),
)
def test_a_break_in_a_paragraph_is_joined_and_the_report_lines_stay(first, second, heading, row, cut):
    """A report of a title block, a heading, a paragraph (`first，second。`), a table header and a row: its
    own lines are never joined; a break between two characters of the paragraph after its comma always is
    (the number, year or place on either side come back together)."""
    paragraph = f"{first}，{second}。"
    doc = f"{HEAD}全年工作顺利。\n{heading}\n{paragraph}\n地区\u3000经费\u3000增长\n{row}\n"
    assert _joined(doc) == []
    at = len(first) + 1 + min(cut, len(second) - 1)
    broken_paragraph = paragraph[:at] + "\n" + paragraph[at:]
    broken = doc.replace(paragraph, broken_paragraph)
    assert _run(broken) == doc
