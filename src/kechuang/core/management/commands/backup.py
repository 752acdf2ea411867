from django.utils.translation import gettext as _
from tqdm import tqdm

from kechuang.core.backup import backup_write
from kechuang.core.commands import LanguageCommand


class Command(LanguageCommand):
    help = "Write the whole database to a backup zip (one JSON-lines file per table, with digests)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the .zip to write")

    def handle(self, *args, path, **options):
        with tqdm(total=100, desc=_("备份"), unit="%", file=self.stderr) as bar:

            def progress(pct, table):
                bar.n = pct
                bar.set_postfix_str(table[:40])
                bar.refresh()

            manifest = backup_write(path, progress)
        rows = sum(t["rows"] for t in manifest["tables"].values())
        files = sum(1 for sha in manifest["files"].values() if sha != "missing")
        self.stdout.write(
            self.style.SUCCESS(
                _("%(path)s：%(tables)d 张表，%(rows)d 行，%(files)d 个文件")
                % {"path": path, "tables": len(manifest["tables"]), "rows": rows, "files": files}
            )
        )
