"""Report repair on shapes the mojibake step did not recognise (issue #15, session 20 `repair11`): a page
whose site inserted commas before punctuation and only afterwards wrote its full-width marks in their ASCII
form. Pages are damaged with the forward model's own byte-level steps (benchmarks/ingest/forward.py: GBK
bytes, reading aids and commas inserted by byte-level find-and-replace, then the marks replaced, then the
site's decoder), in that order (`commas_before_ascii`); and, on a page whose decoder shows U+FFFD, a pair of
characters around a replaced mark both of whose outer bytes are shown lost."""

from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kechuang.ingest.parsers import repair
from kechuang.ingest.tests import bench

forward = bench.load("forward.py")
_DECODERS = st.sampled_from(["drop", "qmark", "replace"])


def _site(text: str, decoder: str, commas: str = "。", aided: str = "") -> str:
    """`text` as such a site keeps it: `aided`'s reading aid inserted after every occurrence of its bytes,
    a comma before every occurrence of the bytes of each mark in `commas` (also where they straddle two
    characters), then every full-width mark written in its ASCII form; decoded by the site's decoder."""
    data = forward._Bytes(text)
    if aided:
        forward._aids(data, [aided], Counter())
    forward._commas(data, {"comma_marks": list(commas)}, Counter())
    forward._ascii_marks(data, Counter())
    return forward.site_decode(bytes(data.buf), decoder)


# 。現 = A1 A3 AC 46 holds ，'s bytes (A3 AC), straddling 。|現. The comma inserted before 。 (A3 AC A1 A3 …)
# and both commas then written `,`: 家,,F將 (drop: 。's lead A1 lost), 家,?F將 (`?`: A1 shown with the `,` it
# ate), 家,�,F將 (U+FFFD). Without the inserted comma the mojibake step re-reads these (`_LETTER_TRAIL`,
# `_EATEN_MARK_TRAIL`, `_LOST_MARK`); with it, the comma stood between the text and the mark and nothing was
# recognised: the run was left as `F將` (or `？萍计髽I`), most often with the page saying 0 uncertain.
_MARK_INSIDE = [
    "全年新增企業378家。現將主要工作報告如下",
    "實行創新券制度。現將2025年工作報告如下",
    "共有從業人員1296人。科技企業孵化器和眾創空間",
]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(clean=st.sampled_from(_MARK_INSIDE), decoder=_DECODERS)
def test_a_comma_before_a_mark_that_straddled_two_characters(clean, decoder):
    page = _site(clean, decoder)
    assert "," in page and "。" not in page, page
    result = repair(page)
    assert result.text == repair(clean).text, (page, result.text)
    assert result.uncertain_edit_count >= 1  # the lost lead is a guess, counted on the page


def test_the_comma_run_reads_as_the_page_without_the_commas():
    """`！` (A3 A1) straddled 。|” and 。|“: with the comma before 。 the run reads as it does without it."""
    for clean in ("達到任務書要求。”專家組組長說", "發展科技金融。“科技貸”新增放款12億元"):
        for decoder in ("drop", "replace"):
            page = _site(clean, decoder)
            assert page.count(",") == 1, page
            assert repair(page).text == repair(clean).text, page


# ；揭 = A3 BB BD D2: 唤 (BB BD, read huàn) straddles ；|揭, so its aid lands inside 揭; the ASCII `;` written for
# ； afterwards leaves 揭's lead BD orphaned before the aid (`,;?huàn)野駟` under the `?` decoder, which ate the
# aid's `(`), and the run after the aid reads one byte out of step. The byte before the lost lead is ；'s
# trail BB, not the `;` on the page: the aid pins the lead (BB BD is 唤), and the run decodes in step again.
@settings(max_examples=9, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    decoder=_DECODERS,
    clean=st.sampled_from(["完成任務。；揭榜單位為企業", "通過初審；經專家評審，共有12家"]),
)
def test_an_aid_inside_the_character_after_a_mark_written_in_ascii(clean, decoder):
    page = _site(clean, decoder, commas="；", aided="唤")
    assert "huàn)" in page and ";" in page, page
    result = repair(page)
    assert result.text == repair(clean).text, (page, result.text)
    assert "huàn" not in result.text and "?" not in result.text


def _site_marks(text: str, decoder: str) -> str:
    """`text` as a site keeps it that writes the full-width marks in their ASCII form (no commas)."""
    data = forward._Bytes(text)
    forward._ascii_marks(data, Counter())
    return forward.site_decode(bytes(data.buf), decoder)


# 。” = A1 A3 A1 B1 holds ！ (A3 A1) straddling 。|”: replaced by `!`, 。's lead A1 is orphaned (shown U+FFFD, the
# `!` read again) and so is ”'s trail B1 before an ASCII byte: `�!�`. The mark's second byte leads the second
# character, so it is a mark of row A1, and a quote is the one the paragraph calls for; the text after the pair
# is in step (nothing was eaten). The re-reading had filled the trail as any lost byte: `。。`, the quote lost.
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    clean=st.sampled_from(
        [
            "他說：“投入1萬元。”4月以來，產值增長。",
            "他說：“投入1萬元。”2025年，產值增長。",
            "他說：“投入1萬元。”\n另外，產值增長。",
            "總發電量達到12億千瓦時。“7×24小時”服務全面開通。",
        ]
    )
)
def test_a_shown_pair_around_a_replaced_mark_before_an_ascii_byte(clean):
    page = _site_marks(clean, "replace")
    assert "\ufffd!\ufffd" in page, page
    result = repair(page)
    assert result.text == repair(clean).text, (page, result.text)
    assert result.uncertain_edit_count >= 1


def test_a_shown_pair_before_a_letter_is_not_read_as_two_marks():
    """Before a letter (a possible trail byte) the second U+FFFD may be an unmapped pair - Y's trail with the
    next character's lead - and the letter that character's trail (`元�;�A` for 元。基礎: ； = A3 BB straddled 。|基,
    基's trail F9 and 礎's lead B5 unmapped, 礎's trail the `A`): not the shape."""
    from kechuang.ingest.parsers import mojibake

    page = _site_marks("投入資金1.7億元。基礎研究經費增長", "replace")
    assert "\ufffd;\ufffdA" in page, page
    assert not mojibake._SHOWN_PAIR.search(page)
    assert mojibake._SHOWN_PAIR.search(_site_marks("投入1萬元。”4月以來", "replace"))
