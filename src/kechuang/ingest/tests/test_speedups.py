"""The batched forms of the repair's scoring give exactly what the one-by-one forms give (#15 item 5)."""

import random

from kechuang.ingest.parsers import charlm, lexicon
from kechuang.ingest.parsers.gbk import _fill_options

_CHARS = "的一是在不了有和人这中大为上个国科技创新企业研发成果转化合同成交额省市县區發開關鍵，。、；：“”0123456789AbK？"


def _samples(n: int, seed: int):
    rng = random.Random(seed)
    tokens = [("L", b) for b in range(0x40, 0xFF, 7)] + [("T", b) for b in range(0x81, 0xFF, 5)]
    for _ in range(n):
        head = "".join(rng.choice(_CHARS) for _ in range(rng.randint(0, 8)))
        tail = "".join(rng.choice(_CHARS) for _ in range(rng.randint(0, 5)))
        options = _fill_options(rng.choice(tokens))
        if rng.random() < 0.3:
            options = (*options[:5], *rng.sample(_CHARS, 5))
        yield head, options, tail


def test_plausibility_options_matches_plausibility_of_each_text():
    for head, options, tail in _samples(400, 1):
        expected = [lexicon._dp(lexicon.simplified(head + c + tail), None, 0)[-1] for c in options]
        assert lexicon.plausibility_options(head, options, tail) == expected, (head, tail)


def test_scores_between_matches_score_of_each_text():
    for head, options, tail in _samples(400, 2):
        left, right = head[-2:], tail[:2]
        middles = [*options, *(a + b for a, b in zip(options, options[1:], strict=False))]
        assert charlm.scores_between(left, middles, right) == [
            charlm.score(left + m + right) for m in middles
        ]


def test_plausibility_many_matches_plausibility():
    rng = random.Random(3)
    base = "".join(rng.choice(_CHARS) for _ in range(30))
    texts = [
        base[: rng.randint(0, 30)] + "".join(rng.choice(_CHARS) for _ in range(rng.randint(0, 6)))
        for _ in range(300)
    ]
    texts += ["", "国", "a\nb", *texts[:5]]
    lexicon._SCORES.clear()
    expected = [lexicon._dp(lexicon.simplified(t), None, 0)[-1] for t in texts]
    assert lexicon.plausibility_many(texts) == expected
    assert lexicon.plausibility_many(texts) == expected  # the second time from the remembered scores
