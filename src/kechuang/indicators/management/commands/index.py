"""`kechuang index import FILE` and `kechuang index compute --framework CODE ...`.

import   reads a long table (CSV or Excel) or an EIS download into values; --dry-run lists every bad row
framework installs a framework edition (JSON) into the database, where staff can edit its weights
compute  computes a framework's index; with --data FILE it reads the file and writes --csv OUT without
         touching the database (no migrations needed), otherwise it computes from the stored values and
         keeps the run (IndexRun)
"""

import csv
import sys
from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from kechuang.accounts.models import User
from kechuang.core.commands import LanguageCommand, site_language
from kechuang.core.excel import csv_row
from kechuang.core.exceptions import ApplicationError


class Command(LanguageCommand):
    help = "Indicator values import and composite index computation."
    requires_system_checks: list = []  # compute --data must run without a database

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="import values from a CSV/Excel long table or an EIS download")
        imp.add_argument("file")
        imp.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
        imp.add_argument(
            "--edition",
            default="",
            help="dataset edition (an EIS file defaults to EIS<last data year>, e.g. EIS2023)",
        )
        imp.add_argument("--region-set", default="", help="label for the regions it creates (EIS: eis)")
        imp.add_argument("--publish", action="store_true", help="publish indicators it creates")
        imp.add_argument(
            "--framework",
            default="",
            help="CODE or CODE:EDITION of a shipped framework edition: its reference unit's aliases "
            "(e.g. EU27_2020, EU Average) are stored under the reference's own code (e.g. EU)",
        )
        imp.add_argument("--user", default="", help="acting staff user (default: the first superuser)")
        fw = sub.add_parser("framework", help="install a framework edition from a JSON file (data, not code)")
        fw.add_argument("file")
        fw.add_argument("--replace", action="store_true", help="replace an installed edition's spec")
        fw.add_argument("--user", default="", help="acting staff user (default: the first superuser)")
        comp = sub.add_parser("compute", help="compute a composite index")
        comp.add_argument("--framework", required=True, help="framework code, e.g. eis or cn-csti")
        comp.add_argument("--edition", default=None, help="framework edition (default: the newest)")
        comp.add_argument("--data", default="", help="read values from this file; the database is not used")
        comp.add_argument("--reference", default="", help="UNIT:YEAR = 100 (default: the framework's)")
        comp.add_argument("--csv", default="", help="write the results here (default: standard output)")
        comp.add_argument("--region-set", default="", help="database mode: only regions of this set")
        comp.add_argument("--user", default="", help="database mode: acting staff user")

    def handle(self, *args, **opts):
        try:
            if opts["action"] == "import":
                return self._import(opts)
            if opts["action"] == "framework":
                return self._framework(opts)
            return self._compute(opts)
        except ApplicationError as exc:
            raise CommandError(str(exc.message))

    def _actor(self, username: str):

        qs = User.objects.filter(is_active=True)
        user = qs.filter(username=username).first() if username else qs.filter(is_superuser=True).first()
        if user is None:
            raise CommandError(_("找不到执行操作的工作人员账号，请用 --user 指定。"))
        return user

    def _import(self, opts):
        from kechuang.indicators.services import values_import

        path = Path(opts["file"])
        if not path.exists():
            raise CommandError(_("文件不存在：%(path)s") % {"path": path})
        aliases = self._aliases(opts["framework"]) if opts["framework"] else None
        actor = self._actor(opts["user"])
        with tqdm(total=2, desc=_("导入指标数据"), file=sys.stderr) as bar:
            report = values_import(
                actor=actor,
                data=path.read_bytes(),
                filename=path.name,
                dry_run=True,
                edition=opts["edition"],
                region_set=opts["region_set"],
                publish_new=opts["publish"],
                unit_aliases=aliases,
            )
            bar.update(1)
            if report.ok and not opts["dry_run"]:
                report = values_import(
                    actor=actor,
                    data=path.read_bytes(),
                    filename=path.name,
                    dry_run=False,
                    edition=opts["edition"],
                    region_set=opts["region_set"],
                    publish_new=opts["publish"],
                    unit_aliases=aliases,
                )
            bar.update(1)
        for note in getattr(report, "notes", []):
            self.stdout.write(_("注意：%(note)s") % {"note": note})
        for err in report.errors:
            self.stdout.write(str(err))
        state = _("已写入") if report.committed else _("未写入（试运行或有错误）")
        self.stdout.write(
            _("共 %(total)d 行：新增 %(created)d，更新 %(updated)d，错误 %(errors)d；%(state)s")
            % {
                "total": report.total,
                "created": report.created,
                "updated": report.updated,
                "errors": len(report.errors),
                "state": state,
            }
        )
        if report.errors:
            raise CommandError(_("%(n)d 行有错误，未导入任何数据。") % {"n": len(report.errors)})

    def _aliases(self, text: str) -> dict[str, str]:
        from kechuang.indicators import formulas, specs

        code, _sep, edition = text.partition(":")
        try:
            rule = formulas.reference_rule(specs.shipped_spec(code, edition or None).get("method", {}))
        except formulas.FormulaError as exc:
            raise CommandError(str(exc))
        if rule is None:
            raise CommandError(_("框架 %(framework)s 没有声明参照单位。") % {"framework": text})
        return dict.fromkeys(rule.aliases, rule.unit)

    def _framework(self, opts):
        import json

        from kechuang.indicators.services import framework_install

        path = Path(opts["file"])
        try:
            spec = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(_("无法读取框架文件：%(error)s") % {"error": exc})
        if not isinstance(spec, dict) or not spec.get("code") or not spec.get("edition"):
            raise CommandError(_("框架文件须有 code 和 edition。"))
        with site_language():  # what it stores reads the same whatever --language says
            fw = framework_install(actor=self._actor(opts["user"]), spec=spec, replace=opts["replace"])
        self.stdout.write(
            _("框架 %(code)s %(edition)s（#%(pk)d）已安装。")
            % {"code": fw.code, "edition": fw.edition, "pk": fw.pk}
        )

    def _compute(self, opts):
        from kechuang.indicators import formulas, specs

        if opts["data"]:
            from kechuang.indicators.tables import read_records

            path = Path(opts["data"])
            if not path.exists():
                raise CommandError(_("文件不存在：%(path)s") % {"path": path})
            try:
                spec = specs.shipped_spec(opts["framework"], opts["edition"])
                parsed = read_records(path.read_bytes(), path.name)
                if parsed.errors:
                    for err in parsed.errors[:50]:
                        self.stderr.write(str(err))
                    raise CommandError(_("%(n)d 行有错误，未计算。") % {"n": len(parsed.errors)})
                result = formulas.compute_index(spec, parsed.data(), reference=opts["reference"] or None)
            except formulas.FormulaError as exc:
                raise CommandError(str(exc))
            rows = [
                (r.unit, r.year, r.index, r.published, r.group, [r.nodes.get(c) for c in result.node_codes])
                for r in result.rows
            ]
            node_codes = result.node_codes
            warnings = [str(w) for w in result.warnings]
        else:
            from kechuang.indicators.models import Framework
            from kechuang.indicators.services import index_run_create

            fw = Framework.objects.filter(code=opts["framework"])
            if opts["edition"]:
                fw = fw.filter(edition=opts["edition"])
            framework = fw.order_by("-edition").first()
            if framework is None:
                raise CommandError(
                    _("数据库中没有框架 %(framework)s，请先运行 kechuang demo 或安装框架。")
                    % {"framework": opts["framework"]}
                )
            with site_language():
                run = index_run_create(
                    actor=self._actor(opts["user"]),
                    framework=framework,
                    reference=opts["reference"],
                    region_set=opts["region_set"],
                )
            out = run.outputs
            node_codes = out["node_codes"]
            rows = [
                (
                    r["unit"],
                    r["year"],
                    r["index"],
                    r.get("published"),
                    r["group"],
                    [r["nodes"].get(c) for c in node_codes],
                )
                for r in out["rows"]
            ]
            warnings = run.warnings_text
            self.stderr.write(_("已保存指数计算 #%(pk)d") % {"pk": run.pk})
        for w in warnings:
            self.stderr.write(_("注意：%(note)s") % {"note": w})
        header = ["unit", "year", "index", "published", "group", *node_codes]
        lines = [
            [
                unit,
                year,
                "" if index is None else repr(index),  # full precision
                "" if published is None else published,
                group,
                *["" if v is None else repr(v) for v in nodes],
            ]
            for unit, year, index, published, group, nodes in sorted(rows, key=lambda r: (r[0], r[1]))
        ]
        # A unit or group named "=…" in a data file stays text in a spreadsheet (core.excel.csv_row).
        table = [csv_row(line) for line in [header, *lines]]
        if opts["csv"]:
            with open(opts["csv"], "w", newline="", encoding="utf-8") as handle:
                csv.writer(handle, lineterminator="\n").writerows(table)
        else:
            csv.writer(self.stdout, lineterminator="\n").writerows(table)
        if opts["csv"]:
            self.stderr.write(_("已写入 %(n)d 行到 %(path)s") % {"n": len(rows), "path": opts["csv"]})
