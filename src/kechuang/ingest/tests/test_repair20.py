"""Report repair where a site's comma went in between two characters that stayed in step (issue #15, session 23
`repair20`). Pages are damaged with the forward model's own byte-level steps (benchmarks/ingest/forward.py: GBK
bytes, a full-width comma inserted before every occurrence of a mark's bytes, then the site's decoder)."""

from collections import Counter

from kechuang.ingest.parsers import repair
from kechuang.ingest.parsers.ghosts import comma_ghost_edits
from kechuang.ingest.tests import bench
from kechuang.ingest.tests.marks import as_read

forward = bench.load("forward.py")


def _site(text: str, decoder: str, marks: list[str]) -> str:
    """`text` as such a site keeps it: a comma before every occurrence of each mark's bytes."""
    data = forward._Bytes(text)
    forward._commas(data, {"comma_marks": marks}, Counter())
    return forward.site_decode(bytes(data.buf), decoder)


# 校 = D0 A3 and 和 = BA CD: ： = A3 BA straddles 高校|和. The comma (A3 AC) goes in between 校's bytes: D0 A3 reads
# 校 again, AC A3 is a pair GBK does not map (the `?`), and 和 reads in step. Nothing of the text is lost.
_PAGE = (
    "从结果看，高校和科研院所牵头的项目占57.1%。主要指标如下：研发投入、专利授权：均有增长。具体如下：略。"
)


def test_a_comma_between_two_characters_in_step_leaves_nothing_lost():
    for decoder, shown in (("qmark", "高校?和"), ("replace", "高校\ufffd和")):
        page = _site(_PAGE, decoder, ["："])
        assert shown in page and page.count("，：") == 3, page
        result = repair(page)
        assert "从结果看，高校和科研院所牵头的项目占57.1%。" in result.text, result.text
        assert "存疑" not in result.text.split("。")[0], result.text


# The same straddle on a page that never shows a comma before ： (the mark is rare on it): the bytes alone
# say what the lost pair was; taken, 校 marked uncertain in the text and counted.
def test_without_the_pages_own_evidence_the_reading_counts_uncertain():
    page = _site("从结果看，高校和科研院所牵头的项目占57.1%。", "qmark", ["："])
    assert "高校?和" in page, page
    result = repair(page)
    assert "高〔存疑：校〕和科研院所" in result.text, result.text
    assert result.uncertain_count == 1


# ” = A1 B1: an ideographic space before 本 (B1 BE) straddles with it; the comma's A3 replaces the space's trail,
# so the page shows 。 (A1 A3) and a lost pair: `第六条。?本办法` for 第六条　本办法.
def test_a_character_whose_trail_the_comma_replaced_is_read_back():
    text = "第五条　“申报”“认定”“公示”均按程序办理。\n第六条　本办法由市科技局负责解释。"
    page = _site(text, "qmark", ["”"])
    assert "第六条。?本办法" in page, page
    edits = comma_ghost_edits(page.replace("?", "\ufffd"))
    assert [(e.before, e.after, e.uncertain) for e in edits] == [("。\ufffd", "\u3000", False)]
    assert "第六条本办法由市科技局负责解释" in repair(page).text.replace("\u3000", "").replace(" ", "")


# A page that writes ： without a comma before it does not have its site insert one there: a lost pair between
# 校 and 和 is something else, and left marked.
def test_a_mark_the_page_writes_without_a_comma_is_not_taken():
    page = "主要指标如下：研发投入增长。结果：良好。从结果看，高校?和科研院所牵头的项目占57.1%。"
    assert comma_ghost_edits(page.replace("?", "\ufffd")) == []


# Inside a run read out of step, a lost pair after a character ending in A3 is the run's, not a comma's.
def test_a_lost_pair_inside_a_garbled_run_is_not_taken():
    page = "，，：，，：第一百零状瓮黄瓢偌遥\ufffd蝗霂炜萍夹椭行∑髽I(yè)214家，同比增長兩成以上。"
    assert comma_ghost_edits(page) == []


def _ascii_site(text: str) -> str:
    """`text` as a site keeps it that writes its full-width marks as ASCII ones, read by a `?` decoder."""
    data = forward._Bytes(text)
    forward._ascii_marks(data, Counter())
    return forward.site_decode(bytes(data.buf), "qmark")


# ： = A3 BA straddles 高校|和 (校 = D0 A3, 和 = BA CD) and the site writes `:` for it: 校's lead D0 is orphaned, and
# the `?` decoder shows it with the `:` it ate; the rest reads one byte out of step. A lost lead that ate nothing
# (低 = B5 CD, read with the run's first byte CD) would have been paired with that byte and shown no `?`, so after
# text in step it counts as one guess more, as the eaten mark does; the mark's guess that ties (：, making 和,
# or ；, making 煌) is the commoner character.
def test_a_qmark_after_text_in_step_ate_the_replaced_mark():
    cases = [
        ("占比超过八成；高校和科研院所输出31.5亿元，同比增长26.4%。", "高?涂蒲性核", "高校和科研院所"),
        ("占84.2%；高等学校和科研机构作为卖方的成交额分别为41.7亿元。", "高等学?涂蒲", "高等学校和科研"),
        (
            "申报单位为注册的企业、高校或科研院所，近3年研发投入不低于500万元。",
            "高?蚩蒲性核",
            "高校或科研院所",
        ),
    ]
    for text, shown, read in cases:
        page = _ascii_site(text)
        assert shown in page, page
        assert read in as_read(repair(page).text), repair(page).text


# After a run read out of step the `?` is an unmapped pair (the last character's trail and the next one's lead),
# and a lost lead alone is a reading like any other: not charged (`_in_step_before`).
def test_the_text_before_must_read_in_step():
    from kechuang.ingest.parsers.mojibake import _in_step_before

    assert _in_step_before("八成;高") and _in_step_before("84.2%;高等学")
    assert not _in_step_before("⒖蒲性核") and not _in_step_before("蒲性核")


# A year's first digit eaten by a `?` decoder: the orphaned lead of 午 (its trail lost to an aid inside it) took
# the ASCII 2 along. The page writes 2025年 elsewhere and no other year ending in 025: the digit is that one,
# put in the mark, which stays (the page still counts it uncertain).
def test_an_eaten_year_digit_the_page_writes_in_full_elsewhere():
    from kechuang.ingest.parsers.figures import eaten_year_digit

    page = "2025年工作要点。\n5月27日上午?shū)?025年漪岘省科技活动周开幕。"
    assert eaten_year_digit(page, page.index("?025") + 1) == "2"
    # (repair24: a page that writes no 2021年 still tells the century by its other years: 2027年 → 20)
    assert eaten_year_digit("成立于?021年，2027年建成。", 4) == "2"
    assert eaten_year_digit("成立于?021年，2027年、1027年。", 4) is None
    assert eaten_year_digit("成立于?021年。", 4) is None
    assert eaten_year_digit("2021年、1021年?021年", 12) is None
    text = repair(page).text
    assert "〔存疑：2〕025年" in text, text
