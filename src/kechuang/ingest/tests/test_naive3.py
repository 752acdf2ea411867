"""The runs of the dev3 split where the repair did worse than the naive pipeline, and digits a `?` decoder
ate (issue #15, session 15 `naive3`): one test per mechanism, each failing on the code before."""

from kechuang.ingest.parsers import gbk, mojibake, repair, steps
from kechuang.ingest.tests.marks import as_read


def test_a_redaction_mark_is_not_taken_for_the_trail_byte_closing_a_run():
    """`看,參_驗`: the site's `_` for a redacted word after a plain comma; read as the letter trail of a run
    that `,` straddled, with a lost lead and a dropped pair guessed around 參, it made 看台(十)开验室 (dev3-09
    seed 2). A redaction mark is put in the text, not in its bytes: such a reading must guess under two bytes."""
    page = "從評估期內(2020—2024年)的運行績效看,參_驗(yàn)室共承擔國家級科研項目1142項。"
    assert mojibake.find_edits(page) == []
    assert "绩效看，参〔隐去〕验室共承担" in repair(page).text


def test_a_lost_trail_on_a_traditional_page_may_be_a_traditional_character():
    """`領域(yàn)10.7%`: the aid of 驗 (域's trail F2 with 為's lead 9E) inside 為, its trail lost before the
    figure. Judged on the few characters around it alone (`g)域` and `10`, no character of either script) the
    context counted as simplified and 為 lost to 炲, which OpenCC leaves as it is (dev3-09 seed 2). A context
    that tells no script takes the page's."""
    page = "按領(lǐng)域看,材料領域次之,為(wèi)20.6%;生命健康領(lǐng)域(yàn)10.7%。"
    assert [(e.before, as_read(e.after)) for e in mojibake.find_edits(page)] == [("(yàn)", "為")]
    assert as_read(repair(page).text).endswith("生命健康领域为10.7%。")


def test_a_simplified_page_still_prefers_simplified_options():
    """The page's script decides only where the text around says nothing: on a simplified page 為 is not
    guessed where the context is plain."""
    assert gbk._simplified_context("g)域10")  # no page set: as before
    # (a page converted in part, three traditional characters to two simplified ones, counts as simplified)
    token = gbk.PAGE_SCRIPT.set(gbk._PageScript("生命健康領域為，這里的数据说明發展"))
    try:
        assert gbk._simplified_context("g)域10")
    finally:
        gbk.PAGE_SCRIPT.reset(token)
    token = gbk.PAGE_SCRIPT.set(gbk._PageScript("生命健康領域為，這裡的數據說明發展"))
    try:
        assert not gbk._simplified_context("g)域10")
        assert gbk._simplified_context("领域为")  # a simplified character around tells
    finally:
        gbk.PAGE_SCRIPT.reset(token)


def test_a_run_after_an_aid_ends_on_its_last_characters_orphaned_trail():
    """`值�(de)芎耐�认陆�4.2%` (a U+FFFD decoder): inside the run 同's trail and 比's lead are an unmappable
    pair (two bytes), and the last U+FFFD, before the figure, is 降's trail alone (an orphaned lead). Read with
    every U+FFFD one byte or every one two, the run gave 能耗网 and left 认陆 (dev3-27 seed 0)."""
    page = "規模以上工業單位增加值\ufffd(de)芎耐\ufffd认陆\ufffd4.2%,完成年度目標。"
    assert (
        [(e.before, e.after) for e in mojibake.find_edits(page)]
        == [
            (
                "\ufffd(de)芎耐\ufffd认陆\ufffd",
                "能耗〔存疑：同比〕下〔存疑：降〕",
            )  # (下降 / 下金 before a figure: a tie, marked; 同比 from the unmappable pair's two bytes: guessed, marked)
        ]
    )
    assert "增加值能耗〔存疑：同比〕下〔存疑：降〕4.2%" in repair(page).text


def test_an_aid_after_a_chinese_mark_is_inside_the_character_after_it():
    """`“(áo)(jiē)榜`: “ (A1 B0) and 揭's lead BD spell 敖, whose aid landed inside 揭; 揭's own aid follows its
    lost trail. An aid after a mark is never that mark's: it is read as one inside a character (dev3-25 seed
    3, where the first aid was taken out and `(jiē)` left in the text)."""
    page = "關於徵集2026年度重大科技攻關“(áo)(jiē)榜掛帥”榜單的通知"
    assert as_read(repair(page).text) == "关于征集2026年度重大科技攻关“揭榜挂帅”榜单的通知"


def test_aids_side_by_side_go_together_when_left_over():
    """What the steps before leave of two aids in a row is taken out together (the second is the lost
    character's own; the text after it is in step and not marked)."""
    edits = steps.leftover_find_edits("攻關“(áo)(jiē)榜掛帥")
    assert [(e.before, e.after, e.uncertain) for e in edits] == [("(áo)(jiē)", "", True)]


def test_a_digit_a_qmark_decoder_ate_is_marked():
    """`鄉鎮?yóu)?4%` for 鄉鎮和94%: 和's trail, orphaned by the `9` after it, shows as `?` with the `9` eaten
    (dev3-06 seed 3; dev3-03's title year `?025`). The re-reading takes the `?` as 和's lost trail; the digit
    cannot be known, so the place is marked, not left as a figure 4%."""
    result = repair("寬帶網絡覆蓋所有鄉鎮?yóu)?4%的(de)行政村。")
    # (和, known by its lead BA alone, is marked too since repair26: nothing the reports write before a figure nor
    # the dictionary tells it from 好, 海, 含 … there)
    assert "乡镇〔存疑：和〕〔存疑：？〕4%的行政村" in result.text
    assert result.uncertain_count >= 1
    # a `?` taken as a lost trail before Chinese text ate no digit: nothing more is marked there
    assert "〔存疑" not in as_read(repair("全省共有120家單(dān)位(huàn)野,財政支持資金3億元。").text)
