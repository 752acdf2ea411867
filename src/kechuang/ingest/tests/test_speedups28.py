"""Session 28's cuts in the mojibake step (speed7, #15 item 5): each fast path gives exactly what its plain
equivalent gives."""

import random
import re

from kechuang.ingest.parsers import gbk, mojibake
from kechuang.ingest.parsers.charsets import HAN

# ----------------------------------------------------------------------------- patterns opening on a character

_PINYIN = "a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü"
# the patterns as they were written before session 28: the lookbehinds first, tried at every place of a page
_PLAIN = {
    "_QMARKS_LETTER": re.compile(
        rf"(?:(?<=[{HAN}%])|(?<={mojibake._AID_CLOSE}))[?\ufffd]\?{{1,{mojibake._CONTINUED_PAIRS_MAX}}}"
        rf"(?=[A-Za-z@\[\]^_`{{|}}~][{HAN}“”、，。；：(（])"
    ),
    "_QUOTE_BANG": re.compile(rf"(?:(?<=[{HAN}])|(?<=[{_PINYIN}][)）]))!(?=\n|\Z|\*|_|\d)"),
    "_QUOTE_BANG_LOST": re.compile(
        rf"(?:(?<=[{HAN}])|(?<=[{_PINYIN}][)）]))" r"(?:\?\?(?=\n|\Z)|\ufffd!\ufffd(?=\n|\Z|\*|_|\d))"
    ),
}
_ALPHABET = list("強科%(jì)）)?!?\ufffd\ufffd\n*_12aAz“，x")


def test_patterns_opening_on_their_first_character_match_as_before():
    rng = random.Random(28)
    matched = 0
    for _ in range(30000):
        text = "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 14)))
        for name, plain in _PLAIN.items():
            fast = getattr(mojibake, name)
            spans = [m.span() for m in plain.finditer(text)]
            assert [m.span() for m in fast.finditer(text)] == spans, (name, text)
            matched += len(spans)
    assert matched > 100


# ----------------------------------------------------------------------------- _choose's close options


def _plain_close(keys: list, best: int, low, script) -> list[int]:
    return [j for j, k in enumerate(keys) if k[0] >= low and k[1] == script and j != best]


def test_close_options_are_the_plain_comprehensions():
    rng = random.Random(7)
    for _ in range(3000):
        keys = [
            (rng.choice([0, 1, 2, 2.0, 3]), rng.random() < 0.7, rng.randint(0, 3), rng.random(), rng.random())
            for _ in range(rng.randint(1, 40))
        ]
        best = keys.index(max(keys))
        low = keys[best][0] - gbk._LM_COVER
        assert gbk._close(keys, best, low, keys[best][1]) == _plain_close(keys, best, low, keys[best][1])


# ----------------------------------------------------------------------------- the page's echo counts


def test_echo_counts_are_remembered_and_the_same():
    text = "创新券(quàn)发放创新券，市級创新券" * 3
    page = gbk._OwnRare(text)
    plain = gbk._PAGE_AID.sub("", text)
    for s in ("创新券", "新券发", "券", "市级", "不在页上"):
        assert (
            page.echo(s)
            == page.echo(s)
            == (page.counts().pair(s[0], s[1]) if len(s) == 2 else plain.count(s))
        )
