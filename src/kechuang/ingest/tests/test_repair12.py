"""Report repair where a reading aid landed inside a character (issue #15, session 21 `repair12`). Pages are
damaged with the forward model's own byte-level steps (benchmarks/ingest/forward.py: GBK bytes, a reading aid
inserted after every occurrence of a character's bytes, then the site's decoder)."""

from collections import Counter

import pytest

from kechuang.ingest.parsers import repair
from kechuang.ingest.parsers.inserts import _word_pairs
from kechuang.ingest.tests import bench
from kechuang.ingest.tests.marks import as_read

forward = bench.load("forward.py")


def _site(text: str, decoder: str, aided: str) -> str:
    """`text` as such a site keeps it: `aided`'s reading aid after every occurrence of its bytes."""
    return bench.site(text, decoder, [aided])


# The aid lands inside the character after the straddle (its lead is lost with the aid's `(`), and the run
# after it reads one byte out of step; where the lost character's trail and the next one's lead are a pair
# the decoder cannot map, a dropping decoder loses them too, unseen: two characters gone, split between two
# guessed halves. 化 = BB AF, 硅 = B9 E8: AF B9 is unmapped (AF is no lead), so `碳(jì)璨牧` (碳's trail BC
# and 化's lead BB spell 蓟, read jì) holds neither; 及|省 = BC B0 CA A1 (笆, bā), 省's trail A1 and 內's lead
# C3 out of step, 內's trail DA with 外's lead CD (unmapped) lost; 有|效 = D3 D0 D0 A7 (行, xíng), 效's trail
# A7 with 期's lead C6 lost. Each lost character ranked by its one known neighbour alone missed the word
# the two make together (化硅, 省內, 效期): the commonest two-character words they can spell are tried too.
_SPLIT_WORDS = [
    ("去年研發碳化硅材料2種。", "蓟", "碳化硅"),
    ("科技廳及省內外專家50人參會。", "笆", "省内外"),
    ("本辦法自發布之日起施行，有效期五年。", "行", "有效期"),
]


@pytest.mark.parametrize(("clean", "aided", "word"), _SPLIT_WORDS)
def test_a_word_split_by_an_unseen_dropped_pair_after_an_aid_inside_a_character(clean, aided, word):
    page = _site(clean, "drop", aided)
    assert "(" in page and word not in page, page
    result = repair(page)
    assert as_read(result.text) == repair(clean).text, (page, result.text)
    assert word in as_read(result.text)
    assert result.uncertain_count >= 1  # the lost bytes are a guess, counted on the page


def test_the_word_pairs_meet_the_decoder():
    """The pairs offered spell a dictionary word and are ones the decoder could not map (else they would
    show on the page): 化 (a trail lost after lead BB) and 硅 (a lead lost before trail E8)."""

    pairs = _word_pairs(("T", 0xBB), ("L", 0xE8))
    assert ("化", "硅") in pairs
    for a, b in pairs:
        assert a.encode("gbk")[0] == 0xBB and b.encode("gbk")[1] == 0xE8
        assert forward._pair(a.encode("gbk")[1], b.encode("gbk")[0]) is None


# 值|增 = B5 D4 (翟, read dí) and 增 = D4 F6 with its own aid: `值�(dí)�(zēng)幅` under a decoder that shows U+FFFD.
# 增's lead is lost inside 翟, and its trail F6, orphaned by its own aid's `(`, shows as U+FFFD: the character
# is the aid's, zēng. A lead that allows no character so read (迅 from 笛's lead B5 D1, 迅 + 幅) had been taken
# for the dictionary's word; a reading whose last character is not read as the aid after it has not explained
# the page.
def test_a_lost_trail_before_its_own_aid_names_the_character():
    clean = "工業產值增幅達到7%。"
    for decoder in ("drop", "qmark", "replace"):
        data = forward._Bytes(clean)
        forward._aids(data, ["增", "翟"], Counter())
        page = forward.site_decode(bytes(data.buf), decoder)
        assert "zēng)" in page and "增" not in page, page
        assert as_read(repair(page).text) == repair(clean).text, (decoder, page)
