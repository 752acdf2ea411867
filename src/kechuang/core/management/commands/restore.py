from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from kechuang.core.backup import restore_read
from kechuang.core.exceptions import ApplicationError


class Command(BaseCommand):
    help = "Restore a backup zip into this migrated, empty database and verify it table by table."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the backup .zip")

    def handle(self, *args, path, **options):
        with tqdm(total=100, desc="restore", unit="%", file=self.stderr) as bar:

            def progress(pct, table):
                bar.n = pct
                bar.set_postfix_str(table[:40])
                bar.refresh()

            try:
                result = restore_read(path, progress)
            except ApplicationError as exc:
                raise CommandError(str(exc.message))
        self.stdout.write(
            self.style.SUCCESS(
                f"{result['tables']} tables, {result['rows']} rows, {result['files']} files restored; "
                "identical to the backup"
            )
        )
