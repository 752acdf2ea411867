"""What reports write right before a figure, for the mojibake repair's choice of a character before a digit.

`data/figures_train.tsv` (built with the character model's counts by benchmarks/ingest/corpus/build_charlm.py
from the corpus's train split; see data/SOURCE.md): each string of one to three Han characters that stands right
before a digit in the train split at least twice, with how often it does and how often it stands anywhere.

A lost byte right before a figure (a digit on the page, or one a `?` decoder ate with the lost byte) leaves options
the dictionary ties and the character model hardly tells apart: the pairs `X0` it knows are few, and the pair
before the option often speaks for a word that does not precede figures (强度稳步 for 强度为2.31%, 高地 for
提高到5%, 的哥 for 上年的第38位). The reports' own habit does: `choose` prefers the option they write before a
figure far more often than the one taken.
"""

import functools
import os
import re

from .lexicon import simplified, word_log

_DATA = os.path.join(os.path.dirname(os.path.dirname(__file__)), "data", "figures_train.tsv")
# the option taken instead must stand before a figure at least this often in the train split, and this many times
# as often as the one it replaces (at the longest string any option has in the table)
_FIG_MIN = 5
_FIG_RATIO = 4
# how much of the dictionary's word cover it may give up: one character for a character the reports write
# before figures, two for a word they do (的第 before 38位 against the word 的哥)
_FIG_COVER = (0, 1, 2, 2)
# ... and a character alone must stand before a figure at least this share of the times the train split writes it
_FIG_RATE_ONE = 0.5
_DIGITS = frozenset("0123456789０１２３４５６７８９")


@functools.cache
def table() -> dict[str, int]:
    """string -> times it stands right before a digit in the train split (loaded once, ~400 rows)."""
    return {w: before for w, (before, _anywhere) in _rows().items()}


@functools.cache
def _rows() -> dict[str, tuple[int, int]]:
    out: dict[str, tuple[int, int]] = {}
    try:
        with open(_DATA, encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("#") or not line.strip():
                    continue
                w, before, anywhere = line.rstrip("\n").split("\t")
                out[w] = (int(before), int(anywhere))
    except OSError:  # pragma: no cover - the data file ships with the package
        pass
    return out


def before_digit(tail: str) -> bool:
    return tail[:1] in _DIGITS


def _han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _ending(head: str, option: str, k: int) -> str | None:
    """The last k characters of head + option, simplified, when they are all Han."""
    text = head + option
    if not option or len(text) < k:
        return None
    w = text[-k:]
    if not all(map(_han, w)):
        return None
    return "".join(map(simplified, w))


def _mostly_before_figures(ch: str) -> bool:
    """Whether the train split writes the character before a figure at least _FIG_RATE_ONE of the times it
    writes it (为 0.72, 到 0.91, 第 0.66; not 本 0.32 of 资本, 升 0.24 of 上升, more often in other words)."""
    before, anywhere = _rows().get(ch, (0, 0))
    return anywhere > 0 and before >= _FIG_RATE_ONE * anywhere


def _makes_word(head: str, text: str) -> bool:
    return any((w := _ending(head, text, k)) is not None and word_log(w) > 0 for k in (2, 3))


def choose(head: str, options, keys: list, pick: int) -> int:
    """The index of the option to take right before a figure among a lost byte's options ranked by `keys`
    (gbk._fill's: cover, script ...): `pick`, unless another of its script is written there far more often
    (`choose_text`)."""
    script = keys[pick][1]
    return choose_text(head, options, [k[0] if k[1] == script else None for k in keys], pick)


def choose_text(head: str, texts, covers: list, pick: int) -> int:
    """The index of the reading to take right before a figure: `pick` (the dictionary's and the character
    model's choice), unless another reading, its word cover (`covers`; None: not to be compared) within
    _FIG_COVER of the best, ends in a string the train split writes before a figure _FIG_RATIO times as often
    as `pick`'s, and _FIG_MIN times at least. Judged at the longest ending (three, two, one characters with the
    text before) that any reading has in the table."""
    found = table()
    if not found:
        return pick
    best_cov = max(c for c in covers if c is not None)
    for k in (3, 2, 1):
        counts = {}
        for j, text in enumerate(texts):
            cov = covers[j]
            if cov is None or cov < best_cov - _FIG_COVER[k]:
                continue
            w = _ending(head, text, k)
            if w is not None and w in found:
                counts[j] = found[w]
        if not counts:
            continue
        if k == 1 and _makes_word(head, texts[pick]):
            # a character alone is weak evidence against one that makes a word with the one before it (研究生
            # before 460名, 加快 before 2.3个, 占比: the reports' 升, 开, 本 before figures are other words')
            return pick
        top = max(counts, key=lambda j: (counts[j], -j))
        if k == 1 and not _mostly_before_figures(_ending(head, texts[top], 1)):
            return pick
        if top != pick and counts[top] >= _FIG_MIN and counts[top] >= _FIG_RATIO * counts.get(pick, 0):
            return top
        return pick
    return pick


def told(head: str, options) -> bool:
    """Whether the reports' habit speaks among a lost trail's `options` right before a figure: one of them ends,
    with the text before it (`head`), a string of two or three characters the train split writes before a figure
    (then `choose_text` has had its say). Where none does, the choice rests on the character model alone, and the
    corpus's clean texts say it is a coin toss there (each character before a figure, its trail hidden: the
    model's choice right 53 % of the time where no option is in the table, 90 % where one is and the table's 97 %)."""
    found = table()
    return any((w := _ending(head, o, k)) is not None and w in found for k in (3, 2) for o in options)


def widen(head: str, options: tuple[str, ...], more: tuple[str, ...]) -> tuple[str, ...]:
    """`options` and, after them, those of `more` (a lost byte's wider options) that end a string of two or three
    characters the reports write before a figure (标准煤 before 9.6万吨: 煤 = C3 BA is not among C3's commonest)."""
    good = _common_before_figures()
    # `_ending(head, c, k)` for a character c: the simplified one or two characters before it (Han) and c's own
    # simplified form - the head's part worked out once, not again for each of the wider options (speed10)
    h1, h2 = head[-1:], head[-2:]
    p1 = simplified(h1) if h1 and _han(h1) else None
    p2 = simplified(h2[0]) + p1 if p1 is not None and len(h2) == 2 and _han(h2[0]) else None
    extra = []
    for c in more:
        if c in options:
            continue
        if len(c) != 1:  # (a lost byte's options are characters; anything else the plain way)
            if any((w := _ending(head, c, k)) is not None and w in good for k in (2, 3)):
                extra.append(c)
            continue
        if p1 is None or not _han(c):
            continue
        sc = simplified(c)
        if p1 + sc in good or (p2 is not None and p2 + sc in good):
            extra.append(c)
    return options + tuple(extra) if extra else options


@functools.cache
def _common_before_figures() -> frozenset[str]:
    """The strings the train split writes before a figure at least _FIG_MIN times (`widen`'s test)."""
    return frozenset(w for w, n in table().items() if n >= _FIG_MIN)


# a year whose first digit a `?` decoder ate (the `?` of an orphaned lead took the ASCII digit after it along):
# the three digits left and 年
_YEAR_REST = re.compile(r"(\d{3})年")


def eaten_year_digit(text: str, end: int) -> str | None:
    """The first digit of a year a `?` decoder ate right before `end` (`成立于?021年`), where the page writes that
    year in full elsewhere with one first digit only (2021年): the page's own evidence, not a guess among ten."""
    rest = _YEAR_REST.match(text, end)
    if rest is None:
        return None
    found = set(re.findall(rf"(?<![0-9.,])([0-9]){rest.group(1)}年", text))
    if not found:
        # ... or, where it writes no such year, the one century the page's other years share with it (`?025年` on a
        # page of 2024年 and 2026年: 20, not 10 or 30 - the page's own years, not a guess among ten)
        found = set(re.findall(rf"(?<![0-9.,])([1-9]){rest.group(1)[0]}[0-9]{{2}}年", text))
    return found.pop() if len(found) == 1 else None
