"""Report repair on shapes the mojibake step did not recognise (issue #15, session 20 `repair11`): a page
whose site inserted commas before punctuation and only afterwards wrote its full-width marks in their ASCII
form. Pages are damaged with the forward model's own byte-level steps (benchmarks/ingest/forward.py: GBK
bytes, reading aids and commas inserted by byte-level find-and-replace, then the marks replaced, then the
site's decoder), in that order (`commas_before_ascii`)."""

import importlib.util
import sys
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kechuang.ingest.parsers import repair

BENCH = Path(__file__).resolve().parents[4] / "benchmarks" / "ingest"


def _forward():
    name = "kechuang_bench_forward_repair11"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, BENCH / "forward.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


forward = _forward()
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
    assert result.uncertain_count >= 1  # the lost lead is a guess, counted on the page


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
