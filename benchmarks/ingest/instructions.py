"""The first pass's instruction count under callgrind: a load-free figure for issue #15 criterion 5.

    .venv/bin/python benchmarks/ingest/instructions.py [COMMIT ...] [--mb 0.5] [--seed 1]

On a shared machine CPU times move with the load (benchmarks/ingest/README.md); the number of instructions
the first pass executes does not. Runs, under valgrind's callgrind, the first pass of `bench_ingest.py`
(`repair()` and `extract_facts()` with original offsets, a document at a time, after the same warm-up) over
`make_corpus(MB, SEED)`, counting only the pass: client requests start and stop the count around it (a
small library built with the system's C compiler from valgrind's `callgrind.h`). Prints the count and a
digest of every repaired text, change count, uncertain count and fact list (the same digest at two commits:
the same output on these documents). With commits, each commit's `src` is exported (`git archive`, as
`paired.py` does, with this tree's harness copied beside it: bench_ingest puts its own tree's `src` first on
`sys.path`) and measured in turn; without, this tree's `src`. `PYTHONHASHSEED=0` in every run, so a
commit's count repeats to the instruction. About a minute per commit at 0.5 MB (valgrind runs ~50× slower).
"""

import argparse
import ctypes
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
_REQUESTS = """#include <valgrind/callgrind.h>
void count_start(void) { CALLGRIND_ZERO_STATS; CALLGRIND_START_INSTRUMENTATION; }
void count_stop(void) { CALLGRIND_STOP_INSTRUMENTATION; CALLGRIND_DUMP_STATS; }
"""


def build_requests(into: Path) -> Path:
    source, lib = into / "requests.c", into / "librequests.so"
    source.write_text(_REQUESTS)
    subprocess.run(["cc", "-O1", "-shared", "-fPIC", "-o", str(lib), str(source)], check=True)
    return lib


def first_pass(lib: str, mb: float, seed: int) -> None:
    """Run inside valgrind: the counted first pass, then the digest of its output."""
    sys.path.insert(0, str(HERE))
    import opencc
    from bench_ingest import make_corpus

    from kechuang.ingest import parsers

    requests = ctypes.CDLL(lib)
    docs = make_corpus(mb, seed)
    conv = opencc.OpenCC("t2s")
    conv.convert(docs[0])
    parsers.warm_up()
    parsers.extract_facts(parsers.repair(docs[0]).text)
    out = []
    requests.count_start()
    for d in docs:
        result = parsers.repair(d)
        out.append((result, parsers.extract_facts(result.text, result=result)))
    requests.count_stop()
    digest = hashlib.sha256()
    for result, facts in out:
        digest.update(repr((result.text, result.edit_count, result.uncertain_count, repr(facts))).encode())
    print(f"digest {digest.hexdigest()[:16]} ({len(docs)} documents)")


def measure(src: Path, lib: Path, tmp: Path, name: str, mb: float, seed: int) -> tuple[int, str]:
    # the harness run is the copy beside `src` (bench_ingest puts its own tree's src first on sys.path: run from
    # this tree, every commit would count this tree's parsers)
    harness = src.parent / "benchmarks/ingest/instructions.py"
    out_file = tmp / f"callgrind.{name}"
    env = dict(os.environ, PYTHONPATH=str(src), PYTHONHASHSEED="0")
    env.setdefault("DJANGO_SETTINGS_MODULE", "kechuang.settings.test")
    run = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--instr-atstart=no",
            f"--callgrind-out-file={out_file}",
            sys.executable,
            str(harness),
            "--inside",
            str(lib),
            "--mb",
            str(mb),
            "--seed",
            str(seed),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    collected = re.search(r"Collected : (\d+)", run.stderr)
    digest = re.search(r"digest .*", run.stdout)
    return int(collected.group(1)) if collected else -1, digest.group(0) if digest else "no digest"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("commits", nargs="*")
    ap.add_argument("--mb", type=float, default=0.5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--inside", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.inside:
        first_pass(args.inside, args.mb, args.seed)
        return
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        lib = build_requests(tmp)
        trees = [("this tree", ROOT / "src")]
        for k, commit in enumerate(args.commits):
            into = tmp / f"t{k}"
            into.mkdir()
            archive = subprocess.run(
                ["git", "-C", str(ROOT), "archive", commit, "src"], check=True, capture_output=True
            ).stdout
            subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
            (into / "benchmarks/ingest").mkdir(parents=True)
            for script in (
                "instructions.py",
                "bench_ingest.py",
            ):  # this tree's harness beside each commit's src
                shutil.copy(HERE / script, into / "benchmarks/ingest" / script)
            trees.append((commit, into / "src"))
        if args.commits:
            trees = trees[1:]
        for k, (name, src) in enumerate(trees):
            count, digest = measure(src, lib, tmp, str(k), args.mb, args.seed)
            print(f"{name:>12}  {count:,} instructions  {digest}", flush=True)


if __name__ == "__main__":
    main()
