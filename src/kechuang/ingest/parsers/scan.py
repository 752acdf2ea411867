"""A pattern's matches in a text found by trying it only where they can be (speed6, #15 item 5).

Python's `re` tries a pattern that opens on a character class or an assertion at every place of the text. A
pattern whose every match holds a fixed string at a known place (岚江省科学技术厅: 省 two characters after the
start), or ends in one of a few strings and is never longer than some length, can be tried only there: the
text is searched for the string in C and the pattern is tried at the few places it allows. Each function gives
exactly `list(pattern.finditer(text))` when the pattern is of the shape it names (tests/test_speedups27.py pins
every use to `finditer` on the corpus and on random strings): the places are tried from left to right, and one
that a match found before takes in is passed over, as `finditer` does.
"""

import re


def matches_at(
    pattern: re.Pattern, text: str, needles: tuple[str, ...], offsets: tuple[int, ...], pos: int = 0
) -> list[re.Match]:
    """`list(pattern.finditer(text, pos))` for a pattern that never matches the empty string and each of whose
    matches holds one of `needles` starting k characters after its start, k one of `offsets`."""
    return matches_at_places(pattern, text, _starts(text, needles, offsets), pos)


def matches_at_places(pattern: re.Pattern, text: str, places: list[int], pos: int = 0) -> list[re.Match]:
    """`list(pattern.finditer(text, pos))` for a pattern that never matches the empty string, when `places`
    (in order) holds the start of every match `pattern.match` could find (speed11)."""
    out: list[re.Match] = []
    end = pos
    match = pattern.match
    for p in places:
        if p >= end:  # (a start before pos, or negative, is below end: never tried)
            m = match(text, p)
            if m is not None:
                out.append(m)
                end = m.end()
    return out


def search_at(
    pattern: re.Pattern, text: str, needles: tuple[str, ...], offsets: tuple[int, ...], pos: int = 0
) -> re.Match | None:
    """`pattern.search(text, pos)` for a pattern of `matches_at`'s shape: the first match, tried at those
    places in order."""
    match = pattern.match
    for p in _starts(text, needles, offsets):
        if p >= pos and (m := match(text, p)) is not None:
            return m
    return None


def _starts(text: str, needles: tuple[str, ...], offsets: tuple[int, ...]) -> list[int]:
    """The places k characters before each occurrence of a needle, in order (kept for the last text asked
    about: the extractor asks for the places before each 省 of a text several times; callers do not change
    the list)."""
    global _last
    last = _last
    if last[0] is not text:
        last = _last = (text, {})
    key = (needles, offsets)
    starts = last[1].get(key)
    if starts is None:
        if len(needles) == 1 and len(offsets) == 1:  # (already in order, each once)
            k = offsets[0]
            starts = [i - k for i in _occurrences(text, needles[0])]
        else:
            starts = sorted(
                {i - k for needle in needles for i in _occurrences(text, needle) for k in offsets}
            )
        last[1][key] = starts
    return starts


_last: tuple[str | None, dict] = (None, {})


def matches_ending(pattern: re.Pattern, text: str, needles: tuple[str, ...], reach: int) -> list[re.Match]:
    """`list(pattern.finditer(text))` for a pattern each of whose matches ends with one of `needles` and is at
    most `reach` characters long, and whose lookaheads read nothing past a match's end: it is run only over
    the stretches of the text reach characters back from each needle's end (the stretches that overlap or
    touch joined). A match lies within the stretch of the needle it ends with; within a stretch the scan tries
    the places a whole-text scan tries (no match of the whole text crosses a stretch's start: it would end
    with a needle inside the stretch and so start inside it), and lookbehinds read the text before the
    stretch as they would."""
    ends = sorted({i + len(n) for n in needles for i in _occurrences(text, n)})
    out: list[re.Match] = []
    lo = hi = -1
    for e in ends:
        if e - reach <= hi:  # (touches the stretch before: joined)
            hi = e
            continue
        if hi >= 0:
            out.extend(pattern.finditer(text, lo, hi))
        lo, hi = max(0, e - reach), e
    if hi >= 0:
        out.extend(pattern.finditer(text, lo, hi))
    return out


def _occurrences(text: str, needle: str):
    i = text.find(needle)
    while i >= 0:
        yield i
        i = text.find(needle, i + 1)
