"""Report repair where a reading aid landed inside a character and a dropping decoder then lost the pair right
after it unseen (issue #15, session 22 `repair17`). Pages are damaged with the forward model's own byte-level
steps (benchmarks/ingest/forward.py: GBK bytes, a reading aid inserted after every occurrence of a character's
bytes, then the site's decoder)."""

import re

import pytest

from kechuang.ingest.parsers import repair
from kechuang.ingest.tests import bench
from kechuang.ingest.tests.marks import as_read


def _site(text: str, decoder: str, aided: str) -> str:
    """`text` as such a site keeps it: `aided`'s reading aid after every occurrence of its bytes."""
    return bench.site(text, decoder, [aided])


# The aid pins the lead of the character after the straddle; out of step from there, the decoder reads that
# character's trail with the next one's lead, and where the trail cannot lead (AA-AF, F8-FE) it drops the pair
# unseen. The run reads in step again after it, and the aid's lead (or another one the aid allows) read with
# the next byte on the page gives a clean reading without the two characters: 局|圍 = D6 87 (謬, miù), 圍's
# trail FA with 繞's lead C0 dropped, 繞's trail 40 shown as `@` and read with 87 as 嘆; 的|超 = C4 B3 (某,
# mǒu), 超's trail AC with 過's lead DF dropped, 過's trail 5E shown as `^`, read as 砠 (B3 5E); 於|全 = B6 C8
# (度, dù), 全's trail AB with 省's lead CA dropped, 省's trail A1 read with C8 as 取: 高于取平均, where the
# page writes 全省 itself elsewhere.
_FIRST_PAIR = [
    ("年初，市科技局圍繞全年目標開展工作。", "謬", "圍繞"),
    ("成果實現轉化應用的超過八成，近三年新增產值逾160億元。", "某", "超過"),
    ("全省科技型企業達到9000家。本市增長14.6%，高於全省平均2.1個百分點。", "度", "高於全省平均"),
]


@pytest.mark.parametrize(("clean", "aided", "words"), _FIRST_PAIR)
def test_a_pair_dropped_right_after_an_aid_inside_a_character(clean, aided, words):
    page = _site(clean, "drop", aided)
    assert "(" in page and words not in page, page
    result = repair(page)
    assert as_read(result.text) == repair(clean).text, (page, result.text)
    assert result.uncertain_count >= 1  # the two lost characters are a guess, counted on the page


# A run that reads right as it stands keeps its reading: `項目(kěn)淹黄脐P` (恳 = BF D2 inside 目|已) reads 已突破
# in step, and a dropped pair would make it 消费突破 (a word, one more word covered), which the character model
# finds far less likely. Since repair27 the reading kept is marked uncertain (`項目〔存疑：已〕突破`): the dictionary
# and the model disagree, and nothing on the page decides.
def test_a_run_read_right_is_not_given_a_dropped_pair():
    clean = "省財政累計投入8.26億元，項目已突破關鍵核心技術210餘項。"
    page = _site(clean, "drop", "恳")
    assert "(kěn)" in page, page
    assert re.sub("〔存疑：([^〕]*)〕", r"\1", repair(page).text) == repair(clean).text


# A decoder that shows what it cannot read (`?`, U+FFFD) drops no pair unseen: the same pages are read as
# before, with the lost pair shown.
@pytest.mark.parametrize("decoder", ["qmark", "replace"])
def test_a_decoder_that_shows_lost_bytes_is_read_as_before(decoder):
    clean, aided, _words = _FIRST_PAIR[0]
    page = _site(clean, decoder, aided)
    assert ("?" if decoder == "qmark" else "\ufffd") in page, page
    assert as_read(repair(page).text) == repair(clean).text, (page, repair(page).text)
