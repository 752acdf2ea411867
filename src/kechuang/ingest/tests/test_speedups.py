"""The batched forms of the repair's scoring give exactly what the one-by-one forms give (#15 item 5)."""

import random

from kechuang.ingest.parsers import charlm, lexicon
from kechuang.ingest.parsers.gbk import _fill_options
from kechuang.ingest.tests.marks import as_read

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


def test_plausibility_options_with_line_breaks_matches_plausibility_of_each_text():
    # texts holding a line break are converted with the others (a line break ends every OpenCC phrase)
    for head, options, tail in _samples(200, 4):
        head, tail = head[:3] + "\n" + head[3:], tail + "\n發"
        expected = [lexicon._dp(lexicon.simplified(head + c + tail), None, 0)[-1] for c in options]
        assert lexicon.plausibility_options(head, options, tail) == expected, (head, tail)
        assert lexicon.plausibility_options(head, options, tail) == expected  # remembered


def test_letter_trail_matches_are_the_patterns_matches():
    from kechuang.ingest.parsers import mojibake

    rng = random.Random(5)
    pieces = [
        *"科技創新企業合作，。、；：“”,;:!?()（）%xFlIz@[_~ \n\ufffd12",
        "(kāi)",
        "(jì)",
        "（hé）",
        "?萍",
        ",F將",
    ]
    found = 0
    for i in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 300 if i % 10 == 0 else 60)))
        expected = [(m.span(), m.groupdict()) for m in mojibake._LETTER_TRAIL.finditer(text)]
        assert [(m.span(), m.groupdict()) for m in mojibake._letter_trail_matches(text)] == expected, text
        found += bool(expected)
    assert found > 300


def test_options_shape_is_read_from_the_joined_conversion():
    # the texts' shape (the same converted head and tail, one character in the option's place) is read
    # from OpenCC's conversion of all of them joined: taken where it holds, refused where it does not
    head, tail = "科技創新", "成果"
    options = ("企", "發", "。", "的")
    joined = lexicon._t2s().convert(head + (tail + "\n" + head).join(options) + tail)
    scores = lexicon._options_by_neighbours(joined, len(options), len(head), len(tail))
    assert scores == [lexicon._dp(lexicon.simplified(head + c + tail), None, 0)[-1] for c in options]
    # a line break inside the head, an option of two characters, an option OpenCC joins to a phrase
    for head, options, tail in (
        ("科技\n創新", ("企", "發"), "成果"),
        ("科技", ("企業", "發"), "成果"),
        ("", ("乾", "發"), "隆"),
    ):
        joined = lexicon._t2s().convert(head + (tail + "\n" + head).join(options) + tail)
        texts = [head + c + tail for c in options]
        if lexicon._options_by_neighbours(joined, len(options), len(head), len(tail)) is not None:
            converted = joined.split("\n")
            assert len(converted) == len(texts)
            assert len({c[: len(head)] for c in converted}) == 1
        expected = [lexicon._dp(lexicon.simplified(t), None, 0)[-1] for t in texts]
        assert lexicon._plausibility_options(head, options, tail) == expected
    assert lexicon._options_by_neighbours("科技\n創新", 2, 2, 0) is None  # lines of another shape


def _plain_programme(s: str) -> list[tuple[int, int, float]]:
    # the scoring as first written: every word of 2-4 characters ending at i, and a point for a mark
    best = [(0, 0, 0.0)]
    for i in range(1, len(s) + 1):
        cand = best[i - 1]
        if s[i - 1] in lexicon._PUNCT:
            cand = (cand[0] + 1, cand[1], cand[2])
        for k in (2, 3, 4):
            w = lexicon.word_log(s[i - k : i]) if i >= k else 0.0
            if w:
                prev = best[i - k]
                cand = max(cand, (prev[0] + k, prev[1] - 1, prev[2] + w))
        best.append(cand)
    return best


def test_programme_matches_the_plain_one_from_any_known_prefix():
    rng = random.Random(6)
    texts = ["", "。", "的", "，的", "科技创新", "科技创新。企业研发，成果转化", "中华人民共和国科技部"]
    texts += ["".join(rng.choice(_CHARS) for _ in range(rng.randint(0, 24))) for _ in range(400)]
    for s in texts:
        expected = _plain_programme(s)
        assert lexicon._dp(s, None, 0) == expected, s
        other = s[: rng.randint(0, len(s))] + "".join(rng.choice(_CHARS) for _ in range(3))
        shared = 0
        while shared < min(len(s), len(other)) and s[shared] == other[shared]:
            shared += 1
        assert lexicon._dp(s, _plain_programme(other), shared) == expected, (s, other)


def test_warm_up_fills_a_lost_trails_wider_options():
    from kechuang.ingest.parsers import gbk

    gbk.warm_up()
    misses = gbk._fill_options.cache_info().misses
    for lead in gbk._LEADS:
        gbk._fill_options(("T", lead), gbk._WIDE_OPTIONS)
    assert gbk._fill_options.cache_info().misses == misses


# characters that may both close a match (group a) and open one (group t): the first scan resumed at them
TRAIL_TRIGGERS = frozenset("@[\\]^_`{|}~\ufffd")


def _plain_trigger_scan(text: str) -> list:
    """The mojibake trigger scan as first written: search from the last match's end, keep a match whose
    trigger is U+FFFD or whose span holds a suspicious character; a dropped match whose closing byte can
    open a match resumes at that byte."""
    from kechuang.ingest.parsers import mojibake

    out, pos = [], 0
    while (m := mojibake._TRIGGER.search(text, pos)) is not None:
        if mojibake._SUSPICIOUS_RE.search(m.group("t") + m.group("s")):
            out.append(m)
            pos = m.end()
        elif m.group("a") in TRAIL_TRIGGERS:
            pos = m.end() - 1
        else:
            pos = m.end()
    return out


def test_suspicious_matches_are_the_plain_scans():
    from kechuang.ingest.parsers import mojibake

    rng = random.Random(7)
    pieces = [
        *"強科技行動總結省廳開發，。、；：“”,;:!?()（）%”）》@[\\]^_`{|}~ \nAbz12\ufffd\ufffd靶⌒突仉萍夹椭行∑笠⒖",
        "(kāi)",
        ",高\ufffd⒖蒲性核\ufffd",
        "\ufffd@",
    ]
    found = trail_closed = 0
    for i in range(4000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 300 if i % 10 == 0 else 60)))
        expected = [(m.span(), m.groupdict()) for m in _plain_trigger_scan(text)]
        assert [(m.span(), m.groupdict()) for m in mojibake._suspicious_matches(text)] == expected, text
        found += bool(expected)
        trail_closed += any(g["a"] in TRAIL_TRIGGERS for _s, g in expected)
    assert found > 1000 and trail_closed > 100


def test_mark_runs_that_may_open_are_found_by_the_narrower_pattern():
    from kechuang.ingest.parsers import mojibake
    from kechuang.ingest.parsers.repair import warm_up

    warm_up()
    maybe = mojibake._mark_run_maybe()
    marks = maybe.pattern[len("(?P<t>[") : maybe.pattern.index("]")].replace("\\", "")
    assert "," not in marks and set(marks) <= set(",;:!?")
    # a mark left out never opens a run, whatever character follows it
    chars = [chr(c) for c in range(0x80, 0x10000) if not chr(c).isspace() and c != 0xFFFD]
    for mark in set(",;:!?") - set(marks):
        assert not any(mojibake._mark_run_opens(mark, c) for c in chars), mark
    rng = random.Random(11)
    opened = 0
    pieces = [*"強科技行動總結,;:!?，。%)(kāi)12 \n\ufffd靶⌒萍夹椭會合作", "(jì),", "；會", ":献", "?萍"]
    for _ in range(2000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 80)))

        def opening(runs, text=text):
            return [r.span() for r in runs if mojibake._MARK_RUN_OPENS[text[r.start() : r.start() + 2]]]

        assert opening(maybe.finditer(text)) == opening(mojibake._MARK_RUN.finditer(text)), text
        # the trigger scan hands on `_MARK_RUN`'s own matches (the repair tells mark runs by their pattern)
        runs = [m for m in mojibake._trigger_matches(text) if getattr(m, "re", None) is mojibake._MARK_RUN]
        assert [r.span() for r in runs] == opening(mojibake._MARK_RUN.finditer(text)), text
        opened += bool(runs)
        spans = [r.span() for r in mojibake._MARK_RUN.finditer(text)]
        assert (
            sorted(opening(maybe.finditer(text)) + [r.span() for r in mojibake._idle_mark_runs(text)])
            == spans
        )
        damaged = mojibake._Damaged([], text)
        assert (
            sorted(m.span() for m in damaged)
            == sorted(m.span() for m in damaged)
            == sorted(r.span() for r in mojibake._idle_mark_runs(text))
        )
    assert opened > 200


def test_a_mark_run_that_opens_is_read_as_one():
    from kechuang.ingest.parsers import mojibake

    # ： = A3 BA straddled 校|合 (高校合作): 献 is 合's trail and 作's lead read out of step
    edits = mojibake.find_edits("研發(fā)團隊(duì)與高:献,從材料體系設計")
    assert [(e.before, as_read(e.after)) for e in edits] == [(":献", "校合作")]
