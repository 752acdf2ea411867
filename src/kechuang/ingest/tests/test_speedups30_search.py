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


@settings(max_examples=1000, deadline=None)  # was 3000 (testtime19): the time was the examples
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


# ----------------------------------------------------------------------------- the page's pairs in the model


def _plain_gaining(page, middles, near_first, near_last) -> list[int]:
    """The middles `charlm.scores_on_page` reads symbol by symbol, as it picked them before session 30."""
    stands = page.stands
    return [
        k
        for k, m in enumerate(middles)
        if m[:1] in near_first
        or m[-1:] in near_last
        or (len(m) > 1 and any(stands(a) and stands(b) for a, b in zip(m, m[1:], strict=False)))
    ]


@settings(max_examples=1000, deadline=None)  # was 2000 (testtime19): the time was the examples
@given(
    st.text(alphabet="县縣区區市科技创新券截至止年的级級中心研究0aA，。", max_size=80),
    st.lists(st.text(alphabet="县縣区區市科技创新券截至止年的级級中心研究0aA，。", max_size=4), max_size=20),
    st.sampled_from(["", "科", "县", "縣", "截", "0", "，"]),
    st.sampled_from(["", "新", "区", "區", "至", "0", "。"]),
)
def test_scores_on_page_are_the_plain_sums(page_text, middles, left, right):
    """`scores_on_page` gives what it gave with its generator for every middle (the gaining middles picked as
    before: each middle's score is the model's plus the gains of the pairs the page writes)."""
    page = charlm.PageCounts(page_text)
    fast = charlm.scores_on_page(left, middles, right, page)
    # the plain form: each middle's gain summed pair by pair
    logp, backoff, symbols = charlm._tables()
    sym = symbols.get
    base = charlm.scores_between(left, middles, right)
    first = sym(left[-1]) or charlm._symbol(left[-1]) if left else ""
    last = sym(right[0]) or charlm._symbol(right[0]) if right else ""
    after_first = page.after(first) if first and (charlm._is_han(first) or first == "0") else None
    before_last = page.before(last) if last and (charlm._is_han(last) or last == "0") else None
    near_first = page.written(first, 1) if after_first is not None else frozenset()
    near_last = page.written(last, -1) if before_last is not None else frozenset()
    plain = list(base)
    for k in _plain_gaining(page, middles, near_first, near_last):
        s = [sym(c) or charlm._symbol(c) for c in middles[k]]
        if not s:
            continue
        gain = 0.0
        if after_first is not None and s[0] in after_first and charlm._from_page(first, s[0]):
            gain += charlm._gain(logp, backoff, first, s[0], after_first[s[0]], after_first[""])
        for a, b in zip(s, s[1:], strict=False):
            if charlm._from_page(a, b) and (nab := page.count(a + b)):
                gain += charlm._gain(logp, backoff, a, b, nab, page.count(a))
        if before_last is not None and s[-1] in before_last and charlm._from_page(s[-1], last):
            gain += charlm._gain(logp, backoff, s[-1], last, before_last[s[-1]], page.count(s[-1]))
        plain[k] += gain
    assert fast == plain
