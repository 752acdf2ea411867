"""Edits: what a repair step changed, and the offset arithmetic between a step's input and output.

An edit replaces `text[start:end]` (offsets in the step's input) by `after`. A step's edits are sorted
and never overlap, so a step is fully described by them and can be undone by swapping before/after.
"""

from bisect import bisect_right
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


class OffsetMap:
    """Maps offsets between a step's input and output, given its edits (sorted, non-overlapping)."""

    __slots__ = ("in_starts", "in_ends", "out_starts", "out_ends")

    def __init__(self, edits: list[Edit]):
        self.in_starts: list[int] = []
        self.in_ends: list[int] = []
        self.out_starts: list[int] = []
        self.out_ends: list[int] = []
        delta = 0
        for e in edits:
            self.in_starts.append(e.start)
            self.in_ends.append(e.end)
            self.out_starts.append(e.start + delta)
            delta += len(e.after) - (e.end - e.start)
            self.out_ends.append(e.end + delta)

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
        return self._map(o, self.out_starts, self.out_ends, self.in_starts, self.in_ends, end)

    def to_output(self, i: int, *, end: bool = False) -> int:
        """The output offset of input offset `i`."""
        return self._map(i, self.in_starts, self.in_ends, self.out_starts, self.out_ends, end)
