"""Report repair (issue #15.3, session 36 `repair38`).

A site that writes ！ as `!` replaces the bytes A3 A1 wherever they stand: in 。” (A1 A3 A1 B1) and 。“ (A1 A3 A1 B0)
they straddle the two marks, 。's lead is orphaned before the `!` and the quotation mark's trail is read as a lead
with the next character's: the text after the mark runs one byte out of step up to the next ASCII byte. Such a run
was left as it stood (`推广！绷〔隐去〕明说` for 推广。”羅明說, the trail `_` of 羅 = C1 5F taken for a redaction) or
only its shown lost byte marked; it is read back (`parsers.quotes`), its guessed characters marked.

Pages are made from sentences written for these tests: GBK bytes, the ！ bytes replaced by `!`, decoded as the
forward model's decoders do (benchmarks/ingest/forward.py `site_decode`).
"""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from kechuang.ingest.parsers import repair
from kechuang.ingest.parsers.quotes import quote_runs
from kechuang.ingest.tests import bench

forward = bench.load("forward.py")

_MARK = re.compile(r"〔存疑：([^〕\n]*)〕")


def _page(clean: str, decoder: str) -> str:
    """`clean` as a site shows it that writes ！ as `!` (and ，as `,`), decoded by `decoder`."""
    data = clean.encode("gbk").replace("！".encode("gbk"), b"!").replace("，".encode("gbk"), b",")
    return forward.site_decode(data, decoder)


def test_a_name_after_a_closing_quote_read_back_not_taken_for_a_redaction():
    clean = "试验田今年就能推广。”羅明說。"
    page = _page(clean, "drop")
    assert page == "试验田今年就能推广!绷_明說。"  # 。's lead dropped, 羅 = C1 5F read with ”'s trail B1
    result = repair(page)
    assert result.text == "试验田今年就能推广。”罗明说。"
    assert result.uncertain_count == 0  # nothing guessed: every byte is on the page


def test_a_run_after_an_opening_quote_read_back_on_a_page_showing_lost_bytes():
    # 臺 = C5 5F: its trail `_` ended the run (and was taken for a redaction); the lost lead showed as U+FFFD
    clean = "全市今年已装机三十台。“首臺（套）装备最难的是第一步。"
    page = _page(clean, "replace")
    assert page == "全市今年已装机三十台\ufffd!笆着_（套）装备最难的是第一步。"
    result = repair(page)
    assert result.text == "全市今年已装机三十台。“首台（套）装备最难的是第一步。"
    assert result.uncertain_count == 0


def test_a_quote_s_lost_speaker_is_marked_not_left_garbled():
    # 他說 = CB FB D5 66: out of step, B1 CB reads 彼, FB D5 is a pair no decoder maps (dropped, or a `?`), the
    # trail `f` brings the decoder back. 他 is one of CB's characters, chosen by the dictionary: marked
    clean = "产值翻了一番。”他說，企业明年还要扩建两条生产线。"
    for decoder, shown in (("drop", "!彼f,"), ("qmark", "?彼?f,")):
        page = _page(clean, decoder)
        assert shown in page
        result = repair(page)
        head = result.text.split("，")[0]
        assert head.startswith("产值翻了一番。”"), (decoder, result.text)
        assert "彼" not in head and "f" not in head and "！" not in head
        assert _MARK.search(head), (decoder, result.text)  # the guessed characters are marked
        assert result.uncertain_count >= 1
        assert result.text.endswith("企业明年还要扩建两条生产线。")


def test_an_opening_quote_and_the_words_after_it_still_read_back():
    # (read so on main already, by a re-read run: the new reading does not take it from there)
    clean = "合作银行今年新增三家。“風險補償资金池”规模扩大到两亿元。"
    page = _page(clean, "drop")
    assert page == "合作银行今年新增三家!帮L險補償资金池”规模扩大到两亿元。"
    assert repair(page).text == "合作银行今年新增三家。“风险补偿资金池”规模扩大到两亿元。"


def test_a_real_exclamation_mark_before_text_in_step_is_left():
    # (a guard: left so on main too)
    # the character after the `!` has no quotation mark's trail for a lead (B0, B1): nothing to read back ...
    assert repair("大会向获奖者表示热烈祝贺!这几年全市创新成果丰硕。").text == (
        "大会向获奖者表示热烈祝贺！这几年全市创新成果丰硕。"
    )
    # ... and where it has (本 = B1 BE), the words the text already makes are not traded for a reading
    assert repair("大会向获奖者表示热烈祝贺!本届大会共评出一等奖五项。").text == (
        "大会向获奖者表示热烈祝贺！本届大会共评出一等奖五项。"
    )


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="科技创新企业研发投入增长成果转化合同本届北岭市。，、“”0123456789", max_size=60))
def test_no_reading_without_a_replaced_mark(text):
    # a page with no `!` or `?` has no replaced ！ whose bytes straddled 。 and a quotation mark
    assert quote_runs(text, []) == []


@settings(max_examples=40, deadline=None)
@given(
    st.text(alphabet="科技创新企业研发投入增长成果转化合同本届北岭市", min_size=2, max_size=12),
    st.sampled_from("“”"),
    st.text(alphabet="科技创新企业研发投入增长成果转化合同本届北岭市", min_size=2, max_size=12),
)
def test_a_replaced_bang_s_reading_keeps_the_text_before_it(before, quote, after):
    # whatever the decoder made of 。 + quote + the text after, a reading put back starts at the trigger: the text
    # before it stays as it was, and where the reading is taken it opens with 。 and a quotation mark
    page = _page(before + "。" + quote + after, "drop")
    for e in quote_runs(page, []):
        assert e.start >= len(before) and page[: e.start] == before
        assert e.after[:1] == "。" and e.after[1:2] in "“”", (page, e)
