"""`kechuang platforms import FILE [--commit]`, `kechuang platforms counts [--date D] [--by kind]`,
`kechuang platforms figures` (the report figures recomputed from the registry)."""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kechuang.accounts.models import User
from kechuang.core.jobs import job_run_with_bar


class Command(BaseCommand):
    help = "Platform registry: import a .xlsx/.csv (dry run by default), counts as of a date, report figures."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="check (default) or import platforms from a .xlsx/.csv")
        imp.add_argument("file")
        imp.add_argument("--commit", action="store_true", help="write when the whole file is clean")
        imp.add_argument("--user", default="staff", help="the staff user the changes are recorded for")
        counts = sub.add_parser("counts", help="exact counts on a date")
        counts.add_argument("--date", help="YYYY-MM-DD (default today)")
        counts.add_argument("--by", default="kind", choices=["kind", "level", "status", "city", "province"])
        sub.add_parser("figures", help="the provincial report figures computed from the registry")

    def handle(self, *args, action, **opts):
        from kechuang.platforms import selectors

        if action == "import":
            path = Path(opts["file"])
            if not path.is_file():
                raise CommandError(f"no such file: {path}")
            user = User.objects.filter(username=opts["user"], is_active=True).first()
            if user is None:
                raise CommandError(f"no active user {opts['user']!r}")
            job = job_run_with_bar(
                kind="platforms.import",
                params={"path": str(path.resolve()), "commit": opts["commit"]},
                actor=user,
                stream=self.stderr,
            )
            if job.state != "succeeded":
                raise CommandError(job.error_text)
            result = job.result
            for e in result["errors"]:
                self.stdout.write(f"第{e['line']}行 [{e['field']}] {e['message']}")
            state = (
                "imported"
                if result["committed"]
                else ("clean (dry run)" if not result["errors"] else "NOT imported")
            )
            self.stdout.write(
                f"{state}: {result['total']} rows, {result['created']} new, {result['updated']} updated"
            )
            if result["errors"]:
                raise CommandError(f"{len(result['errors'])} bad rows")
        elif action == "counts":
            try:
                day = datetime.date.fromisoformat(opts["date"]) if opts["date"] else None
            except ValueError:
                raise CommandError("date must be YYYY-MM-DD")
            from django.utils import timezone

            day = day or timezone.localdate()
            for key, n in sorted(selectors.platform_counts_as_of(date=day, by=opts["by"]).items()):
                self.stdout.write(f"{key}\t{n}")
        else:
            for f in selectors.report_figures():
                mark = "ok" if f["ok"] else "MISMATCH"
                self.stdout.write(
                    f"{f['province']}\t{f['label']}\t{f['value']}\t(report: {f['expected']})\t{mark}"
                )
