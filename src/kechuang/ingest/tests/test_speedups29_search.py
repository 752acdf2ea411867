"""Session 29's changes to the mojibake step's search (speed10, #15 criterion 5): the ties of an aid's re-reading
are those of the reading taken only, and each fast path gives exactly what its plain equivalent gives."""

from hypothesis import given, settings
from hypothesis import strategies as st

from kechuang.ingest.parsers import figures, inserts, mojibake

# ----------------------------------------------------------------------------- the ties of the reading taken

# an aid inside a character: the aid (jiā) pins the lead of the lost character, and the stream taken reads 要, a
# tie its own fill noted (marked); another lead's stream, not taken, reads 技希求 and its fill notes 希 as a tie
# between 技 and 求 - a stream that decides nothing on the page
_PAGE = "、組織項目實施,把強科技\ufffd(jiā)\ufffd求體現(xiàn)在產(chǎn)業(yè)、"
_LOSER = ("技", "希", "求")


def _ties_of(text: str, monkeypatch) -> dict:
    seen = {}

    def spy(text, edits, ties):
        seen.update(ties)
        return edits

    monkeypatch.setattr(mojibake, "_mark_ties", spy)
    mojibake.find_edits(text)
    return seen


def test_the_taken_readings_tie_is_marked():
    (edit,) = mojibake.find_edits(_PAGE)
    assert edit.after == "〔存疑：要〕" and edit.uncertain


def test_a_losing_streams_tie_is_not_noted(monkeypatch):
    ties = _ties_of(_PAGE, monkeypatch)
    assert ("技", "要", "求") in ties
    assert _LOSER not in ties


def test_the_losing_stream_does_note_that_tie_when_its_ties_are_kept(monkeypatch):
    # the rule before session 29: every stream's fill noted its ties on the page (what the test above rules out)
    monkeypatch.setattr(inserts, "_filled_noting", lambda ties, *a, **k: (inserts._fill(*a, **k), None))
    assert _LOSER in _ties_of(_PAGE, monkeypatch)


# ----------------------------------------------------------------------------- figures.widen


def _plain_widen(head: str, options: tuple[str, ...], more: tuple[str, ...]) -> tuple[str, ...]:
    found = figures.table()
    extra = tuple(
        c
        for c in more
        if c not in options
        and any(
            (w := figures._ending(head, c, k)) is not None and found.get(w, 0) >= figures._FIG_MIN
            for k in (2, 3)
        )
    )
    return options + extra if extra else options


def _table_chars() -> str:
    chars = sorted({c for w in figures.table() for c in w})
    return "".join(chars) + "為達個年數與產億萬增長億計到約占a1。，、（ \ufffd"


_CHARS = _table_chars()
_TEXT = st.text(alphabet=_CHARS, max_size=4)
_OPTION = st.one_of(st.sampled_from(_CHARS), st.text(alphabet=_CHARS, max_size=2))


@settings(max_examples=1000, deadline=None)  # was 3000 (testtime19): the time was the examples
@given(_TEXT, st.lists(st.sampled_from(_CHARS), max_size=4), st.lists(_OPTION, max_size=30))
def test_widen_is_the_plain_form(head, options, more):
    options, more = tuple(options), tuple(more)
    assert figures.widen(head, options, more) == _plain_widen(head, options, more)


def test_widen_adds_options_on_the_corpus_table():
    # the property test above reaches the rule's both outcomes: strings of the table are found
    good = sorted(figures._common_before_figures())
    two = [w for w in good if len(w) == 2][:50]
    assert two
    for w in two:
        assert figures.widen(w[0], (), (w[1], "a")) == _plain_widen(w[0], (), (w[1], "a")) == (w[1],)
