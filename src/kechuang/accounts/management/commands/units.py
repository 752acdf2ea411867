"""`kechuang units import FILE [--dry-run] [--user NAME]`, `kechuang units export FILE [--kind K] [--status S]`:
the unit import and export of the web pages (accounts.importer), from the command line."""

import csv
import io
from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from kechuang.accounts import importer, selectors
from kechuang.accounts.models import Unit, User
from kechuang.core.commands import LanguageCommand, site_language
from kechuang.core.excel import csv_row, xlsx_bytes
from kechuang.core.exceptions import ApplicationError


class Command(LanguageCommand):
    help = "Units: import a .xlsx/.csv (every row checked first; --dry-run writes nothing), export to .xlsx/.csv."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="import units from a .xlsx/.csv (all or nothing)")
        imp.add_argument("file")
        imp.add_argument("--dry-run", action="store_true", help="check every row and report; write nothing")
        imp.add_argument("--user", default="staff", help="the staff member the changes are recorded for")
        exp = sub.add_parser("export", help="export the units to a .xlsx or .csv (the import's columns)")
        exp.add_argument("file")
        exp.add_argument("--kind", default="", choices=["", *Unit.Kind.values])
        exp.add_argument("--status", default="", choices=["", *Unit.Status.values])
        exp.add_argument("--city", default="")

    def handle(self, *args, action, **opts):
        path = Path(opts["file"])
        if path.suffix.lower() not in (".xlsx", ".csv"):
            raise CommandError(_("文件须为 .xlsx 或 .csv。"))
        if action == "import":
            return self._import(path, opts)
        return self._export(path, opts)

    def _import(self, path: Path, opts):
        if not path.is_file():
            raise CommandError(_("文件不存在：%(path)s") % {"path": path})
        user = User.objects.filter(username=opts["user"], is_active=True).first()
        if user is None:
            raise CommandError(_("没有启用的用户“%(user)s”。") % {"user": opts["user"]})
        try:
            with site_language():
                report = importer.unit_import(
                    actor=user, data=path.read_bytes(), filename=path.name, dry_run=opts["dry_run"]
                )
        except ApplicationError as exc:  # an unreadable file, a missing column, a refused user
            raise CommandError(str(exc)) from exc
        for e in report.errors:
            self.stdout.write(
                _("第 %(line)s 行 [%(field)s] %(message)s")
                % {"line": e.line, "field": e.field, "message": e.text}
            )
        if report.errors:
            raise CommandError(
                _("未导入：%(total)d 行中有 %(bad)d 行有错误。")
                % {"total": report.total, "bad": len(report.errors)}
            )
        counts = {"total": report.total, "created": report.created, "updated": report.updated}
        if report.committed:
            self.stdout.write(_("已导入：%(total)d 行，新增 %(created)d，更新 %(updated)d。") % counts)
        else:
            self.stdout.write(
                _("检查通过（试运行，未写入）：%(total)d 行，新增 %(created)d，更新 %(updated)d。") % counts
            )

    def _export(self, path: Path, opts):
        qs = selectors.unit_list(kind=opts["kind"], status=opts["status"], city=opts["city"])
        with site_language():
            rows = importer.export_rows(qs.select_related("endorser").iterator(chunk_size=2000))
            if path.suffix.lower() == ".xlsx":
                path.write_bytes(xlsx_bytes(importer.export_headers(), rows, sheet_title=_("单位")))
            else:
                out = io.StringIO()
                writer = csv.writer(out)
                writer.writerow(importer.export_headers())
                writer.writerows(csv_row(r) for r in rows)  # a name may start with "=": kept as text
                path.write_text(out.getvalue(), encoding="utf-8-sig")
        self.stdout.write(_("已导出 %(count)d 个单位到 %(path)s。") % {"count": len(rows), "path": path})
