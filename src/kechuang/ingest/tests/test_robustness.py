"""Any bytes in, never a crash: random and adversarial input through decode, repair and extraction."""

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kechuang.ingest import parsers
from kechuang.ingest.parsers.entities import find_mentions

SAMPLE_CHARS = "強科技行動總結省廳開發(kāi)工程(技術)，,。、**_……（省略759字）!靶⌒突仉x\ufffd?()（）12個家項億元%第位到2025年月日 \n"


def _check(text: str):
    result = parsers.repair(text)
    n, m = len(text), len(result.text)
    for c in result.changes():
        assert 0 <= c.orig_start <= c.orig_end <= n
        assert 0 <= c.rep_start <= c.rep_end <= m
    for f in parsers.extract_facts(result.text, year=2023, result=result):
        assert 0 <= f.start <= f.end <= m
        assert 0 <= f.orig_start <= f.orig_end <= n
    find_mentions(result.text)
    return result


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=600), st.sampled_from(["a.txt", "b.html", "c", "d.docx", "e.pdf", "f.xyz"]))
def test_random_bytes_never_crash(data, name):
    try:
        decoded = parsers.decode_document(data, name)
    except parsers.UnsupportedDocument as exc:
        assert exc.message
        return
    _check(decoded.text)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=SAMPLE_CHARS, max_size=300))
def test_adversarial_report_like_text(text):
    _check(text)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(["utf-8", "gb18030", "big5"]), min_size=1, max_size=5),
    st.text(alphabet="科技創新平台，。(kāi)12個", max_size=40),
)
def test_mixed_encodings(encodings, text):
    data = b"\n".join(text.encode(enc, errors="replace") for enc in encodings)
    decoded = parsers.decode_document(data, "mixed.txt")
    _check(decoded.text)


def test_unbalanced_parentheses_and_empty_input():
    for text in [
        "",
        "(",
        ")",
        "（（（",
        "開(kāi",
        "工程(技術",
        "……(省略",
        "(未完,全文共10字,當前僅顯示20字",
        "\ufffd" * 50,
    ]:
        _check(text)


def test_a_huge_line_is_repaired_in_linear_time():
    unit = "強科技行動總結(jié),創(chuàng)新平臺建設**取得新成效12個實驗室。"
    small = unit * 2000
    big = unit * 20000  # about 0.8 MB on one line
    t0 = time.perf_counter()
    _check(small)
    t_small = time.perf_counter() - t0
    t0 = time.perf_counter()
    result = parsers.repair(big)
    t_big = time.perf_counter() - t0
    assert "(jié)" not in result.text
    assert t_big < 30 * max(t_small, 0.01)  # 10x the text, not 100x the time
