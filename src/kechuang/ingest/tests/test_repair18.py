"""Report repair where a lost byte's character is a term the page itself writes (issue #15, session 22
`repair18`). Pages are damaged with the forward model's own byte-level steps (benchmarks/ingest/forward.py: GBK
bytes, a reading aid inserted after every occurrence of a character's bytes, then the site's decoder)."""

from kechuang.ingest.parsers import repair
from kechuang.ingest.parsers.gbk import _byte_fits
from kechuang.ingest.tests import bench
from kechuang.ingest.tests.marks import as_read


def _site(text: str, decoder: str, aided: str) -> str:
    """`text` as such a site keeps it: `aided`'s reading aid after every occurrence of its bytes."""
    return bench.site(text, decoder, [aided])


# 强科 = C7 BF BF C6 holds 靠's bytes (BF BF) across the two characters: its aid lands inside 科, the `?` decoder
# eats the orphaned lead with the `(`, and the rest of the sentence is read one byte out of step. There 键's
# trail FC and 技's lead BC make an unmappable pair shown as `?`: 键 (BC FC) is not among BC's commonest
# characters, and the two were read 关件. The page writes 关键 twice in the sentence before.
_PAGE = "全省围绕关键技术攻关开展工作，关键技术取得突破。\n省政府关于实施强科技行动的决定，部署关键技术攻关和创新平台建设。"


def test_a_lost_byte_reads_as_the_page_writes_beside_the_same_neighbour():
    page = _site(_PAGE, "qmark", "靠")
    assert "?kào)" in page and page.count("关键") == 2, page
    text = repair(page).text
    assert "部署关键技术攻关和创新平台" in as_read(text), text


# Where the page does not write the term elsewhere it offers nothing new: the sentence alone reads as the
# dictionary's and the character model's choice did before (not 关键, a guess the page does not back).
def test_a_page_that_does_not_write_the_term_offers_nothing():
    page = _site(_PAGE.split("\n")[1], "qmark", "靠")
    text = repair(page).text
    assert "部署关" in as_read(text) and "技术攻关和创新平台" in as_read(text), text


# A traditional page writes the level as 市級: the choice between 市 and 中 before a lost lead's 级 (both make a
# word with it, 中 the commoner) counts the page's own pairs in any of their forms.
def test_the_page_echo_counts_a_term_in_its_traditional_form():
    from kechuang.ingest.parsers import gbk

    page = gbk.page_rare("培育市級科技企業15家，市級平台8個。")
    assert page.counts().pair("市", "级") == 2
    assert page.counts().pair("中", "级") == 0
    assert page.echo("市级") == 2 and page.echo("中级") == 0
    assert gbk._echo_of(page, "", "市", "级") == 2


def test_page_options_fit_the_known_byte():
    # 键 = BC FC, 件 = BC FE: a lost trail after the lead BC; 健 = BD A1 has another lead
    assert _byte_fits(("T", 0xBC), ("键", "健", "件")) == ("键", "件")
    # a lost lead before the trail D0: 市 = CA D0, 中 = D6 D0; 县 (CF D8) and its traditional form 縣 (BF 68) do not fit
    assert _byte_fits(("L", 0xD0), ("市", "县")) == ("市",)
    assert _byte_fits(("L", 0x68), ("县",)) == ("縣",)
