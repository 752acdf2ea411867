"""Session 17's cuts in the mojibake step give exactly what the plain forms give (#15 item 5)."""

import random

from kechuang.ingest.parsers import gbk

_SCRIPTS = "的一是在不了有和人这这個个發发開开關关學学區区為为科技a1，。\ufffd\ud800\U00020000"


def test_a_pages_script_is_counted_as_by_the_character_sets():
    # the table look-up counts each character as membership of the two sets does (a lone surrogate and a
    # character beyond the BMP are neither)
    traditional, simple = gbk._script_chars()
    rng = random.Random(17)
    for _ in range(3000):
        text = "".join(rng.choice(_SCRIPTS) for _ in range(rng.randint(0, 40)))
        n_trad = sum(map(traditional.__contains__, text))
        expected = n_trad < gbk._TRADITIONAL_PAGE * sum(map(simple.__contains__, text))
        assert gbk._PageScript(text).simplified() == expected, text


def test_aids_are_judged_by_their_found_pairs_as_by_their_keys():
    # findall's (aid, character) pairs looked up as they are give the verdicts of the key strings
    from kechuang.ingest.parsers import inserts

    rng = random.Random(5)
    pieces = [
        "技(jì)",
        "科(kē)",
        "技(jí)",
        "\ufffd(jì)",
        "?chuàng)",
        "“(áo)",
        "（fā）",
        "發(fā)",
        "的",
        "，",
        "(x)",
    ]
    for _ in range(500):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        found = inserts._AID_KEYS.findall(text)
        expected = [inserts._AID_IS_ORDINARY[ch + aid] for aid, ch in found]
        assert list(map(inserts._FOUND_IS_ORDINARY.__getitem__, found)) == expected, text
        list(inserts._aid_matches(text))
        assert inserts._aided_chars(text) == frozenset(
            ch for (aid, ch), ok in zip(found, expected, strict=True) if ok
        ), text


def test_the_reading_aid_step_judges_pairs_as_the_plain_step_does():
    # the (character, aid) pairs looked up as they are: the plain step's edits and text on random pages
    from kechuang.ingest.parsers import steps
    from kechuang.ingest.parsers.edits import apply_edits

    rng = random.Random(7)
    pieces = [
        "開(kāi)",
        "發(fā)",
        "(kāi)",
        "工程(技术)",
        "開(xīn)",
        "技（jì）",
        "的",
        "，",
        "\n",
        "a(b)",
        "區",
    ]
    for _ in range(500):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        out, edits, _omap = steps.reading_aids_run(text)
        plain = steps.reading_aids_find_edits(text)
        assert out == apply_edits(text, plain), text
        assert list(edits) == plain, text
