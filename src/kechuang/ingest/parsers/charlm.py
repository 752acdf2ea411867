"""A character bigram model of the genre, for choosing among candidate repairs of a garbled span.

Two sources, interpolated: character pairs counted in report text of the genre (`data/charlm_train.tsv`,
built from the corpus's train split by benchmarks/ingest/corpus/build_charlm.py; see data/SOURCE.md), and
the character pairs inside the words of the project's word list (jieba's dictionary, `lexicon.py`), each
word counted with the log of its frequency. A pair the reports use often (揭榜, 一批, 截至) then scores
above one only the general dictionary knows (揭发, 一举), where the word-coverage ranking of
`lexicon.plausibility` cannot tell them apart.

`score(text)` is the text's log probability under the model (natural log; digits read as one symbol, Latin
letters as another). Loaded once, on first use (about 0.3 s, most of it the word list, which the mojibake
step loads anyway).
"""

import functools
import math
import os
from collections import Counter

_DATA = os.path.join(os.path.dirname(os.path.dirname(__file__)), "data", "charlm_train.tsv")
# interpolation weights: the genre's pairs, the word list's pairs, the character alone
_L_TRAIN, _L_LEX, _L_UNI = 0.45, 0.45, 0.10
_FLOOR = 1e-7


def _symbol(ch: str) -> str:
    if "0" <= ch <= "9" or "０" <= ch <= "９":
        return "0"
    if ch.isascii() and ch.isalpha():
        return "A"
    return ch


@functools.cache
def _tables():
    """(pair log-probabilities keyed by the two characters as one string, backoff log-probabilities,
    each GBK character's symbol) with the interpolation folded in: for a pair (a, b) seen in either
    source, log P(b | a); for any other pair the model falls back to log(λ_uni · P(b))."""
    from .lexicon import _char_table, _load

    train_pairs: dict[str, int] = {}
    train_first: dict[str, int] = {}
    uni: dict[str, float] = {}
    try:
        with open(_DATA, encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("#") or not line.strip():
                    continue
                pair, count = line.rstrip("\n").split("\t")
                n = int(count)
                if len(pair) == 1:
                    uni[pair] = uni.get(pair, 0.0) + n
                    continue
                train_pairs[pair] = n
                train_first[pair[0]] = train_first.get(pair[0], 0) + n
    except OSError:  # pragma: no cover - the data file ships with the package
        pass
    words, chars = _load()
    lex_pairs: dict[str, float] = {}
    lex_first: dict[str, float] = {}
    for word, freq in words.items():
        w = math.log1p(freq)
        for k in range(len(word) - 1):
            pair = word[k : k + 2]
            lex_pairs[pair] = lex_pairs.get(pair, 0.0) + w
            lex_first[word[k]] = lex_first.get(word[k], 0.0) + w
    # unigram: the train text's characters and the word list's, each share normalised, averaged
    total_train = sum(uni.values()) or 1.0
    lex_uni = {c: math.log1p(f) for c, f in chars.items()}
    total_lex = sum(lex_uni.values()) or 1.0
    p_uni: dict[str, float] = {}
    for c, n in uni.items():
        p_uni[c] = 0.5 * n / total_train
    for c, n in lex_uni.items():
        p_uni[c] = p_uni.get(c, 0.0) + 0.5 * n / total_lex
    logp: dict[str, float] = {}
    for pair in set(train_pairs) | set(lex_pairs):
        a, b = pair[0], pair[1]
        p = _L_UNI * p_uni.get(b, 0.0)
        if a in train_first:
            p += _L_TRAIN * train_pairs.get(pair, 0) / train_first[a]
        if a in lex_first:
            p += _L_LEX * lex_pairs.get(pair, 0.0) / lex_first[a]
        logp[pair] = math.log(max(p, _FLOOR))
    backoff = {c: math.log(max(_L_UNI * p, _FLOOR)) for c, p in p_uni.items()}
    # each character a GBK pair decodes to, read as the model reads it (simplified, digits as 0)
    symbols = {c: _symbol(simple) for c, (simple, _w) in _char_table().items()}
    return logp, backoff, symbols


_UNSEEN = math.log(_FLOOR)


def score(text: str) -> float:
    """log P(text[1:] | text[0]) under the model (the first character only as context), each character
    read in its simplified form (character by character: these are a few characters around a guess)."""
    return scores_between("", (text,), "")[0]


# scores_between's answers by its arguments: the repair ranks the same options between the same two
# characters again for each reading that shares the lost byte's neighbourhood
_BETWEEN: dict[tuple, list[float]] = {}
_BETWEEN_MAX = 16384


def scores_between(left: str, middles, right: str) -> list[float]:
    """`score(left + m + right)` for each m: log P of each character given the one before it, summed
    from the left, with the context's symbols read once (the repair ranks a few dozen options between
    the same two characters). Remembered by its arguments."""
    key = (left, tuple(middles), right)
    found = _BETWEEN.get(key)
    if found is None:
        found = _scores_between(left, key[1], right)
        if len(_BETWEEN) >= _BETWEEN_MAX:
            _BETWEEN.clear()
        _BETWEEN[key] = found
    return list(found)


def _scores_between(left: str, middles: tuple[str, ...], right: str) -> list[float]:
    logp, backoff, symbols = _tables()
    sym = symbols.get
    head = [sym(c) or _symbol(c) for c in left]
    tail = [sym(c) or _symbol(c) for c in right]
    get, back = logp.get, backoff.get
    out = []
    if len(head) == 1 and len(tail) == 1:
        # the repair's case (one character of context either side): the same additions in the same order,
        # without building a list of symbols for each middle
        first, last = head[0], tail[0]
        for m in middles:
            total = 0.0
            a = first
            for c in m:
                b = sym(c) or _symbol(c)
                v = get(a + b)
                total += v if v is not None else back(b, _UNSEEN)
                a = b
            v = get(a + last)
            total += v if v is not None else back(last, _UNSEEN)
            out.append(total)
        return out
    for m in middles:
        s = [*head, *[sym(c) or _symbol(c) for c in m], *tail]
        total = 0.0
        for a, b in zip(s, s[1:], strict=False):
            v = get(a + b)
            total += v if v is not None else back(b, _UNSEEN)
        out.append(total)
    return out


# The page's own text as a cache (Kuhn & De Mori's cache model): a report repeats its own terms (创新券 in
# each paragraph, 参评 in each field's line, 截至 before each date), so where the page writes a character
# pair, that pair is likelier there than the genre's counts say. Between two Han characters (or one beside a
# figure, `_from_page`), P(b | a) is mixed as (1 - _PAGE_MIX) · the model's + _PAGE_MIX · count(ab) /
# count(a) on the page read without its reading aids (each character read as the model reads it); a pair
# with a mark keeps the model's alone (a mark is not a term the page repeats: `、研究` says nothing about
# `，研` elsewhere). The factor (1 - _PAGE_MIX) every such pair shares is left out: a pair the page never
# writes keeps the model's score, one it writes gains log(1 + _PAGE_MIX · P_page / ((1 - _PAGE_MIX) ·
# P_model)). _PAGE_MIX is the usual weight of a cache model, not tuned on the corpus.
_PAGE_MIX = 0.2
_PAGE_ODDS = _PAGE_MIX / (1 - _PAGE_MIX)


@functools.cache
def _forms() -> dict[str, tuple[str, ...]]:
    """Each symbol the model reads and the characters read as it (its traditional forms; the digits for
    `0`, the letters for `A`): the page is counted as the model reads it without converting it whole."""
    _logp, _backoff, symbols = _tables()
    forms: dict[str, list[str]] = {}
    for c, s in symbols.items():
        if len(c) == 1 and s != c:
            forms.setdefault(s, [s]).append(c)
    forms["0"] = list("0123456789０１２３４５６７８９")
    forms["A"] = list("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
    return {s: tuple(cs) for s, cs in forms.items()}


@functools.cache
def _exact_symbols() -> frozenset[str]:
    """The symbols whose forms (`_forms`, or the symbol alone) are exactly the characters the model reads as it:
    each form is read as the symbol, and each character read as it is a form. A character the table does not
    hold is read as itself, `0` or `A` (`_symbol`), each a form of its symbol by `_forms`' making; so only the
    table's own characters are checked (a symbol that fails either test is left out: `PageCounts.may_pair`
    then counts its pairs)."""
    _logp, _backoff, symbols = _tables()
    forms = _forms()

    def read_as(c: str) -> str:
        return symbols.get(c) or _symbol(c)

    inexact = {r for r, cs in forms.items() if any(read_as(c) != r for c in cs)}
    for c in symbols:
        if len(c) == 1 and c not in forms.get(r := read_as(c), r):
            inexact.add(r)
    # (a symbol with no forms stands for itself alone: it must be one character, read as itself)
    alone = {r for c in symbols if len(c) == 1 and (r := read_as(c)) not in forms}
    inexact.update(r for r in alone if len(r) != 1 or read_as(r) != r)
    return frozenset((alone | set(forms)) - inexact)


def _is_han(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff"


def _from_page(a: str, b: str) -> bool:
    """Whether the page's count of the pair is mixed in: two Han characters, or one beside a figure (the
    page writes 截至 before its dates and 年的 before its shares: 由上年的46%, not 年底)."""
    return (_is_han(a) and (b == "0" or _is_han(b))) or (a == "0" and _is_han(b))


class PageCounts:
    """A page's own character pairs, read as the model reads it (縣 as 县, any digit as 0): for a character,
    the symbols that follow it on the page and the ones before it, each worked out the first time the
    repair asks (one C-level split of the page per form of the character; the repair asks about the few
    characters around its close choices)."""

    __slots__ = ("_after", "_before", "_stands", "_text", "_written")

    def __init__(self, text: str):
        self._text, self._after, self._before, self._stands, self._written = text, {}, {}, {}, {}

    def written(self, a: str, step: int) -> frozenset[str]:
        """Every character (in any of its forms) that the page writes after `a` (step 1) or before it (-1)."""
        found = self._written.get((a, step))
        if found is None:
            forms = _forms()
            found = frozenset(x for y in self._neighbours(a, step) if y for x in forms.get(y, (y,)))
            self._written[(a, step)] = found
        return found

    def stands(self, ch: str) -> bool:
        """Whether the character stands on the page as written (a quick first test: a pair inside a guess of
        several characters is looked up only when both stand on the page in the guess's own forms). Each
        character is looked for the first time it is asked (one C-level search of the page): a page is asked
        about a few, and the set of all its characters costs more to make (speed6)."""
        found = self._stands.get(ch)
        if found is None:
            found = self._stands[ch] = ch in self._text
        return found

    def _neighbours(self, a: str, step: int) -> dict[str, int]:
        table = self._after if step > 0 else self._before
        found = table.get(a)
        if found is None:
            _logp, _backoff, symbols = _tables()
            sym = symbols.get
            found = {"": 0}  # "": how often `a` stands on the page
            for x in _forms().get(a, a):
                if x not in self._text:  # (most forms asked about are not on the page: no split)
                    continue
                parts = self._text.split(x)  # C-level: the page between the occurrences of x
                found[""] += len(parts) - 1
                beside = [p[:1] for p in parts[1:]] if step > 0 else [p[-1:] for p in parts[:-1]]
                for c, k in Counter(beside).items():
                    if c:
                        y = sym(c) or _symbol(c)
                        found[y] = found.get(y, 0) + k
            table[a] = found
        return found

    def after(self, a: str) -> dict[str, int]:
        """The symbols after `a` on the page with their counts; "" is how often `a` stands there."""
        return self._neighbours(a, 1)

    def before(self, b: str) -> dict[str, int]:
        """The symbols before `b` on the page with their counts; "" is how often `b` stands there."""
        return self._neighbours(b, -1)

    def pair(self, a: str, b: str) -> int:
        """How often the page writes the characters `a` then `b`, each in any of its forms (縣財 for 县财)."""
        sym = _tables()[2].get
        return self.after(sym(a) or _symbol(a)).get(sym(b) or _symbol(b), 0)

    def pair_test(self, ch: str, step: int):
        """A test of a character c that is False only where `pair(ch, c)` (step 1) or `pair(c, ch)` (-1) is 0,
        read from `ch`'s side (one split of the page for all the characters tested, none per character): a pair
        (x, y) the page writes with x read as one symbol and y as another is counted both after the first and
        before the second wherever each symbol's forms are exactly the characters read as it (`_exact_symbols`);
        a character of another symbol is counted (`pair`)."""
        sym = _tables()[2].get
        own = sym(ch) or _symbol(ch)
        if step > 0:
            found = self.after(own)
            return lambda c: (sym(c) or _symbol(c)) in found  # (pair's own test: exact for any symbol)
        exact = _exact_symbols()
        if own not in exact:
            return lambda c: self.pair(c, ch) > 0
        found = self.before(own)

        def test(c: str) -> bool:
            s = sym(c) or _symbol(c)
            return s in found if s in exact else self.pair(c, ch) > 0

        return test

    def count(self, s: str) -> int:
        """How often the page writes `s` (one symbol, or a pair of them)."""
        if len(s) == 1:
            return self.after(s)[""]
        return self.after(s[0]).get(s[1], 0)


_NOTHING: frozenset[str] = frozenset()


def scores_on_page(left: str, middles, right: str, page: PageCounts | None) -> list[float]:
    """`scores_between` with the page's own pairs mixed in (`_PAGE_MIX`); the model alone without a page.
    Each pair the page writes gains over the model's sum, so middles the page tells nothing about keep
    their scores and their order."""
    base = scores_between(left, middles, right)
    if page is None:
        return base
    logp, backoff, symbols = _tables()
    sym = symbols.get
    first = sym(left[-1]) or _symbol(left[-1]) if left else ""
    last = sym(right[0]) or _symbol(right[0]) if right else ""
    # the pairs with the context are read from the context's side: one scan for all the middles
    after_first = page.after(first) if first and (_is_han(first) or first == "0") else None
    before_last = page.before(last) if last and (_is_han(last) or last == "0") else None
    out = list(base)
    # only a middle the page writes beside the context, or one whose own characters both stand on the page
    # (as the guess writes them), gains: the others are passed over without reading them symbol by symbol
    near_first = page.written(first, 1) if after_first is not None else _NOTHING
    near_last = page.written(last, -1) if before_last is not None else _NOTHING
    stands = page.stands
    ks = [
        k
        for k, m in enumerate(middles)
        if m[:1] in near_first
        or m[-1:] in near_last
        # (a pair's two characters tested as they are: a generator for each of a pair fill's hundreds of middles
        # costs more than the tests)
        or (len(m) == 2 and stands(m[0]) and stands(m[1]))
        or (len(m) > 2 and any(stands(a) and stands(b) for a, b in zip(m, m[1:], strict=False)))
    ]
    for k in ks:
        m = middles[k]
        s = [sym(c) or _symbol(c) for c in m]
        if not s:
            continue
        gain = 0.0
        if after_first is not None and s[0] in after_first and _from_page(first, s[0]):
            gain += _gain(logp, backoff, first, s[0], after_first[s[0]], after_first[""])
        for a, b in zip(s, s[1:], strict=False):
            if _from_page(a, b):
                nab = page.count(a + b)
                if nab:
                    gain += _gain(logp, backoff, a, b, nab, page.count(a))
        if before_last is not None and s[-1] in before_last and _from_page(s[-1], last):
            gain += _gain(logp, backoff, s[-1], last, before_last[s[-1]], page.count(s[-1]))
        out[k] += gain
    return out


def _gain(logp, backoff, a: str, b: str, nab: int, na: int) -> float:
    v = logp.get(a + b)
    lp = v if v is not None else backoff.get(b, _UNSEEN)
    return math.log1p(_PAGE_ODDS * nab / na / math.exp(lp))


def warm_up() -> None:
    _tables()
    _forms()  # (about 15 ms: the first page that asks about a character's forms would pay for it)
    _exact_symbols()  # (about 20 ms, for the same reason)
