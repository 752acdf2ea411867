"""The offset maps against a plain reference (the arithmetic as first written), on random edit lists."""

from bisect import bisect_right

from hypothesis import given, settings
from hypothesis import strategies as st

from kechuang.ingest.parsers.edits import Edit, OffsetMap, apply_edits
from kechuang.ingest.parsers.repair import RepairResult


def _ref_arrays(edits):
    in_s, in_e, out_s, out_e, delta = [], [], [], [], 0
    for e in edits:
        in_s.append(e.start)
        in_e.append(e.end)
        out_s.append(e.start + delta)
        delta += len(e.after) - (e.end - e.start)
        out_e.append(e.end + delta)
    return in_s, in_e, out_s, out_e


def _ref_map(o, starts, ends, other_starts, other_ends, end):
    i = bisect_right(starts, o) - 1
    if i < 0:
        return o
    s, e = starts[i], ends[i]
    if o == s:
        if s == e:
            return other_starts[i] if end else other_ends[i]
        return other_starts[i]
    if o < e:
        if other_ends[i] - other_starts[i] == e - s:
            return other_starts[i] + (o - s)
        return other_ends[i] if end else other_starts[i]
    return o - e + other_ends[i]


@st.composite
def _steps(draw):
    """A text and up to four steps of sorted, non-overlapping edits (insertions, deletions, same-length
    and other replacements), each step on the previous one's output."""
    text = draw(st.text(alphabet="abcde", max_size=30))
    stages, current = [], text
    for _ in range(draw(st.integers(0, 4))):
        cuts = sorted(draw(st.lists(st.integers(0, len(current)), max_size=12)))
        edits = []
        for a, b in zip(cuts[0::2], cuts[1::2], strict=False):
            after = draw(st.sampled_from(["", "X", "YY", "ZZZ", "W" * (b - a)]))
            edits.append(Edit("t", a, b, current[a:b], after))
        edits = [e for k, e in enumerate(edits) if k == 0 or e.start >= edits[k - 1].end]
        stages.append(edits)
        current = apply_edits(current, edits)
    return text, stages, current


@settings(max_examples=400, deadline=None)
@given(_steps(), st.booleans())
def test_result_maps_offsets_as_the_reference_does_step_by_step(case, end):
    text, stages, out = case
    result = RepairResult(original=text, text=out)
    for k, edits in enumerate(stages):
        result.stages.append((f"s{k}", edits, OffsetMap(edits)))
    offsets = list(range(len(out) + 2))
    expected = []
    for o in offsets:
        for edits in reversed(stages):
            in_s, in_e, out_s, out_e = _ref_arrays(edits)
            o = _ref_map(o, out_s, out_e, in_s, in_e, end)
        expected.append(o)
    assert result.to_original_many(offsets, end=end) == expected
    assert [result.to_original(o, end=end) for o in offsets] == expected
    forward = []
    for o in range(len(text) + 2):
        for edits in stages:
            in_s, in_e, out_s, out_e = _ref_arrays(edits)
            o = _ref_map(o, in_s, in_e, out_s, out_e, end)
        forward.append(o)
    assert [result.to_repaired(o, end=end) for o in range(len(text) + 2)] == forward


@settings(max_examples=200, deadline=None)
@given(_steps())
def test_deletions_given_as_spans_map_as_their_edits_do(case):
    _text, stages, _out = case
    for edits in stages:
        deletions = [e._replace(after="") for e in edits]
        from_edits = OffsetMap(deletions)
        from_spans = OffsetMap(spans=([e.start for e in edits], [e.end for e in edits], None))
        assert (from_spans.in_starts, from_spans.in_ends, from_spans.out_starts, from_spans.out_ends) == (
            from_edits.in_starts,
            from_edits.in_ends,
            from_edits.out_starts,
            from_edits.out_ends,
        )
        assert (from_edits.out_starts, from_edits.out_ends) == _ref_arrays(deletions)[2:]
