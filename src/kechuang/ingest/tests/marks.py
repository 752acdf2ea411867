"""A repaired text read as the tests of earlier repair sessions read it: the marks of Chinese characters the repair
guessed (`〔存疑：輪舞〕`, with a guessed character's own reading aid inside, `〔存疑：度(dù)〕`) as the characters they
hold, as `benchmarks/ingest/corpus_eval.normalise` reads every mark for the benchmark.

Only marks holding Chinese characters are read so: a mark of a lost figure or mark (`〔存疑：？〕`, `〔存疑：2〕025年`) stays
as it is, and a test that expects one still finds it. A test about which characters are marked compares the text
itself, not this reading.
"""

import re

from kechuang.ingest.parsers.charsets import HAN
from kechuang.ingest.parsers.steps import _TONE_LETTERS

_HAN_MARK = re.compile(rf"〔存疑：((?:[{HAN}](?:\([{_TONE_LETTERS}]{{1,7}}\))?)+)〕")


def as_read(text: str) -> str:
    """`text` with each mark of Chinese characters (and their own aids) read as the characters it holds."""
    return _HAN_MARK.sub(r"\1", text)
