"""A Chinese word list for judging which of several readings of a garbled span is real text.

Source: the dictionary shipped with jieba (MIT licence), read directly (no jieba segmentation in the
hot path). Loaded once, on first use; only the mojibake step needs it, and only on suspicious spans.
"""

import functools
import math
import os

from .t2s import converter

_PUNCT = frozenset("，。、；：！？“”‘’《》（）")
# as common as the commonest characters, in the order they occur in reports
_PUNCT_FREQ = {
    "，": 1_000_000,
    "。": 900_000,
    "、": 800_000,
    "“": 500_000,
    "”": 500_000,
    "：": 300_000,
    "；": 300_000,
}


@functools.cache
def _load() -> tuple[dict[str, int], dict[str, int]]:
    import jieba

    path = os.path.join(os.path.dirname(jieba.__file__), "dict.txt")
    words: dict[str, int] = {}
    chars: dict[str, int] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.split(" ", 2)
            if len(parts) < 2:
                continue
            word, freq = parts[0], int(parts[1])
            if freq <= 0:
                continue
            n = len(word)
            # a character's weight counts the words it is part of: 础 is rare alone and common in 基础
            for ch in word:
                chars[ch] = chars.get(ch, 0) + freq
            if 2 <= n <= 4:
                words[word] = freq
    return words, chars


# OpenCC's t2s (`t2s.converter()`: a look-up per character where no phrase of OpenCC's table is in the text)
_t2s = converter


def simplified(text: str) -> str:
    if len(text) == 1:
        entry = _char_table().get(text)
        if entry is not None:
            return entry[0]
    return _simplified(text)


@functools.lru_cache(maxsize=65536)
def _simplified(text: str) -> str:
    return _t2s().convert(text)


@functools.cache
def _char_table() -> dict[str, tuple[str, float]]:
    """character -> (OpenCC's simplified form, log frequency) for every character a GBK byte pair
    decodes to, built once (about 0.1 s): candidate fills look up thousands of characters per report.
    One OpenCC call converts them all: a line break ends every OpenCC phrase, so each converts as it
    would alone."""
    from .gbk import _pair_tables

    chars = sorted({c for c in _pair_tables()[0] if c and len(c) == 1 and c >= "\x80"})
    converted = _t2s().convert("\n".join(chars)).split("\n")
    if len(converted) != len(chars):  # pragma: no cover - OpenCC keeps line breaks
        return {}
    _, counts = _load()
    table = {}
    for ch, simple in zip(chars, converted, strict=True):
        if ch in _PUNCT:
            weight = math.log1p(_PUNCT_FREQ.get(ch, 100_000))
        else:
            weight = math.log1p(counts.get(simple, 0))
        table[ch] = (simple, weight)
    return table


def char_weight(ch: str) -> float:
    """log frequency of a character, alone and inside words (0 for characters the dictionary never saw)."""
    entry = _char_table().get(ch)
    if entry is not None:
        return entry[1]
    return _char_weight(ch)


class _Weights(dict):
    """character -> `char_weight(character)`, filled from the character table and on first use of any
    other character: a C-level `map` over a text reads it without a Python call per character."""

    def __missing__(self, ch: str) -> float:
        value = self[ch] = char_weight(ch)
        return value


@functools.cache
def char_weights() -> dict[str, float]:
    return _Weights({ch: w for ch, (_s, w) in _char_table().items()})


@functools.lru_cache(maxsize=65536)
def _char_weight(ch: str) -> float:
    if ch in _PUNCT:
        return math.log1p(_PUNCT_FREQ.get(ch, 100_000))
    _, chars = _load()
    freq = chars.get(simplified(ch), 0)
    return math.log1p(freq)


_SCORES: dict[str, tuple[int, int, float]] = {}
_SCORES_MAX = 131072


def plausibility(text: str) -> tuple[int, int, float]:
    """(characters covered by dictionary words of 2-4 characters, minus the number of such words, total
    log frequency) for `text`: compare these tuples to rank readings.

    Real Chinese is mostly covered by words, and by few long ones rather than many short ones; text
    decoded out of step is not.
    """
    score = _SCORES.get(text)
    if score is None:
        # `plausibility_many([text])[0]` without its lists: one text, converted alone, scored from 0
        score = _dp(simplified(text), None, 0)[-1]
        _remember(text, score)
    return score


def plausibility_many(texts: list[str]) -> list[tuple[int, int, float]]:
    """`plausibility(t)` for each text (the one scoring: `plausibility` is this for one text). The texts
    not remembered are converted by one OpenCC call (`_convert_many`) and scored with the programme from
    the scores of the prefix each shares with the text before it."""
    out = list(map(_SCORES.get, texts))
    todo = [i for i, score in enumerate(out) if score is None]
    if not todo:
        return out
    if len(todo) == 1:
        converted = [simplified(texts[todo[0]])]
    else:
        converted = _convert_many([texts[i] for i in todo])
    prev_s, prev_best = "", None
    for i, s in zip(todo, converted, strict=True):
        shared = 0
        if prev_best is not None:
            limit = min(len(s), len(prev_s))
            while shared < limit and s[shared] == prev_s[shared]:
                shared += 1
        best = _dp(s, prev_best, shared)
        out[i] = best[-1]
        _remember(texts[i], best[-1])
        prev_s, prev_best = s, best
    return out


def _convert_many(texts: list[str]) -> list[str]:
    """OpenCC's conversion of each text, by one call: a line break ends every OpenCC phrase, so the texts
    joined by line breaks convert each as it would alone (a text holding line breaks is put together
    again from its lines)."""
    return _split_converted(texts, _t2s().convert("\n".join(texts)))


def _split_converted(texts: list[str], joined: str) -> list[str]:
    """Each text's conversion from `joined`, OpenCC's conversion of the texts joined by line breaks."""
    converted = joined.split("\n")
    if len(converted) == len(texts):
        return converted
    lines = [t.count("\n") + 1 for t in texts]
    if len(converted) != sum(lines):  # pragma: no cover - OpenCC keeps line breaks
        return [simplified(t) for t in texts]
    out, k = [], 0
    for n in lines:
        out.append("\n".join(converted[k : k + n]))
        k += n
    return out


def _remember(text: str, score: tuple[int, int, float]) -> None:
    if len(_SCORES) >= _SCORES_MAX:
        _SCORES.clear()
    _SCORES[text] = score


# plausibility_options' answers by (head, options, tail): the repair asks the same ranking again for each
# reading that shares the lost byte's neighbourhood (each lead byte of an aid, each dropped-pair place)
_OPTION_SCORES: dict[tuple, list[tuple[int, int, float]]] = {}
_OPTION_SCORES_MAX = 16384


def plausibility_options(head: str, options, tail: str) -> list[tuple[int, int, float]]:
    """`plausibility(head + c + tail)` for each option c (the same tuples), computed together: one
    OpenCC call for all of them, and an option that makes no dictionary word with its neighbours (most
    of the characters a lost byte can complete) scores what any other such option scores, so the
    dynamic programme runs once for all of those. Exact: the programme reads the option's character
    only through the words that contain it and the punctuation test. Remembered by its arguments."""
    options = tuple(options)
    key = (head, options, tail)
    found = _OPTION_SCORES.get(key)
    if found is None:
        found = _plausibility_options(head, options, tail)
        if len(_OPTION_SCORES) >= _OPTION_SCORES_MAX:
            _OPTION_SCORES.clear()
        _OPTION_SCORES[key] = found
    return list(found)


def _plausibility_options(head: str, options: tuple[str, ...], tail: str) -> list[tuple[int, int, float]]:
    if len(options) < 2:
        return plausibility_many([head + c + tail for c in options])
    # the texts joined by line breaks, built by one join (`"\n".join(head + c + tail for c in options)`), converted
    # with the head and tail converted once where no phrase of OpenCC's can be in the texts (`t2s.convert_around`)
    conv = _t2s()
    if hasattr(conv, "convert_around"):
        joined = conv.convert_around(head, options, tail)
    else:  # pragma: no cover - OpenCC itself (no marisa-trie, or an OpenCC layout t2s does not read)
        joined = conv.convert(head + (tail + "\n" + head).join(options) + tail)
    fast = _options_by_neighbours(joined, len(options), len(head), len(tail))
    if fast is not None:
        return fast
    texts = [head + c + tail for c in options]
    converted = _split_converted(texts, joined)
    p = len(head)
    logs = _word_logs()
    out = []
    ref = baseline = None
    # the previous call's first text and its scores: the fill of a span's next lost byte scores the same
    # head grown by the characters filled since, so its prefix's scores are known already
    prev_s, prev_best = _last_dp
    for text, s in zip(texts, converted, strict=True):
        n = len(s)
        lone = n == len(text) and len(text) == p + 1 + len(tail) and s[p] not in _PUNCT
        if lone and ref is not None:
            lone = s[:p] == ref[:p] and s[p + 1 :] == ref[p + 1 :]
        # every word through position p holds the pair before or after it (see _dp)
        if lone and ((p and s[p - 1 : p + 1] in logs) or s[p : p + 2] in logs):
            lone = False
        if lone and baseline is not None:
            out.append(baseline)
            continue
        shared = 0
        if prev_best is not None:
            # the common prefix with the previous text: the head (p characters) compared in C, then
            # character by character from there (or from 0 when the heads differ)
            limit = min(n, len(prev_s))
            k = p if p <= limit else limit
            if s[:k] == prev_s[:k]:
                shared = k
            while shared < limit and s[shared] == prev_s[shared]:
                shared += 1
        best = _dp(s, prev_best, shared)
        out.append(best[-1])
        prev_s, prev_best = s, best
        if lone:
            ref, baseline = s, best[-1]
    if prev_best is not None:
        _remember_dp(prev_s, prev_best)
    return out


_last_dp: tuple[str, list | None] = ("", None)


def _options_by_neighbours(joined: str, count: int, p: int, tail_len: int):
    """`plausibility_options` when OpenCC converted every text alike outside the option's place (the
    common case: same converted head and tail, one character for one), from `joined`, OpenCC's
    conversion of the `count` texts joined by line breaks: the options that make no pair with the
    converted neighbours (nor a mark) are found with set operations in C and share one score, and only
    the others run the programme, from the head's scores (computed once). The same scores as the
    general loop; None when the texts do not have that shape.

    The shape is tested on `joined` as a whole: every converted text n characters long, so that the
    options' characters stand every n + 1 characters from p, and `joined` the join of those characters
    between the first text's head and tail, with no other line break (then each line is one text's)."""
    n = p + 1 + tail_len
    step = n + 1
    if len(joined) != count * step - 1:
        return None
    mids = joined[p::step]
    head = joined[:p]
    tail = joined[p + 1 : n]
    if (
        joined != head + (tail + "\n" + head).join(mids) + tail
        or "\n" in head
        or "\n" in tail
        or "\n" in mids
    ):
        return None
    present = set(mids)
    hot = present & _PUNCT
    after, before = _neighbour_sets()
    # the options making a pair of the table with the character before or after them (C-level set
    # intersections with that character's neighbours)
    if p:
        hot |= present & after[head[-1]]
    if tail_len:
        hot |= present & before[tail[0]]
    # the head's scores: its prefix shared with the previous call's text is known already
    prev_s, prev_best = _last_dp
    shared = 0
    if prev_best is not None:
        limit = min(p, len(prev_s))
        if head[:limit] == prev_s[:limit]:
            shared = limit
        else:
            while shared < limit and head[shared] == prev_s[shared]:
                shared += 1
    head_best = _dp(head, prev_best, shared)
    _remember_dp(head, head_best)
    # an option's score depends on the head only through its last four scores and three characters (`_dp_after`):
    # the scores found in the same neighbourhood before are taken again (the readings of an aid's lost leads,
    # whose heads differ further back; the same sentence on another page)
    base = p - 3 if p > 3 else 0
    context = (*head_best[base : p + 1], head[base:], tail)
    found = _AFTER.get(context)
    if found is None:
        if len(_AFTER) >= _AFTER_MAX:
            _AFTER.clear()
        found = _AFTER[context] = {}
    scores: dict[str, tuple[int, int, float]] = {}
    lone = present - hot
    if lone:
        # (every option that makes no pair with its neighbours scores alike: kept under "", no option)
        baseline = found.get("")
        if baseline is None:
            baseline = found[""] = _dp_after(head + next(iter(lone)) + tail, head_best, p)
        scores = dict.fromkeys(lone, baseline)
    for m in hot:
        score = found.get(m)
        if score is None:
            score = found[m] = _dp_after(head + m + tail, head_best, p)
        scores[m] = score
    return list(map(scores.__getitem__, mids))


# `_dp_after`'s scores of the options by their neighbourhood: (the head's last four scores, its last three
# characters, the tail) -> option -> score
_AFTER: dict[tuple, dict[str, tuple[int, int, float]]] = {}
_AFTER_MAX = 16384


class _NeighbourSets(dict):
    """character -> the set of its neighbours in `table` (one of `_pair_neighbours`' strings), made on
    first use of each character: `options & neighbours` is one C-level intersection, where a test of each
    option against the string searches it (thousands of characters for a common one) option by option."""

    def __init__(self, table: dict[str, str]):
        super().__init__()
        self._table = table

    def __missing__(self, ch: str) -> frozenset[str]:
        value = self[ch] = frozenset(self._table.get(ch, ""))
        return value


@functools.cache
def _neighbour_sets() -> tuple[_NeighbourSets, _NeighbourSets]:
    after, before = _pair_neighbours()
    return _NeighbourSets(after), _NeighbourSets(before)


@functools.cache
def _pair_neighbours() -> tuple[dict[str, str], dict[str, str]]:
    """For each character, the characters that follow it in some pair of the word table (a word of two
    characters or a pair inside a longer one), and those that stand before it, each as one string (a
    few MB; built once, about 0.4 s, by `warm_up`)."""
    after: dict[str, list[str]] = {}
    before: dict[str, list[str]] = {}
    for w in _word_logs():
        if len(w) == 2:
            a, b = w
            found = after.get(a)
            if found is None:
                after[a] = [b]
            else:
                found.append(b)
            found = before.get(b)
            if found is None:
                before[b] = [a]
            else:
                found.append(a)
    return {k: "".join(v) for k, v in after.items()}, {k: "".join(v) for k, v in before.items()}


def _dp_after(s: str, head_best: list, p: int) -> tuple[int, int, float]:
    """The best score of s (`_dp(s, ...)[-1]`) from the scores of its first p characters: `_dp`'s loop
    over the positions after p only, on a window of the last four scores (a word has at most four
    characters) instead of a copy of the head's."""
    get = _word_logs().get
    punct = _PUNCT
    base = p - 3 if p > 3 else 0
    best = head_best[base : p + 1]  # best[j] is the score of s[: base + j]
    for i in range(p + 1, len(s) + 1):
        j = i - base
        cand = best[j - 1]
        if s[i - 1] in punct:
            cand = (cand[0] + 1, cand[1], cand[2])
        if i >= 2:
            w = get(s[i - 2 : i])
            if w is not None:
                if w:
                    prev = best[j - 2]
                    score = (prev[0] + 2, prev[1] - 1, prev[2] + w)
                    if score > cand:
                        cand = score
                if i >= 3:
                    w = get(s[i - 3 : i])
                    if w:
                        prev = best[j - 3]
                        score = (prev[0] + 3, prev[1] - 1, prev[2] + w)
                        if score > cand:
                            cand = score
                    if i >= 4:
                        w = get(s[i - 4 : i])
                        if w:
                            prev = best[j - 4]
                            score = (prev[0] + 4, prev[1] - 1, prev[2] + w)
                            if score > cand:
                                cand = score
        best.append(cand)
    return best[-1]


def _remember_dp(s: str, best: list) -> None:
    global _last_dp
    _last_dp = (s, best)  # one assignment: a thread reads a matching pair or the one before


def _dp(s: str, known: list | None, shared: int) -> list[tuple[int, int, float]]:
    """The best scores of s[:i] for every i (see `plausibility`); `known` holds those of a text whose
    first `shared` characters are s's (a prefix's scores depend on the prefix only)."""
    get = _word_logs().get
    punct = _PUNCT
    n = len(s)
    # Dynamic programme over end positions, the inner loop unrolled (this runs for every candidate
    # reading of every damaged span): the same comparisons in the same order as a loop over k = 2, 3, 4.
    # Every word of 2-4 characters ending at i ends with the pair s[i-2:i], and the table holds every
    # pair that occurs inside a word (0.0 when the pair is no word itself): no pair, no word.
    if known is not None and shared:
        best = known[: shared + 1]
    else:
        best = [_ZERO]
        shared = 0
    cand = best[-1]  # the score of s[:i - 1] at the top of the loop: the last one appended
    start = shared + 1
    if start == 1 and n:
        # the first character holds no word: a mark or nothing
        if s[0] in punct:
            cand = (1, 0, 0.0)
        best.append(cand)
        start = 2
    # most texts hold no mark after the known prefix: the test per character is then left out
    marks = not punct.isdisjoint(s[start - 1 :])
    for i in range(start, n + 1):
        if marks and s[i - 1] in punct:
            # a CJK mark is as telling as a word: misaligned bytes rarely decode to one
            cand = (cand[0] + 1, cand[1], cand[2])
        w = get(s[i - 2 : i])
        if w is not None:
            if w:
                prev = best[i - 2]
                score = (prev[0] + 2, prev[1] - 1, prev[2] + w)
                if score > cand:
                    cand = score
            if i >= 3:
                w = get(s[i - 3 : i])
                if w:
                    prev = best[i - 3]
                    score = (prev[0] + 3, prev[1] - 1, prev[2] + w)
                    if score > cand:
                        cand = score
                if i >= 4:
                    w = get(s[i - 4 : i])
                    if w:
                        prev = best[i - 4]
                        score = (prev[0] + 4, prev[1] - 1, prev[2] + w)
                        if score > cand:
                            cand = score
        best.append(cand)
    return best


_ZERO = (0, 0, 0.0)


def word_log(word: str) -> float:
    """log1p(frequency) of a word of 2-4 characters in the dictionary, 0 when it is not there."""
    return _word_logs().get(word, 0.0) or 0.0


@functools.cache
def _word_logs() -> dict[str, float]:
    """log1p(frequency) of each word of 2-4 characters, computed once instead of per lookup; and 0.0
    for each pair of characters that occurs inside such a word without being one (a text without the
    pair holds no word through it: the scoring skips the longer lookups)."""
    words, _ = _load()
    logs = {w: math.log1p(f) for w, f in words.items()}
    for w in words:
        for i in range(len(w) - 1):
            logs.setdefault(w[i : i + 2], 0.0)
    return logs
