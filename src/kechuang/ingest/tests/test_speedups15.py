"""Session 15's cuts in the mojibake step give exactly what the plain forms give (#15 item 5)."""

import random

from kechuang.ingest.parsers import gbk, inserts, lexicon


def test_wide_options_are_the_dictionary_tests_ones():
    # the plain definition: the 90 commonest options of a lost trail whose pair with the character before
    # is in the word table, after the 30 commonest
    logs = lexicon._word_logs()
    rng = random.Random(5)
    chars = sorted(c for c in lexicon._char_table() if "\u4e00" <= c <= "\u9fff")
    prevs = [
        *"的一是在不了有和人这中大为上个国科技创新企业研发成果转化合同省市县發開關",
        *rng.sample(chars, 60),
    ]
    prevs += ["，", "。", "a", "1", "\ufffd"]
    for lead in gbk._LEADS:
        tok = ("T", lead)
        options = gbk._fill_options(tok)
        for prev in prevs:
            plain = options + tuple(
                c for c in gbk._fill_options(tok, gbk._WIDE_OPTIONS) if prev + c in logs and c not in options
            )
            assert gbk._wide_options(tok, prev) == plain, (lead, prev)


def _plain_streams(variants, known):
    # the streams as built before the rest was shared among the leads
    for span, closing, end, lost, reading in variants:
        body = inserts._stream_of(span, lost)
        if body is None:
            continue
        for use_closing in (True, False) if closing and closing != "\ufffd" else (bool(closing),):
            tail = ([None] if closing == "\ufffd" else [ord(closing)]) if use_closing else []
            unused = "" if use_closing else closing
            for lead in known:
                yield [lead, *body, *tail], end, unused, reading


def _random_stream(rng: random.Random) -> list:
    out = []
    for _ in range(rng.randint(0, 14)):
        r = rng.random()
        if r < 0.15:
            out.append(None)
        elif r < 0.25:
            out.append(rng.choice(b"!,.;:A1)("))
        elif r < 0.35:
            out.append(rng.choice((0x80, 0xFF, 0xA1, 0xA3, 0xAC)))
        else:
            out.append(rng.randint(0x81, 0xFE) if rng.random() < 0.5 else rng.randint(0x40, 0xFE))
    return out


def test_led_tokens_are_the_whole_streams_tokens():
    rng = random.Random(15)
    page = "芷阳岚江栎川芷阳岚江栎川的科技"
    token = gbk.OWN_RARE.set(gbk.page_rare(page))
    try:
        for _ in range(20000):
            rest = _random_stream(rng)
            if rng.random() < 0.3:  # a real GBK run with a lost byte or two
                text = "".join(
                    rng.choice("科技创新企业研发成果芷阳岚江栎川鍾") for _ in range(rng.randint(1, 6))
                )
                rest = list(text.encode("gbk"))[1:]
                for _ in range(rng.randint(0, 2)):
                    if rest:
                        rest[rng.randrange(len(rest))] = None
            rest_tokens = gbk._tokens(rest, start=1)
            for lead in (0x81, 0xA3, 0xB0, 0xBC, 0xC6, 0xD6, 0xF7, 0xFE):
                assert gbk._led_tokens(lead, rest, rest_tokens) == gbk._tokens([lead, *rest]), (lead, rest)
    finally:
        gbk.OWN_RARE.reset(token)


def test_aid_streams_with_the_lead_in_front_are_the_plain_streams():
    variants = [
        ("技術", "\ufffd", 9, 1, ""),
        ("技術\ufffd發", "A", 12, 2, "fā"),
        ("科技", "", 7, 1, ""),
        ("科技", ")", 7, 1, ""),
        ("\u00e9", "", 5, 1, ""),  # not GBK: no stream
    ]
    known = [0xB0, 0xBC, 0xD6]
    shared = [
        ([lead, *rest], end, unused, reading)
        for lead, rest, end, unused, reading in inserts._aid_streams(variants, known)
    ]
    assert shared == list(_plain_streams(variants, known))


def test_aid_leads_are_remembered_as_computed():
    for prev, trigger in [
        ("技", "(jì)"),
        ("技", "?jì)"),
        ("高", "(gāo)"),
        ("a", "(jì)"),
        ("技", ","),
        ("\u00e9", "(e)"),
    ]:
        first = inserts._aid_leads(prev, trigger)
        assert isinstance(first, list)
        first.append(-1)  # a caller's list is its own
        assert inserts._aid_leads(prev, trigger) == first[:-1]


def test_suspicious_matches_are_the_kept_triggers():
    # `_suspicious_matches` tries the pattern only near a suspicious character or at U+FFFD: the same
    # matches as the pattern's own scan, on generated report pages and on random strings with suspicious
    # characters at every distance from the marks (the lookahead's reach is 24)
    import sys
    from pathlib import Path

    from kechuang.ingest.parsers import mojibake

    sys.path.insert(0, str(Path(__file__).resolve().parents[4] / "benchmarks" / "ingest"))
    try:
        from bench_ingest import make_corpus
    finally:
        sys.path.pop(0)

    def plain(text):
        return [(m.span(), m.groupdict()) for m in mojibake._KEPT_TRIGGER.finditer(text)]

    found = 0
    for doc in make_corpus(0.3, 3):
        expected = plain(doc)
        assert [(m.span(), m.groupdict()) for m in mojibake._suspicious_matches(doc)] == expected
        found += len(expected)
    assert found > 50
    rng = random.Random(9)
    susp = sorted(mojibake._SPAN_SUSPICIOUS.replace("\\", ""))[:200] + ["\ue000", "\uf8ff"]
    plain_chars = list("強科技行動總結省廳開發，。、；：“”（）%”）》 \n12Abz")
    marks = list(",;:!?()%.@[]^_`{|}~-/") + ["\ufffd", "(kāi)", ",高\ufffd⒖蒲性核\ufffd"]
    found = 0
    for i in range(6000):
        pieces = []
        for _ in range(rng.randint(0, 200 if i % 10 == 0 else 50)):
            r = rng.random()
            pieces.append(
                rng.choice(marks) if r < 0.2 else rng.choice(susp) if r < 0.25 else rng.choice(plain_chars)
            )
        text = "".join(pieces)
        expected = plain(text)
        assert [(m.span(), m.groupdict()) for m in mojibake._suspicious_matches(text)] == expected, text
        found += bool(expected)
    assert found > 1000


def test_damaged_covers_is_any_span():
    from kechuang.ingest.parsers import mojibake

    class Span:
        def __init__(self, s, e):
            self.s, self.e = s, e

        def start(self):
            return self.s

        def end(self):
            return self.e

    rng = random.Random(21)
    for _ in range(500):
        spans = []
        for _ in range(rng.randint(0, 12)):
            s = rng.randint(0, 60)
            spans.append(Span(s, s + rng.randint(0, 15)))
        text = "".join(
            rng.choice("強科技,;:!?，。%)(kāi)12 \n靶⌒萍夹椭會合作") for _ in range(rng.randint(0, 80))
        )
        damaged = mojibake._Damaged(list(spans), text)
        every = list(mojibake._Damaged(list(spans), text))
        for q in range(-2, 100):
            assert damaged.covers(q) == any(o.start() <= q < o.end() for o in every), (q, text)
