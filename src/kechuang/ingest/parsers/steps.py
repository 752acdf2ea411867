"""The repair steps after `mojibake`. Each is `find_edits(text) -> list[Edit]`: pure, linear-time, and
leaves the text alone where it has no reason to change it.
"""

import functools
import math
import re
import unicodedata
from itertools import accumulate, compress
from operator import add, itemgetter

from .charsets import HAN, HAN_OR_PUNCT
from .edits import Edit, LazyEdits, OffsetMap, apply_edits
from .t2s import converter

GAP_TEMPLATE = "〔缺失%d字〕"
GAP_UNKNOWN = "〔缺失〕"
REDACTION = "〔隐去〕"

# ---------------------------------------------------------------- notices: a site's inserted text

# Each pattern starts at a fixed character so the engine skips ahead quickly; the dots and spaces in
# front of a notice are taken in afterwards (_widen).
_OMITTED = re.compile(
    r"[(（][^()（）\n]{0,160}?省[略畧](?P<n>\d{1,7})字[^()（）\n]{0,80}[)）][ \t]*[…\.]{0,6}"
)
# The 未完 notice truncates the page: its collect line (收藏《title》)) is the last line, and its title's marks
# may be damaged like any text (`收藏(chù)肚鄭故…報告》)` with an aid inside 《, `收藏《…報告(jìn))` with 》 lost):
# a line after the notice that starts with 收藏 and ends the text is the notice's, whatever it holds - and so is
# the one line after it that ends the text when 收藏 itself is damaged (`收(zhān)亍朵谠词…報告(摘要)》)`: an aid
# inside 藏): the notice truncates the page, nothing of the report follows it.
_UNFINISHED = re.compile(
    r"[(（]未[^\n\d]{0,24}?(?P<total>\d{1,7})字[^\n\d]{0,24}?示(?P<shown>\d{1,7})字[^)）\n]{0,80}"
    r"(?:\n?[ \t]*收藏[^\n]{0,120}(?=\s*\Z)|\n[ \t]*[^\s][^\n]{0,120}(?=\s*\Z)|\n?[ \t]*收藏《[^》\n]{0,80}》)?[)）]?"
)
_LINKS = re.compile(r"(?:收藏《[^》\n]{0,80}》|分享到[:：][^\n]{0,40}|点击收藏|點击收藏|下[载載]全文)[)）]?")
_LEAD_IN = " \t\u3000…."


def _widen(text: str, start: int) -> int:
    """Move a notice's start back over the dots and spaces the site puts in front of it."""
    while start > 0 and text[start - 1] in _LEAD_IN:
        start -= 1
    return start


def notices_find_edits(text: str) -> list[Edit]:
    """A site's paywall / 'omitted N characters' / 'to be continued' notices become gap markers that say
    how many characters are missing; collect and share links are cut (nothing is missing there)."""
    edits = []
    # Each pattern needs a fixed word: it is tried only where a match can start given where that word
    # stands (found with str.find, C-level), not scanned over the whole text (the patterns start at "(" or
    # an alternation, which the regex engine tests at every character: ~5 ns a character each).
    for m in _matches_at(_OMITTED, text, _omitted_starts(text)):
        n = int(m.group("n"))
        start = _widen(text, m.start())
        edits.append(
            Edit("notices", start, m.end(), text[start : m.end()], GAP_TEMPLATE % n, note="网站省略提示")
        )
    # the notice's words after 未 may be damaged like any text of the page (`未完(còu)墓896字` with an aid
    # inside 完|，, `未�(cì)�,全文共`): the notice is known by (未 … N字 … 示 M字
    unfinished = [k - 1 for k in _occurrences(text, "未", 0) if k and text[k - 1] in "(（"]
    for m in _matches_at(_UNFINISHED, text, unfinished):
        missing = int(m.group("total")) - int(m.group("shown"))
        after = GAP_TEMPLATE % missing if missing > 0 else GAP_UNKNOWN
        start = _widen(text, m.start())
        edits.append(Edit("notices", start, m.end(), text[start : m.end()], after, note="网站“未完”提示"))
    taken = [(e.start, e.end) for e in edits]
    links = _link_starts(text)
    for m in _matches_at(_LINKS, text, links):
        if any(s <= m.start() < e for s, e in taken):
            continue
        start = m.start()
        while start > 0 and text[start - 1] in " \t\u3000":
            start -= 1
        edits.append(Edit("notices", start, m.end(), text[start : m.end()], "", note="网站收藏/分享链接"))
    return _non_overlapping(edits)


def _link_starts(text: str) -> list[int]:
    """Where a `_LINKS` match can start: at 收藏《, 分享到, 点击收藏 / 點击收藏 or 下载全文 / 下載全文 (the
    beginnings of its alternatives)."""
    starts = []
    for k in _occurrences(text, "收藏", 1):
        if text.startswith("《", k + 2):
            starts.append(k)
        elif k >= 2 and text[k - 2 : k] in ("点击", "點击"):
            starts.append(k - 2)
    starts.extend(_occurrences(text, "分享到", 1))
    starts.extend(_occurrences(text, "下载全文", 1))
    starts.extend(_occurrences(text, "下載全文", 1))
    return sorted(starts)


def _occurrences(text: str, word: str, rare: int) -> list[int]:
    """Where `word` stands in `text`, found by its rarer character `word[rare]` (a one-character find is
    several times faster than a find of a word; most texts hold the word nowhere or a few times)."""
    out = []
    ch = word[rare]
    k = text.find(ch, rare)
    while k >= 0:
        if text.startswith(word, k - rare):
            out.append(k - rare)
        k = text.find(ch, k + 1)
    return out


def _omitted_starts(text: str) -> list[int]:
    """Where an `_OMITTED` match can start: its 省略 (or 省畧) stands 1 to 161 characters after its "(" with
    no parenthesis or line break between, so the match starts at the last "(" or "（" before a 省略, if
    that is at most 161 characters before it."""
    starts = set()
    for word in ("省略", "省畧"):
        for k in _occurrences(text, word, 1):
            lo = max(0, k - 161)
            p = max(text.rfind("(", lo, k), text.rfind("（", lo, k))
            if p >= 0:
                starts.add(p)
    return sorted(starts)


def _matches_at(pattern: re.Pattern, text: str, starts: list[int]):
    """The matches of `pattern.finditer(text)`, given (sorted) every place a match can start: the pattern
    is tried there in order, after the end of the previous match, as `finditer` would (lookbehinds see
    the text before the place in both)."""
    match = pattern.match
    end = 0
    for p in starts:
        if p >= end and (m := match(text, p)) is not None:
            yield m
            end = m.end()


def _non_overlapping(edits: list[Edit]) -> list[Edit]:
    out: list[Edit] = []
    end = -1
    # by start, the longest first among equal starts, else in the given order: two stable C-level sorts
    for e in sorted(sorted(edits, key=_END, reverse=True), key=_START):
        if out and e[1] < end:  # e.start < the previous kept edit's end
            continue
        out.append(e)
        end = e[2]
    return out


_START, _END = itemgetter(1), itemgetter(2)


# ---------------------------------------------------------------- reading aids: 開(kāi)

_TONE_LETTERS = "a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüêńňǹḿ"
# Patterns start with a fixed character class (fast scanning) and look behind afterwards.
_AID = re.compile(rf"[(（](?<=[{HAN}][(（])(?P<py>[{_TONE_LETTERS}]{{1,7}})[)）]")


def readings_of(ch: str) -> frozenset[str]:
    """Every pinyin reading pypinyin knows for `ch`, with tone marks and without."""
    found = _readings_table().get(ch)
    return found if found is not None else _readings_of(ch)


@functools.cache
def _readings_table() -> dict[str, frozenset[str]]:
    """`readings_of` for every character a GBK byte pair decodes to (the mojibake step asks about
    hundreds per damaged span), built once from pypinyin's table (about 0.2 s): what pypinyin answers
    for one character is its table's readings in the two styles (tests/test_steps.py compares them)."""
    from pypinyin import Style
    from pypinyin.pinyin_dict import pinyin_dict
    from pypinyin.style import convert

    from .gbk import _pair_tables

    styled: dict[tuple[str, Style], str] = {}
    table = {}
    for ch in {c for c in _pair_tables()[0] if c and len(c) == 1 and c >= "\x80"}:
        readings = pinyin_dict.get(ord(ch))
        out = set()
        for reading in readings.split(",") if readings else ():
            for style in (Style.TONE, Style.NORMAL):
                key = (reading, style)
                if key not in styled:
                    styled[key] = convert(reading, style, strict=True).lower()
                out.add(styled[key])
        table[ch] = frozenset(out)
    return table


@functools.lru_cache(maxsize=32768)
def _readings_of(ch: str) -> frozenset[str]:
    from pypinyin import Style, pinyin

    out = set()
    for style in (Style.TONE, Style.NORMAL):
        for reading in pinyin(ch, heteronym=True, style=style, errors="ignore")[0:1]:
            out.update(r.lower() for r in reading)
    return frozenset(out)


def normalise_aid(aid: str) -> tuple[str, str]:
    """(the aid in NFC lower case with ü, the same with v) - the two spellings a reading may take."""
    aid = unicodedata.normalize("NFC", aid.lower()).replace("v", "ü")
    return aid, aid.replace("ü", "v")


@functools.lru_cache(maxsize=65536)
def is_reading_of(ch: str, aid: str) -> bool:
    """True when `aid` is a pinyin reading pypinyin knows for `ch` (tone marks or none; v for ü)."""
    if ch not in chars_read_as(aid):
        return False  # no reading of ch is spelt like aid even without tone marks: pypinyin not asked
    readings = readings_of(ch)
    return any(a in readings for a in normalise_aid(aid))


def loose_reading(reading: str) -> str:
    """A reading with tone marks and diaeresis taken off, v as u: kāi -> kai, lǜ / lv -> lu."""
    decomposed = unicodedata.normalize("NFD", reading.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("v", "u")


@functools.lru_cache(maxsize=4096)
def chars_read_as(aid: str) -> frozenset[str]:
    """The characters that have a reading spelt like `aid` up to tone marks: a superset of those for
    which `readings_of` holds `aid` (pypinyin's readings of one character are its table's readings,
    with or without tones; tests/test_steps.py checks this for every character). Asking pypinyin costs
    about 50 µs a character; this index is built once from its table."""
    return _loose_index().get(loose_reading(aid), frozenset())


@functools.cache
def _loose_index() -> dict[str, frozenset[str]]:
    from pypinyin.pinyin_dict import pinyin_dict

    # about 1,500 distinct spellings among 42,000 characters: each is loosened once
    loose: dict[str, str] = {}
    index: dict[str, set[str]] = {}
    for code, readings in pinyin_dict.items():
        ch = chr(code)
        for reading in readings.split(","):
            key = loose.get(reading)
            if key is None:
                key = loose[reading] = loose_reading(reading)
            index.setdefault(key, set()).add(ch)
    return {k: frozenset(v) for k, v in index.items()}


def reading_aids_find_edits(text: str) -> list[Edit]:
    """A parenthesised pinyin right after a character is removed only where it is a reading of that
    character; every other parenthesis (e.g. 工程(技术)) stays."""
    edits = []
    for m in _AID.finditer(text):
        if is_reading_of(text[m.start() - 1], m.group("py")):
            start = m.start()
            edits.append(Edit("reading_aids", start, m.end(), text[start : m.end()], "", note="注音"))
    return edits


class _AidAfter(dict):
    """character + parenthesised aid -> what the aid becomes: "" where it is a reading of the character,
    else the aid unchanged. A dict, so that looking up thousands of aids is one C-level `map`."""

    def __missing__(self, key: str) -> str:
        aid = _AID.fullmatch(key, 1)
        value = "" if is_reading_of(key[0], aid.group("py")) else key[1:]
        self[key] = value
        return value


_AID_AFTER = _AidAfter()


class _PairAfter(dict):
    """`_AID_AFTER` by (character, parenthesised aid) as `reading_aids_run` pairs them, without a key string
    made for each of a page's hundreds of aids."""

    def __missing__(self, pair: tuple[str, str]) -> str:
        value = self[pair] = _AID_AFTER[pair[0] + pair[1]]
        return value


_PAIR_AFTER = _PairAfter()
# the same matches, kept by re.split (one group: the pieces alternate text, aid, text ... text)
_AID_SPLIT = re.compile("(" + _AID.pattern.replace("(?P<py>", "(?:") + ")")


def reading_aids_run(text: str):
    """The pipeline's reading-aid step: (output text, edits, offset map), the same result as
    `reading_aids_find_edits` + `apply_edits` + `OffsetMap`.

    A report has about twenty aids per KB. Instead of a Python loop per aid, `re.split` cuts the text at
    every candidate, the verdicts come from a dict keyed by character + aid, and the offsets are running
    sums of the pieces' lengths; the edits are built only when read.
    """
    parts = _AID_SPLIT.split(text)
    if len(parts) == 1:
        return text, [], OffsetMap([])
    # re.split gives (text before, aid) for each match, then the text after the last
    aids = parts[1::2]
    # each aid's character is the last one of the text before it (the aid's pattern looks behind for it)
    afters = list(map(_PAIR_AFTER.__getitem__, zip(map(itemgetter(-1), parts[0:-1:2]), aids, strict=True)))
    removed = [not a for a in afters]
    if not any(removed):
        return text, [], OffsetMap([])
    ends_at = list(accumulate(map(len, parts)))
    # ends_at[2i] is where aid i starts, ends_at[2i+1] where it ends
    starts = list(compress(ends_at[0::2], removed))
    ends = list(compress(ends_at[1::2], removed))
    parts[1::2] = afters
    new_text = "".join(parts)

    def make():
        return [
            Edit("reading_aids", s, e, text[s:e], "", note="注音") for s, e in zip(starts, ends, strict=True)
        ]

    return new_text, LazyEdits(len(starts), make), OffsetMap(spans=(starts, ends, None))


# ---------------------------------------------------------------- residue: damage no step could repair

# A reading aid left after the reading-aid step is not the reading of the character before it: it landed
# inside a character whose bytes were lost (or a pair decoder ate its "(", `?guī)`). The text after it
# is read out of step up to the next mark or ASCII byte; nothing tells what it was. After a mark of the repair's
# holding Chinese characters only (a guess, `〔存疑：帶〕�(lái)成果`) as after those characters (`_after_text_mark`).
_LEFT_AID = re.compile(
    rf"[(（?\ufffd](?:(?<=[{HAN}〕][(（])|(?<=[{HAN}〕][?\ufffd])[(（]?)[{_TONE_LETTERS}]{{1,7}}[)）]"
    rf"(?P<run>[^\x00-\x7f\s，。、；：！？“”‘’（）《》〔〕]{{0,12}})"
)
UNCERTAIN_TEMPLATE = "〔存疑：%s〕"


def residue_find_edits(text: str) -> list[Edit]:
    """What the repair steps before could not explain, marked uncertain instead of left as it is: an aid
    that is not its character's reading goes, and the run read out of step after it is marked
    `〔存疑：…〕` (the page counts it)."""
    if ")" not in text and "）" not in text:
        return []
    # every match of _LEFT_AID and _AID_AFTER_TRAIL ends in an aid's letters and its bracket: a page without
    # one (nine in ten after the reading-aid step) skips both scans (speed14)
    aid_left = _tone_letter_closes(text)
    edits = [
        Edit(
            "residue",
            m.start(),
            m.end(),
            m.group(0),
            UNCERTAIN_TEMPLATE % m.group("run"),
            "错位注音与其后乱码",
            True,
        )
        for m in (_LEFT_AID.finditer(text) if aid_left else ())
        if text[m.start() - 1] != "〕" or _after_text_mark(text, m.start())
    ]
    # an aid after a Latin letter glued to Chinese text or to a lost byte: the letter is the trail byte of
    # a character the re-alignment could not restore (`雌髽I(yè)`, `元?F(xiàn)将` for 元。現將) and the aid
    # is that character's own: the character read so whose trail byte is the letter (業 = 98 49, 現 = AC 46),
    # the commonest where several are, marked; where none is, the letter is marked. The aid goes.
    for m in _AID_AFTER_TRAIL.finditer(text) if aid_left else ():
        s = m.start() - 1
        if not any(e.start <= s < e.end for e in edits):
            kept = _char_of_trail(text[s], m.group("py")) or text[s]
            edits.append(
                Edit("residue", s, m.end(), text[s : m.end()], UNCERTAIN_TEMPLATE % kept, "错位注音", True)
            )
    # `?guī)` after a digit or a mark: a lost lead byte whose decoder ate the aid's `(` (after a Chinese
    # character _LEFT_AID takes it with the run after it); the aid goes (`;?huàn)` kept `huàn)` in the
    # text until session 15: the lookahead matched the `?` alone), the lost byte is marked
    for m in _LEFT_QMARK.finditer(text) if "?" in text else ():
        if not any(e.start <= m.start() < e.end for e in edits):
            after = UNCERTAIN_TEMPLATE % "?"
            edits.append(Edit("residue", m.start(), m.end(), m.group(0), after, "无法解码的字节", True))
    return sorted(edits, key=lambda e: e.start)


_TEXT_MARK_BEFORE = re.compile(rf"〔存疑：[{HAN}]+〕\Z")


def _after_text_mark(text: str, at: int) -> bool:
    """Whether a mark of the repair's holding Chinese characters only (a guess, `〔存疑：帶〕`) ends at `at`: the text
    after it is read as after those characters."""
    return _TEXT_MARK_BEFORE.search(text, max(0, at - 16), at) is not None


# the characters `[{_TONE_LETTERS}]` matches (a-z and the tone-marked vowels and consonants)
_TONE_LETTER_SET = frozenset("abcdefghijklmnopqrstuvwxyz" + _TONE_LETTERS[3:])


def _tone_letter_closes(text: str) -> bool:
    """Whether one of `_TONE_LETTERS` stands right before a `)` or `）` in `text` (what `[…]{1,7}[)）]` needs): the
    brackets are found in C and are few on a page, a class scan tests every character."""
    for close in ")）":
        k = text.find(close, 1)
        while k > 0:
            if text[k - 1] in _TONE_LETTER_SET:
                return True
            k = text.find(close, k + 1)
    return False


_LEFT_QMARK = re.compile(
    rf"\?(?:[{_TONE_LETTERS}]{{1,7}}[)）]|(?<=[{HAN}]\?)(?=[!-~]|[ \t]*$))", re.MULTILINE
)
_AID_AFTER_TRAIL = re.compile(
    rf"[(（](?:(?<=[^\x00-\x3e\x40-\x7f\s][A-Za-z@][(（])|(?<=[{_TONE_LETTERS}][)）][A-Za-z@][(（]))"
    rf"(?P<py>[{_TONE_LETTERS}]{{1,7}})[)）]"
)


def _char_of_trail(letter: str, aid: str) -> str | None:
    """The commonest character read `aid` whose GBK trail byte is `letter`, or None."""
    from .lexicon import char_weight

    byte = ord(letter)
    best, best_weight = None, 0.0
    for ch in chars_read_as(aid):
        try:
            raw = ch.encode("gbk")
        except UnicodeEncodeError:
            continue
        if len(raw) == 2 and raw[1] == byte and is_reading_of(ch, aid):
            weight = char_weight(ch)
            if weight > best_weight:
                best, best_weight = ch, weight
    return best


# ---------------------------------------------------------------- leftover: nothing broken is left unmarked

# After every step: a lost byte (U+FFFD, a `?` after a Chinese character or before an aid's `pinyin)`),
# an aid after a character that is not ASCII (a Chinese character, a lost byte, a mark), or a comma before a closing mark that is still there outside a
# `〔存疑：…〕` span. The steps before explain what they can; this one makes sure the rest is counted, so
# the page never says 0 uncertain while the text still holds damage (issue #15.3).
_LEFTOVER = re.compile(
    rf"(?P<byte>\ufffd[\ufffd?]*|\?(?:(?<=[{HAN}]\?)|(?=[{_TONE_LETTERS}]{{1,7}}[)）])))"
    rf"|(?P<aid>[(（](?<![\x00-\x3e\x40-\x7f][(（])[{_TONE_LETTERS}]{{1,7}}[)）])"
    r"|(?P<comma>[,，](?=[、。；;”：:，,]))"
)
# Where a _LEFTOVER match can start: its first characters, a comma only before a mark (a pattern that
# starts with an alternation of groups is tried at every position; one that starts with a character
# class lets the engine skip ahead in C, and most commas are not before a mark)
_LEFTOVER_FIRST = re.compile(r"[\ufffd?(（,，](?:(?<=[,，])(?=[、。；;”：:，,])|(?<=[\ufffd?(（]))")
# an aid right after a lost byte (`工作�(áo)`, or `?kē)` whose `(` the decoder ate): it goes with the byte
_AID_AFTER_BYTE = re.compile(rf"[(（]?[{_TONE_LETTERS}]{{1,7}}[)）]")
_NEXT_AID = re.compile(rf"[(（][{_TONE_LETTERS}]{{1,7}}[)）]")
# the run a decoder read out of step after a lost byte: up to the next ASCII byte, space or mark
_OUT_OF_STEP = re.compile(r"[^\x00-\x7f\s，。、；：！？“”‘’（）《》〔〕]{0,12}")
_MARKED = re.compile(r"〔存疑：[^〕]*〕")
# an aid's tail (its `(` eaten with a lost byte) right after a span an earlier step marked: it never stays
_TAIL_AFTER_MARK = re.compile(
    rf"〔存疑：[^〕]*〕(?P<tail>(?=[a-zü]{{0,6}}[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ])[{_TONE_LETTERS}]{{1,7}}[)）])"
)


def leftover_find_edits(text: str) -> list[Edit]:
    """What every step before left broken, marked: the lost byte or the stray aid with the run read out
    of step after it becomes `〔存疑：…〕` (the aid itself goes), a comma before a closing mark goes; each
    edit is uncertain, so the page counts it. Spans already marked are looked through (`%?〔存疑：？〕kē)`
    is a lost byte before an aid whose `(` the decoder ate) and taken into the new mark. Then the garbled
    runs a GBK misdecode leaves without a lost byte or an aid (`_garbled_edits`) are marked too."""
    edits = _leftover_edits(text)
    if any(c in text for c in "？?!;:") or _FULL_WIDTH_LATIN.search(text):
        garbled = _garbled_edits(text, edits)
        if garbled:
            edits = sorted(edits + garbled, key=lambda e: e.start)
    return edits


def _leftover_edits(text: str) -> list[Edit]:
    if not any(c in text for c in "\ufffd?(（") and "，" not in text and "," not in text:
        return []
    if "〔存疑" in text:
        pieces, index, pos = [], [], 0
        for m in _MARKED.finditer(text):
            pieces.append(text[pos : m.start()])
            index.extend(range(pos, m.start()))
            pos = m.end()
        pieces.append(text[pos:])
        index.extend(range(pos, len(text) + 1))
        view = "".join(pieces)
    else:
        view, index = text, None
    edits: list[Edit] = []
    end = 0
    for m in _leftover_matches(view):
        s = m.start()
        if s < end:
            continue
        if m.lastgroup == "comma":
            o = index[s] if index else s
            if index and (held := _MARKED.match(text, o + 1)) and _HAN_ONLY.fullmatch(held.group(0)[4:-1]):
                continue  # a comma before a mark of Chinese text (a guess, `，〔存疑：發〕`) stands before text
            edits.append(Edit("leftover", o, o + 1, m.group(0), "", "残留多余逗号", True))
            end = m.end()
            continue
        after = m.end()
        if m.lastgroup == "byte" and (aid := _AID_AFTER_BYTE.match(view, after)):
            after = aid.end()
        stop = _OUT_OF_STEP.match(view, after).end()
        if m.lastgroup == "aid" and stop == after:
            # aids side by side (`“(áo)(jiē)榜`: 敖's aid inside 揭, then 揭's own, its bytes lost): the ones
            # after the stray aid go with it (no run was read out of step between them; the text after the
            # last, the lost character's own, is in step)
            while aid := _NEXT_AID.match(view, stop):
                after = stop = aid.end()
        end = stop
        if index:
            o_start, o_after = index[s], index[after - 1] + 1
            o_stop = index[stop - 1] + 1 if stop > after else o_after
        else:
            o_start, o_after, o_stop = s, after, stop
        run = _MARKED.sub(lambda x: x.group(0)[4:-1], text[o_after:o_stop]) if index else text[o_after:o_stop]
        kept = (m.group(0) if m.lastgroup == "byte" else "") + run
        note = "无法解码的字节与其后乱码" if m.lastgroup == "byte" else "错位注音与其后乱码"
        # an aid with nothing read out of step after it just goes (still counted: it was not explained)
        after_text = UNCERTAIN_TEMPLATE % kept if kept else ""
        edits.append(Edit("leftover", o_start, o_stop, text[o_start:o_stop], after_text, note, True))
    if index is not None and (")" in text or "）" in text):
        tails = [
            Edit("leftover", m.start("tail"), m.end("tail"), m.group("tail"), "", "错位注音", True)
            for m in _TAIL_AFTER_MARK.finditer(text)
            if not any(e.start < m.end("tail") and m.start("tail") < e.end for e in edits)
        ]
        if tails:
            edits = sorted(edits + tails, key=lambda e: e.start)
    return edits


# What a GBK misdecode leaves that is neither a lost byte nor an aid, as the steps before hand it on (a
# page's ASCII marks made full-width, its lost bytes shown as `?` made `？`): the signatures of a run read
# out of step, none of which a clean report of the genre writes (the corpus's clean texts: 0 of each):
# - an ASCII `!;:?` between Chinese text or full-width marks (`正！!绷硗` for 正常。”另外: ！ = A3 A1 is a
#   character's trail byte and 。's lead, the site wrote it `!`; the punctuation step leaves the second), or
#   after a span marked before (`〔存疑：�〕!斑@款`);
# - a `？` right after a full-width mark (`11.0%。？基础`: a lost byte after a sentence's end) or a span
#   marked before (`600亿元〔存疑：？箩妒」〕？〔存疑：业〕`);
# - a `？` glued to a Latin letter before Chinese text (`评估？F将` for 评估。现将: 现 = AC 46, its lead lost);
# - a full-width Latin letter beside Chinese text or a mark (`南：Ｓ蚩沟暮Ｊ灾` for 南海海域开展的海试中);
# - a `？` after Chinese text in a sentence without a question word (`装机规模？合计`, `高校？和科研院所`:
#   the report asks nothing there; a lost byte the `?` decoder showed, taken for a replaced ？).
# Each is marked with the run read out of step after it (as a lost byte is, `_OUT_OF_STEP`).
_JOINT = f"{HAN}，。、；：！？“”"
_GARBLED = re.compile(
    rf"(?P<ascii>[!;:?](?<=[{_JOINT}\x00][!;:?])(?=[{_JOINT}]))"
    r"|(?P<after_mark>[？?](?<=[，。、；：！？\x00][？?]))"
    rf"|(?P<letter>[？?](?=[A-Za-zＡ-Ｚａ-ｚ][{HAN}]))"
    rf"|(?P<wide>[Ａ-Ｚａ-ｚ](?:(?<=[{_JOINT}][Ａ-Ｚａ-ｚ])|(?=[{_JOINT}])))"
    rf"|(?P<question>[？?](?<=[{HAN}][？?]))"
)
_FULL_WIDTH_LATIN = re.compile(r"[Ａ-Ｚａ-ｚ]")
# the sentence before a `？` (back to the last sentence end) and the words that make it a question
_SENTENCE_BEFORE = re.compile(r"[^。！？!?；;\n]*$")
# (a verb or adjective said twice around 不 or 没 asks too: 够不够, 能不能, 可不可以, 有没有)
_QUESTION_WORDS = re.compile(
    r"什么|怎|哪|吗|呢|多少|几|是否|谁|何|难道|有没有|能否|可否|吧|么|啊|否|不是|([一-鿿])[不没]\1"
)
# the marks a garbled span starts with (the full-width ones right before an ASCII mark: `正！!绷硗`)
_MARKS_BEFORE = re.compile(r"[，。、；：！？“”]*$")
_MORE_MARKS = re.compile(r"[？?!;:]*")  # the lost bytes and replaced marks side by side with the first


_HAN_ONLY = re.compile(f"[{HAN}]+")


def _marked_view(m) -> str:
    """A marked span as `_garbled_edits` sees it: blanked, but a mark that holds Chinese characters only (a
    choice the dictionary could not decide, `下一〔存疑：代〕`) ends in them, so that the text after it is
    judged as after those characters (`变〔存疑：化〕？` after a question word asks, as `变化？` does)."""
    inner = m.group(0)[4:-1]
    if inner and _HAN_ONLY.fullmatch(inner):
        return "\x00" * (len(m.group(0)) - len(inner)) + inner
    return "\x00" * len(m.group(0))


def _garbled_edits(text: str, edits: list[Edit]) -> list[Edit]:
    """The misdecode signatures of `_GARBLED` outside the spans marked before and the edits of this step,
    each marked `〔存疑：…〕` with the run read out of step after it (uncertain: the page counts it)."""
    view = _MARKED.sub(_marked_view, text) if "〔存疑" in text else text
    taken = [(e.start, e.end) for e in edits]
    if taken:  # this step's own marks are marked spans too (`〔存疑：�〕!斑@款`: the `!` after a lost byte)
        parts, pos = [], 0
        for a, b in taken:
            parts += [view[pos:a], "\x00" * (b - a)]
            pos = b
        view = "".join(parts) + view[pos:]
    out: list[Edit] = []
    end = 0
    for m in _GARBLED.finditer(view):
        s = m.start()
        if s < end:
            continue
        kind = m.lastgroup
        if kind == "question" and _QUESTION_WORDS.search(_SENTENCE_BEFORE.search(view, 0, s).group(0)):
            continue
        if kind == "ascii":
            s = max(end, s - len(_MARKS_BEFORE.search(view, 0, s).group(0)))
        stop = _MORE_MARKS.match(view, m.end()).end()
        stop = _OUT_OF_STEP.match(view, stop + (kind == "letter")).end()
        while view[stop : stop + 1] in ("？", "?"):  # another lost byte right after the run: one span
            stop = _OUT_OF_STEP.match(view, _MORE_MARKS.match(view, stop).end()).end()
        while stop > m.end() and view[stop - 1] == "\x00":  # never into a span marked before
            stop -= 1
        if "\x00" in view[s:stop]:
            stop = s + view[s:stop].index("\x00")
        if stop <= s or any(a < stop and s < b for a, b in taken):
            continue
        end = stop
        out.append(
            Edit("leftover", s, stop, text[s:stop], UNCERTAIN_TEMPLATE % text[s:stop], "错位解码的乱码", True)
        )
    return out


def _leftover_matches(view: str):
    """The matches of `_LEFTOVER.finditer(view)`, the pattern tried only where `_LEFTOVER_FIRST` says one
    can start (every match starts with one of its characters; lookbehinds see the text before `pos` in
    both, so the matches are the same)."""
    search, match = _LEFTOVER_FIRST.search, _LEFTOVER.match
    pos = 0
    while (q := search(view, pos)) is not None:
        m = match(view, q.start())
        if m is None:
            pos = q.start() + 1
        else:
            yield m
            pos = m.end()


# ---------------------------------------------------------------- redactions: ** and _

_REDACTION = re.compile(rf"\*\*+|_(?<=[{HAN_OR_PUNCT}]_)_*|__*(?=[{HAN_OR_PUNCT}])|＊＊+")


def redactions_find_edits(text: str) -> list[Edit]:
    """`**` (a place's name) and `_` (a word) standing for redacted text become explicit markers."""
    if "*" not in text and "_" not in text and "＊" not in text:
        return []  # the pattern's alternatives cannot use a fast scan; most text has none of these
    return [
        Edit("redactions", m.start(), m.end(), m.group(0), REDACTION, note="原文隐去")
        for m in _REDACTION.finditer(text)
    ]


# ---------------------------------------------------------------- punctuation and spacing

_FULLWIDTH = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？"}
_DOUBLED = re.compile(r"([，。、；：！？,])(?:(?<=[，。、；：！？])\1+|(?<=[,，])[,，]+)")
# A comma standing before a mark (the site inserts `，、` `，。` `，；` `，”` `，：`; a real comma never
# stands before a closing mark) or right after an end mark. A comma before an opening mark (`，“`) stays.
_CLOSING_MARKS = "。！？；：、”’）》」』〕】;:!?"
_COMMA_BEFORE_MARK = re.compile(
    rf"[,，、](?:[,，、]*(?=[{_CLOSING_MARKS}])|(?<=[。！？；：][,，、])[,，、]*)"
)
_HALF_MARK = re.compile(rf"[,:;!?](?:(?<=[{HAN_OR_PUNCT},][,:;!?])(?!/)|(?<=[\w%）)][,:;!?])(?=[{HAN}“]))")
# half-width parentheses around Chinese words: 工程(技术) -> 工程（技术）; the words stay
_HALF_PARENS = re.compile(rf"\((?=[^()\n]{{0,40}}[{HAN}])([^()\n]{{1,40}})\)")
# One ASCII space between Chinese characters. Neither the site (DOMAIN.md, forward.py) nor the sample
# inserts spaces, so white space in a page is the report's own: an ideographic space, a tab or a run of
# spaces separates a table's cells written as lines (`指标名称　一季度　上年同期`) and stays; joining the
# cells lost the table's facts (dev3-08).
# (the space first, the look behind after it: a pattern that opens with a look behind is tried at every
# character of the page, one that opens with a space only at its spaces)
_STRAY_SPACE = re.compile(rf" (?<=[{HAN_OR_PUNCT}] )(?=[{HAN_OR_PUNCT}])")
# (or after an uncertain mark whose last character is Chinese: the repair's guess, `上一年度〔存疑：越〕\n孵企业`)
_BROKEN_LINE = re.compile(rf"\n(?<=[{HAN}，、,〕]\n)(?=[{HAN}])")
_ENDS_IN_MARK = re.compile(rf"〔存疑：[^〔〕\n]*[{HAN}]〕\Z")
# A break between two Chinese characters is the site's (forward.py breaks a line at any such place) unless
# the line before it is one of the report's own lines that end without a mark: a heading (一、总体情况, （二）,
# 1.), a table row or signature (cells apart by white space), a date or document number, the title block
# (the lines before the first that ends a sentence: title, issuing unit, addressees), a caption (单位：亿元,
# 附件：…), a signature (an issuing unit's name) or a table's title (the next line is a row). A line that ends with a comma, holds a sentence's end
# or a comma, or is long (a heading is short) was broken. On the corpus's clean texts (dev … dev17) this
# joins none of the 1010 real breaks of the kind and 83% of the places a break can be put (a line of 40
# characters or more alone: 42%).
_MIN_JOINED_LINE = 40
_LINE_HEADING = re.compile(
    r"(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.．、]"
    r"|第[一二三四五六七八九十\d]+[部章节条]|[表图附]\s*\d|附件)"
)
_LINE_CELLS = re.compile(r"[\u3000\t ]")
_LINE_DATE = re.compile(r"(?:\d+年)?\d+月\d+日|.*〔\d+〕\d+号")
_LINE_SENTENCE_END = re.compile(r"[。；！？;!?]")
_LINE_ENDS_SENTENCE = re.compile(r"[。；：！？;:!?]\s*\n")
# a signature: 琭渼省科学技术厅, 瓅湫省统计局 (a line of its own at the end, before the date or another)
_LINE_ISSUER = re.compile(r".{1,18}(?:厅|局|委员会|办公室|人民政府|研究院|中心)")
_LINE_COMMA = re.compile(r",(?!\d)")  # 11,372 is a number
_LINE_MARKER = re.compile(r"〔[^〔〕\n]*〕")


def _site_break(text: str, at: int, line_start: int, title_end: int) -> bool:
    """Whether the break at `at` (between two Chinese characters, the line before it from `line_start`) was
    put in by the site; `title_end`: where the first line that ends a sentence ends."""
    line = text[line_start:at]
    end = text.find("\n", at + 1)
    after = text[at + 1 : end if end >= 0 else len(text)]
    if _LINE_CELLS.search(after) and (_LINE_CELLS.search(line) or line.startswith("表")):
        return False  # a table's rows (a long one too), its title (its `（单位：家）` may come back as `，`)
    # (a mark's own characters are no text: `立项的〔存疑：话〕` is a title as short as `立项的话`)
    marks = line.count("〔存疑：") * len("〔存疑：〕") if "〔" in line else 0
    if line[-1] in "，、," or at - line_start - marks >= _MIN_JOINED_LINE:
        return True
    line = _LINE_MARKER.sub("", line) if "〔" in line else line  # 〔存疑：…〕 is the repair's
    # the commas this step drops (`二，、各市排名`: a heading with the site's comma)
    line = _COMMA_BEFORE_MARK.sub("", line) if "，" in line or "," in line else line
    if _LINE_SENTENCE_END.search(line):
        return True
    if _LINE_HEADING.match(line) or _LINE_CELLS.search(line) or _LINE_DATE.fullmatch(line):
        return False
    if "，" in line or _LINE_COMMA.search(line):
        return True
    if line_start < title_end or "：" in line or ":" in line or _LINE_ISSUER.fullmatch(line):
        return False
    if _LINE_CELLS.search(after):
        # a table's title, or a row broken in its first cell (`高新技\n术产业投资　86.2`: the row before has cells)
        before = text[text.rfind("\n", 0, max(line_start - 1, 0)) + 1 : max(line_start - 1, 0)]
        return bool(_LINE_CELLS.search(before))
    return not after.startswith(("单位", "表"))


def _punctuation_removed(text: str) -> tuple[list[Edit], set[int]]:
    """The punctuation step's commas before a mark and doubled marks (commas first: where a doubled comma
    stands before a mark, `，，”`, both go), none overlapping, and the offsets they take."""
    # A report has about ten half-width commas per KB: edits are made with tuple.__new__ (the
    # NamedTuple constructor is Python code), and scans that need a character the text lacks are skipped.
    new = tuple.__new__
    edits = [
        new(Edit, ("punctuation", m.start(), m.end(), m.group(0), "", "多余逗号", False))
        for m in _COMMA_BEFORE_MARK.finditer(text)
    ]
    for m in _DOUBLED.finditer(text):
        mark = m.group(0)[0]
        edits.append(
            new(
                Edit,
                (
                    "punctuation",
                    m.start(),
                    m.end(),
                    m.group(0),
                    _FULLWIDTH.get(mark, mark),
                    "重复标点",
                    False,
                ),
            )
        )
    edits = _non_overlapping(edits)
    return edits, {i for e in edits for i in range(e[1], e[2])}


def _punctuation_rest(text: str, taken: set[int]) -> list[Edit]:
    """The punctuation step's half-width parentheses (outside `taken`), stray spaces inside Chinese text and
    lines broken mid-sentence, in that order."""
    new = tuple.__new__
    rest = []
    for m in _HALF_PARENS.finditer(text) if "(" in text else ():
        if m.start() not in taken:
            rest.append(Edit("punctuation", m.start(), m.start() + 1, "(", "（", note="半角括号"))
            rest.append(Edit("punctuation", m.end() - 1, m.end(), ")", "）", note="半角括号"))
    for m in _STRAY_SPACE.finditer(text) if " " in text else ():
        rest.append(new(Edit, ("punctuation", m.start(), m.end(), m.group(0), "", "多余空格", False)))
    title_end = None
    for m in _BROKEN_LINE.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        if text[m.start() - 1] == "〕" and not _ENDS_IN_MARK.search(text, line_start, m.start()):
            continue  # (another marker's end: 〔隐去〕, 〔缺失3字〕)
        if title_end is None:
            first = _LINE_ENDS_SENTENCE.search(text)
            title_end = first.end() if first else len(text)
        if _site_break(text, m.start(), line_start, title_end):
            rest.append(Edit("punctuation", m.start(), m.end(), "\n", "", note="句中断行"))
    return rest


def punctuation_find_edits(text: str) -> list[Edit]:
    """Doubled marks collapsed, a comma next to another mark dropped, half-width marks inside Chinese
    text made full-width, stray spaces inside Chinese text removed, a line broken mid-sentence joined."""
    new = tuple.__new__
    edits, taken = _punctuation_removed(text)
    extra = []
    for m in _HALF_MARK.finditer(text):
        start = m.start()
        if start not in taken:
            mark = m.group(0)
            extra.append(
                new(Edit, ("punctuation", start, m.end(), mark, _FULLWIDTH[mark], "半角标点", False))
            )
    extra += _punctuation_rest(text, taken)
    if not edits:
        # the other edits each take characters of their own kind (half-width marks, parentheses, white
        # space, line breaks), one edit a character or run: none overlaps another, so in order is all
        return sorted(extra, key=_START)
    return _non_overlapping(edits + extra)


# the same matches as _HALF_MARK, kept by re.split (one group: the pieces alternate text, mark, text ... text)
_HALF_MARK_SPLIT = re.compile("(" + _HALF_MARK.pattern + ")")


def punctuation_run(text: str):
    """The pipeline's punctuation step: (output text, edits, offset map), the same result as
    `punctuation_find_edits` + `apply_edits` + `OffsetMap`.

    Nearly all of its edits (about ten per KB) make a half-width mark full-width, one character for one:
    those are found by one `re.split` (no Python per mark), put in by a join, built as edits only when
    read, and leave every offset where it was, so the offset map holds only the step's other edits (a
    one-character replacement maps an offset as the edits before it do). The other edits (commas before a
    mark, doubled marks, parentheses, spaces, line breaks) are found as `punctuation_find_edits` finds
    them; none of them takes a half-width mark it replaces (the commas and doubled marks a half-width mark
    is part of are left out of its replacements, the rest are other characters), so no two overlap.
    """
    new = tuple.__new__
    others, taken = _punctuation_removed(text)
    others += _punctuation_rest(text, taken)
    others.sort(key=_START)
    parts = _HALF_MARK_SPLIT.split(text)
    if len(parts) == 1:
        if not others:
            return text, [], OffsetMap(spans=_NO_SPANS)
        return apply_edits(text, others), others, OffsetMap(others)
    # re.split gives (text before, mark) for each match, then the text after the last: the marks' offsets
    # are running sums of the pieces' lengths
    marks = parts[1::2]
    starts = list(accumulate(map(len, parts[0:-1:2])))
    starts = list(map(add, starts, range(len(starts))))  # each mark before is one character
    if taken:
        kept = [s not in taken for s in starts]
        parts[1::2] = [_FULLWIDTH[m] if k else m for m, k in zip(marks, kept, strict=True)]
        starts, marks = list(compress(starts, kept)), list(compress(marks, kept))
    else:
        parts[1::2] = map(_FULLWIDTH.__getitem__, marks)
    half_text = "".join(parts)

    def make():
        half = [
            new(Edit, ("punctuation", s, s + 1, mark, _FULLWIDTH[mark], "半角标点", False))
            for s, mark in zip(starts, marks, strict=True)
        ]
        return sorted(others + half, key=_START) if others else half

    edits = LazyEdits(len(starts) + len(others), make)
    if not others:
        return half_text, edits, OffsetMap(same_length=True)
    # the other edits never take a replaced mark's place: applied to the text with the marks replaced.
    # A mark right after another edit stays in the map: after a deletion (`，!`) an offset of the output at
    # the mark is both the deletion's place and the mark's start, and an end offset maps to the mark's.
    ends = {e[2] for e in others}
    joined = [
        new(Edit, ("punctuation", s, s + 1, mark, _FULLWIDTH[mark], "半角标点", False))
        for s, mark in compress(zip(starts, marks, strict=True), map(ends.__contains__, starts))
    ]
    return (
        apply_edits(half_text, others),
        edits,
        OffsetMap(sorted(others + joined, key=_START) if joined else others),
    )


_NO_SPANS = ((), (), ())


# ---------------------------------------------------------------- traditional to simplified


# OpenCC's t2s (`t2s.converter()`: a look-up per character where no phrase of OpenCC's table is in the text)
_opencc = converter


class _PhraseAwareT2S:
    """OpenCC's t2s, then the characters whose simplified form depends on the word: OpenCC keeps 著 (a
    simplified character too), but in a mainland text 标志著, 随著, 执著 are 标志着, 随着, 执着 while
    著名, 显著, 土著 stay. OpenCC's phrase table cannot see it in a text that is half simplified already
    (标志著 is neither a traditional nor a simplified phrase), so the word decides: jieba's dictionary."""

    def convert(self, text: str) -> str:
        converted = _opencc().convert(text)
        if converted != text and len(converted) == len(text):  # (a page OpenCC leaves as it is: no scan)
            if _beyond_bmp(converted):
                converted = _kept_in_bmp(text, converted)
            # (`_NAME_KEPT` opens on a character of `_NEVER_WRITTEN`: where it matches, so does this)
            if _NEVER_WRITTEN_RE.search(text):
                converted = _names_kept(text, converted)
        return _with_zhe(converted)

    def convert_runs(self, text: str):
        """(`convert(text)`, (starts, ends) of the runs where it differs from `text` as `_run_bounds` gives them,
        or None where they are not known). Where the converter took its numpy path (a page with no phrase of
        OpenCC's in it: every page of the benchmark) the runs come from the code units it looked up, and
        whether the page holds a character of `_NEVER_WRITTEN` from a table of them: neither text is encoded
        again nor scanned with a character class (speed17)."""
        codes = getattr(_opencc(), "convert_codes", None)
        if codes is None:
            return self.convert(text), None
        converted, a, b = codes(text)
        if a is None:
            return self._after_opencc(text, converted), None
        import numpy as np

        # the numpy path: the same length, every character of both texts in the BMP (`_beyond_bmp` is False)
        differs = np.zeros(len(a) + 2, dtype=np.int8)
        np.not_equal(a, b, out=differs[1:-1].view(bool))
        edges = np.flatnonzero(differs[1:] != differs[:-1])
        if edges.size and _code_tables()[a].any():
            kept = _names_kept_by_codes(text, converted, a, b)
            if kept != converted:
                return _with_zhe(kept), None
        final = _with_zhe(converted)
        return final, ((edges[0::2], edges[1::2]) if final is converted else None)

    def _after_opencc(self, text: str, converted: str) -> str:
        """`convert(text)` given OpenCC's conversion of it."""
        if converted != text and len(converted) == len(text):
            if _beyond_bmp(converted):
                converted = _kept_in_bmp(text, converted)
            if _NEVER_WRITTEN_RE.search(text):
                converted = _names_kept(text, converted)
        return _with_zhe(converted)


def _with_zhe(converted: str) -> str:
    """`converted` with each 著 read by the word it stands in (著 or 着)."""
    if "著" not in converted:
        return converted
    return _ZHE.sub(lambda m: _zhe_or_zhu(converted, m.start()), converted)


# OpenCC gives a few traditional characters a simplified form beyond the BMP (瓅 -> 𬍛, in a place name 瓅湫省). No
# GBK page can hold such a character, so the report it was written from did not: the character stays as the page
# writes it (any BMP character OpenCC gives stays converted).
_BEYOND_BMP = re.compile("[\U00010000-\U0010ffff]")


def _beyond_bmp(text: str) -> bool:
    """`_BEYOND_BMP.search(text) is not None`: a character beyond the BMP takes two UTF-16 code units, every other
    one (a lone surrogate passed as it is) one, so the encoded length tells (a C-level copy; the scan tests each
    character against the class)."""
    return len(text.encode("utf-16-le", "surrogatepass")) != 2 * len(text)


# The GBK characters OpenCC simplifies that neither s2t nor s2tw writes for their simplified form (濛 -> 蒙, and 蒙 stays
# 蒙): test_repair27 checks the list against OpenCC. A site that converts a report to traditional characters writes
# one only where the report did (or where a phrase of OpenCC's gives it: 沈阳 -> 瀋陽).
_NEVER_WRITTEN = (
    "佈併侷係俬倖傢儁儘冑凈剋剷劄勛卹卽厠厤唸嘩噁噹嚐嚙嚥嚮囌垻埰塚塤墰墻壜奬姦孃寀崑崙嵗幷廕弔彆彔彙彫彿"
    "慄慤慼慾懞扞挱捨捲搧擡擣敎旂旣昇曆曏朮枴柺査桿棊榦樑檯欅歎殭殻氂氾汎沖泝淒淩滙濕濛瀋瀰灕灧燬牴獃琱璿"
    "産畵痠瘺癒癥盃盪眞睏矇硃碕禦穀穫竪箇箚簑簽糰紮絃絶綉綑綫綳綵緑緔緻緼縧縴繫纍纔罈罎翫脩臟舖舘艷乾菴葯"
    "蒐蒓蓆蔔蔘蕓薑藴衊衕衚裊製複襇襬覈託註証誌説謚謡謭譟譭讚谿貍賫贋贜踰蹟輓輼菸迴逕薹拚捱週遡遶摺醖釦鈅"
    "鈎鈡鉅鉆鉳銹鋭録錶錼鍅鍊鍼鎌鎚鎭鎲鎸鏇鐘鐝鑒閑閤閲闆闇榘陞隻霑鞦韆頽顔颱颳飱餬餵饑駡袷髮鬆鬍鬚鬨麴鮝"
    "醣鰐鰛麽鳬鵰鶿鷄鷴鹵麪麫麯麵鼕齣"
)
_NAME_KEPT = re.compile(f"[{_NEVER_WRITTEN}](?:[\u4e00-\u9fff]?[省市县縣区區])")
_NEVER_WRITTEN_RE = re.compile(f"[{_NEVER_WRITTEN}]")
_REGION_END = frozenset("省市县縣区區")


@functools.cache
def _s2t_both():
    import opencc

    return opencc.OpenCC("s2t"), opencc.OpenCC("s2tw")


def _names_kept(text: str, converted: str) -> str:
    """`converted` with a region's name as the page writes it (`玹濛省`: the report's own province) where its
    character is one no site conversion writes for the simplified form OpenCC gives it, nor for the name as a whole
    (a name the site writes from its own phrase table, 瀋陽市 for 沈阳市, is simplified as usual); the name is kept so
    wherever the page writes it (玹濛稀土 in a title)."""
    names = _region_names_kept(text, converted)
    # ... and one right after a rare character OpenCC leaves as it is (outside GB2312, not a traditional form): a
    # name whose region word the site redacted or the report left out (`玹濛大学`, `玹濛北部` where no 玹濛省 is left).
    # Not one before such a character: that is the word before a name (`依託漹川大学`: 託 stays 托).
    for m in _NEVER_WRITTEN_RE.finditer(text, 1):
        k = m.start()
        if _rare_kept(text[k - 1], converted[k - 1]):
            _add_rare_name(text, converted, k, names)
    return _with_names(text, converted, names)


def _region_names_kept(text: str, converted: str) -> set[str]:
    names = set()
    for m in _NAME_KEPT.finditer(text):
        k = m.start()
        start = k - 1 if m.end() - k == 2 else k  # a name of two characters and its 省/市: 濛 first or second
        name = text[start : m.end()]
        if start < 0 or not "\u4e00" <= name[0] <= "\u9fff" or name[0] in _REGION_END:
            continue
        if not any(c.convert(converted[start : m.end()]) == name for c in _s2t_both()):
            names.add(name[:-1])
    return names


def _add_rare_name(text: str, converted: str, k: int, names: set[str]) -> None:
    if not any(c.convert(converted[k - 1 : k + 1]) == text[k - 1 : k + 1] for c in _s2t_both()):
        names.add(text[k - 1 : k + 1])


def _with_names(text: str, converted: str, names: set[str]) -> str:
    if not names:
        return converted
    out = list(converted)
    for name in names:
        k = text.find(name)
        while k >= 0:
            for i, c in enumerate(name, k):
                if c in _NEVER_WRITTEN:
                    out[i] = c
            k = text.find(name, k + len(name))
    return "".join(out)


def _names_kept_by_codes(text: str, converted: str, a, b) -> str:
    """`_names_kept(text, converted)` given both texts' code units (numpy arrays of the same length, every character in
    the BMP): the characters of `_NEVER_WRITTEN` found with a table, not a character class (a page converted from
    simplified holds a dozen or more: 係, 製, 複, 註 …); the name scan run only where such a character has a region
    word one or two characters after it, where alone `_NAME_KEPT` can match; `_rare_kept` asked by a set."""
    import numpy as np

    at = np.flatnonzero(_code_tables()[a]).tolist()
    region = _REGION_END.isdisjoint
    if any(not region(text[k + 1 : k + 3]) for k in at):
        names = _region_names_kept(text, converted)
    else:
        names = set()
    rare = _rare_chars()
    for k in at:
        # `_rare_kept(text[k - 1], converted[k - 1])` (`_NEVER_WRITTEN_RE.finditer(text, 1)`: after the first)
        if k and (ch := text[k - 1]) in rare and ch == converted[k - 1]:
            _add_rare_name(text, converted, k, names)
    return _with_names(text, converted, names)


@functools.cache
def _code_tables():
    """Whether each code point of the BMP is a character of `_NEVER_WRITTEN` (numpy booleans)."""
    import numpy as np

    never = np.zeros(0x10000, dtype=bool)
    never[[ord(c) for c in _NEVER_WRITTEN]] = True
    return never


@functools.cache
def _rare_chars() -> frozenset[str]:
    """The Chinese characters (U+4E00-U+9FFF) outside GB2312: those `_rare_kept` tells a name's rare one by."""
    rare = set()
    for code in range(0x4E00, 0xA000):
        try:
            chr(code).encode("gb2312")
        except UnicodeEncodeError:
            rare.add(chr(code))
    return frozenset(rare)


def _rare_kept(ch: str, converted: str) -> bool:
    """Whether `ch` is a Chinese character outside GB2312 that OpenCC keeps (`converted`): a rare one of a name,
    not a traditional form."""
    if ch != converted or not "\u4e00" <= ch <= "\u9fff":
        return False
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return True
    return False


def _kept_in_bmp(text: str, converted: str) -> str:
    out = list(converted)
    for m in _BEYOND_BMP.finditer(converted):
        k = m.start()
        if ord(text[k]) <= 0xFFFF:
            out[k] = text[k]
    return "".join(out)


_ZHE = re.compile("著")
_COMMON_WORD = math.log1p(20)  # a word the dictionary has seen fewer times is one of its oddities


def _covering_word_weight(text: str, i: int) -> float:
    """The highest log frequency of a dictionary word of 2-4 characters covering text[i]."""
    from .lexicon import word_log

    best = 0.0
    for n in (2, 3, 4):
        for start in range(max(0, i - n + 1), min(i, len(text) - n) + 1):
            best = max(best, word_log(text[start : start + n]))
    return best


def _zhe_or_zhu(text: str, i: int) -> str:
    window_start = max(0, i - 3)
    return _zhe_in_window(text[window_start : i + 4], i - window_start)


@functools.lru_cache(maxsize=8192)
def _zhe_in_window(window: str, k: int) -> str:
    """着 or 著 for window[k] (the decision reads only the three characters either side: cached, as the
    same words come back - 随著, 标志著, 著名)."""
    keep = _covering_word_weight(window, k)
    alt = _covering_word_weight(window[:k] + "着" + window[k + 1 :], k)
    return "着" if alt > keep or keep < _COMMON_WORD else "著"


@functools.cache
def _converter() -> _PhraseAwareT2S:
    return _PhraseAwareT2S()


def t2s_find_edits(text: str) -> list[Edit]:
    """Traditional characters converted to simplified with OpenCC (t2s), one edit per changed run."""
    converted = _converter().convert(text)
    if converted == text:
        return []
    if len(converted) == len(text):
        return _runs(text, converted, 0)
    # OpenCC changed a length somewhere (rare phrase mappings): compare line by line
    edits: list[Edit] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        conv = _converter().convert(line)
        if conv != line:
            if len(conv) == len(line):
                edits.extend(_runs(line, conv, pos))
            else:
                edits.append(Edit("t2s", pos, pos + len(line), line, conv, note="繁转简"))
        pos += len(line)
    return edits


def _run_bounds(text: str, converted: str):
    """(starts, ends) of the runs where two texts of the same length differ, as numpy arrays (no Python
    loop; made into lists only when the edits are built)."""
    import numpy as np

    a = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    b = np.frombuffer(converted.encode("utf-32-le"), dtype=np.uint32)
    # a run starts where "differs" turns on and ends where it turns off: the edges of the padded mask
    differs = np.zeros(len(a) + 2, dtype=np.int8)
    np.not_equal(a, b, out=differs[1:-1].view(bool))
    edges = np.flatnonzero(differs[1:] != differs[:-1])
    return edges[0::2], edges[1::2]


def _run_edits(text: str, converted: str, base: int, starts, ends) -> list[Edit]:
    new = tuple.__new__  # the NamedTuple constructor is Python code; there is one edit per changed run
    starts, ends = starts.tolist(), ends.tolist()
    return [
        new(Edit, ("t2s", base + s, base + e, text[s:e], converted[s:e], "繁转简", False))
        for s, e in zip(starts, ends, strict=True)
    ]


def _runs(text: str, converted: str, base: int) -> list[Edit]:
    starts, ends = _run_bounds(text, converted)
    return _run_edits(text, converted, base, starts, ends)


def t2s_run(text: str):
    """The pipeline's t2s: (converted text, edits, offset map) with the same edits as `t2s_find_edits`.

    In the common case (OpenCC kept every length) the converted text is the output as it stands, the
    edits are built only when read, and the offset map is the identity.
    """
    converted, runs = _converter().convert_runs(text)
    if converted == text:
        return text, [], OffsetMap([], same_length=True)
    if len(converted) != len(text):
        edits = t2s_find_edits(text)
        return apply_edits(text, edits), edits, OffsetMap(edits)
    starts, ends = runs if runs is not None else _run_bounds(text, converted)
    edits = LazyEdits(len(starts), lambda: _run_edits(text, converted, 0, starts, ends))
    return converted, edits, OffsetMap(same_length=True)
