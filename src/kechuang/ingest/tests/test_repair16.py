"""Report repair of the character before a figure (issue #15, session 22 `repair16`). Pages are damaged with the
forward model's own byte-level steps (benchmarks/ingest/forward.py: GBK bytes, reading aids inserted after every
occurrence of their character's bytes, full-width marks written in their ASCII form, then the decoder).

A lost byte right before a figure - a digit on the page, or one a `?` decoder ate with the orphaned lead - leaves
options the dictionary ties and the character model hardly tells apart. The table of what the reports write right
before a figure (`data/figures_train.tsv`, counted from the train split by build_charlm.py; `parsers/figures.py`)
tells them apart: 为 before 2.31% (not 稳 of 强度稳步), 提高到 before 5% (not the word 高地), 的第 before 38位 (not
the character 地). And 於, the traditional reports' 于, is no longer refused as a suspicious character."""

from collections import Counter

import pytest

from kechuang.ingest.parsers import figures, repair
from kechuang.ingest.tests import bench
from kechuang.ingest.tests.marks import as_read

forward = bench.load("forward.py")
build_charlm = bench.load("corpus/build_charlm.py")

# a `?` page needs one broken `?` the step reads as lost (an aid inside a character: 缣 = E7 CC straddles 寸|碳,
# its aid lands inside 碳), or it reads its `?` marks as written ones
_HEAD = "大尺寸碳化硅单晶衬底项目。"


def _site(text: str, decoder: str = "qmark", aided: tuple[str, ...] = ()) -> str:
    data = forward._Bytes(_HEAD + text)
    forward._ascii_marks(data, Counter())
    forward._aids(data, ["缣", *aided], Counter())
    return forward.site_decode(bytes(data.buf), decoder)


def test_the_character_before_an_eaten_digit_is_the_one_reports_write_before_a_figure():
    # the run read out of step closes on 为's lead, orphaned by the `2` of 2.31%, which the decoder ate with it:
    # the character model, taught 强度稳步提高 by the train split, read 稳
    page = _site("全省研发经费投入强度为2.31%，比上年提高0.12个百分点。")
    assert "慷任?.31%" in page
    out = repair(page).text
    assert "强度为〔存疑：？〕.31%" in as_read(out)


def test_a_word_the_reports_write_before_a_figure_wins_over_a_dictionary_word():
    # 到's lead orphaned by the `5`: 高地 is a dictionary word, 提高到 is what the reports write before a figure
    page = _site("研发投入比例提高到5%。")
    assert "岣叩?%" in page
    out = repair(page).text
    assert "提高到〔存疑：？〕%" in as_read(out) and "高地" not in out


@pytest.mark.parametrize("decoder", ["replace", "drop"])
def test_the_character_before_a_figure_on_the_page_is_chosen_by_the_reports_habit(decoder):
    # 的第 = B5 C4 B5 DA read one byte out of step (牡 = C4 B5) up to the figure: 第's trail is lost before 38;
    # its lead B5 begins 地 as well as 第, and the dictionary ties them
    page = _site("我市综合科技创新水平由上年的第38位上升至第20位。", decoder)
    assert "甑牡" in page and "38位" in page
    out = repair(page).text
    assert "由上年的第38位" in as_read(out)


def test_a_traditional_pages_yu_before_a_figure_is_an_option():
    # 於 (EC B6, GB2312 level 2) is the traditional reports' 于; as a suspicious character it was no option, and the
    # lead EC orphaned by the `2` of 2021年 could only give 鞏
    page = _site("該創新中心成立於2021年，現有科研人員300人。")
    assert "闪㈧?021年" in page
    out = repair(page).text
    assert "成立于〔存疑：？〕021年" in as_read(out) and "巩" not in out


def test_a_character_that_makes_a_word_with_the_one_before_is_not_replaced_on_one_characters_evidence():
    # 比 (占比) is never written before a figure in the train split and 本 (资本) often is; the character alone
    # (本 stands before a figure in a third of its uses) does not outweigh the word
    keys = [(9, True, -3, 0.0, 1.0), (9, True, -3, 0.0, 1.0)]
    assert figures.choose("高技术产业产值占", ("比", "本"), keys, 0) == 0
    # ... where the character before makes no word with it, one the reports write before figures far more
    # often takes the place (为: 165 of its 228 uses in the train split)
    assert figures.choose("投入强度", ("稳", "为"), keys, 0) == 1


def test_the_figure_table_is_what_its_builder_makes_from_the_train_split():
    assert build_charlm.main(["--check"]) == 0
    rows = figures._rows()
    assert rows["为"][0] >= figures._FIG_MIN and rows["的第"][0] == rows["的第"][1]
    # strings only: no digit, mark or Latin letter is counted as a word before a figure
    assert all("\u4e00" <= c <= "\u9fff" for w in rows for c in w)
