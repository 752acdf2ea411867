"""GBK bytes for the mojibake repair: every two-byte decoding, a byte stream with unknown bytes cut into
characters, and unknown bytes filled with the characters that make the most dictionary words."""

import functools
import re
from contextvars import ContextVar
from itertools import compress, islice, repeat
from operator import add, and_, eq, ge, itemgetter

from . import figures
from .charlm import PageCounts, scores_on_page
from .charsets import is_suspicious
from .lexicon import (
    _char_table,
    _neighbour_sets,
    _t2s,
    char_weight,
    char_weights,
    plausibility_options,
    simplified,
    word_log,
)
from .steps import chars_read_as, is_reading_of, normalise_aid

_LEADS = range(0x81, 0xFF)
_MAX_OPTIONS = 30
_WIDE_OPTIONS = 90
_BEFORE_FULLWIDTH = ("L", 0xA3)
# suspicious characters a re-read run or a lost byte's options may still hold (`_pair_tables`)
_PLAUSIBLE_RARE = frozenset("\u3000於")
_TRAILS = [b for b in range(0x40, 0xFF) if b != 0x7F]
# A character's trail byte that was lost is one the decoder read out of step as a lead (an orphaned lead
# or the first byte of an unmappable pair), so it is not ASCII: a byte below 0x80 is shown as it is.
_LOST_TRAILS = [b for b in _TRAILS if b >= 0x80]
_MARKS = frozenset("，。、；：“”")
_SENTENCE_ENDS = frozenset("。！？")
# a full-width character's lead A3 with its trail lost, and text that closes a parenthesis it did not open
_LOST_FULLWIDTH_TRAIL = ("T", 0xA3)
_CLOSES_AHEAD = re.compile(r"[^（()）\n]{0,8}[)）]")
_LOST_SPACE_TRAIL = ("T", 0xA1)
# a page with a table: at least this many cells that open on a figure after 　 (`市　8326　3`)
_TABLE_CELLS = 3
_TABLE_CELL = re.compile("\u3000[0-9]")


def _table_page() -> bool:
    page = OWN_RARE.get(None)
    return page is not None and page.cells() >= _TABLE_CELLS


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
    # (the ideographic space A1 A1 is suspicious as text of a run, but a re-read run may hold one: the columns
    # of a table line, `指标名称　一季度　上年同期`; and 於 EC B6, of GB2312's level 2, is the traditional reports' 于:
    # 低於, 不少於, 成立於 before a figure, 將於明年 - refused, a lost byte before 2021年 could only give 鞏)
    plausible = [
        None if ch is None or (is_suspicious(ch) and ch not in _PLAUSIBLE_RARE) else ch for ch in decoded
    ]
    return decoded, plausible


def _decode_pair(a: int, b: int) -> str | None:
    return _pair_tables()[0][a << 8 | b]


@functools.cache
def _row_trails(first: int) -> dict[str, tuple[int, ...]]:
    """character -> the trail bytes b (of _TRAILS, ascending) for which (first, b) decodes to it: the
    characters a byte can begin, found by a set operation instead of ~190 decodings."""
    decoded = _pair_tables()[0]
    row: dict[str, tuple[int, ...]] = {}
    for b in _TRAILS:
        ch = decoded[first << 8 | b]
        if ch:
            row[ch] = (*row.get(ch, ()), b)
    return row


def _tokens(
    stream: list[int | None],
    chain: bool = False,
    start: int = 0,
    *,
    aided_last: bool = False,
    orphan_last: bool = False,
) -> list | None:
    """Split a byte stream (None = unknown byte) into characters: str, or ('L', b) / ('T', a) for a
    pair with an unknown lead / trail. None when the stream cannot be GBK. `chain`: the byte before the
    stream is known and lost bytes may run on (characters both of whose bytes were lost, side by side, from
    the stream's start: unmappable pairs one after another, `_fill_chain`). `start`: split from there (a
    character begins there; the bytes before it are looked back at as from the whole stream). `aided_last`: the
    stream ends before a reading aid, which tells its last character: that character may have lost both bytes
    (its lead with the trail before in an unmappable pair, its trail orphaned by the aid's `(`). `orphan_last`:
    the same where the stream ends on an orphaned byte a decoder showed (U+FFFD) before an ASCII one, right
    after an unmappable pair it showed too."""
    out = []
    plausible = _pair_tables()[1]
    i, n = start, len(stream)
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
            if (aided_last or orphan_last) and i + 2 == n and i > 0 and stream[i - 1] is None:
                # `%!笆(sì)五` for 。“十四五: ！ = A3 A1 straddled 。|“, 十's trail AE and 四's lead CB were an
                # unmappable pair, 四's trail C4 was dropped before the `(` of its aid: 四 is known by the aid only
                out.append(_BOTH_LOST)
                i += 2
                continue
            if chain and (i == 0 or stream[i - 1] is None) and i + 2 < n and stream[i + 2] is None:
                out.append(_BOTH_LOST)
                i += 2
                continue
            if (
                i == 0
                or stream[i - 1] is not None
                or i + 3 >= n
                or stream[i + 2] is not None
                or stream[i + 3] is None
            ):
                return None
            # both bytes lost, the one before too: a character between two pairs the decoder could not
            # map (`穑??ń`), known only by those pairs being unmappable
            out.append(_BOTH_LOST)
            i += 2
            continue
        if b is None:
            out.append(("L", c))
        elif c is None:
            out.append(("T", b))
        else:
            ch = plausible[b << 8 | c]
            if ch is None:
                ch = _pair_tables()[0][b << 8 | c]
                own = OWN_RARE.get(None)
                if ch is None or own is None or ch not in own:
                    return None
            out.append(ch)
        i += 2
    return out


def _led_tokens(lead: int, rest: list[int | None], rest_tokens: list | None) -> list | None:
    """`_tokens([lead, *rest])` for a known lead byte (not ASCII) from `rest_tokens`, `_tokens(rest,
    start=1)`: the lead pairs with rest[0] and the split goes on from rest[1] whatever the lead, so the
    streams of a run tried under several lost leads share the split of the rest (`_aid_reading_leads`)."""
    if rest_tokens is None or not rest:
        return None
    c = rest[0]
    if c is None:
        return [("T", lead), *rest_tokens]
    ch = _pair_tables()[1][lead << 8 | c]
    if ch is None:
        ch = _pair_tables()[0][lead << 8 | c]
        own = OWN_RARE.get(None)
        if ch is None or own is None or ch not in own:
            return None
    return [ch, *rest_tokens]


# The rare characters (GB2312 level 2, otherwise never a reading of re-aligned bytes) that the page itself
# uses more than once in the same word: its own names (芷阳, 岚江, 栎川), which a re-read run may hold. The
# mojibake step sets the page at hand; the set is worked out the first time a re-read run meets such a
# character (most pages never do).
OWN_RARE: ContextVar["_OwnRare"] = ContextVar("gbk_own_rare")
_OWN_RARE_MIN = 2


class _OwnRare:
    __slots__ = ("_beside", "_cells", "_chars", "_counts", "_echoes", "_plain", "_text")

    def __init__(self, text: str):
        self._text, self._chars, self._plain, self._counts = text, None, None, None
        self._cells: int | None = None
        self._echoes: dict[str, int] = {}
        self._beside: dict[tuple, frozenset[str]] = {}

    def __contains__(self, ch: str) -> bool:
        if self._chars is None:
            self._chars = own_rare(self._text)
        return ch in self._chars

    def echo(self, s: str) -> int:
        """How often `s` stands on the page read without its reading aids (worked out the first time a
        page asks: most never do); two characters in any of their forms (a page the site converted in part
        writes 市級 where the choice is between 市 and 中 before 级)."""
        if len(s) == 2:
            return self.counts().pair(s[0], s[1])
        found = self._echoes.get(s)
        if found is None:
            if self._plain is None:
                self._plain = _PAGE_AID.sub("", self._text)
            found = self._echoes[s] = self._plain.count(s)  # (a page's close choices ask again: remembered)
        return found

    def beside(self, ch: str, n: int, step: int) -> frozenset[str]:
        """The texts of `n` characters the page (read without its reading aids, as `echo` counts) writes right
        after `ch` (step 1) or right before it (-1): `echo(ch + s)` or `echo(s + ch)` is 0 for any other s of
        that length. Remembered."""
        key = (ch, n, step)
        found = self._beside.get(key)
        if found is None:
            if self._plain is None:
                self._plain = _PAGE_AID.sub("", self._text)
            plain, out, width = self._plain, set(), len(ch)
            k = plain.find(ch)
            while k >= 0:
                out.add(plain[k + width : k + width + n] if step > 0 else plain[max(0, k - n) : k])
                k = plain.find(ch, k + 1)
            found = self._beside[key] = frozenset(out)
        return found

    def cells(self) -> int:
        """How many table cells on the page open on a figure after 　 (worked out the first time a page asks)."""
        if self._cells is None:
            self._cells = len(_TABLE_CELL.findall(self._text))
        return self._cells

    def counts(self) -> PageCounts:
        """The page's own character pairs for the character model (`charlm.scores_on_page`), read without
        the reading aids."""
        if self._counts is None:
            if self._plain is None:
                self._plain = _PAGE_AID.sub("", self._text)
            self._counts = PageCounts(self._plain)
        return self._counts


def page_rare(text: str) -> "_OwnRare":
    return _OwnRare(text)


_PAGE_AID = re.compile(r"[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}[)）]")


def own_rare(text: str) -> frozenset[str]:
    """The suspicious characters of GB2312 level 2 that stand in `text` twice or more with the same
    character after or before them (a name, not bytes read out of step). The page is read without its
    reading aids and in simplified form: a name the site wrote in traditional characters in some sentences
    and gave an aid (`鷺(lù)嶼` and 鹭屿) is the same name."""
    from collections import Counter

    # Only the stretches between two separators that hold a character which is or may read as a level-2
    # one are read (about a fifth of a page); the others are left empty. No OpenCC key holds a separator
    # and no aid either, so each stretch converts as it would in the whole page, and a rare character's
    # neighbours are the same (test_own_rare_* compare it with the whole page converted).
    parts = _RARE_SEP.split(text)
    source = _rare_source_re().search
    parts[::2] = [part if source(part) else "" for part in parts[::2]]
    text = _t2s().convert(_PAGE_AID.sub("", "".join(parts)))
    counts = Counter(_level2_re().findall(text))
    out = set()
    for ch, n in counts.items():
        if n < _OWN_RARE_MIN:
            continue
        pairs = Counter()
        for i in _positions(text, ch):
            pairs[text[i : i + 2]] += 1
            pairs[text[max(0, i - 1) : i + 1]] += 1
        if pairs.most_common(1)[0][1] >= 2:
            out.add(ch)
    # ... and a region's name of two such characters written once, before its 省/市/县/区/州 (`璩濉省科学技术厅` in
    # a header, the name redacted or garbled everywhere else on the page): the page's own word too
    if len(counts) >= 2:
        for m in _level2_re().finditer(text):
            k = m.end()
            if text[k : k + 1] and _level2_re().match(text, k) and text[k + 1 : k + 2] in _REGION_WORD:
                out.update((text[k - 1], text[k]))
    return frozenset(out)


_REGION_WORD = frozenset("省市县区州")


# What ends an OpenCC phrase: no key of its t2s dictionaries holds one of these.
_RARE_SEP = re.compile(r"([\n。！？；])")
# Traditional characters that read as a level-2 character only inside an OpenCC phrase (錢鍾書 -> 钱锺书,
# 鍾 alone -> 钟); test_own_rare_sources checks the list against OpenCC's dictionaries.
_PHRASE_RARE = "么瀋諮逕鉅鍾鏇餘麼"


@functools.cache
def _rare_source_re() -> re.Pattern[str]:
    """The characters that are, or may convert into, a GB2312 level-2 character: those, the GBK characters
    OpenCC converts into one alone (嵐 -> 岚; no other BMP character does) and the ones only a phrase
    converts into one. Built once (a few ms; repair.warm_up)."""

    level2 = set(_level2_re().pattern[1:-1])
    out = level2 | set(_PHRASE_RARE)
    out.update(ch for ch, (simple, _w) in _char_table().items() if not level2.isdisjoint(simple))
    # Every compatibility ideograph counts (OpenCC first normalizes it into the character it stands for,
    # which may take part in a phrase) and every astral character (one range: a class of listed astral
    # characters is slow to search).
    bmp = "".join(sorted(ch for ch in out if ch <= "\uffff" and not "\uf900" <= ch <= "\ufaff"))
    return re.compile("[" + bmp + "\uf900-\ufaff\U00010000-\U0010ffff]")


def _positions(text: str, ch: str):
    i = text.find(ch)
    while i >= 0:
        yield i
        i = text.find(ch, i + 1)


@functools.cache
def _level2_re() -> re.Pattern[str]:
    out = set()
    for lead in range(0xD8, 0xF8):
        for trail in range(0xA1, 0xFF):
            try:
                out.add(bytes((lead, trail)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return re.compile("[" + "".join(sorted(out)) + "]")


_BOTH_LOST = ("U", 0)


@functools.cache
def _unmapped_after(trail: int) -> frozenset[int]:
    """The lead bytes that make an unmappable pair after `trail` (a pair the decoder drops or shows as
    ?/U+FFFD and that keeps it out of step)."""
    decoded = _pair_tables()[0]
    return frozenset(lead for lead in _LEADS if decoded[trail << 8 | lead] is None)


@functools.cache
def _both_lost_options(before: int) -> tuple[str, ...]:
    """Characters whose two bytes were both lost between two unmappable pairs: the pair (`before`, its
    lead) is unmappable and its trail starts one, commonest first."""
    leads = _unmapped_after(before)
    # the commonest of those characters whose lead the pair before allows, from the ranking of all of
    # them (the same order as ranking the allowed ones: the ranking is by weight and character)
    weighted = list(islice(((w, c) for w, c, lead in _both_lost_ranked() if lead in leads), _MAX_OPTIONS))
    return tuple(c for w, c in weighted if w > 0) or tuple(c for _w, c in weighted)


@functools.lru_cache(maxsize=1024)
def _both_lost_read_as(before: int, reading: str) -> tuple[str, ...]:
    """The characters read `reading` (a reading aid's) whose lead makes an unmappable pair after `before` and
    whose trail a decoder drops before an ASCII byte (0x80 or above), commonest first."""
    leads = _unmapped_after(before)
    found = [
        c
        for c in chars_read_as(reading)
        if (code := _gbk_code(c)) is not None
        and code[0] in leads
        and code[1] >= 0x80
        and _valid_aid(c, reading)
    ]
    from .inserts import default_reading

    aid = normalise_aid(reading)[0]
    found = [c for c in found if default_reading(c) == aid] or found
    found.sort(key=lambda c: (char_weight(c), c), reverse=True)
    return tuple(found)


def _gbk_code(ch: str) -> bytes | None:
    try:
        code = ch.encode("gbk")
    except UnicodeEncodeError:
        return None
    return code if len(code) == 2 else None


@functools.cache
def _both_lost_ranked() -> list[tuple[float, str, int]]:
    """(weight, character, lead) of every plausible character whose trail starts an unmappable pair,
    commonest first (weight, then character, descending): built once (about 30 ms, by `warm_up`) instead
    of ~24,000 decodings for each byte `_both_lost_options` is asked about."""

    decoded = _pair_tables()[1]
    ranked = []
    for lead in _LEADS:
        for trail in _TRAILS:
            ch = decoded[lead << 8 | trail]
            if ch and _unmapped_after(trail):
                ranked.append((char_weight(ch), ch, lead))
    ranked.sort(key=itemgetter(0, 1), reverse=True)
    return ranked


@functools.lru_cache(maxsize=65536)
def _hidden_pair_options(options: tuple[str, ...], before: int | None, after_leads: bool) -> tuple[str, ...]:
    """`options` narrowed by the unmappable pairs around them: the pair (`before`, an option's lead) when
    the byte before was lost with it, and (an option's trail, some lead) when the byte after was. Left as
    they are when none would do. (Cached: it depends on the GBK table only.)"""
    kept = options
    if before is not None:
        leads = _unmapped_after(before)
        kept = tuple(c for c in kept if _lead(c) in leads)
    if after_leads:
        kept = tuple(c for c in kept if _unmapped_after(_trail(c)))
    return kept or options


@functools.cache
def _lead(ch: str) -> int:
    return ch.encode("gbk")[0]


@functools.cache
def _trail(ch: str) -> int:
    return ch.encode("gbk")[-1]


@functools.cache
def _fill_options(token, cut: int = _MAX_OPTIONS) -> tuple[str, ...]:
    """Characters an unknown byte can complete, commonest first (the rare ones are never the answer)."""

    kind, known = token
    codes = (
        [lead << 8 | known for lead in _LEADS]
        if kind == "L"
        else [known << 8 | trail for trail in _LOST_TRAILS]
    )
    # the pairs that decode to a character that is not suspicious, with their weights (C-level maps)
    chars = list(filter(None, map(_pair_tables()[1].__getitem__, codes)))
    weighted = list(zip(map(char_weights().__getitem__, chars), chars, strict=True))
    weighted = [wc for wc in weighted if wc[0] > 0] or weighted
    weighted.sort(reverse=True)
    options = tuple(c for _w, c in weighted[:cut])
    # a CJK mark (。 A1 A3, ， A3 AC ...) is as common in reports as the commonest characters, but the
    # dictionary's character counts (summed over the words a character is part of) rank it below
    # dozens of them: kept among the options wherever the known byte allows one
    marks = tuple(c for _w, c in weighted[cut:] if c in _MARKS)
    return options + marks


@functools.lru_cache(maxsize=4096)
def _options_read_as(token, reading: str) -> tuple[str, ...]:
    """Every character an unknown byte can complete that has `reading` (not only the commonest)."""

    kind, known = token
    codes = (
        [lead << 8 | known for lead in _LEADS]
        if kind == "L"
        else [known << 8 | trail for trail in _LOST_TRAILS]
    )
    # the pairs that decode to a character that is not suspicious (C-level maps), and of those only the
    # ones with a reading spelt like `reading` up to tones can have it (`is_reading_of`'s own first test)
    chars = filter(
        chars_read_as(reading).__contains__, filter(None, map(_pair_tables()[1].__getitem__, codes))
    )
    found = tuple(c for c in chars if _valid_aid(c, reading))
    # the site's aid is a character's default reading: the characters whose default it is, when any
    from .inserts import default_reading

    aid = normalise_aid(reading)[0]
    return tuple(c for c in found if default_reading(c) == aid) or found


@functools.cache
def _option_traits(options: tuple[str, ...]) -> tuple[tuple[bool, ...], tuple[float, ...]]:
    """For each option: whether OpenCC leaves it as it is (a simplified character), its log frequency."""
    traits = [_char_traits(c) for c in options]
    return tuple(t[0] for t in traits), tuple(t[1] for t in traits)


@functools.cache
def _char_traits(ch: str) -> tuple[bool, float]:

    return simplified(ch) == ch, char_weight(ch)


@functools.cache
def _script_chars() -> tuple[frozenset[str], frozenset[str]]:
    """(the characters OpenCC simplifies, the simplified forms they take): a character of either set tells
    the script of the text it stands in; most (的, 域, 生) are the same in both and tell nothing."""
    table = _char_table()
    traditional = frozenset(ch for ch, (simple, _w) in table.items() if simple != ch)
    simple = frozenset(s for ch, (s, _w) in table.items() if s != ch and len(s) == 1) - traditional
    return traditional, simple


# a page is taken for traditional where its traditional characters outnumber its simplified ones this many
# times (a traditional page holds some characters OpenCC also gives as simplified forms: 台, 里, 于 ...; a page
# whose sentences the site converted in part is read as before)
_TRADITIONAL_PAGE = 3


class _PageScript:
    """Whether a page is written mostly in simplified characters (counted the first time a lost byte's
    options are judged by script with nothing around them telling it)."""

    __slots__ = ("_simplified", "_text")

    def __init__(self, text: str):
        self._text, self._simplified = text, None

    def simplified(self) -> bool:
        if self._simplified is None:
            import numpy as np

            # the page's characters counted by script in one table look-up each (C-level, about a tenth of
            # two `map`s over the page's characters)
            codes = np.frombuffer(self._text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
            _neither, n_trad, n_simple = np.bincount(_script_table()[codes], minlength=3).tolist()
            self._simplified = n_trad < _TRADITIONAL_PAGE * n_simple
        return self._simplified


@functools.cache
def _script_table():
    """Each code point's script as `_script_chars` tells it: 1 traditional, 2 simplified, 0 neither."""
    import numpy as np

    traditional, simple = _script_chars()
    table = np.zeros(0x110000, dtype=np.uint8)
    table[[ord(c) for c in traditional]] = 1
    table[[ord(c) for c in simple]] = 2
    return table


# The page at hand (the mojibake step sets it); unset, text that tells no script is taken for simplified.
PAGE_SCRIPT: ContextVar[_PageScript | None] = ContextVar("gbk_page_script", default=None)


def _simplified_context(context: str) -> bool:
    """Whether the text around a lost byte is simplified, so that a traditional option is an unlikely
    guess: it holds no traditional character and either a simplified one or, telling neither (`g)域` +
    `10.7`), the page is mostly simplified. (Judged on the few characters around alone, a traditional
    page's 生命健康領(lǐng)域為 lost 為's trail to 炲, which OpenCC leaves as it is.)"""
    if simplified(context) != context:
        return False
    if any(map(_script_chars()[1].__contains__, context)):
        return True
    page = PAGE_SCRIPT.get()
    return page is None or page.simplified()


def _fill(
    tokens: list,
    left: str,
    right: str,
    last_reading: str = "",
    *,
    stop_first: bool = False,
    joint: bool = True,
    before: int | None = None,
    wide: bool = False,
    stop_head: str = "",
) -> tuple[str, int] | None:
    """Fill unknown characters one by one with the option that makes the most dictionary words.

    `last_reading`: a reading aid stands right after the bytes, so the last character, when unknown,
    is one with that reading (where any option has it). `stop_first`: a full-width mark replaced by an
    ASCII one straddled two characters, so the first, lost, lead is that of a character ending in A3 -
    in prose 。 (A1 A3) far more often than any other. `joint`: two unknown characters side by side (the
    trail of one and the lead of the next lost together, an unmappable pair the decoder dropped) are
    chosen together (`_fill_pair`). `before`: the trail byte before the stream, when its first
    characters were lost whole between unmappable pairs (they are then chosen together, `_fill_chain`).
    `stop_head`: with `stop_first`, the text before the bytes at more length than `left` (which an aid before the
    run may fill), for whether its last character ends a word (`_word_across_stop`)."""
    try:
        return "".join(tokens), 0  # nothing lost: the characters as they are (most dropped-pair readings)
    except TypeError:
        pass

    text = ""
    guessed = 0
    at: list[int] = []  # where in `text` the guessed characters stand (`GUESSED`)
    # `before` from here on: the trail byte before a pair both of whose bytes were lost (unmappable)
    last = len(tokens) - 1
    skip_to = 0
    for i, tok in enumerate(tokens):
        if i < skip_to:
            continue
        if i == 0 and tok is _BOTH_LOST and before is not None:
            chain = _fill_chain(tokens, left[-_PAIR_HEAD:], right, before)
            if chain is None:
                return None
            text, guessed, skip_to = chain
            at.extend(range(len(text)))
            before = None
            continue
        if isinstance(tok, str):
            text += tok
            before = None
            continue
        if joint and i < last and _joinable(tok, tokens[i + 1]) and not (i == 0 and tok == _BEFORE_FULLWIDTH):
            # two unknown characters side by side (a pair the decoder dropped between them): chosen
            # together, since the word they make with the text around is what tells (基礎 in 。基礎研究,
            # not 机 then 郃 one at a time)
            pair = _fill_pair(
                tokens, i, left[-3:] + text, right, before, last_reading if i + 1 == last else ""
            )
            if pair is not None:
                at += (len(text), len(text) + 1)
                text += pair[0]
                guessed += 2
                before = pair[1]
                skip_to = i + 2
                continue
        ahead = "".join(t for t in tokens[i + 1 : i + 4] if isinstance(t, str))
        if tok is _BOTH_LOST:
            options = _both_lost_options(before) if before is not None else ()
            if last_reading and i == last and before is not None:
                # ... the last character, known by its aid: every character with that reading whose lead the
                # unmappable pair allows
                options = _both_lost_read_as(before, last_reading)
            elif i == last and before is not None and right[:1] in ("\n", ""):
                # ... the last character before a line end (its trail orphaned there): a paragraph ends on a mark
                # that ends a sentence where the unmappable pair allows one (。 = A1 A3 after the comma's AC)
                options = tuple(c for c in options if c in _SENTENCE_ENDS) or options
        else:
            # where an aid pinned the run's lost lead, a lost trail's options are not only the commonest
            # (榜 = B0 F1 in 揭榜, after 揭 read from the aid inside it, is not among B0's 30 commonest)
            options = _fill_options(tok)
            if wide and tok[0] == "T" and (prev := (left + text)[-1:]):
                # ... the ones beyond them that make a dictionary word with the character before
                options = _wide_options(tok, prev)
            if tok[0] in "LT" and (
                own := _page_options(tok, (left + text)[-1:], _next_char(tokens, i, right))
            ):
                # ... and the characters the page itself writes beside the same neighbour (创新券 on a page
                # that writes it often: 券 = C8 AF is not among C8's commonest, and 新券 is no word)
                options = options + tuple(c for c in own if c not in options)
            if last_reading and i == last:
                options = _options_read_as(tok, last_reading) or options
            elif i == last and figures.before_digit(right) and (left + text)[-1:]:
                # ... right before a figure, also the ones that end a word the reports write before figures
                options = _figure_options(tok, (left + text)[-2:], options)
        lost_after = (
            tok[0] != "L" and i < last and isinstance(tokens[i + 1], tuple) and tokens[i + 1][0] != "T"
        )
        if options and (before is not None or lost_after):
            options = _hidden_pair_options(options, before if tok[0] != "T" else None, lost_after)
        if not options:
            return None
        if len(options) == 1:
            # nothing to rank (the reading's aid or the unmappable pairs leave one character)
            at.append(len(text))
            text += options[0]
            guessed += 1
            before = _trail(options[0]) if lost_after else None
            continue
        head, tail = left[-3:] + text, ahead + right[:2]
        simplified_context = _simplified_context(head + ahead + right[:2])
        plain, weights = _option_traits(options)
        # each option's rank: (coverage, script, words, frequency, character weight); a traditional
        # character is an unlikely guess inside simplified text. The first best option wins, as max() does.
        scores = plausibility_options(head, options, tail)
        keys = [
            (cov, not simplified_context or ok, words, freq, w)
            for (cov, words, freq), ok, w in zip(scores, plain, weights, strict=True)
        ]
        if (
            stop_first
            and i == 0
            and tok == _BEFORE_FULLWIDTH
            and "。" in options
            and not _word_across_stop(stop_head or left, options)
        ):
            j = options.index("。")
            keys[j] = (keys[j][0] + 2, *keys[j][1:])
        pick = _choose(keys, options, head[-1:], tail[:1])
        if figures.before_digit(tail):
            # right before a figure: the option the reports write there far more often (为 before 2.31%, not 稳)
            pick = figures.choose(head, options, keys, pick)
        best = options[pick]
        if (
            i == 0
            and tok == _BEFORE_FULLWIDTH
            and best != "。"
            and "。" in options
            and not _in_common_word(left[-3:] + text, best, ahead + right[:3])
        ):
            # a lost lead before a replaced full-width mark's A3: 。 (A1 A3) ends a sentence far more
            # often than any other character ending in A3 stands there, unless the character makes a
            # common word with the text around it (高校 in 高校合作, whose ： straddled 校|合; 保护)
            best = "。"
        if (
            tok == _LOST_SPACE_TRAIL
            and not wide  # (an aid's run compares its readings by their text: inserts.table_space after)
            and best != "\u3000"
            and i == last
            and figures.before_digit(right)
            and "\u4e00" <= (left + text)[-1:] <= "\u9fff"
            and _table_page()
        ):
            # a lost trail after A1 between a table's row name and its first figure, on a page whose table
            # rows separate their cells with 　 (A1 A1): that 　, not 。 (`琨川市?xiǎo)?326`: 小 = D0 A1 straddled
            # 市|　, its aid split the 　, and the `?` decoder showed each half with the byte after it)
            best = "\u3000"
        if tok == _LOST_FULLWIDTH_TRAIL and best != "（" and _CLOSES_AHEAD.match(ahead + right):
            # a lost trail after A3 before a closing parenthesis with no opening one: the opening （ (A3 A8)
            # whose trail the decoder lost with the ASCII byte after it (`增长率（%）` read `增长率ぃ%）`)
            best = "（"
        at.append(len(text))
        text += best
        guessed += 1
        before = _trail(best) if lost_after else None
    if guessed and (noted := GUESSED.get()) is not None:
        noted[text] = noted[text] | frozenset(at) if text in noted else frozenset(at)
    return text, guessed


# a character the page writes beside a lost byte's neighbour this often is among the byte's options
_PAGE_OPTION_MIN = 2


def _next_char(tokens: list, i: int, right: str) -> str:
    """The known character right after token i (none where another unknown byte follows it)."""
    if i + 1 < len(tokens):
        nxt = tokens[i + 1]
        return nxt[:1] if isinstance(nxt, str) else ""
    return right[:1]


def _page_options(tok, prev: str, nxt: str) -> tuple[str, ...]:
    """The characters the lost byte of `tok` can complete that the page writes at least _PAGE_OPTION_MIN
    times right after `prev` or right before `nxt` (the Han characters beside the byte), most written first.
    A report repeats its own terms (创新券, 雁科贷, 高校和): its word for the place is often not among the
    byte's commonest characters, nor a dictionary word with the neighbour alone."""
    page = OWN_RARE.get(None)
    if page is None:
        return ()
    counts = page.counts()
    seen: dict[str, int] = {}
    for ch, near in ((prev, counts.after), (nxt, counts.before)):
        if not ch or not "\u4e00" <= ch <= "\u9fff":
            continue
        for sym, n in near(ch).items():
            if sym and n >= _PAGE_OPTION_MIN and "\u4e00" <= sym <= "\u9fff":
                seen[sym] = seen.get(sym, 0) + n
    if not seen:
        return ()
    return _byte_fits(tok, tuple(sorted(seen, key=lambda s: (-seen[s], s))))


@functools.lru_cache(maxsize=65536)
def _byte_fits(tok, symbols: tuple[str, ...]) -> tuple[str, ...]:
    """The forms of `symbols` (simplified and traditional) that the lost byte of `tok` can complete: same
    known byte, a pair the table decodes to that character (not a suspicious one)."""
    kind, known = tok
    decoded = _pair_tables()[1]
    out = []
    for sym in symbols:
        for ch in _char_forms(sym):
            try:
                code = ch.encode("gbk")
            except UnicodeEncodeError:
                continue
            if len(code) != 2 or code[1 if kind == "L" else 0] != known:
                continue
            if kind == "T" and code[1] < 0x80:  # a lost trail is never an ASCII byte (_LOST_TRAILS)
                continue
            if decoded[code[0] << 8 | code[1]] == ch and ch not in out:
                out.append(ch)
    return tuple(out)


@functools.cache
def _char_forms(sym: str) -> tuple[str, ...]:
    from .charlm import _forms

    return _forms().get(sym, (sym,))


@functools.lru_cache(maxsize=65536)
def _wide_options(tok, prev: str) -> tuple[str, ...]:
    """A lost trail's options (`_fill_options`) and after them those of its _WIDE_OPTIONS commonest that
    make a dictionary word with the character before (cached: it depends on the byte, that character and
    the word table only)."""

    options = _fill_options(tok)
    # the dictionary test first, as a C-level filter: `prev + c in _word_logs()` for a character c is
    # `c in` the set of characters after `prev` in the table's pairs (`lexicon._neighbour_sets`); it
    # rules out most of the 90, where the test against the options already held walks their tuple
    makes_word = _neighbour_sets()[0][prev].__contains__
    return options + tuple(
        c for c in filter(makes_word, _fill_options(tok, _WIDE_OPTIONS)) if c not in options
    )


@functools.lru_cache(maxsize=4096)
def _figure_options(tok, head: str, options: tuple[str, ...]) -> tuple[str, ...]:
    """A lost byte's options before a figure (`figures.widen`; cached by the byte, the two characters before and
    the options)."""
    return figures.widen(head, options, _fill_options(tok, _WIDE_OPTIONS))


def _joinable(tok, nxt) -> bool:
    return (
        isinstance(tok, tuple)
        and isinstance(nxt, tuple)
        and tok is not _BOTH_LOST
        and nxt is not _BOTH_LOST
        and tok[0] == "T"
        and nxt[0] == "L"
    )


# options of the first character tried with every option of the second (the ranking's best first)
_PAIR_FIRST = 6
_PAIR_HEAD = 6


def _fill_pair(tokens: list, i: int, head: str, right: str, before: int | None, last_reading: str):
    """The best two characters for the unknown tokens i (a known lead) and i + 1 (a known trail) - the
    trail of the first and the lead of the second lost together, an unmappable pair - scored together:
    (text, trail byte for the next unknown pair or None), or None when no option fits."""

    tok, nxt = tokens[i], tokens[i + 1]
    last = len(tokens) - 1
    # the options are ranked against each other: only the words near them tell them apart (a word has
    # at most four characters), so the head is cut to its last six characters
    head = head[-_PAIR_HEAD:]
    first = _hidden_pair_options(_fill_options(tok), before, True)
    second_all = _fill_options(nxt)
    if last_reading:
        second_all = _options_read_as(nxt, last_reading) or second_all
    elif own := _page_options(nxt, "", _next_char(tokens, i + 1, right)):
        # ... with the characters the page writes before the known one after them (`_page_options`)
        second_all = second_all + tuple(c for c in own if c not in second_all)
    tried = first[:_PAIR_FIRST]
    if own := _page_options(tok, head[-1:], ""):
        # ... and the ones it writes after the known one before them (信贷 where 贷 = B4 FB is not among
        # B4's commonest), where the pairs around them fit as for the others
        leads = _unmapped_after(before) if before is not None else None
        tried += tuple(
            c
            for c in own
            if c not in tried and _unmapped_after(_trail(c)) and (leads is None or _lead(c) in leads)
        )
    lost_after = i + 1 < last and isinstance(tokens[i + 2], tuple) and tokens[i + 2][0] != "T"
    ahead = "".join(t for t in tokens[i + 2 : i + 5] if isinstance(t, str))
    tail = ahead + right[:2]
    if not first or not second_all:
        return None
    simplified_context = _simplified_context(head + tail)
    keys: list = []
    texts: list[str] = []
    for a in tried:
        second = _pair_seconds(second_all, _trail(a), lost_after)
        plain, weights = _option_traits(second)
        a_plain, a_weight = _char_traits(a)
        scores = plausibility_options(head + a, second, tail)
        # each second character's rank, (coverage, script, words, frequency, weight), built column by
        # column; the first best wins, as in a loop keeping the best on a strict improvement
        covs, words, freqs = zip(*scores)
        if not simplified_context:
            oks = repeat(True, len(second))
        elif a_plain:
            oks = plain
        else:
            oks = repeat(False, len(second))
        keys.extend(zip(covs, oks, words, freqs, map(add, weights, repeat(a_weight))))
        texts.extend(map(add, repeat(a), second))
    if not keys:
        return None
    ab = texts[_choose(keys, texts, head[-1:], tail[:1])]
    return ab, _trail(ab[-1]) if lost_after else None


# the partial readings of a run of wholly lost characters kept at each step (`_fill_chain`)
_BEAM = 8


@functools.cache
def _chain_options(before: int, lost_after: bool) -> tuple[str, ...]:
    """Characters both of whose bytes were lost after the trail byte `before`: the pair (`before`, the
    lead) is unmappable and, when `lost_after`, so is (the trail, some lead); the commonest first, with
    the CJK marks such a lead allows (a comma the site put before 。 is a character of its own)."""

    decoded = _pair_tables()[1]
    leads = _unmapped_after(before)
    weighted = []
    for lead in leads:
        for trail in _TRAILS:
            ch = decoded[lead << 8 | trail]
            if ch and (not lost_after or _unmapped_after(trail)):
                weighted.append((char_weight(ch), ch))
    weighted.sort(reverse=True)
    options = tuple(c for w, c in weighted[:_MAX_OPTIONS] if w > 0)
    return options + tuple(c for _w, c in weighted[_MAX_OPTIONS:] if c in _MARKS)


def _fill_chain(tokens: list, head: str, right: str, before: int):
    """The characters lost whole at the start of `tokens` (one _BOTH_LOST per unmappable pair the decoder
    showed side by side, then the character whose lead went with the last of them) after the known trail
    byte `before`, chosen together by a beam of _BEAM partial readings scored with the text before them
    (the known text after them only at the last step): (text, guessed, index of the next token), or None."""

    j = 0
    while j < len(tokens) and tokens[j] is _BOTH_LOST:
        j += 1
    end = j + 1 if j < len(tokens) and isinstance(tokens[j], tuple) and tokens[j][0] == "L" else j
    ahead = ""
    for t in tokens[end : end + 4]:
        if not isinstance(t, str):
            break
        ahead += t
    # the known text right after the lost characters (none when another unknown byte follows them)
    tail = ahead + right[:2] if end + len(ahead) == len(tokens) else ahead
    simplified_context = _simplified_context(head + tail)
    beam: list = [((), "", before)]  # (key so far, text, trail byte before the next token)
    for k in range(end):
        tok = tokens[k]
        final = k == end - 1
        new = []
        for key, text, b in beam:
            if tok is _BOTH_LOST:
                options = _chain_options(b, True)
            else:
                leads = _unmapped_after(b)
                options = tuple(c for c in _fill_options(tok) if _lead(c) in leads)
            if not options:
                continue
            plain, weights = _option_traits(options)
            scores = plausibility_options(head + text, options, tail if final else "")
            w0 = key[4] if key else 0.0
            for (cov, words, freq), ok, w, c in zip(scores, plain, weights, options, strict=True):
                new.append(((cov, not simplified_context or ok, words, freq, w0 + w), text + c, _trail(c)))
        if not new:
            return None
        new.sort(key=itemgetter(0), reverse=True)
        beam = new if final else new[:_BEAM]
    keys = [k for k, _t, _b in beam]
    texts = [t for _k, t, _b in beam]
    return texts[_choose(keys, texts, head[-1:], tail[:1])], end, end


# The character model (charlm.py) overrules the dictionary's pick only when it finds another option with
# about as many characters covered by words clearly likelier: by _LM_MARGIN nats or more (20 times), at
# most _LM_COVER characters of word cover given up. Where it cannot decide (小型化 / 小型机: 0.5 nats) the
# dictionary's ranking stands. Measured on the dev split (seeds 0-3).
_LM_MARGIN = 3.0
_LM_COVER = 1


_COVER, _SCRIPT = itemgetter(0), itemgetter(1)


def _close(keys: list, best: int, low, script) -> list[int]:
    """`[j for j, k in enumerate(keys) if k[0] >= low and k[1] == script and j != best]` in C (a pair's options
    number a few hundred): the best always passes the test, and is taken out after."""
    close = list(
        compress(
            range(len(keys)),
            map(and_, map(ge, map(_COVER, keys), repeat(low)), map(eq, map(_SCRIPT, keys), repeat(script))),
        )
    )
    close.remove(best)
    return close


def _choose(keys: list, texts, left: str, right: str) -> int:
    """The index of the option to take: the dictionary's best (the first maximal key), unless another
    option of the same script whose cover is at most _LM_COVER smaller is _LM_MARGIN likelier under the
    character model between `left` and `right` (then the likeliest of those, the first on ties). Only
    the options near the best's cover are scored by the model."""

    best = keys.index(max(keys))
    cov, script = keys[best][0], keys[best][1]
    low = cov - _LM_COVER
    close = _close(keys, best, low, script)
    if not close:
        return best
    echoed = _echoed(texts, best, close, left, right)
    if echoed is not None:
        return echoed
    # the model's scores of the best and of the close options, in one call (same floats as one by one)
    # ... with the page's own pairs mixed in (a report repeats its terms: charlm.scores_on_page)
    page = OWN_RARE.get(None)
    lms = scores_on_page(
        left, [texts[best], *map(texts.__getitem__, close)], right, page.counts() if page else None
    )
    pick_lm = lms[0]
    floor = pick_lm + _LM_MARGIN
    pick = best
    for j, lm in zip(close, lms[1:], strict=True):
        if lm >= floor and lm > pick_lm:
            pick, pick_lm = j, lm
    ties = TIES.get()
    if ties is not None:
        by_lm = dict(zip([best, *close], lms, strict=True))
        rival = max((j for j in by_lm if j != pick), key=by_lm.__getitem__)
        note_tie(
            ties,
            left,
            texts[pick],
            texts[rival],
            right,
            keys[pick][0] - keys[rival][0],
            by_lm[pick] - by_lm[rival],
        )
    return pick


# The readings with lost bytes filled (`_fill`), noted per page while the mojibake step runs (None elsewhere): a
# reading's text -> where in it the characters stand whose bytes were guessed (a lost lead or trail, a pair
# dropped unseen, a character lost whole). The step then marks those characters uncertain where the reading
# stands in its repairs (`mojibake._mark_guesses`): a reader sees which characters the repair guessed.
GUESSED: ContextVar[dict | None] = ContextVar("gbk_guessed", default=None)

# The choices the dictionary and the character model could not decide (`_choose`, `inserts._lm_pick`), noted per
# page while the mojibake step runs (None elsewhere): (character before, chosen text, character after) -> the
# rival's text. The step then marks the chosen text uncertain where it stands in its repairs (`mojibake._mark_ties`).
TIES: ContextVar[dict | None] = ContextVar("gbk_ties", default=None)
# A tie: the rival covers as many characters with words and the character model finds the chosen text less than
# _TIE_LM nats likelier - or the chosen text covers one character more (the dictionary's segmentation: 下一代 is a
# word, 下一步 two) and the model finds the rival _TIE_LM_AGAINST nats likelier or more. Measured on seeds 0-4 of
# dev … dev17 (benchmarks/ingest/README.md, session 25): of the choices marked so, about two in three were wrong.
_TIE_LM = 0.5
_TIE_LM_AGAINST = -0.5


def note_tie(ties: dict, left: str, chosen: str, rival: str, right: str, cover: int, lm: float) -> None:
    """Note a choice of `chosen` over `rival` between `left` and `right` in `ties` when it is a tie (`cover`: the
    chosen text's word cover less the rival's; `lm`: its character-model score less the rival's)."""
    if not ((cover <= 0 and lm < _TIE_LM) or (cover == 1 and lm < _TIE_LM_AGAINST)):
        return
    if len(chosen) == len(rival) > 1:
        # only the characters where the two differ, with the text beside them
        i = next((k for k, (x, y) in enumerate(zip(chosen, rival, strict=True)) if x != y), None)
        if i is None:
            return
        j = len(chosen) - next(
            k for k, (x, y) in enumerate(zip(chosen[::-1], rival[::-1], strict=True)) if x != y
        )
        left, right = (left + chosen[:i])[-1:], (chosen[j:] + right)[:1]
        chosen, rival = chosen[i:j], rival[i:j]
    if _all_han(chosen):  # (a mark chosen against a character or another mark is the punctuation's business)
        ties[(left, chosen, right)] = rival


def _echo_of(page, left: str, text: str, right: str) -> int:
    """How often the page writes `text` with the Han character before or after it (a report repeats its
    own terms: 截至 before each date, 创新券 in each paragraph)."""
    n = 0
    if left and "\u4e00" <= left <= "\u9fff":
        n += page.echo(left + text)
    if right and "\u4e00" <= right <= "\u9fff":
        n += page.echo(text + right)
    return n


def _echoed(texts, best: int, close: list[int], left: str, right: str) -> int | None:
    """Among options the dictionary ranks about alike (`close`, within _LM_COVER of the best's cover): the
    one the page itself writes elsewhere beside the same neighbour, when the dictionary's best it never
    does. Lost bytes leave a tie the dictionary cannot break (截止 / 截至 both words, 止 and 至 one lead);
    the page's own clean text can. None where the page does not tell."""
    page = OWN_RARE.get(None)
    if page is None or not _all_han(texts[best]) or _echo_of(page, left, texts[best], right):
        return None
    # a mark is not a term the page repeats: the choice between 。 and a character is the dictionary's
    # (only the options the page may write beside a Han neighbour are counted: the others count 0, below
    # _ECHO_MIN, and the first of the most echoed is the same without them)
    left, right = (left if _is_han(left) else ""), (right if _is_han(right) else "")
    if not left and not right:
        return None
    maybe = _may_echo(page, left, right)
    counts = [
        (_echo_of(page, left, texts[j], right), -k, j)
        for k, j in enumerate(close)
        if maybe(texts[j]) and _all_han(texts[j])
    ]
    n, _k, j = max(counts, default=(0, 0, 0))
    return j if n >= _ECHO_MIN else None


def _is_han(ch: str) -> bool:
    return bool(ch) and "\u4e00" <= ch <= "\u9fff"


def _may_echo(page, left: str, right: str):
    """A test of an option's text that is False only where `_echo_of(page, left, text, right)` is 0 (`left`,
    `right`: the Han neighbours, "" for none), without counting: a character the page never writes beside
    the neighbour (`PageCounts.pair_test`, from the neighbour's side: no split of the page per option), a
    longer text that is not among those the page writes after `left` or before `right` (`_OwnRare.beside`)."""
    counts = page.counts()
    after_left = counts.pair_test(left, 1) if left else None
    before_right = counts.pair_test(right, -1) if right else None

    def maybe(text: str) -> bool:
        if len(text) == 1:
            return bool(
                (after_left is not None and after_left(text))
                or (before_right is not None and before_right(text))
            )
        return bool(
            (left and text in page.beside(left, len(text), 1))
            or (right and text in page.beside(right, len(text), -1))
        )

    return maybe


_ALL_HAN = re.compile("[\u4e00-\u9fff]+")


def _all_han(text: str) -> bool:
    return _ALL_HAN.fullmatch(text) is not None


_ECHO_MIN = 1


@functools.lru_cache(maxsize=65536)
def _pair_seconds(second_all: tuple[str, ...], trail: int, lost_after: bool) -> tuple[str, ...]:
    """The options of the second of two characters whose lost bytes (`trail`, its lead) the decoder could
    not map (cached: it depends on the GBK table only)."""
    second = _hidden_pair_options(second_all, trail, lost_after)
    return tuple(b for b in second if _lead(b) in _unmapped_after(trail)) or second


# log1p of a dictionary frequency above which a word is a common one (保护 9.5, 高校 8.2, 协同 6.7; the
# dictionary's rare entries such as 元军 4.0 or 遥现 1.4 are below)
_COMMON_WORD_LOG = 6.0


def _in_common_word(head: str, ch: str, tail: str = "") -> bool:
    """Whether `ch` between `head` and `tail` is part of a common dictionary word of 2-4 characters
    (one that ends with it when `tail` is empty)."""

    text = simplified(head + ch + tail)
    if len(text) != len(head) + 1 + len(tail):
        return False
    p = len(head)
    for k in (2, 3, 4):
        for start in range(max(0, p - k + 1), min(p, len(text) - k) + 1):
            if word_log(text[start : start + k]) >= _COMMON_WORD_LOG:
                return True
    return False


_AIDS_IN = re.compile(r"[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}[)）]")
_CLAUSE_OPENERS = frozenset("，,、；;：:“（(\n")


def _word_across_stop(head: str, options: tuple[str, ...]) -> bool:
    """Whether the character before a lost lead ending in A3 ends no common word of the text before it
    while one of the lead's other characters completes a common word with it: then the lost character is
    not taken for 。 on the sentence-end odds alone (`高:涂蒲` for 高校和科研: 校 = D0 A3 before the ： = A3 BA
    the site made `:`; 高 alone ends no word, 高校 is one; 提高。 stays, 提高 ends a word). A character after
    a figure is its measure word or unit (`4.6分。`, `31日。`, `千瓦时。`), which ends a clause as it is."""
    # (the text before, its reading aids out: `提(tí)高` is 提高; another character than a Chinese one or a
    # mark before the last one - a letter, a digit, a broken byte - leaves the word it ends unknown)
    head = _AIDS_IN.sub("", head)[-3:]
    if len(head) < 2 or not "\u4e00" <= head[-1] <= "\u9fff":
        return False
    if not ("\u4e00" <= head[-2] <= "\u9fff" or head[-2] in _CLAUSE_OPENERS):
        return False
    text = simplified(head)
    if len(text) != len(head):
        return False
    if any(word_log(text[-k:]) >= _COMMON_WORD_LOG for k in (2, 3, 4) if len(text) >= k):
        return False
    return any(
        word_log(text[-k:] + simplified(ch)) >= _COMMON_WORD_LOG
        for ch in options
        if ch != "。"
        for k in (1, 2, 3)
        if len(text) >= k
    )


def _fullwidth(ch: str) -> bytes | None:
    if "!" <= ch <= "~":
        try:
            return chr(ord(ch) + 0xFEE0).encode("gbk")
        except UnicodeEncodeError:
            return None
    return None


def _weight(text: str) -> float:
    """The characters' summed log frequency: between readings the dictionary ranks alike, the one
    of common characters."""

    return sum(map(char_weights().__getitem__, text))


def _valid_aid(ch: str, aid: str) -> bool:

    return is_reading_of(ch, aid)


def warm_up() -> None:
    """Fill the per-byte and per-character caches above for every byte and GBK character (about 50 ms
    once per process): a first pass over reports otherwise fills them one miss at a time (each lost
    byte's options ranked by weight, each option's traits), about a tenth of its extra cost."""

    _pair_tables()
    _script_table()
    for ch in _char_table():
        _char_traits(ch)
        _lead(ch)
        _trail(ch)
    for byte in range(0x100):
        _unmapped_after(byte)
        _row_trails(byte)
    _both_lost_ranked()
    for token in [*(("L", trail) for trail in _TRAILS), *(("T", lead) for lead in _LEADS)]:
        _option_traits(_fill_options(token))
    for lead in _LEADS:  # a lost trail's wider options (`_fill`'s `wide`), 5 ms for all
        _fill_options(("T", lead), _WIDE_OPTIONS)
