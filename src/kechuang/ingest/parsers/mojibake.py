"""Step `mojibake`: re-align GBK bytes that a site's byte-level find-and-replace knocked out of step.

How the damage happens (DOMAIN.md, "Reports as they are found"): pages are kept as GBK bytes and edited
by byte-level find-and-replace (reading aids inserted, full-width marks replaced by ASCII ones). When a
match straddles two real characters, the edit lands inside a character: the orphaned lead byte is lost
(or shown as ?/U+FFFD), the following bytes decode one byte out of step (wrong, often rare characters)
until an ASCII byte - which may be a GBK trail byte such as `x` (0x78) - brings the decoder back in step;
byte pairs the decoder could not map are dropped.

The repair re-encodes the suspicious span as GBK, undoes the edit (removes the inserted byte or restores
the full-width mark), re-aligns, and decodes again. Bytes that were lost outright are filled with the
candidate that makes the most dictionary words; such repairs are marked uncertain. Where no reading is
clearly real text, a span with U+FFFD is marked uncertain instead of being guessed.
"""

import functools
import re
from itertools import filterfalse
from operator import add, itemgetter

from .charsets import HAN, HAN_OR_PUNCT, SUSPICIOUS, is_suspicious
from .edits import Edit

STEP = "mojibake"
UNCERTAIN_OPEN, UNCERTAIN_CLOSE = "〔存疑：", "〕"

# A single ASCII mark (or U+FFFD) right after a Chinese character, then a run of non-ASCII characters,
# then possibly one ASCII byte of the GBK trail-byte range that brought the decoder back in step.
# (The patterns start with the trigger's character class and look behind afterwards: a pattern that
# starts with a class lets the engine skip ahead to candidates instead of testing every position.)
_TRIGGER = re.compile(
    rf"(?P<t>[!-/:-@\[-`{{-~\ufffd])(?<=[{HAN}].)(?P<s>[^\x00-\x7f\s\ufffd]{{1,24}})"
    rf"(?P<a>[@-~](?=[{HAN_OR_PUNCT}(（,\d\s]|\Z)|\ufffd)?"
)
# A reading aid inserted inside a character: the orphaned lead byte shows as ?/U+FFFD or is gone.
# Found on its own (valid aids are far more common and must not swallow the text after them), then the
# out-of-step span after it is matched from its end.
_AID = re.compile(
    rf"(?:[?\ufffd](?<=[{HAN}].)[(（]|[(（](?<=[{HAN}].))[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{{1,7}}[)）]"
)
_SPAN = re.compile(rf"(?P<s>[^\x00-\x7f\s\ufffd]{{0,24}})(?P<a>[@-~](?=[{HAN_OR_PUNCT}(（,\d\s]|\Z)|\ufffd)?")


class _Match:
    """The parts of a suspicious span, shaped like a regex match with groups t, s and a."""

    __slots__ = ("_groups", "_start", "_end")

    def __init__(self, start: int, end: int, t: str, s: str, a: str | None):
        self._start, self._end, self._groups = start, end, {"t": t, "s": s, "a": a}

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end

    def group(self, name):
        if name == 0:
            return self._groups["t"] + self._groups["s"] + (self._groups["a"] or "")
        return self._groups[name]


class _AidIsOrdinary(dict):
    """character + matched aid -> True when it is an ordinary reading aid after its own character (the
    reading-aid step's business, not damage). A dict, so that thousands of aids are judged by one
    C-level `map`; the verdict depends only on the character and the aid."""

    def __missing__(self, key: str) -> bool:
        aid = key[1:]
        value = aid[0] in "(（" and _valid_aid(key[0], aid[1:-1])
        self[key] = value
        return value


_AID_IS_ORDINARY = _AidIsOrdinary()
# The same matches as _AID, written to start with a character class (so that the regex engine skips
# ahead in C), with the character before each aid captured: findall gives (aid, character) pairs, and
# each aid's key (character + aid) is made with no Python-level step per aid.
_AID_KEYS = re.compile(
    rf"(?P<aid>[?\ufffd(（](?<=(?P<ch>[^\x00-\x7f\s]).)(?:(?<=[?\ufffd])[(（]?|(?<=[{HAN}][(（]))"
    rf"[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{{1,7}}[)）])"
)


def _aid_matches(text: str):
    # Valid aids are common (about twenty per KB) and damage is rare: the aids are judged all at once
    # by a C-level `map` over a dict; only the few that are not ordinary get a Python-level look.
    found = _AID_KEYS.findall(text) if ")" in text or "）" in text else ()
    if not found:
        return
    keys = list(map(add, map(itemgetter(1), found), map(itemgetter(0), found)))
    if all(map(_AID_IS_ORDINARY.__getitem__, keys)):
        return
    # Where the odd ones are: every occurrence of a key (character + aid) in the text is one of the
    # matches (a match holds one Chinese character, the one before it), so `str.find` locates them.
    starts = []
    for key in set(filterfalse(_AID_IS_ORDINARY.__getitem__, keys)):
        pos = text.find(key)
        while pos >= 0:
            starts.append((pos + 1, key[1:]))
            pos = text.find(key, pos + len(key))
    for start, piece in sorted(starts):
        rest = _SPAN.match(text, start + len(piece))
        yield _Match(start, rest.end(), piece, rest.group("s"), rest.group("a"))


_FFFD_RUN = re.compile(r"\ufffd\ufffd*")

_LEADS = range(0x81, 0xFF)
_MAX_OPTIONS = 30
_TRAILS = [b for b in range(0x40, 0xFF) if b != 0x7F]


@functools.cache
def _pair_tables() -> tuple[list[str | None], list[str | None]]:
    """Every two-byte GBK decoding, indexed by (first << 8 | second): as decoded, and the same with the
    suspicious ones taken out. Built once (about 30 ms): the span search decodes pairs by the thousand."""
    decoded: list[str | None] = []
    for code in range(0x10000):
        try:
            decoded.append(bytes((code >> 8, code & 0xFF)).decode("gbk"))
        except UnicodeDecodeError:
            decoded.append(None)
    plausible = [None if ch is None or is_suspicious(ch) else ch for ch in decoded]
    return decoded, plausible


def _decode_pair(a: int, b: int) -> str | None:
    return _pair_tables()[0][a << 8 | b]


def _tokens(stream: list[int | None]) -> list | None:
    """Split a byte stream (None = unknown byte) into characters: str, or ('L', b) / ('T', a) for a
    pair with an unknown lead / trail. None when the stream cannot be GBK."""
    out = []
    plausible = _pair_tables()[1]
    i, n = 0, len(stream)
    while i < n:
        b = stream[i]
        if b is not None and b < 0x80:
            out.append(chr(b))
            i += 1
            continue
        if i + 1 >= n:
            return None
        c = stream[i + 1]
        if b is None and c is None:
            return None
        if b is None:
            out.append(("L", c))
        elif c is None:
            out.append(("T", b))
        else:
            ch = plausible[b << 8 | c]
            if ch is None:
                return None
            out.append(ch)
        i += 2
    return out


@functools.cache
def _fill_options(token) -> tuple[str, ...]:
    """Characters an unknown byte can complete, commonest first (the rare ones are never the answer)."""
    from .lexicon import char_weight

    kind, known = token
    if kind == "L":
        chars = (_decode_pair(lead, known) for lead in _LEADS)
    else:
        chars = (_decode_pair(known, trail) for trail in _TRAILS)
    weighted = [(char_weight(c), c) for c in chars if c and not is_suspicious(c)]
    weighted = [wc for wc in weighted if wc[0] > 0] or weighted
    weighted.sort(reverse=True)
    return tuple(c for _w, c in weighted[:_MAX_OPTIONS])


@functools.lru_cache(maxsize=4096)
def _options_read_as(token, reading: str) -> tuple[str, ...]:
    """Every character an unknown byte can complete that has `reading` (not only the commonest)."""
    kind, known = token
    pairs = ((lead, known) for lead in _LEADS) if kind == "L" else ((known, trail) for trail in _TRAILS)
    chars = (_decode_pair(a, b) for a, b in pairs)
    return tuple(c for c in chars if c and not is_suspicious(c) and _valid_aid(c, reading))


@functools.cache
def _option_traits(options: tuple[str, ...]) -> tuple[tuple[bool, ...], tuple[float, ...]]:
    """For each option: whether OpenCC leaves it as it is (a simplified character), its log frequency."""
    from .lexicon import char_weight, simplified

    return tuple(simplified(c) == c for c in options), tuple(map(char_weight, options))


def _fill(tokens: list, left: str, right: str, last_reading: str = "") -> tuple[str, int] | None:
    """Fill unknown characters one by one with the option that makes the most dictionary words.

    `last_reading`: a reading aid stands right after the bytes, so the last character, when unknown,
    is one with that reading (where any option has it)."""
    from .lexicon import plausibility, simplified

    text = ""
    guessed = 0
    for i, tok in enumerate(tokens):
        if isinstance(tok, str):
            text += tok
            continue
        ahead = "".join(t for t in tokens[i + 1 : i + 4] if isinstance(t, str))
        options = _fill_options(tok)
        if last_reading and i == len(tokens) - 1:
            options = _options_read_as(tok, last_reading) or options
        if not options:
            return None
        head, tail = left[-3:] + text, ahead + right[:2]
        simplified_context = simplified(head + ahead + right[:2]) == head + ahead + right[:2]
        plain, weights = _option_traits(options)
        # each option's rank: (coverage, script, words, frequency, character weight); a traditional
        # character is an unlikely guess inside simplified text. The first best option wins, as max() does.
        scores = map(plausibility, [head + c + tail for c in options])
        keys = [
            (cov, not simplified_context or ok, words, freq, w)
            for (cov, words, freq), ok, w in zip(scores, plain, weights, strict=True)
        ]
        best = options[keys.index(max(keys))]
        text += best
        guessed += 1
    return text, guessed


def _fullwidth(ch: str) -> bytes | None:
    if "!" <= ch <= "~":
        try:
            return chr(ord(ch) + 0xFEE0).encode("gbk")
        except UnicodeEncodeError:
            return None
    return None


# the aid inside a trigger; a decoder that pairs the orphaned lead with the next byte eats its "("
_AID_IN_TRIGGER = re.compile(r"[(（]?([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+)[)）]")


def _aid_leads(prev: str, trigger: str) -> list[int]:
    """The lost lead byte when a reading aid landed inside a character: the aid was inserted after the
    bytes (last byte of `prev`, lost byte) because those two bytes spell a character with that reading."""
    from .steps import normalise_aid

    m = _AID_IN_TRIGGER.search(trigger)
    if not m:
        return []
    try:
        p2 = prev.encode("gbk")[-1]
    except UnicodeEncodeError:
        return []
    return list(_leads_with_reading(p2, *normalise_aid(m.group(1))))


@functools.lru_cache(maxsize=16384)
def _leads_with_reading(p2: int, aid: str, plain: str) -> tuple[int, ...]:
    # cached: the answer depends only on the byte and the reading, and each miss asks pypinyin about
    # up to 190 characters
    from .steps import chars_read_as, loose_reading, readings_of

    exact, loose = [], []
    possible = chars_read_as(aid)  # pypinyin is asked only about characters with a reading spelt so
    for b in _TRAILS:
        ch = _decode_pair(p2, b)
        if ch and ch in possible:
            readings = readings_of(ch)
            if aid in readings:
                exact.append(b)
            elif plain in readings or loose_reading(aid) in readings:
                loose.append(b)
    # an aid with tone marks is the character's reading with its tone (jì is not jī): those, when
    # there are any, else the characters read so up to the tone
    return tuple(exact or loose)


def _aided_chars(text: str) -> frozenset[str]:
    """The characters that carry an ordinary reading aid somewhere in the text. The site gives aids to a
    fixed list of characters per document, so a character an aid landed inside of is most likely one
    of these."""
    found = _AID_KEYS.findall(text) if ")" in text or "）" in text else ()
    return frozenset(ch for aid, ch in found if _AID_IS_ORDINARY[ch + aid])


def _candidates(trigger: str, span: str, trail: str, known_leads: list[int] | None = None):
    """Every structural reading of the damaged bytes: (byte stream with unknowns, uses_trail, unknowns)."""
    try:
        span_bytes = list(span.encode("gbk"))
    except UnicodeEncodeError:
        return
    trails = [False, True] if trail else [False]
    if known_leads:
        # a closing U+FFFD right after the span is the lost trail byte of its last character
        for lead in known_leads:
            for use_trail in [True] if trail == "\ufffd" else trails:
                tail = ([None] if trail == "\ufffd" else [ord(trail)]) if use_trail else []
                yield [lead, *span_bytes, *tail], use_trail, 0
        return
    replacements = [b""]
    if len(trigger) == 1 and trigger != "\ufffd":
        fw = _fullwidth(trigger)
        if fw:
            replacements.append(fw)
    for rep in replacements:
        for lost_lead in (True, False):
            for use_trail in trails:
                head = ([None] if lost_lead else []) + list(rep)
                # a closing U+FFFD is a byte the decoder could not pair: the lost trail of the last char
                tail = ([None] if trail == "\ufffd" else [ord(trail)]) if use_trail else []
                base = head + span_bytes
                yield base + tail, use_trail, int(lost_lead)
                # one undecodable pair dropped inside the span, at an odd offset of the re-aligned stream
                first = len(head) + 1 - len(head) % 2  # the first odd offset inside the span
                for k in range(first, len(base) + 1, 2):
                    yield base[:k] + [None, None] + base[k:] + tail, use_trail, int(lost_lead) + 1


_FOLLOWING_AID = re.compile(r"[(（]([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7})[)）]")


def _best_reading(text: str, m: re.Match, aided: frozenset[str] = frozenset(), *, by_aid: bool = True):
    from .lexicon import plausibility

    trigger, span, trail = m.group("t"), m.group("s"), m.group("a") or ""
    left = text[max(0, m.start() - 4) : m.start()]
    after = m.end()
    right = text[after : after + 4]
    original = plausibility(left + trigger + span + trail + right)
    best = None
    known = _aid_leads(text[m.start() - 1], trigger) if len(trigger) > 1 and by_aid else []
    if known and aided:
        p2 = text[m.start() - 1].encode("gbk", errors="replace")[-1]
        known = [b for b in known if _decode_pair(p2, b) in aided] or known
    # a lost byte right before an ordinary aid: the aid is the reading of the character it completes
    following = _FOLLOWING_AID.match(text, after) if trail == "\ufffd" else None
    last_reading = following.group(1) if following else ""
    for stream, use_trail, unknowns in _candidates(trigger, span, trail, known):
        tokens = _tokens(stream)
        if tokens is None:
            continue
        filled = _fill(tokens, left, (trail if not use_trail else "") + right, last_reading)
        if filled is None:
            continue
        cand, guessed = filled
        cand_text = cand + ("" if use_trail else trail)
        score = plausibility(left + cand_text + right)
        key = (score[0] - unknowns, score[1], score[2])
        if best is None or key > best[0]:
            best = (key, cand_text, guessed, score)
    if best is None:
        return None
    (_, cand_text, guessed, score) = best
    han = sum(1 for c in cand_text if "\u3400" <= c <= "\u9fff")
    gained = score[0] - original[0]
    if known:
        # the lost byte is pinned down by the mechanism: accept any reading that is no worse
        if gained < 0:
            return None
        return cand_text, guessed
    if gained < 3 or score[0] - plausibility(left + right)[0] < max(2, han // 2):
        return None
    return cand_text, guessed


# after an aid that landed inside a character: the run decoded out of step (U+FFFD where a pair could
# not be read), then the ASCII byte that brought the decoder back in step
_RUN_AFTER_AID = re.compile(rf"(?P<s>[^\x00-\x7f\s]{{0,24}})(?P<a>[@-~](?=[{HAN_OR_PUNCT}(（,\d\s]|\Z))?")


def _run_variants(text: str, after: int):
    """(span, closing, end, lost bytes per U+FFFD) for the two decoders sites use: one that drops an
    unreadable byte (U+FFFD is one byte and the run ends there, usually back in step) and one that
    drops the pair (U+FFFD is two bytes and the run goes on out of step to an ASCII byte)."""
    run = _RUN_AFTER_AID.match(text, after)
    full, closing = run.group("s"), run.group("a") or ""
    k = full.find("\ufffd")
    if k < 0:
        return [(full, closing, run.end(), 1, "")]
    out = [(full[:k], "\ufffd", after + k + 1, 1, _aid_after(text, after + k + 1))]
    eaten = _EATEN_AID.match(text, run.end()) if full.endswith("\ufffd") and not closing else None
    if eaten:
        # the pair decoder ate an aid's "(" with the last character's trail: the aid is that character's
        out.append((full[:-1], "\ufffd", eaten.end(), 2, eaten.group(1)))
    else:
        out.append((full, closing, run.end(), 2, ""))
    return out


_EATEN_AID = re.compile(r"([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7})[)）]")


def _aid_after(text: str, pos: int) -> str:
    following = _FOLLOWING_AID.match(text, pos)
    return following.group(1) if following else ""


def _stream_of(span: str, lost: int) -> list[int | None] | None:
    out: list[int | None] = []
    for ch in span:
        if ch == "\ufffd":
            out.extend([None] * lost)
            continue
        try:
            out.extend(ch.encode("gbk"))
        except UnicodeEncodeError:
            return None
    return out


def _aid_reading(text: str, m, aided: frozenset[str]):
    """(end, repaired, guessed) for a reading aid that landed inside a character: the lost lead byte is
    the one that makes (previous byte, lead) a character with the aid's reading; the run after the aid
    is decoded in step again, under each decoder's reading of U+FFFD."""
    from .lexicon import plausibility

    start = m.start()
    known = _known_leads(text, start, m.group("t"), aided)
    if not known:
        return None
    variants = _run_variants(text, start + len(m.group("t")))
    end_max = max(v[2] for v in variants)
    left, right = text[max(0, start - 4) : start], text[end_max : end_max + 4]
    original = plausibility(left + text[start:end_max] + right)
    best = None
    for stream, end, unused, reading in _aid_streams(variants, known):
        tokens = _tokens(stream)
        if tokens is None and len(stream) % 2 == 1 and _DROPPED_TRAIL.match(text, end):
            # a decoder that drops unreadable bytes lost the last trail unseen (the run stops at a line
            # end or at the next aid, which is that character's)
            tokens = _tokens([*stream, None])
            reading = reading or _aid_after(text, end)
        filled = _fill(tokens, left, unused + text[end:end_max] + right, reading) if tokens else None
        if filled is None:
            continue
        cand = filled[0] + unused
        key = (*plausibility(left + cand + text[end:end_max] + right), _weight(cand))
        if best is None or key > best[0]:
            best = (key, end, cand, filled[1])
    if best is None or best[0][0] < original[0]:
        return None
    return best[1], best[2], best[3]


_DROPPED_TRAIL = re.compile(r"\s|\Z|[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}[)）]")


def _known_leads(text: str, start: int, trigger: str, aided: frozenset[str]) -> list[int]:
    """The bytes that can be the lost lead (they lead the next character, so not ASCII), those making a
    character the document gives aids to first."""
    known = [b for b in _aid_leads(text[start - 1], trigger) if b >= 0x81]
    if known and aided:
        p2 = text[start - 1].encode("gbk", errors="replace")[-1]
        known = [b for b in known if _decode_pair(p2, b) in aided] or known
    return known


def _aid_streams(variants, known: list[int]):
    """(byte stream, end, closing left as text, reading of the last character) for each variant of the
    run after the aid, with and without its closing byte, for each possible lead."""
    for span, closing, end, lost, reading in variants:
        body = _stream_of(span, lost)
        if body is None:
            continue
        for use_closing in (True, False) if closing and closing != "\ufffd" else (bool(closing),):
            tail = ([None] if closing == "\ufffd" else [ord(closing)]) if use_closing else []
            unused = "" if use_closing else closing
            for lead in known:
                yield [lead, *body, *tail], end, unused, reading


def _weight(text: str) -> float:
    """The characters' summed log frequency: between readings the dictionary ranks alike, the one
    of common characters."""
    from .lexicon import char_weight

    return sum(map(char_weight, text))


def _reading(text: str, m, aided: frozenset[str]):
    """(end, repaired, guessed) of a damaged span, or None. For an aid inside a character, the reading
    the aid pins down; only where that makes a character the dictionary never saw, one with any lost
    lead (ranked by the dictionary) that reads at least as well."""
    by_aid = _aid_reading(text, m, aided) if len(m.group("t")) > 1 else None
    if by_aid is not None and all(map(_known_char, by_aid[1])):
        return by_aid
    general = _best_reading(text, m, aided, by_aid=False)
    general = general and (m.end(), *general)
    if by_aid is None or general is None:
        return by_aid or general
    from .lexicon import plausibility

    def key(r):
        end, cand, _g = r
        tail = text[end : max(by_aid[0], general[0]) + 4]
        return plausibility(text[max(0, m.start() - 4) : m.start()] + cand + tail)

    return general if key(general) >= key(by_aid) else by_aid


def _known_char(ch: str) -> bool:
    from .lexicon import char_weight

    return not ("\u3400" <= ch <= "\u9fff") or char_weight(ch) > 0


def _followed_by_own_aid(text: str, pos: int, ch: str) -> bool:
    aid = _FOLLOWING_AID.match(text, pos)
    return aid is not None and _valid_aid(ch, aid.group(1))


def _valid_aid(ch: str, aid: str) -> bool:
    from .steps import is_reading_of

    return is_reading_of(ch, aid)


def _trigger_matches(text: str) -> list:
    """The matches of _TRIGGER worth a look: U+FFFD as the trigger, or a suspicious character in the
    span (t+s holds one exactly then: ASCII marks are not suspicious). Half-width commas in Chinese
    text match the pattern about ten times per KB and are almost never damage.

    _KEPT_TRIGGER finds exactly those with the test folded in (a lookahead), so the commas cost no
    Python-level step. It skips the dropped matches instead of consuming them; the two scans can only
    part where a dropped match's closing byte (`a`) could open the next match - a trigger that is also a
    closing byte (@, [, _, U+FFFD...). On a match starting with one of those the plain scan is used."""
    kept = list(_KEPT_TRIGGER.finditer(text))
    if not any(m.group("t") in _TRAIL_TRIGGERS for m in kept):
        return kept
    search = _SUSPICIOUS_RE.search
    return [m for m in _TRIGGER.finditer(text) if search(m.group("t") + m.group("s"))]


# Characters that signal misaligned decoding (charsets.SUSPICIOUS and the private use area), as one
# character class: a C-level search replaces a Python loop over each candidate span.
_SUSPICIOUS_RE = re.compile("[" + "".join(re.escape(c) for c in sorted(SUSPICIOUS)) + "\ue000-\uf8ff]")
# The suspicious characters a span can hold (a span has no space or U+FFFD).
_SPAN_SUSPICIOUS = "".join(re.escape(c) for c in sorted(SUSPICIOUS) if not c.isspace() and c != "\ufffd")
_KEPT_TRIGGER = re.compile(
    rf"(?P<t>[!-/:-@\[-`{{-~\ufffd](?:(?<=\ufffd)|(?<=[{HAN}].)(?=[^\x00-\x7f\s\ufffd]{{0,23}}[{_SPAN_SUSPICIOUS}\ue000-\uf8ff])))"
    + _TRIGGER.pattern.split("(?P<t>[!-/:-@\\[-`{-~\\ufffd])", 1)[1]
)
# characters that may both close a match (group a) and open one (group t)
_TRAIL_TRIGGERS = frozenset("@[\\]^_`{|}~\ufffd")


# A `?` where the page's decoder put one for a byte it could not read (some sites' decoders write `?`
# instead of U+FFFD): next to a character that is not ASCII (or a reading aid's parenthesis) on either
# side. A real half-width question mark follows a sentence and is read as one by the punctuation step.
_BROKEN_QMARK = re.compile(
    r"\?(?:(?<=[^\x00-\x7f\s]\?)|(?<=[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü][)）]\?)|(?=[^\x00-\x7f\s(（]|[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]))"
)


def find_edits(text: str) -> list[Edit]:
    """Repairs of misaligned GBK spans, and uncertain markers around undecodable bytes.

    A `?` that stands for an unreadable byte (`_BROKEN_QMARK`) is read as U+FFFD: the same repair, and
    where nothing explains it, it is marked uncertain only next to other damage (a suspicious character
    or an aid after it), since a real question mark looks the same."""
    if "?" not in text:
        return _find_edits(text)
    work = _BROKEN_QMARK.sub("\ufffd", text)
    if work == text:
        return _find_edits(text)
    out = []
    for e in _find_edits(work):
        before = text[e.start : e.end]
        if e.note == _UNREADABLE and "?" in before and not _near_damage(work, e.start, e.end):
            continue
        after = e.after.replace("\ufffd", "?") if e.note == _UNREADABLE else e.after
        out.append(e._replace(before=before, after=after))
    return out


def _near_damage(text: str, start: int, end: int) -> bool:
    around = text[max(0, start - 2) : start] + text[end : end + 3]
    return bool(_SUSPICIOUS_RE.search(around)) or bool(
        re.match(r"[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]", text[end : end + 2])
    )


_UNREADABLE = "无法解码的字节"


# A comma the site inserted before a mark whose two bytes straddled two characters (DOMAIN.md): the
# comma lands inside the first character. A full-width comma (A3 AC) makes the first character's lead
# pair with A3 (a wrong character g) and AC is unreadable (U+FFFD); an ASCII comma leaves the lead
# orphaned (U+FFFD) before it. The mark (p) decodes in step from the straddling bytes; the second
# character's trail then pairs out of step (s) until an ASCII byte or an unreadable pair (a).
_COMMA_ZONE = re.compile(
    r"(?:(?P<g>[^\x00-\x7f\s\ufffd])\ufffd|\ufffd,)(?P<p>[、。；：”！？])"
    rf"(?P<s>[^\x00-\x7f\s\ufffd]{{0,24}})(?P<a>[@-~](?=[{HAN_OR_PUNCT}(（,])|\ufffd)?"
)
_COMMA_NOTE = "GBK 字节错位：去掉插入的逗号字节后重新对齐解码"


def _comma_edits(text: str) -> list[Edit]:
    """Re-read each comma zone without the comma's bytes: the first character's bytes and the mark's
    straddling bytes make the two characters again, and the out-of-step run decodes in step."""
    edits = []
    for m in _COMMA_ZONE.finditer(text) if "\ufffd" in text else ():
        reading = _comma_reading(text, m)
        if reading is not None:
            repaired, guessed = reading
            note = _COMMA_NOTE + (f"；{guessed} 个丢失字节按词典补全" if guessed else "")
            edits.append(
                Edit(STEP, m.start(), m.end(), m.group(0), repaired, note=note, uncertain=bool(guessed))
            )
    return edits


def _comma_reading(text: str, m: re.Match) -> tuple[str, int] | None:
    from .lexicon import plausibility

    try:
        head = [m.group("g").encode("gbk")[0]] if m.group("g") else [None]
        middle = list((m.group("p") + m.group("s")).encode("gbk"))
    except UnicodeEncodeError:
        return None
    closing = m.group("a") or ""
    left, right = text[max(0, m.start() - 4) : m.start()], text[m.end() : m.end() + 4]
    original = plausibility(left + m.group(0) + right)[0]
    best = None
    for use_closing in (True, False) if closing else (False,):
        tail = ([None] if closing == "\ufffd" else [ord(closing)]) if use_closing else []
        tokens = _tokens(head + middle + tail)
        if tokens is None:
            continue
        rest = "" if use_closing else closing
        filled = _fill(tokens, left, rest + right)
        if filled is None:
            continue
        cand = filled[0] + rest
        key = plausibility(left + cand + right)
        if best is None or key > best[0]:
            best = (key, cand, filled[1])
    if best is None or best[0][0] < original:
        return None
    return best[1], best[2]


def _find_edits(text: str) -> list[Edit]:
    comma_edits = _comma_edits(text)
    edits: list[Edit] = []
    taken_until = 0
    taken = [(e.start, e.end) for e in comma_edits]
    # A trigger match is only worth a look when its span holds a suspicious character or its trigger is
    # U+FFFD (which is suspicious too): text without any is skipped in one C-level search.
    has_suspicious = _SUSPICIOUS_RE.search(text) is not None
    triggers = _trigger_matches(text) if has_suspicious else ()
    aid_matches = list(_aid_matches(text))
    aided = _aided_chars(text) if aid_matches else frozenset()
    matches = sorted([*triggers, *aid_matches], key=lambda m: m.start())
    for m in matches:
        if m.start() < taken_until or any(a <= m.start() < b or m.start() <= a < m.end() for a, b in taken):
            continue
        span = m.group("s")
        trigger = m.group("t")
        if not (_SUSPICIOUS_RE.search(span) or "\ufffd" in trigger or len(trigger) > 1):
            continue
        if not m.group("a") and span and _followed_by_own_aid(text, m.end(), span[-1]):
            continue  # the span's last character carries its own reading aid: it is in step
        if len(trigger) == 1 and len(span) >= 3:
            from .lexicon import plausibility

            if plausibility(span)[0] >= 0.6 * len(span):
                continue  # the span reads as words already: text in step, not damage
        reading = _reading(text, m, aided)
        if reading is None:
            continue
        end, repaired, guessed = reading
        note = "GBK 字节错位：去掉插入字节后重新对齐解码"
        if guessed:
            note += f"；{guessed} 个丢失字节按词典补全"
        edits.append(
            Edit(STEP, m.start(), end, text[m.start() : end], repaired, note=note, uncertain=bool(guessed))
        )
        taken_until = end
    if comma_edits:
        edits = sorted(edits + comma_edits, key=lambda e: e.start)
    # U+FFFD that no re-alignment explained: keep the bytes' place visible, do not guess
    marked: list[Edit] = []
    for m in _FFFD_RUN.finditer(text) if "\ufffd" in text else ():
        if any(e.start <= m.start() < e.end for e in edits):
            continue
        marked.append(
            Edit(
                STEP,
                m.start(),
                m.end(),
                m.group(0),
                UNCERTAIN_OPEN + m.group(0) + UNCERTAIN_CLOSE,
                note=_UNREADABLE,
                uncertain=True,
            )
        )
    if marked:
        edits = sorted(edits + marked, key=lambda e: e.start)
    return edits
