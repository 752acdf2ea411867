"""Report repair on the dev splits' damage (issue #15, session 16 `repair6`)."""

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from kechuang.ingest.parsers import mojibake, repair

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
    assert result.uncertain_count == 1


def test_a_run_that_reads_garbled_without_a_dropped_pair_still_gets_one():
    """; (A3 BB) straddled 。|基 after a figure and the dropping decoder lost 基's trail with 礎's lead
    (F9 B5, unmappable): the pair is guessed back."""
    result = repair("基礎研究經費支出12.5億元,增長10.9%;A研究、應用研究和試驗發展經費")
    assert "增长10.9%。基础研究、应用研究" in result.text, result.text
