"""Throughput of repair + extraction on a large generated corpus, as a ratio to OpenCC alone.

    .venv/bin/python benchmarks/ingest/bench_ingest.py [--mb 30] [--seed 1]

The corpus is report-like text (sentences of the sample report with their figures varied) damaged the
way DOMAIN.md describes: converted to traditional characters, GBK bytes with reading aids inserted by
byte-level find-and-replace (landing inside a character now and then, which knocks the decoder out of
step), full-width marks replaced by ASCII ones, half-width commas, the site's notices, redactions.
Both sides run on the same documents in the same process: OpenCC's t2s conversion alone, then the whole
pipeline (decode is excluded on both sides; repair + extract_facts with original offsets, every change
recorded - the t2s and reading-aid steps keep offsets and build their Edit tuples when read, so building
every change record, as the database write does, is timed separately).
"""

import argparse
import os
import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kechuang.settings.test")

import django  # noqa: E402

django.setup()

import opencc  # noqa: E402
from pypinyin import Style, lazy_pinyin  # noqa: E402

from kechuang.ingest import parsers  # noqa: E402

EXPECTED = ROOT / "src/kechuang/ingest/tests/fixtures/province-b-annual-summary.expected.txt"
# the characters this site gives reading aids (those of the sample), with their default reading
AIDS = {
    "结": "jié",
    "创": "chuàng",
    "统": "tǒng",
    "发": "fā",
    "调": "diào",
    "经": "jīng",
    "产": "chǎn",
    "业": "yè",
    "现": "xiàn",
    "质": "zhì",
    "内": "nèi",
    "转": "zhuǎn",
    "网": "wǎng",
    "协": "xié",
    "联": "lián",
    "优": "yōu",
    "环": "huán",
    "医": "yī",
    "构": "gòu",
    "区": "qū",
    "战": "zhàn",
    "规": "guī",
    "数": "shù",
    "稳": "wěn",
}


def sentences() -> list[str]:
    text = EXPECTED.read_text(encoding="utf-8")
    text = re.sub(r"〔[^〕]*〕", "", text)
    return [s for s in re.findall(r"[^。！？\n]+[。！？]", text) if len(s) > 8]


def vary_numbers(s: str, rng: random.Random) -> str:
    return re.sub(r"\d+", lambda m: str(rng.randint(1, 999)), s)


def damage(simplified: str, rng: random.Random, s2t, aid_bytes: dict[bytes, bytes]) -> str:
    """One document's text, damaged at the byte level the way the site does it: each listed character's
    GBK bytes get its reading aid by find-and-replace over the whole byte string, so a match that
    straddles two characters lands inside one; the page is then decoded (orphaned bytes become U+FFFD)."""
    raw = s2t.convert(simplified).encode("gbk", errors="replace")
    # Straddling matches of the listed characters are rare in a small vocabulary; add them at the
    # sample's rate (about one per 3 KB): two bytes across a character boundary that spell some
    # character get that character's reading inserted after them, as if it were on the list.
    out = bytearray()
    i = 0
    while i < len(raw):
        b = raw[i]
        if b >= 0x80 and i + 3 < len(raw) and raw[i + 2] >= 0x80 and rng.random() < 0.0012:
            pair = raw[i + 1 : i + 3]
            try:
                ch = pair.decode("gbk")
            except UnicodeDecodeError:
                ch = ""
            if ch and "\u4e00" <= ch <= "\u9fff":
                out += raw[i : i + 3] + f"({lazy_pinyin(ch, style=Style.TONE)[0]})".encode("gbk")
                i += 3
                continue
        out.append(b)
        if b >= 0x80:
            out.append(raw[i + 1]) if i + 1 < len(raw) else None
            i += 2
        else:
            i += 1
    raw = bytes(out)
    for needle, aid in aid_bytes.items():
        raw = raw.replace(needle, needle + aid)
    text = raw.decode("gbk", errors="replace")
    return text.replace("，", ",")


def make_corpus(mb: float, seed: int) -> list[str]:
    rng = random.Random(seed)
    s2t = opencc.OpenCC("s2t")
    pool = sentences()
    aid_bytes = {s2t.convert(ch).encode("gbk"): f"({py})".encode("gbk") for ch, py in AIDS.items()}
    docs, size = [], 0
    while size < mb * 1_000_000:
        body = []
        for _ in range(rng.randint(20, 40)):
            s = vary_numbers(rng.choice(pool), rng)
            if rng.random() < 0.05:
                s = s.replace("省", "**", 1)
            body.append(s)
            if rng.random() < 0.03:
                omitted = rng.randint(100, 999)
                body.append(f"\n……(新文秘網http://m.120pk.cn省略{omitted}字,正式會員可完整閱讀)……\n")
        text = damage("".join(body), rng, s2t, aid_bytes)
        shown = len(text)
        text += (
            f"……(未完,全文共{shown * 2}字,當前僅顯示{shown}字,請閱讀下面提示信息。\n收藏《強科技行動總結》)"
        )
        docs.append(text)
        size += len(text.encode("utf-8"))
    return docs


class Clock:
    """Wall time and this process's CPU time of a block. The machine is shared: under load the wall
    time of both sides grows with other processes, the CPU time much less (both are reported)."""

    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall, self.cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu


BATCH = 100  # documents per batch for repair_many (about 0.6 MB)


def breakdown(docs: list[str], total_mb: float, opencc_cpu: float) -> None:
    """CPU time of each step (and of extraction) in one more pass over the corpus, caches warm."""
    import importlib

    repair_module = importlib.import_module("kechuang.ingest.parsers.repair")
    spent: dict[str, float] = {}

    def timed(name, fn):
        def run(text):
            t0 = time.process_time()
            try:
                return fn(text)
            finally:
                spent[name] = spent.get(name, 0.0) + time.process_time() - t0

        return run

    steps, runners = list(repair_module.STEPS), dict(repair_module.RUNNERS)
    repair_module.STEPS[:] = [(n, timed(n, f)) for n, f in steps]
    repair_module.RUNNERS.update({n: timed(n, f) for n, f in runners.items()})
    try:
        with Clock() as whole:
            for d in docs:
                result = parsers.repair(d)
                t0 = time.process_time()
                parsers.extract_facts(result.text, result=result)
                spent["extraction (with original offsets)"] = (
                    spent.get("extraction (with original offsets)", 0.0) + time.process_time() - t0
                )
                result.edit_count, result.uncertain_count  # noqa: B018 - as in the timed pass
    finally:
        repair_module.STEPS[:] = steps
        repair_module.RUNNERS.clear()
        repair_module.RUNNERS.update(runners)
    spent["other (RepairResult, apply_edits, maps)"] = whole.cpu - sum(spent.values())
    print(f"-- CPU time per step, caches warm (OpenCC alone: {opencc_cpu / total_mb * 1000:.1f} ms per MB)")
    for name, t in spent.items():
        print(f"  {name:42s} {t / total_mb * 1000:7.1f} ms per MB  {t / opencc_cpu:5.2f}x OpenCC")
    print(
        f"  {'total':42s} {whole.cpu / total_mb * 1000:7.1f} ms per MB  {whole.cpu / opencc_cpu:5.2f}x OpenCC"
    )


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, default=30)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--first-only", action="store_true", help="stop after the first pass (paired.py's runs: the figure)"
    )
    args = ap.parse_args()
    t0 = time.perf_counter()
    docs = make_corpus(args.mb, args.seed)
    total_mb = sum(len(d.encode("utf-8")) for d in docs) / 1e6
    print(f"corpus: {len(docs)} documents, {total_mb:.1f} MB (generated in {time.perf_counter() - t0:.1f} s)")

    # warm up both sides (dictionaries, compiled patterns) on one document; the tables the pipeline loads
    # once per process (word list, pair neighbours, character model: ~4 s under load) before the clock,
    # as corpus_bench.py does, since one document need not reach all of them
    conv = opencc.OpenCC("t2s")
    conv.convert(docs[0])
    parsers.warm_up()
    parsers.extract_facts(parsers.repair(docs[0]).text)

    with Clock() as opencc_time:
        for d in docs:
            conv.convert(d)

    n_changes = n_facts = n_uncertain = 0
    with Clock() as pipeline_time:
        for d in docs:
            result = parsers.repair(d)
            facts = parsers.extract_facts(result.text, result=result)
            n_changes += result.edit_count
            n_uncertain += result.uncertain_count
            n_facts += len(facts)

    if args.first_only:
        print("-- CPU time")
        print(f"OpenCC t2s alone:      {total_mb / opencc_time.cpu:8.2f} MB/s ({opencc_time.cpu:.4f} s)")
        print(f"repair + extraction:   {total_mb / pipeline_time.cpu:8.2f} MB/s ({pipeline_time.cpu:.4f} s)")
        print(f"ratio (pipeline time / OpenCC time): {pipeline_time.cpu / opencc_time.cpu:.2f}x")
        print(f"changes {n_changes}, uncertain {n_uncertain}, facts {n_facts}")
        return

    # The same pipeline run a batch of documents at a time, step by step (parsers.repair_many), then
    # extraction over the batch: the same results, with each step's data kept in the processor's caches.
    # Compared with a second pass a document at a time (the first pass also filled the caches of
    # dictionary scores and readings).
    batched_time = again_time = None
    if hasattr(parsers, "repair_many"):
        n_batched = 0
        with Clock() as batched_time:
            for k in range(0, len(docs), BATCH):
                for result in parsers.repair_many(docs[k : k + BATCH]):
                    facts = parsers.extract_facts(result.text, result=result)
                    n_batched += result.edit_count + result.uncertain_count + len(facts)
        assert n_batched == n_changes + n_uncertain + n_facts
        with Clock() as again_time:
            for d in docs:
                result = parsers.repair(d)
                facts = parsers.extract_facts(result.text, result=result)
                result.edit_count, result.uncertain_count  # noqa: B018 - as in the first pass

    # the same without the mojibake step, to show where the time goes
    steps = [n for n in parsers.STEP_NAMES if n != "mojibake"]
    with Clock() as rest_time:
        for d in docs:
            result = parsers.repair(d, steps_to_run=steps)
            parsers.extract_facts(result.text, result=result)

    # Change records are kept as offsets and built when a page or the database asks for them: time that
    # too (every change of every 10th document, with its place in both texts), reported per MB.
    sample = docs[::10]
    sample_mb = sum(len(d.encode("utf-8")) for d in sample) / 1e6
    results = [parsers.repair(d) for d in sample]
    with Clock() as changes_time:
        n_listed = sum(len(r.changes()) for r in results)

    for label, clock in (("wall", "wall"), ("CPU", "cpu")):
        t_opencc = getattr(opencc_time, clock)
        t_pipeline = getattr(pipeline_time, clock)
        t_rest = getattr(rest_time, clock)
        t_changes = getattr(changes_time, clock) / sample_mb
        print(f"-- {label} time")
        print(f"OpenCC t2s alone:      {total_mb / t_opencc:8.2f} MB/s ({t_opencc:.2f} s)")
        print(f"repair + extraction:   {total_mb / t_pipeline:8.2f} MB/s ({t_pipeline:.2f} s)")
        print(f"ratio (pipeline time / OpenCC time): {t_pipeline / t_opencc:.2f}x")
        if batched_time is not None:
            t_again, t_batched = getattr(again_time, clock), getattr(batched_time, clock)
            print(
                f"  second pass, a document at a time: {total_mb / t_again:8.2f} MB/s, "
                f"ratio {t_again / t_opencc:.2f}x; in batches of {BATCH} documents, step by step "
                f"(repair_many): {total_mb / t_batched:8.2f} MB/s, ratio {t_batched / t_opencc:.2f}x"
            )
        print(f"  without the mojibake step: {total_mb / t_rest:8.2f} MB/s, ratio {t_rest / t_opencc:.2f}x")
        print(
            f"listing every change record (result.changes(), as the database write does): "
            f"{t_changes:.3f} s per MB ({n_listed} changes in {sample_mb:.1f} MB), "
            f"{t_changes / (t_opencc / total_mb):.1f}x OpenCC's time"
        )
    print(f"changes {n_changes}, uncertain {n_uncertain}, facts {n_facts}")
    breakdown(docs, total_mb, opencc_time.cpu)


if __name__ == "__main__":
    main()
