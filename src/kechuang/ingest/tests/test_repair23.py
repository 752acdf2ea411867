"""Report repair (issue #15, session 24 `repair23`): a mark run's last character lost whole after a dropped pair and
known only by its aid, a lost lead the page's own words tell, and a `?` decoder's lost lead before a letter-closed
run. Pages are damaged with the forward model's own byte-level steps (benchmarks/ingest/forward.py: GBK bytes, the
site's ASCII marks, a reading aid inserted after every occurrence of a character's bytes, then the site's decoder)."""

import re
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import Levenshtein

from kechuang.ingest.parsers import repair
from kechuang.ingest.tests import bench

forward = bench.load("forward.py")
_AIDS = re.compile(r"[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}[)）]")
_MARKED = re.compile(r"〔存疑：([^〕]*)〕")


def _site(text: str, decoder: str, aided: list[str]) -> str:
    """`text` as a site keeps it that writes some full-width marks half-width before it inserts the aids."""
    data = forward._Bytes(text)
    forward._ascii_marks(data, Counter())
    forward._aids(data, aided, Counter())
    return forward.site_decode(bytes(data.buf), decoder)


# 。“十四五 = A1 A3 A1 B0 CA AE CB C4 CE E5: ！ = A3 A1 straddles 。|“ and the site writes it `!`; 。's lead A1, orphaned
# by it, is dropped; B0 CA reads 笆; 十's trail AE and 四's lead CB are an unmappable pair, dropped; 四's trail C4 is
# orphaned by the `(` of 四's own aid and dropped too. 四 is lost whole and known by its aid only.
_LOST_WHOLE = "已完成全年目標任務的78.1%。“十四五”以來，技術合同成交額年均增長21.6%。"


def test_a_mark_runs_last_character_lost_whole_is_read_from_its_aid():
    page = _site(_LOST_WHOLE, "drop", ["四"])
    assert "%!笆(sì)五" in page, page
    result = repair(page)
    assert result.text == repair(_LOST_WHOLE).text, (page, result.text)


@settings(max_examples=25, deadline=None)
@given(st.sampled_from(["十四五", "十四个", "第四", "四大"]), st.sampled_from(["drop", "replace", "qmark"]))
def test_a_character_known_by_its_aid_only_is_never_made_worse_than_the_page(word, decoder):
    # whatever the decoder, the repair never leaves fewer of the clean text's characters than the page holds
    clean = f"已完成全年目標任務的78.1%。“{word}”以來，技術合同成交額年均增長21.6%。"
    page = _site(clean, decoder, ["四"])
    out = repair(page).text
    assert _right(out, clean) >= _right(page, clean) - 1, (page, out)


def _right(text: str, clean: str) -> int:
    """How many of the clean repair's characters `text` holds (aids out, marked spans read as what they hold)."""
    text = _MARKED.sub(r"\1", _AIDS.sub("", text))
    return len(clean) - Levenshtein.distance(text, repair(clean).text)
