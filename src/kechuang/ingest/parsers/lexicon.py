"""A Chinese word list for judging which of several readings of a garbled span is real text.

Source: the dictionary shipped with jieba (MIT licence), read directly (no jieba segmentation in the
hot path). Loaded once, on first use; only the mojibake step needs it, and only on suspicious spans.
"""

import functools
import math
import os

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


@functools.cache
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


@functools.lru_cache(maxsize=65536)
def simplified(text: str) -> str:
    return _t2s().convert(text)


@functools.lru_cache(maxsize=65536)
def char_weight(ch: str) -> float:
    """log frequency of a character, alone and inside words (0 for characters the dictionary never saw)."""
    if ch in _PUNCT:
        return math.log1p(_PUNCT_FREQ.get(ch, 100_000))
    _, chars = _load()
    freq = chars.get(simplified(ch), 0)
    return math.log1p(freq)


@functools.lru_cache(maxsize=131072)
def plausibility(text: str) -> tuple[int, int, float]:
    """(characters covered by dictionary words of 2-4 characters, minus the number of such words, total
    log frequency) for `text`: compare these tuples to rank readings.

    Real Chinese is mostly covered by words, and by few long ones rather than many short ones; text
    decoded out of step is not.
    """
    logs = _word_logs()
    get = logs.get
    s = simplified(text)
    n = len(s)
    # Dynamic programme over end positions, the inner loop unrolled (this runs for every candidate
    # reading of every damaged span): the same comparisons in the same order as a loop over k = 2, 3, 4.
    best: list[tuple[int, int, float]] = [(0, 0, 0.0)] * (n + 1)
    for i in range(1, n + 1):
        cand = best[i - 1]
        if s[i - 1] in _PUNCT:
            # a CJK mark is as telling as a word: misaligned bytes rarely decode to one
            cand = (cand[0] + 1, cand[1], cand[2])
        if i >= 2:
            w = get(s[i - 2 : i])
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
        best[i] = cand
    return best[n]


def word_log(word: str) -> float:
    """log1p(frequency) of a word of 2-4 characters in the dictionary, 0 when it is not there."""
    return _word_logs().get(word, 0.0)


@functools.cache
def _word_logs() -> dict[str, float]:
    """log1p(frequency) of each word of 2-4 characters, computed once instead of per lookup."""
    words, _ = _load()
    return {w: math.log1p(f) for w, f in words.items()}
