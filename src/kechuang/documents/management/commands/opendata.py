"""`kechuang opendata export` (build the open-data bulk download now), `kechuang opendata check FILE.zip`
(check a dump's files against the OpenAIRE CERIF schema and its SHA256SUMS)."""

import hashlib
import zipfile

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from kechuang.core.commands import LanguageCommand, site_language
from kechuang.core.jobs import job_run_with_bar
from kechuang.core.roles import SYSTEM


class Command(LanguageCommand):
    help = "Open data (CERIF-XML, OpenAIRE CRIS profile 1.2): export the bulk download, or check a dump."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("export", help="build the bulk download now (as the nightly job does)")
        check = sub.add_parser("check", help="check a dump: schema and digests")
        check.add_argument("file")

    def handle(self, *args, action, **opts):
        from kechuang.documents import cerif

        if action == "export":
            with site_language():
                job = job_run_with_bar(kind="documents.opendata", actor=SYSTEM, stream=self.stderr)
            if job.state != "succeeded":
                raise CommandError(job.error)
            counts = job.result["counts"]
            self.stdout.write(
                _("已导出：%(counts)s；%(size)s 字节")
                % {"counts": _("，").join(f"{k} {v}" for k, v in counts.items()), "size": job.result["size"]}
            )
            return
        try:
            zf = zipfile.ZipFile(opts["file"])
        except (OSError, zipfile.BadZipFile) as exc:
            raise CommandError(str(exc)) from exc
        problems = []
        with zf:
            for line in zf.read("SHA256SUMS").decode().splitlines():
                digest, path = line.split("  ", 1)
                data = zf.read(path)
                if hashlib.sha256(data).hexdigest() != digest:
                    problems.append(_("%(path)s：摘要不符") % {"path": path})
                if path.endswith(".xml"):
                    problems += [f"{path} {e}" for e in cerif.validate(data)]
        for p in problems:
            self.stdout.write(p)
        if problems:
            raise CommandError(_("%(count)d 处问题。") % {"count": len(problems)})
        self.stdout.write(_("有效。"))
