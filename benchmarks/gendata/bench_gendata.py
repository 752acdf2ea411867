"""Load time of `kechuang gendata`, as a ratio to a raw bulk insert measured in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kc_gendata_prov \
        .venv/bin/python benchmarks/gendata/bench_gendata.py --scale province [--seed 1] [--json OUT]
    DATABASE_URL=sqlite:////tmp/kc_gendata.sqlite3 .venv/bin/python benchmarks/gendata/bench_gendata.py --scale province

The database must exist and be migrated; the benchmark empties it (`--flush`) and leaves the generated
dataset in it. The baseline is the same database's speed at its simplest bulk insert: 1,000,000 narrow rows
(bigint, text, timestamp) into a temporary table without indexes or keys, through the same path the
generator uses (COPY on PostgreSQL, executemany on SQLite). The ratio is the generator's rows per second over
the baseline's: how much of the database's raw insert speed the generator keeps while building a consistent,
indexed, constrained dataset. Reports wall and CPU time, rows per table and the database's size.
"""

import argparse
import datetime
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kechuang.settings.dev")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from kechuang.web.gendata import dataset_generate  # noqa: E402

BASELINE_ROWS = 1_000_000


def baseline() -> float:
    """Rows per second of a raw bulk insert into a bare temporary table (rolled back)."""
    at = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    rows = [(i, f"基线行 {i}", at) for i in range(BASELINE_ROWS)]
    started = time.monotonic()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE bench_baseline (id bigint, name text, at timestamp)")
        if connection.vendor == "postgresql":
            with cursor.copy("COPY bench_baseline (id, name, at) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            rows = [(i, n, a.isoformat()) for i, n, a in rows]
            cursor.executemany("INSERT INTO bench_baseline (id, name, at) VALUES (%s, %s, %s)", rows)
        cursor.execute("DROP TABLE bench_baseline")
    return BASELINE_ROWS / (time.monotonic() - started)


def db_size() -> int:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            return cursor.fetchone()[0]
    return Path(connection.settings_dict["NAME"]).stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="province")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--as-of", default="2026-06-15")
    parser.add_argument("--json", default="")
    args = parser.parse_args()
    base = baseline()
    parts = {}
    started, cpu = time.monotonic(), time.process_time()
    dataset_generate(
        scale=args.scale,
        seed=args.seed,
        as_of=datetime.date.fromisoformat(args.as_of),
        flush=True,
        on_part=lambda app, s: parts.__setitem__(app, round(s, 1)),
    )
    wall, cpu = time.monotonic() - started, time.process_time() - cpu
    from kechuang.core.backup import backed_up_models

    tables = {m._meta.db_table: m._base_manager.count() for m in backed_up_models()}
    tables = {t: n for t, n in tables.items() if n}
    rows = sum(tables.values())
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    out = {
        "vendor": connection.vendor,
        "scale": args.scale,
        "seed": args.seed,
        "baseline_rows_per_s": round(base),
        "wall_s": round(wall, 1),
        "cpu_s": round(cpu, 1),
        "parts_s": parts,
        "rows": rows,
        "rows_per_s": round(rows / wall),
        "ratio_to_baseline": round(rows / wall / base, 3),
        "db_bytes": db_size(),
        "tables": tables,
    }
    print(json.dumps(out, ensure_ascii=False, indent=1))
    if args.json:
        Path(args.json).write_text(json.dumps(out, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
