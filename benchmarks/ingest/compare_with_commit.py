"""Check that the pipeline gives exactly what it gave at an earlier commit (for changes meant to keep the
output, such as speed-ups).

    .venv/bin/python benchmarks/ingest/compare_with_commit.py COMMIT [--mb 0.5]

The parsers package of COMMIT is read with `git show` into a temporary package and run side by side with
the current one on: the sample report, the documents of two generated corpora (seeds 1 and 7, see
bench_ingest.py), 1,500 random report-like strings and decoded random bytes. Compared: repaired text,
change counts, every change record (step, seq, offsets in both texts, before, after, note, uncertain),
the offset maps in both directions (at every offset of the short texts, at 300 random ones of the
documents), re-repair with a few changes undone, and every field of every fact.
"""

import argparse
import contextlib
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_ingest import ROOT, make_corpus

from kechuang.ingest import parsers as new

PARSERS = "src/kechuang/ingest/parsers"
ALPHABET = "強科技行動總結省廳開發(kāi)工程(技術)，,。、**_……（省略759字）!靶⌒突仉x\ufffd?()（）12個家項億元%第位到2025年月日 \n_＊:;"


def load_reference(commit: str, into: Path):
    names = subprocess.run(
        ["git", "-C", str(ROOT), "ls-tree", "--name-only", f"{commit}:{PARSERS}"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    package = into / "refparsers"
    package.mkdir()
    for name in names:
        if name.endswith(".py"):
            source = subprocess.run(
                ["git", "-C", str(ROOT), "show", f"{commit}:{PARSERS}/{name}"],
                check=True,
                capture_output=True,
            ).stdout
            (package / name).write_bytes(source)
    sys.path.insert(0, str(into))
    import refparsers

    return refparsers


def _change(c) -> tuple:
    return (
        c.step,
        c.seq,
        c.orig_start,
        c.orig_end,
        c.rep_start,
        c.rep_end,
        c.before,
        c.after,
        c.note,
        c.uncertain,
    )


def _fact(f) -> tuple:
    return tuple(sorted(f.as_json().items()))


def compare(ref, text: str, every_offset: bool, year) -> tuple[int, int]:
    a, b = ref.repair(text), new.repair(text)
    assert a.text == b.text, "repaired text"
    assert (a.edit_count, a.uncertain_count) == (b.edit_count, b.uncertain_count), "counts"
    fa = [_fact(f) for f in ref.extract_facts(a.text, year=year, result=a)]
    fb = [_fact(f) for f in new.extract_facts(b.text, year=year, result=b)]
    assert fa == fb, "facts"
    ca, cb = [_change(c) for c in a.changes()], [_change(c) for c in b.changes()]
    assert ca == cb, "change records"
    rng = random.Random(len(text))
    if every_offset:
        in_repaired, in_original = range(len(a.text) + 1), range(len(text) + 1)
    else:
        in_repaired = [rng.randint(0, len(a.text)) for _ in range(300)]
        in_original = [rng.randint(0, len(text)) for _ in range(300)]
    for end in (False, True):
        assert [a.to_original(o, end=end) for o in in_repaired] == [
            b.to_original(o, end=end) for o in in_repaired
        ]
        assert [a.to_repaired(o, end=end) for o in in_original] == [
            b.to_repaired(o, end=end) for o in in_original
        ]
    if ca:
        skip = [(c[0], c[2], c[3]) for c in rng.sample(ca, min(3, len(ca)))]
        sa, sb = ref.repair(text, skip=skip), new.repair(text, skip=skip)
        assert sa.text == sb.text, "undo: text"
        assert [_change(c) for c in sa.changes()] == [_change(c) for c in sb.changes()], "undo: changes"
    return len(ca), len(fa)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("commit")
    ap.add_argument("--mb", type=float, default=0.5)
    args = ap.parse_args()
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        ref = load_reference(args.commit, Path(tmp))
        sample = ROOT / "src/kechuang/ingest/tests/fixtures/province-b-annual-summary.txt"
        texts = [(new.decode_document(sample.read_bytes(), sample.name).text, True)]
        for seed in (1, 7):
            texts += [(d, False) for d in make_corpus(args.mb, seed)]
        rng = random.Random(3)
        texts += [
            ("".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 300))), True) for _ in range(1500)
        ]
        for _ in range(500):
            data = bytes(rng.randrange(256) for _ in range(rng.randint(0, 400)))
            with contextlib.suppress(new.UnsupportedDocument):  # binary-looking bytes are refused
                texts.append((new.decode_document(data, "x.txt").text, True))
        n_changes = n_facts = 0
        for i, (text, every_offset) in enumerate(texts):
            try:
                c, f = compare(ref, text, every_offset, 2023 if i % 2 else None)
            except AssertionError as exc:
                sys.exit(f"differs on text {i} ({exc}): {text[:200]!r}")
            n_changes += c
            n_facts += f
    print(
        f"the same as {args.commit} on {len(texts)} texts: {n_changes} changes, {n_facts} facts "
        f"({time.perf_counter() - t0:.0f} s)"
    )


if __name__ == "__main__":
    main()
