"""Bytes a site inserted inside a character (DOMAIN.md): a reading aid whose bytes landed between a
character's two bytes, or a comma inserted before a mark whose bytes straddled two characters. The lost
lead byte under an aid is a character with the aid's reading; the run after it is decoded in step again
under each decoder's reading of what it could not read; a comma's bytes are taken out."""

import functools
import re
from contextvars import ContextVar
from itertools import compress, repeat
from operator import itemgetter, not_

from . import figures
from .charlm import scores_between, scores_on_page
from .charsets import CJK_PUNCT, HAN, HAN_OR_PUNCT, SUSPICIOUS
from .edits import Edit
from .gbk import (
    _LM_COVER,
    _LM_MARGIN,
    GUESSED,
    OWN_RARE,
    TIES,
    _decode_pair,
    _fill,
    _fill_options,
    _lead,
    _led_tokens,
    _pair_tables,
    _row_trails,
    _table_page,
    _tokens,
    _trail,
    _valid_aid,
    _weight,
    note_tie,
)
from .lexicon import (
    _word_logs,
    char_weight,
    char_weights,
    plausibility,
    plausibility_many,
    plausibility_options,
    simplified,
)
from .steps import chars_read_as, loose_reading, normalise_aid, readings_of

STEP = "mojibake"
# Whether the page's decoder writes `?` for what it cannot read (set by the mojibake step, which reads such a
# page with its `?` as U+FFFD): that decoder shows an orphaned lead together with the ASCII byte after it.
QMARK_PAGE: ContextVar[bool] = ContextVar("mojibake_qmark_page", default=False)
# what follows a shown lost byte that ate a figure's digit: the rest of the figure
_FIGURE_REST = re.compile(r"[0-9.%]")


def past_eaten_digit(text: str, end: int, right: str) -> str:
    """The right-hand context of a run that closed on a lost byte a `?` decoder showed (U+FFFD at `end - 1`)
    before the rest of a figure: the decoder ate the ASCII byte after that lead, most likely a digit of
    the figure, so the run's last character is chosen before a digit (`部属?2项` for 部署42项, 稳 before
    `?.31%` for 为2.31%; the character model reads every digit as 0)."""
    if QMARK_PAGE.get() and text[end - 1 : end] == "\ufffd" and _FIGURE_REST.match(text, end):
        return "0" + right
    return right


_SPAN = re.compile(
    rf"(?P<s>[^\x00-\x7f\s\ufffd]{{0,120}})(?P<a>[@-~](?=[{HAN_OR_PUNCT}(（,\d\s]|\Z)|\ufffd)?"
)


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


class _FoundIsOrdinary(dict):
    """`_AID_IS_ORDINARY` by findall's (aid, character) pair as it comes: the pairs are looked up as they are,
    without a key string made for each of a page's hundreds of aids."""

    def __missing__(self, found: tuple[str, str]) -> bool:
        value = self[found] = _AID_IS_ORDINARY[found[1] + found[0]]
        return value


_FOUND_IS_ORDINARY = _FoundIsOrdinary()
# The same matches as _AID, written to start with a character class (so that the regex engine skips
# ahead in C), with the character before each aid captured: findall gives (aid, character) pairs, and
# each aid's key (character + aid) is made with no Python-level step per aid. An aid after a Chinese mark is
# never its own (the site gives aids to characters): one inside the character after the mark (`“(áo)(jiē)榜`
# for “揭榜: “ = A1 B0 and 揭's lead BD spell 敖) - or after a mark the site wrote in its ASCII form after
# inserting the aids (`,;?huàn)野駟` for ；揭榜单位: ； = A3 BB, 唤 = BB BD; `_last_byte`).
_AID_KEYS = re.compile(
    rf"(?P<aid>[?\ufffd(（](?<=(?P<ch>[^\x00-\x7f\s]|[,;:!]).)(?:(?<=[?\ufffd])[(（]?|(?<=[{HAN}{CJK_PUNCT},;:!][(（]))"
    rf"[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{{1,7}}[)）])"
)


def _aid_matches(text: str):
    # Valid aids are common (about twenty per KB) and damage is rare: the aids are judged all at once
    # by a C-level `map` over a dict; only the few that are not ordinary get a Python-level look.
    found = _AID_KEYS.findall(text) if ")" in text or "）" in text else ()
    ordinary = list(map(_FOUND_IS_ORDINARY.__getitem__, found))
    global _last_found
    _last_found = (text, found, ordinary)
    if not found:
        return
    if all(ordinary):
        yield from _ordinary_then_garbled(text)
        return
    # Where the odd ones are: every occurrence of a key (character + aid) in the text is one of the
    # matches (a match holds one Chinese character, the one before it), so `str.find` locates them.
    starts = []
    for aid, ch in set(compress(found, map(not_, ordinary))):
        key = ch + aid
        pos = text.find(key)
        while pos >= 0:
            starts.append((pos + 1, key[1:]))
            pos = text.find(key, pos + len(key))
    for start, piece in sorted(starts):
        rest = _SPAN.match(text, start + len(piece))
        yield _Match(start, rest.end(), piece, rest.group("s"), rest.group("a"))
    yield from _ordinary_then_garbled(text)


# An aid that reads as the character before it, followed by text decoded out of step: the site inserted it
# inside the next character, after the bytes (that character's trail, the next one's lead) of a character of
# the same reading (`科技(jì)陴赜焐枇` for 科技厅在鹭屿: 技 = BC BC, 厅 = CC FC, 继 = BC CC got its aid after 技's
# trail). Where the garbled run reads no better re-read, the aid stays the reading aid of 技.
# (suspicious characters, full-width Latin letters (row A3) and the pinyin letters of row A8, which prose
# does not hold outside an aid)
_GARBLED = (
    "".join(re.escape(c) for c in sorted(SUSPICIOUS) if not c.isspace())
    + "\ue000-\uf8ff\uff21-\uff3a\uff41-\uff5aāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüêńňǹɑɡ"
)
# (one of the first four characters after it such a character - `技(jì)顒油度搿⒖萍` for 技活动投入、科技: 蓟 =
# BC BB got its aid after 技's trail, and the garbled run's first rare character is its fourth; 於 is a
# traditional text's own: the reading must make clearly more words, `mojibake._ordinary_reading`)
_ORDINARY_THEN_GARBLED = re.compile(
    rf"[(（](?<=[{HAN}].)[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{{1,7}}[)）]"
    rf"(?=[^\x00-\x7f\s]{{0,3}}[{_GARBLED}])"
)


class _OrdinaryMatch(_Match):
    """An aid that reads as the character before it (`_ORDINARY_THEN_GARBLED`): re-read only when that
    clearly reads better than the text with the aid taken as that character's (`mojibake._reading`)."""

    __slots__ = ()
    ordinary = True


# A garbled character that can be the one `_ORDINARY_THEN_GARBLED`'s lookahead asks for: the character before it
# is the aid's `)` or one of the (non-ASCII) characters between. Not a pinyin letter inside an aid (after an ASCII
# letter or `(`): the page's hundreds of aids are not tried one by one, only the few places near such a character.
_GARBLED_AFTER_AID = re.compile(rf"[{_GARBLED}](?<=[^\x00-\x28\x2a-\x7f\s].)")
_AID_OPEN = re.compile("[(（]")
# an aid opens at most 12 characters before such a character: `(`, seven letters, `)`, three characters
_ORDINARY_REACH = 12


def _ordinary_then_garbled_matches(text: str) -> list[re.Match]:
    """`list(_ORDINARY_THEN_GARBLED.finditer(text))`, the pattern tried only at the aids' openings within reach
    of a garbled character that may close its lookahead: its matches are single aids, which do not overlap, so
    they are the places where it matches, in order."""
    starts: list[int] = []
    covered = 0
    for g in _GARBLED_AFTER_AID.finditer(text):
        end = g.start() - 2  # (the opening stands at least `(`, a letter and `)` before it)
        begin = max(covered, g.start() - _ORDINARY_REACH)
        if begin < end:
            starts.extend(m.start() for m in _AID_OPEN.finditer(text, begin, end))
            covered = end
    match = _ORDINARY_THEN_GARBLED.match
    return [m for m in map(match, repeat(text), starts) if m is not None]


def _ordinary_then_garbled(text: str):
    for m in _ordinary_then_garbled_matches(text):
        rest = _SPAN.match(text, m.end())
        yield _OrdinaryMatch(m.start(), rest.end(), m.group(), rest.group("s"), rest.group("a"))


# the aid inside a trigger; a decoder that pairs the orphaned lead with the next byte eats its "("
_AID_IN_TRIGGER = re.compile(r"[(（]?([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+)[)）]")


def _aid_leads(prev: str, trigger: str) -> list[int]:
    """The lost lead byte when a reading aid landed inside a character: the aid was inserted after the
    bytes (last byte of `prev`, lost byte) because those two bytes spell a character with that reading."""

    return list(_aid_leads_of(prev, trigger))


@functools.lru_cache(maxsize=16384)
def _aid_leads_of(prev: str, trigger: str) -> tuple[int, ...]:
    # cached: an aid's leads are asked for up to four times (`_reading`, `_aid_reading`, its readings)
    m = _AID_IN_TRIGGER.search(trigger)
    if not m:
        return ()
    p2 = _last_byte(prev)
    if p2 is None:
        return ()
    return _leads_with_reading(p2, *normalise_aid(m.group(1)))


# the marks a site writes in their ASCII form for full-width ones (DOMAIN.md): where that replacement came after
# the aids, an aid can stand inside the character after such a mark (`,;?huàn)野駟` for ；揭榜单位: 唤 = BB BD is
# ；'s trail BB with 揭's lead BD), and the byte before the lost lead is the full-width mark's last
_REPLACED_MARKS = frozenset(",;:!")


def _last_byte(prev: str) -> int | None:
    """The GBK byte before a lost lead: the last of `prev`, or of the full-width mark an ASCII mark replaced."""
    try:
        if prev in _REPLACED_MARKS:
            return chr(ord(prev) + 0xFEE0).encode("gbk")[-1]
        return prev.encode("gbk")[-1]
    except UnicodeEncodeError:
        return None


@functools.lru_cache(maxsize=16384)
def _leads_with_reading(p2: int, aid: str, plain: str) -> tuple[int, ...]:
    # cached: the answer depends only on the byte and the reading, and each miss asks pypinyin about
    # up to 190 characters

    default, exact, loose = [], [], []
    possible = chars_read_as(aid)  # pypinyin is asked only about characters with a reading spelt so
    # the trail bytes, in order, that make (p2, trail) such a character (a set operation in C, not ~190
    # decodings)
    row = _row_trails(p2)
    loosened = loose_reading(aid)
    for b in sorted([b for ch in possible.intersection(row) for b in row[ch]]):
        ch = _decode_pair(p2, b)
        if ch:
            readings = readings_of(ch)
            if aid in readings:
                (default if default_reading(ch) == aid else exact).append(b)
            elif plain in readings or loosened in readings:
                loose.append(b)
    # an aid with tone marks is the character's reading with its tone (jì is not jī): those, when
    # there are any, else the characters read so up to the tone; the site writes a character's default
    # reading, so the characters whose default it is come first (de: 的, not 登 or 底, which pypinyin
    # also reads de)
    return tuple(default or exact or loose)


@functools.lru_cache(maxsize=65536)
def default_reading(ch: str) -> str:
    """The reading pypinyin gives `ch` on its own (with tone marks): the one a site's reading aid writes."""
    from pypinyin.pinyin_dict import pinyin_dict

    found = pinyin_dict.get(ord(ch))
    return found.split(",", 1)[0] if found else ""


# (text, its _AID_KEYS matches, whether each is ordinary) of the last text _aid_matches read, replaced as one
# tuple (threads)
_last_found: tuple = (None, (), ())


def _aided_chars(text: str) -> frozenset[str]:
    """The characters that carry an ordinary reading aid somewhere in the text. The site gives aids to a
    fixed list of characters per document, so a character an aid landed inside of is most likely one
    of these."""
    last_text, found, ordinary = _last_found
    if last_text is not text:
        found = _AID_KEYS.findall(text) if ")" in text or "）" in text else ()
        ordinary = map(_FOUND_IS_ORDINARY.__getitem__, found)
    # (C-level: a page has hundreds of aids)
    return frozenset(compress(map(itemgetter(1), found), ordinary))


_FOLLOWING_AID = re.compile(r"[(（]([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7})[)）]")


# after an aid that landed inside a character: the run decoded out of step (U+FFFD where a pair could
# not be read), then the ASCII byte that brought the decoder back in step
_RUN_AFTER_AID = re.compile(rf"(?P<s>[^\x00-\x7f\s]{{0,120}})(?P<a>[@-~](?=[{HAN_OR_PUNCT}(（,\d\s]|\Z))?")


def _run_variants(text: str, after: int):
    """(span, closing, end, lost bytes per U+FFFD) for the two decoders sites use: one that drops an
    unreadable byte (U+FFFD is one byte and the run ends there, usually back in step) and one that
    drops the pair (U+FFFD is two bytes and the run goes on out of step to an ASCII byte)."""
    run = _RUN_AFTER_AID.match(text, after)
    full, closing = run.group("s"), run.group("a") or ""
    k = full.find("\ufffd")
    if k < 0:
        # a run followed by its last character's aid is read on through it (a run that stopped there
        # was in step, and the mojibake step does not look at it)
        return _runs_through_aids(text, full, closing, run.end()) or [(full, closing, run.end(), 1, "")]
    out = [(full[:k], "\ufffd", after + k + 1, 1, _aid_after(text, after + k + 1))]
    eaten = _EATEN_AID.match(text, run.end()) if full.endswith("\ufffd") and not closing else None
    if eaten:
        # the pair decoder ate an aid's "(" with the last character's trail: the aid is that character's
        out.append((full[:-1], "\ufffd", eaten.end(), 2, eaten.group(1)))
    else:
        out.append((full, closing, run.end(), 2, ""))
        # ... or the run ends at a later U+FFFD, the orphaned trail of its last character, where the rest of
        # the run reads in step (no rare character; the U+FFFDs before it unmappable pairs): `日?宕锏?级以上`
        # for 度整体达到6级以上 (the `?` after 锏 is 到's trail BD with the 6 after it, which a `?` decoder
        # shows together)
        j = k
        for _ in range(_LATER_ENDS):
            j = full.find("\ufffd", j + 1)
            if j < 0 or j == len(full) - 1:
                break
            if "\ufffd\ufffd" in full[: j + 1]:
                break  # pairs side by side are left to the continued runs (`mojibake._continued_run`)
            if not any(map(SUSPICIOUS.__contains__, full[j + 1 :])):
                out.append((full[:j], "\ufffd", after + j + 1, 2, _aid_after(text, after + j + 1)))
                break
        # ... or, at a line end, its last two U+FFFDs an unmappable pair and the orphaned trail of the character
        # whose lead is the pair's second byte (`人�(shùn)危��` + line end for 人次，。 where the site put a comma
        # before 。: 次's trail CE with the comma's A3, AC A1 unmappable, 。's A3 orphaned by the line end)
        if (
            not closing
            and full.endswith("\ufffd\ufffd")
            and full.count("\ufffd") == 2
            and len(full) > 2
            and text[run.end() : run.end() + 1] in ("\n", "")
        ):
            out.append((full[:-1], "\ufffd", run.end(), 2, ""))
    if WHOLE_RUN.get():
        # the run read whole: its last U+FFFD, before the ASCII byte that ends it, the orphaned trail of its
        # last character (one byte), the ones inside it unmappable pairs (`�(de)芎耐�认陆�4.2%` for
        # 能耗同比下降4.2%: 同's trail and 比's lead unmappable, 降's trail orphaned by the `4`); pairs side by
        # side are left to the continued runs, which choose their characters together
        if closing or not full.endswith("\ufffd") or len(full) <= k + 1 or "\ufffd\ufffd" in full:
            return []
        return [(full[:-1], "\ufffd", run.end(), 2, _aid_after(text, run.end()))]
    return out


# the later U+FFFDs of a run after an aid it may end at (`_run_variants`)
_LATER_ENDS = 2

# Set by the mojibake step where the run after an aid, read to its first U+FFFD, left the rest garbled (no
# continued run read after it): `_run_variants` then gives only the whole run's reading (`mojibake._whole_run`)
WHOLE_RUN: ContextVar[bool] = ContextVar("inserts_whole_run", default=False)


_MAX_RUN_AIDS = 2


def _runs_through_aids(text: str, full: str, closing: str, end: int) -> list:
    """The run read on through the reading aids of its own out-of-step characters: the site inserted an
    aid after two bytes that, read out of step, spell a character with that reading (`精神(bān)钊雽嵤┛平
    (píng)膛d` for 精神，深入實施科教興: C6 BD read as 平 got its aid, inside 教), so the run goes on after
    it. One variant per aid passed (up to _MAX_RUN_AIDS); the aids are not part of the re-read bytes."""
    out = []
    for _ in range(_MAX_RUN_AIDS):
        if closing or not full or "\ufffd" in full:
            break
        aid = _FOLLOWING_AID.match(text, end)
        if aid is None or not _valid_aid(full[-1], aid.group(1)):
            break
        more = _RUN_AFTER_AID.match(text, aid.end())
        if not more.group("s") or "\ufffd" in more.group("s"):
            break
        full, closing, end = full + more.group("s"), more.group("a") or "", more.end()
        out.append((full, closing, end, 1, ""))
    return out


_OWN_AID = re.compile(r"([^\x00-\x7f\s])[(（]([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7})[)）]")


def _without_own_aids(s: str) -> str:
    return _OWN_AID.sub(lambda a: a.group(1) if _valid_aid(a.group(1), a.group(2)) else a.group(0), s)


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
    """(end, repaired, guessed) for a reading aid that landed inside a character (`_aid_reading_leads`),
    with the lost leads that make a character the page gives aids to first. The site's list also holds
    characters whose bytes straddle two real characters and which get no aid of their own elsewhere
    (汲 = BC B3 in 技|成): where those leads give no reading, or one with a character the dictionary never
    saw (`技�(jí)晒麑` read with 級's lead 89 as 壣果實), every lead with the aid's reading is tried - and where
    those leads leave the aid of the run's last character unexplained: `科�(píng)�(jì)` for 科技, 萍 = C6 BC straddling
    科|技 (no aid of its own on the page), 技's trail BC orphaned by its own aid; 平 (C6 BD) has aids on the page,
    and its lead makes no character read jì (教, 科教)."""
    out, ties = _aid_reading_ties(text, m, aided)
    pick = _aid_reading_pick(text, m, aided, out)
    if pick is not None:
        out, ties = pick
    page_ties = TIES.get()
    if page_ties is not None and ties:
        # only the ties of the reading taken (`_aid_reading_ties`)
        page_ties.update(ties)
    return out


def _aid_reading_pick(text: str, m, aided: frozenset[str], out):
    """(reading, its ties) with every lead the aid allows, where that is to be taken over `out` (the
    reading with the leads of the page's aided characters first); None where `out` stands."""
    if not aided or (out is not None and all(map(_known_char, out[1])) and not _own_aid_left(text, out)):
        return None
    start, trigger = m.start(), m.group("t")
    if len(_known_leads(text, start, trigger, aided)) == len(_known_leads(text, start, trigger, frozenset())):
        return None  # the page's aided characters left out no lead
    wider, ties = _aid_reading_ties(text, m, frozenset())
    if wider is None or not all(map(_known_char, wider[1])):
        return None
    if out is not None and all(map(_known_char, out[1])) and _own_aid_left(text, wider):
        return None  # (the wider leads explain that aid no better)
    return wider, ties


def _aid_reading_ties(text: str, m, aided: frozenset[str]) -> tuple:
    """`_aid_reading_leads` and the ties (`gbk.TIES`) of the reading it returns only: those its own choices
    noted (`_lm_pick`, `_note_undecided`) and those noted while its stream was filled - not the losing
    streams' (a stream that is not taken decides nothing on the page; empty where no reading is taken)."""
    if TIES.get() is None:
        return _aid_reading_leads(text, m, aided), None
    mine: dict = {}
    token = TIES.set(mine)
    try:
        out = _aid_reading_leads(text, m, aided, mine)
    finally:
        TIES.reset(token)
    return out, (mine if out is not None else None)


def _filled_noting(ties: dict | None, *args, **kwargs):
    """`_fill(*args, **kwargs)` and the ties its choices noted (in a dict of their own; None where no ties
    are noted)."""
    if ties is None:
        return _fill(*args, **kwargs), None
    own: dict = {}
    token = TIES.set(own)
    try:
        return _fill(*args, **kwargs), own
    finally:
        TIES.reset(token)


def _own_aid_left(text: str, reading) -> bool:
    """Whether a reading of the run after an aid stops at a lost byte (U+FFFD) right before an aid that its
    last character is not read as: that byte was the trail of the character the aid is for."""
    end, repaired = reading[0], reading[1]
    following = _FOLLOWING_AID.match(text, end)
    return (
        following is not None
        and text[end - 1 : end] == "\ufffd"
        and not _valid_aid(repaired[-1:], following.group(1))
    )


def _aid_reading_leads(text: str, m, aided: frozenset[str], ties: dict | None = None):
    """(end, repaired, guessed) for a reading aid that landed inside a character: the lost lead byte is
    the one that makes (previous byte, lead) a character with the aid's reading; the run after the aid
    is decoded in step again, under each decoder's reading of U+FFFD. `ties`: where given, the ties noted
    while the stream of the reading returned was filled are added to it (each stream's own are kept apart)."""

    start = m.start()
    known = _known_leads(text, start, m.group("t"), aided)
    if not known:
        return None
    variants = _run_variants(text, start + len(m.group("t")))
    if not variants:
        return None  # (only where the run is read whole, `WHOLE_RUN`, and is not of that shape)
    end_max = max(v[2] for v in variants)
    left, right = text[max(0, start - 4) : start], text[end_max : end_max + 4]
    body = start + len(m.group("t"))
    if "(" in text[body:end_max] or "（" in text[body:end_max]:
        # read on through aids (`_runs_through_aids`): the text as it stands is judged without the aids of
        # its own characters, which would split its words (計(jì)劃) and make any re-reading look better
        original = plausibility(left + text[start:body] + _without_own_aids(text[body:end_max]) + right)
    else:
        original = plausibility(left + text[start:end_max] + right)
    best, best_explained = None, False
    # the orphaned lead vanished with no mark: the site's decoder drops what it cannot read
    dropping = m.group("t")[:1] in "(（" and "\ufffd" not in text[start : end_max + 1]
    dropped_streams: list = []
    readings: list = []
    # the ties each stream's fill noted, by (explained, end, text) of its reading (the search for a dropped pair
    # below notes its own as it goes)
    ties_of: dict = {}
    # the streams of one variant differ in their lead only: the rest is split once for all leads
    split_of = padded_of = None
    padded: list = []
    rest_tokens = padded_tokens = None
    for lead, rest, end, unused, reading in _aid_streams(variants, known):
        if rest is not split_of:
            split_of, rest_tokens = rest, _tokens(rest, start=1, orphan_last=_orphan_last(rest, end, text))
        stream = rest  # the stream is [lead, *stream]
        tokens = _led_tokens(lead, rest, rest_tokens)
        if tokens is None and len(rest) % 2 == 0 and not unused and _DROPPED_TRAIL.match(text, end):
            # a decoder that drops unreadable bytes lost the last trail unseen (the run stops at a line
            # end or at the next aid, which is that character's)
            if padded_of is not rest:
                padded = [*rest, None]
                padded_of, padded_tokens = rest, _tokens(padded, start=1)
            stream = padded
            tokens = _led_tokens(lead, padded, padded_tokens)
            reading = reading or _aid_after(text, end)
        after = past_eaten_digit(text, end, _context_after(text, end, end_max, right))
        if dropping and tokens:
            dropped_streams.append(([lead, *stream], end, unused, reading, after))
        if not tokens:
            continue
        filled, own = _filled_noting(ties, tokens, left, unused + after, reading, wide=True)
        if filled is None:
            continue
        cand = filled[0] + unused
        # a reading that leaves an aid whose `(` the decoder ate (`能?jì)?liàng)`: 力 before `liàng)`) has
        # not explained the page: the reading that takes that aid as its last character's goes first (量)
        # ... and one whose last character is not read as the aid after it (兩?shāng)?shěng): 天 from the lead of
        # 商 against 省 from the lead of 墒) has not either
        eaten = reading and text[end - 1 : end] in ")）"  # the run took in an aid whose `(` was eaten
        explained = not _EATEN_AID.match(after) and (not eaten or _valid_aid(filled[0][-1:], reading))
        # ... nor one whose last character, its trail lost before an aid (`值�(dí)�(zēng)速`: 增 = D4 F6, its lead
        # lost inside 翟 = B5 D4 and its trail orphaned by its own aid), is not read as that aid: the lead
        # that allows no such character (迅 from 笛's lead, 迅速) has not explained the page
        explained = explained and (not reading or eaten or _valid_aid(filled[0][-1:], reading))
        # ... nor one that ends a line on a comma where the lost bytes could make a full stop (`家(yáo)\n`:
        # 摇 D2 A1 or 遥 D2 A3 straddled 家|。, so the lead is A1 or A3: 。 or ，; a paragraph ends on 。)
        explained = explained and not (cand[-1:] in _MID_SENTENCE and text[end : end + 1] in ("\n", ""))
        readings.append((explained, end, cand, filled[1], after))
        if own:
            # (the first stream that gives a reading is the one taken when it wins)
            ties_of.setdefault((explained, end, cand), own)
    # each reading scored with the text around it (the texts scored together: one OpenCC call), the key's
    # ties broken by the run that reads more; the first best wins
    scores = plausibility_many([left + r[2] + r[4] for r in readings])
    readings = [
        (explained, (*score, _weight(cand), end), end, cand, guessed, after)
        for (explained, end, cand, guessed, after), score in zip(readings, scores, strict=True)
    ]
    for explained, key, end, cand, guessed, _after in readings:
        if best is None or (explained, key) > (best_explained, best[0]):
            best, best_explained = (key, end, cand, guessed), explained
    if len(readings) > 1:
        best = _lm_pick(readings, best, best_explained, left)
        best = _figure_pick(readings, best, best_explained, left)
    # (a run that ends on the first letters of a Latin word the page goes on with reads clean: `投(dù)隦&D` is
    # 投入R&D, its R the ASCII byte the decoder had taken as 隦's trail)
    clean = best is not None and _reads_clean(_before_latin_word(best[2], text[best[1] : best[1] + 1]))
    if dropped_streams and (not clean or _has_loner(left, best[2])):
        # A decoder that drops what it cannot read also drops an unmapped pair of the out-of-step run
        # without a trace: search the two lost bytes at each place of the re-aligned run. Where the
        # reading without a lost pair is clean prose already, one with a pair lost must make clearly
        # more words (主(tāo)笜藢崿F: 腋標實現 reads clean, 主要指標實現 makes _DROPPED_GAIN more)
        found = list(_dropped_pair_readings(dropped_streams, left))
        dropped = _dropped_lm_pick(found, max(found, default=None), dropped_streams, left)
        if dropped is not None and (not clean or dropped[0][0] >= best[0][0] + _DROPPED_GAIN):
            best = dropped
            dropped_streams = None
    if dropped_streams and clean:
        best = _first_pair_dropped(text, dropped_streams, left, best, readings)
    if best is None or best[0][0] < original[0]:
        return None
    if ties is not None and len(best) == 4:
        # (a reading with a dropped pair carries its place, a fifth field: its search noted its ties as it went)
        own = ties_of.get((best_explained, best[1], best[2]))
        if own:
            ties.update(own)
    best = _table_space(best, readings, left)
    if dropping:
        cand, more = _split_dropped(best[2], left, text[best[1] : best[1] + 4])
        return (*_with_own_aid(text, best[1], cand), best[3] + more)
    return (*_with_own_aid(text, best[1], best[2]), best[3])


def _table_space(best: tuple, readings: list, left: str) -> tuple:
    """`best` with a 。 it ends on between a row's name and its first figure read as 　 on a page whose table
    cells open on a figure after 　 (the lost trail after A1 of `gbk._fill`'s table rule; in an aid's run the
    readings are first compared with the 。 the dictionary scores, so that the rule does not change which wins)."""
    cand = best[2]
    # only a reading that is that 。 alone (a `?` decoder's lost byte after it: the figure's eaten digit); a longer
    # run read into the cell (`技(jì)跣砜伞97`, 酋许可。) is no row name's end, and its 　 reading was dropped later
    k = len(cand.rstrip("\ufffd")) - 1
    if k != 0 or cand[k] != "。" or not "\u4e00" <= left[-1:] <= "\u9fff" or not _table_page():
        return best
    after = next((r[5] for r in readings if r[2] == best[1] and r[3] == cand), "")
    if not figures.before_digit(after):
        return best
    return (best[0], best[1], cand[:k] + "\u3000" + cand[k + 1 :], *best[3:])


_MID_SENTENCE = frozenset("，、")


def _with_own_aid(text: str, end: int, cand: str) -> tuple[int, str]:
    """(end, repaired) taking in the aid right after the run when it is the repaired last character's own
    (`由(shàn)夏甑(de)第`: 甑 read again as 年 and 的, whose trail was lost before its aid): left out, the aid
    would follow 甑 on the page and be read as one more aid inside a character. The reading-aid step takes
    it out as it does every character's own aid."""
    following = _FOLLOWING_AID.match(text, end)
    if (
        following is None
        or not cand
        or not _valid_aid(cand[-1], following.group(1))
        or _valid_aid(text[end - 1], following.group(1))
    ):
        return end, cand
    return following.end(), cand + following.group(0)


def _lm_pick(readings: list, best: tuple, best_explained: bool, left: str) -> tuple:
    """The reading to take among those of the lost leads the aid allows: the dictionary's best, unless
    another reading of the same bytes (same end, as well explained) whose word cover is at most
    gbk._LM_COVER smaller is gbk._LM_MARGIN likelier under the character model (`18日揭?yí)七\\行`: 遗's
    trail C5 or 移's C6 as the lost lead, 揭牌運 or 揭破運; the dictionary, with both covered alike,
    ranks 揭破 first by the frequency of 破 alone). The same rule as the choice among a lost byte's options
    (gbk._choose). Readings of another length are not compared (the model's sum favours fewer characters)."""

    key, end, n = best[0], best[1], len(best[2])
    low = key[0] - _LM_COVER
    close = [
        r
        for r in readings
        if r[0] == best_explained and r[2] == end and r[1][0] >= low and len(r[3]) == n and r[3] != best[2]
    ]
    if not close:
        return best
    after = next(r[5] for r in readings if r[2] == end and r[3] == best[2])
    page = OWN_RARE.get(None)
    lms = scores_on_page(
        left[-1:], [best[2], *(r[3] for r in close)], after[:1], page.counts() if page else None
    )
    pick, pick_lm = best, lms[0]
    floor = lms[0] + _LM_MARGIN
    for r, lm in zip(close, lms[1:], strict=True):
        if lm >= floor and lm > pick_lm:
            pick, pick_lm = (r[1], r[2], r[3], r[4]), lm
    ties = TIES.get()
    if ties is not None:
        others = [(lm, r[3], r[1]) for r, lm in zip(close, lms[1:], strict=True) if r[3] != pick[2]]
        if pick[2] != best[2]:
            others.append((lms[0], best[2], best[0]))
        lm, rival, key = max(others)  # (the rival the model likes best)
        note_tie(ties, left[-1:], pick[2], rival, after[:1], pick[0][0] - key[0], pick_lm - lm)
    return pick


def _figure_pick(readings: list, best: tuple, best_explained: bool, left: str) -> tuple:
    """Right before a figure, the reading of the same bytes (same end, as well explained) that ends in what the
    reports write there far more often (`figures.choose_text`: 的第 before 38位, not the word 的哥)."""
    end = best[1]
    same = [r for r in readings if r[0] == best_explained and r[2] == end]
    if len(same) < 2 or not figures.before_digit(same[0][5]):
        return best
    texts = [r[3] for r in same]
    pick = texts.index(best[2]) if best[2] in texts else None
    if pick is None:
        return best
    j = figures.choose_text(left, texts, [r[1][0] for r in same], pick)
    return best if j == pick else (same[j][1], same[j][2], same[j][3], same[j][4])


_MAX_SPLITS = 4
# ... and one more per so many characters of the run: a dropping decoder out of step loses a pair wherever a
# trail byte cannot lead (AA-AF, F8-FE: the trail of ， A3 AC and of about one character in seven), so a long
# run through a paragraph with no ASCII byte to resync on holds one such merge every few characters
_SPLIT_EVERY = 8
_SPLIT_GAIN = 3
# ... or one word less where the character model, too, finds the two characters likelier than the one
# (though it pays for one more character)
_SPLIT_GAIN_LM = 2
_SPLIT_LM_MARGIN = 0.0


def _lm_prefers(before: str, one: str, two: str, after: str) -> bool:

    lm_one, lm_two = scores_between(before, (one, two), after)
    return lm_two >= lm_one + _SPLIT_LM_MARGIN


def _split_dropped(cand: str, left: str, right: str) -> tuple[str, int]:
    """A long re-read run may hold more unmapped pairs the dropping decoder lost unseen. Dropping a pair
    (the trail of one character, the lead of the next) leaves the run in step but makes one wrong
    character of the two around it: its lead is the first's and its trail the second's. Where a
    character makes no dictionary word with either neighbour - or is a symbol or full-width Latin letter
    prose does not hold (`ｗ` = A3 F7 for ，主: AC D6 lost) - the two characters it may stand for are tried
    (pairs the decoder cannot map only); a split is kept when it makes at least two more characters part
    of words (_SPLIT_GAIN), or one word less when the character model finds the two characters likelier
    than the one (`先后舰了` for 先后建立了). (text, guessed bytes added)"""

    logs = _word_logs()
    decoded = _pair_tables()[0]
    text = left + cand + right
    base = len(left)
    i = base + 1
    splits = 0
    # where the guessed characters stand in `text` (`gbk.GUESSED`: the reading's own, then each split's two)
    noted = GUESSED.get()
    at = [base + k for k in noted.get(cand, ())] if noted is not None else None
    most = _MAX_SPLITS + len(cand) // _SPLIT_EVERY
    while i < len(text) - len(right) - 1 and splits < most:  # (the text grows a character a split)
        c = text[i]
        if "\u4e00" <= c <= "\u9fff":
            if text[i - 1 : i + 1] in logs:
                i += 1
                continue
            if text[i : i + 2] in logs:
                # ... the two may be a word by chance (刃如 for 全市全社): read as two splits side by side
                joint = _joint_split(text, i, len(text) - len(right)) if splits + 2 <= most else None
                if joint is not None:
                    text = text[:i] + joint + text[i + 2 :]
                    at = _shifted(at, i, 2)
                    splits += 2
                    i += 4
                else:
                    i += 1
                continue
        elif not (c in SUSPICIOUS or ("\uff01" <= c <= "\uff5e" and c not in CJK_PUNCT)):
            i += 1
            continue
        try:
            lead, trail = c.encode("gbk")
        except (UnicodeEncodeError, ValueError):
            i += 1
            continue
        head, tail = text[max(0, i - 3) : i], text[i + 1 : i + 4]
        firsts = _best_options(head, _fill_options(("T", lead)), "")
        seconds = _best_options("", _fill_options(("L", trail)), tail)
        combos = [
            a + b
            for a in firsts
            for b in seconds
            if decoded[a.encode("gbk")[1] << 8 | b.encode("gbk")[0]] is None
        ]
        if combos:
            now = plausibility(head + c + tail)
            scored = max((plausibility(head + ab + tail), ab) for ab in combos)
            gain = scored[0][0] - now[0]
            if gain >= _SPLIT_GAIN or (
                gain >= _SPLIT_GAIN_LM and _lm_prefers(text[i - 1], c, scored[1], text[i + 1])
            ):
                text = text[:i] + scored[1] + text[i + 1 :]
                at = _shifted(at, i, 1)
                splits += 1
                i += 2
                continue
        joint = _joint_split(text, i, len(text) - len(right)) if splits + 2 <= most else None
        if joint is not None:
            text = text[:i] + joint + text[i + 2 :]
            at = _shifted(at, i, 2)
            splits += 2
            i += 4
        else:
            i += 1
    end = len(text) - len(right)
    if splits and at is not None:
        _note_guessed(text[base:end], [k - base for k in at if base <= k < end])
    return text[base:end], 2 * splits


def _shifted(at: list[int] | None, i: int, grown: int) -> list[int] | None:
    """The guessed characters' places after the `grown` + 1 characters from `i` on replaced `grown` (each one
    read as two: the lead of one and the trail of the next, a pair dropped between), those all guessed."""
    if at is None:
        return None
    return (
        [k for k in at if k < i] + list(range(i, i + 2 * grown)) + [k + grown for k in at if k >= i + grown]
    )


def _note_guessed(text: str, at) -> None:
    """Note (`gbk.GUESSED`) that the characters at `at` of the reading `text` were guessed."""
    noted = GUESSED.get()
    if noted is not None and text:
        noted[text] = noted.get(text, frozenset()) | frozenset(at)


# cover the two splits side by side must gain together (each alone may gain only its own word of two)
_JOINT_GAIN = 4


def _joint_split(text: str, i: int, stop: int) -> str | None:
    """Two characters side by side that make no word with their neighbours, each of which may
    be the lead of one character and the trail of the next with an unmapped pair dropped between (a run
    that crossed two trails that cannot lead: 三 = C8 FD, 之 = D6 AE, so 三分之一 reads 戎只; 全 = C8 AB twice,
    全市全社 reads 刃如, a word by chance): the four characters, each split a dictionary word of two
    (`_word_pairs`), where together they cover _JOINT_GAIN more characters with words than the two did and
    the character model finds them likelier. Each split alone gains only its own word (under _SPLIT_GAIN)."""

    if i + 1 >= stop:
        return None
    c, d = text[i], text[i + 1]
    if not ("\u4e00" <= c <= "\u9fff" and "\u4e00" <= d <= "\u9fff") or text[i + 1 : i + 3] in _word_logs():
        return None
    try:
        lead_c, trail_c = c.encode("gbk")
        lead_d, trail_d = d.encode("gbk")
    except (UnicodeEncodeError, ValueError):
        return None
    firsts = _word_pairs(("T", lead_c), ("L", trail_c))
    seconds = _word_pairs(("T", lead_d), ("L", trail_d)) if firsts else ()
    if not seconds:
        return None
    head, tail = text[max(0, i - 3) : i], text[i + 2 : i + 5]
    texts = [a + b + x + y for a, b in firsts for x, y in seconds]
    scores = plausibility_many([head + t + tail for t in texts])
    score, best = max(zip(scores, texts, strict=True))
    if score[0] - plausibility(head + c + d + tail)[0] < _JOINT_GAIN:
        return None
    # ... and the character model, which charges the four their two characters more, finds them likelier (two
    # words made of whatever the bytes allow, 军队区区 for 居区, it does not)
    lm_two, lm_four = scores_between(text[i - 1], (c + d, best), text[i + 2 : i + 3])
    return best if lm_four >= lm_two else None


# (！ and ？ too: a report's prose has next to none, and a lost lead read with A1 or BF makes them - `年(còu)】萍` is
# not 年！科技; the readings with a pair dropped are then searched as well)
_NOT_PROSE = re.compile(rf"[^{HAN}{CJK_PUNCT}0-9.%]|[！？]")


def _reads_clean(cand: str) -> bool:
    """A re-read run of prose: characters the dictionary knows, Chinese marks and figures only (no Latin
    letter, no symbol like ㈥ that misaligned bytes decode to)."""
    return all(map(_known_char, cand)) and not _NOT_PROSE.search(cand)


_LATIN_TAIL = re.compile(r"(?<=[^\x00-\x7f])[A-Za-z]+\Z")
_LATIN_GOES_ON = re.compile(r"[A-Za-z0-9&]")


def _before_latin_word(cand: str, nxt: str) -> str:
    """`cand` without the ASCII letters it ends on where the page goes on with a Latin word (`nxt`, the page's
    character after the run, a letter, a digit or `&`): the re-aligned bytes read those letters as ASCII, the
    decoder had taken the first as a trail (`隦&D`: 隦 = EB 52, R = 52, so 入R&D). A letter after Chinese text
    followed by none is a trail byte read out of step, not prose."""
    if not nxt or not _LATIN_GOES_ON.match(nxt):
        return cand
    return _LATIN_TAIL.sub("", cand)


_DROPPED_OPTIONS = 6
_DROPPED_GAIN = 2


def _has_loner(left: str, cand: str) -> bool:
    """Whether a Chinese character of `cand` (after `left`) makes a dictionary word pair with neither
    neighbour: where an unmapped pair was dropped unseen, the lead of one character and the trail of the
    next read as one such character (腋 in 主腋標實現 for 主要指標實現)."""

    logs = _word_logs()
    text = simplified(left[-1:] + cand)
    for i in range(1, len(text)):
        c = text[i]
        if "\u4e00" <= c <= "\u9fff" and text[i - 1 : i + 1] not in logs and text[i : i + 2] not in logs:
            return True
    return False


@functools.lru_cache(maxsize=16384)
def _best_options(head: str, options: tuple[str, ...], tail: str) -> tuple[str, ...]:
    """The _DROPPED_OPTIONS options that read best between head and tail (cached: each dropped-pair place
    asks again for every lead byte and closing variant of the same run)."""

    scores = plausibility_options(head, options, tail)
    ranked = sorted(zip(scores, map(char_weights().__getitem__, options), options), reverse=True)
    return tuple(c for _s, _w, c in ranked[:_DROPPED_OPTIONS])


def _first_pair_dropped(text: str, streams, left: str, best: tuple, readings: list) -> tuple:
    """`best`, a clean reading of the run after an aid inside a character, or a reading with the pair right
    after the lost lead dropped unseen, where that reads better. A dropping decoder, out of step from the
    aid, reads the pinned character's trail with the next character's lead: a trail that cannot lead (AA-AF,
    F8-FE: 全 = C8 AB, 公 = B9 AB, 知 = D6 AA) makes a pair it drops without a trace, and the run after it
    reads in step, so that the aid's lead (or another lead the aid allows) read with the next byte on the
    page gives a clean text two characters short (`相當於(dù)〉貐^` for 相当于全省地区: 度 = B6 C8 pins 全's
    lead, 全's trail AB and 省's lead CA are dropped, and 妒 = B6 CA, read dù too, gives 于省地区; `高於(dù)∑骄`
    read 高于取平均). The dropped pair is taken where the two lost characters make a common dictionary word
    (_FIRST_WORD), the reading covers more characters with words than the clean one and leaves none alone,
    and the character model - which charges the longer reading its two characters - finds it about as
    likely (_FIRST_LM_SLACK) or, where the page writes that word elsewhere, not far less likely
    (_FIRST_ECHO_SLACK). A page whose decoder shows what it cannot read (`?`, U+FFFD) loses no pair unseen."""

    page = OWN_RARE.get(None)
    if page is None or QMARK_PAGE.get() or "\ufffd" in text:
        return best
    logs = _word_logs()
    found = [
        d
        for d in _dropped_pair_readings(streams, left, first_only=True)
        if d[1] == best[1]
        and d[0][0] >= best[0][0] + _FIRST_GAIN
        and logs.get(simplified(d[2][:2]), 0) >= _FIRST_WORD
        and not _has_loner(left, d[2])
    ]
    if not found:
        return best
    after = next((r[5] for r in readings if r[2] == best[1] and r[3] == best[2]), "")
    counts = page.counts()
    lms = scores_on_page(left[-1:], [best[2], *(d[2] for d in found)], after[:1], counts)
    lm, dropped = max(zip(lms[1:], found, strict=True), key=itemgetter(0))
    echoed = counts.count(simplified(dropped[2][:2])) > 0
    if lm >= lms[0] - (_FIRST_ECHO_SLACK if echoed else _FIRST_LM_SLACK):
        return dropped
    if lm >= lms[0] - _FIRST_MARK_SLACK:
        # the dictionary reads two lost characters where the model prefers the text two short: nothing on the
        # page decides, and either reading is as often right (seeds 0-4 of dev … dev17: three places each) -
        # the clean reading stays, marked uncertain
        _note_undecided(left, best[2], dropped[2], after)
    return best


def _note_undecided(left: str, chosen: str, rival: str, after: str) -> None:
    """Note `chosen`, taken over `rival` (of another length) where the dictionary and the character model
    disagree, as a tie (`gbk.TIES`): the characters where the two differ are marked uncertain."""
    ties = TIES.get()
    if ties is None or not chosen or chosen == rival:
        return
    i = 0
    while i < min(len(chosen), len(rival)) and chosen[i] == rival[i]:
        i += 1
    j = 0
    while j < min(len(chosen), len(rival)) - i and chosen[-1 - j] == rival[-1 - j]:
        j += 1
    if i + j >= len(chosen):  # (the rival only adds characters: the chosen one beside them is marked)
        if j:
            j -= 1
        else:
            i -= 1
    end, rival_end = len(chosen) - j, len(rival) - j
    mid = chosen[i:end]
    if mid and all("\u4e00" <= c <= "\u9fff" for c in mid):
        ties[((left + chosen[:i])[-1:], mid, (chosen[end:] + after)[:1])] = rival[i:rival_end]


def _dropped_lm_pick(found: list, best, streams, left: str):
    """Among the readings with a dropped pair, the dictionary's best, unless another with the pair lost at the
    same place (a pair dropped elsewhere makes another text, not another choice) whose word cover is at most
    gbk._LM_COVER smaller is gbk._LM_MARGIN likelier under the character model with the page's own pairs - the
    rule of `_lm_pick` and of a lost byte's options (`（四(mó)┏晒D移` for （四）成果轉移: ） = A3 A9 pinned by 模's
    aid, 果's trail FB and 轉's lead DE dropped; 成功 and 成果 both fit B9 and both are words, the dictionary ranks
    成功 first, the page writes 成果 elsewhere, 成功 nowhere)."""
    if best is None:
        return best
    page = OWN_RARE.get(None)
    if page is None:
        return best
    text = best[2]
    low = best[0][0] - _LM_COVER
    close = {
        d[2]: d
        for d in found
        if d[4] == best[4] and d[0][0] >= low and d[2] != text and len(d[2]) == len(text)
    }
    if not close:
        return best
    counts = page.counts()
    # ... and only those whose own characters there the page writes beside their neighbours more often
    others = [d for d in close.values() if _echo(counts, d[2], text) > _echo(counts, text, d[2])]
    if not others:
        return best
    after = streams[best[4][0]][4]
    lms = scores_on_page(left[-1:], [text, *(d[2] for d in others)], after[:1], counts)
    pick, pick_lm = best, lms[0]
    floor = lms[0] + _LM_MARGIN
    for d, lm in zip(others, lms[1:], strict=True):
        if lm >= floor and lm > pick_lm:
            pick, pick_lm = d, lm
    return pick


def _echo(counts, text: str, other: str) -> int:
    """How often the page writes the pairs of `text` that hold a character where `other` (as long) differs."""
    diff = [i for i, (x, y) in enumerate(zip(text, other, strict=True)) if x != y]
    pairs = {(i - 1, i) for i in diff if i > 0} | {(i, i + 1) for i in diff if i + 1 < len(text)}
    return sum(counts.pair(text[a], text[b]) for a, b in pairs)


# (more words covered than the clean reading, after the dropped reading's penalty of one for its guessed bytes)
_FIRST_GAIN = 1
# the word the two lost characters make: log frequency in the dictionary (e^5, about 150)
_FIRST_WORD = 5.0
# nats the character model may find the reading with the dropped pair less likely, the two characters included
_FIRST_LM_SLACK = 1.5
_FIRST_ECHO_SLACK = 5.0
# ... and as far as this less likely, the clean reading is marked uncertain (`_note_undecided`)
_FIRST_MARK_SLACK = 6.0


def _dropped_pair_readings(streams, left: str, *, first_only: bool = False):
    """Readings of each stream with an unmapped pair dropped unseen inside it: the pair is the trail of
    one character and the lead of the next (an odd offset of the re-aligned stream), and it is a pair
    the decoder cannot map (else it would show). Every pair of options that meets that is tried, the
    commonest first; each reading is (key, end, text, guessed bytes), ranked as the other readings."""

    decoded = _pair_tables()[0]
    seen: set[tuple] = set()
    for si, (stream, end, unused, reading, after) in enumerate(streams):
        for j in range(1, 2 if first_only else len(stream), 2):
            if stream[j - 1] is None or stream[j] is None:
                continue
            trial = [*stream[:j], None, None, *stream[j:]]
            if tuple(trial) in seen:
                continue
            seen.add(tuple(trial))
            tokens = _tokens(trial)
            if tokens is None:
                continue
            k = next((i for i, t in enumerate(tokens) if isinstance(t, tuple)), None)
            if k is None or k + 1 >= len(tokens) or not isinstance(tokens[k + 1], tuple):
                continue
            before = "".join(t for t in tokens[:k] if isinstance(t, str))
            head = (left + before)[-3:]
            tail = "".join(t for t in tokens[k + 2 : k + 5] if isinstance(t, str)) + (unused + after)[:2]
            # each lost character ranked with its known neighbour (one batched scoring per side), then
            # the pairs of the best few that the decoder cannot map
            firsts = _best_options(head, _fill_options(tokens[k]), "")
            seconds = _best_options("", _fill_options(tokens[k + 1]), tail)
            combos = [(a, b) for a in firsts for b in seconds if decoded[_trail(a) << 8 | _lead(b)] is None]
            # ... and the pairs that make a word together: each lost character ranked by one neighbour
            # alone misses a word whose two characters the split took apart (全省 for `高於(dù)∑骄`: 全's
            # trail AB and 省's lead CA unmapped; 全 is not among the best after 於, nor 省 before 平)
            combos += [ab for ab in _word_pairs(tokens[k], tokens[k + 1]) if ab not in combos]
            readings = []
            for a, b in combos:
                fixed = [*tokens[:k], a, b, *tokens[k + 2 :]]
                filled = _fill(fixed, left, unused + after, reading)
                if filled is not None:
                    readings.append((filled[0] + unused, filled[1]))
                    _note_guessed(filled[0], (k, k + 1))
            # the readings of one place share the text up to the lost pair: scored together
            scores = plausibility_many([left + cand + after for cand, _g in readings])
            for (cand, guessed), score in zip(readings, scores, strict=True):
                # (last: the place of the lost pair, which `_dropped_lm_pick` compares readings at)
                yield (score[0] - 1, score[1], score[2], _weight(cand), end), end, cand, guessed + 2, (si, j)


_WORD_PAIRS = 6


@functools.lru_cache(maxsize=4096)
def _word_pairs(first: tuple, second: tuple) -> tuple[tuple[str, str], ...]:
    """The _WORD_PAIRS commonest dictionary words of two characters that the two lost characters of a
    dropped unmapped pair can spell: the first of the commonest options of its known lead, the second of
    its known trail, the trail of the first and the lead of the second a pair the decoder cannot map."""

    decoded = _pair_tables()[0]
    logs = _word_logs()
    seconds: dict[str, list[str]] = {}
    for b in _fill_options(second):
        seconds.setdefault(simplified(b), []).append(b)
    found = []
    for a in _fill_options(first):
        sa = simplified(a)
        trail = _trail(a)
        for sb, bs in seconds.items():
            score = logs.get(sa + sb)
            if score:
                found.extend((score, a, b) for b in bs if decoded[trail << 8 | _lead(b)] is None)
    found.sort(reverse=True)
    return tuple((a, b) for _s, a, b in found[:_WORD_PAIRS])


def _context_after(text: str, end: int, end_max: int, right: str) -> str:
    """The text after a re-read run, for the dictionary: an aid right after it is its last character's
    reading, not text (`新技(jì)術`: the aid would break the word 技術), so it is looked past."""
    following = _FOLLOWING_AID.match(text, end)
    if following is None:
        return text[end:end_max] + right
    e = following.end()
    return text[e:end_max] + right if e <= end_max else text[e : e + 4]


_DROPPED_TRAIL = re.compile(r"\s|\Z|[!-~]|[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}[)）]")


def _known_leads(text: str, start: int, trigger: str, aided: frozenset[str]) -> list[int]:
    """The bytes that can be the lost lead (they lead the next character, so not ASCII), those making a
    character the document gives aids to first."""
    return list(_known_leads_of(text[start - 1], trigger, aided))


@functools.lru_cache(maxsize=16384)
def _known_leads_of(prev: str, trigger: str, aided: frozenset[str]) -> tuple[int, ...]:
    # cached: asked up to five times an aid (`_reading`, `_aid_reading` with and without the page's aided
    # characters, `_aid_reading_leads`), and it depends on the character before, the trigger and the set only
    known = [b for b in _aid_leads(prev, trigger) if b >= 0x81]
    if known and aided:
        p2 = _last_byte(prev)
        known = [b for b in known if _decode_pair(p2, b) in aided] or known
    return tuple(known)


def _orphan_last(rest: list, end: int, text: str) -> bool:
    """Whether a run's stream ends on a shown unmappable pair and a shown orphaned byte before a line end
    (`_run_variants`): the character of the pair's second byte and that byte lost both its bytes."""
    return len(rest) >= 4 and rest[-3:] == [None, None, None] and text[end : end + 1] in ("\n", "")


def _aid_streams(variants, known: list[int]):
    """(lead, the rest of the byte stream, end, closing left as text, reading of the last character) for
    each variant of the run after the aid, with and without its closing byte, for each possible lead: the
    stream is [lead, *rest], and one variant's streams share one `rest` list (not to be changed)."""
    for span, closing, end, lost, reading in variants:
        body = _stream_of(span, lost)
        if body is None:
            continue
        for use_closing in (True, False) if closing and closing != "\ufffd" else (bool(closing),):
            tail = ([None] if closing == "\ufffd" else [ord(closing)]) if use_closing else []
            unused = "" if use_closing else closing
            rest = [*body, *tail]
            for lead in known:
                yield lead, rest, end, unused, reading


def _known_char(ch: str) -> bool:

    return not ("\u3400" <= ch <= "\u9fff") or char_weight(ch) > 0


def _followed_by_own_aid(text: str, pos: int, ch: str) -> bool:
    aid = _FOLLOWING_AID.match(text, pos)
    return aid is not None and _valid_aid(ch, aid.group(1))


# A comma the site inserted before a mark whose two bytes straddled two characters (DOMAIN.md): the
# comma lands inside the first character. A full-width comma (A3 AC) makes the first character's lead
# pair with A3 (a wrong character g) and AC is unreadable (U+FFFD); an ASCII comma leaves the lead
# orphaned (U+FFFD) before it. The mark (p) decodes in step from the straddling bytes; the second
# character's trail then pairs out of step (s) until an ASCII byte or an unreadable pair (a).
_COMMA_ZONE = re.compile(
    r"(?:(?P<g>[^\x00-\x7f\s\ufffd])\ufffd|\ufffd,)(?P<p>[、。；：”！？])"
    rf"(?P<s>[^\x00-\x7f\s\ufffd]{{0,24}})(?P<a>[@-~](?=[{HAN_OR_PUNCT}(（,])|\ufffd)?"
)
_COMMA_HINT = re.compile("\ufffd,?[、。；：”！？]")
_COMMA_NOTE = "GBK 字节错位：去掉插入的逗号字节后重新对齐解码"


def _comma_edits(text: str) -> list[Edit]:
    """Re-read each comma zone without the comma's bytes: the first character's bytes and the mark's
    straddling bytes make the two characters again, and the out-of-step run decodes in step."""
    edits = []
    # every zone holds U+FFFD before the mark, or before a comma and the mark: looked for first (the zone's
    # pattern starts with an alternation, which the regex engine tries at every position)
    for m in _COMMA_ZONE.finditer(text) if _COMMA_HINT.search(text) else ():
        reading = _comma_reading(text, m)
        if reading is not None:
            repaired, guessed = reading
            note = _COMMA_NOTE + (f"；{guessed} 个丢失字节按词典补全" if guessed else "")
            edits.append(
                Edit(STEP, m.start(), m.end(), m.group(0), repaired, note=note, uncertain=bool(guessed))
            )
    return edits


def _comma_reading(text: str, m: re.Match) -> tuple[str, int] | None:

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
