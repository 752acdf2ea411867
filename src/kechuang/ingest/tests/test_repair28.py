"""Report repair (issue #15, session 27 `repair28`). Pages are damaged with the forward model's own byte-level
steps (benchmarks/ingest/forward.py: GBK bytes, the site's full-width marks made ASCII, a reading aid inserted
after every occurrence of a character's bytes, then the site's decoder)."""

import functools

import pytest

from kechuang.ingest.parsers import repair
from kechuang.ingest.tests import bench
from kechuang.ingest.tests.marks import as_read

_site = functools.partial(bench.site, ascii_marks=True)


# 。現 = A1 A3 AC 46: ， = A3 AC straddles 。|現 and the site writes `,` for it; a `?` decoder shows 。's orphaned
# lead A1 with the `,` it took along, and 現's trail 46 is the letter F. Right after the aid of the character
# before (`個(gè)?F將`) the `?` was read as a lost byte of its own; it is the lost lead with its eaten mark.
@pytest.mark.parametrize(
    ("clean", "aided", "shown", "expected"),
    [
        ("已累計支持各類人才和團隊436個。現將2024年度實施情況報告如下。", ["個"], "個(gè)?F將", "个。现将"),
        ("對重點實驗室開展了績效評估。現將結果通報如下。", ["估"], "估(gū)?F將", "评估。现将"),
        ("共有科技型企業312家。縣裏與大學共建研究院。", ["家"], "家(jiā)?h裏", "家。县里"),
    ],
)
def test_an_eaten_mark_after_a_characters_own_aid_is_read_back(clean, aided, shown, expected):
    page = _site(clean, "qmark", aided)
    assert shown in page, page
    out = repair(page).text
    assert expected in out, (page, out)
    assert "?" not in out, out
    assert "存疑" not in repair(clean).text


def test_a_question_mark_after_an_aid_inside_a_character_is_not_read_as_an_eaten_mark():
    # `培?yīng)`: the aid's `(` was eaten with 培's broken lead; the `?` after its `)` is no lost lead of 。
    page = "人才培?yīng)?F將"
    out = repair(page).text
    assert "。现" not in out, out


# The same bytes under a dropping decoder: 。's lead A1, orphaned by the `,`, is lost unseen (`驗收,F將`). A reading
# that takes the `,` out whole and a lead lost before it (收鞦將: 鞦's trail is F) needs a comma the site put in
# inside a character, and the site puts one only before a punctuation mark, whose first byte is A1 or A3: never
# before an F. So `,F` is 。現 (the ， = A3 AC the site wrote `,`).
@pytest.mark.parametrize(
    ("clean", "aided", "shown", "expected"),
    [
        ("省科技廳對第二批項目開展了驗收。現將結果公告如下：", ["驗"], "驗(yàn)收,F將", "验收。现将"),
        ("各項工作實現“時間過半、任務過半”。現將有關情況總結如下。", [], "過半”,F將", "过半”。现将"),
        ("項目實行首席專家負責制。現將有關事項通知如下。", ["責"], "責(zé)制,F將", "负责制。现将"),
    ],
)
def test_a_replaced_mark_straddling_a_full_stop_is_read_back_on_a_dropping_page(
    clean, aided, shown, expected
):
    page = _site(clean, "drop", aided)
    assert shown in page, page
    out = repair(page).text
    assert expected in out, (page, out)


# A real comma before a word the site redacted (`_`, put in the text, not its bytes): `3家,全_國` is not a lead
# lost before a comma taken out whole, with `_` read as a trail byte (慈玙 for ,全).
@pytest.mark.parametrize(
    "page",
    ["建成省重點實驗室3家,全_國重點實驗室1家。", "2024年,全_政科學技術支出增長8.1%。"],
)
def test_a_comma_before_a_redacted_word_stays_a_comma(page):
    out = repair(page).text
    assert ",全" in out.replace("，", ","), out


# 校或 = D0 A3 BB F2: ； = A3 BB straddles 校|或 and the site writes `;`; a dropping decoder loses 校's lead and reads
# the rest one byte out of step (`高;蚩蒲性核`). Read back without a guessed pair, 校或科研院所 makes words with the
# 高 before it; a reading that guesses a pair dropped between 或's bytes (校化硫科研院所) covers one word more, so the
# character model decides between the two, as it does for a reading that makes words alone.
@pytest.mark.parametrize(
    "clean",
    [
        "揭榜方应为在国内注册的企业、高校或科研院所，近3年研发投入不低于500万元。",
        "揭榜方應為在國內註冊的企業、高校或科研院所，無嚴重失信行為。",
    ],
)
def test_a_run_that_reads_whole_with_the_character_before_it_is_weighed_by_the_model(clean):
    page = _site(clean, "drop", [])
    assert "高;蚩蒲性核" in page, page
    out = repair(page).text
    assert "高校或科研院所" in as_read(out), (page, out)


# 熟度由 = CA EC B6 C8 D3 C9: 於 = EC B6 straddles 熟|度 and its aid goes in after B6; the decoder loses B6 before the
# `(`, reads C8 D3 as 扔, and loses C9 before the figure's `3` (dropped, or shown as U+FFFD). The aid gives 度 back;
# D3's options before a figure are ranked 于 first - but a figure its clause moves to another (提升至) has 由 before
# it in the reports.
@pytest.mark.parametrize("decoder", ["drop", "replace"])
@pytest.mark.parametrize(
    "clean",
    [
        "系統峰值算力達到每秒百億億次，技術成熟度由3級提升至5級。",
        "樣機連續運行1000小時，技術成熟度由6級提升到8級。",
    ],
)
def test_the_character_before_a_figure_moved_to_another_is_from(decoder, clean):
    page = _site(clean, decoder, ["於"], ascii_marks=False)
    out = repair(page).text
    assert "由" in out and "于" not in out, (page, out)


def test_a_character_read_from_its_bytes_before_a_moved_figure_is_kept():
    # nothing lost: 于 stays what the page writes
    assert "不低于3级提升至5级" in repair("技術成熟度不低於3級提升至5級。").text


# 。基礎 = A1 A3 BB F9 B5 41: ； = A3 BB straddles 。|基 and the site writes `;`; a `?` decoder shows 。's lead with
# the `;` it ate, then 基's trail F9 with 礎's lead B5 (an unmapped pair) as a second `?`, and 礎's trail 41 is the A.
# After a figure's % no Chinese character stands beside the two `?`: read as the lost lead, its eaten mark and the
# unmapped pair all the same.
@pytest.mark.parametrize(
    ("clean", "aided", "shown"),
    [
        ("研發經費同比增長13.0%。基礎研究、應用研究和試驗發展經費均有增長。", [], "13.0%??A研究"),
        ("全年研發經費增長9.3%。基礎研究經費佔比提高。", ["礎"], "9.3%??A(chǔ)"),
    ],
)
def test_two_lost_pairs_before_a_trail_letter_after_a_figure_are_read_back(clean, aided, shown):
    page = _site(clean, "qmark", aided)
    assert shown in page, page
    out = repair(page).text
    assert "%。基础研究" in as_read(out), (page, out)


def test_two_question_marks_after_a_figure_before_a_lettered_label_are_left():
    # a real question mark doubled before a label of a lettered series (A類 … B類 on the same page) is no lost byte
    out = repair("增長13.0%??A類項目12項，B類項目8項。").text
    assert "。基" not in out, out


def test_a_name_after_a_real_half_width_mark_is_left_as_it_stands():
    # rule 2 is asked only of runs a trail letter closes: after a real `:` a rare place name (茗沚) is a run a
    # reading could take for a replaced mark's; its best reading is refused and the run left as it stands
    out = repair("發榜單(dān)位:**海工裝備集團;揭榜單(dān)位:茗沚省科學院;省財政支持:420萬元;").text
    assert "茗沚省科学院" in out, out
