from django.core.management.base import BaseCommand, CommandError

from kechuang.core.jobs import job_run_with_bar
from kechuang.core.messages import render
from kechuang.core.roles import SYSTEM
from kechuang.ingest.jobs import expand_paths


class Command(BaseCommand):
    help = (
        "Store report files (and the files in directories) as documents, as a job with a progress bar. Each "
        "file passes the upload page's checks first (size, type by content, no program or macro); a refused "
        "file is named with why and the command exits with status 1."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help="files or directories")
        parser.add_argument("--year", type=int, help="the reports' year")
        parser.add_argument("--region", default="", help="the reports' region, e.g. 甘肃")
        parser.add_argument(
            "--retry-records", action="store_true", help="retry accepted facts whose record is pending"
        )
        parser.add_argument(
            "--recount-uncertain",
            action="store_true",
            help="set each stored report's uncertain count to the 〔存疑：…〕 marks its repaired text shows "
            "(reports stored before repair37 counted uncertain edits); audited per report changed",
        )

    def handle(
        self, *args, paths, year=None, region="", retry_records=False, recount_uncertain=False, **options
    ):
        if recount_uncertain:
            from kechuang.ingest.services import documents_recount_uncertain

            self.stdout.write(f"recounted {documents_recount_uncertain(actor=SYSTEM)} documents")
            if not paths and not retry_records:
                return
        if retry_records:
            from kechuang.ingest.services import fact_record_pending

            self.stdout.write(f"recorded {fact_record_pending(actor=SYSTEM)} pending facts")
            if not paths:
                return
        if not paths:
            raise CommandError("name at least one file or directory")
        files = expand_paths(paths)
        if not files:
            raise CommandError("no files found")
        job = job_run_with_bar(
            kind="ingest.batch",
            params={"paths": files, "year": year, "region": region},
            actor=SYSTEM,
            title=f"ingest {len(files)} files",
            stream=self.stderr,
        )
        if job.state != "succeeded":
            raise CommandError(job.error_text)
        r = job.result
        for item in r["created"]:
            self.stdout.write(f"created  #{item['id']} {item['path']}")
        for item in r["existing"]:
            self.stdout.write(f"existing #{item['id']} {item['path']}")
        refused = [item for item in r["failed"] if item.get("refused")]
        for item in r["failed"]:
            word = "refused " if item.get("refused") else "failed  "
            self.stderr.write(f"{word} {item['path']}: {render(item['error'])}")
        self.stdout.write(
            f"{len(r['created'])} created, {len(r['existing'])} already there, {len(r['failed'])} failed"
        )
        if refused:  # the upload page's checks refused it (docs/security.md §43): said by the exit status too
            raise CommandError(
                f"{len(refused)} file(s) refused by the upload checks (size, type by content, no program or "
                "macro); nothing was stored for them"
            )
        if r["failed"] and not (r["created"] or r["existing"]):
            raise CommandError("no file could be ingested")
