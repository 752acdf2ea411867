"""Report repair where a reading aid, or a full-width mark the site writes half-width, straddled two characters
(issue #15, session 23 `repair21`): a run stopped by the aid of a character whose trail it lost, a dropped pair read
as the page writes the word, and a lost trail before its own aid against the page's aided leads. Pages are damaged
with the forward model's own byte-level steps (benchmarks/ingest/forward.py: GBK bytes, the site's ASCII marks, a
reading aid inserted after every occurrence of a character's bytes, then the site's decoder)."""

from collections import Counter

from kechuang.ingest.parsers import repair
from kechuang.ingest.tests import bench

forward = bench.load("forward.py")


def _aided(text: str, aided: list[str]):
    """GBK bytes of `text` with each of `aided`'s reading aid after every occurrence of its bytes."""
    data = forward._Bytes(text)
    forward._aids(data, aided, Counter())
    return data


def _site(text: str, decoder: str, aided: list[str]) -> str:
    """`text` as a site keeps it that writes some full-width marks half-width before it inserts the aids."""
    data = forward._Bytes(text)
    forward._ascii_marks(data, Counter())
    forward._aids(data, aided, Counter())
    return forward.site_decode(bytes(data.buf), decoder)


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
    assert result.text == repair(_CLEAN).text, (page, result.text)
    assert result.uncertain_count >= 1  # the two lost bytes are a guess, counted on the page
