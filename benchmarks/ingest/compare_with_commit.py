"""Check that the pipeline gives exactly what it gave at an earlier commit (for changes meant to keep the
output, such as speed-ups).

    .venv/bin/python benchmarks/ingest/compare_with_commit.py COMMIT [--mb 0.5]

The parsers package of COMMIT is read with `git show` into a temporary package and run side by side with
the current one on: the sample report, the documents of two generated corpora (seeds 1 and 7, see
bench_ingest.py), 1,500 random report-like strings and decoded random bytes, and (`--corpus N`) every
document of the project's corpus (dev and held-out, corpus/; `--split dev,dev2,…` names the splits)
clean and damaged by the forward model at seeds 0..N-1 with and without commas, extracted with the
document's own year (a corpus text that differs is named by its id and seed only). Compared: repaired text,
change counts, every change record (step, seq, offsets in both texts, before, after, note, uncertain),
the offset maps in both directions (at every offset of the short texts, at 300 random ones of the
documents), re-repair with a few changes undone, every field of every fact, and every field of every
entity mention (`find_mentions`, with a registry of units and platforms named in the texts).
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
from kechuang.ingest.parsers import entities as new_entities

PARSERS = "src/kechuang/ingest/parsers"
DATA = "src/kechuang/ingest/data"
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
    # the package's data files (the character model's counts, read from ../data beside parsers/)
    listing = subprocess.run(
        ["git", "-C", str(ROOT), "ls-tree", "--name-only", f"{commit}:{DATA}"],
        capture_output=True,
        text=True,
    )
    if listing.returncode == 0:
        (into / "data").mkdir()
        for name in listing.stdout.split():
            source = subprocess.run(
                ["git", "-C", str(ROOT), "show", f"{commit}:{DATA}/{name}"],
                check=True,
                capture_output=True,
            ).stdout
            (into / "data" / name).write_bytes(source)
    sys.path.insert(0, str(into))
    import refparsers
    import refparsers.entities

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


# a registry for the mention comparison: the sample's and the corpus's kind of names, short names too
REGISTRY = {
    "unit": [
        (1, "岚江省科学技术厅", ("省科技厅", "岚江省科技厅")),
        (2, "兰州大学", ()),
        (3, "中国科学院近代物理研究所", ("近代物理所",)),
        (4, "东黎省科学技术厅", ("东黎省科技厅",)),
        (5, "岚江大学", ("岚大",)),
    ],
    "platform": [
        (10, "重离子加速器国家实验室", ("重离子加速器",)),
        (11, "省重点实验室", ()),
        (12, "甘肃省科技创新服务平台", ("科技创新服务平台",)),
        (13, "稀土功能材料技术创新中心", ()),
    ],
}


def _mentions(module, text: str) -> list[tuple]:
    return [tuple(sorted(m.as_json().items())) for m in module.find_mentions(text, REGISTRY)]


def compare(ref, text: str, every_offset: bool, year) -> tuple[int, int]:
    a, b = ref.repair(text), new.repair(text)
    assert a.text == b.text, "repaired text"
    assert (a.edit_count, a.uncertain_count) == (b.edit_count, b.uncertain_count), "counts"
    fa = [_fact(f) for f in ref.extract_facts(a.text, year=year, result=a)]
    fb = [_fact(f) for f in new.extract_facts(b.text, year=year, result=b)]
    assert fa == fb, "facts"
    assert _mentions(ref.entities, a.text) == _mentions(new_entities, b.text), "mentions"
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
    ap.add_argument("--corpus", type=int, default=0, help="also the corpus, damaged at this many seeds")
    ap.add_argument(
        "--split",
        default="all",
        help="the corpus split(s): all (dev and heldout), or split names parted by commas (dev,dev2,…)",
    )
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
        texts = [
            (text, every_offset, 2023 if i % 2 else None, None)
            for i, (text, every_offset) in enumerate(texts)
        ]
        if args.corpus:
            import corpus_eval as ce

            for split in ("dev", "heldout") if args.split == "all" else args.split.split(","):
                for doc in ce.load_corpus(split):
                    # a corpus text is named by its id and seed only (a held-out one is for measuring)
                    name = f"{doc.id}"
                    texts.append((doc.text, False, doc.year, name and f"{name} clean"))
                    for seed in range(args.corpus):
                        for commas in (False, True):
                            label = name and f"{name} seed {seed} commas {commas}"
                            texts.append((ce.damage(doc, seed, commas).text, False, doc.year, label))
        n_changes = n_facts = 0
        for i, (text, every_offset, year, label) in enumerate(texts):
            try:
                c, f = compare(ref, text, every_offset, year)
            except AssertionError as exc:
                sys.exit(f"differs on text {i} ({exc}): {label or repr(text[:200])}")
            n_changes += c
            n_facts += f
    print(
        f"the same as {args.commit} on {len(texts)} texts: {n_changes} changes, {n_facts} facts "
        f"({time.perf_counter() - t0:.0f} s)"
    )


if __name__ == "__main__":
    main()
