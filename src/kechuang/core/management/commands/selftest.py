import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kechuang.core.jobs import job_submit
from kechuang.core.models import Job
from kechuang.core.roles import SystemActor


class Command(BaseCommand):
    help = "Submit a small job and wait for it: proves that jobs run (in-process, or through the broker to a worker)."

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=60.0)

    def handle(self, *args, timeout=60.0, **options):
        mode = (
            "eager (in-process)"
            if settings.CELERY_TASK_ALWAYS_EAGER
            else f"broker {settings.CELERY_BROKER_URL}"
        )
        self.stdout.write(f"jobs run: {mode}")
        job = job_submit(kind="core.selftest", params={"steps": 4}, actor=SystemActor("selftest"))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.is_finished:
                break
            time.sleep(0.2)
        if job.state != Job.State.SUCCEEDED:
            raise CommandError(
                f"job {job.pk} is {job.state}: {job.error_text or 'no worker picked it up in time'}"
            )
        self.stdout.write(self.style.SUCCESS(f"job {job.pk} succeeded: {job.result}"))
