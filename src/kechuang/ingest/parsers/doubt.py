"""Which facts were read across a span the repair could not decide (issue #15, factflag).

The repair marks what it guessed or could not read as uncertain (`Edit.uncertain`: a lost byte filled from
the dictionary, a run re-read out of step, a `〔存疑：…〕` mark). A figure read across such a span, or right
beside it, may be wrong: its fact says so, and which of its parts the span touches:

- `value`: the figure's number (its digits, scale word and sign), or a span touching it (a lost digit);
- `unit`: the words after the number that the figure reads as its unit, or a span right after them;
- `period`: a year word of the sentence before the figure (`2023年`, `去年`, `到2025年`), or a span right
  before a `年` (a year's digit lost);
- `place`: the region the fact names (its `place`) or a place word (…省, …市) in the sentence before it.

The spans come from the repair result's uncertain edits, mapped to the repaired text (`uncertain_spans`);
without a result (a text repaired elsewhere) the `〔存疑：…〕` marks are all there is to go by. Pure: no
database. `mark(text, facts, result)` sets each fact's `uncertain_parts` (in PARTS order) and
`uncertain_spans` (the spans' places in the fact's quote, to show them).

A second reason, no uncertain repair (factflag2): a fact whose sentence before its figure holds a redaction
standing for a place name (`〔隐去〕省`, `〔隐去〕市`: a name the site hid, the region the figure is about
lost with it) or a gap the repair marks (`〔缺失N字〕`: the sentence's subject, region or year may be in
what is missing) is `redacted_near` (`redactions_before`): its place, period or subject may be wrong.
Measured on the damaged corpus (benchmarks/ingest/facts_flag.py, dev … dev17 seeds 0-1): most wrong facts
the repair's spans miss stand beside a redaction; a redaction anywhere before the figure in the sentence
flags 10% of the facts, one in the figure's clause or standing for a place 7.5%, one standing for a place
5.6% (catching about as many wrong facts per flag as the repair's spans do): the last is kept."""

import re
from bisect import bisect_left, bisect_right
from itertools import compress
from operator import attrgetter

from .repair import _UNCERTAIN_STEPS, UNCERTAIN_MARK, _map_all

PARTS = ("value", "unit", "period", "place")
_MARK = UNCERTAIN_MARK
# what a figure's number is written with (its scale word and an approximate word included)
_NUMBER = frozenset("0123456789.．,，０１２３４５６７８９〇零一二三四五六七八九十百千万亿两半数几余多−-+")
_YEAR_WORD = re.compile(
    r"(?:19|20)\d\d年(?:度|底|末)?|[去上今明本当同前]年|“十[一二三四五六]五”(?:末|期间)?|十[一二三四五六]五(?:末|期间)"
)
# a region named (岚江省, 砚湄市): two characters and 省 or 市, not 全省/我市/本省 (the report's own) or a word
# ending in one (省级, 市委)
_YEAR_AFTER = re.compile(r"[0-9０-９]{0,3}年")
_PLACE_WORD = re.compile(r"(?<![全我本该各])[\u4e00-\u9fff]{2}(?:省|市)(?![级委])")

_UNCERTAIN = attrgetter("uncertain")

NEAR = 1  # characters between a span and a part for it to stand "right beside" it

# a redaction standing for a place name (the site hides the report's place names: 〔隐去〕省, 〔隐去〕市…), or a
# gap the repair marked where the site cut text (steps.GAP_TEMPLATE, GAP_UNKNOWN)
_REDACTED_PLACE = re.compile(r"〔隐去〕(?=[省市县区州])")
_GAP = re.compile(r"〔缺失(?:\d+字)?〕")


def uncertain_spans(result=None, text: str = "") -> list[tuple[int, int]]:
    """The repaired text's uncertain spans, sorted and merged: the result's uncertain edits placed in the
    repaired text (only the steps that mark any are read), else the `〔存疑：…〕` marks of `text`."""
    spans: list[tuple[int, int]] = []
    if result is not None:
        stages = result.stages
        for k, (name, edits, omap) in enumerate(stages):
            if name not in _UNCERTAIN_STEPS or not edits:
                continue
            picked = list(compress(edits, map(_UNCERTAIN, edits)))  # (C-level passes over a step's edits)
            if not picked:
                continue
            starts = [e.start for e in picked]
            if not omap.same_length:
                starts = _map_all(starts, omap.in_starts, omap.in_ends, omap.out_starts, omap.out_ends, False)
            ends = [s + len(e.after) for s, e in zip(starts, picked, strict=True)]
            for _n, later, m in stages[k + 1 :]:
                if later and not m.same_length:
                    starts = _map_all(starts, m.in_starts, m.in_ends, m.out_starts, m.out_ends, False)
                    ends = _map_all(ends, m.in_starts, m.in_ends, m.out_starts, m.out_ends, True)
            spans.extend(zip(starts, ends, strict=True))
    elif "〔存疑：" in text:
        spans = [(m.start(), m.end()) for m in _MARK.finditer(text)]
    return _merged(spans)


def _merged(spans) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for s, e in sorted(spans):
        if e < s:
            s, e = e, s
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def _touching(spans, starts, lo: int, hi: int, near: int = NEAR) -> list[tuple[int, int]]:
    """The spans overlapping [lo, hi) or, with `near`, standing within `near` characters of it (an empty
    span — a deletion — counts where it stands)."""
    i = max(0, bisect_left(starts, lo - near) - 1)
    out = []
    while i < len(spans) and spans[i][0] <= hi + near:
        s, e = spans[i]
        gap = s - hi if s >= hi else lo - e if e <= lo else -1
        if (s < hi and lo < e) or (lo < s == e < hi) or (near and gap <= near):
            out.append(spans[i])
        i += 1
    return out


def parts_of(text: str, fact, spans, starts=None) -> tuple[tuple[str, ...], list[tuple[int, int]]]:
    """(the parts of `fact` the spans touch, in PARTS order; the touching spans in the repaired text)."""
    starts = starts if starts is not None else [s for s, _e in spans]
    s, e = fact.start, fact.end
    figure = text[s:e]
    cut = len(figure)
    while cut > 0 and figure[cut - 1] not in _NUMBER:
        cut -= 1
    number_end = s + cut if cut else e
    found: dict[str, list] = {}
    # the number read across a span, or one standing right by it (a lost byte next to a figure can take a
    # digit with it: 〔存疑：2〕21.5亿元, 兑付，415万元 for 1415万元). Measured on the damaged corpus
    # (benchmarks/ingest/facts_flag.py): keeping only spans ending in a mark or a digit flags 40% fewer right
    # facts but catches a quarter fewer wrong ones; a careful look is the cheaper mistake.
    hit = _touching(spans, starts, s, number_end)
    if hit:
        found["value"] = hit
    hit = _touching(spans, starts, number_end, e, near=0 if number_end < e else NEAR)
    if number_end < e and hit or number_end == e and fact.unit and hit:
        found["unit"] = hit
    head = getattr(fact, "sentence_start", s)
    head = max(0, min(head, s))
    clause = text[head:s]
    if head < s:
        years = [(head + m.start(), head + m.end()) for m in _YEAR_WORD.finditer(clause)]
        hit = [h for a, b in years for h in _touching(spans, starts, a, b, near=0)]
        # a span right before a year's 年, or its last digits (20〔存疑：…〕3年: a digit of the year lost)
        hit += [h for h in _touching(spans, starts, head, s, near=0) if _YEAR_AFTER.match(text, h[1], s)]
        if hit:
            found["period"] = hit
        place = getattr(fact, "place", "") or ""
        words = [(head + m.start(), head + m.end()) for m in _PLACE_WORD.finditer(clause)]
        if place:
            name = place.split("、")[0]
            at = text.rfind(name, head, s)
            if at >= 0:
                words.append((at, at + len(name)))
        hit = [h for a, b in words for h in _touching(spans, starts, a, b, near=0)]
        # a span right before 省 or 市: the region's name read there (岚〔存疑：…〕省)
        hit += [
            h
            for h in _touching(spans, starts, head, s, near=0)
            if text[h[1] : h[1] + 1] in ("省", "市") and text[h[0] - 1 : h[0]] not in ("全", "我", "本")
        ]
        if hit:
            found["place"] = hit
    parts = tuple(p for p in PARTS if p in found)
    return parts, _merged([h for p in parts for h in found[p]])


def redactions_before(text: str, fact) -> list[tuple[int, int]]:
    """The redactions standing for a place name and the gaps in the fact's sentence before its figure (their
    places in the text): what may have taken its place, period or subject."""
    head = max(0, min(getattr(fact, "sentence_start", fact.start), fact.start))
    out = [(m.start(), m.end()) for m in _REDACTED_PLACE.finditer(text, head, fact.start)]
    out += [(m.start(), m.end()) for m in _GAP.finditer(text, head, fact.start)]
    return sorted(out)


def _redactions(text: str) -> tuple[list[int], list[int]]:
    """`redactions_before`'s finds in the whole text, scanned once for all its facts: (starts, ends) of every
    redaction standing for a place and every gap, in order. None overlaps another (each opens with 〔 and holds
    none), so their ends rise with their starts, and the scan of a sentence up to a figure finds just those
    lying there - a place's redaction only where the character its lookahead reads stands before the figure
    too: its end is counted one further."""
    found = [(m.start(), m.end() + 1) for m in _REDACTED_PLACE.finditer(text)]
    found += [m.span() for m in _GAP.finditer(text)]
    found.sort()
    return [s for s, _e in found], [e for _s, e in found]


def mark(text: str, facts, result=None) -> None:
    """Set `uncertain_parts` and `uncertain_spans` (offsets in the fact's quote), and `redacted_near`, on
    each fact."""
    spans = uncertain_spans(result, text)
    starts = [s for s, _e in spans]
    hidden, hidden_ends = _redactions(text) if "〔隐去〕" in text or "〔缺失" in text else ([], [])
    n_hidden = len(hidden)
    for f in facts:  # (each fact set afresh: a caller may mark facts read from another form of the text)
        head = max(0, min(getattr(f, "sentence_start", f.start), f.start))
        # `parts_of` looks for every part within [head - NEAR, end + NEAR]: a fact with no span there has none.
        # The spans are merged, so their ends rise with their starts: the last one starting by end + NEAR ends
        # the latest of those.
        j = bisect_right(starts, f.end + NEAR)
        if j and spans[j - 1][1] >= head - NEAR:
            parts, hit = parts_of(text, f, spans, starts)
        else:
            parts, hit = (), []
        f.uncertain_parts = parts
        f.uncertain_spans = quote_spans(text, f, hit) if parts else []
        # `redactions_before(text, f)` not empty: the first redaction or gap starting in the sentence ends the
        # earliest of those there
        i = bisect_left(hidden, head)
        f.redacted_near = i < n_hidden and hidden_ends[i] <= f.start


def quote_at(text: str, fact) -> int:
    """Where the fact's quote starts in `text` (-1 if it is not there): it holds the figure."""
    quote = fact.quote or ""
    if not quote:
        return -1
    base = getattr(fact, "sentence_start", None)
    if base is not None and text.startswith(quote, base):
        return base
    return text.find(quote, max(0, fact.end - len(quote)), fact.start + len(quote))


def quote_spans(text: str, fact, spans) -> list[tuple[int, int]]:
    """The spans' places in the fact's quote (clipped to it); the quote is the sentence, stripped."""
    at = quote_at(text, fact)
    if at < 0:
        return []
    n = len(fact.quote)
    out = []
    for s, e in spans:
        s, e = max(0, s - at), min(n, e - at)
        if s < e or (s == e and 0 <= s <= n):
            out.append((s, e))
    return out
