"""`kechuang jobs list | reap | rerun ID`: the jobs a crash left behind, and running a failed one again."""

import getpass

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from kechuang.core.exceptions import ApplicationError
from kechuang.core.jobs import job_reap_lost, job_rerun
from kechuang.core.models import Job
from kechuang.core.roles import SYSTEM, SystemActor


class Command(BaseCommand):
    help = "List jobs, mark failed those whose worker is gone (reap), or re-run a failed job (rerun ID)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        ls = sub.add_parser("list", help="the latest jobs (--state running|failed|queued|succeeded)")
        ls.add_argument("--state", default="")
        ls.add_argument("--limit", type=int, default=20)
        sub.add_parser("reap", help="mark failed the running jobs whose worker process is gone")
        rerun = sub.add_parser("rerun", help="queue a failed job again (audited)")
        rerun.add_argument("job_id")

    def handle(self, *args, verb, **options):
        if verb == "list":
            jobs = Job.objects.order_by("-created_at")
            if options["state"]:
                jobs = jobs.filter(state=options["state"])
            for job in jobs[: options["limit"]]:
                self.stdout.write(
                    f"{job.pk}  {job.state:<9}  {job.progress:>3}%  {job.kind:<28}  {job.worker or '-'}  "
                    # the shell is for those who run the system: an unexpected failure's error, not its sentence
                    f"{((job.error_detail or job.error_text).splitlines() or [''])[0][:80]}"
                )
            return
        if verb == "reap":
            lost = job_reap_lost()
            for job in lost:
                self.stdout.write(f"{job.pk}  {job.kind}: {job.error_text}")
            self.stdout.write(self.style.SUCCESS(f"{len(lost)} lost job(s) marked failed"))
            return
        try:
            job = Job.objects.get(pk=options["job_id"])
        except (Job.DoesNotExist, ValueError, ValidationError):
            raise CommandError(f"no job {options['job_id']}")
        try:
            job = job_rerun(actor=SystemActor(f"cli:{getpass.getuser()}", SYSTEM.roles), job=job)
        except ApplicationError as exc:
            raise CommandError(str(exc.message))
        job.refresh_from_db()
        self.stdout.write(self.style.SUCCESS(f"job {job.pk} queued again: now {job.state}"))
