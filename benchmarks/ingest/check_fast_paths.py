"""Check that the pipeline's fast paths give exactly what the plain step functions give.

    .venv/bin/python benchmarks/ingest/check_fast_paths.py [--mb 2] [--seed 1]

`repair()` runs some steps through faster runners (`repair.RUNNERS`: edits built only when read, offsets
from running sums, identity maps for t2s). With a non-empty `skip` it uses the plain path for every step
(`find_edits` + `apply_edits` + `OffsetMap`). On a generated corpus (see bench_ingest.py) and on random
report-like strings, this compares the two paths: repaired text, every change record (step, offsets,
before, after, note, uncertain), and the offset maps in both directions at every offset.
"""

import argparse
import random

from bench_ingest import make_corpus

from kechuang.ingest import parsers

NEVER = {("none", -1, -1)}  # a skip list that skips nothing but forces the plain path
ALPHABET = (
    "強科技行動總結省廳開發(kāi)工程(技術)，,。、**_……（省略759字）!靶⌒突仉x\ufffd?()（）12個家項億元%第位 \n"
)


def _same(text: str) -> None:
    fast, plain = parsers.repair(text), parsers.repair(text, skip=NEVER)
    assert fast.text == plain.text
    assert fast.changes() == plain.changes()
    for o in range(len(fast.text) + 1):
        for end in (False, True):
            assert fast.to_original(o, end=end) == plain.to_original(o, end=end)
    for o in range(len(text) + 1):
        for end in (False, True):
            assert fast.to_repaired(o, end=end) == plain.to_repaired(o, end=end)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, default=2)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    docs = make_corpus(args.mb, args.seed)
    rng = random.Random(args.seed)
    docs += ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 300))) for _ in range(2000)]
    for d in docs:
        _same(d)
    print(f"fast and plain paths agree on {len(docs)} texts")


if __name__ == "__main__":
    main()
