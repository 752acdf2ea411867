"""The lexicon's scoring of a first pass, replayed at a commit and in this tree, side by side (#15).

    .venv/bin/python benchmarks/ingest/replay_lexicon.py COMMIT [--mb 5] [--rounds 9]

Records the outer calls to `lexicon.plausibility`, `plausibility_many`, `plausibility_options` and
`simplified` (a call made inside another is not recorded) in `bench_ingest.py`'s first pass over its
generated corpus (after `parsers.warm_up`), with this tree's code and their answers. Then replays them
with fresh memo caches through COMMIT's `lexicon.py` (read with `git show`, loaded beside this tree's
as `kechuang.ingest.parsers._lexicon_ref`) and this tree's, alternating in one process, and prints how
many answers differ (must be 0 for an exact change) and the best and median CPU time of each. A hot
replay: in the pipeline the same calls cost ~30 % more (the other steps leave the caches cold).
"""

import argparse
import importlib.util
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kechuang.settings.test")

import django  # noqa: E402

django.setup()

import bench_ingest  # noqa: E402

from kechuang.ingest import parsers  # noqa: E402
from kechuang.ingest.parsers import lexicon  # noqa: E402

ENTRIES = ("plausibility", "plausibility_many", "plausibility_options", "simplified")


def record(docs: list[str]) -> list[tuple[str, tuple, object]]:
    calls: list[tuple[str, tuple, object]] = []
    depth = [0]
    originals = {name: getattr(lexicon, name) for name in ENTRIES}

    def wrap(name, fn):
        def recorded(*args):
            if depth[0]:
                return fn(*args)
            depth[0] += 1
            try:
                answer = fn(*args)
            finally:
                depth[0] -= 1
            calls.append((name, args, list(answer) if isinstance(answer, list) else answer))
            return answer

        return recorded

    # the callers bind these names when their module is imported: each module of the package holding one
    # (lexicon, gbk, inserts, mojibake) gets the wrapper, and the function back afterwards
    modules = [m for k, m in list(sys.modules.items()) if k.startswith("kechuang.ingest.parsers.")]
    patched = [
        (module, name, fn)
        for module in modules
        for name, fn in originals.items()
        if getattr(module, name, None) is fn
    ]
    wrappers = {name: wrap(name, fn) for name, fn in originals.items()}
    for module, name, _fn in patched:
        setattr(module, name, wrappers[name])
    try:
        for d in docs:
            result = parsers.repair(d)
            parsers.extract_facts(result.text, result=result)
    finally:
        for module, name, fn in patched:
            setattr(module, name, fn)
    return calls


def load_reference(commit: str):
    source = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{commit}:src/kechuang/ingest/parsers/lexicon.py"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    path = Path(lexicon.__file__).with_name("_lexicon_ref.py")
    path.write_text(source, encoding="utf-8")
    try:
        spec = importlib.util.spec_from_file_location("kechuang.ingest.parsers._lexicon_ref", path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
    finally:
        path.unlink()
    for table in ("_word_logs", "_char_table", "_pair_neighbours"):
        if hasattr(module, table):
            getattr(module, table)()
    return module


def fresh(module) -> None:
    """Empty every memo of the scoring (not the tables)."""
    for name in ("_SCORES", "_OPTION_SCORES"):
        if hasattr(module, name):
            getattr(module, name).clear()
    module._simplified.cache_clear()
    if hasattr(module, "_last_dp"):
        module._last_dp = ("", None)


def replay(module, calls, check: bool = False) -> int:
    entries = {name: getattr(module, name) for name in ENTRIES}
    differ = 0
    for name, args, answer in calls:
        got = entries[name](*args)
        if check and got != answer:
            differ += 1
    return differ


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("commit")
    ap.add_argument("--mb", type=float, default=5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rounds", type=int, default=9)
    args = ap.parse_args()
    docs = bench_ingest.make_corpus(args.mb, args.seed)
    parsers.warm_up()
    parsers.extract_facts(parsers.repair(docs[0]).text)
    calls = record(docs)
    counts = {name: sum(1 for c in calls if c[0] == name) for name in ENTRIES}
    print(f"{len(calls)} calls recorded: {counts}")
    sides = {args.commit: load_reference(args.commit), "this tree": lexicon}
    for label, module in sides.items():
        fresh(module)
        print(f"{label}: {replay(module, calls, check=True)} answers differ from the recorded ones")
    times: dict[str, list[float]] = {label: [] for label in sides}
    for k in range(args.rounds):
        order = list(sides.items()) if k % 2 == 0 else list(reversed(sides.items()))
        for label, module in order:
            fresh(module)
            t0 = time.process_time()
            replay(module, calls)
            times[label].append(time.process_time() - t0)
    for label, ts in times.items():
        print(f"{label}: best {min(ts) * 1000:.1f} ms, median {statistics.median(ts) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
