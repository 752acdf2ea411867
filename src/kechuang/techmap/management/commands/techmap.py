"""`kechuang techmap import FILE [--commit]`, `kechuang techmap export FILE`, `kechuang techmap gaps`."""

import datetime
from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from kechuang.accounts.models import User
from kechuang.core.commands import LanguageCommand, site_language
from kechuang.core.excel import xlsx_bytes
from kechuang.core.exceptions import ApplicationError
from kechuang.core.roles import Role


class Command(LanguageCommand):
    help = "Technology map: import/export the map as Excel/CSV, list the gap report."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="check (default) or import a .xlsx/.csv of technologies")
        imp.add_argument("file")
        imp.add_argument("--commit", action="store_true", help="write when the whole file is clean")
        imp.add_argument("--user", default="staff", help="the staff user the changes are recorded for")
        exp = sub.add_parser("export", help="write every technology to an .xlsx file")
        exp.add_argument("file")
        gaps = sub.add_parser("gaps", help="bottlenecks no active project, platform or consortium covers")
        gaps.add_argument("--as-of", help="YYYY-MM-DD (default today)")

    def _staff(self, username):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(_("没有启用的用户“%(user)s”。") % {"user": username})
        return user

    def handle(self, *args, action, **opts):

        if action == "import":
            from kechuang.techmap.importer import map_import

            path = Path(opts["file"])
            if not path.is_file():
                raise CommandError(_("文件不存在：%(path)s") % {"path": path})
            from tqdm import tqdm

            actor = self._staff(opts["user"])
            with tqdm(total=100, desc=_("攻坚图谱导入"), unit="%", file=self.stderr) as bar:

                def progress(done, total):
                    bar.n = 100 * done // total
                    bar.refresh()

                try:
                    with site_language():
                        report = map_import(
                            actor=actor,
                            data=path.read_bytes(),
                            filename=path.name,
                            dry_run=not opts["commit"],
                            progress=progress,
                        )
                except ApplicationError as exc:
                    raise CommandError(str(exc.message))
            for e in report.errors:
                self.stdout.write(str(e))
            counts = {
                "total": report.total,
                "created": report.created,
                "updated": report.updated,
                "errors": len(report.errors),
            }
            if report.committed:
                line = _("已导入：%(total)d 行，新增 %(created)d，更新 %(updated)d，错误 %(errors)d。")
            else:
                line = _(
                    "已检查（未写入）：%(total)d 行，新增 %(created)d，更新 %(updated)d，错误 %(errors)d。"
                )
            self.stdout.write(line % counts)
            if report.errors:
                raise CommandError(_("文件有错误，未写入任何内容。"))
            return
        # Reads run as an internal reader: the whole map, internal notes included.
        reader = User(username="cli", is_active=True)
        reader._kechuang_roles = frozenset({Role.STAFF.value})
        if action == "export":
            from kechuang.techmap import selectors
            from kechuang.techmap.importer import headings

            with site_language():  # headed in the site's language, as the map's labels in it
                Path(opts["file"]).write_bytes(
                    xlsx_bytes(
                        list(headings().values()), selectors.export_rows(user=reader), sheet_title="攻坚图谱"
                    )
                )
            self.stdout.write(_("已写入 %(path)s。") % {"path": opts["file"]})
            return
        from kechuang.techmap import selectors

        as_of = None
        if opts.get("as_of"):
            try:
                as_of = datetime.date.fromisoformat(opts["as_of"])
            except ValueError:
                raise CommandError(_("--as-of 须为 YYYY-MM-DD 格式。"))
        with site_language():  # the gap lines are TSV: they read the same in either language
            rows = selectors.gap_report(user=reader, as_of=as_of)
            for r in rows:
                t = r.technology
                planned = "、".join(c.target_repr for c in r.planned) or "-"
                self.stdout.write(
                    f"{t.link.chain.name}\t{t.link.name}\t{t.name}\tTRL {t.trl_current}→{t.trl_target}\t{planned}"
                )
        self.stdout.write(_("共 %(count)d 项缺口。") % {"count": len(rows)})
