"""Repair and extraction on the project's corpus, beside the naive pipeline (issue #15).

    .venv/bin/python benchmarks/ingest/corpus_bench.py [--seeds 5] [--split dev|dev2|…|dev26|dev27|dev28|dev29|dev30|dev31|dev32|dev33|dev34|dev35|dev36|dev37|dev38|dev39|dev40|dev41|dev42|dev43|dev44|heldout|all] [--ids REGEX]
                                                       [--json out.json] [--per-doc]

Every document of the corpus (benchmarks/ingest/corpus/) is damaged by the forward model (forward.py) at
each seed, with and without the comma insertion, and repaired by Kechuang's pipeline (`repair` +
`extract_facts`) and by the naive pipeline (strip parenthesised pinyin, drop a comma before a
punctuation mark, OpenCC t2s; facts from the naive text by the same extractor). Reported per split:

- character accuracy (1 − edit distance ÷ length; NFKC, white space ignored, gap and redaction markers
  taken out, 〔存疑：x〕 read as x) per run; per document its min and mean over the runs; the worst
  document; the documents where Kechuang is below the naive pipeline on some run;
- facts recall and extra share against the key (same value, unit and period, linked to the same region:
  the key's `place` or the report's own; amounts in yuan; facts the page lost are not counted), Kechuang
  and naive;
- mentions of another province's unit (the key's `other_units`, e.g. 东黎省科技厅) linked to the report's
  own department (`corpus_eval.foreign_mislinks`);
- uncertain spans (RepairResult.uncertain_count) and runs where the repaired text still holds a reading
  aid, a broken-byte `?` or a comma before punctuation while it says 0 uncertain;
- throughput: Kechuang's repair + extraction and the naive pipeline, each as a ratio to OpenCC's t2s
  alone over the same damaged texts in the same run (CPU time of this process; both sides' one-time
  table loading is done before the clock starts, `parsers.warm_up()`).

Held-out documents are reported by id and figures only; no text is printed.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus_eval as ce

ce.django_setup()

from kechuang.ingest import parsers  # noqa: E402

THRESHOLD = 0.998


def run(split: str, seeds: int, ids: str | None = None) -> dict:
    docs = [d for d in ce.load_corpus(split) if ids is None or re.fullmatch(ids, d.id)]
    per_doc = {}
    runs = []
    for doc in docs:
        for seed in range(seeds):
            for commas in (False, True):
                d = ce.damage(doc, seed, commas)
                runs.append((doc, seed, commas, d))
    # throughput: the same damaged texts, CPU time, OpenCC alone first
    t2s = ce._t2s()
    texts = [d.text for *_x, d in runs]
    t2s.convert(texts[0])
    # the tables both sides load once per process (OpenCC's dictionaries above; GBK pairs, the word list
    # and the pinyin index here) are not per-report work: loaded before the clock starts
    parsers.warm_up()
    parsers.extract_facts(parsers.repair(texts[0]).text)
    t0 = time.process_time()
    for t in texts:
        t2s.convert(t)
    opencc_cpu = time.process_time() - t0

    kc_cpu = naive_cpu = 0.0
    totals = {"kc": [0, 0, 0], "naive": [0, 0, 0]}  # found, key, extracted
    uncertain = 0
    mislinks = 0
    silent_damage = []
    for doc, seed, commas, d in runs:
        t0 = time.process_time()
        result = parsers.repair(d.text)
        facts = ce.extract(result.text, doc.year, result)
        kc_cpu += time.process_time() - t0
        t0 = time.process_time()
        naive_text = ce.naive(d.text)
        naive_cpu += time.process_time() - t0
        naive_facts = ce.extract(naive_text, doc.year)
        key = ce.countable(doc, d)
        acc = ce.char_accuracy(result.text, d.reference)
        acc_naive = ce.char_accuracy(naive_text, d.reference)
        region = doc.key["region"]
        s_kc, s_naive = ce.score_facts(facts, key, region), ce.score_facts(naive_facts, key, region)
        for name, s in (("kc", s_kc), ("naive", s_naive)):
            totals[name][0] += s.found
            totals[name][1] += s.key
            totals[name][2] += s.extracted
        uncertain += result.uncertain_count
        mislinks += ce.foreign_mislinks(result.text, doc.key)
        left = {k: v for k, v in ce.leftover_damage(result.text).items() if v}
        if left and result.uncertain_count == 0:
            silent_damage.append({"doc": doc.id, "seed": seed, "commas": commas, **left})
        e = per_doc.setdefault(
            doc.id,
            {"chars": doc.key["chars"], "kc": [], "naive": [], "below_naive": 0, "uncertain": 0, "facts": []},
        )
        e["kc"].append(acc)
        e["naive"].append(acc_naive)
        e["below_naive"] += acc < acc_naive
        e["uncertain"] += result.uncertain_count
        e["facts"].append((s_kc.found, s_kc.key, s_kc.extracted, s_naive.found, s_naive.extracted))
    docs_out = {}
    for doc_id, e in per_doc.items():
        kc_found = sum(f[0] for f in e["facts"])
        key = sum(f[1] for f in e["facts"])
        kc_ex = sum(f[2] for f in e["facts"])
        nv_found = sum(f[3] for f in e["facts"])
        nv_ex = sum(f[4] for f in e["facts"])
        docs_out[doc_id] = {
            "chars": e["chars"],
            "kc_min": min(e["kc"]),
            "kc_mean": statistics.fmean(e["kc"]),
            "naive_min": min(e["naive"]),
            "naive_mean": statistics.fmean(e["naive"]),
            "runs_below_naive": e["below_naive"],
            "runs_below_threshold": sum(a < THRESHOLD for a in e["kc"]),
            "uncertain": e["uncertain"],
            "kc_recall": kc_found / key if key else 1.0,
            "kc_extra": (kc_ex - kc_found) / kc_ex if kc_ex else 0.0,
            "naive_recall": nv_found / key if key else 1.0,
            "naive_extra": (nv_ex - nv_found) / nv_ex if nv_ex else 0.0,
        }

    def share(found, key, extracted):
        return {
            "recall": found / key if key else 1.0,
            "extra": (extracted - found) / extracted if extracted else 0.0,
        }

    return {
        "split": split,
        "documents": len(docs),
        "runs": len(runs),
        "seeds": seeds,
        "chars": sum(d.key["chars"] for d in docs),
        "kc": {
            "min_char_accuracy": min(v["kc_min"] for v in docs_out.values()),
            "mean_char_accuracy": statistics.fmean(v["kc_mean"] for v in docs_out.values()),
            "docs_below_threshold": sum(v["runs_below_threshold"] > 0 for v in docs_out.values()),
            "docs_below_naive": sum(v["runs_below_naive"] > 0 for v in docs_out.values()),
            **share(*totals["kc"]),
            "uncertain_spans": uncertain,
            "runs_with_silent_damage": len(silent_damage),
            "foreign_units_linked_to_own_department": mislinks,
            "cpu_ratio_to_opencc": kc_cpu / opencc_cpu,
        },
        "naive": {
            "min_char_accuracy": min(v["naive_min"] for v in docs_out.values()),
            "mean_char_accuracy": statistics.fmean(v["naive_mean"] for v in docs_out.values()),
            **share(*totals["naive"]),
            "cpu_ratio_to_opencc": naive_cpu / opencc_cpu,
        },
        "opencc_cpu_seconds": opencc_cpu,
        "silent_damage": silent_damage,
        "per_document": docs_out,
    }


def print_report(r: dict, per_doc: bool) -> None:
    kc, nv = r["kc"], r["naive"]
    print(
        f"== {r['split']}: {r['documents']} documents, {r['chars']} characters, {r['runs']} runs "
        f"({r['seeds']} seeds x with/without commas)"
    )
    print(f"{'':34s} {'Kechuang':>10s} {'naive':>10s}")
    print(
        f"{'char accuracy, worst doc-run':34s} {kc['min_char_accuracy']:10.4f} {nv['min_char_accuracy']:10.4f}"
    )
    print(
        f"{'char accuracy, mean of doc means':34s} {kc['mean_char_accuracy']:10.4f} {nv['mean_char_accuracy']:10.4f}"
    )
    print(f"{'facts recall':34s} {kc['recall']:10.3f} {nv['recall']:10.3f}")
    print(f"{'extra facts (share of extracted)':34s} {kc['extra']:10.3f} {nv['extra']:10.3f}")
    print(
        f"{'CPU time / OpenCC t2s alone':34s} {kc['cpu_ratio_to_opencc']:9.1f}x {nv['cpu_ratio_to_opencc']:9.1f}x"
    )
    print(
        f"documents with a run below {THRESHOLD}: {kc['docs_below_threshold']}; below naive: "
        f"{kc['docs_below_naive']}; uncertain spans: {kc['uncertain_spans']}; runs saying 0 uncertain "
        f"with damage left: {kc['runs_with_silent_damage']}; another province's unit linked to this "
        f"department: {kc['foreign_units_linked_to_own_department']}"
    )
    if per_doc:
        print(
            f"  {'doc':12s} {'chars':>6s} {'kc min':>8s} {'kc mean':>8s} {'nv min':>8s} {'nv mean':>8s} "
            f"{'<naive':>6s} {'unc':>4s} {'kc R':>6s} {'kc X':>6s} {'nv R':>6s}"
        )
        for doc_id, v in r["per_document"].items():
            print(
                f"  {doc_id:12s} {v['chars']:6d} {v['kc_min']:8.4f} {v['kc_mean']:8.4f} {v['naive_min']:8.4f} "
                f"{v['naive_mean']:8.4f} {v['runs_below_naive']:6d} {v['uncertain']:4d} {v['kc_recall']:6.3f} "
                f"{v['kc_extra']:6.3f} {v['naive_recall']:6.3f}"
            )


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument(
        "--split",
        choices=[*ce.build_corpus.SPLITS, "all"],
        default="all",
    )
    ap.add_argument("--ids", help="only the documents whose id matches this regular expression (a batch)")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--per-doc", action="store_true")
    args = ap.parse_args()
    splits = ["dev", "heldout"] if args.split == "all" else [args.split]
    reports = [run(s, args.seeds, args.ids) for s in splits if ce.load_corpus(s)]
    for r in reports:
        print_report(r, args.per_doc)
    if args.json:
        args.json.write_text(json.dumps(reports, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
