"""Report repair (issue #15, session 24 `repair23`): a mark run's last character lost whole after a dropped pair and
known only by its aid, a lost lead the page's own words tell, and a `?` decoder's lost lead before a letter-closed
run. Pages are damaged with the forward model's own byte-level steps (benchmarks/ingest/forward.py: GBK bytes, the
site's ASCII marks, a reading aid inserted after every occurrence of a character's bytes, then the site's decoder)."""

import functools
import re
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import Levenshtein

from kechuang.ingest.parsers import repair
from kechuang.ingest.tests import bench
from kechuang.ingest.tests.marks import as_read

forward = bench.load("forward.py")
_AIDS = re.compile(r"[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}[)）]")
_MARKED = re.compile(r"〔存疑：([^〕]*)〕")


_site = functools.partial(bench.site, ascii_marks=True)  # some full-width marks half-width before the aids


# 。“十四五 = A1 A3 A1 B0 CA AE CB C4 CE E5: ！ = A3 A1 straddles 。|“ and the site writes it `!`; 。's lead A1, orphaned
# by it, is dropped; B0 CA reads 笆; 十's trail AE and 四's lead CB are an unmappable pair, dropped; 四's trail C4 is
# orphaned by the `(` of 四's own aid and dropped too. 四 is lost whole and known by its aid only.
_LOST_WHOLE = "已完成全年目標任務的78.1%。“十四五”以來，技術合同成交額年均增長21.6%。"


def test_a_mark_runs_last_character_lost_whole_is_read_from_its_aid():
    page = _site(_LOST_WHOLE, "drop", ["四"])
    assert "%!笆(sì)五" in page, page
    result = repair(page)
    assert as_read(result.text) == repair(_LOST_WHOLE).text, (page, result.text)


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


# 。縣 = A1 A3 BF 68: ？ = A3 BF straddles 。|縣 and the site writes it `?`; 縣's trail 68 reads `h`. A `?` decoder shows
# 。's orphaned lead A1 as `?` and eats the `?` after it; which mark it ate the words do not tell (，: 琱, ？: 縣): the
# commoner character, as after text in step elsewhere - before a letter only where it is a common one.
_LETTER_CLOSED = "苡溪竹產業科技小院建成投用，入駐研究生十二名。縣科技企業孵化器在孵企業四十餘家。"


def test_a_letter_closed_run_after_an_eaten_mark_reads_the_commoner_character():
    page = _site(_LETTER_CLOSED, "qmark", [])
    assert "名?h科技" in page, page
    assert repair(page).text == repair(_LETTER_CLOSED).text, (page, repair(page).text)


def test_a_rare_character_is_not_taken_before_a_letter():
    # repair14's signature: ？ with M (縈 = BF 4D is rare) stays marked
    assert "〔存疑：？M博士〕" in repair("研究院?M博士27名。").text


# ... and with a dropping decoder, 縣's own aid after the `h` (a site that inserts its aids before it writes marks
# half-width, as one inserting commas does): the reading whose last character the aid is read as
_LETTER_AID = "全省孵化器達到132家，其中某市孵化器31家。縣域孵化器數量達到52家，比上年增加9家。"


def test_a_letter_closed_runs_last_character_is_the_one_its_aid_is_read_as():
    data = forward._Bytes(_LETTER_AID)
    forward._aids(data, ["縣"], Counter())
    forward._ascii_marks(data, Counter())
    page = forward.site_decode(bytes(data.buf), "drop")
    assert "31家?h(xiàn)域" in page, page
    assert repair(page).text == repair(_LETTER_AID).text, (page, repair(page).text)


# 年，全省科技 = C4 EA A3 AC C8 AB CA A1 BF C6 BC BC: 辏 = EA A3 (còu) straddles 年|， and gets its aid there; ，'s lead A3,
# orphaned by the `(`, is dropped; ，'s trail AC with 全's lead C8, and 全's trail AB with 省's lead CA, are two unmappable
# pairs side by side, dropped unseen; 省's trail A1 reads on with 科's lead as 】. The lost lead read with A1 makes ！
# (年！科技): no clean prose, so the readings with a pair dropped are searched too, and 年，省科技 is taken - one character
# (全, between the two pairs) still short: two pairs side by side are not searched (tried: three lost characters make a
# word with nearly anything).
_TWO_PAIRS = (
    "**省科學技術廳 **省財政廳\n2023年，全省科技經費投入繼續保持較快增長，研究與試驗發展經費投入強度穩步提高，"
    "財政科技支出平穩增長。"
)


def test_an_exclamation_mark_from_a_lost_lead_is_no_clean_prose():
    data = forward._Bytes(_TWO_PAIRS)
    forward._aids(data, ["辏"], Counter())
    page = forward.site_decode(bytes(data.buf), "drop")
    assert "2023年(còu)】萍" in page, page
    result = repair(page).text
    assert "！" not in result and "2023年，省科技经费" in as_read(result), (page, result)
