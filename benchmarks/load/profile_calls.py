"""Python function calls and wall time per request of the load benchmark's endpoints (issue #19, §14h).

    PYTHONPATH=src .venv/bin/python benchmarks/load/profile_calls.py \
        --database-url postgres://postgres@127.0.0.1:5432/kc_load --endpoints contract_detail,review_save \
        [--src ../other/src] [--repeat 9] [--top 25]

Django's test client in this process, production settings, run.py's endpoints and objects (as
profile_split.py). Per endpoint: 2 warm-up requests, then --repeat requests timed without the profiler
(median wall ms, queries) and 5 under cProfile (median count of Python function calls); with --top N, the N
functions of the last profiled request with the most own time and the N with the most cumulative time. The
call count does not depend on the machine's load; the milliseconds do (compare in the same minutes).
"""

import argparse
import cProfile
import io
import pstats
import statistics
import time

import inprocess
from inprocess import ROOT


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--database-url", required=True)
    ap.add_argument("--repeat", type=int, default=9)
    ap.add_argument("--top", type=int, default=0)
    ap.add_argument("--src", default=str(ROOT / "src"), help="the code to measure (another worktree's src)")
    ap.add_argument("--endpoints", default="all", help="run.py's endpoint keys (comma-separated), or all")
    args = ap.parse_args()
    inprocess.setup(args.database_url, src=args.src)
    from django.db import connection

    eps = inprocess.endpoints(args.endpoints)
    clients = inprocess.signed_in_clients()
    count = {"n": 0}

    def counting(execute, sql, params, many, context):
        count["n"] += 1
        return execute(sql, params, many, context)

    print("| endpoint | wall ms (median) | Python calls (median) | queries |")
    print("|---|---|---|---|")
    reports = []
    with connection.execute_wrapper(counting):
        for ep in eps:
            request = inprocess.request_for(clients[ep.role], ep)
            want = 302 if ep.post else 200
            for _ in range(2):
                assert request().status_code == want, ep.key
            times = []
            for _ in range(args.repeat):
                count["n"] = 0
                t0 = time.perf_counter()
                response = request()
                times.append(time.perf_counter() - t0)
                assert response.status_code == want, (ep.key, response.status_code)
            queries = count["n"]
            calls = []
            for _ in range(5):
                prof = cProfile.Profile()
                prof.enable()
                request()
                prof.disable()
                stats = pstats.Stats(prof)
                calls.append(stats.total_calls)
            print(
                f"| {ep.key} | {statistics.median(times) * 1000:.1f} | {int(statistics.median(calls)):,} | {queries} |",
                flush=True,
            )
            if args.top:
                out = io.StringIO()
                stats.stream = out
                stats.sort_stats("tottime").print_stats(args.top)
                stats.sort_stats("cumulative").print_stats(args.top)
                reports.append((ep.key, out.getvalue()))
    for key, text in reports:
        print(f"\n## {key}\n{text}")


if __name__ == "__main__":
    main()
