"""Report repair (issue #15, session 29 `repair30`). Pages are damaged with the forward model's own byte-level
steps (benchmarks/ingest/forward.py: GBK bytes, the site's full-width marks made ASCII, a reading aid inserted
after every occurrence of a character's bytes, then the site's decoder)."""

import pytest

from kechuang.ingest.parsers import repair
from kechuang.ingest.tests import bench
from kechuang.ingest.tests.marks import as_read


def _straddling(a: str, b: str) -> str:
    """The character whose GBK bytes are `a`'s trail and `b`'s lead (the one whose reading aid lands inside)."""
    return (a.encode("gbk")[1:] + b.encode("gbk")[:1]).decode("gbk")


# ² and ³ are not in GBK: the page's encoder wrote `?` for them, on every decoder's page. After a figure's metre the
# `?` is the unit's power - ² where the clause speaks of an area, ³ of a volume, ² marked where it says neither.
@pytest.mark.parametrize("decoder", ["drop", "qmark", "replace"])
@pytest.mark.parametrize(
    ("clean", "expected"),
    [
        ("中心已建成面積6000m²的潔淨車間，擁有關鍵設備。", "6000m²的洁净车间"),
        ("新建庫容120m³的蓄水池兩座，其中", "120m³的蓄水池"),
        ("建成實驗大樓一棟，共8000m²的實驗室。", "8000m〔存疑：²〕的实验室"),
        ("項目用地45km²，已完成規劃。", "45km²，"),
    ],
)
def test_a_units_power_the_encoder_wrote_as_a_question_mark(decoder, clean, expected):
    page = bench.site(clean, decoder, [], ascii_marks=True)
    assert "m?" in page, page
    result = repair(page)
    assert expected in result.text, (page, result.text)
    assert "?" not in result.text and "？" not in result.text, result.text
    assert result.uncertain_edit_count >= 1


def test_a_real_question_mark_after_a_latin_letter_is_left():
    out = repair("你知道什麼是5G?我們今天就來談談。").text
    assert "²" not in out and "³" not in out, out


# A `?` decoder's `?` closing a re-read run ate the ASCII byte after it; before a measure word that closes its
# clause (`项。`, `家、`, `名，`, `个(gè)。`) that byte was a digit - a comma there ends no clause - and which digit no
# byte tells: its place is marked, not filled with a comma (`一等?rǎn)?项。` read 一等奖，项。) nor dropped.
@pytest.mark.parametrize(
    ("clean", "pair", "head", "tail"),
    [
        ("全年獲獎52項，其中一等獎4項。三、成果轉化", "等獎", "一等", "项。"),
        ("共建技術創新中心5家。二是攻關", "中心", "创新中", "家。"),
        ("其中來自滢原省的項目8個，由滢原省", "的項", "滢原省的", "个，"),
        ("全市擁有兩院院士4名，國家級人才", "院院", "两院", "名，"),
        ("新增省級重點實驗室5家、省級工程", "驗室", "实验", "家、"),
    ],
)
def test_a_digit_eaten_before_a_measure_word_that_closes_its_clause_is_marked(clean, pair, head, tail):
    page = bench.site(clean, "qmark", [_straddling(*pair)], ascii_marks=True)
    assert "?" in page, page
    result = repair(page)
    out = result.text
    assert "〔存疑：？〕" + tail in out, (page, out)
    assert head in out, (page, out)
    assert "，" + tail not in out, out
    assert result.uncertain_count >= 1


def test_a_measure_word_that_starts_a_word_after_a_comma_is_not_taken_for_a_figures():
    # 項目 after a real comma: no digit was eaten there
    page = bench.site("完成驗收，項目組隨後提交了報告。", "qmark", [], ascii_marks=True)
    out = repair(page).text
    assert "〔存疑：？〕" not in out, (page, out)


def test_a_digit_eaten_before_a_figures_thousands_comma_is_marked():
    # 兌付2,415萬元: the `?` closing the run re-read after 陡's aid ate the 2 before `,415`
    page = bench.site(
        "向合作金融機構合計兌付2,415萬元，約佔全部貸款的一成。", "qmark", [_straddling("兌", "付")]
    )
    assert "?,415" in page, page
    result = repair(page)
    assert "兑付〔存疑：？〕" in as_read(result.text), (page, result.text)


# 。基礎 = A1 A3 BB F9 B5 41: ； (A3 BB) straddled 。|基 and was written `;`; the `?` decoder shows 。's lead with
# the `;` it ate, then 基's trail and 礎's lead (an unmapped pair) as a second `?`, and 礎's trail is the A. After a
# figure's % the two `?` were read back (repair28); after Chinese text the first is a broken byte already and the
# second, before an ASCII letter, was kept as a real question mark: `件??A研究` read 件。緼研究.
@pytest.mark.parametrize(
    ("clean", "expected"),
    [
        ("研發經費支出161.7億元。基礎研究經費所佔比重為6.7%。", "161.7亿元。基础研究经费"),
        ("全年發出預警提示11次。基礎研究投入不足的問題仍然突出。", "11次。基础研究投入"),
        ("增長13.0%。基礎研究經費所佔比重為6.7%。", "13.0%。基础研究经费"),
    ],
)
def test_two_question_marks_after_chinese_text_before_a_trail_letter(clean, expected):
    page = bench.site(clean, "qmark", [], ascii_marks=True)
    assert "??A" in page, page
    result = repair(page)
    assert expected in as_read(result.text), (page, result.text)
    assert result.uncertain_count >= 1


def test_two_question_marks_after_a_garbled_run_are_not_read_as_a_lost_mark():
    # 市委宣讀了 out of step after an aid inside a character: `形` is a garbled run's, the first `?` an unmapped pair
    # in it - not 。's lead with an eaten mark (read so, `??x` became 有为,鑨)
    out = repair("區(qū)委常委、市委副書記(gāng)才?niú)?形??x了表彰決定，12位同志和5個集體受到表彰。").text
    assert "鑨" not in out, out
    assert "x了表彰决定" in out, out
