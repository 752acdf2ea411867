"""Session 16's cuts in the mojibake step give exactly what the plain forms give (#15 item 5)."""

import random

from kechuang.ingest.parsers import gbk, inserts, lexicon

_CHARS = "的一是在不了有和人这中大为上个国科技创新企业研发成果转化合同成交额省市县區發開關鍵，。、；：“”0123456789AbK？"


def test_option_scores_remembered_by_neighbourhood_are_the_programmes():
    # heads that differ further back than their last four scores and three characters (an aid's lost leads)
    # take the scores found before: the same as scoring each text alone
    rng = random.Random(16)
    tokens = [("L", b) for b in range(0x40, 0xFF, 7)] + [("T", b) for b in range(0x81, 0xFF, 5)]
    lexicon._AFTER.clear()
    for _ in range(300):
        near = "".join(rng.choice(_CHARS) for _ in range(rng.randint(0, 5)))
        tail = "".join(rng.choice(_CHARS) for _ in range(rng.randint(0, 4)))
        options = gbk._fill_options(rng.choice(tokens))
        for _lead in range(3):
            head = "".join(rng.choice(_CHARS) for _ in range(rng.randint(0, 4))) + near
            expected = [lexicon._dp(lexicon.simplified(head + c + tail), None, 0)[-1] for c in options]
            lexicon._OPTION_SCORES.clear()
            assert lexicon.plausibility_options(head, options, tail) == expected, (head, tail)
    assert len(lexicon._AFTER) < 900  # (neighbourhoods met again)


def test_known_leads_are_remembered_as_computed():
    rng = random.Random(3)
    prevs = [*"技占科的创新发展國", "\ufffd", "a"]
    triggers = ["(jì)", "\ufffd(jì)", "?chuàng)", "(yè)", "（fā）", "(x)", "(de)"]
    aideds = [frozenset(), frozenset("继纪技"), frozenset(rng.sample(_CHARS, 8))]
    for prev in prevs:
        for trigger in triggers:
            for aided in aideds:
                plain = [b for b in inserts._aid_leads(prev, trigger) if b >= 0x81]
                if plain and aided:
                    p2 = prev.encode("gbk", errors="replace")[-1]
                    plain = [b for b in plain if inserts._decode_pair(p2, b) in aided] or plain
                text = "在" + prev + trigger
                assert inserts._known_leads(text, 2, trigger, aided) == plain
                assert inserts._known_leads(text, 2, trigger, aided) == plain  # remembered


def _pages():
    rng = random.Random(11)
    pieces = [
        *"科技創新企業合作的了，。、；：“”（）%xF@ \n\ufffd?12",
        "(jì)",
        "技(jì)",
        "（hé）",
        "(ài)",
        "合（ài）",
        "術(shù)",
        "技(jì)陴赜焐枇",
        "(jì)顒油度搿⒖萍",
        "ā",
        "á",
        "ｗ",
        "㈥",
        "\ue5e5",
    ]
    for i in range(4000):
        yield "".join(rng.choice(pieces) for _ in range(rng.randint(0, 200 if i % 10 == 0 else 30)))


def test_ordinary_then_garbled_matches_are_the_patterns_matches():
    found = 0
    for text in _pages():
        expected = [(m.span(), m.group()) for m in inserts._ORDINARY_THEN_GARBLED.finditer(text)]
        assert [(m.span(), m.group()) for m in inserts._ordinary_then_garbled_matches(text)] == expected, text
        found += bool(expected)
    assert found > 400


def _plain_aid_matches(text: str) -> list[tuple[int, str]]:
    # the aid scan as written before: the odd aids located by their keys, then the ordinary ones before a
    # garbled run, by finditer
    found = inserts._AID_KEYS.findall(text) if ")" in text or "）" in text else ()
    if not found:
        return []
    starts = []
    for key in {ch + aid for aid, ch in found if not inserts._AID_IS_ORDINARY[ch + aid]}:
        pos = text.find(key)
        while pos >= 0:
            starts.append((pos + 1, key[1:]))
            pos = text.find(key, pos + len(key))
    return sorted(starts) + [(m.start(), m.group()) for m in inserts._ORDINARY_THEN_GARBLED.finditer(text)]


def _plain_aided_chars(text: str) -> frozenset[str]:
    found = inserts._AID_KEYS.findall(text) if ")" in text or "）" in text else ()
    return frozenset(ch for aid, ch in found if inserts._AID_IS_ORDINARY[ch + aid])


def test_aid_scan_and_aided_chars_are_the_plain_ones():
    odd = 0
    for text in _pages():
        matches = [(m.start(), m.group("t")) for m in inserts._aid_matches(text)]
        assert matches == _plain_aid_matches(text), text
        assert inserts._aided_chars(text) == _plain_aided_chars(text)
        # ... and with another text scanned last
        list(inserts._aid_matches("技(jì)"))
        assert inserts._aided_chars(text) == _plain_aided_chars(text)
        odd += any(not isinstance(m, inserts._OrdinaryMatch) for m in inserts._aid_matches(text))
    assert odd > 400
