"""Report repair on the dev splits' damage (issue #15, session 16 `repair6`)."""

import re
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from kechuang.ingest.parsers import inserts, mojibake, repair
from kechuang.ingest.parsers.charsets import SUSPICIOUS
from kechuang.ingest.tests.marks import as_read

# a few characters of each kind a damaged run holds: common ones, rare ones decoded out of step, CJK marks
_RUN_CHARS = "市科技局负责人介绍笔锌萍季重撠熑私榻惫狙蟹⒅行母涸鹑怂，。”"


@settings(max_examples=60, deadline=None)
@given(
    trigger=st.sampled_from(["!", ",", ";", ":", "?", "\ufffd", "_"]),
    span=st.text(alphabet=_RUN_CHARS, min_size=1, max_size=8),
    trail=st.sampled_from(["", "B", "F", "_", "\ufffd"]),
)
def test_readings_without_and_with_a_dropped_pair_are_all_the_readings(trigger, span, trail):
    """`_best_reading` scans the readings that lose no pair first, then those that lose one: together they
    are every reading `_candidates` gives, each once."""
    every = Counter((tuple(s), u, n) for s, u, n in mojibake._candidates(trigger, span, trail))
    split = Counter(
        (tuple(s), u, n)
        for drops in (False, True)
        for s, u, n in mojibake._candidates(trigger, span, trail, drops=drops)
    )
    assert split == every


def test_a_run_that_reads_as_text_without_a_dropped_pair_is_not_given_one():
    """dev4-03 s3: ！ (A3 A1) straddled 。|” after 的's own aid; the run after it reads 。”市科技局負責人介紹
    with only the lost lead guessed. A pair dropped between 市's bytes (CA FD D5 D0, 数招) made one word
    more and won: two characters guessed together make a word with the text around too easily."""
    result = repair(
        "不少企業是帶着具體問題來的(de)!笔锌萍季重撠熑私榻B,對接會前,市科技局組織技術經紀人走訪企業。"
    )
    assert "来的。”市科技局负责人介绍，对接会前" in result.text, result.text
    assert result.uncertain_edit_count == 1


def test_a_run_that_reads_garbled_without_a_dropped_pair_still_gets_one():
    """; (A3 BB) straddled 。|基 after a figure and the dropping decoder lost 基's trail with 礎's lead
    (F9 B5, unmappable): the pair is guessed back."""
    result = repair("基礎研究經費支出12.5億元,增長10.9%;A研究、應用研究和試驗發展經費")
    assert "增长10.9%。基础研究、应用研究" in as_read(result.text), result.text


@settings(max_examples=80, deadline=None)
@given(
    pieces=st.lists(st.text(alphabet="日宕锏级以上度整体", min_size=1, max_size=4), min_size=2, max_size=5),
    closing=st.sampled_from(["", "6", "B"]),
)
def test_a_run_after_an_aid_may_end_at_any_of_its_first_lost_bytes(pieces, closing):
    """`_run_variants` of a run holding U+FFFDs: the run to its first one, the run whole, and the run to a
    later one where the rest of the run holds no rare character - each variant's span is the text from the
    run's start, and one that ends on a U+FFFD ends right after it."""
    text = "成熟(yú)" + "\ufffd".join(pieces) + closing + "，其中"
    after = text.index(")") + 1
    full = inserts._RUN_AFTER_AID.match(text, after).group("s")
    variants = inserts._run_variants(text, after)
    ends = [end for _span, clos, end, _lost, _reading in variants if clos == "\ufffd"]
    assert ends[0] == after + full.index("\ufffd") + 1
    for end in ends[1:]:
        assert not any(c in SUSPICIOUS for c in full[end - after :])
    for span, clos, end, _lost, _reading in variants:
        assert text.startswith(span, after)
        if clos == "\ufffd":
            assert text[end - 1] == "\ufffd" and after + len(span) == end - 1


def test_a_run_after_an_aid_ends_at_the_lost_byte_before_text_in_step():
    """dev2-15 s3: 雩's aid (EC B6, 熟|度) inside 度; the `?` decoder showed the unmappable pair 整's trail and
    体's lead (FB CC) as `?` inside the run, then 到's trail BD with the 6 after it as another `?`: the run
    ends there, 级以上 is in step, and the digit the `?` ate is marked."""
    result = repair("通过验收5项;项目结题时技术成熟?yú)日?宕锏?级以上,其中8项项目达到8级。")
    assert re.search("体达到〔存疑：？〕级以上，其中8项", as_read(result.text)), result.text
    assert result.uncertain_count >= 1
