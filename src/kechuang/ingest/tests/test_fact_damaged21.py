"""Issue #15 item 4 on damaged text (session 24, helper facts21): facts read from a repaired text that still holds
the repair's markers. The sentences are written for the tests (fictional places), not copied from the corpus."""

from kechuang.ingest.tests.facts import values as _values


def test_a_figure_right_after_an_unread_uncertain_span_is_not_proposed():
    """约512亿元 whose first digit's bytes were lost reads 〔存疑：？〕12亿元: the digits after an unread span may be
    the figure's tail, so 12亿元 is no value to propose (the span stays counted on the page for the reviewer);
    the sentence's other figures stay."""
    text = "全社会研发经费投入〔存疑：？〕12亿元，增长9.4%。"
    assert _values(text) == {("9.4", "%", "2025")}
    # a decimal point right after the span: 1.25亿元 → 〔存疑：？〕.25亿元
    assert _values("两项合计〔存疑：？〕.25亿元。") == set()
    assert _values("参与揭榜单位〔存疑：?〕9家。") == set()


def test_a_figure_after_a_read_uncertain_span_or_further_on_stays():
    """An uncertain span with a reading (带〔存疑：成果〕187项) or one not touching the figure leaves it a fact;
    text without markers is read as before."""
    assert _values("对接会带〔存疑：成果〕187项。") == {("187", "项", "2025")}
    assert _values("〔存疑：？〕等单位共投入12亿元。") == {("1200000000", "元", "2025")}
    # an empty span or one of U+FFFD before the figure most often stood for a Chinese character
    assert _values("研究与试验发展经〔存疑：〕541.2亿元。") == {("54120000000", "元", "2025")}
    assert _values("年度申领额度不成〔存疑：\ufffd〕30万元。") == {("300000", "元", "2025")}
    assert _values("全社会研发经费投入512亿元，增长9.4%。") == {
        ("51200000000", "元", "2025"),
        ("9.4", "%", "2025"),
    }
