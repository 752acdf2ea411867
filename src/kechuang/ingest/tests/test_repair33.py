"""Report repair (issue #15, session 31 `repair33`). Pages are damaged with the forward model's own byte-level
steps (benchmarks/ingest/forward.py: GBK bytes, the site's comma before a mark, a reading aid inserted after
every occurrence of a character's bytes, then the site's decoder)."""

from collections import Counter

import pytest

from kechuang.ingest.parsers import gbk, repair
from kechuang.ingest.tests import bench


def _page(clean: str, aided: str, decoder: str = "replace") -> str:
    forward = bench.load("forward.py")
    data = forward._Bytes(clean)
    forward._commas(data, {"comma_marks": ["。"]}, Counter())
    forward._aids(data, list(aided), Counter())
    return forward.site_decode(bytes(data.buf), decoder)


# A U+FFFD page with the site's comma before 。: 舜 = CB B4 straddles 人|次 and gets its aid, the lead B4 is shown as
# U+FFFD before the `(`; 次's trail CE reads with the comma's A3 (危), the comma's AC with 。's A1 is a pair GBK does
# not map (U+FFFD) and 。's A3 is orphaned by the line end (U+FFFD): 。 lost both its bytes, and ends the paragraph.
@pytest.mark.parametrize(
    ("clean", "expected"),
    [
        ("全年接待遊客三百萬人次。\n旅遊收入增長較快。", "三百万人次。\n旅游"),
        ("去年共接待訪客一千人次。\n今年繼續增加。", "一千人次。\n今年"),
    ],
)
def test_an_unmappable_pair_and_an_orphaned_trail_at_a_line_end(clean, expected):
    page = _page(clean, "舜")
    assert "人\ufffd(shùn)危\ufffd\ufffd\n" in page, page
    out = repair(page).text
    assert expected in out, (page, out)
    assert "\ufffd" not in out, out


def test_tokens_both_lost_at_the_end_only_where_told():
    stream = [0xB4, 0xCE, 0xA3, None, None, None]
    assert gbk._tokens(stream) is None
    assert gbk._tokens(stream, orphan_last=True) == ["次", ("T", 0xA3), gbk._BOTH_LOST]
    # the byte before the lost pair known: no unmappable pair before it, refused
    assert gbk._tokens([0xB4, 0xCE, 0xA3, 0xAC, None, None], orphan_last=True) is None
