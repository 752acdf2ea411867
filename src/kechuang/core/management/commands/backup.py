from django.core.management.base import BaseCommand
from tqdm import tqdm

from kechuang.core.backup import backup_write


class Command(BaseCommand):
    help = "Write the whole database to a backup zip (one JSON-lines file per table, with digests)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the .zip to write")

    def handle(self, *args, path, **options):
        with tqdm(total=100, desc="backup", unit="%", file=self.stderr) as bar:

            def progress(pct, table):
                bar.n = pct
                bar.set_postfix_str(table[:40])
                bar.refresh()

            manifest = backup_write(path, progress)
        rows = sum(t["rows"] for t in manifest["tables"].values())
        files = sum(1 for sha in manifest["files"].values() if sha != "missing")
        self.stdout.write(
            self.style.SUCCESS(f"{path}: {len(manifest['tables'])} tables, {rows} rows, {files} files")
        )
