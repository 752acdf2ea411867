"""Report repair where a replaced mark straddled a full stop and the next character right after a reading aid
(issue #15, session 21 `repair13`). Pages are damaged with the forward model's own byte-level steps
(benchmarks/ingest/forward.py: GBK bytes, reading aids inserted after every occurrence of their character's
bytes, full-width marks written in their ASCII form, then the site's decoder).

`屆(jiè)。”省` = … 8C EC (jiè) A1 A3 A1 B1 CA A1 …: 屆 carries its own aid, and ！ (A3 A1) straddles 。|”. Written
`!`, it orphans 。's lead A1 right after the aid's `)`: shown U+FFFD (the `!` read again) or `?` (the `!` eaten
with it), and the run after it reads one byte out of step up to the ASCII trail of a traditional character
(`�!笔】萍紡d` for 。”省科技廳). After Chinese text these were re-read; after an aid's `)` the U+FFFD shape was not
looked for, the `?` shape was read as an aid inside a character (`濟急省科技廳`), and the aid's letters stood in
the place of the words before the run."""

import functools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kechuang.ingest.parsers import repair
from kechuang.ingest.tests import bench

# a `?` page needs one broken `?` the step reads as lost (an aid inside a character: 缣 = E7 CC straddles 寸|碳,
# its aid lands inside 碳), or it reads its `?` marks as written ones
_QMARK_PAGE_HEAD = "大尺寸碳化硅单晶衬底项目。"


_site = functools.partial(bench.site, ascii_marks=True)


_AFTER_AID = [
    ("這是歷屆參與人數最多的一屆。”省科技廳負責人介紹，今年還將繼續。", ("屆",)),
    ("研製了製備設備。“最難的時候,一個月試驗幾十次。", ("備",)),
]


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=st.sampled_from(_AFTER_AID), decoder=st.sampled_from(["qmark", "replace"]))
def test_a_replaced_mark_after_a_full_stop_right_after_an_aid(case, decoder):
    clean, aided = case
    head, aided = (_QMARK_PAGE_HEAD, (*aided, "缣")) if decoder == "qmark" else ("", aided)
    page = _site(head + clean, decoder, aided)
    lost = "?" if decoder == "qmark" else "\ufffd"
    assert f"){lost}" in page, page
    result = repair(page)
    assert result.text.endswith(repair(clean).text), (page, result.text)
    assert result.uncertain_edit_count >= 1  # 。's lead is a guess, counted on the page


def test_the_text_before_an_aid_is_the_left_context():
    """The context a damaged span is read against is the text before the aid that stands right before it."""
    from kechuang.ingest.parsers import mojibake

    text = "最多的一屆(jiè)\ufffd!笔"
    start = text.index("\ufffd")
    assert mojibake._left_of(text, start) == "多的一屆"
    assert mojibake._left_of("最多的一屆\ufffd!笔", 5) == "多的一屆"
    # a closing parenthesis that ends no aid is text
    other = "（含5家）\ufffd!笔"
    assert mojibake._left_of(other, other.index("\ufffd")) == "含5家）"


def test_an_own_aid_before_a_shown_lost_byte_is_not_an_aid_inside_a_character():
    """Under a decoder that shows lost bytes, an aid that landed inside a character leaves that character's
    lead shown before its `(`: a whole character before the aid is the aid's own, and a lost byte after it is
    damage of its own, read as such (not as the run of an aid inside a character)."""
    from kechuang.ingest.parsers import mojibake

    clean = _AFTER_AID[0][0]
    page = _site(_QMARK_PAGE_HEAD + clean, "qmark", ("屆", "缣"))
    aid = page.index("(jiè)?")
    edits = mojibake.find_edits(page)
    assert not any(e.start <= aid < e.end for e in edits), edits  # the aid is left to the reading-aid step
    assert any(e.start == aid + len("(jiè)") and e.after.startswith("。”省") for e in edits), edits
