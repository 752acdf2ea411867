"""Report repair (issue #15, session 28 `repair29`). Pages are damaged with the forward model's own byte-level
steps (benchmarks/ingest/forward.py: GBK bytes, the site's full-width marks made ASCII, a reading aid inserted
after every occurrence of a character's bytes, then the site's decoder), or copied from a damaged corpus page."""

import functools

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
