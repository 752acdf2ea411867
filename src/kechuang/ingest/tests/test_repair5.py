"""Report repair on the dev4 split's damage (issue #15, session 15 `repair5`): what a reading aid that landed
inside a character leaves never stays in the text, and a lost lead byte's trail letter with its own aid
names its character."""

import re

from kechuang.ingest.parsers import repair
from kechuang.ingest.parsers.steps import leftover_find_edits

_AID_TAIL = re.compile(r"[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}[)）]")


def test_an_aid_tail_after_a_lost_byte_after_a_mark_goes():
    """dev4-05 s1: `；揭` straddled by 唤 (BB BD): its aid landed between 揭's bytes, the `?` decoder ate
    the lead with the aid's `(`, and `huàn)` stayed in the text after the uncertainty mark."""
    result = repair("平均每项榜单约3份,;?huàn)?jīng)专家评审，成功揭榜24项。")
    assert not _AID_TAIL.search(result.text), result.text
    assert "专家评审，成功揭榜24项" in result.text
    assert result.uncertain_count >= 1


def test_an_aid_tail_right_after_a_marked_span_is_taken_out_and_counted():
    edits = leftover_find_edits("约3份；〔存疑：?〕huàn)专家评审")
    assert [(e.before, e.after, e.uncertain) for e in edits] == [("huàn)", "", True)]


def test_a_trail_letter_after_a_lost_byte_with_its_own_aid_is_its_character():
    """dev4-05 s1: 。現 (A1 A3 AC 46): the `?` decoder kept only 現's trail byte, `F`, then 現's aid."""
    result = repair("带动发榜企业投入2.9亿元?F(xiàn)将部分揭榜结果公示如下：")
    assert "F(" not in result.text and "xiàn" not in result.text, result.text
    # (the `?` is 。's orphaned A1 with the replaced ， (A3 AC) it ate: read back whole since repair8, counted)
    assert "2.9亿元。现将部分揭榜结果" in result.text, result.text
    assert result.uncertain_edit_count >= 1


def test_a_trail_letter_after_chinese_with_its_own_aid_is_the_commonest_such_character():
    """業 = 98 49: of the characters read yè whose trail byte is `I` (嶪, 業, 擨) the commonest."""
    result = repair("全省高新技术企雌髽I(yè)数量达到1200家。")
    assert "(yè)" not in result.text
    assert "业" in result.text


def test_an_aid_inside_a_paragraphs_last_mark_reads_as_a_full_stop():
    """dev4-01 s4 (commas): 摇 (D2 A1) straddled 家|。 and its aid landed inside 。; the drop decoder lost
    the mark's trail at the line end. 遥 (D2 A3) reads yáo too, so the lead may be A3 (，) as well: a
    paragraph ends on 。, not on a comma."""
    result = repair(
        "年末全省共有省级以上科技企业孵化器72家和众创空间74家(yáo)\n组织实施省级科技计划项目1000项。"
    )
    assert "74家。\n" in result.text, result.text


def test_a_guess_closing_on_a_lost_pair_before_a_measure_word_is_marked_in_the_text():
    """dev4-05 s1: the `?` before 項 held 榜's trail with the ASCII 5 after it; the reading guessed three
    bytes (家白马杨) and the figure was gone with nothing in the text to say so."""
    result = repair("高校11項,、企業7項,;省外單(dān)位?huàn)野?項,佔比約兩成。")
    assert re.search(r"省外单位〔存疑：[^〕]+〕", result.text), result.text
    assert result.uncertain_count >= 1
