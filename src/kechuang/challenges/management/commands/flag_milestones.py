import datetime

from django.core.management.base import BaseCommand, CommandError

from kechuang.core.jobs import job_run_with_bar
from kechuang.core.roles import SYSTEM


class Command(BaseCommand):
    help = "Close challenges past their deadline and flag overdue / at-risk milestones (the daily job)."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="check as of this date (YYYY-MM-DD); default: today")

    def handle(self, *args, today=None, **options):
        if today:
            try:
                datetime.date.fromisoformat(today)
            except ValueError:
                raise CommandError("--today must be YYYY-MM-DD")
        job = job_run_with_bar(
            kind="challenges.flag_milestones",
            params={"today": today} if today else {},
            actor=SYSTEM,
            stream=self.stderr,
        )
        if job.state != "succeeded":
            raise CommandError(job.error_text)
        r = job.result
        self.stdout.write(
            f"checked {r['checked']} milestones: {r['overdue']} overdue, {r['at_risk']} at risk, "
            f"{r['newly_flagged']} newly flagged, {r['cleared']} cleared; "
            f"challenges closed: {', '.join(r['challenges_closed']) or '-'}"
        )
