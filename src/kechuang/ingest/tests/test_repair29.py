"""Report repair (issue #15, session 28 `repair29`). Pages are damaged with the forward model's own byte-level
steps (benchmarks/ingest/forward.py: GBK bytes, the site's full-width marks made ASCII, a reading aid inserted
after every occurrence of a character's bytes, then the site's decoder), or copied from a damaged corpus page."""

import functools
import re

import pytest

from kechuang.ingest.parsers import repair
from kechuang.ingest.tests import bench

_site = functools.partial(bench.site, ascii_marks=True)


# A half-width mark before a run of plain characters, on a dropping page: a reading that keeps the run's first
# byte (no lead lost before it) and guesses a pair dropped inside it needs a decoder that met an unmappable pair
# while in step, which it never does. Such readings made words of a place name's rare character with guessed
# bytes (翡嶺 read 魛武嶺, 赭原 鱽西原, 柘湖 钥南湖); the run stands as the page wrote it.
@pytest.mark.parametrize(
    ("clean", "name"),
    [
        ("吸納省外技術合同成交額197.3億元，其中來自翡嶺省的38.9億元。", "翡岭省"),
        ("入選企業97家；爲赭原省科技廳推薦的12家企業。", "赭原省"),
        ("新增投入5200萬元，居全省第一；柘湖市3980萬元；萸江市2270萬元。", "柘湖市"),
    ],
)
def test_a_run_in_step_after_a_half_width_mark_keeps_its_place_name(clean, name):
    page = _site(clean, "drop", [])
    assert "," in page or ";" in page, page
    out = repair(page).text
    assert name in out, (page, out)


# A reading aid after a trail byte that the re-alignment could not take back into a character: the aid is that
# character's own, and with the trail byte it tells which (貸 = D9 4A after `J`, 獲 = AB 40 after `@`). Until now
# only a letter right after a Chinese character was read so: after another aid's `)` (`”(bǎo)J(dài)`, an aid
# that landed inside ， before 貸) and for the `@` the aid stayed in the text, where the naive pipeline takes it out.
@pytest.mark.parametrize(
    ("page", "expected", "gone"),
    [
        ("去年拿到了市裡的“科技貸(dài),”(bǎo)J(dài)了五百萬(wàn),利息財政貼了一半。", "贷", "J(dài)"),
        ("記(jì)者12月16日(rì)從蔚(diǎn)锌萍季肢@(huò)悉，截至11月底", "获", "@(huò)"),
    ],
)
def test_an_aid_after_a_trail_byte_is_read_as_its_character_and_marked(page, expected, gone):
    result = repair(page)
    assert gone not in result.text, result.text
    assert "(" not in result.text, result.text
    assert f"〔存疑：{expected}" in result.text, result.text
    assert result.uncertain_count >= 1


def test_an_address_or_a_latin_word_before_an_aid_is_not_read_as_a_trail_byte():
    out = repair("來信請寄kechuang@example.cn，或致電科技廳(tīng)。").text
    assert "kechuang@example.cn" in out, out


def _commas_site(text: str, decoder: str) -> str:
    """`text` with the site's marks half-width, then its comma put in before every ” (forward.py's byte steps)."""
    from collections import Counter

    forward = bench.load("forward.py")
    data = forward._Bytes(text)
    forward._ascii_marks(data, Counter())
    forward._commas(data, {"comma_marks": ["”", "。"]}, Counter())
    return forward.site_decode(bytes(data.buf), decoder)


_TABLE = "指标　2025年　比上年增长（%）\n研发经费（亿元）　1280.5　12.3\n研发投入强度（%）　2.61　0.15\n"


# A table's cell gap 　 (A1 A1) before 比 (B1 C8): 　's trail with 比's lead spell ” (A1 B1), and a site that puts a
# comma before ” puts it inside 　: its lead reads 。 with the comma's lead, the comma's trail with 　's trail is a
# pair no decoder maps. `2025年。比上年增长` is read back as 2025年　比上年增长.
@pytest.mark.parametrize("decoder", ["drop", "replace", "qmark"])
def test_a_table_gap_a_comma_went_into_is_read_back(decoder):
    page = _commas_site(_TABLE, decoder)
    assert re.search("年，?。[\ufffd?]?比上年", page), page
    out = repair(page).text
    assert "2025年\u3000比上年增长" in out, (page, out)
    assert "。" not in out, out


def test_a_full_stop_after_a_bracket_in_a_line_of_sentences_is_kept():
    # a byline's 　 in a line that ends a sentence, and a unit in brackets before a real full stop
    page = "本报讯（记者　聂书萸）10月22日，交易会开幕（共3天）。本届交易会以“成果转化”为主题。\n"
    out = repair(page).text
    assert "（共3天）。本届" in out, out


# 。縣 = A1 A3 BF 68: ？ = A3 BF straddles 。|縣 and the site writes `?`; a `?` decoder shows 。's orphaned lead with
# the mark it took along, and 縣's trail 68 is the letter h. Which mark the `?` ate the words do not tell (縣財政 and
# 琱財政 cover as much); the commoner reading was taken only after text that reads all in words (6億元), so after
# 有了突破 (有了 no word) the first mark tried won: 突破。琱財政, simplified 雕.
@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("攻關有了突破?h財政安排科技專項資金。", "突破。县财政"),
        ("全年研發投入6億元?h財政科技支出1.2億元。", "元。县财政"),
    ],
)
def test_the_commoner_mark_a_question_mark_ate_before_a_trail_letter(page, expected):
    out = repair(page).text
    assert expected in out, out
