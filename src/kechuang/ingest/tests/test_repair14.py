"""Garbled runs a GBK misdecode leaves without a lost byte or an aid are marked, so the page's uncertain
count is true (issue #15.3, session 21 `repair14`): `正!!绷硗` for 正常。”另外 (！ = A3 A1 straddles 常|。
and 。|”, the site wrote both `!`), a `？` right after a mark or a span marked before, a `？` glued to a
Latin letter before Chinese text (`评估?F将` for 评估。现将), a full-width Latin letter inside Chinese text,
and a `？` in a sentence that asks nothing. Clean text of the genre is never marked."""

from collections import Counter

import pytest

from kechuang.ingest.parsers import repair
from kechuang.ingest.tests import bench

forward = bench.load("forward.py")


def _marked(result) -> list[str]:
    return [c.before for c in result.changes() if c.note == "错位解码的乱码"]


@pytest.mark.parametrize("decoder", ["drop", "replace"])
def test_two_replaced_marks_inside_characters_are_marked_not_left(decoder):
    # the page as the forward model's site keeps it: full-width marks written in ASCII at the byte level
    data = forward._Bytes("他说设备运行正常。”另外，项目组还将开展测试。")
    forward._ascii_marks(data, Counter())
    page = forward.site_decode(bytes(data.buf), decoder)
    assert "!!绷硗" in page
    result = repair(page)
    assert "〔存疑：！!绷硗〕" in result.text
    assert result.uncertain_count >= 1


@pytest.mark.parametrize(
    ("page", "span"),
    [
        ("研发经费增长11.0%。?基础研究经费占比提高", "？基础研究经费占比提高"),  # after a sentence's end
        ("研究院?M博士27名。", "？M博士"),  # glued to a Latin letter (招 = D5 D0 … its trail shown)
        ("在南：Ｓ蚩沟暮灾，系统累计下潜", "Ｓ蚩沟暮灾"),  # a full-width letter inside Chinese text
        ("清洁能源中应用，装机容量?合计460兆瓦。", "？合计"),  # a sentence that asks nothing
        # ... where 模 (C4 A3) and 合 (BA CF) hold ： = A3 BA: the lost pair of a comma the site put before it
        # (repair20, `ghosts.py`), 模 marked
        ("清洁能源中应用，装机规模?合计460兆瓦。", "模"),
    ],
)
def test_each_signature_is_marked_uncertain(page, span):
    result = repair(page)
    assert f"〔存疑：{span}〕" in result.text, result.text
    assert result.uncertain_count >= 1


def test_a_question_mark_right_after_a_marked_span_joins_the_run_before_it():
    result = repair("带动新增产值超过600亿元?箩妒」?业和信息化厅已与我")
    assert result.uncertain_count >= 1
    assert "？" not in _OUTSIDE(result.text)


def _OUTSIDE(text: str) -> str:
    import re

    return re.sub(r"〔存疑：[^〕]*〕", "", text)


@pytest.mark.parametrize(
    "clean",
    [
        "这些成绩是怎么来的？靠的是真金白银的投入。",
        "记者：明年有什么打算？\n市长：明年，市里将继续加大投入。",
        "创新创业团队按A、B、C三类分别给予资助；评为A类的15家。",
        "计算省实验室建成E级异构自适应软件平台。谢谢大家！",
        "项目是否按期完成？由评估机构认定。",
        # a word said twice around 不/没 asks too (a report's own rhetorical question, then its answer)
        "资金到底够不够？不够，缺口还有三成。",
        "中试线能不能按期建成？能。",
        "结余经费可不可以跨年度使用？可以。",
        "去年有没有超额完成？没有。",
    ],
)
def test_clean_text_is_never_marked(clean):
    result = repair(clean)
    assert result.text == clean
    assert result.uncertain_count == 0


def test_the_corpus_clean_texts_get_no_mark():
    paths = sorted((bench.BENCH / "corpus").glob("dev*/*.txt"))[:60]
    assert paths
    for path in paths:
        assert not _marked(repair(path.read_text(encoding="utf-8"))), path.name


def test_an_ascii_mark_right_after_a_span_an_earlier_step_marked_is_marked():
    from kechuang.ingest.parsers import steps

    edits = steps.leftover_find_edits("电堆正在下降〔存疑：�〕!斑@款电堆的功率密度")
    assert [(e.before, e.after, e.uncertain) for e in edits] == [("!斑", "〔存疑：!斑〕", True)]


def test_an_ascii_mark_right_after_a_lost_byte_this_step_marks_is_marked():
    from kechuang.ingest.parsers import steps

    edits = steps.leftover_find_edits("电堆正在下降\ufffd!斑@款电堆的功率密度")
    assert [(e.before, e.after) for e in edits] == [("\ufffd", "〔存疑：\ufffd〕"), ("!斑", "〔存疑：!斑〕")]
