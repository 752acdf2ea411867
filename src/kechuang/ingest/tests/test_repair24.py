"""Report repair and extraction: digits a `?` decoder ate before a figure (issue #15, session 25 `repair24`).

A `?` decoder shows an orphaned lead byte as `?` and takes the ASCII byte after it along: at the end of a run read out
of step (an aid landed inside a character earlier in the run), the last character's trail is that lead and the byte
it takes is the figure's first digit. No byte of the page holds it; the report's own arithmetic or its own years
tell it where they tell it (the digit is put in the mark, which stays and is counted), and a figure read with the
digit its mark holds is proposed, its quote showing the mark. Pages are made with the forward model's decoder
(benchmarks/ingest/forward.py `site_decode`)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from kechuang.ingest.parsers import repair
from kechuang.ingest.parsers.arith import HOLE, eaten_digit
from kechuang.ingest.parsers.extract import extract_facts
from kechuang.ingest.parsers.figures import eaten_year_digit
from kechuang.ingest.tests import bench
from kechuang.ingest.tests.marks import as_read

forward = bench.load("forward.py")


def _aid_inside(text: str, at: str, decoder: str = "qmark") -> str:
    """`text` with a reading aid landed between the bytes of the character `at` starts with (its first place), as the
    forward model puts it: the aid of the character the last byte before it and its lead make (a straddle, forward.py
    `_aid_list`), after those two bytes; decoded by the site's decoder."""
    i = text.index(at)
    head, own = text[:i].encode("gbk"), text[i].encode("gbk")
    straddled = (head[-1:] + own[:1]).decode("gbk")
    aid = forward._aid(straddled)
    assert aid, straddled
    data = head + own[:1] + f"({aid})".encode("gbk") + own[1:] + text[i + 1 :].encode("gbk")
    return forward.site_decode(data, decoder)


def _hole(text: str, figure: str) -> str:
    i = text.index(figure)
    return text[:i] + HOLE + text[i + 1 :]


# ----------------------------------------------------------------------------- an average over the paragraph

_CONTRACTS = (
    "2024年，全市共登记技术合同5274项，成交额213.6亿元，分别比上年增长8.6%和17.9%；技术交易额158.4亿元。"
    "平均每项合同成交额405万元，比上年提高约三十二万元。"
)


def test_an_average_whose_count_and_total_stand_two_sentences_up():
    # 213.6亿元 ÷ 5274项 = 405.0万元: the count's and the average's digit, each alone
    assert eaten_digit(_hole(_CONTRACTS, "5274")) == ("5", ["average"])
    assert eaten_digit(_hole(_CONTRACTS, "405万")) == ("4", ["average"])
    # ... not across paragraphs
    split = _CONTRACTS.replace("。平均", "。\n平均")
    assert eaten_digit(_hole(split, "405万")) is None
    # ... nor from figures written to fewer than three significant digits (5000项, 21亿元: any digit is close)
    assert (
        eaten_digit(
            _hole("共登记技术合同5000项，成交额21亿元；交易额15亿元。平均每项合同成交额42万元。", "42万")
        )
        is None
    )


# ----------------------------------------------------------------------------- a list's parts after its total


_RATED = "参评孵化器128家，其中国家级31家。评价结果为优秀的26家、良好的54家、合格的41家、不合格的7家。"


def test_the_parts_a_sentence_lists_add_up_to_the_total_of_the_sentence_before():
    assert eaten_digit(_hole(_RATED, "54家")) == ("5", ["list"])
    assert eaten_digit(_hole(_RATED, "7家")) == ("7", ["list"])
    # (the total's own digit is not looked for in the sentence after it)
    assert eaten_digit(_hole(_RATED, "128")) is None
    assert eaten_digit(
        _hole("本次参评实验室48家。评估结果：优秀9家，良好27家，合格10家，不合格2家。", "27家")
    ) == (
        "2",
        ["list"],
    )


def test_a_list_after_two_figures_of_its_unit_or_two_parts_only_is_no_sum():
    # two figures of the unit before (11项, 4项), neither said to be the total: no relation
    page = "从牵头单位看，企业牵头11项，高校院所牵头4项；从地区看，楝江市6项、荭阳市4项、其他5项。"
    assert eaten_digit(_hole(page, "6项")) is None
    # two parts only (a list of two is as often a part and another figure)
    assert eaten_digit(_hole("参评孵化器40家。优秀的15家、良好的25家。", "25家")) is None


@settings(max_examples=200, deadline=None)
@given(
    parts=st.lists(st.integers(min_value=1, max_value=999), min_size=3, max_size=5),
    which=st.integers(min_value=0, max_value=5),
)
def test_a_listed_sum_gives_back_the_eaten_digit_or_nothing(parts, which):
    names = ["优秀的", "良好的", "合格的", "基本合格的", "不合格的"]
    listed = "、".join(f"{names[k]}{v}家" for k, v in enumerate(parts))
    page = f"参评机构{sum(parts)}家。评价结果为{listed}。"
    figures = [str(sum(parts)), *map(str, parts)]
    figure = figures[which % len(figures)]
    at = page.index(figure + "家") if figure != figures[0] else page.index(figure)
    found = eaten_digit(page[:at] + HOLE + page[at + 1 :])
    assert found is None or found[0] == figure[0]


# ----------------------------------------------------------------------------- a year's century


def test_a_year_the_page_does_not_write_in_full_takes_the_century_of_its_other_years():
    page = "璆山市?025年1—9月科技创新主要指标监测\n比2024年同期增长，2026年继续推进。"
    assert eaten_year_digit(page, page.index("?025") + 1) == "2"
    assert eaten_year_digit("始建于?998年，2025年扩建。", 4) is None  # 19 is not the page's century
    assert eaten_year_digit("始建于?998年，1985年、2025年扩建。", 4) == "1"


def test_a_page_whose_year_the_qmark_decoder_ate_gets_its_digit_in_the_mark():
    # 科技 = BF C6 BC BC: 萍 (C6 BC) straddles them, its aid lands inside 技; the run is read out of step to the
    # year, whose 2 the last `?` took along; the page writes 2024年 and 2026年, not 2025年
    page = _aid_inside("二、计划安排\n全省科技工作2025年要点。2024年完成情况良好，2026年继续。", "技")
    assert "全省科?píng)脊ぷ?025年" in page
    assert "全省科技工作〔存疑：2〕025年要点" in as_read(repair(page).text)


def test_damaged_pages_whose_eaten_digit_the_arithmetic_tells():
    page = _aid_inside(_CONTRACTS, "交额4")
    assert "合同成?shān)欢?05万元" in page
    assert "平均每项合同成交额〔存疑：4〕05万元" in as_read(repair(page).text)
    page = _aid_inside(_RATED, "的54")
    assert "良好?méi)?4家" in page
    assert "〔存疑：5〕4家" in repair(page).text


# ----------------------------------------------------------------------------- a figure read with its mark's digits


def test_a_figure_is_read_with_the_digit_its_mark_holds():
    text = "全市技术合同成交额402.7亿元。其中技术开发合同成交额〔存疑：2〕21.5亿元，占55.0%。"
    facts = extract_facts(text, year=2025)
    found = [f for f in facts if f.unit == "元" and "存疑" in f.quote]
    assert [str(f.value) for f in found] == ["22150000000"], [(f.value, f.unit) for f in facts]
    (fact,) = found
    assert "〔存疑：2〕21.5亿元" in fact.quote
    assert text[fact.start : fact.end].startswith("〔存疑：2〕21.5")
    # a mark that holds no digit keeps the figure out (its leading digits are not known)
    assert not [
        f for f in extract_facts(text.replace("〔存疑：2〕", "〔存疑：？〕"), year=2025) if f.value == 21.5e8
    ]
    # ... and a year read with its digit dates the figure
    facts = extract_facts("〔存疑：2〕024年，全市高新技术企业达到1632家。", year=2025)
    assert [(str(f.value), f.period) for f in facts if f.unit == "家"] == [("1632", "2024")]


def test_a_damaged_page_whose_eaten_digit_the_arithmetic_tells_gives_the_fact():
    # 其中省财政资金2.15亿元: 普 (C6 D5) straddles 财|政, its aid inside 政, the run out of step to the figure: the
    # `?` took 2 along; 7.42 − 5.27 tells it, and the fact is found with the mark in its quote
    page = _aid_inside("项目实际到位经费7.42亿元，其中省财政资金2.15亿元、企业自筹5.27亿元。", "政")
    assert "省财?pǔ)?式?.15亿元" in page
    result = repair(page)
    assert "〔存疑：2〕.15亿元" in result.text, result.text
    facts = extract_facts(result.text, year=2025, result=result)
    (fact,) = [f for f in facts if f.value == 215_000_000]
    assert "〔存疑：2〕.15亿元" in fact.quote
    assert fact.orig_start is not None and page[fact.orig_start : fact.orig_end].startswith("?")


# ----------------------------------------------------------------------------- a rank moved up


def test_a_rank_moved_up_from_the_one_before_it():
    page = "在全国的位次由上年的第17位前移至第15位。"
    assert eaten_digit(_hole(page, "15位")) == ("1", ["rank"])
    # 第31位 after 第38位: 11, 21 and 31 are all higher; a rank moved down tells nothing
    assert eaten_digit(_hole("由第38位上升至第31位。", "31位")) is None
    assert eaten_digit(_hole("由第12位下降至第15位。", "15位")) is None
    # nothing said before it
    assert eaten_digit(_hole("居全国第15位。", "15位")) is None


def test_a_damaged_page_whose_rank_the_qmark_decoder_ate():
    # 前移 = C7 B0 D2 C6: 耙 (B0 D2) straddles them, its aid inside 移, the run out of step to the rank's first digit
    page = _aid_inside("在全国的位次由上年的第17位前移至第15位。全省高新技术企业达到1632家。", "移至")
    assert "第17位前?bà)浦恋?5位" in page
    text = repair(page).text
    assert "由上年的第17位前移至第〔存疑：1〕5位" in as_read(text), text
    (fact,) = [f for f in extract_facts(text, year=2025) if f.unit == "位" and f.value == 15]
    assert "〔存疑：1〕5位" in fact.quote


@settings(max_examples=200, deadline=None)
@given(was=st.integers(min_value=2, max_value=99), now=st.integers(min_value=10, max_value=98))
def test_a_rank_moved_up_gives_back_its_digit_or_nothing(was, now):
    if now >= was:
        return
    page = f"我省由上年的第{was}位前移至第{now}位。"
    at = page.index(f"第{now}位") + 1
    found = eaten_digit(page[:at] + HOLE + page[at + 1 :])
    assert found is None or found[0] == str(now)[0]
