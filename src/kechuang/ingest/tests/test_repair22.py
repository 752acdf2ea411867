"""Report repair: a figure's first digit a `?` decoder ate, told by the report's own arithmetic, and a question's ？
read as a lost byte at the end of a run out of step (issue #15, session 24 `repair22`). Pages are made with the
forward model's decoder (benchmarks/ingest/forward.py `site_decode`): GBK bytes with a reading aid landed inside a
character, as the site's byte-level insertion leaves it."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from kechuang.ingest.parsers import repair
from kechuang.ingest.parsers.arith import HOLE, eaten_digit
from kechuang.ingest.tests import bench

forward = bench.load("forward.py")


def _aid_inside(text: str, ch: str, aid: str, decoder: str, ascii_marks: bool = True) -> str:
    """`text` with the aid `(aid)` landed between the bytes of the first `ch`, decoded by the site's decoder."""
    i = text.index(ch)
    own = ch.encode("gbk")
    data = text[:i].encode("gbk") + own[:1] + f"({aid})".encode("gbk") + own[1:] + text[i + 1 :].encode("gbk")
    if ascii_marks:
        data = data.replace("？".encode("gbk"), b"?")
    return forward.site_decode(data, decoder)


def _unmarked(text: str) -> str:
    return re.sub(r"〔存疑：([\u4e00-\u9fff]+)〕", r"\1", text)


def _hole(text: str, figure: str) -> str:
    i = text.index(figure)
    return text[:i] + HOLE + text[i + 1 :]


# ----------------------------------------------------------------------------- the relations, one by one

_FUNDS = "项目实际到位经费7.42亿元，其中省财政资金2.15亿元、企业自筹5.27亿元，企业投入是省财政资金的2.45倍。"


def test_parts_adding_to_the_total_and_a_ratio():
    assert eaten_digit(_hole(_FUNDS, "5.27")) == ("5", ["sum", "times"])
    assert eaten_digit(_hole(_FUNDS, "7.42"))[0] == "7"
    assert eaten_digit(_hole(_FUNDS, "2.45"))[0] == "2"


def test_growth_in_times_a_share_shares_to_100_a_difference_an_average():
    page = "全市涉海省级以上创新平台达到64家，比“十三五”末的29家增加了1.2倍。"
    assert eaten_digit(_hole(page, "1.2倍")) == ("1", ["times"])
    page = "全市技术合同成交额402.7亿元，增长18.1%。其中技术开发合同成交额221.5亿元，占55.0%。"
    assert eaten_digit(_hole(page, "221.5")) == ("2", ["share"])
    page = "指标分为五个方面，权重分别为25%、25%、30%、10%和10%。"
    assert eaten_digit(_hole(page, "30%")) == ("3", ["shares"])
    page = "规上工业企业研发费用38.9亿元，较去年同期的33.4亿元增加5.5亿元。"
    assert eaten_digit(_hole(page, "38.9")) == ("3", ["difference"])
    page = "全市共登记技术合同5274项，成交额213.6亿元，平均每项合同成交额405万元。"
    assert eaten_digit(_hole(page, "405万")) == ("4", ["average"])


def test_nothing_said_or_more_than_one_digit_leaves_the_hole():
    # a figure written once, no relation
    assert eaten_digit(_hole("全省共登记技术合同2.86万项，比上年增长12.2%。", "12.2")) is None
    # parts that do not add up to the total (其中 lists a few of them): no digit makes them
    assert eaten_digit(_hole("全年研发投入1.87亿元，其中科研项目经费9260万元。", "9260")) is None
    # a share over a count of eight: every digit of a two-digit share is a guess (the page's 8 is exact, 1 in 8
    # is 12.5%, but the part right before the share is what it is taken of)
    assert eaten_digit(_hole("已有8名经纪人达标，其中女性3名，占比为37.5%。", "37.5")) == ("3", ["share"])
    assert eaten_digit(_hole("其中女性3名，占比为37.5%。", "37.5")) is None


@settings(max_examples=200, deadline=None)
@given(
    parts=st.lists(st.integers(min_value=100, max_value=99_999), min_size=2, max_size=4),
    which=st.integers(min_value=0, max_value=4),
)
def test_a_sum_the_report_states_gives_back_the_eaten_digit_or_nothing(parts, which):
    total = sum(parts)
    names = "甲乙丙丁"
    listed = "、".join(f"{names[k]}市{v}万元" for k, v in enumerate(parts))
    page = f"全省科技经费合计{total}万元，其中{listed}。下一步继续加大投入。"
    figures = [str(total), *map(str, parts)]
    figure = figures[which % len(figures)]
    at = page.index(figure + "万元")
    view = page[:at] + HOLE + page[at + 1 :]
    found = eaten_digit(view)
    assert found is None or found[0] == figure[0]


@given(st.text(alphabet="0123456789.%亿万元合计其中、，。占倍增长了由到较上年的平均每项家", max_size=60))
def test_any_text_with_a_hole_gives_a_digit_or_nothing(text):
    found = eaten_digit(HOLE + text)
    assert found is None or (len(found[0]) == 1 and found[0].isdigit() and found[1])


# ----------------------------------------------------------------------------- on a `?` decoder's page


def test_the_eaten_digit_goes_in_the_mark_which_stays_counted():
    page = _aid_inside(_FUNDS, "筹", "chóu", "qmark")
    assert "?chóu)?.27亿元" in page, page
    result = repair(page)
    assert "〔存疑：5〕.27亿元" in result.text, result.text
    assert result.uncertain_edit_count == 1  # one edit showing two marks: the page counts 2 (repair37)
    assert result.uncertain_count == 2
    # the same figure with nothing to tell it: the mark keeps its ？
    alone = repair(_aid_inside("企业自筹5.27亿元，用于中试和产业化。", "筹", "chóu", "qmark"))
    assert "〔存疑：？〕.27亿元" in alone.text, alone.text


# ----------------------------------------------------------------------------- a question's ？

_ASKED = "记者：投入带来了什么变化？\n韦志恒：我们的产品良品率提高了。"


def test_a_question_mark_read_as_the_runs_lost_byte_is_given_back():
    # (a dropping decoder with the full-width ？ kept leaves nothing of it: `浠` then the line end, not read)
    for decoder, ascii_marks in (("drop", True), ("qmark", True), ("qmark", False)):
        page = _aid_inside(_ASKED, "了", "le", decoder, ascii_marks)
        assert "耸裁幢浠" in page, page
        # (a choice the dictionary could not make is marked, its reading inside: repair25's ties)
        assert "记者：投入带来了什么变化？\n" in _unmarked(repair(page).text), (decoder, ascii_marks, page)


def test_a_full_width_question_marks_lost_trail_is_not_a_comma():
    page = _aid_inside(
        "记者：全省在这方面有哪些新举措？\n杜明川：今年重点抓三件事。", "举", "jǔ", "qmark", False
    )
    assert page.endswith("俅耄?\n杜明川：今年重点抓三件事。"), page
    assert "有哪些新举措？\n" in repair(page).text


def test_a_line_that_asks_nothing_gets_no_question_mark():
    for decoder in ("drop", "qmark"):
        page = _aid_inside("一是加快推进科技成果转化\n二是强化企业创新主体地位。", "转", "zhuǎn", decoder)
        assert "？" not in repair(page).text.split("\n")[0]
