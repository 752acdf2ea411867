"""Report repair where a reading aid landed inside a character and a dropping decoder, out of step from there,
lost two unmapped pairs side by side unseen (issue #15, session 22 `repair19`). Pages are damaged with the
forward model's own byte-level steps (benchmarks/ingest/forward.py: GBK bytes, a reading aid inserted after every
occurrence of a character's bytes, then the site's decoder)."""

import re

import pytest

from kechuang.ingest.parsers import repair
from kechuang.ingest.tests import bench
from kechuang.ingest.tests.marks import as_read

_site = bench.site  # each of `aided`'s reading aid after every occurrence of its bytes


# Out of step after the aid, the decoder reads each character's trail with the next one's lead; a trail that
# cannot lead (AA-AF, F8-FE) makes a pair it drops unseen. Re-aligned, each dropped pair leaves one character
# made of the lead before it and the trail after it, and two such side by side make no word with the text
# around them: 短|了 = CC C1 (塘, táng), then 三's trail FD with 分's lead B7 and 之's trail AE with 一's lead D2
# dropped, so 三分之一 reads 戎只 (C8 D6, D6 BB); 投|入 = B6 C8 (度, dù), then 全's trail AB with 市's lead CA and
# again with 社's lead C9 dropped, so 全市全社 reads 刃如 (C8 D0, C8 E7) - 刃如 a dictionary word by chance.
_SIDE_BY_SIDE = [
    ("審批時間平均縮短了三分之一。市裏還與茗沚大學共建研究院。", ["塘"], "三分之一"),
    ("今年加大研發投入。全市全社會研發經費達到87.4億元，增長12.5%。", ["度", "會"], "全市全社"),
]


@pytest.mark.parametrize(("clean", "aided", "words"), _SIDE_BY_SIDE)
def test_two_pairs_dropped_side_by_side_after_an_aid_inside_a_character(clean, aided, words):
    page = _site(clean, "drop", aided)
    assert "(" in page and words not in page, page
    result = repair(page)
    assert as_read(result.text) == repair(clean).text, (page, result.text)
    assert result.uncertain_count >= 1  # the four lost bytes are a guess, counted on the page


# A decoder that shows what it cannot read (U+FFFD) drops no pair unseen: the page is read as before.
def test_a_decoder_that_shows_lost_bytes_is_read_as_before():
    clean, aided, _words = _SIDE_BY_SIDE[0]
    page = _site(clean, "replace", aided)
    assert "\ufffd" in page, page
    # (缩短了 / 缩短X: a choice the dictionary could not make, marked with its reading inside - repair25's ties)
    unmarked = re.sub(r"〔存疑：([\u4e00-\u9fff]+)〕", r"\1", repair(page).text)
    assert unmarked == repair(clean).text, (page, repair(page).text)
