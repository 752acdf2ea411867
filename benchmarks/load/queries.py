"""The queries one page makes against a database, slowest first, with their times and the total.

    PYTHONPATH=src .venv/bin/python benchmarks/load/queries.py --database-url postgres://.../kc_load \
        --user gd_staff /platforms/ /jobs/audit/?page=5000

For finding what makes a page slow at national size (run.py says which pages are slow). Uses Django's test
client in this process (no gunicorn), signed in as --user (or anonymous), with the production settings.
"""

import argparse
import os
import secrets
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/kc_load")
    ap.add_argument("--user", default="")
    ap.add_argument("--top", type=int, default=8)
    ap.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the slowest query")
    args = ap.parse_args()
    os.environ.update(
        DJANGO_SETTINGS_MODULE="kechuang.settings.prod",
        SECRET_KEY=os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        DATABASE_URL=args.database_url,
        SECURE_SSL_REDIRECT="false",
        ALLOWED_HOSTS="testserver",
    )
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
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
