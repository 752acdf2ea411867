from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from kechuang.core.backup import restore_read
from kechuang.core.commands import LanguageCommand
from kechuang.core.exceptions import ApplicationError


class Command(LanguageCommand):
    help = "Restore a backup zip into this migrated, empty database and verify it table by table."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the backup .zip")

    def handle(self, *args, path, **options):
        with tqdm(total=100, desc=_("恢复"), unit="%", file=self.stderr) as bar:

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
                _("已恢复 %(tables)d 张表，%(rows)d 行，%(files)d 个文件；与备份一致")
                % {"tables": result["tables"], "rows": result["rows"], "files": result["files"]}
            )
        )
