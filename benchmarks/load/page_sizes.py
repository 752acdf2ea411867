"""Bytes, table rows and queries of every list page, for one signed-in user, on a loaded database.

    PYTHONPATH=src .venv/bin/python benchmarks/load/page_sizes.py \
        --database-url postgres://postgres@127.0.0.1:5432/kc_evalperf --user gd_staff

Each list is fetched as is and with `?page_size=100000` (a page size must stay bounded whatever is asked).
Rows are the `<tr` tags of the page (the header row included). Django's test client in this process, with
the production settings (like queries.py beside it).
"""

import argparse

import inprocess

LISTS = [
    "/platforms/",
    "/platforms/reports/",
    "/platforms/reorganisations/",
    "/accounts/units/",
    "/challenges/",
    "/challenges/needs/",
    "/challenges/topics/",
    "/challenges/applications/",
    "/challenges/projects/",
    "/challenges/awards/",
    "/challenges/results/",
    "/review/experts/",
    "/review/rounds/",
    "/review/my/",
    "/evaluation/",
    "/techmap/technologies/",
    "/techmap/gaps/",
    "/indicators/list/",
    "/indicators/targets/",
    "/indicators/regions/",
    "/indicators/frameworks/",
    "/ingest/",
    "/ingest/facts/",
    "/jobs/",
    "/jobs/audit/",
    "/notifications/",
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("paths", nargs="*", default=LISTS)
    ap.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/kc_load")
    ap.add_argument("--user", default="gd_staff")
    args = ap.parse_args()
    inprocess.setup(args.database_url, compressed_static=False)
    from django.db import connection
    from django.test import Client

    from kechuang.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=args.user))
    print(f"{'page':<45} {'status':>6} {'bytes':>9} {'rows':>6} {'queries':>7}")
    for path in args.paths:
        for url in (path, path + ("&" if "?" in path else "?") + "page_size=100000"):
            n = [0]

            def count(execute, sql, params, many, context, n=n):
                n[0] += 1
                return execute(sql, params, many, context)

            with connection.execute_wrapper(count):
                r = client.get(url)
            body = r.content
            print(f"{url:<45} {r.status_code:>6} {len(body):>9} {body.count(b'<tr'):>6} {n[0]:>7}")


if __name__ == "__main__":
    main()
