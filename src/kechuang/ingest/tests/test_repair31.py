"""Report repair (issue #15, session 30 `repair31`). Pages are damaged with the forward model's own byte-level
steps (benchmarks/ingest/forward.py: GBK bytes, the site's full-width marks made ASCII, a reading aid inserted
after every occurrence of a character's bytes, then the site's decoder)."""

import pytest

from kechuang.ingest.parsers import gbk, repair
from kechuang.ingest.tests import bench
from kechuang.ingest.tests.marks import as_read


# A full-width mark the site made ASCII where its bytes straddled two characters (`：` = A3 BA over 校|和 in 高校和,
# `！` = A3 A1 over 校|、): the first character's lead is lost, its trail is A3. 。 (A1 A3) ends a sentence more often
# than any other character ending in A3 stands there - but not after a character that ends no word while another
# of the lead's characters makes one with it (高 alone; 高校).
@pytest.mark.parametrize(
    ("clean", "expected"),
    [
        ("本次活動吸引高校和企業代表參加。", "吸引高校和企业"),
        ("省內外高校、科研院所均可參與。", "省内外高校、科研院所"),
    ],
)
def test_a_lost_lead_before_a_replaced_mark_completes_the_word_the_character_before_opens(clean, expected):
    page = bench.site(clean, "drop", [], ascii_marks=True)
    assert ":" in page or "!" in page, page
    out = repair(page).text
    assert expected in as_read(out), (page, out)
    assert "高。" not in out, out


@pytest.mark.parametrize("decoder", ["drop", "replace"])
def test_a_full_stop_after_a_word_stays(decoder):
    # 提高 ends a word: the lost character before `:` is the sentence's 。, though 高校 is a word too
    page = bench.site("今年的科研投入明顯提高。和去年相比增長較快。", decoder, [], ascii_marks=True)
    assert ":" in page, page
    out = repair(page).text
    assert "明显提高。和去年" in out, (page, out)


def test_the_word_across_a_stop():
    options = gbk._fill_options(gbk._BEFORE_FULLWIDTH)
    assert "校" in options and "。" in options
    assert gbk._word_across_stop("8.1%,高", options)  # 高校
    assert gbk._word_across_stop("各高等學", options)  # 高等學校, 學校
    assert not gbk._word_across_stop("明顯提高", options)  # 提高 ends a word
    assert not gbk._word_across_stop("提(tí)高", options)  # ... its aid taken out
    assert not gbk._word_across_stop("得分85分", options)  # a unit after a figure ends its clause
    assert not gbk._word_across_stop("(tí)高", options)  # what stands before 高 is not known
    assert not gbk._word_across_stop("12.1%", options)
    assert not gbk._word_across_stop("到", ("。", "嗎"))  # no option makes a word


# On a `?` decoder's page a `?` after text in step is an orphaned lead that took an ASCII byte along (a replaced
# mark: `高?涂` for 高校和, ： = A3 BA made `:` over 校|和); a lead alone that ate nothing cannot be, the decoder would
# have paired it with the byte after. One character after a mark the page shows is text in step: the decoder
# shows an ASCII mark only when it reaches it in step.
@pytest.mark.parametrize(
    ("clean", "aided", "expected"),
    [
        ("從賣方看，高校和科研院所輸出技術120項。", "", "看，高校和科研院所"),
        # 業's aid after it: the words before the mark are out of `_in_step_before`'s reach
        ("其中企業、高校或科研院所，近三年研發投入增長。", "業", "企业、高校或科研院所"),
    ],
)
def test_a_question_mark_after_one_character_after_a_shown_mark_ate_a_mark(clean, aided, expected):
    page = bench.site(clean, "qmark", list(aided), ascii_marks=True)
    assert "高?" in page, page
    out = repair(page).text
    assert expected in as_read(out), (page, out)


def test_after_a_shown_mark():
    from kechuang.ingest.parsers.mojibake import _after_a_shown_mark

    for text in ("二百七十億(yì),高?涂", "企業(yè)、高?蚩", "八成,;高?涂", "1.2%;高?涂"):
        assert _after_a_shown_mark(text, text.index("?")), text
    for text in (
        "全省高?涂",  # no mark: the words before tell (`_in_step_before`)
        "八成?;高?涂",  # the mark after a broken byte
        "成;蚩高?涂",  # two characters after the mark
        "�,高?涂",  # a mark after a lost byte
        ",高?涂",  # nothing before the mark
    ):
        assert not _after_a_shown_mark(text, text.rindex("?")), text


# The same lost lead on a page whose decoder shows U+FFFD for it (`100分�,F將`: ， = A3 AC made `,` over 。|現, the
# orphaned A1 shown): 。 as on the other pages, where the character before ends its clause (a unit after a figure)
@pytest.mark.parametrize(
    ("clean", "expected"),
    [
        ("滿分100分。現將結果公佈如下。", "满分100分。现将结果"),
        ("本季度綜合得分為85分。科研人員共計百人。", "85分。科研人员"),
    ],
)
def test_a_lost_lead_shown_before_a_replaced_mark_after_a_unit_is_a_full_stop(clean, expected):
    page = bench.site(clean, "replace", [], ascii_marks=True)
    assert "\ufffd" in page, page
    out = repair(page).text
    assert expected in out, (page, out)
    assert "分校" not in out, out


def test_a_word_across_the_stop_is_told_behind_the_aid_before_it():
    # 與's aid stands between 團隊與 and 高: the word test reads past it (与高 is none, 高校 is one)
    page = bench.site("研發團隊與高校合作，從材料體系入手。", "replace", ["與"], ascii_marks=True)
    assert "(yǔ)高\ufffd:" in page, page
    out = repair(page).text
    assert "与高校合作" in as_read(out), (page, out)
