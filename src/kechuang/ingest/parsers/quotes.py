"""A full stop and a quotation mark that a replaced ！ straddled, the text after them read one byte out of step.

A site that writes ！ as `!` replaces the bytes A3 A1 wherever they stand; in 。” (A1 A3 A1 B1) and 。“ (A1 A3 A1 B0)
they straddle the two marks. 。's lead A1 is left orphaned before the `!` (dropped, shown as U+FFFD, or shown as `?`
with the `!` taken along), and the quotation mark's trail B1 (B0) is read as the lead of a pair with the next
character's lead: the decoder runs out of step up to the next ASCII byte - `补助!彼?f，` for 补助。”他說，
(B1 CB = 彼, the unmappable FB D5 shown as `?`, 說's trail `f` bringing it back in step), `运转?拔覀兊` for
运转。“我们的 on a `?` decoder's page.

`_quote_marks` (mojibake) reads the case where the line ends right after the `!`; here the out-of-step run after it
is read back: the first byte of the run is the quotation mark's trail (B0 or B1: that is the mechanism's check), the
bytes after it paired again, a last character's trail lost before an ASCII byte and a pair a dropping decoder lost
inside the run filled by the dictionary (`gbk._fill`, noted for the step's marks). Taken where the reading makes
more words than the page; the characters whose bytes were guessed are marked uncertain (`mojibake._mark_guesses`).
"""

import re

from .charsets import HAN, HAN_OR_PUNCT
from .edits import Edit
from .gbk import _fill, _tokens
from .inserts import STEP, _known_char
from .lexicon import plausibility

# the trigger (the `!` alone, a `?` that took it along, U+FFFD then the `!`), the run out of step, and what ended
# it: a trail letter (the last character's trail, ASCII), a U+FFFD (that trail orphaned and shown) or nothing (the
# trail dropped before an ASCII byte, a line end or the text's end)
_RUN = re.compile(
    rf"(?P<t>\ufffd!|[!?])(?P<s>[^\x00-\x7f\s\ufffd?]{{1,24}})"
    # an unmappable pair the decoder showed right before the trail letter that ended the run (`彼?f` for 他說)
    rf"(?P<p>[\ufffd?](?=[@-~](?:[{HAN_OR_PUNCT}(（,\d\s]|\Z)))?"
    rf"(?P<a>[@-~](?=[{HAN_OR_PUNCT}(（,\d\s]|\Z)|\ufffd)?"
)
# what stands before 。 in a report: a character, a figure's end, a closing mark
_BEFORE = re.compile(rf"[{HAN}0-9%％）)》”]")
_SHOWN_QMARK = re.compile(rf"[{HAN}]\?")
_HEAD = (0xA1, 0xA3, 0xA1)  # 。 and the quotation mark's lead
_QUOTE_TRAILS = frozenset((0xB0, 0xB1))
# words the reading must make beyond the page's own (less the bytes it guessed)
_GAIN = 2
_NOTE = "GBK 字节错位：去掉插入字节后重新对齐解码"
_GUESSED_NOTE = "；%d 个丢失字节按词典补全"
_MARK_OPEN = "〔存疑："


def _streams(span_bytes: list[int], tail: list, drops: bool):
    """The byte streams the page's run may stand for: (stream, unknown bytes)."""
    base = [*_HEAD, *span_bytes]
    yield base + tail, (base + tail).count(None)
    if not drops:
        return
    # a pair the dropping decoder could not map, lost unseen between two of the page's characters
    for k in range(len(_HEAD) + 2, len(base) + 1, 2):
        yield base[:k] + [None, None] + base[k:] + tail, 2 + (base + tail).count(None)


def _reading(text: str, m: re.Match, drops: bool) -> tuple[str, int] | None:
    span, trail = m.group("s"), m.group("a") or ""
    end = m.end()
    if not trail and end < len(text) and not (text[end] < "\x80" or text[end].isspace()):
        return None
    try:
        span_bytes: list[int | None] = list(span.encode("gbk"))
    except UnicodeEncodeError:
        return None
    if span_bytes[0] not in _QUOTE_TRAILS:
        return None
    if m.group("p"):
        span_bytes += [None, None]
    # the last character's trail: a letter, or lost (dropped, or shown before an ASCII byte)
    tail = [ord(trail)] if trail and trail != "\ufffd" else [None]
    left = text[max(0, m.start() - 4) : m.start()]
    right = text[end : end + 4]
    original = plausibility(left + m.group() + right)[0]
    best = None
    for stream, unknowns in _streams(span_bytes, tail, drops):
        tokens = _tokens(stream)
        if tokens is None:
            continue
        filled = _fill(tokens, left, right)
        if filled is None:
            continue
        cand, _guessed = filled
        if not all(map(_known_char, cand[2:])):
            continue
        key = plausibility(left + cand + right)[0] - unknowns
        if best is None or key > best[0]:
            best = (key, cand, unknowns)
    if best is None or best[0] - original < _GAIN:
        return None
    return best[1], best[2]


def _only_marks(edits: list[Edit], a: int, b: int) -> list[int] | None:
    """The edits inside text[a:b] when each only marks a lost byte the page shows (`〔存疑：?〕`); None when an
    edit reaches out of the span or reads anything."""
    inside = []
    for k, e in enumerate(edits):
        if (e.end <= a or e.start >= b) and not (e.start == e.end and a < e.start < b):
            continue
        if e.start < a or e.end > b or not e.after.startswith(_MARK_OPEN) or len(e.before) > 1:
            return None
        inside.append(k)
    return inside


def quote_runs(text: str, edits: list[Edit]) -> list[Edit]:
    """The mojibake step's edits with each run read back as 。” / 。“ and the text after them (see the module)."""
    # the page's decoder: one that shows U+FFFD, one that shows `?` (after Chinese text), or one that drops
    qpage = "\ufffd" not in text and _SHOWN_QMARK.search(text) is not None
    drops = "\ufffd" not in text and not qpage
    added, replaced = [], set()
    for m in _RUN.finditer(text):
        i = m.start()
        if i == 0 or not _BEFORE.match(text, i - 1):
            continue
        if m.group("t") == "?" and not qpage:
            continue
        try:  # (the mechanism's check first: the run's first byte is a quotation mark's trail)
            if m.group("s")[0].encode("gbk")[0] not in _QUOTE_TRAILS:
                continue
        except UnicodeEncodeError:
            continue
        inside = _only_marks(edits, i, m.end())
        if inside is None:
            continue
        reading = _reading(text, m, drops)
        if reading is None:
            continue
        after, unknowns = reading
        note = _NOTE + (_GUESSED_NOTE % unknowns if unknowns else "")
        added.append(Edit(STEP, i, m.end(), m.group(), after, note=note, uncertain=bool(unknowns)))
        replaced.update(inside)
    if not added:
        return edits
    kept = [e for k, e in enumerate(edits) if k not in replaced]
    return sorted(kept + added, key=lambda e: e.start)
