"""`kechuang platforms import FILE [--commit]`, `kechuang platforms counts [--date D] [--by kind]`,
`kechuang platforms figures` (the report figures recomputed from the registry)."""

import datetime
from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from kechuang.accounts.models import User
from kechuang.core import divisions
from kechuang.core.commands import LanguageCommand, site_language
from kechuang.core.excel import error_words
from kechuang.core.jobs import job_run_with_bar


class Command(LanguageCommand):
    help = "Platform registry: import a .xlsx/.csv (dry run by default), counts as of a date, report figures."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="check (default) or import platforms from a .xlsx/.csv")
        imp.add_argument("file")
        imp.add_argument("--commit", action="store_true", help="write when the whole file is clean")
        imp.add_argument("--user", default="staff", help="the staff user the changes are recorded for")
        counts = sub.add_parser("counts", help="exact counts on a date")
        counts.add_argument("--date", help="YYYY-MM-DD (default today)")
        counts.add_argument("--by", default="kind", choices=["kind", "level", "status", "city", "province"])
        sub.add_parser("figures", help="the provincial report figures computed from the registry")

    def handle(self, *args, action, **opts):
        from kechuang.platforms import selectors

        if action == "import":
            path = Path(opts["file"])
            if not path.is_file():
                raise CommandError(_("文件不存在：%(path)s") % {"path": path})
            user = User.objects.filter(username=opts["user"], is_active=True).first()
            if user is None:
                raise CommandError(_("没有启用的用户“%(user)s”。") % {"user": opts["user"]})
            with site_language():
                job = job_run_with_bar(
                    kind="platforms.import",
                    params={"path": str(path.resolve()), "commit": opts["commit"]},
                    actor=user,
                    stream=self.stderr,
                )
            if job.state != "succeeded":
                raise CommandError(job.error_text)
            result = job.result
            for e in result["errors"]:
                self.stdout.write(error_words(e))
            counts = {"total": result["total"], "created": result["created"], "updated": result["updated"]}
            if result["committed"]:
                self.stdout.write(_("已导入：%(total)d 行，新增 %(created)d，更新 %(updated)d。") % counts)
            elif not result["errors"]:
                self.stdout.write(
                    _("检查通过（试运行，未写入）：%(total)d 行，新增 %(created)d，更新 %(updated)d。")
                    % counts
                )
            else:
                self.stdout.write(_("未导入：%(total)d 行，新增 %(created)d，更新 %(updated)d。") % counts)
            if result["errors"]:
                raise CommandError(_("%(bad)d 行有错误。") % {"bad": len(result["errors"])})
        elif action == "counts":
            try:
                day = datetime.date.fromisoformat(opts["date"]) if opts["date"] else None
            except ValueError:
                raise CommandError(_("日期须为 YYYY-MM-DD 格式。"))
            from django.utils import timezone

            day = day or timezone.localdate()
            with site_language():
                counts = selectors.platform_counts_as_of(date=day, by=opts["by"])
                if opts["by"] == "province":  # by name, in the command's language (codes are stored)
                    counts = {divisions.label(k) or k: n for k, n in counts.items()}
            for key, n in sorted(counts.items()):
                self.stdout.write(f"{key}\t{n}")
        else:
            with site_language():
                figures = selectors.report_figures()
            for f in figures:
                mark = pgettext("报告核对", "一致") if f["ok"] else pgettext("报告核对", "不一致")
                self.stdout.write(
                    "\t".join(
                        [
                            divisions.label(f["province"]),
                            str(f["label"]),
                            str(f["value"]),
                            _("（报告：%(expected)s）") % {"expected": f["expected"]},
                            mark,
                        ]
                    )
                )
