"""Paired, alternating fresh-process runs of `bench_ingest.py` at two commits (CPU time, first pass).

    .venv/bin/python benchmarks/ingest/paired.py BEFORE AFTER [--runs 3] [--mb 5]

Each commit's `src` is exported with `git archive` into a temporary directory, with this tree's
`bench_ingest.py` beside it (the same harness for both: only the code under test differs), and runs
from there in a fresh process, BEFORE and AFTER in turn, the order swapped every pair. `--first-only`
stops each run after the first pass (the figure; ~4× quicker, so more pairs in the same time). The
machine is shared: compare the pairs, not the runs of one side with another moment's. Prints each
run's first pass (CPU seconds, ratio to OpenCC alone in the same run), the second pass's ratio when
run, and the load average, then the medians.
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIELDS = {
    "opencc": r"OpenCC t2s alone: +[\d.]+ MB/s \(([\d.]+) s\)",
    "first": r"repair \+ extraction: +[\d.]+ MB/s \(([\d.]+) s\)",
    "ratio": r"ratio \(pipeline time / OpenCC time\): ([\d.]+)x",
    "second": r"second pass, a document at a time: +[\d.]+ MB/s, ratio ([\d.]+)x",
}


def export(commit: str, into: Path) -> Path:
    into.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", commit, "src"], check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    bench = into / "benchmarks/ingest"
    bench.mkdir(parents=True)
    shutil.copy(Path(__file__).with_name("bench_ingest.py"), bench)
    return into


def run(tree: Path, mb: float, first_only: bool) -> dict[str, float]:
    env = dict(os.environ, PYTHONPATH=str(tree / "src"))
    extra = ["--first-only"] if first_only else []
    out = subprocess.run(
        [sys.executable, str(tree / "benchmarks/ingest/bench_ingest.py"), "--mb", str(mb), *extra],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    ).stdout
    cpu = out[out.index("-- CPU time") :]  # the CPU block (the wall block comes first)
    found = {k: float(m.group(1)) if (m := re.search(p, cpu)) else float("nan") for k, p in FIELDS.items()}
    found["load"] = os.getloadavg()[0]
    return found


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("before")
    ap.add_argument("after")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--mb", type=float, default=5)
    ap.add_argument("--first-only", action="store_true")
    args = ap.parse_args()
    results: dict[str, list[dict]] = {args.before: [], args.after: []}
    with tempfile.TemporaryDirectory() as tmp:
        trees = {c: export(c, Path(tmp) / f"t{k}") for k, c in enumerate((args.before, args.after))}
        for k in range(args.runs):
            order = (args.before, args.after) if k % 2 == 0 else (args.after, args.before)
            for commit in order:
                r = run(trees[commit], args.mb, args.first_only)
                results[commit].append(r)
                print(
                    f"{commit:>12} first pass {r['first']:.3f} s  {r['ratio']:.2f}x  "
                    f"(OpenCC {r['opencc']:.3f} s)  second {r['second']:.2f}x  load {r['load']:.1f}",
                    flush=True,
                )
    for commit, rs in results.items():
        med = {k: statistics.median(r[k] for r in rs) for k in ("first", "ratio", "second")}
        print(
            f"{commit:>12} median: first pass {med['first']:.3f} s, {med['ratio']:.2f}x; "
            f"second {med['second']:.2f}x"
        )


if __name__ == "__main__":
    main()
