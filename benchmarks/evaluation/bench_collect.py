"""Queries and time of `campaign_collect` on a loaded dataset, and a digest of what it stored.

    PYTHONPATH=src .venv/bin/python benchmarks/evaluation/bench_collect.py \
        --database-url postgres://postgres@127.0.0.1:5432/kc_evalperf

Every campaign of the database is put into "collecting" and collected twice (the first run creates the
scores a draft campaign lacks, the second updates them all), inside one transaction that is rolled back:
the database is left as it was. The digest (sha256 over every stored score: entry, node, value, source,
note) lets two versions of the code be compared on the same data.
"""

import argparse
import hashlib
import os
import secrets
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


class Rollback(Exception):
    pass


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/kc_evalperf")
    args = ap.parse_args()
    os.environ.update(
        DJANGO_SETTINGS_MODULE="kechuang.settings.prod",
        SECRET_KEY=os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        DATABASE_URL=args.database_url,
    )
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.db import connection, transaction

    from kechuang.accounts.models import User
    from kechuang.evaluation.models import Campaign, Score
    from kechuang.evaluation.services import campaign_collect

    staff = User.objects.get(username="gd_staff")
    try:
        with transaction.atomic():
            for campaign in Campaign.objects.order_by("pk"):
                Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.COLLECTING)
                campaign.refresh_from_db()
                entries = campaign.entries.count()
                leaves = campaign.nodes.exclude(rule="group").count()
                for run in (1, 2):
                    t0 = time.perf_counter()
                    n = [0]

                    def count(execute, sql, params, many, context, n=n):
                        n[0] += 1
                        return execute(sql, params, many, context)

                    with connection.execute_wrapper(count):
                        counts = campaign_collect(actor=staff, campaign=campaign)
                    took = time.perf_counter() - t0
                    rows = Score.objects.filter(entry__campaign=campaign).order_by("entry_id", "node_id")
                    h = hashlib.sha256()
                    for r in rows.values_list("entry_id", "node_id", "value", "source", "note"):
                        h.update(repr(r).encode())
                    print(
                        f"campaign {campaign.pk} ({entries} entries × {leaves} leaves) run {run}: "
                        f"{n[0]} queries, {took:.2f} s, {counts}, "
                        f"digest {h.hexdigest()[:16]}"
                    )
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
