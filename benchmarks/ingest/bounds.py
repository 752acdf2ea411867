"""Upper bounds for speed work: the first pass of `bench_ingest.py`'s corpus with a part of the work taken out.

    .venv/bin/python benchmarks/ingest/bounds.py [--mb 30] [--runs 3] [--variants whole,no-aid-readings,...]
    .venv/bin/python benchmarks/ingest/bounds.py --opencc [--mb 5]

Not a way to run the pipeline: each variant below leaves out or cuts a part of the work, so its output is
wrong (the facts count it prints shows by how much). It says what the most a speed-up of that part could
give: a part whose removal takes the first pass from 20x to 17x OpenCC cannot by itself bring it to 15x.

- `whole`: the pipeline as it is (repair + extraction with original offsets, as bench_ingest's first pass);
- `no-aid-readings`: the re-reading of a reading aid that landed inside a character (`inserts._aid_reading_leads`)
  answers "no reading" at once;
- `one-lead`: that re-reading tries only the first of the lost lead bytes the aid allows (fewer readings
  per aid: the output changes a little);
- `no-extraction`: no fact extraction;
- `no-aid-readings-no-extraction`: both.

Each run is a fresh process (the caches of scores and readings start empty, as in a first pass), the
variants in turn, the order rotated each round; CPU time; the ratio to OpenCC's t2s alone over the same
documents in the same process. The machine is shared: compare the variants of one round.

`--opencc`: the t2s step's own OpenCC calls timed inside the pipeline, the same inputs converted again in a
tight loop, and again with a 32 MB array swept between two calls (which evicts the processor's caches as the
other steps do): OpenCC inside the pipeline costs what it costs with cold caches.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

VARIANTS = ("whole", "no-aid-readings", "one-lead", "no-extraction", "no-aid-readings-no-extraction")


def _setup(variant: str):
    """(parsers, extract) with the variant's part taken out."""
    from kechuang.ingest import parsers
    from kechuang.ingest.parsers import inserts

    if "no-aid-readings" in variant:
        inserts._aid_reading_leads = lambda text, m, aided: None
    if variant == "one-lead":
        known_leads = inserts._known_leads
        inserts._known_leads = lambda *args: known_leads(*args)[:1]
    if "no-extraction" in variant:
        return parsers, lambda text, result=None: []
    return parsers, parsers.extract_facts


def one_run(variant: str, mb: float) -> None:
    import opencc
    from bench_ingest import make_corpus

    docs = make_corpus(mb, 1)
    parsers, extract = _setup(variant)
    conv = opencc.OpenCC("t2s")
    conv.convert(docs[0])
    parsers.warm_up()
    extract(parsers.repair(docs[0]).text)
    t0 = time.process_time()
    for d in docs:
        conv.convert(d)
    t_opencc = time.process_time() - t0
    n_facts = 0
    t0 = time.process_time()
    for d in docs:
        result = parsers.repair(d)
        n_facts += len(extract(result.text, result=result))
        result.edit_count, result.uncertain_count  # noqa: B018 - as in bench_ingest's first pass
    t_first = time.process_time() - t0
    print(f"RESULT {t_first:.4f} {t_opencc:.4f} {n_facts}")


def opencc_inside(mb: float) -> None:
    """The t2s step's OpenCC time inside the pipeline, alone on the same inputs, and alone with caches swept."""
    import importlib

    import numpy as np
    from bench_ingest import make_corpus

    from kechuang.ingest import parsers

    steps = importlib.import_module("kechuang.ingest.parsers.steps")
    docs = make_corpus(mb, 1)
    parsers.warm_up()
    conv = steps._opencc()
    spent, inputs = [0.0], []

    class Timed:
        def convert(self, text):
            t0 = time.process_time()
            out = conv.convert(text)
            spent[0] += time.process_time() - t0
            inputs.append(text)
            return out

    timed = Timed()
    steps._opencc = lambda: timed
    parsers.extract_facts(parsers.repair(docs[0]).text)
    spent[0], inputs[:] = 0.0, []
    t0 = time.process_time()
    for d in docs:
        result = parsers.repair(d)
        parsers.extract_facts(result.text, result=result)
    t_first = time.process_time() - t0
    t0 = time.process_time()
    for text in inputs:
        conv.convert(text)
    alone = time.process_time() - t0
    sweep = np.zeros(4_000_000, dtype=np.int64)  # 32 MB
    swept = 0.0
    for text in inputs:
        sweep += 1
        t0 = time.process_time()
        conv.convert(text)
        swept += time.process_time() - t0
    print(
        f"first pass {t_first:.3f} s; the t2s step's OpenCC calls: inside the pipeline {spent[0]:.3f} s "
        f"({100 * spent[0] / t_first:.1f} % of the pass), the same inputs alone {alone:.3f} s, "
        f"alone with a 32 MB sweep between calls {swept:.3f} s"
    )


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, default=30)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--variants", default=",".join(VARIANTS))
    ap.add_argument("--opencc", action="store_true")
    ap.add_argument("--one", help=argparse.SUPPRESS)  # a single run in this process (the driver's child)
    args = ap.parse_args()
    if args.one:
        one_run(args.one, args.mb)
        return
    if args.opencc:
        opencc_inside(args.mb)
        return
    variants = args.variants.split(",")
    unknown = set(variants) - set(VARIANTS)
    if unknown:
        ap.error(f"unknown variants: {', '.join(sorted(unknown))}")
    results: dict[str, list[tuple[float, float, int]]] = {v: [] for v in variants}
    for k in range(args.runs):
        order = variants[k % len(variants) :] + variants[: k % len(variants)]
        for v in order:
            out = subprocess.run(
                [sys.executable, __file__, "--one", v, "--mb", str(args.mb)],
                check=True,
                capture_output=True,
                text=True,
                env=os.environ,
            ).stdout
            first, t_opencc, n_facts = out.split("RESULT ", 1)[1].split()
            results[v].append((float(first), float(t_opencc), int(n_facts)))
            print(
                f"round {k + 1} {v:32s} first pass {float(first):7.3f} s  {float(first) / float(t_opencc):6.2f}x "
                f"OpenCC  facts {n_facts}  load {os.getloadavg()[0]:.1f}",
                flush=True,
            )
    whole = statistics.median(f / o for f, o, _n in results[variants[0]])
    for v, rs in results.items():
        ratio = statistics.median(f / o for f, o, _n in rs)
        print(
            f"{v:32s} median {statistics.median(f for f, _o, _n in rs):7.3f} s  {ratio:6.2f}x OpenCC  "
            f"({ratio / whole:.2f} of {variants[0]})"
        )


if __name__ == "__main__":
    main()
