"""The whole sample report: repaired text against the expected text a careful person wrote, and the
facts against the hand-written list (the golden files in fixtures/, see SOURCE.md)."""

from kechuang.ingest import parsers

from .golden import EXPECTED, SAMPLE, score_facts, text_match_ratio


def _repaired():
    decoded = parsers.decode_document(SAMPLE.read_bytes(), SAMPLE.name)
    return decoded, parsers.repair(decoded.text)


def test_whole_document_matches_the_expected_text():
    _decoded, result = _repaired()
    expected = EXPECTED.read_text(encoding="utf-8").rstrip("\n")
    ratio = text_match_ratio(result.text, expected)
    print(f"share of matching characters: {ratio:.4f}")
    assert result.text == expected


def test_naive_conversion_is_far_from_expected():
    """The yardstick can fail: OpenCC alone leaves aids, notices and mojibake in."""
    import opencc

    naive = opencc.OpenCC("t2s").convert(SAMPLE.read_text(encoding="utf-8"))
    assert text_match_ratio(naive, EXPECTED.read_text(encoding="utf-8")) < 0.9


def test_every_change_points_at_its_text_in_the_original_and_repaired():
    decoded, result = _repaired()
    changes = result.changes()
    assert len(changes) == result.edit_count
    first_steps = {"mojibake", "reading_aids"}  # these see the original's text unchanged at their place
    for c in changes:
        assert 0 <= c.orig_start <= c.orig_end <= len(decoded.text)
        assert 0 <= c.rep_start <= c.rep_end <= len(result.text)
        if c.step in first_steps:
            assert decoded.text[c.orig_start : c.orig_end] == c.before
        if c.step == "t2s":
            assert result.text[c.rep_start : c.rep_end] == c.after


def test_facts_recall_and_extras_on_the_sample():
    decoded, result = _repaired()
    facts = parsers.extract_facts(result.text, result=result)
    found, total, missed, extra = score_facts(facts)
    print(
        f"facts: {found}/{total} found, {len(extra)} extra; missed {missed}; extra {[f.subject for f in extra]}"
    )
    assert found >= 28, missed
    assert len(extra) <= 2
    for f in facts:
        # every fact's figure sits in the repaired text and maps back into the original
        assert result.text[f.start : f.end]
        assert any(
            ch.isdigit() or ch in "一二两兩三四五六七八九十" for ch in decoded.text[f.orig_start : f.orig_end]
        )
        assert result.text[f.sentence_start : f.sentence_end].strip() == f.quote
