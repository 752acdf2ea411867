"""Report repair (issue #15.3, session 26 `repair26`): the ！ a site wrote over 。” read back on the pages of the
decoders that show the two orphaned leads (`多�!�`, `快??`). Pages are made with the forward model's decoder
(benchmarks/ingest/forward.py `site_decode`) from GBK bytes changed as the site changes them."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kechuang.ingest.parsers import repair
from kechuang.ingest.tests import bench

forward = bench.load("forward.py")


def _ascii_marks(text: str, decoder: str) -> str:
    """`text` with its ！：， written as ASCII marks at the byte level (where their bytes straddle two
    characters too), decoded by the site's decoder."""
    data = text.encode("gbk")
    for full, ascii_ in (("！", b"!"), ("：", b":"), ("，", b",")):
        data = data.replace(full.encode("gbk"), ascii_)
    return forward.site_decode(data, decoder)


# ----------------------------------------------------------------------------- ！ over 。” on every decoder's page

_QUOTED = [
    "老周给记者算起了账：“一亩能卖到八千多块，好的地块还要多。”\n变化是一点点攒出来的。",
    "他说：“我们今年要比去年还勤快。”\n变化是一点点攒出来的。",
    "他说：“我们要把成果转化做得更快。”\n变化是一点点攒出来的。",
]


@pytest.mark.parametrize("decoder", ["drop", "qmark", "replace"])
@pytest.mark.parametrize("clean", _QUOTED)
def test_a_bang_over_a_full_stop_and_a_closing_quotation_mark_on_every_page(clean, decoder):
    # 。” = A1 A3 A1 B1, the middle written `!`: A1 and B1 are orphaned leads, dropped unseen, shown as U+FFFD each
    # (`多�!�`) or as `?` each, the first taking the `!` along (`快??`); a re-reading of those bytes as a character
    # pair (`福。`, `专科`) gave way to the quotation the line leaves open
    page = _ascii_marks(clean, decoder)
    assert "。”" not in page, page
    result = repair(page)
    assert clean in result.text, result.text
    assert result.uncertain_count >= 1


@pytest.mark.parametrize("decoder", ["qmark", "replace"])
def test_the_lost_leads_with_no_quotation_open_are_not_read_as_one(decoder):
    # the same bytes in a line that opens no quotation: not 。” (a line's own marks decide, nothing is guessed)
    page = _ascii_marks("他说：“好。”我们今年要比去年还勤快。”\n变化是一点点攒出来的。", decoder)
    text = repair(page).text
    assert "还勤快。”\n" not in text, text


@settings(max_examples=40, deadline=None)
@given(
    st.text(alphabet="我们今年要比去年还勤快成果转化做得更多好的地块八千", min_size=2, max_size=12),
    st.sampled_from(["qmark", "replace"]),
)
def test_any_quotation_closed_by_lost_leads_is_given_back(said, decoder):
    clean = f"他说：“{said}。”\n变化是一点点攒出来的。"
    page = _ascii_marks(clean, decoder)
    text = repair(page).text
    assert text.endswith("。”\n变化是一点点攒出来的。"), (page, text)
