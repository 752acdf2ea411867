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
from bisect import bisect_right
from contextvars import ContextVar
from itertools import accumulate
from operator import methodcaller

from . import arith, figures
from .charlm import scores_between
from .charsets import CJK_PUNCT, HAN, HAN_OR_PUNCT, SUSPICIOUS
from .edits import Edit
from .gbk import (
    GUESSED,
    OWN_RARE,
    PAGE_SCRIPT,
    TIES,
    _decode_pair,
    _fill,
    _fullwidth,
    _in_common_word,
    _PageScript,
    _pair_tables,
    _tokens,
    _valid_aid,
    _wide_options,
    page_rare,
)
from .ghosts import comma_ghost_edits, silent_ghost_edits
from .inserts import (
    _EATEN_AID,
    _FOLLOWING_AID,
    QMARK_PAGE,
    STEP,
    WHOLE_RUN,
    _aid_leads,
    _aid_matches,
    _aid_reading,
    _aided_chars,
    _comma_edits,
    _followed_by_own_aid,
    _known_char,
    _known_leads,
    _runs_through_aids,
    _with_own_aid,
    _without_own_aids,
    past_eaten_digit,
)
from .lexicon import char_weight, char_weights, plausibility, plausibility_many, simplified
from .quotes import quote_runs

__all__ = ["STEP", "UNCERTAIN_CLOSE", "UNCERTAIN_OPEN", "_aid_leads", "_decode_pair", "find_edits"]
UNCERTAIN_OPEN, UNCERTAIN_CLOSE = "〔存疑：", "〕"

# A single ASCII mark (or U+FFFD) right after a Chinese character, then a run of non-ASCII characters,
# then possibly one ASCII byte of the GBK trail-byte range that brought the decoder back in step.
# (The patterns start with the trigger's character class and look behind afterwards: a pattern that
# starts with a class lets the engine skip ahead to candidates instead of testing every position.)
# What a trigger mark follows: a Chinese character, or the closing parenthesis of a reading aid (the aid
# of the character before the mark, inserted before the mark's bytes: `設備(bèi)!白钅` for 设备。“最难, the
# ！ = A3 A1 replaced by `!` straddling 。|“)
_AID_CLOSE = "[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü][)）]"
# ... or a percent sign or a closing mark (`長11.0%;⊙芯俊` for 長11.0%。基础研究: ； = A3 BB straddled 。|基 after a
# figure; the orphaned A1 of 。 was dropped)
# ... or any of those with a comma between: a site that inserted commas before punctuation and only then wrote
# its full-width marks in their ASCII form put the comma before 。, whose trail and the next character's lead
# spell the mark (`家,?F將` for 家。現將 under the `?` decoder, `求,!睂＜医` for 求。”专家 under the dropping one).
# After the comma only the marks no comma is inserted before (！ ？) or a lost lead: `元,;萸` is as likely a
# real ； with its comma before a rare character (the letter-closed `_LETTER_TRAIL` takes ，；： too)
_AFTER_TEXT = rf"(?:(?<=[{HAN}].)|(?<={_AID_CLOSE}[,;:!])|(?<=[%”）》][,;:!])|(?<=[{HAN}%”）》],[!?\ufffd]))"
_TRIGGER = re.compile(
    rf"(?P<t>[!-/:-@\[-`{{-~\ufffd]){_AFTER_TEXT}(?P<s>[^\x00-\x7f\s\ufffd]{{1,24}})"
    rf"(?P<a>[@-~](?=[{HAN_OR_PUNCT}(（,\d\s]|\Z)|\ufffd)?"
)
# A reading aid inserted inside a character: the orphaned lead byte shows as ?/U+FFFD or is gone.
# Found on its own (valid aids are far more common and must not swallow the text after them), then the
# out-of-step span after it is matched from its end.
_AID = re.compile(
    rf"(?:[?\ufffd](?<=[{HAN}].)[(（]|[(（](?<=[{HAN}].))[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{{1,7}}[)）]"
)


_FFFD_RUN = re.compile(r"\ufffd\ufffd*")

# Whether the page's decoder shows the bytes it cannot read (U+FFFD on the page): then a pair it could not
# map is never dropped without a trace, and a re-read run without U+FFFD lost no pair inside it.
_SHOWS_LOST: ContextVar[bool] = ContextVar("mojibake_shows_lost", default=False)
# Whether the page's decoder writes `?` for what it cannot read (and no U+FFFD): such a decoder shows an
# orphaned lead byte as `?` together with the ASCII byte after it, so a `?` before an out-of-step run may
# have eaten a full-width mark the site replaced by its ASCII form (`高?⒖蒲` for 高校、科研: 校's trail A3
# and 、's lead A1 spell ！, replaced by `!`, which the `?` of the orphaned lead D0 took along).
_QMARK_PAGE = QMARK_PAGE
# the ASCII marks a site writes for full-width ones (DOMAIN.md); their full-width bytes all start with A3
_EATEN_MARKS = tuple(_fullwidth(c) for c in ",;:!?()")
_EATEN_MARK_BYTES = frozenset(tuple(m) for m in _EATEN_MARKS)
_QUOTES = frozenset("“”")
# unmappable pairs side by side (U+FFFD) that a re-read run may follow (`_LostPairs`)
_CONTINUED_PAIRS_MAX = 2
# the shortest run (characters) a dropping decoder is taken to have lost two pairs inside (`_candidates`)
_TWO_DROPS_MIN = 4


# the half-width marks a reading may take out whole (`_candidates`), and the first bytes of the punctuation marks
# the site puts a comma before (、。”；：，: A1 xx, A3 xx)
_MARKS_TAKEN_OUT = frozenset(",;:!()")
_INSERTED_BEFORE = frozenset((0xA1, 0xA3))


def _candidates(
    trigger: str,
    span: str,
    trail: str,
    known_leads: list[int] | None = None,
    lost_pairs: int = 0,
    *,
    two_drops: bool = False,
    drops: bool | None = None,
    after_words: bool = False,
    letter_closed: bool = False,
):
    """Every structural reading of the damaged bytes: (byte stream with unknowns, uses_trail, unknowns).
    `lost_pairs`: the span follows that many unmappable pairs after the lost lead (`_LostPairs`).
    `two_drops`: only the readings with two pairs a dropping decoder lost inside the run (`_best_reading`
    asks for them when the best of the others still reads garbled). `drops`: False, only the readings that
    lose no pair inside the run; True, only those that lose one; None, both. `after_words`: the text before the
    trigger reads in step (`_in_step_before`)."""
    try:
        span_bytes = _span_bytes(span)
    except UnicodeEncodeError:
        return
    trails = [False, True] if trail else [False]
    if lost_pairs:
        # after a trigger `?`: the lost lead, the replaced mark it ate, then the pairs; after a re-read
        # run: its last character's lost trail and the pairs
        heads = [[None, *rep] for rep in _EATEN_MARKS] if trigger else [[None]]
        for head in heads:
            for use_trail in trails:
                tail = ([None] if trail == "\ufffd" else [ord(trail)]) if use_trail else []
                yield (
                    head + [None, None] * lost_pairs + span_bytes + tail,
                    use_trail,
                    len(head) + 2 * lost_pairs,
                )
        return
    if known_leads:
        # a closing U+FFFD right after the span is the lost trail byte of its last character
        for lead in known_leads:
            for use_trail in [True] if trail == "\ufffd" else trails:
                tail = ([None] if trail == "\ufffd" else [ord(trail)]) if use_trail else []
                yield [lead, *span_bytes, *tail], use_trail, 0
        return
    replacements = [(b"", False)]
    if len(trigger) == 1 and trigger != "\ufffd":
        fw = _fullwidth(trigger)
        if fw:
            replacements.append((fw, False))
    # a `?` decoder's orphaned lead took the replaced mark after it along: its `?` read as U+FFFD, or a `?`
    # kept as a replaced ？ before a run closed by a letter (`時?毖邪l` for 時。”研發), which may be one too
    eaten = trigger in _SHOWN_LOST and _QMARK_PAGE.get()
    if eaten:
        replacements += [(mark, True) for mark in _EATEN_MARKS]
    # ... and then, after text in step, a lost lead that ate nothing cannot be: the decoder would have paired it
    # with the run's first byte, a trail byte, and shown no `?` (`八成;高?涂蒲性核` is 高校和科研院所 with ： = A3 BA
    # replaced by `:`, not 高低科研院所 with 低's lead B5 alone): such a reading needs a byte from nowhere, counted
    # as one more unknown. (After a run out of step the `?` is an unmapped pair, its second byte the lead.)
    alone = int(
        eaten
        and after_words
        and bool(span_bytes)
        and span_bytes[0] is not None
        and 0x40 <= span_bytes[0] <= 0xFE
    )
    # in a run closed by a trail letter (`letter_closed`: `_REALIGN_PATTERNS`), a half-width mark taken out with a
    # lead lost before it: only the site's comma put in before a punctuation mark whose bytes straddled that
    # character and the next (its trail, the mark's first byte, is A1 or A3); a replaced mark is never taken out
    # whole (`收,F將` is not 收鞦將 with 鞦's lead lost before an empty mark: F is no mark's first byte - it is 。現將
    # with ， = A3 AC straddling 。|現). (Not asked of the other runs: there such a reading, the best, is often
    # refused whole, and the run left as it stands - `位:茗沚省`, a name after a real mark.)
    removed_inside = letter_closed and len(trigger) == 1 and trigger in _MARKS_TAKEN_OUT
    for rep, rep_eaten in replacements:
        for lost_lead in (True,) if rep_eaten else (True, False):
            for use_trail in trails:
                head = ([None] if lost_lead else []) + list(rep)
                # a closing U+FFFD is a byte the decoder could not pair: the lost trail of the last char
                tail = ([None] if trail == "\ufffd" else [ord(trail)]) if use_trail else []
                base = head + span_bytes
                if removed_inside and lost_lead and not rep:
                    first = (span_bytes + tail)[:1]
                    if first and first[0] is not None and first[0] not in _INSERTED_BEFORE:
                        continue
                # the eaten mark is a guess among seven: counted as one more unknown
                if not two_drops and not drops:
                    yield (
                        base + tail,
                        use_trail,
                        int(lost_lead) + (rep_eaten or (lost_lead and not rep and alone)),
                    )
                if _SHOWS_LOST.get() or rep_eaten or drops is False:
                    continue
                # one undecodable pair dropped inside the span, at an odd offset of the re-aligned stream
                first = len(head) + 1 - len(head) % 2  # the first odd offset inside the span
                if not two_drops:
                    for k in range(first, len(base) + 1, 2):
                        yield base[:k] + [None, None] + base[k:] + tail, use_trail, int(lost_lead) + 1
                    continue
                if not lost_lead or len(span) < _TWO_DROPS_MIN:
                    continue
                # ... or two, in a run out of step from its trigger on (the lead before it lost) and long
                # enough to hold text on both sides of each (`;⊙芯烤颜糝&D` for 。基础研究经费占R&D: ； straddled
                # 。|基, then 基's trail with 础's lead, and 经's trail with 费's lead, dropped)
                for k in range(first, len(base) + 1, 2):
                    for j in range(k + 2, len(base) + 1, 2):
                        stream = base[:k] + [None, None] + base[k:j] + [None, None] + base[j:]
                        yield stream + tail, use_trail, int(lost_lead) + 2


def _span_bytes(span: str) -> list[int | None]:
    """The GBK bytes of a run; a U+FFFD inside it (a continued run's chain, `_CONTINUED`) is an unmappable
    pair the decoder showed: the trail of the character before it and the lead of the one after, both
    lost (`None, None`)."""
    if "\ufffd" not in span:
        return list(span.encode("gbk"))
    out: list[int | None] = []
    for k, piece in enumerate(span.split("\ufffd")):
        if k:
            out += [None, None]
        out += piece.encode("gbk")
    return out


_ENDS_AT_ASCII = re.compile(r"[\x00-\x7f]|\Z")


_AID_BEFORE = re.compile(r"[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}[)）]\Z")


def _left_of(text: str, start: int) -> str:
    """The four characters before a damaged span, as its left-hand context for the dictionary: where a
    reading aid stands right before it (the aid of the character before, `屆(jiè)�!笔】` for 屆。”省), the
    text before that aid (the aid's letters would stand in the place of the words they follow)."""
    left = text[max(0, start - 4) : start]
    if left[-1:] not in (")", "）"):
        return left
    aid = _AID_BEFORE.search(text, max(0, start - 9), start)
    if aid is None:
        return left
    return text[max(0, aid.start() - 4) : aid.start()]


_HAN_CHAR = re.compile(f"[{HAN}]")


def _after_own_aid(text: str, start: int) -> bool:
    """Whether a match at `start` that follows an aid's `)` follows a character's own aid written whole
    (`屆(jiè)`), not the rest of an aid that landed inside a character (`培?yīng)`, its `(` eaten or dropped)."""
    if text[start - 1 : start] not in (")", "）"):
        return True
    aid = _AID_BEFORE.search(text, max(0, start - 9), start)
    return aid is not None and _HAN_CHAR.match(text, aid.start() - 1) is not None and aid.start() > 0


def _qmarks_after_own_aids(text: str) -> list[re.Match]:
    return [m for m in _QMARK_AFTER_AID.finditer(text) if _after_own_aid(text, m.start())]


def _best_reading(text: str, m: re.Match, aided: frozenset[str] = frozenset(), *, by_aid: bool = True):

    trigger, span, trail = m.group("t"), m.group("s"), m.group("a") or ""
    left = _left_of(text, m.start())
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
    end = m.end()
    digit_after = False
    if trail == "\ufffd" and following is None and _QMARK_PAGE.get():
        # ... or an aid whose `(` a `?` decoder ate with that lost byte (`次?表?xiàng)目` for 次。”項目: the
        # `?` before `xiàng)` is 項's trail 97 and the aid's `(`): the edit takes the aid in
        eaten = _EATEN_AID.match(text, after)
        if eaten:
            last_reading, end = eaten.group(1), eaten.end()
            right = text[end : end + 4]
        else:
            # ... or, before the rest of a figure, most likely one of its digits: the last character is
            # chosen before a digit, among its lead's characters that make a word with the one before too
            # (署 = CA F0 in 部署 is not among CA's commonest; `巢渴?2项` for 部署42项)
            digit_after = right != (right := past_eaten_digit(text, after, right))
    # a decoder that drops what it cannot read may have dropped the run's last byte before an ASCII one
    dropped_tail = not trail and bool(_ENDS_AT_ASCII.match(text, after))
    if dropped_tail and getattr(m, "re", None) is _MARK_RUN:
        # ... the `(` of the aid of the character that byte ends (`?萍(jì)型` for 。科技型): the aid is
        # that character's reading, and the text after it is the run's right-hand context
        following = _FOLLOWING_AID.match(text, after)
        if following:
            last_reading = following.group(1)
            right = text[following.end() : following.end() + 4]
    # ... where that aid is not the run's own last character's (`月!闭驹趧(gāng)` for 月。”站在刚: 剛's trail D5,
    # orphaned by the aid's `(`, was dropped), a reading that ends on a whole character leaves the aid unexplained
    own_tail = bool(last_reading) and dropped_tail and not trail
    letter_trail = getattr(m, "re", None) in _REALIGN_PATTERNS
    # a letter-closed run's letter is its last character's trail: an aid right after it is that character's own
    # (`31家?h(xiàn)域` for 31家。縣域: ？ = A3 BF straddled 。|縣, 縣 = BF 68 with its aid after the `h`)
    letter_aid = ""
    if letter_trail and (own_aid := _FOLLOWING_AID.match(text, after)):
        letter_aid = own_aid.group(1)
    lost_shown = getattr(m, "re", None) is _LOST_MARK
    mark_eaten = getattr(m, "re", None) is _EATEN_MARK_TRAIL
    lost_pairs, before = getattr(m, "lost_pairs", 0), getattr(m, "before", None)
    if lost_pairs:
        left = m.left

    eats = trigger in _SHOWN_LOST and _QMARK_PAGE.get() and not lost_pairs
    after_words = eats and (_in_step_before(left) or _after_a_shown_mark(text, m.start()))
    # right before a figure (on the page, or a digit a `?` decoder ate): the readings are kept for the reports'
    # habit there (`_figure_reading`)
    figure_after = figures.before_digit(right)
    figure_readings: list = []
    ate_texts: set[str] = set()  # the readings of an eaten mark after text in step
    # the readings of a run in step from its first byte (no lead lost before it) with a pair dropped inside:
    # a decoder in step meets no unmappable pair, so such a reading is the mechanism's only where another
    # reading gives the same text (`_in_step_drop`)
    in_step_drops: set[str] = set()
    readings: set[str] = set()

    def scan(candidates, best):
        for stream, use_trail, unknowns in candidates:
            if letter_trail and not use_trail:
                continue  # the letter is the trail byte that brought the decoder back in step
            if lost_shown and (stream[0] is not None or stream[1:3] != list(_fullwidth(trigger) or b"")):
                continue  # the U+FFFD is the lost lead, before the replaced mark's bytes
            if mark_eaten and (stream[0] is not None or tuple(stream[1:3]) not in _EATEN_MARK_BYTES):
                # a `?` that ate nothing would have left no lead orphaned before the letter, a valid trail
                continue
            tokens = _tokens(stream, chain=bool(lost_pairs))
            if tokens is None and dropped_tail and len(stream) % 2:
                tokens, unknowns = _tokens([*stream, None], aided_last=own_tail), unknowns + 1
            if tokens is None:
                continue
            filled = _fill(
                tokens,
                left,
                (trail if not use_trail else "") + right,
                last_reading,
                stop_first=letter_trail,
                # (the text before the run whole, aids and all: whether its last character ends a word)
                stop_head=text[max(0, m.start() - 12) : m.start()] if letter_trail and not lost_pairs else "",
                # a short plain run after a half-width mark: two characters guessed together make a word too
                # easily to be set against the run's own characters
                joint=getattr(m, "re", None) is not _MARK_RUN,
                before=before,
                wide=digit_after and use_trail,
            )
            if filled is None:
                continue
            cand, guessed = filled
            cand_text = cand + ("" if use_trail else trail)
            if letter_trail and cand_text.endswith(trail):
                continue
            if own_tail and not _valid_aid(cand_text[-1:], last_reading):
                continue
            if _in_step_drop(stream):
                in_step_drops.add(cand_text)
            else:
                readings.add(cand_text)
            score = plausibility(left + cand_text + right)
            if (
                eats
                and cand_text[1:2] in _QUOTES
                and cand_text[:1] == "。"
                and stream[0] is None
                and tuple(stream[1:3]) in _EATEN_MARK_BYTES
            ):
                # a full stop before a quotation mark, the replaced ！ (A3 A1) of `。“`/`。”` eaten with the
                # full stop's lead by a `?` decoder: the mark is told by the quote it makes, not a second guess
                # (`月?闭驹趧?gāng)` is 月。”站在刚, not 月票站在刚)
                unknowns -= 1
            key = (score[0] - unknowns, score[1], score[2])
            if figure_after:
                figure_readings.append((key, cand_text, guessed, score))
            # (a `?` before a trail letter, `_EATEN_MARK_TRAIL`, ate a mark whatever reads before it: `突破?h財政` is
            # 突破。縣財政, not 突破。琱財政 - the words tie, and 有了突破 before it is not all words)
            ate = (
                (after_words or mark_eaten) and stream[0] is None and tuple(stream[1:3]) in _EATEN_MARK_BYTES
            )
            if ate:
                ate_texts.add(cand_text)
            if best is None or key > best[0]:
                best = (key, cand_text, guessed, score)
            elif (
                ate
                and key == best[0]
                and best[1] in ate_texts
                and _weight(cand_text) > _weight(best[1])
                and (not letter_trail or _common_change(cand_text, best[1]))
            ):
                # which mark a `?` ate is a guess among seven that the words often tie (和 or 煌 after 高校 for
                # `:` or `;`): the commoner characters. Before a letter (a trail byte) only where what the
                # commoner reading changes is a common character (`名?h科技` is 名。縣科技, ？ = A3 BF with 縣's
                # trail `h`, not 名。琱科技 with ，; `研究院?M博士` does not become 。縈博士: 縈 is rare)
                best = (key, cand_text, guessed, score)
            elif (
                letter_aid
                and key == best[0]
                and _valid_aid(cand_text[-1:], letter_aid)
                and not _valid_aid(best[1][-1:], letter_aid)
            ):
                # ... and among readings the words tie, the one whose last character the aid after the letter
                # is read as
                best = (key, cand_text, guessed, score)
        return best

    best = None
    plain = not (known or lost_pairs)
    candidates = _candidates(
        trigger,
        span,
        trail,
        known,
        lost_pairs,
        drops=False if plain else None,
        after_words=after_words,
        letter_closed=letter_trail,
    )
    if plain:
        # the readings that lose no pair inside the run first, then those that lose one. Where the best of
        # the first reads as ordinary words throughout and one of the second wins by a word's cover at
        # most, the character model decides between the two: two characters guessed together make a word
        # with the text around too easily (`。”数招科技局` for `。”市科技局`, a pair guessed between 市's bytes),
        # and the one character a dropped pair leaves in their place often makes none (`攻一年` for 过去一年)
        kept = best = scan(candidates, best)
        best = scan(
            _candidates(
                trigger,
                span,
                trail,
                known,
                lost_pairs,
                drops=True,
                after_words=after_words,
                letter_closed=letter_trail,
            ),
            best,
        )
        if (
            best is not kept
            and kept is not None
            and best[0][0] - kept[0][0] <= _DROP_CLOSE
            and trail not in _REDACTION_MARKS
            # (a run whose dropped tail its own aid tells: the model judges any reading without a dropped pair)
            # ... or one that reads whole with the character before it, the first of its lost lead's word
            # (`高;蚩蒲性核`: 高校或科研院所, not 高校化硫科研院所 with a pair guessed between 或's bytes: repair28)
            and (own_tail or _reads_whole(kept[1]) or _reads_whole(left[-1:] + kept[1]))
        ):
            lm_kept, lm_best = scores_between(left[-1:], [kept[1], best[1]], right[:1])
            if lm_best < lm_kept:
                best = kept
        candidates = ()
    # a dropping decoder may have lost two pairs inside a long run: those readings are tried only when the
    # best of the others still reads garbled (`_garbled`): a second guessed pair makes a word too easily in
    # a name or in text in step (`曹平` read as `产能平`)
    more = plain and not _SHOWS_LOST.get() and len(span) >= _TWO_DROPS_MIN
    while True:
        best = scan(candidates, best)
        if not more or best is None or not _garbled(best[1]):
            break
        more = False
        candidates = _candidates(
            trigger, span, trail, known, lost_pairs, two_drops=True, letter_closed=letter_trail
        )
    if best is None:
        return None
    if len(figure_readings) > 1:
        best = _figure_reading(figure_readings, best, left)
    (best_key, cand_text, guessed, score) = best
    if cand_text in in_step_drops and cand_text not in readings:
        # `,其中來自翡嶺省的` is a real comma before a place name, not 其中來自魛武嶺省的 with a pair dropped between
        # 翡's bytes: the run stands as it is
        return None
    han = sum(1 for c in cand_text if "\u3400" <= c <= "\u9fff")
    gained = score[0] - original[0]
    if known:
        # the lost byte is pinned down by the mechanism: accept any reading that is no worse
        if gained < 0:
            return None
        return cand_text, guessed, end
    if letter_trail:
        # a Latin letter glued to Chinese text after an ASCII mark is damage already: a reading that
        # makes more words (and keeps its characters known) is enough; one that also guesses a pair the
        # decoder dropped inside the run must make a word more for it (`5%,A股` is not 5%。瑤華股)
        unknowns = score[0] - best_key[0]
        # (`_PAIRS_LETTER`'s run is damage whatever it reads: its unknowns are the mark's and the pairs' bytes,
        # each counted, so a reading that makes a word more is enough)
        need = 0 if mark_eaten else 1 if getattr(m, "re", None) is _PAIRS_LETTER else max(1, unknowns)
        if gained < need or not all(map(_known_char, cand_text.replace("。", "").replace("，", ""))):
            return None
        return cand_text, guessed, end
    if gained < 3 or score[0] - plausibility(left + right)[0] < max(2, han // 2):
        return None
    if getattr(m, "re", None) is _MARK_RUN:
        # plain characters after a half-width mark are far more often text in step: the mark is taken
        # for a straddling one only when the character its lost lead completes ends the sentence (。) or
        # a common word with the text before the mark (高校 in 高:献, for 高校合作，)
        if not cand_text or not (cand_text[0] == "。" or _in_common_word(left, cand_text[0])):
            return None
        if not all(map(_known_char, cand_text.replace("。", ""))):
            return None
    return cand_text, guessed, end


def _in_step_drop(stream: list) -> bool:
    """Whether a reading's byte stream keeps its first byte (no lead lost before the run) and guesses a pair
    dropped inside it: a stream in step from its start, where a decoder meets no pair it cannot map."""
    if not stream or stream[0] is None:
        return False
    return any(a is None and b is None for a, b in zip(stream, stream[1:], strict=False))


def _weight(text: str) -> float:
    return sum(map(char_weight, text))


def _common_change(text: str, other: str) -> bool:
    """Whether the characters where `text` differs from `other` (as long) are all common ones."""
    return len(text) == len(other) and all(
        char_weight(x) >= _COMMON_CHAR_LOG for x, y in zip(text, other, strict=True) if x != y
    )


def _in_step_before(left: str) -> bool:
    """Whether the text before a trigger reads in step: nothing suspicious in it, and its Han characters (at
    least two) covered by words all but one."""
    if _SUSPICIOUS_RE.search(left):
        return False
    han = "".join(c for c in left if _HAN_CHAR.match(c))
    return len(han) >= 2 and plausibility(han)[0] >= len(han) - 1


_AIDS_OUT = re.compile(r"[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}[)）]")
_MARKS_SHOWN = frozenset(",;:，、；：")
# ASCII bytes no GBK character ends in (trail bytes are 40-FE): the decoder reads them as they are, in step, so the
# character after one is read in step too (`263家?萍夹` for 263家。科技型, ？ = A3 BF over 。|科 eaten by the `?`)
_IN_STEP_AFTER = frozenset("0123456789%")


def _after_a_shown_mark(text: str, start: int) -> bool:
    """Whether a trigger on a `?` decoder's page follows one ordinary character right after a mark the page
    shows, itself after text (aids out): the decoder was in step there. It shows an ASCII mark only when it
    reaches the mark in step (an orphaned lead before it takes it along as `?`), so the mark is a real one, not
    one straddling two characters, and the byte after it a lead (`億(yì),高?涂` for 億，高校和科研: one character
    after the comma gives `_in_step_before` no words to tell it by). One character right after a digit or `%` is
    in step too: no GBK character ends in such a byte, the decoder reads it as it is."""
    before = _AIDS_OUT.sub("", text[max(0, start - 16) : start])
    if len(before) < 3:
        return False
    prev, mark, ch = before[-3:]
    if (
        mark in _IN_STEP_AFTER
        and bool(_HAN_CHAR.match(ch))
        and not _SUSPICIOUS_RE.match(ch)
        and _known_char(ch)
    ):
        return True
    return (
        mark in _MARKS_SHOWN
        and bool(_HAN_CHAR.match(ch))
        and not _SUSPICIOUS_RE.match(ch)
        and _known_char(ch)
        and (
            bool(_HAN_CHAR.match(prev)) and not _SUSPICIOUS_RE.match(prev) or prev.isdigit() or prev in "%,，"
        )
    )


def _figure_reading(readings: list, best: tuple, left: str) -> tuple:
    """Among a run's readings right before a figure, the one that ends in what the reports write there far more
    often than the best does (`figures.choose_text`: 合计 before 1.25亿, not 合金)."""
    texts = [r[1] for r in readings]
    pick = texts.index(best[1])
    return readings[figures.choose_text(left, texts, [r[0][0] for r in readings], pick)]


def _reading(text: str, m, aided: frozenset[str]):
    """(end, repaired, guessed) of a damaged span, or None. For an aid inside a character, the reading
    the aid pins down; only where that makes a character the dictionary never saw, one with any lost
    lead (ranked by the dictionary) that reads at least as well."""
    if getattr(m, "ordinary", False):
        return _ordinary_reading(text, m, aided)
    by_aid = _aid_reading(text, m, aided) if len(m.group("t")) > 1 else None
    if by_aid is not None and all(map(_known_char, by_aid[1])):
        return by_aid
    if by_aid is None and len(m.group("t")) > 1 and _known_leads(text, m.start(), m.group("t"), aided):
        return None  # the aid pins the lost lead and no reading with it is better than the text
    general = _best_reading(text, m, aided, by_aid=False)
    general = general and (general[2], general[0], general[1])
    if by_aid is None or general is None:
        return by_aid or general

    def key(r):
        end, cand, _g = r
        tail = text[end : max(by_aid[0], general[0]) + 4]
        return plausibility(text[max(0, m.start() - 4) : m.start()] + cand + tail)

    return general if key(general) >= key(by_aid) else by_aid


# the replaced marks after which a garbled span is read on through its own characters' aids
_MARKS_READ_ON = frozenset(",;:!")
# the run after such an aid, up to the ASCII byte that brought the decoder back in step
_RUN_ON = re.compile(
    rf"(?P<s>[^\x00-\x7f\s\ufffd]{{1,24}})(?P<a>[@-~](?=[{HAN_OR_PUNCT}(（,\d\s]|\Z)|\ufffd)?"
)


class _ReadOn:
    """A trigger match read on through the reading aid of its span's last character: group s holds both
    runs without the aid, the match ends where the second run does."""

    __slots__ = ("_m", "_s", "_a", "_end", "re")

    def __init__(self, m, s: str, a: str | None, end: int):
        self._m, self._s, self._a, self._end, self.re = m, s, a, end, m.re

    def start(self) -> int:
        return self._m.start()

    def end(self) -> int:
        return self._end

    def group(self, name):
        if name == "s":
            return self._s
        if name == "a":
            return self._a
        return self._m.group(name)


def _through_own_aid(text: str, m):
    """The trigger match `m` read on through the aid after its span (one aid)."""

    aid = _FOLLOWING_AID.match(text, m.end())
    more = _RUN_ON.match(text, aid.end()) if aid is not None else None
    if more is None:
        return None
    return _ReadOn(m, m.group("s") + more.group("s"), more.group("a"), more.end())


# how much better (words covered) the re-read run after an aid that reads as the character before it must read
# than the run as it stands with the aid taken as that character's
_ORDINARY_GAIN = 3
_PINYIN_LEFT = re.compile(rf"[{HAN}][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]|[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü][{HAN}]")


def _ordinary_reading(text: str, m, aided: frozenset[str]):
    """The aid reading of an aid that is also the reading of the character before it, when the run after
    it reads clearly better re-read, with characters the dictionary knows; else None (the aid is that
    character's, the reading-aid step's)."""

    shown = m.start() + len(m.group("t"))
    if text[shown : shown + 1] in _SHOWN_LOST and _lead_reread(text, shown):
        # a lost byte shown right after the aid: an aid inside a character would have orphaned that
        # character's lead before its `(` (`屆(jiè)?笔】` is 屆。”省: the `?` is 。's lead with the ！ it ate)
        # ... where a re-reading of that lost lead is looked for; where none is (`公里(lǐ)?必撠熑?rén)說`, no
        # letter closes the run), the aid's reading is still weighed, rather than leaving the run garbled
        return None
    # the character before carries this aid as its own: it is not evidence of the site's list
    found = _aid_reading(text, m, aided - {text[m.start() - 1]})
    if found is None or not all(map(_known_char, found[1])) or _PINYIN_LEFT.search(found[1]):
        # (nor one that leaves a pinyin letter glued to Chinese text, a piece of an aid read as a byte:
        # `驗(yàn)室是岑峴縣首個實(shí)驗` read as `国际要质轻瘝s县首个實驗`)
        return None
    end, repaired, _guessed = found
    left, right = text[max(0, m.start() - 4) : m.start()], text[end : end + 4]
    # (the run as it stands read with its own characters' aids taken out, as the re-read run is: `驗(yàn)室是
    # 漪峴省首批省實(shí)驗(yàn)室之一` with a rare name after the first aid is not out of step)
    as_is = plausibility(left + _without_own_aids(text[m.start() + len(m.group("t")) : end]) + right)[0]
    return found if plausibility(left + repaired + right)[0] >= as_is + _ORDINARY_GAIN else None


def _lead_reread(text: str, pos: int) -> bool:
    """Whether a lost lead shown at `pos`, right after an aid, opens a run a re-reading pattern looks at
    (`_QMARK_AFTER_AID`, `_LOST_MARK`, `_EATEN_MARK_TRAIL`, `_AFTER_FIGURE`)."""
    if _QMARK_AFTER_AID.match(text, pos) or _LOST_MARK.match(text, pos) or _EATEN_MARK_TRAIL.match(text, pos):
        return True
    # (a `?` of that shape whose run is a single character is read as U+FFFD, `_find_edits_shown`: `規(guī)?唾|量`
    # for 規模和質量 is still a lost lead after the aid, not an aid inside 規)
    probe = text[max(0, pos - 12) : pos] + "?" + text[pos + 1 : pos + 240]
    if _QMARK_AFTER_AID.match(probe, min(pos, 12)):
        return True
    after = _AFTER_FIGURE.match(text, pos) if _QMARK_PAGE.get() else None
    return after is not None and _SUSPICIOUS_RE.search(after.group("s")) is not None


# A reading aid inside a re-read run: the site inserted it after two bytes that, read out of step, spell a
# character with that reading (`�!避(bì)脐栆…髽I` for 。”芷陽…企業: B1 DC read as 避 got its aid). The
# aid is taken out before the run's bytes are re-read (`_AidsInSpan`).
_SPAN_AID = r"[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}[)）]"
_SPAN_AID_RE = re.compile(rf"(?<=[^\x00-\x7f\s])({_SPAN_AID})")


class _AidsInSpan:
    """A realign match whose run held reading aids of its out-of-step characters: the same match with
    the aids taken out of group s (its start, end and pattern unchanged)."""

    __slots__ = ("_m", "_s", "re")

    def __init__(self, m: re.Match, s: str):
        self._m, self._s, self.re = m, s, m.re

    def start(self) -> int:
        return self._m.start()

    def end(self) -> int:
        return self._m.end()

    def group(self, name):
        return self._s if name == "s" else self._m.group(name)


def _without_span_aids(m):
    """The match with its run's aids taken out, or None when an aid is not a reading of the character
    before it (then it is not the site's aid of an out-of-step character)."""
    span = m.group("s")
    if "(" not in span and "（" not in span:
        return m

    parts = _SPAN_AID_RE.split(span)
    kept = [parts[0]]
    for i in range(1, len(parts), 2):
        if not kept[-1] or not _valid_aid(kept[-1][-1], parts[i][1:-1]):
            return None
        kept.append(parts[i + 1])
    return _AidsInSpan(m, "".join(kept))


# An ASCII mark after Chinese text (a percent sign, or a closing ” — `過半”,F將`: repair28 — or ’ — `‘紅娘’!闭f` for
# ‘红娘’。”說, ！ = A3 A1 straddled 。|”: repair34), then a run of non-ASCII characters (maybe none)
# closed by a single Latin letter or symbol glued to the Chinese text after it: the letter is a GBK trail
# byte (離 = EB 78 reads `x`), the mark replaced a full-width one whose bytes straddled two characters
# (`。現` = A1 A3 AC 46 with ， = A3 AC replaced by `,` reads `,F`). The run needs no rare character. A comma
# may stand before the mark (`家,,F將`: the site's comma before 。, `_AFTER_TEXT`); so before `_LOST_MARK`'s
# and `_EATEN_MARK_TRAIL`'s shown lead (`家,�,F將`, `家,?F將`), and before a broken `?` (`_BROKEN_QMARK`).
_LETTER_TRAIL = re.compile(
    rf"(?P<t>[,;:!?()])(?:(?<=[{HAN}%”’].)|(?<={_AID_CLOSE}[,;:!])|(?<=[{HAN}%],[,;:!?]))(?P<s>(?:[^\x00-\x7f\s\ufffd]|{_SPAN_AID}){{0,24}}?)"
    rf"(?P<a>[A-Za-z@\[\]^_`{{|}}~])(?=[{HAN}“”、，。；：,;:!?]|[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü])"
)

# The same with a `?` right after the reading aid of the character before it (`屆(jiè)?笔】萍紡d` for 屆。”省科技廳
# under the `?` decoder: ！ = A3 A1 straddled 。|”, and 。's lead, orphaned by the `!`, took it along). Only after
# a character's own aid, written whole (`屆(jiè)`): after an aid that landed inside a character the `(` is
# gone (`培?yīng)?萍`) and the `?` after it is that character's trail with the next lead, an unmapped pair.
_QMARK_AFTER_AID = re.compile(
    rf"(?P<t>\?)(?<={_AID_CLOSE}\?)(?P<s>(?:[^\x00-\x7f\s\ufffd]|{_SPAN_AID}){{0,24}}?)"
    rf"(?P<a>[A-Za-z@\[\]^_`{{|}}~])(?=[{HAN}“”、，。；：,;:!?]|[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü])"
)


# The same with the orphaned lead byte shown (U+FFFD) before the ASCII mark (`高�:献�` for 高校合作: ：'s
# bytes A3 BA straddled 校|合), the run closed by a letter or by another U+FFFD (a lead orphaned by the
# ASCII byte after it). The match starts at the shown lead byte.
_LOST_MARK = re.compile(
    rf"\ufffd(?:(?<=[{HAN}%”）》]\ufffd)|(?<=[{HAN}%”）》],\ufffd)|(?<={_AID_CLOSE}\ufffd))(?P<t>[,;:!?])(?P<s>(?:[^\x00-\x7f\s\ufffd]|{_SPAN_AID}){{0,24}}?)"
    rf"(?P<a>[A-Za-z@\[\]^_`{{|}}~](?=[{HAN}“”、，。；：,;:!?]|[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü])|\ufffd)"
)
# On a page of the `?` decoder, the same with the mark eaten: the `?` (read as U+FFFD) of the orphaned lead
# (after Chinese text, or after a character's own aid written whole, `個(gè)?F將`: repair28)
# took the replaced mark along, and the letter right after it (or after one character) is the trail that
# brought the decoder back in step (`驗收?F將` for 验收。現將: ， = A3 AC straddled 。|現, 現 = AC 46; the `?` is
# 。's A1 with the comma). Which of the seven marks was eaten is one more guess (`_candidates`).
_EATEN_MARK_TRAIL = re.compile(
    rf"(?P<t>\ufffd)(?:(?<=[{HAN}%”）》]\ufffd)|(?<=[{HAN}%”）》],\ufffd)|(?<={_AID_CLOSE}\ufffd))(?P<s>[^\x00-\x7f\s\ufffd]?)"
    rf"(?P<a>[A-Za-z@\[\]^_`{{|}}~])(?=[{HAN}“”、，。；：]|[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü])"
)
# ... and with one or two unmappable pairs shown between the `?` and the letter (`長13.0%??A研究` for 長13.0%。基礎研究:
# ； = A3 BB straddled 。|基, the `?` is 。's lead with the `;` it ate, the next `?` 基's trail F9 with 礎's lead B5,
# and 礎's trail 41 the letter): read as `_PAIRS_RUN`'s lost pairs with nothing between them and the letter
_PAIRS_LETTER = re.compile(
    rf"(?P<t>\ufffd)(?:(?<=[{HAN}%]\ufffd)|(?<={_AID_CLOSE}\ufffd))(?P<p>\ufffd{{1,{_CONTINUED_PAIRS_MAX}}})(?P<s>)"
    rf"(?P<a>[A-Za-z@\[\]^_`{{|}}~])(?=[{HAN}“”、，。；：]|[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü])"
)
_REALIGN_PATTERNS = (_LETTER_TRAIL, _QMARK_AFTER_AID, _LOST_MARK, _EATEN_MARK_TRAIL, _PAIRS_LETTER)
# (each of these patterns opens on its first character, the lookbehinds after it: the regex engine then skips
# to the places that character stands, not trying the lookbehinds at each place of the page)
_QMARKS_LETTER = re.compile(
    rf"[?\ufffd](?:(?<=[{HAN}%][?\ufffd])|(?<={_AID_CLOSE}[?\ufffd]))\?{{1,{_CONTINUED_PAIRS_MAX}}}(?=[A-Za-z@\[\]^_`{{|}}~][{HAN}“”、，。；：(（])"
)

# _LETTER_TRAIL's closing letter (group a with its lookahead) and its opening mark (group t with its
# lookbehind); a match's letter stands at most _LETTER_TRAIL_REACH after its mark (the mark, then at most 24
# characters or aids of at most 9 characters each)
_LETTER_TRAIL_END = re.compile(
    rf"[A-Za-z@\[\]^_`{{|}}~](?=[{HAN}“”、，。；：,;:!?]|[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü])"
)
# (and what the run can start with: a character of the run, an aid's `(`, or the closing letter itself, which
# `_letter_trail_matches` searches up to: a mark before an aid's letters, `字(zì)`, opens none)
_LETTER_TRAIL_START = re.compile(
    rf"[,;:!?()](?:(?<=[{HAN}%”’].)|(?<={_AID_CLOSE}[,;:!])|(?<=[{HAN}%],[,;:!?]))(?=[^\x00-\x7f\s\ufffd]|\(|[A-Za-z@\[\]^_`{{|}}~]\Z)"
)
_LETTER_TRAIL_REACH = 1 + 24 * 9


# what joins the letters of a lettered series (`A、B类`, `A至C级`)
_LABEL_JOIN = frozenset("、和与與及至或")
_ASCII_MARKS = frozenset(",;:!?()")


def _letter_label(text: str, m) -> bool:
    """Whether a `_LETTER_TRAIL` match with nothing between its mark and its capital letter is a mark before
    a lettered label (`15家,B类31家`, `挂钩,A、B类`), not a replaced mark whose bytes straddled two characters
    (`。現` read `,F`): the letter is joined to another capital by 、/和/至..., the character after it ends the
    clause before the mark (`两类,B类`), or another capital stands before the same character elsewhere on the
    page (`A类`, `C类`) - or the same letter, not after an ASCII mark. A trail byte read as a letter does not
    repeat a series."""
    letter = m.group("a")
    if m.group("s") or not ("A" <= letter <= "Z"):
        return False
    at = m.end() - 1
    nxt = text[at + 1 : at + 2]
    if nxt in _LABEL_JOIN and "A" <= text[at + 2 : at + 3] <= "Z":
        return True
    if not ("\u4e00" <= nxt <= "\u9fff"):
        return False  # (`;A(chǔ)研究`: the letter is 礎's trail, the aid is 礎's)
    if text[m.start() - 1 : m.start()] == nxt:
        # the clause before the mark ends on the word the label names (`分为两类,B类企业`, `分两级,A级`): the
        # series' classes counted, then named (a trail byte read as a letter does not repeat the character
        # before its mark; repair37)
        return True
    q = text.find(nxt, 1)
    while q > 0:
        other = text[q - 1]
        if (
            q - 1 != at
            and "A" <= other <= "Z"
            and (other != letter or text[q - 2 : q - 1] not in _ASCII_MARKS)
        ):
            return True
        q = text.find(nxt, q + 1)
    return False


def _matches_from(pattern: re.Pattern, text: str, starts: list[int]) -> list[re.Match]:
    """`pattern`'s matches at the candidate `starts` (ascending), each from the first start at or after the last
    match's end: what `finditer` finds when the pattern can match only at a candidate start."""
    out = []
    last_end = 0
    match = pattern.match
    for start in starts:
        if start < last_end:
            continue
        m = match(text, start)
        if m is not None:
            out.append(m)
            last_end = m.end()
    return out


def _letter_trail_matches(text: str) -> list[re.Match]:
    """`list(_LETTER_TRAIL.finditer(text))`, with the pattern tried only at the marks that have a closing
    letter within reach: a page with half-width commas has thousands of marks and few such letters, and the
    pattern's lazy run is tried up to 24 steps at each mark. The same matches: finditer's next match is the
    first place at or after the last match's end where the pattern matches, and it can match only there."""
    ends = [m.start() for m in _LETTER_TRAIL_END.finditer(text)]
    if not ends:
        return []
    starts: list[int] = []
    covered = 0
    for e in ends:
        # (searched up to the letter's end: a mark right before it is one, the letter standing at the end)
        starts.extend(
            m.start()
            for m in _LETTER_TRAIL_START.finditer(text, max(covered, e - _LETTER_TRAIL_REACH), e + 1)
        )
        covered = e
    return _matches_from(_LETTER_TRAIL, text, starts)


# An ASCII mark after Chinese text (or a percent sign) and a short run of characters, none of them rare,
# up to an ASCII byte: a full-width mark replaced by an ASCII one whose bytes straddled two characters
# (`高:献,` for 高校合作，: ： = A3 BA straddled 校|合; the decoder dropped 校's lead and 作's trail). Such a
# run reads as plain characters, so only a reading that makes clearly more words is taken (the ranking
# of the general trigger); a longer run holds a rare character and is the general trigger's. Before a digit only a
# run of two characters or more (`高:涂蒲性核57家` for 高校和科研院所57家, 所's trail lost before the `5`): one character
# there is plain text after a real mark (`分;有2個`).
_MARK_RUN = re.compile(
    rf"(?P<t>[,;:!?])(?:(?<=[{HAN}%].)|(?<={_AID_CLOSE}[,;:!]))(?P<s>[^\x00-\x7f\s\ufffd]{{1,6}}?)(?P<a>)(?=[\x00-\x2f\x3a-\x7f\ufffd]|\Z|\d(?<=[^\x00-\x7f\s\ufffd]{{2}}\d))"
)


# On a page of the `?` decoder: a `?` (read as U+FFFD) after a percent sign or an aid's closing parenthesis,
# before a garbled run - a lost lead and the replaced mark it ate, the run after it out of step (`%?萍夹椭行∑笠`
# for %。科技型中小企业: ？ = A3 BF straddled 。|科). After Chinese text the general trigger finds these.
_AFTER_FIGURE = re.compile(
    rf"(?P<t>\ufffd)(?<=[%)）]\ufffd)(?P<s>[^\x00-\x7f\s\ufffd]{{2,24}})"
    rf"(?P<a>[@-~](?=[{HAN_OR_PUNCT}(（,\d\s]|\Z)|\ufffd)?"
)


# On a page of the `?` decoder: a `?` after Chinese text, then one or two more, then a garbled run: the
# first a lost lead with the replaced mark it ate, the others unmappable pairs out of step (`明显??构丶` for
# 明显。开展关键: ？ = A3 BF straddled 。|开, then AA D5, 开's trail and 展's lead). Re-read with
# `_LostPairs` (the plain trigger's span cannot hold a `?`).
_PAIRS_RUN = re.compile(
    rf"(?P<t>\ufffd)(?<=[{HAN}]\ufffd)(?P<p>\ufffd{{1,{_CONTINUED_PAIRS_MAX}}})(?P<s>[^\x00-\x7f\s\ufffd]{{1,24}})"
    rf"(?P<a>[@-~](?=[{HAN_OR_PUNCT}(（,\d\s]|\Z)|\ufffd)?"
)


def _trigger_matches(text: str) -> list:
    """The suspicious-span matches and the letter-trail ones (`_LETTER_TRAIL`, `_LOST_MARK`), by start;
    at one start the letter-trail ones are tried first. Of the `_MARK_RUN` matches only those whose mark and
    first character pass `_MARK_RUN_OPENS` (the others, hundreds on a page with half-width commas, would be
    passed over: they count only as damaged spans for `_names_in_step`, `_Damaged`)."""
    found = _suspicious_matches(text)
    if _QMARK_PAGE.get() and "\ufffd" in text:
        found = sorted(
            found + [m for m in _AFTER_FIGURE.finditer(text) if _SUSPICIOUS_RE.search(m.group("s"))],
            key=_START,
        )
        if "\ufffd\ufffd" in text:
            pairs = [
                _LostPairs(m, m.start(), len(m.group("p")), None, text[max(0, m.start() - 4) : m.start()])
                for m in _PAIRS_RUN.finditer(text)
                if _SUSPICIOUS_RE.search(m.group("s"))
            ]
            pairs += [
                _LostPairs(m, m.start(), len(m.group("p")), None, text[max(0, m.start() - 4) : m.start()])
                for m in _PAIRS_LETTER.finditer(text)
                if _after_own_aid(text, m.start())
            ]
            if pairs:
                found = sorted(found + pairs, key=_START)
    trail = _letter_trail_matches(text) if _ASCII_LETTER.search(text) else []
    if "?" in text:
        trail += _qmarks_after_own_aids(text)
    if "\ufffd" in text:
        trail += (m for m in _LOST_MARK.finditer(text) if _after_own_aid(text, m.start()))
        if _QMARK_PAGE.get():
            # (after an aid, only the letter right after the `?`: with a character between, `規(guī)?唾|量` for
            # 規模和質量, which mark was eaten - 和 or 煌 - is a choice the words do not make, left marked)
            trail += (
                m
                for m in _EATEN_MARK_TRAIL.finditer(text)
                if _after_own_aid(text, m.start())
                and (not m.group("s") or text[m.start() - 1 : m.start()] not in (")", "）"))
            )
    trail = [w for w in map(_without_span_aids, trail) if w is not None]
    maybe = _mark_run_maybe()
    if maybe is not None:
        opens = _MARK_RUN_OPENS
        match = _MARK_RUN.match
        # (the span starts right after the one-character mark; the match is made again with `_MARK_RUN`
        # itself, which the repair tells mark runs by)
        trail += [
            match(text, run.start())
            for run in maybe.finditer(text)
            if opens[text[run.start() : run.start() + 2]]
        ]
    if not trail:
        return found
    return sorted(trail + found, key=_START)


@functools.cache
def _mark_run_maybe() -> re.Pattern[str] | None:
    """`_MARK_RUN` for the marks whose second byte makes a common character with some byte after it
    (`_mark_run_opens`; a run's first character is not ASCII, so its GBK bytes start at 0x80 or above; the
    others' runs never open: the comma's AC leads no common character with such a byte), or None. The runs
    it finds are those of `_MARK_RUN` with such a mark: the rest of the pattern is the same, and a run
    holds no mark inside to start another."""

    marks = ""
    for mark in ",;:!?":
        second = _fullwidth(mark)[1]
        if any(
            (ch := _decode_pair(second, b)) and char_weight(ch) >= _COMMON_CHAR_LOG
            for b in range(0x80, 0x100)
        ):
            marks += mark
    if not marks:
        return None
    return re.compile(_MARK_RUN.pattern.replace("(?P<t>[,;:!?])", f"(?P<t>[{re.escape(marks)}])", 1))


def _idle_mark_runs(text: str) -> list:
    """The `_MARK_RUN` matches whose mark and first character fail `_MARK_RUN_OPENS`."""
    opens = _MARK_RUN_OPENS
    return [run for run in _MARK_RUN.finditer(text) if not opens[text[run.start() : run.start() + 2]]]


class _Damaged:
    """The spans `_names_in_step` looks outside: the matches given, and the mark runs that cannot open a
    re-reading (`_idle_mark_runs`). Iterating gives both (the idle runs found then, over the whole page);
    `covers` looks for an idle run only next to the offset it is asked about."""

    __slots__ = ("_spans", "_text", "_starts", "_reach")

    def __init__(self, matches: list, text: str):
        self._spans, self._text = matches, text
        self._starts = self._reach = None

    def __iter__(self):
        return iter(self._spans + _idle_mark_runs(self._text))

    def covers(self, q: int) -> bool:
        """`any(o.start() <= q < o.end() for o in self)`: the matches given by bisection (their starts in
        order and the furthest end of those up to each, made on the first question), the idle mark runs by
        trying `_MARK_RUN` at the marks up to `_MARK_RUN_LONGEST` before `q`. Those are all of
        `_MARK_RUN.finditer`'s matches that can hold `q`: a run holds no ASCII character after its mark, so
        no match starts inside another and finditer finds a match at every place the pattern matches (a
        page's idle runs are not all found for the few offsets asked)."""
        if self._starts is None:
            spans = sorted((o.start(), o.end()) for o in self._spans)
            self._starts = [s for s, _e in spans]
            self._reach = list(accumulate((e for _s, e in spans), max))
        k = bisect_right(self._starts, q)
        if k > 0 and self._reach[k - 1] > q:
            return True
        text, match, opens = self._text, _MARK_RUN.match, _MARK_RUN_OPENS
        for mark in _MARK_RUN_MARK.finditer(text, max(0, q - _MARK_RUN_LONGEST), q + 1):
            p = mark.start()
            run = match(text, p)
            if run is not None and run.end() > q and not opens[text[p : p + 2]]:
                return True
        return False


# a `_MARK_RUN` match's mark, and how far after it the match can end (the mark and at most six characters)
_MARK_RUN_MARK = re.compile("[,;:!?]")
_MARK_RUN_LONGEST = 6


_START = methodcaller("start")
_ASCII_LETTER = re.compile(r"[A-Za-z@\[\]^_`{|}~](?=[\u4e00-\u9fff“”、，。；：(（])")


def _suspicious_matches(text: str) -> list:
    """The matches of _TRIGGER worth a look: U+FFFD as the trigger, or a suspicious character in the
    span (t+s holds one exactly then: ASCII marks are not suspicious). Half-width commas in Chinese
    text match the pattern about ten times per KB and are almost never damage.

    _KEPT_TRIGGER finds exactly those with the test folded in (a lookahead), so the commas cost no
    Python-level step. It is the plain scan (search from the last match's end, keep or drop the match;
    a dropped match whose closing byte `a` can open a match resumes at that byte: `,高�⒖蒲性核�`, the
    plain `,高` does not take the U+FFFD that opens the garbled run) without the dropped matches: those
    hold no trigger inside (their span is neither ASCII nor U+FFFD) and give up the only one at their end,
    so the plain scan skips no place a kept match can start that finditer does not skip too
    (`test_suspicious_matches_are_the_plain_scans` keeps the plain scan to compare).

    `_KEPT_TRIGGER.finditer(text)` tried only where it can match: at U+FFFD, or at a trigger character
    with a suspicious one (`_KEPT_SUSPICIOUS`) at most 24 characters after it (the lookahead's run); a page
    has thousands of half-width marks and aid parentheses and few suspicious characters. The same matches:
    finditer's next match is the first place at or after the last match's end where the pattern matches,
    and it can match only there (`test_suspicious_matches_are_the_kept_triggers`)."""
    places = [m.start() for m in _KEPT_SUSPICIOUS.finditer(text)]
    starts: list[int] = []
    covered = 0
    for q in places:
        starts.extend(m.start() for m in _TRIGGER_CHAR.finditer(text, max(covered, q - _KEPT_REACH), q))
        covered = q
    if "\ufffd" in text:
        starts = sorted({*starts, *(m.start() for m in _LOST_BYTE.finditer(text))})
    return _matches_from(_KEPT_TRIGGER, text, starts)


# Characters that signal misaligned decoding (charsets.SUSPICIOUS and the private use area), as one
# character class: a C-level search replaces a Python loop over each candidate span.
_SUSPICIOUS_RE = re.compile("[" + "".join(re.escape(c) for c in sorted(SUSPICIOUS)) + "\ue000-\uf8ff]")
# The suspicious characters a span can hold (a span has no space or U+FFFD).
_SPAN_SUSPICIOUS = "".join(re.escape(c) for c in sorted(SUSPICIOUS) if not c.isspace() and c != "\ufffd")
# (the lookahead's run is possessive over the characters that are not suspicious: the first suspicious one
# within 24 is found with one class test a character, not a scan to the run's end and back)
_KEPT_TRIGGER = re.compile(
    rf"(?P<t>[!-/:-@\[-`{{-~\ufffd](?:(?<=\ufffd)|{_AFTER_TEXT}(?=[^\x00-\x7f\s\ufffd{_SPAN_SUSPICIOUS}\ue000-\uf8ff]{{0,23}}+[{_SPAN_SUSPICIOUS}\ue000-\uf8ff])))"
    + _TRIGGER.pattern.split("(?P<t>[!-/:-@\\[-`{-~\\ufffd])", 1)[1]
)

# the places `_KEPT_TRIGGER` can match near (its lookahead's suspicious character), its first character, and
# how far before the suspicious character that can stand (the lookahead's run is at most 23 characters)
_KEPT_SUSPICIOUS = re.compile(rf"[{_SPAN_SUSPICIOUS}\ue000-\uf8ff]")
_TRIGGER_CHAR = re.compile(r"[!-/:-@\[-`{-~\ufffd]")
_KEPT_REACH = 24
_LOST_BYTE = re.compile("\ufffd")


# A `?` where the page's decoder put one for a byte it could not read (some sites' decoders write `?`
# instead of U+FFFD): next to a character that is not ASCII (or a reading aid's parenthesis) on either
# side. A real half-width question mark follows a sentence and is read as one by the punctuation step.
_BROKEN_QMARK = re.compile(
    r"\?(?:(?<=[^\x00-\x7f\s]\?)|(?<=[^\x00-\x7f\s],\?)|(?<=[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü][)）]\?)|(?=[^\x00-\x7f\s(（]|[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]))"
)


def find_edits(text: str) -> list[Edit]:
    """Repairs of misaligned GBK spans, and uncertain markers around undecodable bytes.

    A `?` that stands for an unreadable byte (`_BROKEN_QMARK`) is read as U+FFFD: the same repair, and
    where nothing explains it, it is marked uncertain only next to other damage (a suspicious character
    or an aid after it), since a real question mark looks the same."""
    token = _SHOWS_LOST.set("\ufffd" in text)
    rare = OWN_RARE.set(page_rare(text))
    script = PAGE_SCRIPT.set(_PageScript(text))
    ties = TIES.set({})
    guesses = GUESSED.set({})
    try:
        found = _asked(text, _find_edits_shown(text))
        if "\ufffd" in text:
            found = _shown_pairs(text, found)
        elif "?" in text:
            found = _eaten_figures(text, _eaten_years(text, found) if "年" in text else found)
            found = _mark_before_eaten(text, found)
        if ("!" in text or "??" in text) and ("“" in text or "”" in text):
            # (after the re-readings of lost bytes: one that reads exactly the bytes of 。” is replaced)
            found = _quote_marks(text, found)
        if "!" in text or "?" in text:
            # ... and a run after 。” / 。“ whose ！ bytes were replaced, out of step up to an ASCII byte (`quotes`)
            found = quote_runs(text, found)
        if "至" in text or "到" in text:
            found = _from_figure(text, found)
        if "\u3000" in text and "。" in text:
            found = _table_gaps(text, found)
        if "m?" in text:
            found = _unit_powers(text, found)
        if _NAME_TRAIL_END.search(text):
            found = _rare_names(text, found)
        return _mark_guesses(_mark_ties(text, found, TIES.get()), GUESSED.get())
    finally:
        GUESSED.reset(guesses)
        TIES.reset(ties)
        PAGE_SCRIPT.reset(script)
        OWN_RARE.reset(rare)
        _SHOWS_LOST.reset(token)


# A replaced mark whose bytes straddled 。 and a rare character (a place name's), that character's trail byte an
# ASCII letter: `项,M州` for 项。琈州 (， = A3 AC straddled 。|琈, 琈 = AC 4D; the dropping decoder lost 。's lead A1,
# orphaned by the `,`), `项,寷I省` for 项。瑢汭省 (瑢 = AC 8C, 汭 = 9B 49), `项�,M州` where the decoder shows the lead;
# after a figure, a closing mark or a reading aid too (`項(xiàng),寷I省`).
# The letter glued to Chinese text is damage; the bytes after the mark's first give one reading, but its
# characters are rare, so the letter-closed re-reading (which keeps only known characters) refuses it or guesses a
# pair dropped inside the run instead (`瑯满州`). Taken where the character after the letter is a region's (省 市 县
# 区 州), or a rare one before it: the name is marked uncertain unless the page writes it elsewhere (its own word).
# The lost character is 。 unless a commoner one with the trail A3 makes a word with the text before. Not after `?`:
# on a `?` decoder's page that is the lost lead, which ate the mark (`项?M州`; which mark is one more guess).
_NAME_TRAIL = re.compile(
    rf"(?:(?<=[{HAN}%0-9）”])|(?<={_AID_CLOSE}))\ufffd?[,;:!()]"
    rf"[^\x00-\x7f\s\ufffd]{{0,3}}[@-Z\[-`a-z{{|}}~](?=[省市县縣区區州]|[{HAN}][省市县縣区區州])"
)
# (its letter and what follows: a pattern that opens on a class is searched quickly, one that opens on a lookbehind is
# tried at every place of the page; a page without such a letter is not searched for the rest)
_NAME_TRAIL_END = re.compile(rf"[@-Z\[-`a-z{{|}}~](?=[省市县縣区區州]|[{HAN}][省市县縣区區州])")
_REGION_AFTER = frozenset("省市县縣区區州")
_NAME_NOTE = "GBK 字节错位：去掉插入字节后重新对齐解码；1 个丢失字节按词典补全"


@functools.cache
def _a3_trail_chars() -> tuple[str, ...]:
    """The commonest characters whose trail byte is A3 (。 常 海 保 …), most common first."""
    found = []
    for lead in range(0x81, 0xFF):
        ch = _decode_pair(lead, 0xA3)
        if ch:
            found.append((char_weight(ch), ch))
    found.sort(reverse=True)
    return tuple(ch for _w, ch in found[:12])


def _name_reading(text: str, m: re.Match) -> tuple[str, int] | None:
    """(what a `_NAME_TRAIL` match reads as: the character whose lead was lost, then the rare name, the end of the
    page text it replaces), or None."""
    run = m.group()
    shown = run[0] == "\ufffd"
    mark, body = run[int(shown)], run[int(shown) + 1 :]
    second = _fullwidth(mark)
    try:
        data = [second[1], *body[:-1].encode("gbk"), ord(body[-1])]
    except (UnicodeEncodeError, TypeError, IndexError):
        return None
    if len(data) % 2:
        return None
    chars = []
    for k in range(0, len(data), 2):
        ch = _decode_pair(data[k], data[k + 1])
        if ch is None or not ("\u4e00" <= ch <= "\u9fff"):
            return None
        chars.append(ch)
    name, end = "".join(chars), m.end()
    nxt = text[end : end + 1]
    if nxt not in _REGION_AFTER:
        if _known_char(nxt):
            return None
        name, end = name + nxt, end + 1  # (a rare character after the letter: the name's, read in step)
    if all(map(_known_char, name)):
        return None  # (common characters: the letter-closed re-reading's to weigh)
    left = _left_of(text, m.start())[-3:]
    lost = "。"
    best = plausibility(left + lost)[0]
    for ch in _a3_trail_chars():
        score = plausibility(left + ch)[0]
        if score > best:
            lost, best = ch, score
    own = OWN_RARE.get(None)
    if own is not None and own.echo(name) > 0:
        return lost + name, end
    return lost + UNCERTAIN_OPEN + name + UNCERTAIN_CLOSE, end


def _name_trails(text: str) -> list[re.Match]:
    """`_NAME_TRAIL`'s matches, tried only where `_NAME_TRAIL_END` finds their letter (a match is at most six
    characters: a shown lead, the mark, three characters, the letter)."""
    out: list[re.Match] = []
    match = _NAME_TRAIL.match
    for end in _NAME_TRAIL_END.finditer(text):
        k = end.start()
        for start in range(max(0 if not out else out[-1].end(), k - 5), k):
            m = match(text, start)
            if m is not None and m.end() == k + 1:
                out.append(m)
                break
    return out


def _rare_names(text: str, edits: list[Edit]) -> list[Edit]:
    added, replaced = [], set()
    for m in _name_trails(text):
        found = _name_reading(text, m)
        if found is None:
            continue
        after, j = found
        i = m.start()
        inside = [k for k, e in enumerate(edits) if e.start < j and (i < e.end or e.start == e.end == i)]
        if any(edits[k].start < i or edits[k].end > j + 1 for k in inside):
            continue  # (a re-reading reaching further is left alone)
        end = max([j, *(edits[k].end for k in inside)])
        replaced.update(inside)
        added.append(Edit(STEP, i, end, text[i:end], after + text[j:end], note=_NAME_NOTE, uncertain=True))
    if not added:
        return edits
    kept = [e for k, e in enumerate(edits) if k not in replaced]
    return sorted(kept + added, key=lambda e: e.start)


# A figure's square or cubic metre: ² and ³ are not in GBK, so the page's encoder wrote `?` for them
# (`6000m?的洁净车间` for 6000m²): after a figure's m (km, cm, mm, dm) and before text that is not ASCII or a mark.
# Which power it was the clause tells where it speaks of an area (面积, 占地 …) or a volume (体积, 库容 …) alone;
# otherwise ², the commoner in reports, is put in marked. Counted uncertain either way (the page holds no byte of it).
_UNIT_POWER = re.compile(r"\?(?:(?<=[0-9]m\?)|(?<=[0-9][kcdm]m\?))(?=[^\x00-\x7f?\ufffd]|[,;:)])")
_AREA = re.compile("面积|面積|占地|佔地|用地|场地|場地|建筑|建築|平方")
_VOLUME = re.compile("体积|體積|容积|容積|库容|庫容|蓄水|立方|水量|排量|流量|气量|氣量|方量")
_CLAUSE_BACK = re.compile(r"[^。；;！!？\n]{0,40}\Z")


def _unit_powers(text: str, edits: list[Edit]) -> list[Edit]:
    """The `?` the encoder wrote for a unit's ² or ³ (`_UNIT_POWER`), put back where no edit took it."""
    added = []
    for m in _UNIT_POWER.finditer(text):
        at = m.start()
        if any(e.start <= at < e.end for e in edits):
            continue
        clause = _CLAUSE_BACK.search(text, 0, at).group()
        area, volume = _AREA.search(clause) is not None, _VOLUME.search(clause) is not None
        after = (
            "²"
            if area and not volume
            else ("³" if volume and not area else UNCERTAIN_OPEN + "²" + UNCERTAIN_CLOSE)
        )
        added.append(Edit(STEP, at, at + 1, "?", after, note=_UNREADABLE, uncertain=True))
    return sorted(edits + added, key=lambda e: e.start) if added else edits


# A table's cell gap 　 (A1 A1) before a character whose lead makes a mark with 　's trail - ” (A1 B1: 比, 表, 本),
# 、 (A1 A2) or 。 (A1 A3): a site that puts a comma before that mark puts it inside 　, whose lead then reads 。 with
# the comma's lead A3, and the comma's trail AC with 　's trail A1 is a pair no decoder maps (dropped, U+FFFD or
# `?`): `投入强度（%）。比上年增减` for 投入强度（%）　比上年增减. Such a 。 (and the comma put in before it, `（%），。?比`)
# is read back as the gap after a header cell's end (a unit in brackets, its aids aside, or a year) in a line that
# keeps another 　 past its indent (a table's) and is no sentence's (no other 。 in it, no mark at its end).
_TABLE_GAP = re.compile("[,，]?。([\ufffd?]?)(?=[^\x00-\x7f])")
_GAP_LEADS = frozenset((0xA1, 0xA2, 0xA3, 0xB1))
_SENTENCE_ENDS = ("。", "！", "？", "”", "…", "!", "?")
# a header cell's end: a unit in brackets (not a reading aid) or a year
_GAP_CELL_END = re.compile(r"(?:[（(][^()（）\sa-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,6}[)）]|[0-9]年)\Z")


def _table_gaps(text: str, edits: list[Edit]) -> list[Edit]:
    """The edits with the cell gaps a comma put inside turned into 。 read back (`_TABLE_GAP`)."""
    added = []
    for m in _TABLE_GAP.finditer(text):
        i = m.start()
        if not _GAP_CELL_END.search(_PAGE_AIDS.sub("", text[max(0, i - 40) : i])):
            continue
        try:
            lead = text[m.end()].encode("gbk")[0]
        except UnicodeEncodeError:
            continue
        # 。's lead A1 goes with 　's trail only where the comma's lead A3 stood between: the mark after was ” 、 。
        if lead not in _GAP_LEADS:
            continue
        line_start = text.rfind("\n", 0, i) + 1
        line_end = text.find("\n", i)
        line = text[line_start : line_end if line_end >= 0 else len(text)]
        if (
            "\u3000" not in line.lstrip("\u3000 ")
            or line.count("。") > 1
            or line.rstrip().endswith(_SENTENCE_ENDS)
        ):
            continue  # (a paragraph's indent is no table's, nor a byline's 　 in a line of sentences)
        added.append(
            Edit(STEP, i, m.end(), m.group(0), "\u3000", "GBK 字节错位：去掉插入的逗号字节后重新对齐解码")
        )
    if not added:
        return edits
    out = []
    for e in edits:
        for g in added:
            if e.start < g.end and g.start < e.end and not (e.start >= g.start and e.end <= g.end):
                # another reading takes in the gap's bytes and more: the gap is left to it
                added.remove(g)
                break
        else:
            if not any(g.start <= e.start and e.end <= g.end for g in added):
                out.append(e)
    return sorted(out + added, key=lambda e: e.start)


# A figure whose clause moves it to another (`3級提升至5級`, `76%提升到85%`, `由過去的平均45天壓縮到28天`): the
# character right before it is 由 in the reports (train and dev … dev21: of the characters whose GBK lead is
# D3 before such a figure, 由 58 times in 58; 于/於 = D3 DA, 与 = D3 EB, 有 = D3 D0 never).
_MOVED_TO = re.compile(
    r"[0-9][0-9.]*[^，。；,;\n]{0,12}?(?:提升|提高|增加|增长|增長|上升|下降|减少|減少|降低|缩短|縮短|压缩|壓縮|扩大|擴大"
    r"|跃升|躍升|攀升|升|降|增|减|減|缩|縮)(?:至|到)"
)
_FROM = "由"
_FROM_LEAD = 0xD3


def _from_figure(text: str, edits: list[Edit]) -> list[Edit]:
    """A re-reading that guessed its last character's lost trail right before a figure moved to another (the
    lead D3 known: `成熟(yú)扔3級提升至5級` for 成熟度由3級, 由 = D3 C9 with C9 dropped before the `3`): 由, which
    the reports write there, not the lead's commoner 于 the words and the table of what stands before a figure
    choose. Only a reading that guessed bytes (the trail of a character read from its bytes is not changed)."""
    out = []
    for e in edits:
        last = e.after[-1:]
        if (
            e.uncertain
            and last
            and last != _FROM
            and "\u4e00" <= last <= "\u9fff"
            and last.encode("gbk", errors="replace")[0] == _FROM_LEAD
            and _MOVED_TO.match(text, e.end)
        ):
            e = e._replace(after=e.after[:-1] + _FROM)
        out.append(e)
    return out


_MARK_SPAN = re.compile(
    re.escape(UNCERTAIN_OPEN) + "[^" + UNCERTAIN_CLOSE + "]*" + re.escape(UNCERTAIN_CLOSE)
)


def _mark_ties(text: str, edits: list[Edit], ties: dict) -> list[Edit]:
    """The edits with each text a choice could not decide (`gbk.TIES`: two options cover as many characters
    with words and the character model cannot tell them apart - 下一代 / 下一步 for `下一(huái)`, 代 and 步 both a
    lost trail's options after the leads the aid allows) marked uncertain where it stands in them, between the
    characters it was chosen between, with the chosen text inside the mark (`下一〔存疑：代〕`); such an edit is
    counted uncertain. Spans marked before are left as they are."""
    if not ties or not edits:
        return edits
    out = []
    for e in edits:
        after = e.after
        if not after or e.step != STEP:
            out.append(e)
            continue
        ctx = text[e.start - 1 : e.start] if e.start else ""
        base = len(ctx)
        view = (
            ctx
            + (_MARK_SPAN.sub(_blank, after) if UNCERTAIN_OPEN in after else after)
            + text[e.end : e.end + 1]
        )
        spans = []
        for left, chosen, right in ties:
            needle = left + chosen + right
            k = view.find(needle)
            while k >= 0:
                a = k + len(left) - base
                if a >= 0 and a + len(chosen) <= len(after):
                    spans.append((a, a + len(chosen)))
                k = view.find(needle, k + 1)
        if not spans:
            out.append(e)
            continue
        merged: list[list[int]] = []
        for a, b in sorted(spans):
            if merged and a < merged[-1][1]:  # (overlapping spans: one mark)
                merged[-1][1] = max(merged[-1][1], b)
            else:
                merged.append([a, b])
        parts, pos = [], 0
        for a, b in merged:
            parts += [after[pos:a], UNCERTAIN_OPEN, after[a:b], UNCERTAIN_CLOSE]
            pos = b
        parts.append(after[pos:])
        out.append(e._replace(after="".join(parts), uncertain=True))
    return out


_GUESSED_NOTE = "个丢失字节按词典补全"


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def _mark_guesses(edits: list[Edit], guesses: dict) -> list[Edit]:
    """The edits whose note says they filled lost bytes with the characters the dictionary chose, with those
    characters (`gbk.GUESSED`: where the reading that made the edit filled them) marked uncertain in the repaired
    text (`蓁阳` read `〔存疑：輪舞〕阳`): a reader sees which characters the repair guessed, not only that the run
    was re-read. Characters marked before (a tie, a name, a whole guess) are left as they are."""
    if not guesses or not edits:
        return edits
    index: dict[str, list[str]] = {}
    out = []
    for e in edits:
        if not e.uncertain or e.step != STEP or _GUESSED_NOTE not in e.note or not e.after:
            out.append(e)
            continue
        if not index:
            for key in guesses:
                index.setdefault(key[0], []).append(key)
        after = e.after
        # the repaired text with its marks read as what they hold: (character, its place in `after`, marked)
        where: list[int] = []
        marked: list[bool] = []
        pos = 0
        for m in _MARK_SPAN.finditer(after) if UNCERTAIN_OPEN in after else ():
            inner = range(m.start() + len(UNCERTAIN_OPEN), m.end() - len(UNCERTAIN_CLOSE))
            where += [*range(pos, m.start()), *inner]
            marked += [False] * (m.start() - pos) + [True] * len(inner)
            pos = m.end()
        where += range(pos, len(after))
        marked += [False] * (len(after) - pos)
        flat = "".join(after[k] for k in where)
        found = []
        for i, ch in enumerate(flat):
            for key in index.get(ch, ()):
                if flat.startswith(key, i):
                    found.append((len(key), i, key))
        found.sort(key=lambda f: (-f[0], f[1]))
        taken = [False] * len(flat)
        at: set[int] = set()
        for n, i, key in found:
            if any(taken[i : i + n]):
                continue
            for k in range(i, i + n):
                taken[k] = True
            # (Chinese characters only: a guessed mark - 。 before a replaced mark's A3, the site's comma - is
            # punctuation the later steps read, and a mark around it would hide it from them)
            at.update(i + p for p in guesses[key] if not marked[i + p] and _is_han(flat[i + p]))
        if not at:
            out.append(e)
            continue
        spots = sorted(where[k] for k in at)
        parts, pos, k = [], 0, 0
        while k < len(spots):
            j = k
            while j + 1 < len(spots) and spots[j + 1] == spots[j] + 1:
                j += 1
            a, b = spots[k], spots[j] + 1
            # an aid right after the last guessed character that is its own goes inside the mark with it (the
            # reading-aid step takes it out there; outside, it would stand after the mark as an aid misplaced)
            aid = _FOLLOWING_AID.match(after, b)
            if aid is not None and _valid_aid(after[b - 1], aid.group(1)):
                b = aid.end()
            parts += [after[pos:a], UNCERTAIN_OPEN, after[a:b], UNCERTAIN_CLOSE]
            pos, k = b, j + 1
        parts.append(after[pos:])
        out.append(e._replace(after="".join(parts)))
    return out


def _blank(m: re.Match) -> str:
    return "\x00" * len(m.group())


# A site that writes ！ as `!` also replaces the bytes A3 A1 where they straddle 。|” (A1 A3 A1 B1) or 。|“ (A1 A3
# A1 B0): 。's lead A1 and the quotation mark's trail are left beside the `!`, pairs no decoder maps, and a
# dropping decoder loses both unseen - `多收四萬來塊!` for 多收四万来块。”, `亿千瓦时!7×24小时` for 亿千瓦时。“7×24小时. The
# page reads as a ！ after Chinese text, before a line end, a figure or a redaction; where the line holds a
# quotation the `!` does not close (more “ than ” before it) it was 。”, where the rest of the line closes one
# it did not open (more ” than “ after it) it was 。“. Two bytes guessed: counted uncertain.
_QUOTE_BANG = re.compile(rf"!(?:(?<=[{HAN}]!)|(?<=[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü][)）]!))(?=\n|\Z|\*|_|\d)")


# The same bytes on the other decoders' pages: A1 before the `!` and B1 (B0) before the line end are orphaned
# leads, each a U+FFFD (`多�!�\n`), or each a `?`, the first taking the `!` along (`還勤快??\n`; before a redaction
# or a figure the second takes an ASCII byte of it along too, a case the re-readings read). A re-reading edit of
# exactly those characters (`福。`, `专科`) is replaced; one reaching further is left alone.
_QUOTE_BANG_LOST = re.compile(
    rf"\?(?:(?<=[{HAN}]\?)|(?<=[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü][)）]\?))\?(?=\n|\Z)"
    rf"|\ufffd(?:(?<=[{HAN}]\ufffd)|(?<=[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü][)）]\ufffd))!\ufffd(?=\n|\Z|\*|_|\d)"
)


def _quote_marks(text: str, edits: list[Edit]) -> list[Edit]:
    added, replaced = [], set()
    for m in (*_QUOTE_BANG.finditer(text), *_QUOTE_BANG_LOST.finditer(text)):
        i, j = m.span()
        inside = [k for k, e in enumerate(edits) if e.start < j and (i < e.end or e.start == e.end == i)]
        if any(edits[k].start != i or edits[k].end != j for k in inside):
            continue
        line_start = text.rfind("\n", 0, i) + 1
        line_end = text.find("\n", i)
        if _open_quotes(text, edits, line_start, i) > 0:
            after = "。”"
        elif _open_quotes(text, edits, j, line_end if line_end >= 0 else len(text)) < 0:
            after = "。“"
        else:
            continue
        replaced.update(inside)
        added.append(Edit(STEP, i, j, m.group(), after, note=_QUOTE_NOTE, uncertain=True))
    if not added:
        return edits
    kept = [e for k, e in enumerate(edits) if k not in replaced]
    return sorted(kept + added, key=lambda e: e.start)


def _open_quotes(text: str, edits: list[Edit], a: int, b: int) -> int:
    """“ less ” in text[a:b] as the edits inside it read it (a quotation mark a re-read run gave back counts:
    `技術!坝(yòng)了` is 技术。“用了)."""
    n = text.count("“", a, b) - text.count("”", a, b)
    for e in edits:
        if a <= e.start and e.end <= b:
            n += e.after.count("“") - e.after.count("”") - e.before.count("“") + e.before.count("”")
    return n


_QUOTE_NOTE = "GBK 字节错位：去掉插入字节后重新对齐解码；2 个丢失字节按词典补全"

_EATEN_MARKED = UNCERTAIN_OPEN + "?" + UNCERTAIN_CLOSE


def _eaten_years(text: str, edits: list[Edit]) -> list[Edit]:
    """On a `?` decoder's page, a marked lost byte right before the rest of a year (`成立于?021年`) holds that
    year's first digit where the page writes the year in full elsewhere (`figures.eaten_year_digit`): the digit
    is put in the mark, which stays."""
    out = []
    for e in edits:
        if e.after.endswith(_EATEN_MARKED) and (digit := figures.eaten_year_digit(text, e.end)) is not None:
            e = e._replace(after=e.after[: -len(_EATEN_MARKED)] + UNCERTAIN_OPEN + digit + UNCERTAIN_CLOSE)
        out.append(e)
    return out


# A question's ？ at the end of a run read out of step, right before a line end or a closing quotation mark:
# - a site that writes ASCII marks wrote `?`; the run's last trail byte was lost before it, and the re-reading
#   took the `?` for that lost byte (on a dropping page it is the mark itself, the lost byte dropped unseen; on a
#   `?` decoder's page the lost byte's `?` ate the mark) - `耸裁幢浠?` read 了什么变化, the ？ gone;
# - the full-width ？ (A3 BF) lost its trail with the run's step, and the lost trail after A3 was read as the
#   commonest mark it completes, ， (`俅耄` read 举措，: a comma does not end a paragraph).
# The sentence's own question word (什么, 吗, 哪, 如何 …, or a word said twice around 不/没: 够不够) tells the ？.
_ASKS = re.compile(
    r"什么|吗|呢|哪|怎么|怎样|如何|是否|多少|为何|为什么|何时|谁|难道|能否|可否|([一-鿿])[不没]\1"
)
_SENTENCE_START = re.compile(r"[。！？；：:;!\n“”][^。！？；：:;!\n“”]*$")
_LINE_END = re.compile(r"[\n”\"]|$")


def _asked(text: str, edits: list[Edit]) -> list[Edit]:
    out = edits
    for i, e in enumerate(edits):
        shown = (
            e.before.endswith("?")
            and e.after[-1:] not in ("?", "？", "")
            and e.after[-1:] not in _CLOSE_MARKS
        )
        lost = e.after.endswith("，") and not e.before.endswith(("，", ","))
        if not (shown or lost) or not _LINE_END.match(text, e.end):
            continue
        if not _asks_before(text, edits, i):
            continue
        if out is edits:
            out = list(edits)
        out[i] = e._replace(after=(e.after if shown else e.after[:-1]) + "？")
    return out


_CLOSE_MARKS = frozenset("。！？；，、：”")


def _asks_before(text: str, edits: list[Edit], i: int) -> bool:
    """Whether the sentence that edit i's reading ends asks (a question word since the last sentence mark, the
    edits before it applied, in simplified form)."""
    pieces, start = [edits[i].after], edits[i].start
    for e in reversed(edits[max(0, i - 4) : i]):
        if e.end <= start:
            pieces.append(text[e.end : start])
            pieces.append(e.after)
            start = e.start
    pieces.append(text[max(0, start - 40) : start])
    head = "".join(reversed(pieces))[-60:]
    m = _SENTENCE_START.search(head[:-1])
    said = head[m.start() + 1 :] if m else head
    return bool(_ASKS.search("".join(map(simplified, said))))


# a figure's rest after a `?` decoder's mark: digits or a decimal point, or a unit right after a one-digit figure
_FIGURE_REST = re.compile(r"[0-9]|\.[0-9]|[%％倍]|万|亿|萬|億")
_AID_IN_VIEW = re.compile(r"[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}[)）]")
_MARKED_IN_VIEW = re.compile(
    re.escape(UNCERTAIN_OPEN) + r"[^" + UNCERTAIN_CLOSE + r"]*" + re.escape(UNCERTAIN_CLOSE)
)


def _eaten_figures(text: str, edits: list[Edit]) -> list[Edit]:
    """On a `?` decoder's page, a marked lost byte right before a figure's rest (`企业自筹?.27亿元`) holds the
    figure's first digit where the report's own arithmetic tells it - parts adding to a stated total, a ratio, a
    share, growth against a stated base, an average (`arith.eaten_digit`, exactly one digit making a relation
    hold): the digit is put in the mark, which stays (the page counts it uncertain, as a year's digit)."""
    targets = {
        i for i, e in enumerate(edits) if e.after.endswith(_EATEN_MARKED) and _FIGURE_REST.match(text, e.end)
    }
    if not targets:
        return edits
    # the page as the mojibake step leaves it, each target's mark at a known place
    pieces, at, pos = [], {}, 0
    for i, e in enumerate(edits):
        pieces.append(text[pos : e.start])
        if i in targets:
            head = e.after[: -len(_EATEN_MARKED)]
            pieces.append(head)
            at[i] = len(pieces)
            pieces.append(_EATEN_MARKED)
        else:
            pieces.append(e.after)
        pos = e.end
    pieces.append(text[pos:])
    out = list(edits)
    for i in sorted(targets):
        view = "".join(arith.HOLE if k == at[i] else p for k, p in enumerate(pieces))
        view = _MARKED_IN_VIEW.sub("\ufffd", view).replace("?", "\ufffd")
        view = "".join(map(simplified, _AID_IN_VIEW.sub("", view)))
        found = arith.eaten_digit(view)
        if found is not None:
            e = edits[i]
            out[i] = e._replace(
                after=e.after[: -len(_EATEN_MARKED)] + UNCERTAIN_OPEN + found[0] + UNCERTAIN_CLOSE
            )
    return out


# a mark a figure's first digit stands in (eaten, or given back by the page's arithmetic or years) at an edit's end
_DIGIT_MARK_END = re.compile(re.escape(UNCERTAIN_OPEN) + r"[?？0-9]" + re.escape(UNCERTAIN_CLOSE) + r"$")
_PLAIN_HAN = re.compile(rf"[{HAN}]")
# how much commoner (the dictionary's log frequencies summed over the words, `plausibility`) the words the one taken
# makes must be than any other's of the same cover for the dictionary to decide (on the repaired `?` pages of dev …
# dev17, seeds 0-4, where the table does not speak: below 2.5 the one taken was wrong 66 times in 80, above it never)
_EATEN_BEFORE_FREQ = 2.5
_MARK_READ = re.compile(
    re.escape(UNCERTAIN_OPEN) + r"([^" + UNCERTAIN_CLOSE + r"]*)" + re.escape(UNCERTAIN_CLOSE)
)


def _mark_before_eaten(text: str, edits: list[Edit]) -> list[Edit]:
    """On a `?` decoder's page, the character a re-read run ends in right before a figure's eaten digit kept only
    its lead byte (its trail, read as a lead, is the `?` that ate the digit): of the characters that lead allows,
    the one taken is marked uncertain where the reports' habit before a figure does not speak among them
    (`figures.told`) and the dictionary's word cover does not single it out - 扩大〔存疑：地〕〔存疑：？〕.5亿元 for
    扩大到, nothing on the page to tell. (Measured on the repaired `?` pages of dev … dev17, seeds 0-4: the
    character taken was right 14 times in 80 where this marks it, 201 in 205 where it does not.)"""
    out = edits
    for i, e in enumerate(edits):
        m = _DIGIT_MARK_END.search(e.after)
        if m is None or not _FIGURE_REST.match(text, e.end):
            continue
        rest = e.after[: m.start()]
        ch = rest[-1:]
        if not ch or not _PLAIN_HAN.match(ch):
            continue
        try:
            code = ch.encode("gbk")
        except UnicodeEncodeError:
            continue
        if len(code) != 2:
            continue
        before = text[max(0, e.start - 12) : e.start] + rest[:-1]
        head = _AID_IN_VIEW.sub("", _MARK_READ.sub(r"\1", before))[-3:]
        options = (ch, *(c for c in _wide_options(("T", code[0]), head[-1:]) if c != ch))
        if figures.told(head[-2:], options):
            continue
        # ... nor where the dictionary singles it out: more of the words before it covered with the one taken than
        # with any other, or as much and its words far commoner (科技工作 before 2025年 against 工资, 工装; 扩|大地
        # and 扩大|到 cover as much, and the words' frequencies hardly differ)
        scores = plausibility_many([head + c for c in options])
        cover, _n, freq = scores[0]
        if all(s[0] < cover or (s[0] == cover and s[2] <= freq - _EATEN_BEFORE_FREQ) for s in scores[1:]):
            continue
        if out is edits:
            out = list(edits)
        out[i] = e._replace(
            after=rest[:-1] + UNCERTAIN_OPEN + ch + UNCERTAIN_CLOSE + e.after[m.start() :], uncertain=True
        )
    return out


# a measure word after a figure that closes its clause (its own reading aid aside): `?家，`, `?個(gè)。`
_COUNT_CLOSES = re.compile(r"[项項个個家名件次台套只]" + f"(?:{_SPAN_AID})?" + r"(?:[，。、；,;]|\n|\Z)")


def _find_edits_shown(text: str) -> list[Edit]:
    if "?" not in text:
        return _find_edits(text)
    # a `?` that opens a run closed by a Latin letter glued to Chinese text is a replaced ？ (A3 BF) whose
    # bytes straddled two characters (`%?萍夹椭行∑髽I` for `%。科技型中小企業`), not a lost byte
    kept = {m.start() for m in _letter_trail_matches(text) if m.group("t") == "?" and len(m.group("s")) >= 2}
    kept.update(m.start() for m in _qmarks_after_own_aids(text) if len(m.group("s")) >= 2)
    # ... and one after a shown lost lead (`標�?萍夹椭行∑髽I` for 標。科技型中小企業: ？ = A3 BF straddled 。|科)
    kept.update(
        m.start() + 1
        for m in _LOST_MARK.finditer(text)
        # (on a page whose decoder shows U+FFFD for a byte it cannot read, a `?` is never one: `%�?h內` for
        # %。縣內, ？ = A3 BF straddled 。|縣 and 縣's trail is the ASCII h)
        if m.group("t") == "?"
        and (len(m.group("s")) >= 2 or "\ufffd" in text)
        and _after_own_aid(text, m.start())
    )
    if kept:
        work = _BROKEN_QMARK.sub(lambda q: "?" if q.start() in kept else "\ufffd", text)
    else:
        work = _BROKEN_QMARK.sub("\ufffd", text)
    if "??" in text and "\ufffd" not in text:
        # `??` (or `???`) after a figure's % or an aid, before a trail letter glued to Chinese text: lost bytes
        # although no Chinese character stands beside them (`_PAIRS_LETTER`); after Chinese text the first is
        # U+FFFD in `work` already (`_BROKEN_QMARK`), the second not (an ASCII letter after it): the page's `??` is
        # what is looked for (`件??A研究` for 件。基礎研究) - not after a lost byte close before, where the Chinese
        # text may be a garbled run's and the first `?` an unmapped pair in it (`才?niú)?形??x了` for 市委宣讀了)
        work = _QMARKS_LETTER.sub(
            lambda q: (
                q.group()
                if q.group()[0] == "\ufffd" and "?" in text[max(0, q.start() - 4) : q.start()]
                else "\ufffd" * len(q.group())
            ),
            work,
        )
    if work == text:
        return _find_edits(text)
    qmark = "\ufffd" not in text
    token = _QMARK_PAGE.set(qmark)
    # ... and drops nothing without a trace: an unmapped pair is a `?` too
    shown = _SHOWS_LOST.set(_SHOWS_LOST.get() or qmark)
    try:
        found = _find_edits(work)
    finally:
        _SHOWS_LOST.reset(shown)
        _QMARK_PAGE.reset(token)
    out = []
    for e in found:
        before = text[e.start : e.end]
        if e.note == _UNREADABLE and "?" in before and not _near_damage(work, e.start, e.end):
            continue
        after = e.after.replace("\ufffd", "?") if e.note == _UNREADABLE else e.after
        if (
            qmark
            and e.note != _UNREADABLE
            and before.endswith("?")
            and after[-1:] == ","
            and _COUNT_CLOSES.match(text, e.end)
        ):
            # ... and before a measure word that closes its clause (`一等?rǎn)?项。` for 一等奖4项。): the ASCII byte
            # eaten was no comma (`，项。` ends no clause) but a digit, which cannot be known: the place is marked
            after = after[:-1]
        if (
            qmark
            and e.note != _UNREADABLE
            and before.endswith("?")
            and after[-1:] not in ("?", "\ufffd", ",", "")
            and (_EATEN_DIGIT.match(text, e.end) or _COUNT_CLOSES.match(text, e.end))
        ):
            # the closing `?` the re-reading took as its last character's lost trail: the decoder showed that
            # orphaned byte with the ASCII byte after it, before a figure most likely a digit of it
            # (`鄉鎮?yóu)?4%` for 鄉鎮和94%): which one cannot be known, so the place is marked
            after += UNCERTAIN_OPEN + "?" + UNCERTAIN_CLOSE
            e = e._replace(uncertain=True)
        out.append(e._replace(before=before, after=after))
    if qmark and "??" in text:
        out = _two_qmarks(text, out)
    return out


# On a page of the `?` decoder, two `?` between Chinese text (or a figure) and text in step: a replaced
# mark (A3 xx) straddled two characters X|Y, so X lost its lead (X's trail is A3) and the decoder showed it
# with the ASCII mark it ate; Y's lead is the mark's second byte and its trail, orphaned by the ASCII byte
# after it, is the second `?` - which ate that byte too, unless it was a line break (`悬念??\n` for 悬念。”,
# `四成??月9日` for 四成。”7月9日: ！ = A3 A1 straddled 。|”). Read as the likeliest X and Y; the eaten byte
# is marked (a lone `*` after it is a redaction `**` whose first star was eaten). Only after a word, a figure
# or a closing bracket: after characters that make no word the `??` may be inside a garbled run.
_TWO_QMARKS = re.compile(rf"\?\?(?<=[{HAN}%）)]\?\?)(?=[^?a-zA-Z\ufffd]|\Z)")
_PAGE_AIDS = re.compile(_SPAN_AID)
_TWO_QMARKS_X = 40
_TWO_QMARKS_Y = 30
_QUOTES_OPEN_CLOSE = ("“", "”")


@functools.cache
def _two_qmarks_options() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The likeliest characters ending in A3 (X) and those led by a replaced mark's second byte (Y)."""
    plausible = _pair_tables()[1]
    xs = {ch for lead in range(0x81, 0xFF) if (ch := plausible[lead << 8 | 0xA3])}
    ys = {
        ch for mark in _EATEN_MARKS for trail in range(0x81, 0xFF) if (ch := plausible[mark[1] << 8 | trail])
    }
    by_weight = lambda chars, n: tuple(sorted(chars, key=lambda c: (-char_weight(c), c))[:n])  # noqa: E731
    return by_weight(xs, _TWO_QMARKS_X), by_weight(ys, _TWO_QMARKS_Y)


def _likeliest_pair(xs, ys, head: str, tail: str, before: str, *, at_end: bool) -> str:
    """The likeliest two characters X + Y between `head` and `tail` (`_two_qmarks`, `_shown_pairs`): the
    dictionary's best cover, and among the pairs that reach it the character model's likeliest. A quote Y is
    the one the paragraph calls for: a closing one at its end (`at_end`), else by the quotes in `before`."""
    # (not the same mark twice: a site's page has no `。。`)
    pairs = [x + y for x in xs for y in ys if x != y]
    scores = plausibility_many([head + p + tail for p in pairs])
    cover = max(scores)[0]
    near = [p for p, k in zip(pairs, scores, strict=True) if k[0] == cover]
    lms = scores_between(head, near, tail)
    best = near[lms.index(max(lms))]
    if best[1] in _QUOTES_OPEN_CLOSE:
        closing = at_end or before.count("“") > before.count("”")
        best = best[0] + _QUOTES_OPEN_CLOSE[closing]
    return best


def _two_qmarks(text: str, found: list[Edit]) -> list[Edit]:
    """`found` with the `??` of `_TWO_QMARKS` that no re-reading took read as two characters (the marks of
    unreadable bytes there replaced)."""
    out = list(found)
    for m in _TWO_QMARKS.finditer(text):
        s, e = m.start(), m.end()
        if (
            text[s - 1] not in "%）)"
            and plausibility(_PAGE_AIDS.sub("", text[max(0, s - 20) : s])[-2:])[0] < 2
        ):
            continue  # the text before is not known to be in step: the `??` may be inside a garbled run
        over = [x for x in out if x.start < e and s < x.end]
        if any(x.note != _UNREADABLE or x.start < s or x.end > e for x in over):
            continue
        xs, ys = _two_qmarks_options()
        line = text.rfind("\n", 0, s) + 1
        head = text[max(line, s - 6) : s]
        nxt = text[e : e + 1]
        # (the text after is its right context only where the decoder ate nothing: an eaten byte stood
        # between them, and which one is not known)
        tail = text[e : e + 6].split("\n", 1)[0] if nxt in ("", "\n", "\r") else ""
        best = _likeliest_pair(xs, ys, head, tail, text[line:s], at_end=nxt in ("", "\n", "\r"))
        if nxt in ("", "\n", "\r"):
            eaten = ""
        elif nxt == "*" and text[e + 1 : e + 2] != "*":
            eaten = "*"
        else:
            eaten = UNCERTAIN_OPEN + "?" + UNCERTAIN_CLOSE
        out = [x for x in out if x not in over]
        out.append(
            Edit(
                STEP,
                s,
                e,
                text[s:e],
                best + eaten,
                note="GBK 字节错位：去掉插入字节后重新对齐解码；2 个丢失字节按词典补全",
                uncertain=True,
            )
        )
    return sorted(out, key=lambda x: x.start) if out != found else out


# On a page whose decoder shows U+FFFD, the same straddle with the mark shown: X lost its lead (shown, then
# the ASCII mark read again), and Y's trail, orphaned by the ASCII byte after it, shows as U+FFFD too
# (`1萬元�!�4月` for 1萬元。”4月: ！ = A3 A1 straddled 。|”, ”'s trail B1 before the `4`). Only before an ASCII
# byte that is no trail byte (below 0x40): before a letter the second U+FFFD may be an unmapped pair, Y's trail
# with the next character's lead, the letter that character's trail (`元�;�A` for 元。基礎). Nothing was eaten, so
# the text after is the pair's right context. The re-reading of `_LOST_MARK` fills Y's trail as any other
# lost byte (`。。`, the quote lost); Y is led by the mark's second byte, and a quote is the one the
# paragraph calls for.
_SHOWN_PAIR = re.compile(rf"\ufffd(?<=[{HAN}%）)”]\ufffd)[,;:!?]\ufffd(?=[\x00-\x3f\x7f]|\Z)")


def _shown_pairs(text: str, found: list[Edit]) -> list[Edit]:
    """`found` with the pairs of `_SHOWN_PAIR` read as X|Y (the edits inside them replaced)."""
    out = found
    for m in _SHOWN_PAIR.finditer(text):
        s, e = m.start(), m.end()
        over = [x for x in out if x.start < e and s < x.end]
        if any(x.start < s or x.end > e for x in over):
            continue
        second = _fullwidth(text[s + 1])[1]
        xs, _ys = _two_qmarks_options()
        ys = [ch for trail in range(0x81, 0xFF) if (ch := _pair_tables()[1][second << 8 | trail])]
        if not ys:
            continue
        line = text.rfind("\n", 0, s) + 1
        head = text[max(line, s - 6) : s]
        tail = text[e : e + 6].split("\n", 1)[0]
        best = _likeliest_pair(xs, ys, head, tail, text[line:s], at_end=text[e : e + 1] in ("", "\n", "\r"))
        out = [x for x in out if x not in over]
        out.append(
            Edit(
                STEP,
                s,
                e,
                text[s:e],
                best,
                note="GBK 字节错位：去掉插入字节后重新对齐解码；2 个丢失字节按词典补全",
                uncertain=True,
            )
        )
    return sorted(out, key=lambda x: x.start) if out is not found else out


# a figure's rest after a `?` that ate its first digit: a digit, its point, a %, or its thousands' comma (`?,415万元`)
_EATEN_DIGIT = re.compile(r"[0-9.%]|,[0-9]{3}(?![0-9])")


def _near_damage(text: str, start: int, end: int) -> bool:
    around = text[max(0, start - 2) : start] + text[end : end + 3]
    return bool(_SUSPICIOUS_RE.search(around)) or bool(
        re.match(r"[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]", text[end : end + 2])
    )


_UNREADABLE = "无法解码的字节"


def _find_edits(text: str) -> list[Edit]:
    comma_edits = _comma_edits(text)
    comma_edits += comma_ghost_edits(text)
    comma_edits += silent_ghost_edits(text)
    edits: list[Edit] = []
    taken_until = 0
    taken = [(e.start, e.end) for e in comma_edits]
    # A trigger match is only worth a look when its span holds a suspicious character or its trigger is
    # U+FFFD (which is suspicious too): text without any is skipped in one C-level search.
    maybe = _mark_run_maybe()
    triggers = (
        _trigger_matches(text)
        if _SUSPICIOUS_RE.search(text)
        or _ASCII_LETTER.search(text)
        or (maybe is not None and maybe.search(text))
        else ()
    )
    aid_matches = list(_aid_matches(text))
    aided = _aided_chars(text) if aid_matches else frozenset()
    matches = sorted([*triggers, *aid_matches], key=_START)
    # the spans a report's own names are looked for outside (`_names_in_step`): not those after an aid that
    # reads as the character before it, which are damage only where their re-reading is clearly better;
    # the mark runs that cannot open a re-reading are among them, though the loop below passes them over
    damaged = _Damaged([x for x in matches if not getattr(x, "ordinary", False)], text)
    for m in matches:
        if m.start() < taken_until or any(a <= m.start() < b or m.start() <= a < m.end() for a, b in taken):
            continue
        span = m.group("s")
        trigger = m.group("t")
        letter_trail = getattr(m, "re", None) in _REALIGN_PATTERNS
        mark_run = getattr(m, "re", None) is _MARK_RUN
        if not (
            letter_trail or mark_run or _SUSPICIOUS_RE.search(span) or "\ufffd" in trigger or len(trigger) > 1
        ):
            continue
        if (
            not m.group("a")
            and span
            and _followed_by_own_aid(text, m.end(), span[-1])
            and (len(trigger) == 1 or not _runs_through_aids(text, span, m.group("a") or "", m.end()))
        ):
            # the span's last character carries its own reading aid: it is in step (after an aid that
            # landed inside a character the aid reading reads on through such aids, `_runs_through_aids`)
            # ... unless the span after a replaced mark is garbled, and the aid is that of one of its
            # out-of-step characters (`行;嵘戏⒉剂(jì)恕靶轮` for 行。会上发布了“新质: 剂 got its aid): read on
            # through it, as `_LETTER_TRAIL` does
            m = (
                _through_own_aid(text, m)
                if trigger in _MARKS_READ_ON
                and _SUSPICIOUS_RE.search(span)
                # the mark's second byte and the run's first make the character in step after it (会 in
                # `;嵘`: BB E1); `,由北陂師(shī)範` (AC D3) is a mark before a name
                and _MARK_RUN_OPENS[trigger + span[0]]
                else None
            )
            if m is None:
                continue
            span = m.group("s")
        if letter_trail and _letter_label(text, m):
            continue
        if (
            len(trigger) == 1
            and trigger != "\ufffd"
            and not letter_trail
            and not mark_run
            and _names_in_step(text, m, damaged)
        ):
            continue
        if (
            len(trigger) == 1
            and (len(span) >= 3 or mark_run)
            and plausibility(span)[0] >= (1 if mark_run else 0.6 * len(span))
        ):
            continue  # the span reads as words already: text in step, not damage
        reading = _reading(text, m, aided)
        if (
            reading is None
            and m.group("a") == "\ufffd"
            and len(trigger) == 1
            and not letter_trail
            and not mark_run
        ):
            # a run closed by an unmappable pair the decoder showed, too short to read alone: read on
            # through the garbled runs after it (`化?惫?狙蟹⒅行母涸鹑怂?目前` for 化。”公司研发中心负责人说,目前)
            reading = _chain_reading(text, m, damaged, aided)
        if reading is None:
            continue
        end, repaired, guessed = reading
        # an aid right after the re-read run that is its repaired last character's own goes with it
        end, repaired = _with_own_aid(text, end, repaired)
        if guessed >= 2 and (
            trigger in _REDACTION_MARKS
            or (
                len(trigger) == 1 and m.group("a") in _REDACTION_MARKS and not repaired.endswith(m.group("a"))
            )
        ):
            # `省_室於`: a site's redaction of a word (`_` or `**`, put in the text, not in its bytes); a
            # reading that must guess two bytes or more to make it a misaligned span is not believed -
            # nor one that takes such a mark for the trail byte closing a replaced mark's run (`看,參_驗` for
            # 看，参_验: `,參_` read as 檯㈩開, a lost lead and a dropped pair guessed around 參's bytes; after
            # an aid, which pins the lost lead, `_` may be 開's trail 5F: `共(cān)_展` for 共同開展)
            continue
        note = "GBK 字节错位：去掉插入字节后重新对齐解码"
        if guessed:
            note += f"；{guessed} 个丢失字节按词典补全"
            if _QMARK_PAGE.get() and _digit_maybe_eaten(text, end):
                # a `?` decoder's closing `?` before a measure word held a lead and the ASCII byte after it,
                # most likely a digit no reading can give back (`省外單位?huàn)野?項` for 省外单位揭榜5项): the
                # guess is marked in the text, not only counted
                repaired = _MARKED_GUESS % repaired
        edits.append(
            Edit(STEP, m.start(), end, text[m.start() : end], repaired, note=note, uncertain=bool(guessed))
        )
        taken_until = end
        if text[end - 1 : end] == "\ufffd":
            # the run closed on a pair the decoder could not map (the last character's trail and the
            # next one's lead): the bytes after it are still out of step (`变化?ｋ呁┦` for 變化。雲桐)
            follow = _continued_run(text, end, damaged, text[max(0, m.start() - 4) : m.start()] + repaired)
            whole = _whole_run(text, m, aided, end) if follow is None else None
            if whole is not None:
                end, repaired, guessed = whole
                note = "GBK 字节错位：去掉插入字节后重新对齐解码" + (
                    f"；{guessed} 个丢失字节按词典补全" if guessed else ""
                )
                edits[-1] = Edit(
                    STEP, m.start(), end, text[m.start() : end], repaired, note=note, uncertain=bool(guessed)
                )
                taken_until = end
            while follow is not None:
                edits.append(follow)
                taken_until = follow.end
                if text[follow.end - 1] != "\ufffd":
                    break
                # ... and so may the run after it, when it closed on such a pair too
                follow = _continued_run(
                    text, follow.end, damaged, text[max(0, follow.start - 4) : follow.start] + follow.after
                )
            last = edits[-1]
            if last.end == taken_until and text[last.end - 1] == "\ufffd":
                closed = _closing_qmark(text, last)
                if closed is not None:
                    edits[-1] = last._replace(after=closed)
    if comma_edits:
        edits = sorted(edits + comma_edits, key=lambda e: e.start)
    marked = _unexplained(text, edits)
    return sorted(edits + marked, key=lambda e: e.start) if marked else edits


def _whole_run(text: str, m, aided: frozenset[str], end: int):
    """(end, repaired, guessed) of the run after an aid inside a character read whole to the ASCII byte that
    ends it (`inserts.WHOLE_RUN`), when its reading to the first U+FFFD left the rest out of step and no
    continued run read it (`芎耐�认陆�4.2%` read as 能耗网, `认陆` left: 同's trail, the U+FFFD's first byte,
    was taken for the last byte lost); None when that is not a reading or ends no further."""
    if len(m.group("t")) < 2 or getattr(m, "ordinary", False):
        return None
    token = WHOLE_RUN.set(True)
    try:
        reading = _aid_reading(text, m, aided)
    finally:
        WHOLE_RUN.reset(token)
    if reading is None or reading[0] <= end:
        return None
    return (*_with_own_aid(text, reading[0], reading[1]), reading[2])


_COUNTED = re.compile("[项項个個家人名件次台套万萬亿億元%％倍位所]")
_MARKED_GUESS = "〔存疑：%s〕"
_SHOWN_LOST = frozenset("?\ufffd")  # a `?` page is read with its `?` as U+FFFD


def _digit_maybe_eaten(text: str, end: int) -> bool:
    """Whether a re-read run ending at `end` closed on a lost pair right before a measure word (the run may
    have taken the word in)."""
    if text[end - 2 : end - 1] in _SHOWN_LOST and _COUNTED.match(text, end - 1):
        return True
    return text[end - 1 : end] in _SHOWN_LOST and _COUNTED.match(text, end) is not None


# Chinese text on either side of a half-width comma: the site writes its full-width marks as ASCII ones
_ASCII_COMMA = re.compile(rf"[{HAN}],[{HAN}]")


def _closing_qmark(text: str, edit: Edit) -> str | None:
    """The repaired text of a re-read run that closed on a `?` taken as its last character's trail, when
    that `?` held more: a `?` decoder shows an orphaned lead with the ASCII byte after it. A run that
    closed on an unmappable pair would go on out of step, so where no continued run was found and
    Chinese text follows in step, the `?` was (a) the last character's trail read as a lead with the byte
    after it - on a page whose site writes its commas as ASCII ones, the commonest such byte before
    Chinese text is that comma (`暥?晴夜` for 緯度,晴夜) - or (b) the trail 80 alone, which no decoder
    pairs as a lead (`敕?步` for 穩步, 穩 = B7 80): (b) where the character ending in 80 makes a common
    word with the text after it. A digit eaten as in (a) (`笠?365`) cannot be told and is left; before a measure
    word (`达到?级`, a one-digit figure's digit) the place is marked."""
    after = edit.after
    if not _QMARK_PAGE.get() or not after or after.endswith("\ufffd"):
        return None
    nxt = text[edit.end : edit.end + 1]
    if not nxt or not ("\u4e00" <= nxt <= "\u9fff") or _SUSPICIOUS_RE.match(nxt):
        return None
    try:
        lead = after[-1].encode("gbk")[0]
    except UnicodeEncodeError:
        return None

    alone = _pair_tables()[1][lead << 8 | 0x80]
    if alone is not None and _in_common_word(after[-4:-1], alone, text[edit.end : edit.end + 3]):
        return after[:-1] + alone
    if nxt in _AFTER_A_DIGIT:
        # before a measure word the byte eaten was most likely a one-digit figure's digit, which cannot be
        # known (`达到?级以上` for 达到6级以上): the place is marked, as before a figure's other digits
        return after + UNCERTAIN_OPEN + "?" + UNCERTAIN_CLOSE
    return after + "," if _ASCII_COMMA.search(text) is not None else None


# measure words that follow a figure and start no common word after a comma (项 starts 项目, 家 ends 国家)
_AFTER_A_DIGIT = frozenset("级級倍")


_REDACTION_MARKS = frozenset("_*")

# the run after an unmappable pair that closed a re-read run: no trigger, the lead byte lost. The decoder
# stays out of step up to the next ASCII byte whatever it shows, so the run is not cut at 24 characters
# (a paragraph without figures on a page that keeps its full-width marks: `的?nào)氨钢圃觳?堤逑岛头岣坏挠τ
# 贸…憷??` for 的装备制造产业体系和丰富的应用场景…广阔。, 30 characters after the pair), and it runs on
# through single unmappable pairs it meets while the text after them is still garbled (`进⒔?刑嶂实牧己锰?疲?
# ５鼻埃?` for 进、进中提质的良好态势。当前，: each `?` the trail of one character and the lead of the next):
# read as one stream (`_chained`), each pair's two characters chosen together (`gbk._fill_pair`) with the
# text on both sides re-read, not garbled.
_CONTINUED_MAX = 64
_CONTINUED = re.compile(
    rf"(?P<t>)(?P<s>[^\x00-\x7f\s\ufffd]{{1,{_CONTINUED_MAX}}})(?P<a>[@-~](?=[{HAN_OR_PUNCT}(（,\d\s]|\Z)|\ufffd)?"
)


class _Chain:
    """A run joined with the continued runs after it through the single unmappable pairs between them:
    group s holds them with each pair's U+FFFD (two lost bytes, `_span_bytes`), group a the last one's
    closing byte, group t the first one's trigger."""

    __slots__ = ("_first", "_last", "_s", "re")

    def __init__(self, first: re.Match, last: re.Match, s: str):
        self._first, self._last, self._s, self.re = first, last, s, first.re

    def start(self) -> int:
        return self._first.start()

    def end(self) -> int:
        return self._last.end()

    def group(self, name):
        if name == "s":
            return self._s
        return self._last.group(name) if name == "a" else self._first.group(name)


# how much more word cover (less the guessed bytes) a reading with a dropped pair may have than one without and
# still be checked against it by the character model (`_best_reading`)
_DROP_CLOSE = 1
_NOT_TEXT = re.compile(rf"[^{HAN}{CJK_PUNCT}]")
# log1p of a character's dictionary weight above which a character of a reading is an ordinary one (介 紹 市
# are, 咕 is not)
_ORDINARY_CHAR_LOG = 9.0


def _reads_whole(cand: str) -> bool:
    """Whether a reading is ordinary text throughout: Chinese characters and marks only, at least two
    characters, every one an ordinary character, and all but one of them in dictionary words."""
    if len(cand) < 2 or _NOT_TEXT.search(cand):
        return False
    weights = char_weights()
    return all(weights[c] >= _ORDINARY_CHAR_LOG for c in cand) and plausibility(cand)[0] >= len(cand) - 1


def _garbled(span: str) -> bool:
    """Whether a run after an unmappable pair is out of step: it holds a rare character, or it does not
    read as words (a run that does is text in step, after a lone trail 80 the decoder shows as a `?` of its
    own, or after an orphaned lead that took an ASCII byte along)."""
    if _SUSPICIOUS_RE.search(span):
        return True

    return len(span) >= 2 and plausibility(span)[0] < 0.6 * len(span)


# At most this many runs joined: every run of a text of n characters made of garbled runs and single pairs was
# joined with each after it to the text's end and each join read whole, ~n³ (超过?天的 × 800, 4,000 characters,
# 140 s: docs/security.md §18).
_CHAIN_PIECES_MAX = 8


def _chains(text: str, m: re.Match, matches: list) -> list:
    """`m`, and `m` joined with each of the garbled runs after it that single unmappable pairs separate from
    it, one more each time (`_Chain`): which of them is read is chosen by how the text reads after."""
    out, last, pieces = [m], m, [m.group("s")]
    while last.group("a") == "\ufffd" and len(pieces) < _CHAIN_PIECES_MAX:
        nxt = _CONTINUED.match(text, last.end())
        if nxt is None or not _garbled(nxt.group("s")) or _names_in_step(text, nxt, matches):
            break
        last = nxt
        pieces.append(nxt.group("s"))
        out.append(_Chain(m, last, "\ufffd".join(pieces)))
    return out


class _LostPairs:
    """A continued run after more unmappable pairs than the one that closed the re-read run before it
    (`变化??ｋ呁` for 變化，。雲桐: the comma the site put before 。 makes a second one): the match, its
    start moved back over those pairs, with their count, the trail byte of the re-read run's last
    character and the text before it with that run repaired, as the left-hand context."""

    __slots__ = ("_m", "_start", "before", "left", "lost_pairs", "re")

    def __init__(self, m: re.Match, start: int, lost_pairs: int, before: int | None, left: str):
        self._m, self._start, self.re = m, start, m.re
        self.lost_pairs, self.before, self.left = lost_pairs, before, left

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._m.end()

    def group(self, name):
        return self._m.group(name)


def _best_chain(text: str, start: int, readings: list):
    """Of the readings (repaired, guessed, end) of a run and its chains, the one that reads best with the
    text after it (a run in step after a pair, which a longer chain would re-read out of step, reads worse:
    `暥?晴夜數多` for 緯度,晴夜數多); the first (the shortest) on ties."""
    if len(readings) == 1:
        return readings[0]

    stop = max(r[2] for r in readings) + 4
    head = text[max(0, start - 4) : start]
    return max(readings, key=lambda r: plausibility(head + r[0] + text[r[2] : stop]))


def _chain_reading(text: str, m, matches: list, aided: frozenset[str]):
    """(end, repaired, guessed) of a trigger's run read on through the single unmappable pairs after it
    (`_chains`), or None."""
    readings = []
    for chain in _chains(text, m, matches)[1:]:
        reading = _best_reading(text, chain, aided, by_aid=False)
        if reading is not None:
            readings.append(reading)
    if not readings:
        return None
    repaired, guessed, end = _best_chain(text, m.start(), readings)
    return end, repaired, guessed


def _continued_run(text: str, start: int, matches: list, left: str = "") -> Edit | None:
    """The run after an unmappable pair that closed a re-read run, re-read with its lead lost: a garbled
    one (not the report's own names). After more unmappable pairs
    (U+FFFD side by side), the characters they hid whole are chosen together (`gbk._fill_chain`)."""
    pairs = 0
    while text.startswith("\ufffd", start + pairs):
        pairs += 1
    if pairs > _CONTINUED_PAIRS_MAX or (pairs and not left):
        return None
    m = _CONTINUED.match(text, start + pairs)
    if m is None or _names_in_step(text, m, matches):
        return None
    # no rare character: after an unmappable pair the decoder is out of step whatever it shows
    # (`选鞍?芍啤备母?` for 费“包干制”改革), but a run that reads as words already is text in step
    if not _garbled(m.group("s")):
        return None
    if pairs:
        try:
            before = left[-1].encode("gbk")[-1]
        except UnicodeEncodeError:
            return None
    readings = []
    # the decoder showed the pair that closed the run before: it drops none without a trace
    token = _SHOWS_LOST.set(True)
    try:
        for chain in _chains(text, m, matches):
            if pairs:
                chain = _LostPairs(chain, start, pairs, before, left)
            reading = _best_reading(text, chain, by_aid=False)
            if reading is not None:
                readings.append(reading)
    finally:
        _SHOWS_LOST.reset(token)
    if not readings:
        return None
    repaired, guessed, end = _best_chain(text, start, readings)
    note = "GBK 字节错位：去掉插入字节后重新对齐解码"
    if guessed:
        note += f"；{guessed} 个丢失字节按词典补全"
    return Edit(STEP, start, end, text[start:end], repaired, note=note, uncertain=bool(guessed))


def _names_in_step(text: str, m, matches: list) -> bool:
    """Whether every rare character of the span stands, with the character after it, somewhere else
    in the text outside any suspicious span: a report's own names use rare characters (岚江省, 南澍省,
    栎川) again and again in plain text, while bytes decoded out of step make them only inside the runs
    the site damaged (a damage repeated at each occurrence of a word repeats its trigger too)."""
    start = m.start() + len(m.group("t"))
    span = m.group("s")
    found = False
    covers = (
        matches.covers
        if isinstance(matches, _Damaged)
        else lambda q: any(o.start() <= q < o.end() for o in matches)
    )
    for i, ch in enumerate(span):
        if not _SUSPICIOUS_RE.match(ch):
            continue
        found = True
        p = start + i
        pair = text[p : p + 2]
        if len(pair) < 2 or not ("\u4e00" <= pair[1] <= "\u9fff") or _SUSPICIOUS_RE.match(pair[1]):
            return False
        q = text.find(pair)
        while q >= 0:
            if q != p and not covers(q):
                break
            q = text.find(pair, q + 1)
        else:
            return False
    return found


def _mark_run_opens(trigger: str, span: str) -> bool:
    """A cheap necessary condition for a `_MARK_RUN` match to be a straddling mark: the mark's second
    byte and the run's first byte make a common character (the one after the mark, in step again: 合 in
    高:献 for 高校合作, 科 in ?萍 for 。科技)."""

    fw = _fullwidth(trigger)
    try:
        first = span[0].encode("gbk")[0]
    except (UnicodeEncodeError, IndexError):
        return False
    ch = _decode_pair(fw[1], first) if fw else None
    return ch is not None and char_weight(ch) >= _COMMON_CHAR_LOG


class _MarkRunOpens(dict):
    """mark + the run's first character -> `_mark_run_opens(mark, character)` (the answer depends on those
    two only), filled on first use."""

    def __missing__(self, key: str) -> bool:
        value = self[key] = _mark_run_opens(key[0], key[1:])
        return value


_MARK_RUN_OPENS = _MarkRunOpens()


# log1p of a character's dictionary weight above which it is a common one (合 科 会 ...)
_COMMON_CHAR_LOG = 10.0


def _unexplained(text: str, edits: list[Edit]) -> list[Edit]:
    """U+FFFD that no re-alignment explained: the bytes' place kept visible, not guessed."""
    marked: list[Edit] = []
    for m in _FFFD_RUN.finditer(text) if "\ufffd" in text else ():
        if any(e.start <= m.start() < e.end for e in edits):
            continue
        after = UNCERTAIN_OPEN + m.group(0) + UNCERTAIN_CLOSE
        marked.append(Edit(STEP, m.start(), m.end(), m.group(0), after, note=_UNREADABLE, uncertain=True))
    return marked
