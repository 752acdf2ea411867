"""Session 34's t2s step (speed17, #15 criterion 5): on the converter's numpy path the step reads where the page
changed, and whether it holds a character of `_NEVER_WRITTEN`, from the code units the conversion looked up
(`t2s._CharByChar.convert_codes`, `steps._PhraseAwareT2S.convert_runs`, `steps._names_kept_by_codes`): the same
converted text and the same runs as the plain conversion and `_run_bounds` on every string."""

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from kechuang.ingest.parsers import steps, t2s
from kechuang.ingest.parsers.edits import LazyEdits

FAST = t2s.converter()
PHRASE_AWARE = steps._converter()


def _plain_convert(text: str) -> str:
    """`_PhraseAwareT2S.convert` as it was before speed17 (both region scans, `_names_kept` as it stands)."""
    converted = steps._opencc().convert(text)
    if converted != text and len(converted) == len(text):
        if steps._beyond_bmp(converted):
            converted = steps._kept_in_bmp(text, converted)
        if steps._NAME_KEPT.search(text) or steps._NEVER_WRITTEN_RE.search(text):
            converted = steps._names_kept(text, converted)
    if "著" not in converted:
        return converted
    return steps._ZHE.sub(lambda m: steps._zhe_or_zhu(converted, m.start()), converted)


def _plain_run(text: str):
    converted = _plain_convert(text)
    if converted == text or len(converted) != len(text):
        return converted, None
    starts, ends = steps._run_bounds(text, converted)
    return converted, (starts.tolist(), ends.tolist())


def _check(text: str) -> None:
    converted, runs = PHRASE_AWARE.convert_runs(text)
    plain, plain_runs = _plain_run(text)
    assert converted == plain
    assert PHRASE_AWARE.convert(text) == plain
    if runs is not None and plain_runs is not None:
        assert (runs[0].tolist(), runs[1].tolist()) == plain_runs
    out, edits, omap = steps.t2s_run(text)
    assert out == plain
    if plain_runs is not None:
        assert isinstance(edits, LazyEdits)
        assert [(e.start, e.end) for e in edits] == list(zip(*plain_runs, strict=True))
        assert all(e.before == text[e.start : e.end] and e.after == plain[e.start : e.end] for e in edits)


def test_the_numpy_path_gives_code_units():
    text = "發展重點項目製造業" * 200
    converted, a, b = FAST.convert_codes(text)
    assert converted == FAST.convert(text)
    assert a is not None and len(a) == len(b) == len(text)
    assert FAST.convert_codes("發展")[1] is None  # (a short text: str.translate, no code units)


# a page's kinds of character: traditional forms, never-written ones (`_NEVER_WRITTEN`) and rare characters outside
# GB2312 before them, region words, 著, phrases of OpenCC's, a character beyond the BMP and simplified text
_ALPHABET = (
    "的一是在不了有和人这中大为上个国发展重点项目，。發現實會這對為開關門後經點體"
    "係製複註乾濛瀋託佈併氾汎昇週"  # never written
    "玹漹瓅岚鹇鸰珹湉瑨砳"  # rare (outside GB2312) or not
    "省市县縣区區著沈澱乾隆劄\U00020000"
)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_ALPHABET, min_size=0, max_size=40), st.integers(0, 3))
def test_convert_runs_is_the_plain_conversion(core, where):
    rng = random.Random(len(core) * 7 + where)
    pad = "".join(rng.choice(_ALPHABET[:40]) for _ in range(1100))
    text = (core + pad, pad + core, pad[:500] + core + pad[500:], core)[where]
    _check(text)


def test_names_kept_on_long_pages():
    """A province's rare name with a never-written character (玹濛省, 濛 kept), one without its region word after a
    rare character (玹濛大学), a name a site's phrase table writes (瀋陽市), and none: on pages long enough for the
    numpy path."""
    rng = random.Random(34)
    body = "".join(rng.choice("發展重點項目製造業的一是在不了有和人这中大为上个国，。") for _ in range(1200))
    for name in ("玹濛省", "玹濛大学", "瀋陽市", "濛省", "係統", "著名", "标志著", "漹川係", ""):
        for text in (name + body, body + name, body[:600] + name + body[600:] + name):
            _check(text)


def test_code_tables():
    table = steps._code_tables()
    assert {chr(c) for c in table.nonzero()[0]} == set(steps._NEVER_WRITTEN)
    rare = steps._rare_chars()
    for ch in "玹漹瓅岚的发展濛瀋":
        assert (ch in rare) == steps._rare_kept(ch, ch)
