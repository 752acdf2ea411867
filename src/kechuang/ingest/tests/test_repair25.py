"""Report repair: a choice the dictionary and the character model cannot make is marked uncertain with its reading
inside (`下一〔存疑：代〕`), and a ！ a site wrote as `!` over the bytes of 。” or 。“ is given back (issue #15.3,
session 25 `repair25`). Pages are made with the forward model's decoder (benchmarks/ingest/forward.py
`site_decode`) from GBK bytes changed as the site changes them."""

import re

import pytest

from kechuang.ingest.parsers import gbk, repair, steps
from kechuang.ingest.tests import bench

forward = bench.load("forward.py")


def _aid_inside(text: str, ch: str, aid: str, decoder: str) -> str:
    """`text` with the aid `(aid)` landed between the bytes of the first `ch`, decoded by the site's decoder."""
    i = text.index(ch)
    own = ch.encode("gbk")
    data = text[:i].encode("gbk") + own[:1] + f"({aid})".encode("gbk") + own[1:] + text[i + 1 :].encode("gbk")
    return forward.site_decode(data, decoder)


def _ascii_marks(text: str, decoder: str) -> str:
    """`text` with its ！：， written as ASCII marks at the byte level (where their bytes straddle two
    characters too), decoded by the site's decoder."""
    data = text.encode("gbk")
    for full, ascii_ in (("！", b"!"), ("：", b":"), ("，", b",")):
        data = data.replace(full.encode("gbk"), ascii_)
    return forward.site_decode(data, decoder)


# ----------------------------------------------------------------------------- ties


_NEXT = "二、主要成效\n略。\n三、下一步\n到年底，力争新增高新技术企业200家。"


@pytest.mark.parametrize("decoder", ["drop", "qmark", "replace"])
def test_a_lost_trail_two_words_fit_is_marked_not_guessed_silently(decoder):
    # 一's trail BB and 步's lead B2 spell 徊 (huái), whose aid landed inside 步: the leads huái allows (徊 B2, 淮
    # B4) give 下一步 and 下一代 with 步's trail lost at the line end; both are words, nothing on the page tells
    page = _aid_inside(_NEXT, "步", "huái", decoder)
    assert "下一" in page and "下一步" not in page, page
    result = repair(page)
    assert re.search(r"三、下一〔存疑：[代步]〕\n到年底", result.text), result.text
    assert result.uncertain_count >= 1


def test_what_a_tie_is():
    ties: dict = {}
    gbk.note_tie(ties, "一", "代", "步", "\n", 1, -1.0)  # one character more covered, the model against it
    gbk.note_tie(ties, "型", "化", "机", "重", 0, 0.4)  # as many covered, the model all but indifferent
    gbk.note_tie(ties, "甲", "乙", "丙", "丁", 0, 0.6)  # as many covered, the model for it: not a tie
    gbk.note_tie(ties, "戊", "己", "庚", "辛", 1, 0.0)  # one more covered, the model indifferent: not
    gbk.note_tie(
        ties, "项", "，浮", "。浮", "财", 0, 0.0
    )  # a mark against a mark: the punctuation's business
    gbk.note_tie(ties, "项", "，浮", "，财", "整", 0, 0.0)  # only the characters where the two differ
    assert set(ties) == {("一", "代", "\n"), ("型", "化", "重"), ("，", "浮", "整")}


def test_a_mark_of_chinese_characters_is_read_through_by_the_garble_check():
    # a question after a tie's mark still asks (the ？ is not a lost byte after a span marked before) ...
    assert steps.leftover_find_edits("记者：投入带来了什么变〔存疑：化〕？\n韦志恒：") == []
    # ... while a ？ after a marked garbled run still is one
    assert steps.leftover_find_edits("600亿元〔存疑：？箩妒」〕？业")


# ----------------------------------------------------------------------------- ！ over 。” and 。“


def test_a_bang_over_a_full_stop_and_a_closing_quotation_mark():
    # 。” = A1 A3 A1 B1: the site wrote the ！ its middle bytes spell as `!`; a dropping decoder loses 。's lead and
    # ”'s trail unseen, and the page reads as a ！ at the end of a line whose quotation is not closed
    page = _ascii_marks(
        "老周给记者算起了账：“一亩能卖到八千多块，好的地块还要多。”\n变化是一点点攒出来的。", "drop"
    )
    assert "还要多!\n" in page, page
    result = repair(page)
    assert "好的地块还要多。”\n变化是一点点攒出来的。" in result.text, result.text
    assert result.uncertain_edit_count >= 1


def test_a_bang_over_a_full_stop_and_an_opening_quotation_mark():
    page = _ascii_marks("全年发电量达到12.6亿千瓦时。“7×24小时连续运行”是这套系统的底气。", "drop")
    assert "千瓦时!7" in page, page
    assert "亿千瓦时。“7×24小时连续运行”是这套系统的底气。" in repair(page).text


def test_a_bang_that_closes_nothing_stays_a_bang():
    page = _ascii_marks("他说：“我们成功了！”\n我们成功了！\n下一步继续攻关。", "drop")
    text = repair(page).text
    assert "我们成功了！”\n我们成功了！\n下一步" in text, text


# ----------------------------------------------------------------------------- facts read through a choice's mark


def test_facts_read_a_choice_mark_as_its_reading():
    from kechuang.ingest.parsers import extract_facts

    text = "记者了解到，“〔存疑：去〕年合作社卖茶卖了一百二十多万，今年估计能到两百万。”\n全省技术合同成交额402.7亿元。"
    facts = extract_facts(text, year=2025)
    assert [(str(f.value), f.period) for f in facts] == [
        ("1200000", "2024"),
        ("2000000", "2025"),
        ("40270000000", "2025"),
    ]
    for f in facts:
        # every offset in the text as it stands, a sentence that holds a mark holds all of it
        assert text[f.start : f.end] in ("一百二十多万", "两百万", "402.7亿元")
        assert text[f.sentence_start : f.sentence_end].strip() == f.quote
    assert facts[0].quote.startswith("记者了解到，“〔存疑：去〕年")
