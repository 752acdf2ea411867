import datetime
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from kechuang.core.exceptions import ApplicationError
from kechuang.core.gendata import GENDATA_PASSWORD, SCALES, plan
from kechuang.web.gendata import dataset_generate
from kechuang.web.loaders import GENDATA_ORDER


class Command(BaseCommand):
    help = (
        "Generate a national- or province-size dataset, deterministic from --seed, into an empty migrated "
        "database (see docs/gendata.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="province")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--as-of", default="", help="the date the world is generated as of (YYYY-MM-DD; default today)"
        )
        parser.add_argument("--password", default=GENDATA_PASSWORD, help="password of every generated user")
        parser.add_argument("--flush", action="store_true", help="empty the database first")

    def handle(self, *args, scale, seed, as_of, password, flush, **options):
        from tqdm import tqdm

        from .demo import refuse_demo_data

        refuse_demo_data()

        try:
            day = datetime.date.fromisoformat(as_of) if as_of else None
        except ValueError:
            raise CommandError(f"--as-of: not a date: {as_of!r} (YYYY-MM-DD)")
        target = plan(scale)
        self.stdout.write(
            f"gendata: scale {scale}, seed {seed}: " + ", ".join(f"{k} {v:,}" for k, v in target.items())
        )
        started = time.monotonic()
        with tqdm(
            total=len(GENDATA_ORDER), desc=f"gendata {scale}", unit="app", file=self.stderr._out
        ) as bar:
            rows = [0]

            def on_rows(n):
                rows[0] += n
                bar.set_postfix_str(f"{rows[0]:,} rows", refresh=True)

            def on_part(app, seconds):
                bar.update(1)
                bar.write(f"  {app}: {seconds:.1f} s")

            try:
                result = dataset_generate(
                    scale=scale,
                    seed=seed,
                    as_of=day,
                    password=password,
                    flush=flush,
                    on_part=on_part,
                    on_rows=on_rows,
                )
            except ApplicationError as exc:
                raise CommandError(str(exc.message if hasattr(exc, "message") else exc))
        if connection.vendor == "postgresql":
            # A bulk load leaves the planner's statistics empty and the GIN indexes' pending lists full (a
            # two-character search read 10 ms of pending list for one row); autovacuum would catch up within
            # minutes, a benchmark run straight after would not wait for it.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
            self.stdout.write("gendata: VACUUM ANALYZE done")
        elapsed = time.monotonic() - started
        total = sum(result["tables"].values())
        self.stdout.write(f"gendata: {total:,} rows in {elapsed:.1f} s (as of {result['as_of']})")
        for table, n in sorted(result["tables"].items()):
            self.stdout.write(f"  {table:45} {n:>10,}")
        self.stdout.write(self.style.SUCCESS(f"Known logins (password: {password}):"))
        for name in result["known"]:
            self.stdout.write(self.style.SUCCESS(f"  {name}"))
