from django.core.management.base import BaseCommand, CommandError

from kechuang.core.jobs import job_run_with_bar
from kechuang.core.roles import SYSTEM


class Command(BaseCommand):
    help = "Duplicate check (查重): `rebuild` re-indexes every submitted application and records the pairs."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rebuild"])

    def handle(self, *args, action, **options):
        job = job_run_with_bar(kind="challenges.dedup_index", params={}, actor=SYSTEM, stream=self.stderr)
        if job.state != "succeeded":
            raise CommandError(job.error_text)
        r = job.result
        self.stdout.write(
            f"indexed {r['applications']} applications; {r['pairs']} pairs above the thresholds"
        )
