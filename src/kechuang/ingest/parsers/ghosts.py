"""A comma the site inserted between two characters that stayed in step: the lost pair it leaves.

A site that inserts a full-width comma (， = A3 AC) before a mark does so on the bytes (DOMAIN.md), so it also
finds the mark's two bytes where they straddle two characters X|Y: X's trail is the mark's first byte t, Y's lead
its second. The comma goes in between X's two bytes: X's lead reads with the comma's A3, the comma's AC with t
makes a pair GBK does not map (AC is a user-defined row), and Y reads in step with its own bytes. The page shows
X' + one lost pair + Y (`高校?和` for 高校和: 校 = D0 A3, 和 = BA CD, A3 BA = ：), nothing lost at all:
- where t is A3 (： ； ，), X' is X and the lost pair is only the comma's trail with X's own trail;
- where t is A1 (、 。 ”), X' is X's lead with A3 (`。?本` for 　本: the ideographic space A1 A1 before 本 = B1 BE,
  A1 B1 = ”), and X is read back with its own trail.
A comma inserted before that comma too (a site that puts one before ， as well) leaves a second lost pair.
A decoder that drops what it cannot read shows no lost pair: X' stands right before Y (`silent_ghost_edits`).

Taken as sure where the page itself shows the mechanism: the same mark stands after a comma elsewhere on the page
at least twice and as often as not, so the site is one that inserts commas before it; where the page does not
tell (the mark is rare on it), taken on the bytes alone, X marked uncertain in the text (`高〔存疑：校〕和`); where the mark stands without a
comma more often, not taken.
"""

import functools
import re

from . import scan
from .charlm import scores_between
from .charsets import HAN, is_suspicious
from .edits import Edit
from .lexicon import plausibility

STEP = "mojibake"
NOTE = "GBK 字节错位：去掉插入的逗号字节后重新对齐解码"
_MARKED = "〔存疑：%s〕"
# the marks a site puts a comma before, by their two GBK bytes
_MARKS = {}
for _mark in "、。”；：，":
    _b = _mark.encode("gbk")
    _MARKS[(_b[0], _b[1])] = _mark
# X' (its trail is always the comma's A3: a character or 。), one or two lost pairs, Y
_GHOST = re.compile(rf"(?P<x>[{HAN}。])(?P<lost>[?\ufffd]{{1,2}})(?=(?P<y>[{HAN}]))")
_HAN_RE = re.compile(f"[{HAN}]")
_NOT_HAN = re.compile(f"[^{HAN}]")
_AID = re.compile(r"[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}[)）]")
# the text on each side of X and Y that must read in step, and the share of its Han characters words cover
_AROUND = 4
_COVER = 0.34
_HINT = re.compile(rf"[{HAN}。][?\ufffd]{{1,2}}[{HAN}]")
# (each match of _GHOST and _HINT has a lost byte second: tried only there, scan.matches_at)
_LOST = ("?", "\ufffd")


def _gbk(ch: str) -> bytes | None:
    try:
        out = ch.encode("gbk")
    except UnicodeEncodeError:
        return None
    return out if len(out) == 2 else None


def _inserts_before(text: str, mark: str) -> bool | None:
    """Whether the page shows its site inserting a comma before `mark`: True where the mark stands after a comma
    at least twice and at least as often as without one, False where it stands without one more often, None where
    the page does not tell (the mark is rare on it)."""
    after = len(re.findall(f"[，,]{mark}", text))
    alone = text.count(mark) - after - (text.count(mark * 2) if mark == "，" else 0)
    if after >= 2 and after >= alone:
        return True
    return False if alone > after else None


def comma_ghost_edits(text: str) -> list[Edit]:
    """The lost pairs of commas inserted between two characters in step, taken out (X read back where the
    comma's A3 replaced its trail)."""
    if ("\ufffd" not in text and "?" not in text) or ("," not in text and "，" not in text):
        return []
    if scan.search_at(_HINT, text, _LOST, (1,)) is None:
        return []
    edits = []
    known: dict[str, bool | None] = {}
    for m in _ghosts(text):
        x, y = _gbk(m.group("x")), _gbk(m.group("y"))
        if x is None or y is None or x[1] != 0xA3:
            continue
        lost = m.group("lost")
        # which byte the comma's A3 replaced in X: the one that makes a mark with Y's lead
        found = [(t, _MARKS[(t, y[0])]) for t in (0xA3, 0xA1) if (t, y[0]) in _MARKS]
        if len(found) != 1:
            continue
        t, mark = found[0]
        if len(lost) == 2 and mark != "，" and not _inserts_before_cached(text, "，", known):
            continue  # a second lost pair is a comma inserted before the first comma: the page must show it
        shown = _inserts_before_cached(text, mark, known)
        if shown is False:
            continue
        try:
            own = bytes((x[0], t)).decode("gbk")
        except UnicodeDecodeError:
            continue
        # both characters in step: nothing garbled around them, and the Han text on both sides (reading aids left
        # out) reads as words (a lost pair inside a run read out of step is not this: `偌遥�蝗` for 家，全)
        before, after = (
            text[max(0, m.start() - _AROUND * 3) : m.start()],
            text[m.end() : m.end() + _AROUND * 4],
        )
        if any(is_suspicious(c) or c == "?" for c in before[-_AROUND:] + after[: _AROUND + 1]):
            continue
        words = (
            _NOT_HAN.sub("", before)[-_AROUND:]
            + (own if _HAN_RE.match(own) else "")
            + _NOT_HAN.sub("", _AID.sub("", after))[: _AROUND + 1]
        )
        if plausibility(words)[0] < _COVER * len(words):
            continue
        # where the page does not show the site's habit for this mark, the reading rests on the bytes alone
        # (X's trail and Y's lead make the mark): taken, X marked in the text and counted uncertain
        after = own if shown else _MARKED % own
        edits.append(Edit(STEP, m.start(), m.end(), m.group(0), after, note=NOTE, uncertain=not shown))
    return edits


# The same comma on a page whose decoder drops what it cannot read: the lost pair leaves no trace, and X' stands
# right before Y (`其中剩本級` for 其中省本級: 省 = CA A1 and 本 = B1 BE, A1 B1 = ”; 剩 = CA A3). Only a mark whose first
# byte is A1 changes X (、 。 ”: Y's lead A2, A3 or B1 - a character, or a full-width mark after 。's straddle,
# `留不祝，` for 留不住，). Taken where the page shows its site inserting commas before that mark and X read back makes
# more words, or as many and the character model finds it clearly likelier (marked uncertain then: the words do
# not tell); where the mark is not on the page at all (its habit not shown), on the words and the model alone,
# marked uncertain. A page whose decoder shows its lost bytes (U+FFFD, `?`) shows this pair too (above).
_SILENT_MARKS = {0xA2: "、", 0xA3: "。", 0xB1: "”"}
# nats the character model must prefer X read back by, where the words tie
_SILENT_LM = 3.0


@functools.cache
def _silent_pattern() -> re.Pattern[str]:
    """X' (a Chinese character whose trail is A3 and whose lead with A1 is a Chinese character too) before Y (a
    character or mark whose lead is the second byte of 、 。 ”)."""
    xs, ys = [], []
    for lead in range(0x81, 0xFF):
        x, own = _decoded(lead, 0xA3), _decoded(lead, 0xA1)
        if _HAN_RE.match(x) and _HAN_RE.match(own):
            xs.append(x)
        if lead in _SILENT_MARKS:
            ys += [y for t in range(0x40, 0xFF) if _HAN_RE.match(y := _decoded(lead, t)) or y in "，；：！？"]
    return re.compile(f"[{''.join(xs)}](?=[{''.join(ys)}])")


def _decoded(lead: int, trail: int) -> str:
    try:
        return bytes((lead, trail)).decode("gbk")
    except UnicodeDecodeError:
        return ""


def silent_ghost_edits(text: str) -> list[Edit]:
    """X read back where a comma inserted inside it on a dropping decoder's page left X' (see `_silent_pattern`)."""
    if "\ufffd" in text or ("，" not in text and "," not in text):
        return []
    edits = []
    known: dict[str, bool | None] = {}
    for m in _silent_pattern().finditer(text):
        i = m.start()
        x, y = text[i], text[i + 1]
        mark = _SILENT_MARKS[y.encode("gbk")[0]]
        shown = _inserts_before_cached(text, mark, known)
        if shown is False:
            continue  # the page writes the mark without a comma more often
        own = bytes((x.encode("gbk")[0], 0xA1)).decode("gbk")
        before, after = text[max(0, i - _AROUND) : i], text[i + 1 : i + 1 + _AROUND]
        if any(is_suspicious(c) or c in "?\ufffd" for c in before + after):
            continue
        then, now = plausibility(before + own + after)[0], plausibility(before + x + after)[0]
        if then < now:
            continue
        if then == now:
            lm_x, lm_own = scores_between(before[-1:], (x, own), y)
            if lm_own < lm_x + _SILENT_LM:
                continue
        # sure where the page shows its site's habit for the mark and the words decide; else X marked in the text
        sure = bool(shown) and then > now
        edits.append(Edit(STEP, i, i + 1, x, own if sure else _MARKED % own, note=NOTE, uncertain=not sure))
    return edits


def _ghosts(text: str) -> list[re.Match]:
    return scan.matches_at(_GHOST, text, _LOST, (1,))


def _inserts_before_cached(text: str, mark: str, known: dict[str, bool | None]) -> bool | None:
    if mark not in known:
        known[mark] = _inserts_before(text, mark)
    return known[mark]
