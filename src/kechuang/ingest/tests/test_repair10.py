"""Report repair on the dev splits' damage (issue #15, session 20 `repair10`): the character model that
chooses among a lost byte's options reads the page's own character pairs as a cache (a report repeats its
terms and writes them before its figures). Pages are damaged with the forward model's own byte-level steps
(benchmarks/ingest/forward.py: GBK bytes, a reading aid inserted by byte-level find-and-replace, the site's
decoder), as in test_repair9."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kechuang.ingest.parsers import charlm, repair
from kechuang.ingest.tests.marks import as_read
from kechuang.ingest.tests.test_repair9 import _LINE, _site


def test_the_word_the_page_writes_before_a_figure_is_read_before_a_figure():
    """刂 (D8 D6) straddles 截|至: the aid pins the lead D6 and the lost trail is any of D6's. The page
    writes both words once, 截至 before a figure (截至9月末) and 截止 before a word (截止日期): repair9's
    echo cannot tell (both are written beside 截); the page's own pairs can: 至 stands before a figure on
    this page, 止 never."""
    page = "截至9月末，技術合同登記1200項；截止日期為10月。" + _site(_LINE, "刂")
    assert "截(dāo)2024年底" in page, page
    result = repair(page)
    assert "。截至2024年底，全市共有高新技术企业312家。" in as_read(result.text), result.text
    assert result.uncertain_count == 1  # still a guess, still counted on the page
    # ... and the page that writes only 截止 (before a figure) reads 截止
    page = "截止9月末，技術合同登記1200項。" + _site(_LINE, "刂")
    assert "。截止2024年底" in as_read(repair(page).text)


def test_the_page_tells_nothing_then_the_model_alone_decides():
    """No page, or a page that writes none of the pairs: the scores are the model's own."""
    middles = ["止", "至", "，", "底"]
    base = charlm.scores_between("截", middles, "2")
    assert charlm.scores_on_page("截", middles, "2", None) == base
    assert charlm.scores_on_page("截", middles, "2", charlm.PageCounts("全市共有企業312家。")) == base


def test_a_mark_gains_nothing_from_the_page():
    """Only pairs of Han characters (or a Han character beside a figure) are read from the page: a mark is
    not a term it repeats (`、研究` says nothing about `，研`)."""
    page = charlm.PageCounts("、研究、研究、研究")
    assert charlm.scores_on_page("分", ["，", "、"], "研", page) == charlm.scores_between(
        "分", ["，", "、"], "研"
    )


_HAN = st.text(alphabet=st.sampled_from("科技创新券企业研发投入截至止年底的全省平均"), min_size=1, max_size=4)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    left=_HAN,
    middles=st.lists(_HAN, min_size=1, max_size=4),
    right=_HAN,
    page=st.text(alphabet=st.sampled_from("科技创新券企业研发投入截至止年底的全省平均，。、"), max_size=40),
)
def test_the_page_only_ever_adds_to_an_option(left, middles, right, page):
    """A pair the page writes raises an option's score; nothing the page writes lowers one: an option the
    page says nothing about keeps the model's score."""
    base = charlm.scores_between(left[-1:], middles, right[:1])
    mixed = charlm.scores_on_page(left[-1:], middles, right[:1], charlm.PageCounts(page))
    for m, b, s in zip(middles, base, mixed, strict=True):
        assert s >= b
        text = left[-1:] + m + right[:1]
        if not any(text[k : k + 2] in page for k in range(len(text) - 1)):
            assert s == b
