"""Report repair (issue #15, session 32 `repair34`): rare place names garbled and left unmarked. Pages are damaged
with the forward model's own byte-level steps (benchmarks/ingest/forward.py: GBK bytes, full-width marks written in
ASCII, a reading aid after every occurrence of a character's bytes, then the site's decoder); the sentences and
names are our own."""

from collections import Counter

import pytest

from kechuang.ingest.parsers import gbk, repair
from kechuang.ingest.parsers.steps import t2s_find_edits
from kechuang.ingest.tests import bench


def _page(clean: str, decoder: str, aided: str = "") -> str:
    forward = bench.load("forward.py")
    data = forward._Bytes(clean)
    forward._ascii_marks(data, Counter())
    if aided:
        forward._aids(data, list(aided), Counter())
    return forward.site_decode(bytes(data.buf), decoder)


# ， = A3 AC straddles 。|X where X is a rare character led by AC whose trail is an ASCII letter (琈 = AC 4D reads
# `M`; 瑢 = AC 8C, 汭 = 9B 49 reads `寷I`): 。's lead is dropped (or shown), the letter glued to Chinese text is
# damage, and the bytes give the name back - marked uncertain, the page writing it nowhere else.
@pytest.mark.parametrize("decoder", ["drop", "replace"])
@pytest.mark.parametrize(
    ("clean", "shown", "expected"),
    [
        ("全年登记技术合同14项。琈州大学一项合同金额最高。", ",M州", "14项。〔存疑：琈〕州大学"),
        ("今年新增专利五十三项。瑢汭省农业科学院获一等奖。", ",寷I省", "五十三项。〔存疑：瑢汭〕省农业"),
    ],
)
def test_a_rare_name_after_a_replaced_comma(clean, shown, expected, decoder):
    page = _page(clean, decoder)
    assert shown in page, page
    result = repair(page)
    assert expected in result.text, (page, result.text)
    assert result.uncertain_count >= 1


def test_a_rare_name_the_page_writes_elsewhere_is_not_marked():
    clean = "今年新增专利五十三项。瑢汭省农业科学院获一等奖，瑢汭省科技厅表示祝贺。"
    page = _page(clean, "drop").replace(",寷I省科技厅", "，瑢汭省科技厅")
    assert ",寷I省农业" in page, page
    out = repair(page).text
    assert "五十三项。瑢汭省农业" in out, out


@pytest.mark.parametrize(
    "text",
    [
        "全市增长5%,A股上市企业新增3家。",  # a Latin word: no region after it
        # read `。〔存疑：瑶鸟〕` (three bytes filled from the dictionary) before repair37: the clause before the mark
        # ends on the word the label names (`mojibake._letter_label`)
        "分为两类,B类企业12家。",
        "今年新增专利五十三项,瑢汭省农业科学院获一等奖。",  # a real comma before a written name
    ],
)
def test_letters_and_real_commas_left_alone(text):
    out = repair(text).text
    assert "〔存疑" not in out, out


# 濛 is a character no site conversion writes for 蒙: a page that holds it next to a rare character OpenCC keeps
# (玹, outside GB2312, no traditional form) writes a name, kept where no 玹濛省 is left on the page to say so.
def test_a_name_with_a_never_written_character_kept_without_its_region_word():
    text = "新品種在玹濛北部示範種植，濛濛細雨中產量穩定，依託漹川大學建設。"
    after = "".join(e.after for e in t2s_find_edits(text))
    out = repair(text).text
    assert "玹濛北部" in out, out
    assert "蒙蒙细雨" in out, out
    assert "依托漹川" in out, out  # (the word before a name: 託 before the rare 漹 stays a traditional form)
    assert "蒙" in after


# A region's name of two rare characters written once before its 省 (a header) is the page's own word: a run
# re-read out of step may hold it.
def test_own_rare_takes_a_name_written_once_before_its_region_word():
    assert {"璩", "濉"} <= gbk.own_rare("璩濉省科学技术厅\n")
    assert not {"璩", "濉"} & gbk.own_rare("璩濉的科学技术厅\n")


# ！ = A3 A1 written `!` where it straddled 。|” after a closing single quote: 。's lead A1 is dropped, ”'s trail B1
# pairs with the next character's lead, and the run comes back in step on a letter (說 = D5 66 reads `f`).
def test_a_replaced_mark_after_a_closing_single_quote():
    clean = "大家都叫他‘紅娘’。”說這話的是一位老站長。"
    page = _page(clean, "drop")
    assert "’!闭f" in page, page
    out = repair(page).text
    assert "‘红娘’。”说这话" in out, out
