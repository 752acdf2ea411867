"""Count the character pairs of the corpus's train split for the mojibake repair's character model.

    .venv/bin/python benchmarks/ingest/corpus/build_charlm.py           # writes the app's data file
    .venv/bin/python benchmarks/ingest/corpus/build_charlm.py --check   # the file is what it makes

Reads only `train/` (build_train.py); never the dev or held-out split. Writes
src/kechuang/ingest/data/charlm_train.tsv from its reports (`train-NNN.txt`): one line per character (`c<TAB>count`) and per pair of
characters (`ab<TAB>count`), on the text made simplified by OpenCC t2s, digits read as `0` and Latin
letters as `A` (as `charlm._symbol` reads them), line breaks not counted across.

Also writes src/kechuang/ingest/data/figures_train.tsv from the reports and the indicator bulletins
(`bulletin-NN.txt`), what they write right before a figure: for each string of one to three Han characters that
stands right before a digit at least FIGURE_MIN times (`w<TAB>before<TAB>all`), how often it does and how often it
stands anywhere (the mojibake repair's choice of a character before a digit, `parsers/figures.py`).
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
OUT = ROOT / "src" / "kechuang" / "ingest" / "data" / "charlm_train.tsv"
FIGURES = OUT.with_name("figures_train.tsv")
FIGURE_MIN = 2
FIGURES_HEADER = (
    "# strings of 1-3 Han characters before a digit in benchmarks/ingest/corpus/train (build_charlm.py):"
    " string, times before a digit, times in all; see SOURCE.md\n"
)
HEADER = (
    "# character and character-pair counts of benchmarks/ingest/corpus/train (build_charlm.py);"
    " see SOURCE.md\n"
)


def _symbol(ch: str) -> str:
    if "0" <= ch <= "9" or "０" <= ch <= "９":
        return "0"
    if ch.isascii() and ch.isalpha():
        return "A"
    return ch


def _lines(pattern: str) -> list[str]:
    import opencc

    t2s = opencc.OpenCC("t2s")
    out = []
    for path in sorted((HERE / "train").glob(pattern)):
        out.extend(t2s.convert(path.read_text(encoding="utf-8")).splitlines())
    return out


def build() -> str:
    """The character model's counts: the train split's reports (train-NNN.txt; the indicator bulletins are read
    for the figure table only - counted here too, their figure after figure moved the model's choices
    elsewhere)."""
    uni: Counter[str] = Counter()
    pairs: Counter[str] = Counter()
    for line in _lines("train-*.txt"):
        s = [_symbol(c) for c in line if not c.isspace()]
        uni.update(s)
        pairs.update(a + b for a, b in zip(s, s[1:], strict=False))
    rows = [f"{c}\t{n}" for c, n in sorted(uni.items())] + [f"{p}\t{n}" for p, n in sorted(pairs.items())]
    return HEADER + "\n".join(rows) + "\n"


_BEFORE_FIGURE = re.compile(r"([\u4e00-\u9fff]{1,3})(?=[0-9０-９])")


def build_figures() -> str:
    """The strings of one to three Han characters right before a digit, with how often they stand there and
    anywhere in the train split (white space taken out, as `build` reads the lines)."""
    lines = ["".join(c for c in line if not c.isspace()) for line in _lines("*.txt")]
    before: Counter[str] = Counter()
    for line in lines:
        for m in _BEFORE_FIGURE.finditer(line):
            w = m.group(1)
            before.update(w[k:] for k in range(len(w)))
    kept = sorted(w for w, n in before.items() if n >= FIGURE_MIN)
    anywhere: Counter[str] = Counter()
    for line in lines:
        # every occurrence of every kept string, overlapping ones and those inside longer ones too
        for i in range(len(line)):
            for k in (1, 2, 3):
                w = line[i : i + k]
                if len(w) == k and w in before:
                    anywhere[w] += 1
    rows = [f"{w}\t{before[w]}\t{anywhere[w]}" for w in kept]
    return FIGURES_HEADER + "\n".join(rows) + "\n"


def main(argv: list[str]) -> int:
    made = {OUT: build(), FIGURES: build_figures()}
    if "--check" in argv:
        bad = [
            path
            for path, text in made.items()
            if not path.exists() or path.read_text(encoding="utf-8") != text
        ]
        for path in bad:
            print(f"{path} is not what build_charlm.py makes")
        if not bad:
            print("charlm data up to date")
        return 1 if bad else 0
    OUT.parent.mkdir(parents=True, exist_ok=True)
    for path, text in made.items():
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path} ({text.count(chr(10)) - 1} rows)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
