"""Print the measured figures of results.json as the Markdown table in README.md."""

import json
import os
import sys

MATCHER_MINMAX_1000 = (
    81.0  # seconds, OpenReview matcher MinMax at 1,000×1,500 on this kind of machine (issue 5)
)


def main(path):
    with open(path) as fh:
        r = json.load(fh)
    print(
        "| round | kind | objective (optimal) | HiGHS LP objective | read s | solve s | total s | peak MB | certificate rounds / arcs added | random s |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for row in r["rounds"]:
        o = row["optimal"]
        h = row.get("highs")
        hs = f"{h['objective']:.6f} ({h['seconds']} s)" if h else "—"
        size = f"{row['apps']:,}×{row['experts']:,}" + (f" (top {row['top']})" if row["top"] else " (dense)")
        print(
            f"| {size} | {row['kind']} | {o['objective']:.6f} | {hs} | {o['read_seconds']} | {o['solve_seconds']} | "
            f"{o['total_seconds']} | {o['peak_rss_mb']} | {o.get('solver_rounds')} / {o.get('solver_arcs_added_by_certificate')} | "
            f"{row['random']['total_seconds']} |"
        )
    print()
    for row in r["rounds"]:
        if row["apps"] == 1000 and row["kind"] == "uniform":
            o = row["optimal"]
            mm = row.get("matcher_minmax") or {}
            ref = mm.get("seconds", MATCHER_MINMAX_1000)
            src = "measured in this run" if "seconds" in mm else "issue 5's figure"
            print(
                f"- 1,000×1,500: total {o['total_seconds']} s (solve {o['solve_seconds']} s) → "
                f"{ref / o['total_seconds']:.0f}× faster than the matcher's MinMax ({ref} s, {src}) end to end, "
                f"{mm.get('solve_seconds', ref) / o['solve_seconds']:.0f}× on the solve; "
                f"HiGHS took {row['highs']['seconds']} s = {row['highs']['seconds'] / o['solve_seconds']:.0f}× our solve time, same objective."
            )
        if "fair" in row:
            f, o = row["fair"], row["optimal"]
            print(
                f"- fair {row['apps']}×{row['experts']} {row['kind']}: worst-off {o['worst_off']:.4f} (optimal) → {f['worst_off']:.4f} (fair), "
                f"{f['worst_off'] / o['worst_off']:.2f}×; total {f['objective']:.4f} = {100 * f['objective'] / o['objective']:.2f}% of the optimum; "
                f"max-min proved: {f.get('solver_maxmin_proved')}, bound {f.get('solver_maxmin_bound')}; {f['total_seconds']} s"
            )
    if "affinity_largest" in r:
        a = r["affinity_largest"]
        print(
            f"- affinity from texts, {a['applications']:,}×{a['experts']:,}, top {a['top_n']}: {a['total_seconds']} s "
            f"(of which segmentation and TF-IDF fit {a['fit_seconds']} s)"
        )
    print(f"- OpenReview matcher importable here: {r['matcher_available']} ({r.get('matcher_path')})")
    rows = [row for row in r["rounds"] if "matcher_minmax" in row or "matcher_fairflow" in row]
    if rows:
        print()
        print(
            "| round | kind | solver | seconds (read + solve) | total affinity | worst-off | Kechuang seconds | "
            "Kechuang total | Kechuang worst-off | time ratio | total ratio |"
        )
        print("|---|---|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        size = f"{row['apps']:,}×{row['experts']:,}"
        for key, ours_key in (("matcher_minmax", "optimal"), ("matcher_fairflow", "fair")):
            mm = row.get(key)
            if not mm:
                continue
            o = row.get(ours_key) or row["optimal"]
            if mm.get("timed_out") or "objective" not in mm:
                print(f"| {size} | {row['kind']} | {mm['solver']} | did not finish ({mm}) | | | | | | | |")
                continue
            print(
                f"| {size} | {row['kind']} | {mm['solver']} vs {ours_key} | {mm['seconds']} | {mm['objective']:.6f} | "
                f"{mm['worst_off']:.4f} | {o['total_seconds']} | {o['objective']:.6f} | {o['worst_off']:.4f} | "
                f"{mm['seconds'] / o['total_seconds']:.1f}× | {o['objective'] / mm['objective']:.5f} |"
            )
    for row in r["rounds"]:
        if "fair_rerun" in row:
            print(
                f"- fair {row['apps']}×{row['experts']} {row['kind']} re-run in a fresh process: same pairs "
                f"{row['fair_rerun'].get('same_pairs')}, worst-off {row['fair_rerun']['worst_off']:.6f}, "
                f"total {row['fair_rerun']['objective']:.6f}; LP bound on the worst-off over the whole round "
                f"{row['fair'].get('solver_maxmin_upper_bound_full')}, certified {row['fair'].get('solver_maxmin_certified_full')}"
            )


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "results.json"))
