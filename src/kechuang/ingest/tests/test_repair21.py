"""Report repair where a reading aid, or a full-width mark the site writes half-width, straddled two characters
(issue #15, session 23 `repair21`): a run stopped by the aid of a character whose trail it lost, a dropped pair read
as the page writes the word, and a lost trail before its own aid against the page's aided leads. Pages are damaged
with the forward model's own byte-level steps (benchmarks/ingest/forward.py: GBK bytes, the site's ASCII marks, a
reading aid inserted after every occurrence of a character's bytes, then the site's decoder)."""

import functools
from collections import Counter

from kechuang.ingest.parsers import repair
from kechuang.ingest.tests import bench
from kechuang.ingest.tests.marks import as_read

forward = bench.load("forward.py")


def _aided(text: str, aided: list[str]):
    """GBK bytes of `text` with each of `aided`'s reading aid after every occurrence of its bytes."""
    data = forward._Bytes(text)
    forward._aids(data, aided, Counter())
    return data


_site = functools.partial(bench.site, ascii_marks=True)  # some full-width marks half-width before the aids


# 。” = A1 A3 A1 B1: ！ = A3 A1 straddles the two and the site writes it `!`; 。's lead A1, orphaned by it, is
# dropped, and the decoder reads on out of step (B1 D5 闭, BE D4 驹, DA B8 趧) up to 剛's trail D5, orphaned by
# the `(` of 剛's own aid and dropped too. The run stops at an aid that is not its last character's: the aid
# tells the character whose trail was lost (剛, gāng), so 月!闭驹趧 is 月。”站在剛 - not text in step before an
# aid that landed inside a character, and not a reading that guesses a pair dropped inside it (正志在剛).
_CLEAN = "他們說，這條線從簽約到投產只用了11個月。”站在剛投產的生產線旁，負責人介紹了情況。"


def test_a_mark_run_stopped_by_its_lost_characters_own_aid():
    page = _site(_CLEAN, "drop", ["剛"])
    assert "月!闭驹趧(gāng)" in page, page
    result = repair(page)
    assert as_read(result.text) == repair(_CLEAN).text, (page, result.text)
    assert result.uncertain_count >= 1  # the two lost bytes are a guess, counted on the page


# 模 = C4 A3 straddles 四|） and gets its aid there: ）'s lead A3 is pinned, and the decoder, out of step, drops the
# unmapped pair of 果's trail FB and 轉's lead DE. Both 成功 and 成果 fit the lead B9 before the dropped pair and are
# words; the dictionary alone ranks 成功 first, the page's own pairs (成果 three times) tell 成果.
_DROPPED_ECHO = "三、成果轉化\n全市科技成果轉化步伐加快，成果登記1200項。\n（四）成果轉移轉化加速推進。全市技術合同登記4120項。"


def test_a_dropped_pair_read_as_the_page_writes_the_word():
    page = forward.site_decode(bytes(_aided(_DROPPED_ECHO, ["模"]).buf), "drop")
    assert "（四(mó)┏晒D移" in page, page
    assert as_read(repair(page).text) == repair(_DROPPED_ECHO).text, (page, repair(page).text)


# 萍 = C6 BC straddles 科|技 and is on the site's list, but gets no aid of its own on the page; 平 = C6 BD, read píng
# too, does (水平(píng)). 技's trail BC, orphaned by 技's own aid, shows as U+FFFD before it: the lead the aid pins
# must make a character read jì. 平's lead BD makes none (教: 科教, the aid left over), so every lead with the aid's
# reading is tried, as where the page's aided characters give no reading.
_OWN_AID_AFTER = (
    "10月15日，市科技局召開全市科技工作會議。會議指出，全市科技創新水平穩步提升，平臺建設成效明顯。"
)


def test_a_lost_trail_before_its_own_aid_outranks_the_pages_aided_leads():
    page = forward.site_decode(bytes(_aided(_OWN_AID_AFTER, ["平", "技", "萍"]).buf), "replace")
    assert "市科\ufffd(píng)\ufffd(jì)局" in page and "水平(píng)" in page, page
    assert as_read(repair(page).text) == repair(_OWN_AID_AFTER).text, (page, repair(page).text)
