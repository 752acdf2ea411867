"""Report repair (issue #15, session 31 `repair32`). Pages are damaged with the forward model's own byte-level
steps (benchmarks/ingest/forward.py: GBK bytes, the site's full-width marks made ASCII, a reading aid inserted
after every occurrence of a character's bytes, then the site's decoder)."""

import pytest

from kechuang.ingest.parsers import inserts, repair
from kechuang.ingest.tests import bench
from kechuang.ingest.tests.marks import as_read


# An aid inside a character before a Latin word: 度 = B6 C8 straddles 投|入 (投 = CD B6, 入 = C8 EB), the dropping
# decoder loses the orphaned C8 before the aid's `(`, and reads 入's trail EB with the R after it (隦 = EB 52). Re-read,
# the run is 入R - clean prose before `&D`, not a reading to replace by one with a pair lost (投数码R&D).
@pytest.mark.parametrize(
    ("clean", "expected"),
    [
        ("今年全市共投入R&D經費120億元，增長較快。", "共投入R&D经费"),
        ("企業研發投入R&D經費佔比提高。", "研发投入R&D经费"),
    ],
)
def test_a_run_after_an_aid_that_ends_on_a_latin_word_reads_clean(clean, expected):
    page = bench.site(clean, "drop", ["度"])
    assert "投(dù)隦&D" in page, page
    out = repair(page).text
    assert expected in out, (page, out)


def test_before_a_latin_word():
    assert inserts._before_latin_word("入R", "&") == "入"
    assert inserts._before_latin_word("入RD", "1") == "入"
    assert inserts._before_latin_word("入R", "经") == "入R"  # a letter the page does not go on from
    assert inserts._before_latin_word("闭f", ",") == "闭f"  # a traditional character's trail read out of step
    assert inserts._before_latin_word("R", "&") == "R"  # nothing Chinese before it


# On a `?` decoder's page a `?` is an orphaned lead that took the ASCII byte after it along, or a pair the decoder
# could not map; a lead alone before a trail byte would have been paired with it. After a digit the decoder is in
# step (no GBK character ends in a digit's byte), so the one character after the digit is read in step and the `?`
# after it ate a mark (？ = A3 BF over 。|科, the `?` written for it): 家。科技型, not 家科技型 with 。 lost.
@pytest.mark.parametrize(
    ("clean", "expected"),
    [
        ("全市新增企業263家。科技型中小企業評價入庫3508家。", "263家。科技型中小企业"),
        ("全市共有企業35家。科技型中小企業評價入庫。", "35家。科技型中小企业"),
    ],
)
def test_a_question_mark_one_character_after_a_digit_ate_a_mark(clean, expected):
    page = bench.site(clean, "qmark", ["中"], ascii_marks=True)
    assert "家?萍夹椭" in page, page
    out = repair(page).text
    assert expected in as_read(out), (page, out)


def test_after_a_digit_is_in_step():
    from kechuang.ingest.parsers.mojibake import _after_a_shown_mark

    for text in ("增加263家?萍", "增長12%家?萍"):
        assert _after_a_shown_mark(text, text.index("?")), text
    # two characters after the digit; none; a private-use character (a broken byte) after it
    for text in ("增加263萍夹?萍", "增加263?萍", "增加263\ue000?萍"):
        assert not _after_a_shown_mark(text, text.index("?")), text


def _with_commas(clean: str, marks: str, decoder: str = "drop") -> str:
    """`clean` as a site keeps it that inserts a comma before every occurrence of `marks`' bytes (forward.py)."""
    from collections import Counter

    forward = bench.load("forward.py")
    data = forward._Bytes(clean)
    forward._commas(data, {"comma_marks": list(marks)}, Counter())
    return forward.site_decode(bytes(data.buf), decoder)


# A comma the site inserted before a mark whose bytes straddled two characters X|Y (X's trail A1, Y's lead the mark's
# second byte: ” = A1 B1 over 场|保, 。 = A1 A3 over 住|，): X's lead reads with the comma's A3 (X'), the comma's AC
# with A1 is a pair GBK does not map, and a dropping decoder loses it without a trace - X' stands right before Y.
@pytest.mark.parametrize(
    ("clean", "marks", "expected"),
    [
        # the page writes ” after a comma everywhere: its site's habit, shown - X read back, sure
        ("上半年，全省技术市场保持较快增长。他说：“好。”她说：“行。”", "”", "全省技术市场保持"),
        # 。 after a comma on the page too
        ("科技人才留不住，县级财政投入压力较大。他说：好。她说：行。", "。", "科技人才留不住，"),
        # no ” on the page: the words and the character model alone, X marked
        ("全省财政科技支出214.3亿元，其中省本级98.6亿元，增长12.7%。", "”", "其中〔存疑：省〕本级"),
    ],
)
def test_a_comma_inserted_inside_a_character_on_a_dropping_page_leaves_no_trace_but_x(clean, marks, expected):
    page = _with_commas(clean, marks)
    assert any(c in page for c in "常祝剩"), page
    out = repair(page).text
    assert expected in out, (page, out)


def test_an_x_the_page_writes_without_the_habit_stays():
    from kechuang.ingest.parsers import ghosts

    # ” stands without a comma on this page: the site inserts none before it, 剩本 stays as written
    page = "全省剩本级支出。他说：“好。”她说：“行。”"
    assert ghosts.silent_ghost_edits(page) == []
    # a page whose decoder shows its lost bytes shows the pair (`comma_ghost_edits`), not this
    assert ghosts.silent_ghost_edits("其中剩本级\ufffd，") == []
