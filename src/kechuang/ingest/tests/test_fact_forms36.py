"""Issue #15 item 4: forms a report writer uses that the corpus's clean texts still missed (session 31, helper
facts36). The sentences are written for the tests (fictional places: 泺岷省 and its cities), not copied from the
corpus."""

from hypothesis import given
from hypothesis import strategies as st

from kechuang.ingest.tests.facts import values


@given(
    st.integers(1, 9),
    st.integers(1, 20),
    st.sampled_from(("年", "人", "倍", "个", "万元")),
    st.sampled_from(("从研发到量产一般需要{}，", "每个项目配备{}，", "成本可降低{}，")),
)
def test_a_range_written_with_an_ascii_hyphen(low, more, unit, words):
    """通常要经过3-5年: a range written with an ASCII hyphen is two facts in the second's unit, as 3至5年 and 3—5年 are
    (FACTS_KEY: a range); neither figure is negative."""
    high = low + more
    scale = 10_000 if unit == "万元" else 1
    text = f"泺岷省科技厅介绍，{words.format(f'{low}-{high}{unit}')}今年将继续推进。"
    facts = values(text, year=2026)
    name = "元" if unit == "万元" else unit
    assert (str(low * scale), name, "2026") in facts
    assert (str(high * scale), name, "2026") in facts


@given(st.integers(1, 9), st.integers(1, 9))
def test_a_rates_range_with_an_ascii_hyphen(low, more):
    """每小时8-10亩: both figures of a rate's range in the rate's unit."""
    text = f"泺州市新型插秧机每小时可作业{low}-{low + more}亩。"
    facts = values(text, year=2026)
    assert (str(low), "亩/小时", "2026") in facts
    assert (str(low + more), "亩/小时", "2026") in facts


def test_a_hyphen_in_a_code_a_date_or_a_span_of_years_is_no_range():
    """GB/T 7714-2015, 0571-88886666, 2026-03-15, 2025-2027年, 气温-5℃: a standard's number, a telephone number, a date
    and a span of years give no figure; a minus sign after no digit still makes a figure negative."""
    text = "泺州市按GB/T 7714-2015执行，咨询电话0571-88886666，于2026-03-15前提交，2025-2027年实施。"
    assert values(text, year=2026) == set()
    assert ("-5", "摄氏度", "2026") in values("泺州市当天最低气温-5℃。", year=2026)
