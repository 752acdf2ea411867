from kechuang.ingest.parsers.edits import Edit, OffsetMap, apply_edits


def e(start, end, before, after):
    return Edit("t", start, end, before, after)


def test_apply_edits_replaces_deletes_and_inserts():
    text = "abcdefgh"
    edits = [e(1, 2, "b", "BB"), e(3, 5, "de", ""), e(6, 6, "", "+")]
    assert apply_edits(text, edits) == "aBBcf+gh"


def test_offset_map_both_ways_computed_by_hand():
    # "abcdefgh" -> "aBBcf+gh"
    m = OffsetMap([e(1, 2, "b", "BB"), e(3, 5, "de", ""), e(6, 6, "", "+")])
    # c: input 2 -> output 3; f: input 5 -> output 4; g: input 6 -> output 6 (after the insertion)
    assert m.to_output(2) == 3
    assert m.to_output(5) == 4
    assert m.to_output(6) == 6
    assert m.to_output(6, end=True) == 5  # a span ending at g stops before the inserted "+"
    assert m.to_input(3) == 2
    assert m.to_input(4) == 5  # f sits where "de" was deleted: a start skips the deleted text ...
    assert m.to_input(4, end=True) == 3  # ... an end stops before it
    assert m.to_input(6) == 6
    # inside the "BB" replacement: a start maps to its start, an end to its end
    assert m.to_input(2) == 1
    assert m.to_input(2, end=True) == 2
    assert m.to_input(8) == 8


def test_same_length_replacements_map_character_for_character():
    m = OffsetMap([e(2, 6, "個國家重", "个国家重")])
    assert m.to_input(4) == 4
    assert m.to_output(3, end=True) == 3


def test_repair_many_gives_what_repair_gives_text_by_text():
    from kechuang.ingest import parsers

    from .golden import SAMPLE

    sample = parsers.decode_document(SAMPLE.read_bytes(), SAMPLE.name).text
    texts = [sample, "", "開(kāi)發,工程(技術)**省略\ufffd靶⌒突", sample[:500], "强科技行动"]
    batched = parsers.repair_many(texts)
    assert len(batched) == len(texts)
    for text, many in zip(texts, batched, strict=True):
        one = parsers.repair(text)
        assert many.text == one.text and many.original == text
        assert many.changes() == one.changes()
        assert [many.to_original(o) for o in range(len(one.text) + 1)] == [
            one.to_original(o) for o in range(len(one.text) + 1)
        ]
    assert batched[0].edit_count > 100
