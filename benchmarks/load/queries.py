"""The queries one page makes against a database, slowest first, with their times and the total.

    PYTHONPATH=src .venv/bin/python benchmarks/load/queries.py --database-url postgres://.../kc_load \
        --user gd_staff /platforms/ /jobs/audit/?page=5000

For finding what makes a page slow at national size (run.py says which pages are slow). Uses Django's test
client in this process (no gunicorn), signed in as --user (or anonymous), with the production settings.
"""

import argparse
import time

import inprocess


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/kc_load")
    ap.add_argument("--user", default="")
    ap.add_argument("--top", type=int, default=8)
    ap.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the slowest query")
    args = ap.parse_args()
    inprocess.setup(args.database_url, compressed_static=False)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    if args.user:
        from kechuang.accounts.models import User

        client.force_login(User.objects.get(username=args.user))
    for path in args.paths:
        t0 = time.perf_counter()
        with CaptureQueriesContext(connection) as ctx:
            status = client.get(path).status_code
        total = time.perf_counter() - t0
        qs = ctx.captured_queries
        db = sum(float(q["time"]) for q in qs)
        print(
            f"{path}: {status}, {total * 1000:.0f} ms, {len(qs)} queries, {db * 1000:.0f} ms in the database"
        )
        slowest = sorted(qs, key=lambda q: -float(q["time"]))
        for q in slowest[: args.top]:
            print(f"  {float(q['time']) * 1000:8.1f} ms  {q['sql'][:300]}")
        if args.explain and slowest:
            with connection.cursor() as cur:
                cur.execute("EXPLAIN ANALYZE " + slowest[0]["sql"])
                print("\n".join("    " + r[0] for r in cur.fetchall()))


if __name__ == "__main__":
    main()
