"""Where a page's time goes: database, template rendering, and the rest of the Python (issue #19 item 4).

    PYTHONPATH=src .venv/bin/python benchmarks/load/profile_split.py \
        --database-url postgres://postgres@127.0.0.1:5432/kc_load [--repeat 20]

Django's test client in this process, production settings, against a loaded database (the logins of
`kechuang gendata`). Each page is fetched once to warm the caches, then --repeat times; per request: the wall
time, the time inside the database cursor (`connection.execute_wrapper`), the time inside template rendering
(the outermost `Template.render`, queries run from the template counted as database, not rendering) and the
rest (views, selectors, forms, middleware, building the Python objects of the rows). Medians in ms.

`--endpoints KEY,...` (or `all`) measures the load benchmark's endpoints instead (run.py's keys and objects,
chosen from the database the same way; the review save is POSTed with the review's current version each time).
"""

import argparse
import statistics
import time

import inprocess
from inprocess import ROOT

PAGES = [
    ("staff", "/dashboard/", "staff dashboard"),
    ("commissioner", "/dashboard/", "commissioner dashboard"),
    ("expert", "/dashboard/", "expert dashboard"),
    ("operator", "/dashboard/", "operator dashboard"),
    ("anonymous", "/challenges/?status=published", "challenge list, published"),
    ("anonymous", "/platforms/?q=%E5%AE%9E%E9%AA%8C%E5%AE%A4&kind=provincial_key_lab", "platform search"),
    ("staff", "/review/experts/?q=%E6%95%99%E6%8E%88", "expert pool search 教授"),
    ("expert", "/review/my/", "expert's assignments"),
    ("staff", "/jobs/audit/", "audit log"),
]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--database-url", required=True)
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--src", default=str(ROOT / "src"), help="the code to measure (another worktree's src)")
    ap.add_argument("--endpoints", default="", help="run.py's endpoint keys (comma-separated), or all")
    args = ap.parse_args()
    inprocess.setup(args.database_url, src=args.src)
    from django.db import connection
    from django.template.backends.django import Template

    clock = {"db": 0.0, "render": 0.0, "depth": 0, "n": 0}

    def timed_execute(execute, sql, params, many, context):
        t0 = time.perf_counter()
        clock["n"] += 1
        try:
            return execute(sql, params, many, context)
        finally:
            clock["db"] += time.perf_counter() - t0

    original_render = Template.render

    def timed_render(self, *a, **k):
        if clock["depth"]:
            return original_render(self, *a, **k)
        clock["depth"] += 1
        db0, t0 = clock["db"], time.perf_counter()
        try:
            return original_render(self, *a, **k)
        finally:
            clock["depth"] -= 1
            # queries the template ran (lazy querysets) are the database's time, not rendering's
            clock["render"] += (time.perf_counter() - t0) - (clock["db"] - db0)

    Template.render = timed_render
    pages = [(role, path, what, None) for role, path, what in PAGES]
    if args.endpoints:
        pages = [
            (ep.role, ep.path, f"{ep.what} ({ep.key})", ep.post) for ep in inprocess.endpoints(args.endpoints)
        ]
    clients = inprocess.signed_in_clients()
    print("| page | total ms | database ms | rendering ms | rest (Python) ms | queries |")
    print("|---|---|---|---|---|---|")
    with connection.execute_wrapper(timed_execute):
        for role, path, what, post in pages:
            client = clients[role]
            request = inprocess.poster(client, post) if post else (lambda c=client, p=path: c.get(p))
            assert request().status_code in (200, 302), path
            rows = []
            for _ in range(args.repeat):
                clock["db"] = clock["render"] = 0.0
                clock["n"] = 0
                t0 = time.perf_counter()
                response = request()
                total = time.perf_counter() - t0
                assert response.status_code == (302 if post else 200), (path, response.status_code)
                rows.append((total, clock["db"], clock["render"], clock["n"]))
            med = [statistics.median(r[i] for r in rows) for i in range(3)]
            print(
                f"| {what} | {med[0] * 1000:.1f} | {med[1] * 1000:.1f} | {med[2] * 1000:.1f} | "
                f"{(med[0] - med[1] - med[2]) * 1000:.1f} | {rows[-1][3] or '—'} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
