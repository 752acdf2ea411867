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


# Well-formed containers with hostile insides: the decoder gets past the first check and into the reader.
HOSTILE_TEXT = st.text(
    alphabet=st.one_of(st.sampled_from(SAMPLE_CHARS), st.characters(codec="utf-8")), max_size=200
)
CHARSETS = [
    "utf-8",
    "gb2312",
    "big5",
    "utf-16",
    "utf-7",
    "punycode",
    "idna",
    "rot13",
    "hex",
    "zlib",
    "unicode_escape",
    "raw_unicode_escape",
    "cp037",
    "x-bogus",
    "uu",
]


def _docx(paragraphs: list[str]) -> bytes:
    import io

    import docx
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(ILLEGAL_CHARACTERS_RE.sub("", p))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _zip(members: dict[str, bytes]) -> bytes:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


@st.composite
def containers(draw):
    kind = draw(st.sampled_from(["docx", "zip", "html", "pdf"]))
    if kind == "docx":
        return _docx(draw(st.lists(HOSTILE_TEXT, max_size=4))), draw(st.sampled_from(["r.docx", "r"]))
    if kind == "zip":
        names = st.sampled_from(["word/document.xml", "[Content_Types].xml", "_rels/.rels", "x.txt"])
        members = draw(st.dictionaries(names, st.binary(max_size=80), max_size=3))
        return _zip(members), draw(st.sampled_from(["r.docx", "r", "r.txt"]))
    if kind == "html":
        charset = draw(st.sampled_from(CHARSETS))
        body = draw(HOSTILE_TEXT).encode(draw(st.sampled_from(["utf-8", "gb18030", "big5"])), "replace")
        data = f'<html><head><meta charset="{charset}"></head><body><p>'.encode() + body
        return data + draw(st.sampled_from([b"</p></body></html>", b"", b"<script>x", b"<<<>"])), "r.html"
    tail = draw(st.binary(max_size=200))
    return b"%PDF-1." + draw(st.sampled_from([b"4\n", b"7\n", b""])) + tail, draw(
        st.sampled_from(["r.pdf", "r"])
    )


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(containers())
def test_well_formed_containers_with_hostile_insides_never_crash(file):
    data, name = file
    try:
        decoded = parsers.decode_document(data, name)
    except parsers.UnsupportedDocument as exc:
        assert str(exc.message).strip()
        return
    _check(decoded.text)
