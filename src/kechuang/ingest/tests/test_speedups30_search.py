"""Session 30's changes to the mojibake step's search (speed12, #15 criterion 5): each fast path gives exactly what
its plain form gives."""

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from kechuang.ingest.parsers import charlm, gbk

# ----------------------------------------------------------------------------- the page's echo of close options


def _plain_echoed(page, texts, best: int, close: list[int], left: str, right: str):
    """`gbk._echoed` before session 30: every close option counted."""
    if not gbk._all_han(texts[best]) or gbk._echo_of(page, left, texts[best], right):
        return None
    counts = [
        (gbk._echo_of(page, left, texts[j], right), -k, j)
        for k, j in enumerate(close)
        if gbk._all_han(texts[j])
    ]
    n, _k, j = max(counts, default=(0, 0, 0))
    return j if n >= gbk._ECHO_MIN else None


# a few characters in both forms (县/縣, 区/區), digits, letters, marks and the aids the page is read without
_CHARS = "县縣区區市科技创新券截至止年的级級中心研究发展發展0１aA，。、（）\ufffd"
_PAGE_TEXT = st.text(alphabet=_CHARS + "(xiàn)", max_size=120)
_NEAR = st.sampled_from(["", *_CHARS])
_OPTION = st.one_of(st.sampled_from(_CHARS), st.text(alphabet=_CHARS, min_size=1, max_size=3))


@settings(max_examples=3000, deadline=None)
@given(_PAGE_TEXT, st.lists(_OPTION, min_size=1, max_size=12), _NEAR, _NEAR, st.randoms())
def test_echoed_is_the_plain_form(page_text, texts, left, right, rng):
    # the page writes some of the options beside the neighbours (in either form: 縣 for 县), amid its own text
    pieces = [page_text]
    for t in rng.sample(texts, rng.randint(0, len(texts))):
        t = t.replace("县", "縣") if rng.random() < 0.3 else t
        pieces += [left + t if rng.random() < 0.5 else t + right, rng.choice(_CHARS)]
    rng.shuffle(pieces)
    page_text = "".join(pieces)
    best = rng.randrange(len(texts))
    close = [j for j in range(len(texts)) if j != best and rng.random() < 0.8]
    rng.shuffle(close)
    token = gbk.OWN_RARE.set(gbk.page_rare(page_text))
    try:
        fast = gbk._echoed(texts, best, close, left, right)
    finally:
        gbk.OWN_RARE.reset(token)
    plain = _plain_echoed(gbk.page_rare(page_text), texts, best, close, left, right)
    assert fast == plain


def test_pair_tests_are_the_counts():
    """`PageCounts.pair_test` is False only where `pair` is 0 (both sides; a fresh page for each so that no
    neighbour is cached), on pages of the bench's own kind and on characters of every form."""
    rng = random.Random(5)
    symbols = charlm._tables()[2]
    forms = charlm._forms()
    chars = [
        *"县縣区區市科技创新券0１aA，。苧苎",
        *rng.sample(sorted(c for c in symbols if len(c) == 1), 300),
    ]
    chars += [c for cs in rng.sample(sorted(forms.values()), 50) for c in cs]
    for _ in range(60):
        page = "".join(rng.choice(chars) for _ in range(400))
        a = rng.choice(chars)
        after, before = charlm.PageCounts(page).pair_test(a, 1), charlm.PageCounts(page).pair_test(a, -1)
        for c in chars:
            counts = charlm.PageCounts(page)
            assert after(c) == (counts.pair(a, c) > 0)
            assert before(c) == (counts.pair(c, a) > 0)


def test_exact_symbols_are_their_forms():
    """Each symbol `_exact_symbols` holds is exactly the characters read as it (the BMP, the table and the forms read through)."""
    symbols = charlm._tables()[2]
    exact = charlm._exact_symbols()
    forms = charlm._forms()
    by_symbol: dict[str, set[str]] = {}
    every = {chr(o) for o in (*range(0x20, 0xD800), *range(0xE000, 0x10000))}
    every |= {c for c in symbols if len(c) == 1} | {c for cs in forms.values() for c in cs}
    for c in every:
        by_symbol.setdefault(symbols.get(c) or charlm._symbol(c), set()).add(c)
    for s in exact:
        assert set(forms.get(s, s)) == by_symbol.get(s, set())
    assert "苧" not in exact  # (苧 is a form of 苧's symbol and read as 苎: its pairs are counted)
