"""`kechuang evaluation compute ID [--no-collect]`, `kechuang evaluation verify ID` (re-run every stored
computation of a campaign from its input snapshot and compare)."""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from kechuang.accounts.models import User
from kechuang.core.commands import LanguageCommand, site_language
from kechuang.core.jobs import job_run_with_bar


class Command(LanguageCommand):
    help = "Evaluation campaigns: compute results (with a progress bar), verify stored computations."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        comp = sub.add_parser("compute", help="collect the raw values and compute totals, ranks and grades")
        comp.add_argument("campaign", type=int)
        comp.add_argument("--no-collect", action="store_true")
        comp.add_argument("--user", default="staff")
        ver = sub.add_parser("verify", help="re-run stored computations from their input snapshots")
        ver.add_argument("campaign", type=int)

    def handle(self, *args, action, **opts):
        from kechuang.evaluation.models import Campaign
        from kechuang.evaluation.services import computation_verify

        campaign = Campaign.objects.filter(pk=opts["campaign"]).first()
        if campaign is None:
            raise CommandError(_("没有编号为 %(id)s 的评价活动。") % {"id": opts["campaign"]})
        if action == "compute":
            user = User.objects.filter(username=opts["user"], is_active=True).first()
            if user is None:
                raise CommandError(_("没有启用的用户“%(user)s”。") % {"user": opts["user"]})
            with site_language():
                job = job_run_with_bar(
                    kind="evaluation.compute",
                    params={"campaign_id": campaign.pk, "collect": not opts["no_collect"]},
                    actor=user,
                    stream=self.stderr,
                )
            if job.state != "succeeded":
                raise CommandError(job.error_text)
            self.stdout.write(
                _("计算 %(id)s：%(entries)s 个评价对象")
                % {"id": job.result["computation"], "entries": job.result["entries"]}
            )
        else:
            bad = 0
            for comp in campaign.computations.all():
                with site_language():
                    ok = computation_verify(computation=comp)
                bad += not ok
                said = {"id": comp.pk, "method": comp.method, "at": f"{comp.created_at:%Y-%m-%d %H:%M}"}
                if ok:
                    self.stdout.write(_("计算 %(id)s（%(method)s，%(at)s）：重算结果一致") % said)
                else:
                    self.stdout.write(_("计算 %(id)s（%(method)s，%(at)s）：重算结果不同") % said)
            if bad:
                raise CommandError(_("%(bad)d 次计算无法重现。") % {"bad": bad})
