"""Edits: what a repair step changed, and the offset arithmetic between a step's input and output.

An edit replaces `text[start:end]` (offsets in the step's input) by `after`. A step's edits are sorted
and never overlap, so a step is fully described by them and can be undone by swapping before/after.

Large corpora make about a hundred edits per KB, most of them traditional-to-simplified runs, and most
callers (extraction, the benchmark) only need the repaired text and the offset maps. So the pipeline may
keep a step's edits as plain offset lists (`LazyEdits`) and build the `Edit` tuples only when someone
reads them (a page, the database); offset maps are built on first use, with C-level passes.
"""

from bisect import bisect_right
from collections.abc import Callable, Sequence
from itertools import accumulate, chain
from operator import add, itemgetter, sub
from typing import NamedTuple


class Edit(NamedTuple):
    """One replacement by one step (a tuple: millions are made on large corpora)."""

    step: str
    start: int  # in the step's input
    end: int
    before: str
    after: str
    note: str = ""
    uncertain: bool = False


def apply_edits(text: str, edits: list[Edit]) -> str:
    """The text with every edit applied. Edits must be sorted by start and not overlap."""
    if not edits:
        return text
    parts = []
    pos = 0
    for e in edits:
        parts.append(text[pos : e.start])
        parts.append(e.after)
        pos = e.end
    parts.append(text[pos:])
    return "".join(parts)


class LazyEdits(Sequence):
    """A step's edits, made into `Edit` tuples only when they are first read (`make()` builds them).

    Its length is known without building anything; it compares equal to the list it stands for.
    """

    __slots__ = ("_n", "_make", "_items")

    def __init__(self, n: int, make: Callable[[], list[Edit]]):
        self._n, self._make, self._items = n, make, None

    def _list(self) -> list[Edit]:
        if self._items is None:
            self._items = self._make()
            self._make = None
        return self._items

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, i):
        return self._list()[i]

    def __iter__(self):
        return iter(self._list())

    def __eq__(self, other) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    def __repr__(self) -> str:
        return f"LazyEdits({self._list()!r})"


_START, _END, _AFTER = itemgetter(1), itemgetter(2), itemgetter(4)


def _spans_of(edits: Sequence[Edit]):
    def spans():
        # C-level passes over the tuples (an attribute read of a named tuple is a Python-level descriptor)
        return (
            list(map(_START, edits)),
            list(map(_END, edits)),
            list(map(len, map(_AFTER, edits))),
        )

    return spans


class OffsetMap:
    """Maps offsets between a step's input and output, given its edits (sorted, non-overlapping).

    Built on first use. `same_length=True` declares that every edit keeps its length (t2s): the map is
    then the identity, and mapping costs nothing.
    """

    __slots__ = ("_spans", "_arrays", "same_length")

    def __init__(self, edits: Sequence[Edit] = (), *, same_length: bool = False, spans=None):
        # spans: (starts, ends, after lengths) as lists, or a function returning them (kept, not copied:
        # the caller does not change them); after lengths None when every edit deletes
        self._spans = spans if spans is not None else _spans_of(edits)
        self._arrays = None
        self.same_length = same_length

    def _build(self):
        starts, ends, after_lens = self._spans() if callable(self._spans) else self._spans
        if not isinstance(starts, list):
            starts, ends = list(starts), list(ends)
        # delta after each edit, as a running sum (C-level passes, no Python loop per edit); after_lens
        # None: every edit deletes (reading aids), so an edit's delta is start - end
        if after_lens is None:
            after_delta = list(accumulate(map(sub, starts, ends)))
            out_starts = list(map(add, starts, chain((0,), after_delta)))  # the delta before each edit
            out_ends = out_starts  # a deletion ends in the output where it starts (never changed in place)
        else:
            after_delta = list(accumulate(map(sub, after_lens, map(sub, ends, starts))))
            out_starts = list(map(add, starts, chain((0,), after_delta)))
            out_ends = list(map(add, ends, after_delta))
        self._arrays = (starts, ends, out_starts, out_ends)
        self._spans = None
        return self._arrays

    @property
    def in_starts(self) -> list[int]:
        return (self._arrays or self._build())[0]

    @property
    def in_ends(self) -> list[int]:
        return (self._arrays or self._build())[1]

    @property
    def out_starts(self) -> list[int]:
        return (self._arrays or self._build())[2]

    @property
    def out_ends(self) -> list[int]:
        return (self._arrays or self._build())[3]

    @staticmethod
    def _map(o: int, starts, ends, other_starts, other_ends, end: bool) -> int:
        i = bisect_right(starts, o) - 1
        if i < 0:
            return o
        s, e = starts[i], ends[i]
        if o == s:
            if s == e:  # at a deletion (or insertion) point: a start skips it, an end stops before it
                return other_starts[i] if end else other_ends[i]
            return other_starts[i]  # a span that ends where an edit begins does not take it in
        if o < e:
            if other_ends[i] - other_starts[i] == e - s:  # same length (t2s): character for character
                return other_starts[i] + (o - s)
            return other_ends[i] if end else other_starts[i]  # a start maps to its start, an end to its end
        return o - e + other_ends[i]

    def to_input(self, o: int, *, end: bool = False) -> int:
        """The input offset of output offset `o` (an `end` offset inside a replacement maps to its end)."""
        if self.same_length:
            return o
        in_s, in_e, out_s, out_e = self._arrays or self._build()
        return self._map(o, out_s, out_e, in_s, in_e, end)

    def to_output(self, i: int, *, end: bool = False) -> int:
        """The output offset of input offset `i`."""
        if self.same_length:
            return i
        in_s, in_e, out_s, out_e = self._arrays or self._build()
        return self._map(i, in_s, in_e, out_s, out_e, end)
