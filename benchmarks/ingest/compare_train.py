"""`compare_with_commit.py` on the train split (no facts key, so `corpus_eval.load_corpus` cannot read it): every
train text clean and damaged by the forward model at seeds 0..N-1 with and without commas, compared with COMMIT's
parsers as `compare_with_commit.compare` compares (repaired text, changes, offset maps, re-repair, facts).

    .venv/bin/python benchmarks/ingest/compare_train.py COMMIT [--seeds 2]
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

from compare_with_commit import compare, load_reference
from corpus_eval import CORPUS, forward


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("commit")
    ap.add_argument("--seeds", type=int, default=2)
    args = ap.parse_args()
    t0 = time.perf_counter()
    texts = []
    for path in sorted((CORPUS / "train").glob("*.txt")):
        clean = path.read_text(encoding="utf-8")
        texts.append((clean, f"{path.stem} clean"))
        for seed in range(args.seeds):
            for commas in (False, True):
                texts.append(
                    (forward.corrupt(clean, seed, commas=commas).text, f"{path.stem} {seed} {commas}")
                )
    n_changes = n_facts = 0
    with tempfile.TemporaryDirectory() as tmp:
        ref = load_reference(args.commit, Path(tmp))
        for text, label in texts:
            try:
                c, f = compare(ref, text, False, None)
            except AssertionError as exc:
                sys.exit(f"differs ({exc}): {label}")
            n_changes += c
            n_facts += f
    print(
        f"train: the same as {args.commit} on {len(texts)} texts: {n_changes} changes, {n_facts} facts "
        f"({time.perf_counter() - t0:.0f} s)"
    )


if __name__ == "__main__":
    main()
