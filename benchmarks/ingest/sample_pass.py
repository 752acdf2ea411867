"""Where the first pass's time goes, by sampling: a statistical profile of `bench_ingest.py`'s first pass.

    .venv/bin/python benchmarks/ingest/sample_pass.py [--mb 10] [--seed 1] [--every 0.5]

The corpus is `bench_ingest.make_corpus(mb, seed)`, warmed as `bench_ingest.py` warms it; during the first pass
(`repair()` and `extract_facts()` with original offsets, a document at a time) a CPU-time timer's signal every
`--every` ms records the Python stack. Prints each function's share of the samples by itself (a C call counts for
the Python line that made it: a regex scan for the function that ran it), with what it calls, and by line.

Why not cProfile: it adds a fixed cost to every call it sees, Python or C, so functions called often look
several times dearer than they are (in session 31 it gave the offset maps, `repair._map_all`, 8 % of the first
pass; their calls replayed alone cost 1.4 %). Why not `instructions.py` alone: an
instruction count does not see the processor's caches, and the pipeline pays for them (OpenCC's call in the t2s
step costs three to four times its tight loop's time with the same instructions: `bounds.py --opencc`). Sampling
costs the same wherever the time goes. At 0.5 ms the kernel's timer may fire less often (a sample per few ms):
use 10 MB or more for ~1,000 samples.
"""

import argparse
import collections
import signal
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, default=10)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--every", type=float, default=0.5, help="ms of CPU time between samples")
    ap.add_argument("--top", type=int, default=40)
    args = ap.parse_args()
    sys.path.insert(0, str(HERE))
    from bench_ingest import make_corpus, parsers

    docs = make_corpus(args.mb, args.seed)
    parsers.warm_up()
    parsers.extract_facts(parsers.repair(docs[0]).text)
    own, whole, lines = collections.Counter(), collections.Counter(), collections.Counter()

    def record(_sig, frame):
        seen = set()
        first = True
        while frame is not None and frame.f_code.co_filename != __file__:
            code = frame.f_code
            key = f"{Path(code.co_filename).name}:{code.co_name}"
            if first:
                own[key] += 1
                lines[f"{key}:{frame.f_lineno}"] += 1
                first = False
            if key not in seen:
                whole[key] += 1
                seen.add(key)
            frame = frame.f_back

    signal.signal(signal.SIGPROF, record)
    t0 = time.process_time()
    signal.setitimer(signal.ITIMER_PROF, args.every / 1000, args.every / 1000)
    for d in docs:
        result = parsers.repair(d)
        parsers.extract_facts(result.text, result=result)
        result.edit_count, result.uncertain_count  # noqa: B018 - as in bench_ingest's first pass
    signal.setitimer(signal.ITIMER_PROF, 0, 0)
    n = sum(own.values()) or 1
    print(f"first pass {time.process_time() - t0:.2f} s CPU over {len(docs)} documents, {n} samples")
    for title, counter in (("by itself", own), ("with what it calls", whole), ("by line", lines)):
        print(f"-- {title}")
        for key, k in counter.most_common(args.top):
            print(f"{k / n * 100:5.1f}%  {key}")


if __name__ == "__main__":
    main()
