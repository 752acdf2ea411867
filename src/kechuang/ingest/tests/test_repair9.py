"""Report repair on the dev splits' damage (issue #15, session 19 `repair9`): a lost byte the dictionary
cannot decide is read as the page itself writes the word elsewhere. Pages are damaged with the forward
model's own byte-level steps (benchmarks/ingest/forward.py: GBK bytes, a reading aid inserted by byte-level
find-and-replace, the site's decoder)."""

from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kechuang.ingest.parsers import repair
from kechuang.ingest.tests import bench
from kechuang.ingest.tests.marks import as_read

forward = bench.load("forward.py")


def _site(text: str, aided: str, decoder: str = "drop") -> str:
    """`text` as the site keeps it: GBK bytes with `aided`'s reading aid inserted after every occurrence
    of its bytes (also where they straddle two characters), decoded by the site's decoder."""
    data = forward._Bytes(text)
    forward._aids(data, [aided], Counter())
    return forward.site_decode(bytes(data.buf), decoder)


# 刂 (D8 D6, read dāo) straddles 截|至 (BD D8 | D6 C1): its aid lands inside 至, whose lead is orphaned before
# the aid and whose trail is lost before the ASCII digit after it. The aid pins the lead D6; the trail is
# any of D6's: 截止 and 截至 are both words, and the dictionary ranks 止 first.
_LINE = "截至2024年底，全市共有高新技術企業312家。"


def test_a_lost_trail_the_dictionary_cannot_decide_is_read_as_the_page_writes_the_word():
    page = _site("主要指標完成情況如下。" + _LINE, "刂")
    assert page == "主要指標完成情況如下。截(dāo)2024年底，全市共有高新技術企業312家。"
    # alone, nothing on the page tells 止 from 至: the dictionary's pick stands
    assert as_read(repair(page).text).startswith("主要指标完成情况如下。截止2024年底"), repair(page).text
    # where the page writes 截至 elsewhere (a figure after it that no aid broke), that is the reading
    page = _site("截至9月末，技術合同登記1200項。" + _LINE, "刂")
    assert page.startswith("截(dāo)9月末"), page
    # (both 截至 are damaged: only a page that writes the word clean somewhere tells)
    page = "截至9月末，技術合同登記1200項。" + _site(_LINE, "刂")
    result = repair(page)
    assert (
        as_read(result.text) == "截至9月末，技术合同登记1200项。截至2024年底，全市共有高新技术企业312家。"
    ), result.text
    assert result.uncertain_count == 1  # still a guess, still counted on the page


def test_a_mark_is_not_taken_from_the_page_over_the_dictionary():
    """The page's own words break ties between characters only: a lost byte's reading as a mark (， or 。)
    against a character is left to the dictionary, as before (a page writes `、研究` and `海洋` anywhere)."""
    from kechuang.ingest.parsers import gbk

    class Page:
        def echo(self, s: str) -> int:
            return 5

    token = gbk.OWN_RARE.set(Page())
    try:
        assert gbk._echoed(["，", "、"], 0, [1], "分", "研") is None
        assert gbk._echoed(["止", "、"], 0, [1], "截", "研") is None
    finally:
        gbk.OWN_RARE.reset(token)


_CLAUSES = st.lists(
    st.sampled_from(
        [
            "全市共有高新技術企業312家",
            "技術合同成交額增長12.5%",
            "新建省級重點實驗室4家",
            "科技型中小企業達到1800家",
        ]
    ),
    min_size=1,
    max_size=3,
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(before=_CLAUSES, after=_CLAUSES, month=st.integers(1, 12))
def test_the_page_word_holds_in_any_surrounding_text(before, after, month):
    clean = f"截至{month}月底，" + "，".join(before) + "。"
    damaged = _site("截至2024年底，" + "，".join(after) + "。", "刂")
    result = repair(clean + damaged)
    expected = clean + "截至2024年底，" + "，".join(after) + "。"
    assert as_read(result.text) == repair(expected).text
    assert "截至2024年底" in as_read(result.text)


def _site_marks(text: str, decoder: str) -> str:
    """`text` as a site keeps it that writes the full-width marks in their ASCII form (forward.py's
    byte-level find-and-replace: also where a mark's bytes straddle two characters), then decoded."""
    data = forward._Bytes(text)
    forward._ascii_marks(data, Counter())
    return forward.site_decode(bytes(data.buf), decoder)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mark=st.sampled_from("，；：！"))
def test_a_shown_lead_before_a_replaced_mark_whose_run_ends_before_a_half_width_mark(mark):
    """。” (A1 A3 A1 B1) holds ！'s bytes (A3 A1): replaced by `!`, the orphaned A1 of 。 shows as U+FFFD and
    the run after it reads one byte out of step until the `f` of 說 (D5 66) brings the decoder back. That run
    was re-read where the letter stood before Chinese text or a full-width mark, not before the mark the site
    also wrote in its ASCII form (`苏f,去年`): left garbled and marked."""
    page = _site_marks(f"我們對接銷路。”合作社負責人說{mark}去年合作社", "replace")
    assert page.startswith("我們對接銷路\ufffd!焙献魃缲撠熑苏f"), page
    result = repair(page)
    assert result.text.startswith("我们对接销路。”合作社负责人说"), result.text
    assert "去年合作社" in result.text
