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
