"""Count the character pairs of the corpus's train split for the mojibake repair's character model.

    .venv/bin/python benchmarks/ingest/corpus/build_charlm.py           # writes the app's data file
    .venv/bin/python benchmarks/ingest/corpus/build_charlm.py --check   # the file is what it makes

Reads only `train/*.txt` (build_train.py); never the dev or held-out split. Writes
src/kechuang/ingest/data/charlm_train.tsv: one line per character (`c<TAB>count`) and per pair of
characters (`ab<TAB>count`), on the text made simplified by OpenCC t2s, digits read as `0` and Latin
letters as `A` (as `charlm._symbol` reads them), line breaks not counted across.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
OUT = ROOT / "src" / "kechuang" / "ingest" / "data" / "charlm_train.tsv"
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


def build() -> str:
    import opencc

    t2s = opencc.OpenCC("t2s")
    uni: Counter[str] = Counter()
    pairs: Counter[str] = Counter()
    for path in sorted((HERE / "train").glob("*.txt")):
        for line in t2s.convert(path.read_text(encoding="utf-8")).splitlines():
            s = [_symbol(c) for c in line if not c.isspace()]
            uni.update(s)
            pairs.update(a + b for a, b in zip(s, s[1:], strict=False))
    rows = [f"{c}\t{n}" for c, n in sorted(uni.items())] + [f"{p}\t{n}" for p, n in sorted(pairs.items())]
    return HEADER + "\n".join(rows) + "\n"


def main(argv: list[str]) -> int:
    text = build()
    if "--check" in argv:
        ok = OUT.exists() and OUT.read_text(encoding="utf-8") == text
        print("charlm data up to date" if ok else f"{OUT} is not what build_charlm.py makes")
        return 0 if ok else 1
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT} ({text.count(chr(10)) - 1} rows)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
