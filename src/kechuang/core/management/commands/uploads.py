from django.utils.translation import gettext as _

from kechuang.core.commands import LanguageCommand
from kechuang.core.roles import SYSTEM
from kechuang.core.services import uploads_recheck, uploads_rename_guessable


class Command(LanguageCommand):
    help = (
        "uploads rename [--dry-run]: move files stored before names on disk were random (their original "
        "names) to <prefix>/<year>/<random token>/<name>, and point their rows there (audited). "
        "uploads recheck [--apply]: check every stored upload as an upload is checked today and list the ones "
        "that fail; with --apply, quarantine them (no longer downloadable, kept for staff's review, audited)."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        rename = sub.add_parser("rename", help="give every upload with a guessable name an unguessable one")
        rename.add_argument("--dry-run", action="store_true", help="list what would move; change nothing")
        recheck = sub.add_parser(
            "recheck", help="check every stored upload again (a dry run unless --apply is given)"
        )
        recheck.add_argument(
            "--apply",
            action="store_true",
            help="quarantine the files that fail (audited); default: list only",
        )
        recheck.add_argument("--all", action="store_true", help="list the files that pass too")

    def handle(self, *args, verb, dry_run=False, apply=False, all=False, **options):
        if verb == "recheck":
            return self._recheck(apply=apply, every=all)
        done = uploads_rename_guessable(actor=SYSTEM, dry_run=dry_run)
        moved = [d for d in done if not d.missing]
        for d in done:
            if d.missing:
                self.stderr.write(f"missing: {d.model} #{d.pk} {d.field}: {d.old} (left as it is)")
            else:
                self.stdout.write(f"{d.model} #{d.pk} {d.field}: {d.old} -> {d.new}")
        verb_done = "would move" if dry_run else "moved"
        self.stdout.write(
            self.style.SUCCESS(f"{verb_done} {len(moved)} files; {len(done) - len(moved)} missing")
        )

    def _recheck(self, *, apply: bool, every: bool) -> None:
        done = uploads_recheck(actor=SYSTEM, apply=apply)
        states = {
            "passed": _("复查通过"),
            "failed": _("未通过（试运行：未隔离）"),
            "quarantined": _("未通过，已隔离"),
            "held": _("已在隔离中"),
            "missing": _("文件缺失（未处理）"),
        }
        for d in done:
            if d.state == "passed" and not every:
                continue
            line = f"{states[d.state]}  {d.describe()}"
            if d.reason:
                line += f" — {d.reason}"
            (self.stderr if d.state == "missing" else self.stdout).write(line)
        count = {s: sum(1 for d in done if d.state == s) for s in states}
        summary = _(
            "复查了 %(total)d 个已存储的上传文件：%(passed)d 个通过，%(failed)d 个未通过，"
            "%(held)d 个已在隔离中，%(missing)d 个文件缺失。"
        ) % {
            "total": len(done),
            "passed": count["passed"],
            "failed": count["failed"] + count["quarantined"],
            "held": count["held"],
            "missing": count["missing"],
        }
        if apply:
            summary += " " + _("已隔离 %(n)d 个（不能再下载，保留待工作人员审查，已记入审计日志）。") % {
                "n": count["quarantined"]
            }
        elif count["failed"]:
            summary += " " + _("这是试运行，什么也没有改；加 --apply 隔离未通过的文件。")
        self.stdout.write(self.style.SUCCESS(summary) if not count["failed"] else summary)
