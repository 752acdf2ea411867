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


def warm_up() -> None:
    _tables()
